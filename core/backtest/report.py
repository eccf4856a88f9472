"""Report contents of one backtest: JSON rows, CSV tables, an equity PNG and HTML page.

Everything is returned as text or bytes; the caller decides where it goes (the CLI
writes a directory, the chat sends a photo and a document). The HTML page is
self-contained (inline SVG and a few lines of JavaScript, no CDN): servers running the
bot are often offline.
"""

from __future__ import annotations

import html
import io
import itertools
import json
import math
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from core.backtest.result import TRADE_COLUMNS, BacktestResult

# The issue-6 ``--json`` trade fields: the contract columns from entry_time to exit_reason.
JSON_TRADE_FIELDS = TRADE_COLUMNS[
    TRADE_COLUMNS.index("entry_time") : TRADE_COLUMNS.index("exit_reason") + 1
]
HTML_POINTS = 2000
PNG_POINTS = 4000  # min/max-preserving downsampling: a 1000-px chart needs no more


def iso(ms: Any) -> str | None:
    """Candle open time (ms) as ISO 8601 UTC; None for a missing time (open position)."""
    if ms is None or ms is pd.NA or (isinstance(ms, float) and math.isnan(ms)):
        return None
    return datetime.fromtimestamp(int(ms) / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def _num(x: Any) -> float | None:
    v = float(x)
    return None if math.isnan(v) else v


def trade_rows(result: BacktestResult) -> list[dict[str, Any]]:
    """The trades as JSON objects (issue 6 ``--json`` shape): ISO times, nulls if open."""
    rows = []
    for rec in result.trades.to_dict("records"):
        row: dict[str, Any] = {}
        for name in JSON_TRADE_FIELDS:
            value = rec[name]
            if name.endswith("_time"):
                row[name] = iso(value)
            elif name in ("side", "exit_reason"):
                row[name] = str(value)
            else:
                row[name] = _num(value)
        rows.append(row)
    return rows


CSV_DIGITS = 10  # significant digits of a float in a CSV file (the kernel keeps float64)


def _times_iso(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for col in columns:
        out[col] = [iso(v) for v in out[col]]
    return out


def _readable_floats(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns rounded to `CSV_DIGITS` significant digits, for reading only:
    ``3.8734294562326377`` is written ``3.873429456`` (the binary float's noise is not
    precision anyone can use), ``65000.1`` stays ``65000.1``. The result's own
    numbers are untouched; this is a copy for the file."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = [
                float(f"{v:.{CSV_DIGITS}g}") if math.isfinite(v) else v
                for v in out[col].to_numpy(np.float64)
            ]
    return out


def trades_csv(result: BacktestResult) -> str:
    frame = _times_iso(result.trades, ("entry_time", "exit_time"))
    return _readable_floats(frame).to_csv(index=False)


def blocked_csv(result: BacktestResult) -> str:
    return _readable_floats(_times_iso(result.blocked, ("time",))).to_csv(index=False)


def summary(result: BacktestResult, metrics: dict[str, Any]) -> dict[str, Any]:
    """What was run and what came out (summary.json)."""
    ts = result.timestamps
    return {
        "strategy": result.strategy,
        "params": result.params,
        "config": result.config,
        "start": iso(ts[0]) if len(ts) else None,
        "end": iso(ts[-1]) if len(ts) else None,
        "bars": len(ts),
        "initial_cash": result.initial_cash,
        "final_equity": result.final_equity,
        "fills": len(result.trades),
        "blocked_signals": len(result.blocked),
        "metrics": metrics,
    }


def to_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def _drawdown(equity: np.ndarray, initial: float) -> np.ndarray:
    peak = np.maximum(np.maximum.accumulate(equity), initial)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(peak > 0, equity / peak - 1.0, 0.0)


def equity_png(result: BacktestResult, title: str = "") -> bytes:
    """Equity and drawdown (matplotlib, Agg, no global pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    full_dd = _drawdown(result.equity, result.initial_cash)
    idx = np.union1d(_downsample(result.equity, PNG_POINTS), _downsample(full_dd, PNG_POINTS))
    times = pd.to_datetime(result.timestamps[idx], unit="ms", utc=True)
    fig = Figure(figsize=(10, 6), dpi=100)
    FigureCanvasAgg(fig)
    ax_eq, ax_dd = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax_eq.plot(times, result.equity[idx], color="#1f77b4", linewidth=1.0, label="equity")
    if len(result.close) and result.close[0] > 0:
        hold = result.initial_cash * result.close[idx] / result.close[0]
        ax_eq.plot(times, hold, color="#999999", linewidth=0.8, label="buy and hold")
    ax_eq.set_title(title or f"{result.strategy} equity")
    ax_eq.legend(loc="upper left")
    ax_eq.grid(alpha=0.3)
    ax_dd.fill_between(times, full_dd[idx] * 100, 0, color="#d62728")
    ax_dd.set_ylabel("drawdown %")
    ax_dd.grid(alpha=0.3)
    fig.autofmt_xdate()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _downsample(values: np.ndarray, points: int) -> np.ndarray:
    """Indices to draw: each bucket's lowest and highest bar, so spikes and dips survive."""
    n = len(values)
    if n <= points:
        return np.arange(n)
    edges = np.linspace(0, n, points // 2 + 1).astype(np.int64)
    keep = [0, n - 1]
    for a, b in itertools.pairwise(edges):
        if b > a:
            seg = values[a:b]
            keep += [a + int(np.argmin(seg)), a + int(np.argmax(seg))]
    return np.unique(np.asarray(keep, dtype=np.int64))


def equity_html(result: BacktestResult, title: str = "") -> str:
    """Interactive equity page: SVG curve with a hover read-out of time, equity, drawdown."""
    idx = _downsample(result.equity, HTML_POINTS)
    eq = result.equity[idx]
    dd = _drawdown(result.equity, result.initial_cash)[idx]
    data = {
        "t": [iso(x) for x in result.timestamps[idx]],
        "e": [round(float(x), 2) for x in eq],
        "d": [round(float(x) * 100, 2) for x in dd],
    }
    heading = html.escape(title or f"{result.strategy} equity")
    return _HTML.replace("__TITLE__", heading).replace("__DATA__", json.dumps(data))


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body{font:14px system-ui,sans-serif;margin:16px;color:#222}
svg{width:100%;height:420px;background:#fafafa;border:1px solid #ddd}
#info{height:20px;margin:6px 0}
</style></head><body>
<h3>__TITLE__</h3><div id="info"></div>
<svg id="c" viewBox="0 0 1000 420" preserveAspectRatio="none"></svg>
<script>
const D = __DATA__;
const svg = document.getElementById("c"), info = document.getElementById("info");
const n = D.e.length, W = 1000, H1 = 300, H2 = 100, G = 20;
const lo = Math.min(...D.e), hi = Math.max(...D.e), dmin = Math.min(...D.d, -0.01);
const x = i => n > 1 ? i * W / (n - 1) : 0;
const ye = v => H1 - (hi > lo ? (v - lo) / (hi - lo) : 0.5) * (H1 - 10) - 5;
const yd = v => H1 + G + (v / dmin) * H2;
const path = (f, arr) => arr.map((v, i) => (i ? "L" : "M") + x(i).toFixed(1) + " "
  + f(v).toFixed(1)).join("");
const ns = "http://www.w3.org/2000/svg";
function el(tag, attrs) {
  const e = document.createElementNS(ns, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  svg.appendChild(e); return e;
}
el("path", {d: path(ye, D.e), fill: "none", stroke: "#1f77b4", "stroke-width": 1.5,
  "vector-effect": "non-scaling-stroke"});
el("path", {d: path(yd, D.d) + "L" + W + " " + (H1 + G) + "L0 " + (H1 + G) + "Z",
  fill: "#d62728", opacity: 0.5});
const cursor = el("line", {y1: 0, y2: 420, stroke: "#555", "stroke-dasharray": "3 3",
  "vector-effect": "non-scaling-stroke"});
svg.addEventListener("mousemove", ev => {
  const r = svg.getBoundingClientRect();
  const i = Math.max(0, Math.min(n - 1, Math.round((ev.clientX - r.left) / r.width * (n - 1))));
  cursor.setAttribute("x1", x(i)); cursor.setAttribute("x2", x(i));
  info.textContent = D.t[i] + "  equity " + D.e[i].toLocaleString() + "  drawdown "
    + D.d[i] + "%";
});
</script></body></html>
"""
