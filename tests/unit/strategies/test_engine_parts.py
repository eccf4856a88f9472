"""The engine's parts on precomputed arrays: cooldown, levels, false-breakout detector,
regime, MTF alignment, configs and the registry."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_frames import HOUR, START, frame, uptrend

from core.market.timeframes import resample, timeframe_anchor, timeframe_ms
from core.strategies import (
    STRATEGIES,
    CompositeConfig,
    ScalperConfig,
    SignalFrame,
    Strategy,
    UnknownPreset,
    UnknownStrategy,
    apply_cooldown,
    config_for,
    cooldown_allows,
    cooldown_mask,
    filters,
    get_strategy,
    history,
    mtf,
)
from core.strategies.levels import compute_levels

FOUR_H = 4 * HOUR
DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "ohlcv"


# --- cooldown ----------------------------------------------------------------------------


def test_cooldown_allows_at_exactly_four_hours():
    assert cooldown_allows(None, 0, FOUR_H)
    assert not cooldown_allows(0, FOUR_H - 1, FOUR_H)
    assert cooldown_allows(0, FOUR_H, FOUR_H)


def test_cooldown_mask_is_per_direction_and_counts_only_issued_signals():
    hours = np.array([0, 1, 3, 4, 5, 6, 7, 9, 12], dtype=np.int64)
    direction = np.array([1, 1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int8)
    keep = cooldown_mask(hours * HOUR, direction, FOUR_H)
    # longs: 0 issued, 1 cooled, 4 issued (exactly 4 h), 6 cooled, 9 issued;
    # shorts: 3 issued, 5 cooled, 7 issued (exactly 4 h after 3), 12 issued.
    assert keep.tolist() == [True, False, True, True, False, False, True, True, True]


def test_suppressed_signals_do_not_extend_the_cooldown():
    hours = np.arange(0, 9, dtype=np.int64)  # a long on every hour
    keep = cooldown_mask(hours * HOUR, np.ones(9, dtype=np.int8), FOUR_H)
    assert np.flatnonzero(keep).tolist() == [0, 4, 8]


def test_apply_cooldown_clears_levels_of_dropped_signals():
    sf = SignalFrame.empty(3)
    sf.direction[:] = [1, 1, 0]
    sf.confidence[:] = [70.0, 80.0, 0.0]
    sf.stop[:2] = [9.0, 9.5]
    out = apply_cooldown(sf, np.array([0, HOUR, 2 * HOUR]), FOUR_H)
    assert out.direction.tolist() == [1, 0, 0]
    assert out.confidence.tolist() == [70.0, 0.0, 0.0]
    assert out.stop[0] == 9.0 and np.isnan(out.stop[1])
    assert sf.direction.tolist() == [1, 1, 0]  # the input is untouched


def test_history_applies_the_cooldown():
    df = pd.read_csv(DATA / "binance_BTC-USDT_1h.csv.gz").iloc[30_000:32_000]
    rows = history(df.reset_index(drop=True))
    assert rows
    for side in (1, -1):
        times = [r.time for r in rows if r.direction == side]
        assert all(b - a >= FOUR_H for a, b in itertools.pairwise(times))
    unlimited = history(df.reset_index(drop=True), config_for("composite", cooldown_hours=0))
    assert len(unlimited) > len(rows)


# --- levels ------------------------------------------------------------------------------


def test_levels_prefer_a_swing_at_a_sensible_distance():
    cfg = CompositeConfig()
    side = np.array([1, 1, -1, 0, 1], dtype=np.int8)
    close = np.full(5, 100.0)
    atr = np.array([2.0, 2.0, 2.0, 2.0, np.nan])
    swing_low = np.array([97.0, 90.0, np.nan, 97.0, 97.0])  # 1.6 ATR away; 5 ATR away
    swing_high = np.array([np.nan, np.nan, 102.6, np.nan, np.nan])  # 1.5 ATR incl. buffer
    lv = compute_levels(side, close, atr, swing_high, swing_low, cfg)
    # bar 0: swing stop 97 - 0.2*2 = 96.6 (1.7 ATR)
    assert lv.stop[0] == pytest.approx(96.6) and lv.swing_basis[0]
    # bar 1: swing too far -> ATR stop 100 - 1.5*2
    assert lv.stop[1] == pytest.approx(97.0) and not lv.swing_basis[1]
    # bar 2: short, swing high 102.6 + 0.4 = 103.0
    assert lv.stop[2] == pytest.approx(103.0) and lv.swing_basis[2]
    assert (lv.tp1[2], lv.tp2[2], lv.tp3[2]) == pytest.approx((97.0, 94.0, 91.0))
    # bars 3 (no side) and 4 (ATR unknown) have no levels
    assert np.isnan(lv.stop[3]) and np.isnan(lv.stop[4]) and np.isnan(lv.tp1[3])
    # R:R: targets 3/6/9 over risk 3.4 weighted 50/30/20
    assert lv.rr[0] == pytest.approx((0.5 * 3 + 0.3 * 6 + 0.2 * 9) / 3.4)
    assert lv.rr[1] == pytest.approx(1.7)
    assert lv.at(0, 100.0).stop_basis == "swing" and lv.at(3, 100.0) is None


# --- false breakout and regime --------------------------------------------------------------


def test_false_breakout_terms():
    # bars: a clean break up; thin volume, close back inside, long wick; a pierce
    # below that closes back inside on full volume
    high = np.array([106.0, 108.0, 101.0])
    low = np.array([100.0, 100.0, 93.0])
    open_ = np.array([100.5, 100.5, 100.5])
    close = np.array([105.8, 104.0, 96.0])
    level_up = np.full(3, 105.0)
    level_down = np.full(3, 95.0)
    ratio = np.array([2.0, 0.5, 1.3])
    attempt = filters.breakout_attempt(high, low, open_, close, level_up, level_down)
    assert attempt.tolist() == [1, 1, -1]
    score, vol, inside, wick = filters.false_breakout(
        attempt, high, low, open_, close, level_up, level_down, ratio,
        volume_accel=1.3, weights=(0.35, 0.40, 0.25),
    )  # fmt: skip
    assert vol.tolist() == [0.0, 1.0, 0.0]
    assert inside.tolist() == [0.0, 1.0, 1.0]
    assert wick == pytest.approx([0.2 / 6, 4.0 / 8, 3.0 / 8])
    assert score[0] < 0.5 <= score[1]
    assert score[2] == pytest.approx(0.40 + 0.25 * 3.0 / 8)  # inside, but volume held
    assert score[2] < 0.5
    assert score[1] == pytest.approx(0.35 + 0.40 + 0.25 * 0.5)


def test_regime_codes():
    adx = np.array([30.0, 30.0, 10.0, 30.0])
    plus = np.array([25.0, 10.0, 25.0, 25.0])
    minus = np.array([10.0, 25.0, 10.0, 10.0])
    rank = np.array([50.0, 50.0, 50.0, 95.0])
    codes = filters.regime(plus_di=plus, minus_di=minus, adx=adx, atr_pct_rank=rank,
                           adx_trend=25.0, high_vol_pct=90.0)  # fmt: skip
    assert codes.tolist() == [
        filters.TRENDING_UP,
        filters.TRENDING_DOWN,
        filters.RANGING,
        filters.HIGH_VOLATILITY,
    ]


# --- multi-timeframe -----------------------------------------------------------------------


def test_htf_bar_is_used_from_the_base_bar_that_completes_it():
    n = 24 * 40
    df = frame(uptrend(n))

    def trend_of(candles: pd.DataFrame) -> np.ndarray:
        ts = candles["timestamp"].to_numpy()
        return mtf.htf_trend(ts, candles["close"].to_numpy(), HOUR, "4h", 3, 5)

    trend = trend_of(df)
    # Turn the 4h bar [t0, t0+4h) bearish by crashing its last hour: only base bars
    # from that hour on may see it.
    k = 4 * 150 + 3  # last hour of a 4h bucket (START is a day boundary)
    assert (df["timestamp"].iloc[k] - START) % FOUR_H == 3 * HOUR
    crashed = df.copy()
    crashed.loc[k, ["close", "low"]] = crashed.loc[k, "close"] * 0.5
    after = trend_of(crashed)
    np.testing.assert_array_equal(after[:k], trend[:k])
    assert trend[k] == 1 and after[k] == -1


@pytest.mark.parametrize("timeframe", ["4h", "1d", "1w"])
def test_complete_closes_match_market_resample(timeframe):
    """The engine's close-only aggregation follows the market package's resample rule
    (complete bars only) on a real file with gaps."""
    df = pd.read_csv(DATA / "binance_BTC-USDT_1h.csv.gz").iloc[2_000:6_000]
    expected = resample(df, timeframe)
    step = timeframe_ms(timeframe)
    opened, closes = mtf.complete_closes(
        df["timestamp"].to_numpy(), df["close"].to_numpy(), HOUR, step,
        timeframe_anchor(timeframe),
    )  # fmt: skip
    np.testing.assert_array_equal(opened, expected["timestamp"].to_numpy())
    np.testing.assert_array_equal(closes, expected["close"].to_numpy())


def test_mtf_status_truth_table():
    trends = np.array([[1.0, 1.0, -1.0, np.nan, 1.0], [1.0, np.nan, 1.0, np.nan, 0.0]])
    side = np.array([1, 1, 1, 1, 1], dtype=np.int8)
    status = mtf.mtf_status(trends, side)
    assert [mtf.STATUS_NAMES[s] for s in status] == [
        "confirmed", "partial", "conflict", "unavailable", "partial",
    ]  # fmt: skip
    assert mtf.mtf_status(np.zeros((0, 2)), side[:2]).tolist() == [mtf.NOT_APPLICABLE] * 2
    factors = mtf.mtf_factor(status, partial=0.85, conflict=0.6)
    assert factors.tolist() == [1.0, 0.85, 0.6, 0.85, 0.85]


def test_only_higher_multiples_confirm():
    assert mtf.applicable_timeframes(("4h", "1d"), HOUR) == ("4h", "1d")
    assert mtf.applicable_timeframes(("4h", "1d"), FOUR_H) == ("1d",)
    assert mtf.applicable_timeframes(("4h", "1d"), 86_400_000) == ()


# --- configs and registry ------------------------------------------------------------------


def test_configs_validate_and_reject_unknown_parameters():
    assert config_for("composite", min_rr=2.0).min_rr == 2.0
    with pytest.raises(ValueError, match="unknown composite parameter"):
        config_for("composite", min_rrr=2.0)
    with pytest.raises(ValueError):
        CompositeConfig(ema_fast=60)  # fast must be below mid
    with pytest.raises(ValueError):
        ScalperConfig(tp_atr=(1.6, 0.8, 2.4))
    with pytest.raises(ValueError):
        ScalperConfig(max_open_positions=0)
    with pytest.raises(ValueError, match="invalid timeframe"):
        config_for("scalper", trend_timeframe="2x")
    with pytest.raises(UnknownPreset):
        config_for("nope")


def test_registry_builds_presets_and_lazy_strategies():
    assert set(STRATEGIES) == {"composite", "scalper", "ema_cross", "grid", "dca", "rebalance"}
    composite = get_strategy("composite", min_confidence=60.0)
    assert isinstance(composite, Strategy) and composite.name == "composite"
    assert composite.config.min_confidence == 60.0
    assert get_strategy("scalper").config == ScalperConfig()
    assert isinstance(get_strategy("ema_cross", fast=5, slow=20), Strategy)
    with pytest.raises(UnknownStrategy):
        get_strategy("martingale")
    with pytest.raises(ValueError):
        get_strategy("composite", bogus=1)
