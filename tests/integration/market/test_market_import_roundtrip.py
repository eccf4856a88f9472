"""Every shared candle file survives import into the cache and back, exactly."""

from __future__ import annotations

from pathlib import Path

from core.market.csv import parse_file_name, read_candles
from services.db.engine import Database
from services.db.migrate import upgrade
from services.market.importer import import_file, series_status
from services.market.store import CandleStore
from tests.integration.market.conftest import DATA

FILES = sorted(DATA.glob("*.csv.gz"))


def test_every_shared_file_is_present() -> None:
    assert len(FILES) == 21


async def test_import_round_trips_every_shared_file_exactly(db) -> None:
    store = CandleStore(db)
    for path in FILES:
        name = parse_file_name(path)
        assert name is not None
        result = await import_file(
            store, path, exchange=name.exchange, symbol=name.symbol, timeframe=name.timeframe
        )
        original = read_candles(path)
        assert result.inserted == len(original) and result.dropped == 0
        back = await store.load(name.exchange, name.symbol, name.timeframe)
        assert back.equals(original), path.name  # bit-exact floats, int64 stamps
    again = await import_file(
        store, FILES[0], exchange="binance", symbol=parse_file_name(FILES[0]).symbol,
        timeframe=parse_file_name(FILES[0]).timeframe,
    )  # fmt: skip
    assert again.inserted == 0  # re-importing never duplicates
    assert len(await store.all_series()) == 21


async def test_migrated_database_reports_readme_gaps(tmp_path: Path) -> None:
    """Through the real Alembic chain, as `tradebot data import` + `status` do."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}")
    try:
        await upgrade(db)
        store = CandleStore(db)
        await import_file(store, DATA / "binance_BTC-USDT_1h.csv.gz", exchange="binance",
                          symbol="BTC/USDT", timeframe="1h")  # fmt: skip
        info = await store.info("binance", "BTC/USDT", "1h")
        assert info is not None
        row = series_status(info, now_ms=info.last_ts + 3_600_000, stale_bars=2)
        assert row["rows"] == 58419 and row["gaps"] == 28 and row["missing"] == 128
        assert row["completeness_pct"] == 99.78 and row["stale"] is False
        assert row["gap_list"][2] == {"start": "2018-02-08 01:00", "start_ts": 1518051600000,
                                      "missing": 33}  # fmt: skip
    finally:
        await db.dispose()


async def test_import_drops_invalid_rows_and_reports_them(db, tmp_path: Path) -> None:
    frame = read_candles(DATA / "binance_ETH-USDT_4h.csv.gz").iloc[:20].copy()
    frame.loc[3, "close"] = float("nan")
    frame.loc[4, "high"] = 1.0  # high below open/close
    frame.loc[5, "timestamp"] += 60_000  # off the 4h grid
    path = tmp_path / "binance_ETH-USDT_4h.csv.gz"
    frame.to_csv(path, index=False)
    result = await import_file(CandleStore(db), path, exchange="binance", symbol="ETH/USDT",
                               timeframe="4h")  # fmt: skip
    assert (result.read, result.dropped, result.inserted) == (20, 3, 17)
    assert result.quality.issues() == {"nan": 1, "ohlc": 1, "misaligned": 1, "gaps": 1}
    assert result.series is not None and result.series.missing == 3
