"""Market-data cache speed: loading many series and importing a large file.

Run: .venv/bin/python bench/market_data.py [--repeat 3]

Targets (issue 3): loading 50 symbols x 3 timeframes x 1000 candles from the cache
well under a second; importing the 140,614-row BTC/USDT 5m file at >= 500k rows/s.

* load, ours: `CandleStore.load(limit=1000)` for 150 series, and the same through the
  hub's exchange path (`MarketHub.ohlcv`, a cache hit: coverage lookup + range read,
  no network). Reference: pandas `read_sql` per series on a plain sqlite3 connection.
* import, ours: `CandleStore.insert` of the whole file (driver-level executemany,
  ON CONFLICT DO NOTHING, coverage and gaps refreshed), and `import_file` end to end
  (CSV read, quality check, validation, insert). References: plain synchronous
  sqlite3 executemany into the same table (the floor on this machine), SQLAlchemy
  Core executemany of dicts on the whole file, and row-by-row ORM `session.add` on a
  5,000-row subset (extrapolated and labelled so).
Each figure is the best of `--repeat` runs on a fresh temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import Settings
from core.market.csv import read_candles
from services.db.base import Base
from services.db.engine import Database
from services.db.models.market import Candle, CandleSeries, SymbolListEntry
from services.market.base import ReplayClock
from services.market.factory import build_market_data
from services.market.importer import import_file
from services.market.store import CandleStore

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ohlcv"
BTC_5M = DATA / "binance_BTC-USDT_5m.csv.gz"
TABLES = [CandleSeries.__table__, Candle.__table__, SymbolListEntry.__table__]
SOURCES = {"5m": "binance_BTC-USDT_5m.csv.gz", "15m": "binance_ETH-USDT_15m.csv.gz",
           "1h": "binance_BTC-USDT_1h.csv.gz"}  # fmt: skip


async def fresh_db(folder: Path, name: str) -> Database:
    db = Database(f"sqlite+aiosqlite:///{folder / name}")
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda c: Base.metadata.create_all(c, tables=TABLES))
    return db


def best(times: list[float]) -> float:
    return min(times)


async def bench_load(folder: Path, repeat: int) -> None:
    db = await fresh_db(folder, "load.db")
    store = CandleStore(db)
    frames = {tf: read_candles(DATA / name) for tf, name in SOURCES.items()}
    symbols = [f"S{i:02d}/USDT" for i in range(50)]
    for i, symbol in enumerate(symbols):
        for tf, frame in frames.items():
            # 1200 candles per series, each symbol a different stretch of real data.
            await store.insert("binance", symbol, tf, frame.iloc[i * 500 : i * 500 + 1200])
    ends = {
        (s, tf): int(frames[tf].timestamp.iloc[i * 500 + 1199])
        for i, s in enumerate(symbols)
        for tf in frames
    }

    async def ours() -> int:
        rows = 0
        for symbol in symbols:
            for tf in frames:
                rows += len(await store.load("binance", symbol, tf, limit=1000))
        return rows

    settings = Settings(_env_file=None, market_data="exchange",
                        exchange_url_overrides={"binance": "http://127.0.0.1:9"})  # fmt: skip
    clock = ReplayClock(0)
    hub = build_market_data(settings, db, clock=clock)

    async def through_hub() -> int:
        rows = 0
        for symbol in symbols:
            for tf in frames:
                step = int(pd.Timedelta(tf).total_seconds() * 1000)
                clock.set(ends[(symbol, tf)] + step)
                result = await hub.ohlcv(symbol, tf, limit=1000)
                assert not result.stale
                rows += len(result.frame)
        return rows

    def reference() -> int:
        conn = sqlite3.connect(folder / "load.db")
        rows = 0
        ids = dict(conn.execute("SELECT symbol || ' ' || timeframe, id FROM candle_series"))
        for symbol in symbols:
            for tf in frames:
                df = pd.read_sql(
                    "SELECT ts AS timestamp, open, high, low, close, volume FROM candles "
                    "WHERE series_id = ? ORDER BY ts DESC LIMIT 1000",
                    conn, params=(ids[f"{symbol} {tf}"],),
                )  # fmt: skip
                rows += len(df.iloc[::-1])
        conn.close()
        return rows

    results = {}
    for label, fn in (("ours: CandleStore.load", ours), ("ours: MarketHub.ohlcv", through_hub)):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = await fn()
            times.append(time.perf_counter() - t0)
        results[label] = (best(times), rows)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = reference()
        times.append(time.perf_counter() - t0)
    results["reference: pandas read_sql"] = (best(times), rows)
    await hub.aclose()
    await db.dispose()

    print("load 50 symbols x 3 timeframes x 1000 candles from the cache")
    for label, (seconds, rows) in results.items():
        print(f"  {label:<30} {seconds * 1000:8.1f} ms  ({rows} rows)")
    ok = results["ours: MarketHub.ohlcv"][0] < 1.0
    print(f"  target < 1 s through the hub: {'met' if ok else 'NOT met'}")


async def bench_import(folder: Path, repeat: int) -> None:
    frame = read_candles(BTC_5M)
    n = len(frame)
    figures: dict[str, float] = {}

    times = []
    for k in range(repeat):
        db = await fresh_db(folder, f"ins{k}.db")
        t0 = time.perf_counter()
        inserted = await CandleStore(db).insert("binance", "BTC/USDT", "5m", frame)
        times.append(time.perf_counter() - t0)
        assert inserted == n
        await db.dispose()
    figures["ours: CandleStore.insert"] = n / best(times)

    times = []
    for k in range(repeat):
        db = await fresh_db(folder, f"imp{k}.db")
        t0 = time.perf_counter()
        result = await import_file(CandleStore(db), BTC_5M, exchange="binance",
                                   symbol="BTC/USDT", timeframe="5m")  # fmt: skip
        times.append(time.perf_counter() - t0)
        assert result.inserted == n
        await db.dispose()
    figures["ours: import_file (read+check)"] = n / best(times)

    # The floor: plain synchronous sqlite3 executemany of the same rows, same table.
    times = []
    for k in range(repeat):
        path = folder / f"raw{k}.db"
        db = await fresh_db(folder, path.name)
        await db.dispose()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        cols = [frame[c].to_numpy() for c in ("open", "high", "low", "close", "volume")]
        t0 = time.perf_counter()
        conn.executemany(
            "INSERT INTO candles VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            zip(frame.timestamp.tolist(), *(c.tolist() for c in cols), strict=True),
        )
        conn.commit()
        times.append(time.perf_counter() - t0)
        conn.close()
    figures["floor: sync sqlite3 executemany"] = n / best(times)

    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    db = await fresh_db(folder, "core.db")
    async with db.engine.begin() as conn:
        await conn.execute(
            CandleSeries.__table__.insert().values(
                id=1, exchange="binance", symbol="BTC/USDT", timeframe="5m", rows=0, missing=0,
                gaps_json="[]", updated_at=pd.Timestamp.now(tz="UTC").to_pydatetime(),
            )
        )  # fmt: skip
    dicts = [
        {"series_id": 1, "ts": int(r[0]), "open": r[1], "high": r[2], "low": r[3],
         "close": r[4], "volume": r[5]}
        for r in frame.itertuples(index=False, name=None)
    ]  # fmt: skip
    t0 = time.perf_counter()
    async with db.engine.begin() as conn:
        await conn.execute(sqlite_insert(Candle).on_conflict_do_nothing(), dicts)
    figures["reference: Core executemany(dicts)"] = n / (time.perf_counter() - t0)

    subset = dicts[:5000]
    t0 = time.perf_counter()
    async with db.session() as session:
        for d in subset:
            session.add(Candle(**{**d, "ts": d["ts"] + 10**13}))
    figures["reference: ORM row by row (5k, extrap.)"] = len(subset) / (time.perf_counter() - t0)
    await db.dispose()

    print(f"import BTC/USDT 5m ({n} rows)")
    for label, rate in figures.items():
        print(f"  {label:<40} {rate / 1000:8.0f} k rows/s  ({n / rate:6.2f} s for the file)")
    ours, floor = figures["ours: CandleStore.insert"], figures["floor: sync sqlite3 executemany"]
    ok = ours >= 500_000
    print(f"  target >= 500k rows/s for the insert: {'met' if ok else 'NOT met'}"
          f" (ours at {ours / floor:.0%} of this machine's sqlite3 floor right now)")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await bench_load(Path(tmp), args.repeat)
        await bench_import(Path(tmp), args.repeat)


if __name__ == "__main__":
    asyncio.run(main())
