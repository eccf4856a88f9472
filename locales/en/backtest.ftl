## Backtests in the chat: /backtest, /backtests, progress, result card and chart.

cmd-backtest = Backtest a preset on history, with a chart
cmd-backtest-args = <symbol> [timeframe] [preset] [period]
cmd-backtests = Your past backtests

backtest-usage = Send <code>/backtest SYMBOL [TIMEFRAME] [PRESET] [PERIOD]</code>, for example <code>/backtest ETH/USDT 1h composite 180d</code>. A period is <code>90d</code>, <code>12w</code>, <code>6mo</code>, <code>1y</code> or dates <code>2024-01-01..2024-03-31</code>.
backtest-bad-timeframe = The timeframe { $timeframe } is not supported. Use one of: { $choices }.
backtest-bad-period = I cannot read the period { $period }. Use for example <code>90d</code>, <code>12w</code>, <code>6mo</code>, <code>1y</code> or <code>2024-01-01..2024-03-31</code>.
backtest-unknown-strategy = There is no preset called { $name }. Presets: { $choices }.
backtest-inverted-dates = The period starts ({ $start }) after it ends ({ $end }). Swap the dates.
backtest-future = The period starts in the future ({ $start }); there is no history there yet.
backtest-period-too-long = A period of { $days } { $days ->
    [one] day
   *[other] days
} is too long; the limit is { $max } { $max ->
    [one] day
   *[other] days
}.
backtest-too-many-bars = That period holds about { $bars } { $bars ->
    [one] candle
   *[other] candles
}; the limit is { $max }. Pick a shorter period or a larger timeframe.
backtest-unknown-symbol = I do not know the symbol { $symbol }. Did you mean: { $suggestions }?
backtest-unknown-symbol-none = I do not know the symbol { $symbol }. Try a pair such as BTC/USDT.
backtest-data-unavailable = I cannot get candles for { $symbol } right now. Please try again later.
backtest-no-data = There are not enough candles for { $symbol } { $timeframe } between { $start } and { $end } to backtest.
backtest-busy = Your backtest #{ $run_id } is still running. Wait for it to finish or cancel it first.
backtest-queue-full = All { $size } backtest places are taken right now. Please try again in a few minutes.
backtest-not-found = This backtest is not available.
backtest-failed = The backtest could not be run.

backtest-title = 📈 <b>Backtest #{ $id }</b> · { $symbol } · { $timeframe } · { $strategy }
backtest-period = Period: { $start } → { $end } ({ $days } days)
backtest-period-bars = Period: { $start } → { $end } · { $bars } candles · data: { $source }
backtest-phase-queued = Waiting for a free worker…
backtest-phase-started = Started…
backtest-phase-signals = Computing signals…
backtest-phase-simulation = Simulating fills…
backtest-phase-report = Computing metrics and the chart…
backtest-phase-done = Finishing…

backtest-status-queued = Waiting. { $reason }
backtest-status-running = Running. { $reason }
backtest-status-done = Done. { $reason }
backtest-status-failed = ❌ The backtest failed. { $reason }
backtest-status-cancelled = ⏹ Cancelled. { $reason }
backtest-error-timeout = It ran longer than the time limit.
backtest-error-input = The preset could not run on these candles.
backtest-error-error = Something went wrong on our side; it has been logged.
backtest-error-restart = The bot restarted while it ran.

backtest-card-return = Return: <b>{ $value }</b> (buy and hold { $hold })
backtest-card-equity = Equity: { $start } → <b>{ $value }</b>
backtest-card-drawdown = Max drawdown: { $value } (longest { $days } days)
backtest-card-ratios = Sharpe { $sharpe } · Sortino { $sortino } · Calmar { $calmar }
backtest-card-trades = Trades: { $trades } (open { $open }) · win rate { $win_rate } · profit factor { $pf }
backtest-card-expectancy = Expectancy: { $value } per trade · average R { $avg_r }
backtest-card-exposure = Time in the market: { $exposure } · fees { $fees }
backtest-card-footer = Fees { $fee } per side; { $fills }. Past results do not promise future ones.
backtest-fills-signal = entries at the next candle's open, stops and targets at their level (at the open when a candle gaps through)
backtest-fills-grid = grid orders are limit orders filled at their levels as the candle's path reaches them (at the open on a gap)
backtest-fills-dca = each deal's base order at a candle's open; safety orders and the take-profit are limit orders filled at their levels
backtest-fills-rebalance = rebalancing at the next candle's open after a close shows the drift

backtest-chart-title = Backtest #{ $id }: { $strategy } { $symbol } { $timeframe }
backtest-chart-equity = equity
backtest-chart-hold = buy and hold
backtest-chart-drawdown = drawdown, %
backtest-chart-simulated = SIMULATED MARKET
backtest-chart-caption = { $title }: equity and drawdown
backtest-csv-caption = { $title }: trades

backtest-button-cancel = ⏹ Cancel
backtest-button-csv = 📄 Trades CSV
backtest-button-card = Card #{ $id }
backtest-cancelling = Stopping the backtest…
backtest-cannot-cancel = This backtest is not running (or not yours).

backtest-list-empty = You have no backtests yet. Try <code>/backtest BTC/USDT 1h composite 90d</code>.
backtest-list-title = <b>Your latest backtests</b>
backtest-list-row = #{ $id } · { $created } · { $symbol } { $timeframe } { $strategy } { $days }d · { $status } { $result }
backtest-state-queued = waiting
backtest-state-running = running
backtest-state-done = done
backtest-state-failed = failed
backtest-state-cancelled = cancelled
