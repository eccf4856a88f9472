## Signals: /signal, scheduled delivery, chart and explanations.

cmd-signal = Analyse a symbol: direction, levels, size
cmd-signal-args = <symbol> [timeframe]

signal-usage = Send <code>/signal SYMBOL [TIMEFRAME]</code>, for example <code>/signal BTC/USDT 1h</code>.
signal-unknown-symbol = I do not know the symbol { $symbol }. Did you mean: { $suggestions }?
signal-unknown-symbol-none = I do not know the symbol { $symbol }. Try a pair such as BTC/USDT.
signal-bad-timeframe = The timeframe { $timeframe } is not supported. Use one of: { $choices }.
signal-not-tradable = { $symbol } is not in the tradable universe, so I do not issue signals for it.
signal-no-data = There are no candles for { $symbol } { $timeframe } right now. Please try again later.
signal-not-found = This signal is no longer available.
signal-push-title = 🔔 <b>New signal</b>

signal-header-long = 🟢 <b>{ $symbol } · { $timeframe } · LONG</b>
signal-header-short = 🔴 <b>{ $symbol } · { $timeframe } · SHORT</b>
signal-header-neutral = ⚪ <b>{ $symbol } · { $timeframe } · NEUTRAL</b>: no trade now
signal-confidence = Confidence: { $confidence }% (score { $score }), preset { $preset }
signal-candidate-long = The indicators lean LONG, but no signal is issued.
signal-candidate-short = The indicators lean SHORT, but no signal is issued.
signal-direction-long = LONG
signal-direction-short = SHORT
signal-direction-neutral = NEUTRAL
signal-entry = Entry: <b>{ $price }</b>
signal-stop = Stop: { $price } ({ $pct })
signal-tp = TP{ $n }: { $price } ({ $pct }, closes { $share }%)
signal-rr = Risk/reward: { $rr }
signal-size = Size: <b>{ $qty } { $base }</b> ≈ { $notional }, risking { $risk } ({ $risk_pct }% of { $deposit })
signal-size-limited = Size: <b>{ $qty } { $base }</b> ≈ { $notional }, limited by { $cap }: it risks { $risk } at the stop ({ $actual_pct }% of { $deposit }), less than your { $risk_pct }% ({ $target }).
signal-cap-position_cap = the 15% of capital per position limit
signal-cap-leverage = your leverage
signal-cap-risk = your risk per trade
signal-size-no-deposit = Size: set /deposit to get a size.
signal-size-too-small = Size: at your risk settings the position ({ $notional }) is below the market minimum of { $minimum }.
signal-size-blocked = Size: not suggested. { $reason }
signal-blocked-generic = Signals are paused by your risk rules.
signal-regime = Regime: { $regime }
signal-regime-trending_up = trending up
signal-regime-trending_down = trending down
signal-regime-ranging = ranging
signal-regime-high_volatility = high volatility
signal-mtf = Higher timeframes: { $status } { $trends }
signal-mtf-confirmed = confirm
signal-mtf-partial = partly confirm
signal-mtf-conflict = disagree
signal-mtf-unavailable = not available
signal-mtf-not_applicable = not used
signal-fbd = False-breakout score: { $score } (rejected above { $threshold })
signal-why = <b>Why</b>
signal-component = • { $name } ({ $score }): { $reasons }
signal-component-trend = Trend
signal-component-mean_reversion = Mean reversion
signal-component-breakout = Breakout
signal-component-volume = Volume
signal-component-trend_htf = Higher-timeframe trend
signal-component-momentum = Momentum
signal-component-rsi = RSI
signal-component-macd = MACD
signal-not-issued = <b>Not issued because</b>
signal-rejection = • { $reason }
signal-bar = Candle closed { $time } UTC · data: { $source }
signal-disclaimer = <i>An idea, not financial advice.</i>
signal-status = Status: { $status }
signal-status-active = open
signal-status-tp1 = TP1 reached
signal-status-tp2 = TP2 reached
signal-status-tp3 = all targets reached
signal-status-sl = stopped out
signal-status-breakeven = closed at breakeven after TP1
signal-status-expired = expired
signal-status-neutral = no trade

signal-button-chart = 📊 Chart
signal-button-explain = 💡 Explain
signal-button-paper = 📝 Paper trade

signal-chart-title = { $symbol } { $timeframe } · { $direction } · { $confidence }%
signal-chart-caption = 📊 { $symbol } { $timeframe }, candle closed { $time } UTC
signal-chart-entry = Entry
signal-chart-stop = Stop
signal-chart-tp1 = TP1
signal-chart-tp2 = TP2
signal-chart-tp3 = TP3
signal-chart-volume = Volume
signal-chart-simulated = Simulated data: not real prices
signal-chart-failed = I could not draw the chart right now. Please try again later.

signal-explain-ai = 💡 <b>Explanation (AI, { $model })</b>
signal-explain-fallback = 💡 <b>Explanation (automatic summary of the signal's reasons; the AI explainer is unavailable)</b>
signal-explain-intro-long = The engine leans long on { $symbol } { $timeframe } with { $confidence }% confidence.
signal-explain-intro-short = The engine leans short on { $symbol } { $timeframe } with { $confidence }% confidence.
signal-explain-intro-neutral = The engine sees no clear edge on { $symbol } { $timeframe } right now (score { $score }).
signal-explain-for = Supporting it: { $component }: { $reasons }.
signal-explain-against = Working against it: { $component }: { $reasons }.
signal-explain-context = Market regime: { $regime }; higher timeframes { $mtf }.
signal-explain-levels = The idea is wrong if the price reaches the stop at { $stop }; targets are { $tp1 }, { $tp2 } and { $tp3 } (risk/reward { $rr }).
signal-explain-blockers = It is held back because: { $reasons }.
signal-explain-hedge = This is a probabilistic setup, not a promise and not financial advice.

# Reason codes from the engine (core/strategies) and the service filters.
signal-reason-ema_stack_bull = EMAs stacked bullish (price > EMA { $fast } > EMA { $mid } > EMA { $slow })
signal-reason-ema_stack_bear = EMAs stacked bearish (price < EMA { $fast } < EMA { $mid } < EMA { $slow })
signal-reason-ema_stack_mixed = EMAs mixed, no clear stack
signal-reason-ema_slope_up = EMA { $period } rising ({ $slope_atr } ATR)
signal-reason-ema_slope_down = EMA { $period } falling ({ $slope_atr } ATR)
signal-reason-ema_slope_flat = EMA { $period } flat
signal-reason-adx_strong = strong trend (ADX { $adx })
signal-reason-adx_moderate = moderate trend (ADX { $adx })
signal-reason-adx_weak = weak trend (ADX { $adx })
signal-reason-macd_bull = MACD above its signal line (histogram { $hist })
signal-reason-macd_bear = MACD below its signal line (histogram { $hist })
signal-reason-rsi_oversold = RSI { $rsi }, oversold (below { $oversold })
signal-reason-rsi_overbought = RSI { $rsi }, overbought (above { $overbought })
signal-reason-rsi_neutral = RSI { $rsi }, neutral
signal-reason-bb_below_lower = close below the lower Bollinger band (%B { $pct_b })
signal-reason-bb_above_upper = close above the upper Bollinger band (%B { $pct_b })
signal-reason-bb_inside = close inside the Bollinger bands (%B { $pct_b })
signal-reason-breakout_none = no breakout (range { $low } – { $high })
signal-reason-breakout_up = close { $close } broke above { $level } ({ $kind })
signal-reason-breakout_down = close { $close } broke below { $level } ({ $kind })
signal-reason-breakout_pierce_up = high { $extreme } pierced { $level } ({ $kind }) but the bar closed at { $close }, not above it
signal-reason-breakout_pierce_down = low { $extreme } pierced { $level } ({ $kind }) but the bar closed at { $close }, not below it
signal-reason-breakout_volume_confirmed = breakout volume { $volume_ratio }× average (needs { $threshold }×)
signal-reason-breakout_volume_weak = breakout volume only { $volume_ratio }× average (needs { $threshold }×)
signal-reason-breakout_rejected_false = breakout rejected as false
signal-reason-obv_rising = OBV rising over { $lookback } { $lookback ->
    [one] bar
   *[other] bars
}
signal-reason-obv_falling = OBV falling over { $lookback } { $lookback ->
    [one] bar
   *[other] bars
}
signal-reason-obv_flat = OBV flat over { $lookback } { $lookback ->
    [one] bar
   *[other] bars
}
signal-reason-volume_accel_up = volume spike { $volume_ratio }× average on a rising candle
signal-reason-volume_accel_down = volume spike { $volume_ratio }× average on a falling candle
signal-reason-volume_normal = volume { $volume_ratio }× average, no spike
signal-reason-htf_trend_up = { $timeframe } trend up (EMA { $fast } > EMA { $slow })
signal-reason-htf_trend_down = { $timeframe } trend down (EMA { $fast } < EMA { $slow })
signal-reason-htf_trend_flat = { $timeframe } trend flat
signal-reason-htf_trend_unknown = { $timeframe } trend not known yet
signal-reason-ema_pair_bull = price > EMA { $fast } > EMA { $slow }
signal-reason-ema_pair_bear = price < EMA { $fast } < EMA { $slow }
signal-reason-ema_pair_mixed = EMA { $fast } and EMA { $slow } mixed
signal-reason-rsi_below_limit = RSI { $rsi } below { $limit }
signal-reason-rsi_above_limit = RSI { $rsi } above { $limit }
signal-reason-macd_positive = MACD positive ({ $macd })
signal-reason-macd_negative = MACD negative ({ $macd })
signal-reason-volume_confirmed = volume { $volume_ratio }× average (needs { $threshold }×)
signal-reason-volume_low = volume only { $volume_ratio }× average (needs { $threshold }×)
signal-reason-fbd_volume_missing = the breakout lacks volume ({ $volume_ratio }× average)
signal-reason-fbd_close_inside = the close fell back inside the range ({ $level })
signal-reason-fbd_long_wick = long wick against the breakout ({ $wick_ratio } of the range)
signal-reason-anomaly_atr = abnormal volatility: ATR is { $ratio }× its 30-day median (limit { $mult }×)
signal-reason-false_breakout = likely false breakout (score { $score }, threshold { $threshold })
signal-reason-low_confidence = confidence { $confidence }% is below the minimum { $minimum }%
signal-reason-min_rr = risk/reward { $rr } is below the minimum { $minimum }
signal-reason-warming_up = not enough history yet ({ $bars } { $bars ->
    [one] candle
   *[other] candles
})
signal-reason-stale_data = the market data is stale
signal-reason-not_tradable = the symbol is not in the tradable universe
signal-reason-unknown = { $code }
signal-kind-range = range edge
signal-kind-band = Bollinger band
