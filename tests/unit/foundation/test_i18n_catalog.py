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
