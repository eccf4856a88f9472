"""Engine behaviour on small hand-made frames: breakout, fake-out, range, anomaly, MTF,
minimum R:R, the scalper's checklist and warm-up."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from engine_frames import HOUR, frame, replace_last, uptrend, wiggle

from core.strategies import LONG, NEUTRAL, SHORT, analyse, config_for, evaluate
from core.strategies.state import details

N = 800
QUARTER = HOUR // 4


def codes(details, component: str) -> list[str]:
    (comp,) = [c for c in details.components if c.name == component]
    return [r.code for r in comp.reasons]


def score_of(details, component: str) -> float:
    (comp,) = [c for c in details.components if c.name == component]
    return comp.score


def rejection_codes(details) -> list[str]:
    return [r.code for r in details.rejections]


@pytest.fixture(scope="module")
def breakout_frame() -> pd.DataFrame:
    """An uptrend, a 15-bar flag, then a close 3 points above it on 3× volume."""
    close = uptrend(N)
    close[-16:-1] = close[-16] + wiggle(15, 0.15, seed=3)
    close[-1] = close[-2] + 3.0
    volume = np.full(N, 100.0)
    volume[-1] = 300.0
    return frame(close, volume=volume)


def test_clean_breakout_with_volume_is_long_with_breakout_reasons(breakout_frame):
    d = evaluate(breakout_frame)
    assert d.direction == LONG and d.issued
    assert codes(d, "breakout") == ["breakout_up", "breakout_volume_confirmed"]
    assert score_of(d, "breakout") == pytest.approx(1.0)
    assert not d.false_breakout.rejected and d.false_breakout.attempt == 1
    assert d.mtf.confirmed and d.mtf.trends == {"4h": 1, "1d": 1}
    assert d.rejections == ()
    lv = d.levels
    assert lv is not None and lv.entry == breakout_frame["close"].iloc[-1]
    assert lv.stop < lv.entry < lv.tp1 < lv.tp2 < lv.tp3
    assert lv.split == (0.5, 0.3, 0.2)
    assert lv.rr >= config_for("composite").min_rr
    json.dumps(d.as_dict())  # the record's JSON columns take it as is


def test_breakout_without_volume_is_weaker(breakout_frame):
    quiet = replace_last(breakout_frame, volume=100.0)
    d = evaluate(quiet)
    assert "breakout_volume_weak" in codes(d, "breakout")
    assert 0 < score_of(d, "breakout") < score_of(evaluate(breakout_frame), "breakout")


def test_min_rr_rejects_the_same_breakout(breakout_frame):
    # ATR stop 1.5, targets 1.5/3/4.5 ATR -> split-weighted R:R 1.7.
    d = evaluate(breakout_frame)
    assert d.levels is not None and d.levels.rr == pytest.approx(1.7)
    strict = evaluate(breakout_frame, config_for("composite", min_rr=1.75))
    assert strict.candidate_direction == LONG and strict.direction == NEUTRAL
    (reason,) = strict.rejections
    assert reason.code == "min_rr"
    assert reason.params["rr"] == pytest.approx(1.7) and reason.params["minimum"] == 1.75


def test_fake_out_is_rejected_by_the_false_breakout_detector():
    """A spike through the flag's top on thin volume that closes back at the level."""
    close = uptrend(N)
    base = frame(close)
    before = evaluate(base.iloc[:-1])
    level = min(before.snapshot["range_high"], before.snapshot["bb_upper"])
    volume = np.full(N, 100.0)
    volume[-1] = 40.0
    fake = replace_last(
        frame(close, volume=volume),
        high=level + 3.0,
        close=level + 0.05,
        low=min(base["open"].iloc[-1], level) - 0.1,
    )
    d = evaluate(fake)
    fbd = d.false_breakout
    assert fbd.attempt == 1 and fbd.rejected and fbd.score >= fbd.threshold
    assert {r.code for r in fbd.reasons} == {"fbd_volume_missing", "fbd_long_wick"}
    assert codes(d, "breakout") == ["breakout_up", "breakout_rejected_false"]
    assert score_of(d, "breakout") == 0.0
    assert "false_breakout" in rejection_codes(d)
    assert d.direction != LONG
    # With the detector switched off the same bar counts as a bullish breakout.
    lenient = evaluate(fake, config_for("composite", fbd_threshold=1.0))
    assert score_of(lenient, "breakout") > 0
    assert lenient.score > d.score


def test_pierce_and_close_back_inside_range_is_flagged():
    close = uptrend(N)
    base = frame(close)
    before = evaluate(base.iloc[:-1])
    level = min(before.snapshot["range_high"], before.snapshot["bb_upper"])
    opened = base["open"].iloc[-1]
    fake = replace_last(base, high=level + 2.0, close=opened - 0.1, low=opened - 0.3, volume=60.0)
    d = evaluate(fake)
    fbd = d.false_breakout
    assert fbd.rejected
    assert "fbd_close_inside" in {r.code for r in fbd.reasons}
    # The breakout reason states the bar's real facts: the wick pierced, the close did not.
    assert codes(d, "breakout") == ["breakout_pierce_up", "breakout_rejected_false"]
    (comp,) = [c for c in d.components if c.name == "breakout"]
    params = comp.reasons[0].params
    assert params["close"] == pytest.approx(opened - 0.1)
    assert params["extreme"] == pytest.approx(level + 2.0)
    assert params["close"] <= params["level"] < params["extreme"]


def test_breakout_reasons_never_claim_a_close_beyond_the_level_it_did_not_pass():
    """Over real candles: every "broke above/below" names a close beyond its level and
    every "pierced" names a wick beyond it with the close back inside."""
    candles = pd.read_csv("../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz", nrows=4000)
    state = analyse(candles, config_for("composite"))
    seen: set[str] = set()
    for i in range(300, len(candles)):
        (comp,) = [c for c in details(state, i).components if c.name == "breakout"]
        reason = comp.reasons[0]
        p = reason.params
        seen.add(reason.code)
        if reason.code == "breakout_up":
            assert p["close"] > p["level"], (i, p)
        elif reason.code == "breakout_down":
            assert p["close"] < p["level"], (i, p)
        elif reason.code == "breakout_pierce_up":
            assert p["extreme"] > p["level"] >= p["close"], (i, p)
        elif reason.code == "breakout_pierce_down":
            assert p["extreme"] < p["level"] <= p["close"], (i, p)
    assert {"breakout_up", "breakout_down", "breakout_pierce_up"} <= seen


@pytest.fixture(scope="module")
def range_frame() -> pd.DataFrame:
    """Mean-reverting noise around 100 (AR(1), phi 0.7): no trend to follow."""
    rng = np.random.default_rng(11)
    x = np.zeros(N)
    for k in range(1, N):
        x[k] = 0.7 * x[k - 1] + 0.5 * rng.standard_normal()
    return frame(100.0 + x)


def test_range_is_neutral_and_scored_by_mean_reversion(range_frame):
    state = analyse(range_frame, config_for("composite"))
    warm = slice(300, None)
    assert (state.direction[warm] == NEUTRAL).mean() > 0.98
    assert (state.regime[warm] == 0).mean() > 0.6  # ranging
    ranging = state.regime == 0
    mr_w = state.component_weights["mean_reversion"][ranging]
    assert np.all(mr_w > state.component_weights["trend"][ranging])
    mr = state.component_scores["mean_reversion"][warm]
    pct_b = state.f["bb_pct_b"][warm]
    low, high = pct_b < 0.05, pct_b > 0.95
    assert low.sum() >= 5 and high.sum() >= 5
    assert np.all(mr[low] > 0) and np.all(mr[high] < 0)
    d = evaluate(range_frame)
    assert d.regime == "ranging" and d.direction == NEUTRAL


def test_oversold_bar_in_range_explains_itself(range_frame):
    state = analyse(range_frame, config_for("composite"))
    i = int(np.flatnonzero(state.f["bb_pct_b"] < 0)[-1])
    d = evaluate(range_frame.iloc[: i + 1])
    assert "bb_below_lower" in codes(d, "mean_reversion")
    assert score_of(d, "mean_reversion") > 0
    assert d.direction != SHORT


def test_spike_trips_the_anomaly_block():
    base = frame(uptrend(N))
    prev = base["close"].iloc[-2]
    spike = replace_last(base, high=prev * 1.25, close=prev * 1.2, volume=500.0)
    d = evaluate(spike)
    assert d.direction == NEUTRAL
    (reason,) = [r for r in d.rejections if r.code == "anomaly_atr"]
    assert reason.params["ratio"] > 3.0 and reason.params["mult"] == 3.0
    assert d.snapshot["atr"] > 3 * d.snapshot["atr_median"]
    # A tolerant setting lets the same bar through the block (proves it was the block).
    tolerant = evaluate(spike, config_for("composite", anomaly_atr_mult=50.0))
    assert "anomaly_atr" not in rejection_codes(tolerant)
    assert "anomaly_atr" not in rejection_codes(evaluate(base))


def test_mtf_conflict_lowers_confidence():
    """Months of decline on the daily trend, then a sharp 40-hour rally on 1h."""
    n = 900
    close = 200 - 0.1 * np.arange(n) + np.cumsum(wiggle(n, 0.2)) * 0.3
    close[-40:] = close[-41] + np.linspace(0.5, 14, 40)
    volume = np.full(n, 100.0)
    volume[-40:] = 180.0
    rally = frame(close, volume=volume)
    d = evaluate(rally)
    assert d.candidate_direction == LONG
    assert d.mtf.status == "conflict" and not d.mtf.confirmed
    assert d.mtf.trends["1d"] == -1
    alone = evaluate(rally, config_for("composite", confirm_timeframes=()))
    assert alone.mtf.status == "not_applicable"
    assert alone.score == d.score
    cfg = config_for("composite")
    assert d.confidence == pytest.approx(alone.confidence * cfg.mtf_conflict_factor)
    assert alone.direction == LONG and d.direction == NEUTRAL
    assert rejection_codes(d) == ["low_confidence"]


def test_short_frame_is_neutral_while_warming_up():
    d = evaluate(frame(uptrend(60)))
    assert d.direction == NEUTRAL and d.candidate_direction == NEUTRAL
    assert rejection_codes(d)[0] == "warming_up"
    assert all(c.reasons == () for c in d.components)
    assert all(v is None or np.isfinite(v) for v in d.snapshot.values())


def test_single_candle_takes_the_preset_timeframe():
    one = frame(uptrend(1))
    assert evaluate(one).timeframe_ms == HOUR
    d = evaluate(one, "scalper")
    assert d.timeframe_ms == QUARTER and d.direction == NEUTRAL


def test_empty_frame_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        evaluate(frame(uptrend(5)).iloc[:0])


# --- scalper -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scalper_frame() -> pd.DataFrame:
    """15m uptrend, a shallow 6-bar pullback, then an up bar on 2× volume."""
    n = 1200
    close = 100 + 0.03 * np.arange(n) + np.cumsum(wiggle(n, 0.12, seed=5)) * 0.3
    close[-7:-1] = close[-8] - np.linspace(0.05, 0.8, 6)
    close[-1] = close[-2] + 0.3
    volume = np.full(n, 100.0)
    volume[-1] = 200.0
    return frame(close, volume=volume, step=QUARTER)


def test_scalper_long_when_every_condition_holds(scalper_frame):
    d = evaluate(scalper_frame, "scalper")
    assert d.preset == "scalper" and d.timeframe_ms == QUARTER
    assert d.direction == LONG, d.as_dict()
    assert d.mtf.trends == {"1h": 1} and d.mtf.confirmed
    rsi = d.snapshot["rsi"]
    assert rsi < 60 and d.snapshot["macd"] > 0 and d.snapshot["volume_ratio"] >= 1.3
    lv, atr = d.levels, d.snapshot["atr"]
    assert lv is not None and lv.stop_basis == "atr"
    assert lv.entry - lv.stop == pytest.approx(1.2 * atr)
    assert lv.tp1 - lv.entry == pytest.approx(0.8 * atr)
    assert lv.tp2 - lv.entry == pytest.approx(1.6 * atr)
    cfg = config_for("scalper")
    assert cfg.breakeven_after_tp1 and cfg.max_open_positions == 3


def test_scalper_needs_volume(scalper_frame):
    d = evaluate(replace_last(scalper_frame, volume=100.0), "scalper")
    assert d.direction == NEUTRAL
    assert codes(d, "volume") == ["volume_low"]


def test_scalper_needs_rsi_room(scalper_frame):
    d = evaluate(scalper_frame, config_for("scalper", rsi_long_max=40.0, rsi_short_min=30.0))
    assert d.direction == NEUTRAL
    assert codes(d, "rsi") == ["rsi_above_limit"]
