"""Turning a scripted conversation into a transcript (text or JSON).

Shared by `tradebot chat` and `tradebot demo`. Photos and documents the bot sends
are written to files so a person (or a script) can look at them.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.emulator import StoredFile
from bot.scripted import BotMessage, ChatDriver

CLICK_PREFIX = "click:"


@dataclass
class Transcript:
    files_dir: Path
    entries: list[dict[str, Any]] = field(default_factory=list)

    def _save(self, stored: StoredFile, message: BotMessage) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        suffix = (
            Path(stored.filename).suffix
            or mimetypes.guess_extension(stored.mime_type or "")
            or ".bin"
        )
        path = self.files_dir / f"{message.chat_id}-{message.message_id}{suffix}"
        path.write_bytes(stored.data)
        return path

    def add_user(self, text: str) -> dict[str, Any]:
        entry = {"from": "user", "text": text}
        self.entries.append(entry)
        return entry

    def add_bot(self, message: BotMessage) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "from": "bot",
            "message_id": message.message_id,
            "text": message.text,
            "buttons": [[button.label for button in row] for row in message.keyboard],
            "edited": message.edited,
        }
        if message.deleted:
            entry["deleted"] = True
        if message.photo is not None:
            path = self._save(message.photo, message)
            entry["photo"] = {
                "path": str(path),
                "width": message.photo.width,
                "height": message.photo.height,
            }
        if message.document is not None:
            path = self._save(message.document, message)
            entry["document"] = {"path": str(path), "name": message.document.filename}
        self.entries.append(entry)
        return entry

    def add_note(self, kind: str, text: str) -> dict[str, Any]:
        entry = {"from": kind, "text": text}
        self.entries.append(entry)
        return entry


def render_entry(entry: dict[str, Any]) -> str:
    """One entry as terminal text: `you>`/`bot>` prefixes, buttons as [label]."""
    if entry["from"] == "user":
        return f"you> {entry['text']}"
    if entry["from"] == "answer":
        return f"     (button answer: {entry['text']})"
    if entry["from"] == "error":
        return f"  !  {entry['text']}"
    head = "bot>" if not entry.get("edited") else f"bot (edited #{entry['message_id']})>"
    lines: list[str] = []
    if "photo" in entry:
        photo = entry["photo"]
        lines.append(f"<photo {photo['path']} {photo['width']}x{photo['height']}>")
    if "document" in entry:
        lines.append(f"<document {entry['document']['path']}>")
    if entry.get("deleted"):
        lines.append("<deleted>")
    if entry.get("text"):
        lines.extend(entry["text"].splitlines() or [""])
    for row in entry["buttons"]:
        lines.append(" ".join(f"[{label}]" for label in row))
    pad = " " * (len(head) + 1)
    return "\n".join(
        f"{head} {line}" if index == 0 else f"{pad}{line}".rstrip()
        for index, line in enumerate(lines)
    )


async def perform(driver: ChatDriver, step: str, transcript: Transcript) -> bool:
    """Run one MESSAGE (text, `click:LABEL` or `click:#N`); False if it could not."""
    start = len(transcript.entries)
    transcript.add_user(step)
    try:
        if step.startswith(CLICK_PREFIX):
            target = step[len(CLICK_PREFIX) :]
            if target.startswith("#") and target[1:].isdigit():
                replies = await driver.click(index=int(target[1:]))
            else:
                replies = await driver.click(target)
            if driver.last_answer is not None and driver.last_answer.text:
                transcript.add_note("answer", driver.last_answer.text)
        else:
            replies = await driver.send(step)
    except LookupError as error:
        transcript.add_note("error", str(error))
        return False
    for message in replies:
        transcript.add_bot(message)
    return len(transcript.entries) > start


def dump_json(transcript: Transcript) -> str:
    return json.dumps(transcript.entries, ensure_ascii=False, indent=2)
