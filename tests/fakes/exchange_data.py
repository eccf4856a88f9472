"""The markets of the fake exchange and the Binance payloads built from their candles.

Pure data: what `tests.fakes.fake_exchange.FakeExchange` serves, apart from its routes
and fault injection, so the shapes ccxt parses (symbol filters, 24h tickers, order
books) can be read and changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.market.csv import read_candles

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_OHLCV = (REPO_ROOT / ".." / "shared" / "data" / "ohlcv").resolve()
DEFAULT_FILES = ("binance_BTC-USDT_1h.csv.gz", "binance_ETH-USDT_1h.csv.gz")


@lru_cache(maxsize=64)
def load_candles(path: str) -> pd.DataFrame:
    return read_candles(path)


@dataclass
class FakeMarket:
    symbol: str  # unified, e.g. BTC/USDT
    base: str
    quote: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    status: str = "TRADING"
    spread_pct: float = 0.02
    depth_quote: float = 2_000_000.0  # quote value within 1% of mid, per side

    @property
    def market_id(self) -> str:
        return self.base + self.quote


def symbol_info(m: FakeMarket, last: float | None, futures: bool) -> dict[str, Any]:
    """One `exchangeInfo` symbol: spot or USD-M perpetual, filters from the last price."""
    last = last or 1.0
    tick = tick_for(last)
    filters = [
        {"filterType": "PRICE_FILTER", "minPrice": f"{tick:g}", "maxPrice": "10000000",
         "tickSize": f"{tick:g}"},
        {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000000",
         "stepSize": "0.00001"},
        {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": True,
         "maxNotional": "9000000", "applyMaxToMarket": False, "avgPriceMins": 5},
    ]  # fmt: skip
    info: dict[str, Any] = {
        "symbol": m.market_id,
        "status": m.status,
        "baseAsset": m.base,
        "quoteAsset": m.quote,
        "baseAssetPrecision": 8,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "orderTypes": ["LIMIT", "MARKET"],
        "filters": filters,
    }
    if futures:
        info.update(
            {
                "pair": m.market_id,
                "contractType": "PERPETUAL",
                "deliveryDate": 4133404800000,
                "onboardDate": 1569398400000,
                "contractStatus": m.status,
                "marginAsset": m.quote,
                "pricePrecision": 2,
                "quantityPrecision": 3,
                "underlyingType": "COIN",
            }
        )
    else:
        info.update(
            {"isSpotTradingAllowed": True, "isMarginTradingAllowed": False,
             "permissions": [], "permissionSets": [["SPOT"]]}
        )  # fmt: skip
    return info


def ticker_payload(
    m: FakeMarket, frame: pd.DataFrame | None, now_ms: int, futures: bool
) -> dict[str, Any] | None:
    """A `ticker/24hr` row from the visible candles of the finest timeframe."""
    if frame is None or frame.empty:
        return None
    day = frame[frame["timestamp"] >= now_ms - 86_400_000]
    if day.empty:
        day = frame.iloc[-1:]
    last = float(frame["close"].iloc[-1])
    half = last * m.spread_pct / 200
    out: dict[str, Any] = {
        "symbol": m.market_id,
        "priceChange": repr(last - float(day["open"].iloc[0])),
        "priceChangePercent": "0",
        "weightedAvgPrice": repr(last),
        "lastPrice": repr(last),
        "lastQty": "1",
        "openPrice": repr(float(day["open"].iloc[0])),
        "highPrice": repr(float(day["high"].max())),
        "lowPrice": repr(float(day["low"].min())),
        "volume": repr(float(day["volume"].sum())),
        "quoteVolume": repr(float((day["volume"] * day["close"]).sum())),
        "openTime": now_ms - 86_400_000,
        "closeTime": now_ms,
        "firstId": 1,
        "lastId": 2,
        "count": 2,
    }
    if not futures:
        out.update(
            {"prevClosePrice": repr(last), "bidPrice": repr(last - half), "bidQty": "1",
             "askPrice": repr(last + half), "askQty": "1"}
        )  # fmt: skip
    return out


def depth_payload(m: FakeMarket, last: float, limit: int, now_ms: int) -> dict[str, Any]:
    """An order book around the last price holding `m.depth_quote` within 1% per side."""
    half = last * m.spread_pct / 200
    levels = min(limit, 40)
    # 20 levels inside 1% of mid on each side carry `depth_quote`; the rest lie beyond.
    step = last * 0.0005
    bids, asks = [], []
    for i in range(levels):
        inside = i < 20
        quote = m.depth_quote / 20 if inside else m.depth_quote / 5
        bid = last - half - (i if inside else 20 + i * 5) * step
        ask = last + half + (i if inside else 20 + i * 5) * step
        bids.append([repr(bid), repr(quote / bid)])
        asks.append([repr(ask), repr(quote / ask)])
    return {"lastUpdateId": 1, "E": now_ms, "T": now_ms, "bids": bids, "asks": asks}


def tick_for(price: float) -> float:
    """A realistic tick size: about 5-6 significant digits of the price."""
    exponent = int(np.floor(np.log10(max(price, 1e-8)))) - 5
    return float(10.0 ** max(exponent, -8))
