"""User symbol text to ccxt unified symbols (`BTC/USDT`, `BTC/USDT:USDT`).

Users type `btcusdt`, `BTC-USDT`, `btc/usdt`, `btc` or `BTCUSDT.P`; the bot speaks
ccxt's unified form. Resolution against the exchange's market list happens here as
pure functions, so the same rules serve the exchange, replay and sim providers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable

# Quote currencies tried, longest first, when splitting a compact `BTCUSDT`.
QUOTES: tuple[str, ...] = (
    "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "USDE", "DAI",
    "BTC", "ETH", "BNB", "EUR", "TRY", "BRL", "GBP", "JPY", "USD",
)  # fmt: skip
DEFAULT_QUOTE = "USDT"
MAX_LEN = 40

_PERP_SUFFIXES = (".P", "PERP", "-SWAP", "_PERP", "-PERP", " PERP")
_SEPARATORS = re.compile(r"[\s\-_./]+")
_ALNUM = re.compile(r"^[A-Z0-9]+$")


class UnknownSymbol(LookupError):
    """No market matches the text; `suggestions` are close known symbols."""

    def __init__(self, text: str, suggestions: list[str] | None = None) -> None:
        super().__init__(f"unknown symbol: {text!r}")
        self.text = text
        self.suggestions = list(suggestions or [])


def _split_perp(text: str) -> tuple[str, str | None]:
    """Strip a perpetual marker; returns (rest, settle or None)."""
    if ":" in text:
        pair, _, settle = text.partition(":")
        return pair, settle.strip() or None
    for suffix in _PERP_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)], ""
    return text, None


def compact(text: str) -> str:
    """`btc-usdt` -> `BTCUSDT`: the key both user text and market symbols reduce to."""
    pair, settle = _split_perp(text.strip().upper())
    key = _SEPARATORS.sub("", pair)
    return key + (":" + _SEPARATORS.sub("", settle) if settle else "")


def normalize_symbol_text(text: str, *, default_quote: str = DEFAULT_QUOTE) -> str:
    """Best unified guess for free text, without a market list.

    Raises `UnknownSymbol` for text that cannot be a symbol at all.
    """
    if not isinstance(text, str):
        raise UnknownSymbol(str(text))
    raw = text.strip().upper()
    if not raw or len(raw) > MAX_LEN:
        raise UnknownSymbol(text)
    pair, settle = _split_perp(raw)
    parts = [p for p in _SEPARATORS.split(pair) if p]
    if not parts or not all(_ALNUM.match(p) for p in parts):
        raise UnknownSymbol(text)
    if len(parts) == 2:
        base, quote = parts
    elif len(parts) == 1:
        base, quote = _split_compact(parts[0], default_quote)
    else:
        raise UnknownSymbol(text)
    if settle is not None and settle != "" and not _ALNUM.match(settle):
        raise UnknownSymbol(text)
    symbol = f"{base}/{quote}"
    if settle is not None:
        symbol += f":{settle or quote}"
    return symbol


def _split_compact(word: str, default_quote: str) -> tuple[str, str]:
    for quote in QUOTES:
        if word.endswith(quote) and len(word) > len(quote):
            return word[: -len(quote)], quote
    return word, default_quote


def resolve_symbol(text: str, known: Collection[str], *, default_quote: str = DEFAULT_QUOTE) -> str:
    """The known market symbol meant by `text`, or `UnknownSymbol` with suggestions.

    A compact key matches spot before perpetual unless the text marks a perp.
    """
    try:
        guess = normalize_symbol_text(text, default_quote=default_quote)
    except UnknownSymbol:
        raise UnknownSymbol(text, suggest(text, known)) from None
    if guess in known:
        return guess
    wants_perp = ":" in guess
    key = compact(guess).split(":")[0]
    same_pair = sorted(s for s in known if compact(s).split(":")[0] == key)
    spot = [s for s in same_pair if ":" not in s]
    perps = [s for s in same_pair if ":" in s]
    chosen = perps if wants_perp else (spot or perps)
    if chosen:
        return chosen[0]
    raise UnknownSymbol(text, suggest(text, known))


def suggest(text: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """Close known symbols for a mistyped one (`BTCUSTD` -> `BTC/USDT`)."""
    known = list(known)
    if not known or not isinstance(text, str):
        return []
    key = compact(text)[:MAX_LEN]
    if not key:
        return []
    by_key: dict[str, str] = {}
    for symbol in sorted(known, key=lambda s: (":" in s, s)):
        by_key.setdefault(compact(symbol), symbol)
    matches = difflib.get_close_matches(key, list(by_key), n=limit, cutoff=0.6)
    if len(matches) < limit and len(key) >= 3:
        # A bare or mangled base such as `SOLANA` or `ETHE` still deserves its pairs.
        prefix = key[:3]
        matches += [k for k in sorted(by_key) if k.startswith(prefix) and k not in matches]
    return [by_key[k] for k in matches[:limit]]
