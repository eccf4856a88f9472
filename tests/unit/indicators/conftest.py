from __future__ import annotations

import pandas as pd
import pytest
from indicator_cases import load


@pytest.fixture(scope="session")
def btc_1h() -> pd.DataFrame:
    """4,000 real BTC/USDT 1h candles from 2020 (the file has missing hours there)."""
    return load("binance_BTC-USDT_1h.csv.gz", 20_000, 4_000)


@pytest.fixture(scope="session")
def eth_15m() -> pd.DataFrame:
    """4,000 real ETH/USDT 15m candles from 2023."""
    return load("binance_ETH-USDT_15m.csv.gz", 10_000, 4_000)


@pytest.fixture(scope="session", params=["btc_1h", "eth_15m"])
def real(request: pytest.FixtureRequest) -> pd.DataFrame:
    return request.getfixturevalue(request.param)
