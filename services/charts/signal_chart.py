"""Signal chart: candles, EMAs, Bollinger bands, entry/stop/TP lines and volume.

Built on the object-oriented matplotlib API (`Figure` + Agg canvas, never pyplot),
so charts can be rendered from worker threads without a display or global state.
Candles are placed by their timestamp, so missing candles show as gaps instead of
being silently squeezed together. Every word on the image comes from the caller
(already localized).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.indicators import bollinger, ema

if TYPE_CHECKING:  # matplotlib is imported on the first chart, not at bot start-up
    from matplotlib.figure import Figure

MS_PER_DAY = 86_400_000
EMA_COLORS = ("#f5a623", "#4a90e2", "#9b59b6", "#7f8c8d")
UP, DOWN = "#26a69a", "#ef5350"
LEVEL_STYLE = {
    "entry": ("#1f77b4", "-"),
    "stop": ("#d62728", "--"),
    "tp1": ("#2ca02c", ":"),
    "tp2": ("#2ca02c", "-."),
    "tp3": ("#2ca02c", "--"),
}


@dataclass(frozen=True)
class ChartLevels:
    entry: float | None = None
    stop: float | None = None
    tp1: float | None = None
    tp2: float | None = None
    tp3: float | None = None

    def items(self) -> list[tuple[str, float]]:
        pairs = [(name, getattr(self, name)) for name in LEVEL_STYLE]
        return [(n, float(v)) for n, v in pairs if v is not None and np.isfinite(v)]


def _x(timestamps_ms: np.ndarray) -> np.ndarray:
    """Matplotlib date numbers (days since 1970-01-01 UTC) for ms timestamps."""
    return timestamps_ms.astype(np.float64) / MS_PER_DAY


def build_signal_figure(
    frame: pd.DataFrame,
    *,
    timeframe_ms: int,
    title: str,
    levels: ChartLevels | None = None,
    level_labels: Mapping[str, str] | None = None,
    footnote: str | None = None,
    bars: int = 120,
    ema_periods: Sequence[int] = (21, 50, 200),
    size_px: tuple[int, int] = (1200, 800),
    dpi: int = 100,
) -> Figure:
    """The chart as a Figure (tests inspect it; `render_signal_chart` makes the PNG)."""
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if frame.empty:
        raise ValueError("cannot chart an empty frame")
    close_all = frame["close"].to_numpy(np.float64)
    emas = {p: ema(close_all, p) for p in ema_periods}
    upper, middle, lower = bollinger(close_all, 20, 2.0)
    view = slice(max(0, len(frame) - bars), len(frame))
    ts = frame["timestamp"].to_numpy(np.int64)[view]
    o, h, low_, c = (frame[k].to_numpy(np.float64)[view] for k in ("open", "high", "low", "close"))
    vol = frame["volume"].to_numpy(np.float64)[view]
    x = _x(ts)
    width = timeframe_ms / MS_PER_DAY * 0.7
    colors = np.where(c >= o, UP, DOWN)

    fig = Figure(figsize=(size_px[0] / dpi, size_px[1] / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    # The right margin holds the level labels, so they never cover candles.
    grid = fig.add_gridspec(4, 1, hspace=0.05, left=0.07, right=0.87, top=0.94, bottom=0.06)
    ax = fig.add_subplot(grid[:3, 0])
    ax_vol = fig.add_subplot(grid[3, 0], sharex=ax)

    ax.vlines(x, low_, h, colors=colors, linewidth=0.8, zorder=2)
    body_low = np.minimum(o, c)
    body_height = np.maximum(np.abs(c - o), (h - low_) * 0.01 + 1e-12)
    ax.bar(x, body_height, width, bottom=body_low, color=colors, zorder=3)
    ax.fill_between(x, lower[view], upper[view], color="#95a5a6", alpha=0.12, zorder=1)
    ax.plot(x, middle[view], color="#95a5a6", linewidth=0.8, label="BB 20/2")
    for color, (period, series) in zip(EMA_COLORS, emas.items(), strict=False):
        ax.plot(x, series[view], color=color, linewidth=1.1, label=f"EMA {period}")

    labels = dict(level_labels or {})
    for name, price in levels.items() if levels else []:
        color, style = LEVEL_STYLE[name]
        ax.axhline(price, color=color, linestyle=style, linewidth=1.2, gid=f"level-{name}")
        ax.annotate(
            f"{labels.get(name, name.upper())} {price:,.6g}",
            xy=(1.0, price),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            color=color,
        )

    ax_vol.bar(x, vol, width, color=colors, alpha=0.7)
    ax_vol.set_ylabel(labels.get("volume", "Volume"), fontsize=8)
    ax.set_title(title, fontsize=11, loc="left")
    ax.legend(loc="upper left", fontsize=7, ncols=len(ema_periods) + 1, framealpha=0.6)
    ax.grid(alpha=0.2)
    ax_vol.grid(alpha=0.2)
    pad = width * 2
    ax.set_xlim(x[0] - pad, x[-1] + pad)
    ax.tick_params(labelbottom=False)
    ax_vol.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M"))
    ax_vol.tick_params(labelsize=7)
    if footnote:
        fig.text(0.99, 0.005, footnote, ha="right", va="bottom", fontsize=9, color="#c0392b")
    return fig


def render_signal_chart(frame: pd.DataFrame, **kwargs: object) -> bytes:
    """PNG bytes of `build_signal_figure(frame, **kwargs)`; CPU-bound, run in a thread."""
    fig = build_signal_figure(frame, **kwargs)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()
