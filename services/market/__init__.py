"""Market data: one interface (`base.MarketData`), exchange/replay/sim providers and
the sources hub that caches, rate-limits, retries and falls back (`hub.MarketHub`).
Build it with `factory.build_market_data(settings, db)`."""
