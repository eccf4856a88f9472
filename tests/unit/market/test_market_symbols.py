"""Symbol normalization: user text to ccxt unified symbols, and unknown-symbol errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.market.symbols import (
    UnknownSymbol,
    normalize_symbol_text,
    resolve_symbol,
    suggest,
)

KNOWN = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "ETH/BTC", "BTC/USDT:USDT", "DOGE/USDT"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("btcusdt", "BTC/USDT"),
        ("BTC-USDT", "BTC/USDT"),
        ("btc/usdt", "BTC/USDT"),
        ("  Btc_Usdt ", "BTC/USDT"),
        ("btc", "BTC/USDT"),
        ("ethbtc", "ETH/BTC"),
        ("BTCUSDT.P", "BTC/USDT:USDT"),
        ("btcusdt perp", "BTC/USDT:USDT"),
        ("BTC/USDT:USDT", "BTC/USDT:USDT"),
    ],
)
def test_resolves_user_spellings(text: str, expected: str) -> None:
    assert resolve_symbol(text, KNOWN) == expected


def test_perp_only_market_resolves_from_plain_text() -> None:
    assert resolve_symbol("xrpusdt", ["XRP/USDT:USDT"]) == "XRP/USDT:USDT"


def test_unknown_symbol_carries_close_matches() -> None:
    with pytest.raises(UnknownSymbol) as err:
        resolve_symbol("BTCUSTD", KNOWN)
    assert err.value.text == "BTCUSTD"
    assert err.value.suggestions[0] == "BTC/USDT"
    with pytest.raises(UnknownSymbol) as err:
        resolve_symbol("solana", KNOWN)
    assert err.value.suggestions == ["SOL/USDT"]
    assert suggest("zzzzzz", KNOWN) == []


def test_normalize_without_market_list() -> None:
    assert normalize_symbol_text("dogeusdt") == "DOGE/USDT"
    assert normalize_symbol_text("eth", default_quote="USDC") == "ETH/USDC"
    for junk in ("", "   ", "!!!", "BTC/USDT/ETH", "<b>", "x" * 60):
        with pytest.raises(UnknownSymbol):
            normalize_symbol_text(junk)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_junk_never_crashes_and_never_invents_a_market(text: str) -> None:
    """Any text either resolves to a known market or raises UnknownSymbol whose
    suggestions are all known markets."""
    try:
        result = resolve_symbol(text, KNOWN)
    except UnknownSymbol as exc:
        assert set(exc.suggestions) <= set(KNOWN)
        assert len(exc.suggestions) <= 3
    else:
        assert result in KNOWN


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(KNOWN),
    st.sampled_from(["", "/", "-", "_", " "]),
    st.booleans(),
)
def test_separator_and_case_variants_resolve_to_the_market(
    symbol: str, sep: str, lower: bool
) -> None:
    pair, _, settle = symbol.partition(":")
    base, quote = pair.split("/")
    text = f"{base}{sep}{quote}" + (f":{settle}" if settle else "")
    text = text.lower() if lower else text
    assert resolve_symbol(text, KNOWN) == symbol
    # Normalizing is idempotent.
    assert resolve_symbol(resolve_symbol(text, KNOWN), KNOWN) == symbol
