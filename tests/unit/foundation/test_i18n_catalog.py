"""Every Fluent key exists in every language with the same variables (all features)."""

from __future__ import annotations

import pytest

from services.i18n import LOCALES_DIR, Catalog, CatalogError


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(default_locale="en")


def test_both_languages_are_loaded(catalog: Catalog) -> None:
    assert set(catalog.locales) >= {"en", "ru"}
    feature_files = {p.name for p in (LOCALES_DIR / "en").glob("*.ftl")}
    assert "common.ftl" in feature_files
    assert feature_files == {p.name for p in (LOCALES_DIR / "ru").glob("*.ftl")}


def test_every_key_in_every_language(catalog: Catalog) -> None:
    reference = catalog.keys(catalog.default_locale)
    for locale in catalog.locales:
        keys = catalog.keys(locale)
        assert sorted(reference - keys) == [], f"missing in {locale}"
        assert sorted(keys - reference) == [], f"only in {locale}"


def test_same_variables_in_every_language(catalog: Catalog) -> None:
    mismatches = [
        (
            locale,
            key,
            catalog.variables(catalog.default_locale, key),
            catalog.variables(locale, key),
        )
        for locale in catalog.locales
        for key in catalog.keys(catalog.default_locale) & catalog.keys(locale)
        if catalog.variables(catalog.default_locale, key) != catalog.variables(locale, key)
    ]
    assert mismatches == []


def test_formatting_and_fallbacks(catalog: Catalog) -> None:
    ru, en = catalog.translator("ru"), catalog.translator("en")
    assert ru("error-internal", ref="ab12").count("ab12") == 1
    assert en.get("unknown-command", command="/x").startswith("I do not know the command /x")
    assert catalog.translator("xx").locale == "en"
    assert en("no-such-key") == "no-such-key"


def test_broken_catalog_fails_at_load(tmp_path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "x.ftl").write_text("good = fine\nbad = { $unclosed\n")
    with pytest.raises(CatalogError, match=r"x\.ftl"):
        Catalog(tmp_path, default_locale="en")


def test_numbers_read_alike_in_every_language_and_plurals_follow_the_language(
    tmp_path,
) -> None:
    messages = {
        "en": "n = { $n ->\n    [one] { $n } candle\n   *[other] { $n } candles\n}\n",
        "ru": "n = { $n ->\n    [one] { $n } свеча\n    [few] { $n } свечи\n"
        "   *[many] { $n } свечей\n}\n",
    }
    for lang, text in messages.items():
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "x.ftl").write_text(text, encoding="utf-8")
    catalog = Catalog(tmp_path, default_locale="en")
    en, ru = catalog.translator("en"), catalog.translator("ru")
    # grouping and decimal point as handlers/render.py writes money: "10,000.00 USDT"
    assert ru("n", n=8759) == "8,759 свечей" and en("n", n=8759) == "8,759 candles"
    assert en("n", n=1234.5) == "1,234.5 candles"
    assert [ru("n", n=k) for k in (1, 2, 5, 21, 111)] == [
        "1 свеча", "2 свечи", "5 свечей", "21 свеча", "111 свечей",
    ]  # fmt: skip
    assert [en("n", n=k) for k in (1, 2)] == ["1 candle", "2 candles"]


def test_a_long_text_variable_comes_through_whole(catalog: Catalog) -> None:
    text = "word " * 1000  # fluent.runtime alone prints "{???}" for a 2,500+ placeable
    preview = catalog.translator("ru")("admin-broadcast-preview", text=text, count=2, skipped=0)
    assert text in preview and "{???}" not in preview


def test_ids_are_not_grouped_like_quantities(catalog: Catalog) -> None:
    for lang in ("en", "ru"):
        title = catalog.translator(lang).get(
            "backtest-title", id=12345, symbol="BTC/USDT", timeframe="1h", strategy="composite"
        )
        assert "#12345" in title, title
