## Риск-правила, флаги и отчёты: /risk, /flags, /flag, /stats, /export, дайджесты.

cmd-risk = Лимиты риска, загрузка, серия стопов, просадка и флаги
cmd-flags = Активные риск-флаги и последние изменения
cmd-flag = Поставить или снять риск-флаг
cmd-flag-args = set|clear <имя> [user_id] <причина>
cmd-stats = Статистика торговли по режимам
cmd-stats-args = [paper|backfill|live]
cmd-export = Ваши сделки и исполнения в CSV

## Названия флагов

risk-flag-emergency_stop = аварийная остановка
risk-flag-maxdd_warning = предупреждение о просадке
risk-flag-weak_setup_stop = стоп по слабым сетапам
risk-flag-signals_stalled = сигналы остановились
risk-flag-daily_loss_stop = стоп по дневному убытку
risk-flag-sl_streak_pause = пауза после серии стопов

## Почему флаг поднят (переменные — простые числа)

risk-reason-emergency-stop = просадка { $dd }% от пика капитала { $peak } (предел { $pct }%)
risk-reason-maxdd-warning = просадка { $dd }% от пика капитала { $peak } (предупреждение с { $pct }%)
risk-reason-daily-loss-stop = реализованный убыток за сегодня { $loss } достиг { $pct }% депозита ({ $limit }); входы возобновятся в { $until }
risk-reason-sl-streak-pause = { $streak ->
        [one] { $streak } стоп-лосс подряд
        [few] { $streak } стоп-лосса подряд
       *[many] { $streak } стоп-лоссов подряд
    }; входы возобновятся в { $until }
risk-reason-signals-stalled = ни один сигнал не доставлен за { $hours } ч (последний: { $last })

## Блокировки

risk-blocked-trade =
    ⛔ Новые входы заблокированы риск-флагом <code>{ $flag }</code>: { $reason }
    Открытые позиции это не затрагивает.
risk-blocked-signal = действует риск-флаг <code>{ $flag }</code>: { $reason }

## Отправляется, когда RiskGuard поднимает флаг

risk-notice-blocking =
    ⛔ Новые входы и сигналы приостановлены: <b>{ $title }</b> (<code>{ $flag }</code>) — { $reason }
    Открытые позиции остаются открытыми, их стопы и цели действуют. Подробности — /risk.
risk-notice-warning =
    ⚠️ Предупреждение о риске: <b>{ $title }</b> (<code>{ $flag }</code>) — { $reason }
    Пока ничего не заблокировано. Подробности — /risk.

## Отказы до сделки

risk-refuse-blocklist = ⛔ { $symbol } в чёрном списке: этот символ здесь не торгуется.
risk-refuse-hours = ⛔ Новые входы разрешены только с { $start } до { $end } UTC.
risk-refuse-min-notional = ⛔ Позиция ({ $notional } { $currency }) меньше минимального размера { $min } { $currency }.
risk-refuse-open-positions = ⛔ У вас уже { $open ->
        [one] { $open } открытая позиция
        [few] { $open } открытые позиции
       *[many] { $open } открытых позиций
    }; предел — { $max }.
risk-refuse-symbols = ⛔ У вас уже { $count ->
        [one] { $count } инструмент
        [few] { $count } разных инструмента
       *[many] { $count } разных инструментов
    }; предел — { $max }. Закройте один или добавьте к уже открытому.
risk-refuse-position-share = ⛔ Маржа { $margin } { $currency } больше { $pct }% капитала ({ $max } { $currency }) на одну позицию.
risk-refuse-margin = ⛔ Занятая маржа стала бы { $used } { $currency } + { $margin } { $currency }, больше { $pct }% депозита ({ $max } { $currency }).
risk-refuse-portfolio-risk = ⛔ Риск на стопах стал бы { $current } { $currency } + { $risk } { $currency }, больше { $pct }% капитала ({ $max } { $currency }).
risk-refuse-correlation = ⛔ { $other } уже открыт в ту же сторону, и его часовые доходности за { $days } дн. коррелируют с этим инструментом на { $rho } (предел { $max }).

## /risk

risk-title = <b>Лимиты риска и загрузка</b>
risk-no-deposit = Бумажный депозит ещё не задан: например, <code>/deposit 1000</code>.
risk-usage-open-positions = Открытые позиции: { $used } / { $limit }
risk-usage-symbols = Инструменты: { $used } / { $limit }
risk-usage-margin = Занятая маржа: { $used } / { $limit } ({ $pct }% депозита)
risk-usage-portfolio-risk = Риск на стопах: { $used } / { $limit } ({ $pct }% капитала)
risk-usage-position-share = Самая крупная маржа позиции: { $used } / { $limit } ({ $pct }% капитала)
risk-correlation-rule = Корреляция: новый инструмент отклоняется выше { $max } (часовые доходности, { $days } дн.)
risk-hours-always = Часы торговли: любое время
risk-hours-window = Часы торговли: { $start }–{ $end } UTC
risk-min-notional = Минимальная позиция: { $min }
risk-guard-title = <b>RiskGuard</b>
risk-streak = Серия стоп-лоссов: { $streak } / { $max } (затем пауза { $hours } ч)
risk-paused-until = ⏸ Входы на паузе до { $until }
risk-daily = Реализованный PnL за сегодня: { $pnl } (стоп при −{ $limit }, { $pct }% депозита)
risk-drawdown = Просадка: { $dd }% от пика { $peak } (предупреждение { $warn }%, аварийная остановка { $stop }%)
risk-flags-title = <b>Флаги</b>
risk-flags-none = ✅ Активных флагов нет.
risk-flag-line = { $icon } <code>{ $name }</code> ({ $title }, { $scope }): { $reason } — { $by }, { $when }
risk-scope-global = для всех
risk-scope-user = пользователь { $user }
risk-note = ℹ️ Флаги блокируют новые входы и сигналы; открытые позиции флаг никогда не закрывает.

## /flags и /flag (админы)

risk-flags-admin-title = <b>Активные риск-флаги</b>
risk-flags-history-title = <b>Последние изменения</b>
risk-flag-history-line = { $name } ({ $scope }): поставил { $by } { $when }; снял { $cleared_by } { $cleared_when }
risk-flag-usage =
    <code>/flag set ИМЯ [USER_ID] ПРИЧИНА</code> ставит флаг одному пользователю или, без пользователя, всем.
    <code>/flag clear ИМЯ [USER_ID] [ПРИЧИНА]</code> снимает его.
    Имена: { $names }
risk-flag-err-name = Неизвестный флаг «{ $name }». Имена: { $names }
risk-flag-err-reason = Укажите причину: <code>/flag set ИМЯ [USER_ID] ПРИЧИНА</code>
risk-flag-err-user = Пользователя { $user } нет.
risk-flag-err-not-active = Флаг { $flag } не активен для { $scope }.
risk-flag-set-done = { $icon } Флаг <code>{ $name }</code> поставлен ({ $scope }): { $reason }
risk-flag-already = Флаг <code>{ $name }</code> уже активен ({ $scope }; поставил { $by }, { $when }).
risk-flag-cleared-done = ✅ Флаг <code>{ $name }</code> снят ({ $scope }).

## /stats

stats-title = <b>Статистика — { $mode }</b>
stats-mode-live = реальная торговля
stats-mode-paper = бумажная торговля
stats-mode-backfill = бэкфилл
stats-usage = <code>/stats</code> показывает каждый режим отдельно; <code>/stats paper</code>, <code>/stats backfill</code> или <code>/stats live</code> — один режим.
stats-empty = Закрытых сделок в режиме «{ $mode }» пока нет.
stats-body =
    Сделок: { $trades } (доля прибыльных { $win_rate })
    Профит-фактор: { $pf }
    Чистый PnL: { $pnl }
    Торговых дней: { $days }, средний дневной PnL: { $avg_day }
    Шарп: { $sharpe } · Сортино: { $sortino }
    Макс. просадка: { $max_dd }
stats-signals-title = Точность сигналов ({ $mode }):
stats-signals-line = { $preset }: закрыто { $closed } из { $issued }, TP1 { $tp1 }, SL { $sl }
stats-note = Режимы никогда не смешиваются: каждая строка выше считает только свой режим.

## /export

export-caption = Ваши сделки и исполнения ({ $positions ->
        [one] { $positions } позиция
        [few] { $positions } позиции
       *[many] { $positions } позиций
    }, { $fills ->
        [one] { $fills } исполнение
        [few] { $fills } исполнения
       *[many] { $fills } исполнений
    }).
export-empty = Сделок для выгрузки пока нет.

## Дайджесты

digest-daily-title = <b>Дневной дайджест — { $date }</b>
digest-weekly-title = <b>Недельный отчёт — с { $start } по { $end }</b>
digest-body =
    Закрыто сделок: { $trades } (доля прибыльных { $win_rate }, профит-фактор { $pf })
    PnL: { $pnl } ({ $pnl_pct })
    Просадка: { $dd }
    Стопов: { $sl } · Целей: { $tp }
    Открытых позиций: { $open }
digest-top-winners = Лучшие: { $list }
digest-top-losers = Худшие: { $list }
digest-chart-title = Капитал ({ $currency })
