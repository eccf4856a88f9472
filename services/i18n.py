"""Fluent message catalogs, loaded straight from `locales/<lang>/*.ftl`.

No compile step: a newcomer edits an .ftl file and restarts. `Catalog` holds one
FluentBundle per language; `Translator` is the per-user view handlers receive as
`i18n` (`i18n.get("key", name=...)` or `i18n("key", ...)`). A key missing in the
user's language falls back to the default language, then to the key itself, and
is logged, so a missing string is visible but never crashes a handler.

Numbers read the same in every language: `8,759` and `10,000.00 USDT`, as
`handlers/render.py` writes money and prices (and as a trader sees them on an
exchange). Fluent would format an int variable by the user's locale (`8 759` in
Russian) next to an amount render.py already formatted, so numeric variables are
formatted with NUMBER_LOCALE's symbols, while plural categories still follow
the user's language (`{ $n -> [one] ... [few] ... *[many] ... }`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel import Locale
from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

import locales

log = logging.getLogger(__name__)

LOCALES_DIR = Path(locales.__file__).resolve().parent
NUMBER_LOCALE = Locale.parse("en")  # digit grouping and decimal point, all languages
# fluent.runtime refuses a placeable over 2,500 characters (its guard against
# expansion attacks through nested messages) and prints "{???}" instead; a text we
# pass in (a broadcast, a long list) is put in after formatting instead.
LONG_VARIABLE = 1000


class _Bundle(FluentBundle):
    """The language's plural rules, NUMBER_LOCALE's number symbols.

    fluent.runtime keeps one babel locale per bundle for both; the plural rule is
    taken from it at construction, numbers are formatted with it later, so it is
    replaced after construction (pinned by tests/unit/foundation/test_i18n_catalog.py).
    """

    def __init__(self, locales: list[str], **kwargs: Any) -> None:
        super().__init__(locales, **kwargs)
        self._babel_locale = NUMBER_LOCALE


class CatalogError(Exception):
    """An .ftl file that does not parse; raised at start-up, not at first use."""


def _variables(node: Any) -> set[str]:
    """Names of `{ $var }` references anywhere inside a message (value and attributes)."""
    found: set[str] = set()

    class Collector(Visitor):
        def visit_VariableReference(self, node: ast.VariableReference) -> None:
            found.add(node.id.name)
            self.generic_visit(node)

    Collector().visit(node)
    return found


class Catalog:
    def __init__(self, directory: Path = LOCALES_DIR, *, default_locale: str = "en") -> None:
        self.directory = directory
        self.default_locale = default_locale
        self._bundles: dict[str, FluentBundle] = {}
        self._messages: dict[str, dict[str, ast.Message]] = {}
        self._load()
        if default_locale not in self._bundles:
            raise CatalogError(f"no catalog for the default locale {default_locale!r}")

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR, *, default_locale: str = "en") -> Catalog:
        """A shared, immutable catalog; reloaded only when an .ftl file changes.
        (Tests and the scripted chat build many apps in one process.)"""
        stamp = tuple(
            (str(path), path.stat().st_mtime_ns) for path in sorted(directory.glob("*/*.ftl"))
        )
        key = (str(directory), default_locale, stamp)
        cached = _CACHE.get(key)
        if cached is None:
            cached = cls(directory, default_locale=default_locale)
            _CACHE.clear()
            _CACHE[key] = cached
        return cached

    @property
    def locales(self) -> tuple[str, ...]:
        """Available languages, default first."""
        rest = sorted(lang for lang in self._bundles if lang != self.default_locale)
        return (self.default_locale, *rest)

    def _load(self) -> None:
        parser = FluentParser(with_spans=False)
        for lang_dir in sorted(p for p in self.directory.iterdir() if p.is_dir()):
            files = sorted(lang_dir.glob("*.ftl"))
            if not files:
                continue
            bundle = _Bundle([lang_dir.name], use_isolating=False)
            messages: dict[str, ast.Message] = {}
            for path in files:
                text = path.read_text(encoding="utf-8")
                resource = parser.parse(text)
                for entry in resource.body:
                    if isinstance(entry, ast.Junk):
                        detail = entry.annotations[0].message if entry.annotations else "syntax"
                        raise CatalogError(f"{path}: {detail}: {entry.content.strip()[:60]!r}")
                    if isinstance(entry, ast.Message):
                        if entry.id.name in messages:
                            raise CatalogError(f"{path}: duplicate key {entry.id.name}")
                        messages[entry.id.name] = entry
                bundle.add_resource(resource)  # parsed once, above
            self._bundles[lang_dir.name] = bundle
            self._messages[lang_dir.name] = messages

    def keys(self, locale: str) -> set[str]:
        return set(self._messages.get(locale, {}))

    def variables(self, locale: str, key: str) -> set[str]:
        return _variables(self._messages[locale][key])

    def has(self, key: str, locale: str | None = None) -> bool:
        return key in self._messages.get(locale or self.default_locale, {})

    def format(self, locale: str, key: str, variables: dict[str, Any]) -> str:
        # Ids are names, not quantities: Fluent would group them ("#1,234").
        variables = {
            name: str(value) if _is_identifier(name, value) else value
            for name, value in variables.items()
        }
        long = {
            name: value
            for name, value in variables.items()
            if isinstance(value, str) and len(value) > LONG_VARIABLE
        }
        if not long:
            return self._format(locale, key, variables)
        marked = {**variables, **{name: f"\x00{name}\x00" for name in long}}
        text = self._format(locale, key, marked)
        for name, value in long.items():
            text = text.replace(f"\x00{name}\x00", value)
        return text

    def _format(self, locale: str, key: str, variables: dict[str, Any]) -> str:
        for lang in (locale, self.default_locale):
            bundle = self._bundles.get(lang)
            if bundle is None or not bundle.has_message(key):
                continue
            message = bundle.get_message(key)
            if message.value is None:
                break
            text, errors = bundle.format_pattern(message.value, variables)
            if errors:
                log.warning("i18n %s/%s: %s", lang, key, errors)
            if lang != locale:
                log.warning("i18n key %s missing in %s", key, locale)
            return text
        log.error("i18n key %s missing", key)
        return key

    def translator(self, locale: str | None) -> Translator:
        return Translator(self, locale if locale in self._bundles else self.default_locale)

    def all_translators(self) -> Iterable[Translator]:
        return [self.translator(lang) for lang in self.locales]


def _is_identifier(name: str, value: Any) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and (name == "id" or name.endswith("_id"))
    )


_CACHE: dict[tuple[object, ...], Catalog] = {}


class Translator:
    """One language's view of the catalog; what handlers receive as `i18n`."""

    __slots__ = ("catalog", "locale")

    def __init__(self, catalog: Catalog, locale: str) -> None:
        self.catalog = catalog
        self.locale = locale

    def get(self, key: str, /, **variables: Any) -> str:
        return self.catalog.format(self.locale, key, variables)

    __call__ = get

    def __repr__(self) -> str:
        return f"Translator({self.locale!r})"
