"""Signal messages in the user's language: the card, the fallback explanation, the
facts handed to the AI and the chart's labels.

Lives in services (not handlers) because scheduled deliveries render the same card
as /signal. Every word comes from `locales/*/signals.ftl`; reason codes map to
`signal-reason-<code>` with their parameters formatted here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from types import SimpleNamespace
from typing import Any

from services.i18n import Translator
from services.market.labels import data_label
from services.signals.dto import SignalDTO, SignalView

DASH = "—"


def fmt_number(value: Any, digits: int = 5) -> str:
    """About `digits` significant digits with thousands separators: 27,150.5 / 0.00012345."""
    if value is None:
        return DASH
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    number = Decimal(str(value))
    if not number.is_finite():
        return DASH
    if number == 0:
        return "0"
    places = max(0, digits - 1 - number.adjusted())
    return f"{number:,.{min(places, 10)}f}".rstrip("0").rstrip(".") if places else f"{number:,.0f}"


def fmt_price(value: Any) -> str:
    """A price as the trading messages show it: two decimals from 1,000 up (60,194.95,
    as on the Paper trade confirm), about six significant digits below (0.00012345)."""
    if value is None:
        return DASH
    number = Decimal(str(value))
    if not number.is_finite():
        return DASH
    return fmt_number(number, max(6, number.adjusted() + 3))


def fmt_money(value: Any, currency: str) -> str:
    """An amount of money: two decimals, grouped ("1,000.00 USDT"); a dash if unknown."""
    if value is None:
        return DASH
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{amount if amount != 0 else Decimal('0.00'):,.2f} {currency}"


def fmt_pct(part: Decimal, whole: Decimal) -> str:
    pct = (part / whole * 100) if whole else Decimal(0)
    sign = "+" if pct > 0 else "−" if pct < 0 else ""
    return f"{sign}{abs(pct):.2f}%"


def fmt_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def _reason_param(value: Any) -> Any:
    """Whole numbers go to Fluent as numbers, so counts pick their plural form ("21
    свеча", "25 свечей") and are grouped by the catalog's NUMBER_LOCALE; fractions are
    rounded to four significant digits here (they never select a plural)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
        if number.is_finite() and number == number.to_integral_value():
            return int(number)
    return fmt_number(value, 4)


def reason_text(i18n: Translator, reason: Mapping[str, Any]) -> str:
    code = str(reason.get("code", ""))
    params = {
        k: (i18n(f"signal-kind-{v}") if k == "kind" else _reason_param(v))
        for k, v in dict(reason.get("params") or {}).items()
    }
    key = f"signal-reason-{code}"
    if not i18n.catalog.has(key, i18n.locale):
        return i18n("signal-reason-unknown", code=code)
    return i18n(key, **params)


def component_line(i18n: Translator, component: Mapping[str, Any]) -> str:
    """One card line (HTML: reason texts such as "price < EMA 21" are escaped)."""
    reasons = "; ".join(escape(reason_text(i18n, r)) for r in component.get("reasons", []))
    return i18n(
        "signal-component",
        name=i18n(f"signal-component-{component['name']}"),
        score=f"{float(component['score']):+.2f}",
        reasons=reasons or DASH,
    )


def mtf_text(i18n: Translator, mtf: Mapping[str, Any]) -> tuple[str, str]:
    arrows = {1: "↑", -1: "↓", 0: "→", None: "?"}
    trends = ", ".join(
        f"{tf} {arrows.get(v, '?')}" for tf, v in dict(mtf.get("trends") or {}).items()
    )
    return i18n(f"signal-mtf-{mtf.get('status', 'unavailable')}"), f"({trends})" if trends else ""


def _levels(i18n: Translator, s: SignalDTO) -> list[str]:
    assert s.entry is not None and s.stop is not None
    lines = [
        i18n("signal-entry", price=fmt_price(s.entry)),
        i18n("signal-stop", price=fmt_price(s.stop), pct=fmt_pct(s.stop - s.entry, s.entry)),
    ]
    shares = (s.levels or {}).get("split") or [0.5, 0.3, 0.2]
    for n, (tp, share) in enumerate(zip((s.tp1, s.tp2, s.tp3), shares, strict=False), start=1):
        if tp is not None:
            lines.append(
                i18n(
                    "signal-tp",
                    n=n,
                    price=fmt_price(tp),
                    pct=fmt_pct(tp - s.entry, s.entry),
                    share=round(float(share) * 100),
                )
            )
    if s.rr is not None:
        lines.append(i18n("signal-rr", rr=f"{s.rr:.2f}"))
    return lines


def _size(
    i18n: Translator, view: SignalView, deposit: Decimal | None, risk_pct: Decimal
) -> list[str]:
    s, size = view.signal, view.size
    quote = s.symbol.split("/")[-1].split(":")[0]
    if view.size_note == "no_deposit":
        return [i18n("signal-size-no-deposit")]
    if view.size_note == "blocked":
        reason = i18n("signal-blocked-generic")
        if view.blocked is not None and i18n.catalog.has(view.blocked.key, i18n.locale):
            reason = i18n(view.blocked.key, **dict(view.blocked.params))
        return [i18n("signal-size-blocked", reason=reason)]
    if size is None:
        return []
    if view.size_note == "too_small":
        return [
            i18n(
                "signal-size-too-small",
                notional=fmt_money(size.notional, quote),
                minimum=fmt_money(size.min_notional, quote),
            )
        ]
    common = {
        "qty": fmt_number(size.qty, 6),
        "base": s.symbol.split("/")[0],
        "notional": fmt_money(size.notional, quote),
        "risk": fmt_money(size.risk_amount, quote),
        "risk_pct": fmt_number(risk_pct),
        "deposit": fmt_money(deposit, quote),
    }
    if size.capped_by and size.capped_by != "risk" and deposit:
        # A cap (position share, leverage) made the position smaller than the risk
        # setting asks for: the line names the cap and shows the risk actually taken,
        # never "risking 2.57 (1% of 1,000)".
        actual = size.risk_amount / deposit * 100
        return [
            i18n(
                "signal-size-limited",
                cap=i18n(f"signal-cap-{size.capped_by}"),
                actual_pct=fmt_number(actual, 2),
                target=fmt_money(deposit * risk_pct / 100, quote),
                **common,
            )
        ]
    return [i18n("signal-size", **common)]


def render_signal(
    view: SignalView,
    i18n: Translator,
    *,
    deposit: Decimal | None = None,
    risk_pct: Decimal = Decimal(1),
    pushed: bool = False,
) -> str:
    """The signal card (HTML). `pushed` adds the "new signal" title of deliveries."""
    s = view.signal
    direction = s.direction.lower()
    lines = [i18n("signal-push-title")] if pushed else []
    lines.append(i18n(f"signal-header-{direction}", symbol=s.symbol, timeframe=s.timeframe))
    label = data_label(
        SimpleNamespace(simulated=s.simulated, stale=view.stale, age_s=view.age_s, source=s.source),
        i18n,
    )
    if label:
        lines.append(label)
    lines.append(
        i18n(
            "signal-confidence",
            confidence=f"{s.confidence:.0f}",
            score=f"{s.score:+.2f}",
            preset=s.preset,
        )
    )
    if not s.issued and s.candidate_direction != "NEUTRAL":
        lines.append(i18n(f"signal-candidate-{s.candidate_direction.lower()}"))
    if s.issued:
        lines += ["", *_levels(i18n, s), *_size(i18n, view, deposit, risk_pct)]
    status, trends = mtf_text(i18n, s.mtf)
    lines += [
        "",
        i18n("signal-regime", regime=i18n(f"signal-regime-{s.regime}")),
        i18n("signal-mtf", status=status, trends=trends),
        i18n(
            "signal-fbd",
            score=f"{s.fbd_score:.2f}",
            threshold=fmt_number(s.fbd.get("threshold"), 3),
        ),
        "",
        i18n("signal-why"),
        *(component_line(i18n, c) for c in s.components),
    ]
    if s.rejections:
        lines += [i18n("signal-not-issued")]
        lines += [
            i18n("signal-rejection", reason=escape(reason_text(i18n, r))) for r in s.rejections
        ]
    lines.append("")
    lines.append(i18n("signal-bar", time=fmt_time(s.candle_close_ms), source=s.source))
    if s.issued and s.status != "active":
        lines.append(i18n("signal-status", status=i18n(f"signal-status-{s.status}")))
    lines.append(i18n("signal-disclaimer"))
    return "\n".join(lines)


def _ranked(s: SignalDTO) -> list[Mapping[str, Any]]:
    """Components by how much they pushed toward the signal's side (or the score's)."""
    side = s.side or (1 if s.score >= 0 else -1)
    return sorted(s.components, key=lambda c: -side * float(c["score"]) * float(c["weight"]))


def fallback_explanation(s: SignalDTO, i18n: Translator) -> str:
    """The deterministic explanation: strongest factor for, strongest against,
    context, levels and blockers, all from the stored reasons."""
    lines = [
        i18n(
            f"signal-explain-intro-{s.direction.lower()}",
            symbol=s.symbol,
            timeframe=s.timeframe,
            confidence=f"{s.confidence:.0f}",
            score=f"{s.score:+.2f}",
        )
    ]
    ranked = _ranked(s)
    side = s.side or (1 if s.score >= 0 else -1)
    if ranked and side * float(ranked[0]["score"]) > 0:
        top = ranked[0]
        lines.append(_factor(i18n, "signal-explain-for", top))
    if ranked and side * float(ranked[-1]["score"]) < 0:
        lines.append(_factor(i18n, "signal-explain-against", ranked[-1]))
    status, trends = mtf_text(i18n, s.mtf)
    lines.append(
        i18n(
            "signal-explain-context",
            regime=i18n(f"signal-regime-{s.regime}"),
            mtf=f"{status} {trends}".strip(),
        )
    )
    if s.issued and s.stop is not None:
        lines.append(
            i18n(
                "signal-explain-levels",
                stop=fmt_price(s.stop),
                tp1=fmt_price(s.tp1),
                tp2=fmt_price(s.tp2),
                tp3=fmt_price(s.tp3),
                rr=f"{s.rr:.2f}" if s.rr is not None else DASH,
            )
        )
    if s.rejections:
        reasons = "; ".join(reason_text(i18n, r) for r in s.rejections)
        lines.append(i18n("signal-explain-blockers", reasons=reasons))
    lines.append(i18n("signal-explain-hedge"))
    return " ".join(lines)


def _factor(i18n: Translator, key: str, component: Mapping[str, Any]) -> str:
    reasons = "; ".join(reason_text(i18n, r) for r in component.get("reasons", []))
    return i18n(key, component=i18n(f"signal-component-{component['name']}"), reasons=reasons)


def explain_facts(s: SignalDTO, i18n: Translator) -> dict[str, Any]:
    """Everything the AI may use, with reasons already in the user's language."""
    status, trends = mtf_text(i18n, s.mtf)
    return {
        "symbol": s.symbol,
        "timeframe": s.timeframe,
        "direction": s.direction,
        "confidence_pct": round(s.confidence, 1),
        "score": round(s.score, 3),
        "entry": fmt_price(s.entry) if s.entry is not None else None,
        "stop": fmt_price(s.stop) if s.stop is not None else None,
        "take_profits": [fmt_price(tp) for tp in (s.tp1, s.tp2, s.tp3) if tp is not None],
        "take_profit_split_pct": [50, 30, 20],
        "risk_reward": round(s.rr, 2) if s.rr is not None else None,
        "regime": i18n(f"signal-regime-{s.regime}"),
        "higher_timeframes": f"{status} {trends}".strip(),
        "false_breakout_score": round(s.fbd_score, 2),
        "components": [
            {
                "name": i18n(f"signal-component-{c['name']}"),
                "score": round(float(c["score"]), 2),
                "reasons": [reason_text(i18n, r) for r in c.get("reasons", [])],
            }
            for c in s.components
        ],
        "not_issued_because": [reason_text(i18n, r) for r in s.rejections],
        "simulated_data": s.simulated,
        "candle_closed_utc": fmt_time(s.candle_close_ms),
    }


def chart_labels(i18n: Translator) -> dict[str, str]:
    names = ("entry", "stop", "tp1", "tp2", "tp3", "volume")
    return {name: i18n(f"signal-chart-{name}") for name in names}
