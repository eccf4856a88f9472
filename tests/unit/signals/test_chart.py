"""The chart renderer on real candles: PNG size, levels drawn, gaps tolerated."""

from __future__ import annotations

import struct

import numpy as np
import pandas as pd
import pytest

from services.charts import ChartLevels, build_signal_figure, render_signal_chart

DATA = "../shared/data/ohlcv/binance_BTC-USDT_1h.csv.gz"
HOUR = 3_600_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_csv(DATA, nrows=400)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _level_lines(fig) -> dict[str, float]:
    ax = fig.axes[0]
    return {
        line.get_gid().removeprefix("level-"): line.get_ydata()[0]
        for line in ax.get_lines()
        if (line.get_gid() or "").startswith("level-")
    }


@pytest.mark.parametrize(
    ("direction", "levels"),
    [
        ("long", ChartLevels(entry=4300.0, stop=4200.0, tp1=4400.0, tp2=4500.0, tp3=4600.0)),
        ("short", ChartLevels(entry=4300.0, stop=4400.0, tp1=4200.0, tp2=4100.0, tp3=4000.0)),
        ("neutral", None),
    ],
)
def test_png_has_requested_size_and_levels(frame, direction, levels) -> None:
    kwargs = dict(timeframe_ms=HOUR, title=f"BTC/USDT 1h {direction}", levels=levels)
    png = render_signal_chart(frame, size_px=(900, 600), **kwargs)
    assert _png_size(png) == (900, 600)
    drawn = _level_lines(build_signal_figure(frame, **kwargs))
    expected = {n: v for n, v in levels.items()} if levels else {}
    assert drawn == pytest.approx(expected)


def test_emas_bands_and_volume_are_drawn(frame) -> None:
    fig = build_signal_figure(frame, timeframe_ms=HOUR, title="t", bars=100)
    ax, ax_vol = fig.axes
    labels = {line.get_label() for line in ax.get_lines()}
    assert {"EMA 21", "EMA 50", "EMA 200", "BB 20/2"} <= labels
    assert len(ax_vol.patches) == 100  # one volume bar per shown candle
    ema21 = next(line for line in ax.get_lines() if line.get_label() == "EMA 21")
    # EMA 21 is warm over the last 100 of 400 bars: no NaN is shown.
    assert np.isfinite(ema21.get_ydata()).all()


def test_frame_with_gaps_keeps_time_positions(frame) -> None:
    gappy = frame.drop(index=range(300, 320)).reset_index(drop=True)
    fig = build_signal_figure(gappy, timeframe_ms=HOUR, title="gap", bars=150)
    ax_vol = fig.axes[1]
    xs = sorted(p.get_x() + p.get_width() / 2 for p in ax_vol.patches)
    steps = np.diff(xs) * 24  # in hours
    assert steps.max() == pytest.approx(21.0)  # 20 missing candles leave a 21 h step
    assert _png_size(render_signal_chart(gappy, timeframe_ms=HOUR, title="gap"))[0] == 1200


def test_short_frame_and_footnote_render(frame) -> None:
    fig = build_signal_figure(
        frame.head(5), timeframe_ms=HOUR, title="tiny", footnote="SIMULATED DATA"
    )
    assert any(t.get_text() == "SIMULATED DATA" for t in fig.texts)
    assert _png_size(render_signal_chart(frame.head(5), timeframe_ms=HOUR, title="t"))


def test_empty_frame_is_rejected(frame) -> None:
    with pytest.raises(ValueError, match="empty"):
        build_signal_figure(frame.head(0), timeframe_ms=HOUR, title="t")
