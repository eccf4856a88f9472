## Сигналы: /signal, рассылка по расписанию, график и объяснения.

cmd-signal = Анализ символа: направление, уровни, размер
cmd-signal-args = <символ> [таймфрейм]

signal-usage = Отправьте <code>/signal СИМВОЛ [ТАЙМФРЕЙМ]</code>, например <code>/signal BTC/USDT 1h</code>.
signal-unknown-symbol = Я не знаю символ { $symbol }. Возможно, вы имели в виду: { $suggestions }?
signal-unknown-symbol-none = Я не знаю символ { $symbol }. Попробуйте пару вроде BTC/USDT.
signal-bad-timeframe = Таймфрейм { $timeframe } не поддерживается. Доступны: { $choices }.
signal-not-tradable = { $symbol } не входит в торгуемый список, сигналы по нему не выдаются.
signal-no-data = Сейчас нет свечей для { $symbol } { $timeframe }. Попробуйте позже.
signal-not-found = Этот сигнал больше недоступен.
signal-push-title = 🔔 <b>Новый сигнал</b>

signal-header-long = 🟢 <b>{ $symbol } · { $timeframe } · ЛОНГ</b>
signal-header-short = 🔴 <b>{ $symbol } · { $timeframe } · ШОРТ</b>
signal-header-neutral = ⚪ <b>{ $symbol } · { $timeframe } · НЕЙТРАЛЬНО</b>: сейчас без сделки
signal-confidence = Уверенность: { $confidence }% (оценка { $score }), пресет { $preset }
signal-candidate-long = Индикаторы склоняются к лонгу, но сигнал не выдан.
signal-candidate-short = Индикаторы склоняются к шорту, но сигнал не выдан.
signal-direction-long = ЛОНГ
signal-direction-short = ШОРТ
signal-direction-neutral = НЕЙТРАЛЬНО
signal-entry = Вход: <b>{ $price }</b>
signal-stop = Стоп: { $price } ({ $pct })
signal-tp = TP{ $n }: { $price } ({ $pct }, закрывает { $share }%)
signal-rr = Риск/прибыль: { $rr }
signal-size = Размер: <b>{ $qty } { $base }</b> ≈ { $notional }, риск { $risk } ({ $risk_pct }% от { $deposit })
signal-size-limited = Размер: <b>{ $qty } { $base }</b> ≈ { $notional }, ограничен: { $cap }; риск { $risk } до стопа ({ $actual_pct }% от { $deposit }) — меньше ваших { $risk_pct }% ({ $target }).
signal-cap-position_cap = не более 15% капитала на позицию
signal-cap-leverage = ваше плечо
signal-cap-risk = ваш риск на сделку
signal-size-no-deposit = Размер: укажите депозит через /deposit, чтобы получить размер позиции.
signal-size-too-small = Размер: при ваших настройках риска позиция ({ $notional }) меньше минимума биржи { $minimum }.
signal-size-blocked = Размер не предлагается. { $reason }
signal-blocked-generic = Сигналы приостановлены вашими правилами риска.
signal-regime = Режим рынка: { $regime }
signal-regime-trending_up = восходящий тренд
signal-regime-trending_down = нисходящий тренд
signal-regime-ranging = боковик
signal-regime-high_volatility = высокая волатильность
signal-mtf = Старшие таймфреймы: { $status } { $trends }
signal-mtf-confirmed = подтверждают
signal-mtf-partial = подтверждают частично
signal-mtf-conflict = противоречат
signal-mtf-unavailable = недоступны
signal-mtf-not_applicable = не используются
signal-fbd = Оценка ложного пробоя: { $score } (отклоняется выше { $threshold })
signal-why = <b>Почему</b>
signal-component = • { $name } ({ $score }): { $reasons }
signal-component-trend = Тренд
signal-component-mean_reversion = Возврат к среднему
signal-component-breakout = Пробой
signal-component-volume = Объём
signal-component-trend_htf = Тренд старшего таймфрейма
signal-component-momentum = Импульс
signal-component-rsi = RSI
signal-component-macd = MACD
signal-not-issued = <b>Сигнал не выдан, потому что</b>
signal-rejection = • { $reason }
signal-bar = Свеча закрылась { $time } UTC · данные: { $source }
signal-disclaimer = <i>Это идея, а не финансовая рекомендация.</i>
signal-status = Статус: { $status }
signal-status-active = открыт
signal-status-tp1 = TP1 достигнут
signal-status-tp2 = TP2 достигнут
signal-status-tp3 = все цели достигнуты
signal-status-sl = сработал стоп
signal-status-breakeven = закрыт в безубыток после TP1
signal-status-expired = истёк
signal-status-neutral = без сделки

signal-button-chart = 📊 График
signal-button-explain = 💡 Объяснить
signal-button-paper = 📝 Бумажная сделка

signal-chart-title = { $symbol } { $timeframe } · { $direction } · { $confidence }%
signal-chart-caption = 📊 { $symbol } { $timeframe }, свеча закрылась { $time } UTC
signal-chart-entry = Вход
signal-chart-stop = Стоп
signal-chart-tp1 = TP1
signal-chart-tp2 = TP2
signal-chart-tp3 = TP3
signal-chart-volume = Объём
signal-chart-simulated = Симулированные данные: цены не настоящие
signal-chart-failed = Сейчас не получилось построить график. Попробуйте позже.

signal-explain-ai = 💡 <b>Объяснение (ИИ, { $model })</b>
signal-explain-fallback = 💡 <b>Объяснение (автоматическая сводка причин сигнала; ИИ-объяснение недоступно)</b>
signal-explain-intro-long = Движок склоняется к покупке { $symbol } { $timeframe } с уверенностью { $confidence }%.
signal-explain-intro-short = Движок склоняется к продаже { $symbol } { $timeframe } с уверенностью { $confidence }%.
signal-explain-intro-neutral = Сейчас движок не видит явного перевеса по { $symbol } { $timeframe } (оценка { $score }).
signal-explain-for = В пользу сигнала: { $component }: { $reasons }.
signal-explain-against = Против сигнала: { $component }: { $reasons }.
signal-explain-context = Режим рынка: { $regime }; старшие таймфреймы { $mtf }.
signal-explain-levels = Идея неверна, если цена дойдёт до стопа { $stop }; цели { $tp1 }, { $tp2 } и { $tp3 } (риск/прибыль { $rr }).
signal-explain-blockers = Сигнал сдерживается, потому что: { $reasons }.
signal-explain-hedge = Это вероятностный сетап, а не обещание и не финансовая рекомендация.

# Коды причин от движка (core/strategies) и фильтров сервиса.
signal-reason-ema_stack_bull = EMA выстроены вверх (цена > EMA { $fast } > EMA { $mid } > EMA { $slow })
signal-reason-ema_stack_bear = EMA выстроены вниз (цена < EMA { $fast } < EMA { $mid } < EMA { $slow })
signal-reason-ema_stack_mixed = EMA перемешаны, чёткого порядка нет
signal-reason-ema_slope_up = EMA { $period } растёт ({ $slope_atr } ATR)
signal-reason-ema_slope_down = EMA { $period } падает ({ $slope_atr } ATR)
signal-reason-ema_slope_flat = EMA { $period } плоская
signal-reason-adx_strong = сильный тренд (ADX { $adx })
signal-reason-adx_moderate = умеренный тренд (ADX { $adx })
signal-reason-adx_weak = слабый тренд (ADX { $adx })
signal-reason-macd_bull = MACD выше сигнальной линии (гистограмма { $hist })
signal-reason-macd_bear = MACD ниже сигнальной линии (гистограмма { $hist })
signal-reason-rsi_oversold = RSI { $rsi }, перепроданность (ниже { $oversold })
signal-reason-rsi_overbought = RSI { $rsi }, перекупленность (выше { $overbought })
signal-reason-rsi_neutral = RSI { $rsi }, нейтрально
signal-reason-bb_below_lower = закрытие ниже нижней полосы Боллинджера (%B { $pct_b })
signal-reason-bb_above_upper = закрытие выше верхней полосы Боллинджера (%B { $pct_b })
signal-reason-bb_inside = закрытие внутри полос Боллинджера (%B { $pct_b })
signal-reason-breakout_none = пробоя нет (диапазон { $low } – { $high })
signal-reason-breakout_up = закрытие { $close } пробило вверх уровень { $level } ({ $kind })
signal-reason-breakout_down = закрытие { $close } пробило вниз уровень { $level } ({ $kind })
signal-reason-breakout_pierce_up = максимум { $extreme } проколол уровень { $level } ({ $kind }), но свеча закрылась на { $close }, не выше него
signal-reason-breakout_pierce_down = минимум { $extreme } проколол уровень { $level } ({ $kind }), но свеча закрылась на { $close }, не ниже него
signal-reason-breakout_volume_confirmed = объём пробоя { $volume_ratio }× от среднего (нужно { $threshold }×)
signal-reason-breakout_volume_weak = объём пробоя всего { $volume_ratio }× от среднего (нужно { $threshold }×)
signal-reason-breakout_rejected_false = пробой отклонён как ложный
signal-reason-obv_rising = OBV растёт за { $lookback } { $lookback ->
    [one] свечу
    [few] свечи
    [many] свечей
   *[other] свечи
}
signal-reason-obv_falling = OBV падает за { $lookback } { $lookback ->
    [one] свечу
    [few] свечи
    [many] свечей
   *[other] свечи
}
signal-reason-obv_flat = OBV без изменений за { $lookback } { $lookback ->
    [one] свечу
    [few] свечи
    [many] свечей
   *[other] свечи
}
signal-reason-volume_accel_up = всплеск объёма { $volume_ratio }× на растущей свече
signal-reason-volume_accel_down = всплеск объёма { $volume_ratio }× на падающей свече
signal-reason-volume_normal = объём { $volume_ratio }× от среднего, всплеска нет
signal-reason-htf_trend_up = тренд { $timeframe } вверх (EMA { $fast } > EMA { $slow })
signal-reason-htf_trend_down = тренд { $timeframe } вниз (EMA { $fast } < EMA { $slow })
signal-reason-htf_trend_flat = тренд { $timeframe } боковой
signal-reason-htf_trend_unknown = тренд { $timeframe } пока неизвестен
signal-reason-ema_pair_bull = цена > EMA { $fast } > EMA { $slow }
signal-reason-ema_pair_bear = цена < EMA { $fast } < EMA { $slow }
signal-reason-ema_pair_mixed = EMA { $fast } и EMA { $slow } перемешаны
signal-reason-rsi_below_limit = RSI { $rsi } ниже { $limit }
signal-reason-rsi_above_limit = RSI { $rsi } выше { $limit }
signal-reason-macd_positive = MACD положительный ({ $macd })
signal-reason-macd_negative = MACD отрицательный ({ $macd })
signal-reason-volume_confirmed = объём { $volume_ratio }× от среднего (нужно { $threshold }×)
signal-reason-volume_low = объём всего { $volume_ratio }× от среднего (нужно { $threshold }×)
signal-reason-fbd_volume_missing = у пробоя нет объёма ({ $volume_ratio }× от среднего)
signal-reason-fbd_close_inside = закрытие вернулось внутрь диапазона ({ $level })
signal-reason-fbd_long_wick = длинная тень против пробоя ({ $wick_ratio } диапазона)
signal-reason-anomaly_atr = аномальная волатильность: ATR в { $ratio }× выше 30-дневной медианы (предел { $mult }×)
signal-reason-false_breakout = вероятный ложный пробой (оценка { $score }, порог { $threshold })
signal-reason-low_confidence = уверенность { $confidence }% ниже минимума { $minimum }%
signal-reason-min_rr = риск/прибыль { $rr } ниже минимума { $minimum }
signal-reason-warming_up = пока мало истории ({ $bars } { $bars ->
    [one] свеча
    [few] свечи
    [many] свечей
   *[other] свечи
})
signal-reason-stale_data = рыночные данные устарели
signal-reason-not_tradable = символ не входит в торгуемый список
signal-reason-unknown = { $code }
signal-kind-range = граница диапазона
signal-kind-band = полоса Боллинджера
