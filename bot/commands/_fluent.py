"""Fluent messages as plain terminal text, for CLI commands that report the same
refusals the chat shows (a signal without data, a trade the risk rules refused).

The chat renders a message id with its variables through the user's catalog; the
command line does the same through the English catalog (or another `lang`), then
drops the HTML markup Telegram would have rendered, so an operator never reads a
raw message id or a tuple of variables.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from services.i18n import Catalog

_TAG = re.compile(r"<[^>]+>")


def plain(key: str, params: Mapping[str, object] | None = None, *, lang: str = "en") -> str:
    """The message `key` with `params`, in `lang`, as one line of plain text."""
    from handlers.trade import format_params  # the chat's formatting of refusal variables

    translator = Catalog.load().translator(lang)
    marked = translator(key, **format_params(translator, params or {}))
    text = html.unescape(_TAG.sub("", marked))
    return " ".join(text.split())
