## Risk rules, flags and reports: /risk, /flags, /flag, /stats, /export, digests.

cmd-risk = Risk limits, usage, streak, drawdown and flags
cmd-flags = Active risk flags and recent changes
cmd-flag = Set or clear a risk flag
cmd-flag-args = set|clear <name> [user_id] <reason>
cmd-stats = Trading statistics per mode
cmd-stats-args = [paper|backfill|live]
cmd-export = Your trades and fills as CSV

## Flag names

risk-flag-emergency_stop = emergency stop
risk-flag-maxdd_warning = drawdown warning
risk-flag-weak_setup_stop = weak-setup stop
risk-flag-signals_stalled = signals stalled
risk-flag-daily_loss_stop = daily loss stop
risk-flag-sl_streak_pause = stop-loss streak pause

## Why a guard flag was raised (variables are plain numbers)

risk-reason-emergency-stop = drawdown { $dd }% from the equity peak { $peak } (limit { $pct }%)
risk-reason-maxdd-warning = drawdown { $dd }% from the equity peak { $peak } (warning at { $pct }%)
risk-reason-daily-loss-stop = today's realized loss { $loss } reached { $pct }% of the deposit ({ $limit }); entries resume at { $until }
risk-reason-sl-streak-pause = { $streak ->
        [one] { $streak } stop-loss in a row
       *[other] { $streak } stop-losses in a row
    }; entries resume at { $until }
risk-reason-signals-stalled = no signal was delivered for { $hours } h (last: { $last })

## Blocks

risk-blocked-trade =
    ⛔ New entries are blocked by the risk flag <code>{ $flag }</code>: { $reason }
    Open positions are not affected.
risk-blocked-signal = risk flag <code>{ $flag }</code> is active: { $reason }

## Pushed when the guard raises a flag

risk-notice-blocking =
    ⛔ New entries and signals are paused: <b>{ $title }</b> (<code>{ $flag }</code>) — { $reason }
    Open positions stay open and keep their stops and targets. /risk shows the details.
risk-notice-warning =
    ⚠️ Risk warning: <b>{ $title }</b> (<code>{ $flag }</code>) — { $reason }
    Nothing is blocked yet. /risk shows the details.

## Pre-trade refusals

risk-refuse-blocklist = ⛔ { $symbol } is on the blocklist: it is not traded here.
risk-refuse-hours = ⛔ New entries are allowed only between { $start } and { $end } UTC.
risk-refuse-min-notional = ⛔ The position ({ $notional } { $currency }) is below the minimum position size of { $min } { $currency }.
risk-refuse-open-positions = ⛔ You already have { $open ->
        [one] { $open } open position
       *[other] { $open } open positions
    }; the limit is { $max }.
risk-refuse-symbols = ⛔ You already hold { $count ->
        [one] { $count } symbol
       *[other] { $count } different symbols
    }; the limit is { $max }. Close one or add to an existing symbol.
risk-refuse-position-share = ⛔ The margin { $margin } { $currency } exceeds { $pct }% of your capital ({ $max } { $currency }) per position.
risk-refuse-margin = ⛔ Used margin would be { $used } { $currency } + { $margin } { $currency }, above { $pct }% of the deposit ({ $max } { $currency }).
risk-refuse-portfolio-risk = ⛔ Risk at stops would be { $current } { $currency } + { $risk } { $currency }, above { $pct }% of your capital ({ $max } { $currency }).
risk-refuse-correlation = ⛔ { $other } is already open in the same direction and its 1h returns over { $days } days correlate { $rho } with this symbol (limit { $max }).

## /risk

risk-title = <b>Risk limits and usage</b>
risk-no-deposit = You have no paper deposit yet: set one with <code>/deposit 1000</code>.
risk-usage-open-positions = Open positions: { $used } / { $limit }
risk-usage-symbols = Symbols: { $used } / { $limit }
risk-usage-margin = Used margin: { $used } / { $limit } ({ $pct }% of the deposit)
risk-usage-portfolio-risk = Risk at stops: { $used } / { $limit } ({ $pct }% of capital)
risk-usage-position-share = Largest position margin: { $used } / { $limit } ({ $pct }% of capital)
risk-correlation-rule = Correlation: a new symbol is refused above { $max } (1h returns, { $days } days)
risk-hours-always = Trading hours: any time
risk-hours-window = Trading hours: { $start }–{ $end } UTC
risk-min-notional = Minimum position: { $min }
risk-guard-title = <b>RiskGuard</b>
risk-streak = Stop-loss streak: { $streak } / { $max } (then a { $hours } h pause)
risk-paused-until = ⏸ Entries paused until { $until }
risk-daily = Today's realized PnL: { $pnl } (stop at −{ $limit }, { $pct }% of the deposit)
risk-drawdown = Drawdown: { $dd }% from the peak { $peak } (warning { $warn }%, emergency stop { $stop }%)
risk-flags-title = <b>Flags</b>
risk-flags-none = ✅ No active flags.
risk-flag-line = { $icon } <code>{ $name }</code> ({ $title }, { $scope }): { $reason } — { $by }, { $when }
risk-scope-global = everyone
risk-scope-user = user { $user }
risk-note = ℹ️ Flags block new entries and signals; open positions are never closed by a flag.

## /flags and /flag (admins)

risk-flags-admin-title = <b>Active risk flags</b>
risk-flags-history-title = <b>Recent changes</b>
risk-flag-history-line = { $name } ({ $scope }): set by { $by } { $when }; cleared by { $cleared_by } { $cleared_when }
risk-flag-usage =
    <code>/flag set NAME [USER_ID] REASON</code> raises a flag for one user or, without a user, for everyone.
    <code>/flag clear NAME [USER_ID] [REASON]</code> clears it.
    Names: { $names }
risk-flag-err-name = Unknown flag “{ $name }”. Names: { $names }
risk-flag-err-reason = Say why: <code>/flag set NAME [USER_ID] REASON</code>
risk-flag-err-user = There is no user { $user }.
risk-flag-err-not-active = The flag { $flag } is not active for { $scope }.
risk-flag-set-done = { $icon } Flag <code>{ $name }</code> set for { $scope }: { $reason }
risk-flag-already = Flag <code>{ $name }</code> was already active for { $scope } (set by { $by }, { $when }).
risk-flag-cleared-done = ✅ Flag <code>{ $name }</code> cleared for { $scope }.

## /stats

stats-title = <b>Statistics — { $mode }</b>
stats-mode-live = live
stats-mode-paper = paper
stats-mode-backfill = backfill
stats-usage = <code>/stats</code> shows every mode separately; <code>/stats paper</code>, <code>/stats backfill</code> or <code>/stats live</code> shows one.
stats-empty = No closed { $mode } trades yet.
stats-body =
    Trades: { $trades } (win rate { $win_rate })
    Profit factor: { $pf }
    Net PnL: { $pnl }
    Trading days: { $days }, average daily PnL: { $avg_day }
    Sharpe: { $sharpe } · Sortino: { $sortino }
    Max drawdown: { $max_dd }
stats-signals-title = Signal hit rates ({ $mode }):
stats-signals-line = { $preset }: { $closed } closed of { $issued }, TP1 { $tp1 }, SL { $sl }
stats-note = Modes are never pooled: each line above counts only its own mode.

## /export

export-caption = Your trades and fills ({ $positions ->
        [one] { $positions } position
       *[other] { $positions } positions
    }, { $fills ->
        [one] { $fills } fill
       *[other] { $fills } fills
    }).
export-empty = You have no trades to export yet.

## Digests

digest-daily-title = <b>Daily digest — { $date }</b>
digest-weekly-title = <b>Weekly report — { $start } to { $end }</b>
digest-body =
    Trades closed: { $trades } (win rate { $win_rate }, profit factor { $pf })
    PnL: { $pnl } ({ $pnl_pct })
    Drawdown: { $dd }
    Stops: { $sl } · Targets: { $tp }
    Open positions: { $open }
digest-top-winners = Best: { $list }
digest-top-losers = Worst: { $list }
digest-chart-title = Equity ({ $currency })
