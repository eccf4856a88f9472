## Market data: /top, data labels, symbol errors.

cmd-top = Top coins by trend, volume and volatility
cmd-top-args = [N]

market-simulated-label = ⚠️ <b>Simulated market</b>: these are not real prices.
market-stale-label = ⚠️ Exchange unreachable: cached data, { $age } old.
market-stale-replay-label = ⚠️ Old data: this series ends { $age } before the replay clock. Nothing is traded on it.
market-fallback-notice = The exchange cannot be reached right now, so I am showing a simulated market. Everything based on it is marked as simulated; real data returns automatically.
market-unavailable = Market data is unavailable right now. Please try again in a minute.
market-unknown-symbol = I do not know the market { $symbol }.
market-unknown-symbol-suggest = I do not know the market { $symbol }. Did you mean { $suggestions }?

market-top-title = <b>Top { $count } of { $universe } liquid coins</b> · { $timeframe } candles, last { $days } days
market-top-line = { $rank }. <b>{ $symbol }</b> { $price } · { $reason }
market-top-reason = { $direction ->
        [up] uptrend { $change }
        [down] downtrend { $change }
       *[range] ranging { $change }
    }, trend strength { $strength }, volume { $volume }, volatility { $volatility }/day
market-top-footer = Score: trend strength 50 %, volume 30 %, volatility 20 %. Ideas, not financial advice.
market-top-working = Screening the market; the first ranking after a while can take a minute…
market-top-empty = No coin passes the liquidity filters right now (24h volume, spread, order-book depth).
market-top-bad-n = Usage: /top [N], where N is a whole number from 1 to { $max } (default 10).
