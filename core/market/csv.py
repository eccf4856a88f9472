"""Reader and writer for the shared candle file format.

Gzip CSV with header `timestamp,open,high,low,close,volume` (open time, ms UTC),
named `EXCHANGE_BASE-QUOTE_TF.csv.gz` (see ../shared/data/ohlcv/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.market.frame import COLUMNS, normalize_frame
from core.market.timeframes import is_timeframe

_NAME_RE = re.compile(
    r"^(?P<exchange>[a-z0-9]+)_(?P<base>[A-Za-z0-9]+)-(?P<quote>[A-Za-z0-9]+)"
    r"(?:-(?P<settle>[A-Za-z0-9]+))?_(?P<tf>[0-9]+[mhdw])\.csv(?:\.gz)?$"
)


class CandleFileError(ValueError):
    """The file is not in the shared candle format."""


@dataclass(frozen=True, slots=True)
class CandleFileName:
    exchange: str
    symbol: str
    timeframe: str


def parse_file_name(path: str | Path) -> CandleFileName | None:
    """`binance_BTC-USDT_1h.csv.gz` -> (binance, BTC/USDT, 1h); perps carry a settle part
    (`binance_BTC-USDT-USDT_1h.csv.gz` -> BTC/USDT:USDT). None when the name does not fit."""
    match = _NAME_RE.match(Path(path).name)
    if match is None or not is_timeframe(match["tf"]):
        return None
    symbol = f"{match['base'].upper()}/{match['quote'].upper()}"
    if match["settle"]:
        symbol += f":{match['settle'].upper()}"
    return CandleFileName(match["exchange"], symbol, match["tf"])


def file_name_for(exchange: str, symbol: str, timeframe: str) -> str:
    pair, _, settle = symbol.partition(":")
    base, _, quote = pair.partition("/")
    middle = f"{base}-{quote}" + (f"-{settle}" if settle else "")
    return f"{exchange}_{middle}_{timeframe}.csv.gz"


def read_candles(path: str | Path) -> pd.DataFrame:
    """Read one candle file into the contract frame (float64 prices, int64 ms)."""
    try:
        frame = pd.read_csv(
            path,
            dtype={"timestamp": np.int64, **{c: np.float64 for c in COLUMNS[1:]}},
            engine="c",
        )
    except (ValueError, KeyError, pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise CandleFileError(f"{path}: {exc}") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise CandleFileError(f"{path}: missing columns {missing}")
    return normalize_frame(frame)


def read_candles_raw(path: str | Path) -> pd.DataFrame:
    """Read a candle file without sorting or de-duplicating, for quality checks."""
    try:
        frame = pd.read_csv(path)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise CandleFileError(f"{path}: {exc}") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise CandleFileError(f"{path}: missing columns {missing}")
    return frame.loc[:, list(COLUMNS)].reset_index(drop=True)


def write_candles(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a frame in the shared format; `repr` floats keep prices round-tripping."""
    frame.loc[:, list(COLUMNS)].to_csv(path, index=False, float_format=None)
