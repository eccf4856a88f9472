"""The chat's equity + drawdown chart: one PNG, labels in the user's language.

Rendered in the worker process (matplotlib Agg, object API, no pyplot state), from
the same downsampling and drawdown rules as the CLI's report
(`core.backtest.report`), so the two pictures agree.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.backtest.report import PNG_POINTS, _downsample, _drawdown

LABEL_KEYS = ("title", "equity", "hold", "drawdown", "simulated")


def equity_drawdown_png(result: Any, labels: Mapping[str, str]) -> bytes:
    """``result`` is BacktestResult-shaped (equity, timestamps, initial_cash, close)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    equity = np.asarray(result.equity, dtype=np.float64)
    full_dd = _drawdown(equity, float(result.initial_cash))
    idx = np.union1d(_downsample(equity, PNG_POINTS), _downsample(full_dd, PNG_POINTS))
    times = pd.to_datetime(np.asarray(result.timestamps)[idx], unit="ms", utc=True)
    fig = Figure(figsize=(10, 6), dpi=100)
    FigureCanvasAgg(fig)
    ax_eq, ax_dd = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax_eq.plot(times, equity[idx], color="#1f77b4", linewidth=1.2, label=labels["equity"])
    close = getattr(result, "close", None)
    if close is not None and len(close) and close[0] > 0:
        hold = float(result.initial_cash) * np.asarray(close)[idx] / close[0]
        ax_eq.plot(times, hold, color="#999999", linewidth=0.8, label=labels["hold"])
    ax_eq.set_title(labels["title"])
    ax_eq.legend(loc="upper left")
    ax_eq.grid(alpha=0.3)
    if labels.get("simulated"):
        ax_eq.text(
            0.99,
            0.97,
            labels["simulated"],
            transform=ax_eq.transAxes,
            ha="right",
            va="top",
            color="#d62728",
            fontsize=11,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "#d62728"},
        )
    ax_dd.fill_between(times, full_dd[idx] * 100, 0, color="#d62728")
    ax_dd.set_ylabel(labels["drawdown"])
    ax_dd.grid(alpha=0.3)
    fig.autofmt_xdate()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()
