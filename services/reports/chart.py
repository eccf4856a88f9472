"""Equity-curve PNG for digests (matplotlib object API with the Agg canvas: no pyplot
global state, safe in a worker thread). Every word on it comes from the caller."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime


def equity_png(times_ms: Sequence[int], equity: Sequence[float], title: str) -> bytes:
    """A step line of realized equity over time."""
    # Imported here: matplotlib costs start-up time and only digests draw charts.
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    when = [datetime.fromtimestamp(t / 1000, tz=UTC) for t in times_ms]
    ax.step(when, equity, where="post", color="#1f77b4", linewidth=1.6)
    if equity:
        ax.axhline(equity[0], color="#7f8c8d", linewidth=0.8, linestyle=":")
    ax.set_title(title, fontsize=11)
    ax.grid(True, alpha=0.3)
    locator = mdates.AutoDateLocator(tz=UTC)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=UTC))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
