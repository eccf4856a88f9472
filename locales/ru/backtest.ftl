## Бэктесты в чате: /backtest, /backtests, прогресс, карточка результата и график.

cmd-backtest = Бэктест пресета на истории, с графиком
cmd-backtest-args = <символ> [таймфрейм] [пресет] [период]
cmd-backtests = Ваши прошлые бэктесты

backtest-usage = Отправьте <code>/backtest СИМВОЛ [ТАЙМФРЕЙМ] [ПРЕСЕТ] [ПЕРИОД]</code>, например <code>/backtest ETH/USDT 1h composite 180d</code>. Период: <code>90d</code>, <code>12w</code>, <code>6mo</code>, <code>1y</code> или даты <code>2024-01-01..2024-03-31</code>.
backtest-bad-timeframe = Таймфрейм { $timeframe } не поддерживается. Доступны: { $choices }.
backtest-bad-period = Не понимаю период { $period }. Пример: <code>90d</code>, <code>12w</code>, <code>6mo</code>, <code>1y</code> или <code>2024-01-01..2024-03-31</code>.
backtest-unknown-strategy = Пресета { $name } нет. Пресеты: { $choices }.
backtest-inverted-dates = Период начинается ({ $start }) позже, чем заканчивается ({ $end }). Поменяйте даты местами.
backtest-future = Период начинается в будущем ({ $start }); истории там ещё нет.
backtest-period-too-long = Период в { $days } { $days ->
    [one] день
    [few] дня
    [many] дней
   *[other] дня
} слишком длинный; предел — { $max } { $max ->
    [one] день
    [few] дня
    [many] дней
   *[other] дня
}.
backtest-too-many-bars = В этом периоде около { $bars } { $bars ->
    [one] свечи
   *[other] свечей
}; предел — { $max }. Выберите период короче или таймфрейм крупнее.
backtest-unknown-symbol = Не знаю символ { $symbol }. Может быть: { $suggestions }?
backtest-unknown-symbol-none = Не знаю символ { $symbol }. Попробуйте пару вроде BTC/USDT.
backtest-data-unavailable = Сейчас не удаётся получить свечи { $symbol }. Попробуйте позже.
backtest-no-data = Для { $symbol } { $timeframe } с { $start } по { $end } недостаточно свечей для бэктеста.
backtest-busy = Ваш бэктест #{ $run_id } ещё идёт. Дождитесь его или сначала отмените.
backtest-queue-full = Все { $size } мест для бэктестов сейчас заняты. Попробуйте через несколько минут.
backtest-not-found = Этот бэктест недоступен.
backtest-failed = Бэктест не удалось запустить.

backtest-title = 📈 <b>Бэктест #{ $id }</b> · { $symbol } · { $timeframe } · { $strategy }
backtest-period = Период: { $start } → { $end } ({ $days } дн.)
backtest-period-bars = Период: { $start } → { $end } · свечей: { $bars } · данные: { $source }
backtest-phase-queued = Ждём свободный процесс…
backtest-phase-started = Запущен…
backtest-phase-signals = Считаем сигналы…
backtest-phase-simulation = Моделируем исполнение…
backtest-phase-report = Считаем метрики и график…
backtest-phase-done = Завершаем…

backtest-status-queued = В очереди. { $reason }
backtest-status-running = Идёт. { $reason }
backtest-status-done = Готово. { $reason }
backtest-status-failed = ❌ Бэктест не удался. { $reason }
backtest-status-cancelled = ⏹ Отменён. { $reason }
backtest-error-timeout = Он шёл дольше допустимого времени.
backtest-error-input = Пресет не смог работать на этих свечах.
backtest-error-error = Что-то пошло не так на нашей стороне; ошибка записана в журнал.
backtest-error-restart = Бот перезапустился во время расчёта.

backtest-card-return = Доходность: <b>{ $value }</b> (купить и держать { $hold })
backtest-card-equity = Капитал: { $start } → <b>{ $value }</b>
backtest-card-drawdown = Макс. просадка: { $value } (самая долгая { $days } дн.)
backtest-card-ratios = Шарп { $sharpe } · Сортино { $sortino } · Калмар { $calmar }
backtest-card-trades = Сделок: { $trades } (открыто { $open }) · доля прибыльных { $win_rate } · профит-фактор { $pf }
backtest-card-expectancy = Матожидание: { $value } на сделку · средний R { $avg_r }
backtest-card-exposure = Время в рынке: { $exposure } · комиссии { $fees }
backtest-card-footer = Комиссия { $fee } за сторону; { $fills }. Прошлые результаты не обещают будущих.
backtest-fills-signal = вход по открытию следующей свечи, стопы и цели по их уровню (по открытию, если свеча открылась за уровнем)
backtest-fills-grid = ордера сетки лимитные и исполняются по своим уровням, когда их достигает путь свечи (по открытию при гэпе)
backtest-fills-dca = базовый ордер сделки по открытию свечи; страховочные ордера и тейк-профит лимитные, по своим уровням
backtest-fills-rebalance = ребалансировка по открытию следующей свечи после закрытия, на котором видно отклонение

backtest-chart-title = Бэктест #{ $id }: { $strategy } { $symbol } { $timeframe }
backtest-chart-equity = капитал
backtest-chart-hold = купить и держать
backtest-chart-drawdown = просадка, %
backtest-chart-simulated = СИМУЛЯЦИЯ РЫНКА
backtest-chart-caption = { $title }: капитал и просадка
backtest-csv-caption = { $title }: сделки

backtest-button-cancel = ⏹ Отменить
backtest-button-csv = 📄 Сделки CSV
backtest-button-card = Карточка #{ $id }
backtest-cancelling = Останавливаем бэктест…
backtest-cannot-cancel = Этот бэктест не идёт (или он не ваш).

backtest-list-empty = Бэктестов пока нет. Попробуйте <code>/backtest BTC/USDT 1h composite 90d</code>.
backtest-list-title = <b>Ваши последние бэктесты</b>
backtest-list-row = #{ $id } · { $created } · { $symbol } { $timeframe } { $strategy } { $days }d · { $status } { $result }
backtest-state-queued = в очереди
backtest-state-running = идёт
backtest-state-done = готов
backtest-state-failed = ошибка
backtest-state-cancelled = отменён
