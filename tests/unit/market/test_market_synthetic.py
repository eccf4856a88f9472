"""The synthetic market: deterministic, consistent across timeframes, varied regimes."""

from __future__ import annotations

from collections import Counter

import numpy as np

from core.market.quality import check_frame
from core.market.synthetic import SIM_SYMBOLS, regime, sim_frame
from core.market.timeframes import resample

DAY = 86_400_000
T0 = 1_700_006_400_000  # a UTC midnight


def test_same_seed_same_prices_other_seed_other_prices() -> None:
    a = sim_frame(7, "ETH/USDT", "1h", T0, T0 + 5 * DAY)
    b = sim_frame(7, "ETH/USDT", "1h", T0, T0 + 5 * DAY)
    c = sim_frame(8, "ETH/USDT", "1h", T0, T0 + 5 * DAY)
    assert a.equals(b)
    assert not np.allclose(a.close, c.close)


def test_timeframes_agree_and_frames_are_clean() -> None:
    hourly = sim_frame(7, "BTC/USDT", "1h", T0, T0 + 3 * DAY - 3_600_000)
    four = sim_frame(7, "BTC/USDT", "4h", T0, T0 + 3 * DAY - 4 * 3_600_000)
    assert len(hourly) == 72 and len(four) == 18
    assert check_frame(hourly, "1h").ok and check_frame(four, "4h").ok
    np.testing.assert_allclose(resample(hourly, "4h").to_numpy(), four.to_numpy())
    # A later request sees identical history (prices are a function of time).
    later = sim_frame(7, "BTC/USDT", "1h", T0 + DAY, T0 + 4 * DAY)
    np.testing.assert_allclose(later.iloc[:48].to_numpy(), hourly.iloc[24:].to_numpy())


def test_realistic_levels_volume_and_regimes() -> None:
    for symbol, asset in SIM_SYMBOLS.items():
        day = sim_frame(7, symbol, "1d", T0 - 60 * DAY, T0)
        assert 0.2 * asset.price < day.close.median() < 5 * asset.price
        quote = (day.volume * day.close).median()
        assert 0.3 * asset.quote_volume_24h < quote < 3 * asset.quote_volume_24h
        hourly = sim_frame(7, symbol, "1h", T0, T0 + 2 * DAY)
        assert hourly.volume.std() > 0.1 * hourly.volume.mean()  # noisy, like real volume
    seen = Counter(regime(7, "BTC/USDT", T0 - d * DAY) for d in range(720))
    assert set(seen) == {"trending", "ranging", "volatile"}
    assert min(seen.values()) > 30
