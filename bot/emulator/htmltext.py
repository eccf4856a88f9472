"""Telegram's HTML parse mode, as strict as the real server.

The emulator must refuse what Telegram refuses (an unknown tag, an unclosed tag, a
bare "<"), or a formatting bug would pass every test and fail in production.
Returns the plain text a user sees, which is also what Telegram's length limits
count.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji",
    }
)  # fmt: skip
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>"
)
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """Carries Telegram's own wording after "Bad Request: can't parse entities: "."""


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def html_to_plain(text: str) -> str:
    out: list[str] = []
    stack: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "<":
            match = _TAG.match(text, index)
            if match is None:
                raise EntityParseError(
                    f"Unsupported start tag at byte offset {_byte_offset(text, index)}"
                )
            closing, name = match.group(1), match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, index)}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise EntityParseError(
                        f"Unmatched end tag at byte offset {_byte_offset(text, index)}, "
                        f'expected "</{stack[-1] if stack else name}>", found "</{name}>"'
                    )
                stack.pop()
            else:
                if name == "a" and "href" not in match.group(3):
                    raise EntityParseError("Can't find href attribute of a tag")
                stack.append(name)
            index = match.end()
            continue
        if char == "&":
            match = _ENTITY.match(text, index)
            if match is not None:
                body = match.group(1)
                if body.startswith("#"):
                    out.append(html.unescape(match.group(0)))
                elif body in _NAMED:
                    out.append(_NAMED[body])
                else:
                    raise EntityParseError(
                        f'Unsupported HTML entity "{match.group(0)}" at byte offset '
                        f"{_byte_offset(text, index)}"
                    )
                index = match.end()
                continue
        out.append(char)
        index += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
