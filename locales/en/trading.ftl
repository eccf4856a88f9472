## Deposits and paper trading: /deposit, /trade, /close, /portfolio, fill notices.

cmd-deposit = Show or change your deposit
cmd-deposit-args = [amount | +amount | -amount]
cmd-trade = Open a paper position
cmd-trade-args = <symbol> long|short <amount|N%> [xN] [sl price] [tp p1,p2,p3]
cmd-close = Close paper positions
cmd-close-args = <symbol|id|all> [price]
cmd-portfolio = Open paper positions and PnL

side-long = LONG
side-short = SHORT
kind-spot = spot
kind-perp = futures
simulated-label = ⚠️ Simulated prices, not a real market.

## /deposit

deposit-usage =
    <code>/deposit</code> shows your deposit, <code>/deposit 1000</code> sets it,
    <code>/deposit +200</code> adds, <code>/deposit -100</code> withdraws.
deposit-not-set = You have not set a deposit yet. Send for example <code>/deposit 1000</code>.
deposit-summary =
    <b>Paper account</b>
    Deposit: { $deposit }
    Realized PnL: { $realized }
    Fees paid: { $fees }
    Balance: <b>{ $balance }</b>
    In open positions (margin): { $margin }
    Free: { $free }
deposit-changed-set = Deposit set to { $deposit }.
deposit-changed-add = Added { $amount }. Deposit: { $deposit }.
deposit-changed-withdraw = Withdrew { $amount }. Deposit: { $deposit }.
deposit-history-title = Last changes:
deposit-history-line = { $time } · { $kind } { $amount } → { $deposit }
deposit-kind-set = set
deposit-kind-add = add
deposit-kind-withdraw = withdraw
deposit-err-not-positive = That would leave a balance of { $balance }. The deposit and the balance must stay above zero; nothing was changed.
deposit-err-too-large = The deposit cannot exceed { $max }; nothing was changed.
deposit-err-margin = { $margin } is held as margin by open positions, so you cannot withdraw that much. Close positions first; nothing was changed.

## number errors (shared by /deposit, /trade and /close)

trade-err-number = “{ $value }” is not a number I accept. Write plain digits with an optional dot, like 100 or 0.5.
trade-err-ambiguous = “{ $value }” can be read two ways: write { $whole } for the whole number or { $decimal } with a dot for decimals. Nothing was changed.
trade-err-decimals = { $value } has too many decimals: at most { $max } are allowed.
trade-err-too-large = { $value } is too large: the limit is { $max }.
trade-err-positive = { $value }: the amount or price must be greater than zero.

## /trade

trade-usage =
    Send <code>/trade SYMBOL long|short AMOUNT [xLEVERAGE] [sl PRICE] [tp PRICE,PRICE,PRICE]</code>,
    for example <code>/trade BTC/USDT long 100 x3 sl 60000 tp 66000,68000</code>.
    AMOUNT is the margin in USDT, or a share of your balance such as <code>2%</code>.
trade-err-side = “{ $value }” is not a direction: write long or short.
trade-err-leverage = Leverage { $value } is not allowed: use a whole number from 1 to { $max }, like x3.
trade-err-too-many-targets = At most { $max } take-profit levels are allowed.
trade-err-unexpected = I did not understand “{ $value }” here.
trade-err-unknown-symbol = I do not know the symbol { $symbol }. Try a pair such as BTC/USDT.
trade-err-unknown-symbol-suggest = I do not know the symbol { $symbol }. Did you mean: { $suggestions }?
trade-err-no-price = I cannot get a price for { $symbol } right now. Please try again later.
trade-err-stale = The price of { $symbol } is out of date, so I will not fill an order at it. Please try again later.
trade-err-no-deposit = Set your deposit first, for example <code>/deposit 1000</code>.
trade-err-qty-zero = The amount is too small to buy even the smallest quantity of this market.
trade-err-min-notional = The position would be worth { $notional }, below the market minimum of { $min }.
trade-err-stop-side = The stop { $stop } is on the wrong side for a { $side } entered at { $entry }: a long needs a stop below the entry, a short above it.
trade-err-tp-side = The target { $tp } is on the wrong side for a { $side } entered at { $entry }.
trade-err-tp-order = Targets must be different and ordered from the nearest to the farthest.
trade-err-insufficient = Not enough free balance: this position needs { $need } (margin and fee), you have { $free } free.
trade-err-refused = The risk rules refused this trade.
trade-err-duplicate = This request was already used for another trade.
trade-err-signal-not-found = Signal #{ $id } is no longer available for paper trading.
trade-err-size-no-deposit = Set your deposit first to size a position, for example <code>/deposit 1000</code>.
trade-err-size-too-small = At your risk settings the position would be below the market minimum.
trade-err-closed = Position #{ $id } is already closed.
trade-err-breakeven-already = The stop of #{ $id } is already at or beyond the entry.
trade-err-breakeven-price = #{ $id } is not in profit (price { $price }), so the stop cannot move to the entry.

trade-opened-title = ✅ <b>Paper position #{ $id } opened</b>
trade-duplicate-title = ℹ️ This order was already executed as position #{ $id }; nothing new was opened.
trade-opened =
    { $symbol } · { $side } · x{ $leverage } ({ $kind })
    Entry: <b>{ $entry }</b> · Quantity: { $qty }
    Value: { $notional } · Margin: { $margin } · Fee: { $fee }
trade-liquidation = Liquidation price: { $price }
trade-stop = Stop: { $price }
trade-no-stop = Stop: none
trade-targets = Targets: { $targets } (close { $shares }%)
trade-risk = Risk at the stop: { $risk } ({ $pct }% of the balance)
trade-levels-user = Levels: yours.
trade-levels-signal = Levels: from the current signal.
trade-levels-atr = Levels: ATR defaults (stop 1.5 ATR, targets 1R/2R/3R).
trade-levels-user-stop = Levels: your stop; targets 1R/2R/3R of it.
trade-levels-user-targets-signal = Levels: your targets; the stop from the current signal.
trade-levels-user-targets-atr = Levels: your targets; the stop at 1.5 ATR.
trade-levels-none = Levels: none (no stop; I could not compute defaults).
trade-balance = Balance: { $balance } · Free: { $free }

## Paper trade button on a signal

paper-confirm =
    <b>Paper trade from signal #{ $signal }?</b>
    { $symbol } · { $side } · x{ $leverage }
    About { $qty } at ≈{ $price } (margin { $margin })
    Stop: { $stop } · Targets: { $targets }
    Risk at the stop: { $risk }
paper-confirm-yes = ✅ Open
paper-confirm-no = ✖️ Cancel
paper-cancelled = Cancelled; nothing was opened.
paper-opening = Opening…

## /close

close-usage = Send <code>/close SYMBOL</code>, <code>/close ID [PRICE]</code> or <code>/close all</code>. With a PRICE the exit is recorded at that price and marked manual.
close-err-none = You have no open paper positions.
close-err-not-found = No open position matches { $target }.
close-err-price-range = { $price } is outside the range { $symbol } traded in while #{ $id } was open ({ $low } – { $high }), so I cannot record an exit there; nothing was changed. Send <code>/close { $id }</code> without a price to close at the market.
close-err-price-unverified = I cannot read the prices of { $symbol } right now to check that exit price; nothing was changed. Please try again later.
close-done = ✔️ Closed #{ $id } { $symbol } { $side }: { $qty } at { $price }{ $manual } · PnL { $pnl } · fees { $fees } · net { $net }
close-manual = { " " }(manual price)
close-already = #{ $id } was already closed.
close-balance = Balance: { $balance }

## /portfolio

portfolio-title = <b>Open paper positions</b>
portfolio-empty = No open paper positions.
portfolio-position =
    <b>#{ $id } { $symbol } { $side }</b> x{ $leverage } · qty { $qty }
    Entry { $entry } · Now { $mark } · PnL { $upnl }
    Margin { $margin } · Stop { $stop } · Targets { $targets }
portfolio-no-mark = n/a
portfolio-totals =
    Balance: { $balance } · Unrealized: { $unrealized }
    Equity: <b>{ $equity }</b> · Margin used: { $margin } · Free: { $free }
portfolio-btn-close = Close #{ $id }
portfolio-btn-breakeven = Stop → entry #{ $id }
portfolio-breakeven-done = The stop of #{ $id } is now at the entry, { $price }.

## notices from the position monitor

fill-tp = 🎯 <b>#{ $id } { $symbol } { $side }: TP{ $n } filled</b> · { $qty } at { $price } · PnL { $pnl }
fill-tp-breakeven = The stop moved to the entry ({ $price }).
fill-stop = 🛑 <b>#{ $id } { $symbol } { $side }: stop filled</b> · { $qty } at { $price } · PnL { $pnl }
fill-breakeven = ⚖️ <b>#{ $id } { $symbol } { $side }: closed at breakeven</b> · { $qty } at { $price } · PnL { $pnl }
fill-liquidation = 💥 <b>#{ $id } { $symbol } { $side }: liquidated</b> · { $qty } at { $price } · PnL { $pnl }
fill-close = ✔️ <b>#{ $id } { $symbol } { $side }: closed</b> · { $qty } at { $price } · PnL { $pnl }
fill-position-closed = Position closed · net result { $net } · balance { $balance }
