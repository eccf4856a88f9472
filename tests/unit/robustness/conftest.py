"""Shared candles for the robustness tests: the last 2000 BTC/USDT 1h bars."""

from __future__ import annotations

import pandas as pd
import pytest

BTC_1H = "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"


@pytest.fixture(scope="session")
def btc_1h() -> pd.DataFrame:
    return pd.read_csv(BTC_1H).iloc[-2000:].reset_index(drop=True)
