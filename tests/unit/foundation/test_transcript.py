"""Transcript rendering of `tradebot chat`: buttons, edits, photos saved to files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from bot.emulator import StoredFile
from bot.scripted import BotMessage, Button
from bot.transcript import Transcript, dump_json, render_entry


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "black").save(buffer, format="PNG")
    return buffer.getvalue()


def test_photo_is_saved_and_shown_with_its_size(tmp_path: Path) -> None:
    transcript = Transcript(files_dir=tmp_path / "files")
    photo = StoredFile("F1", _png(64, 48), "chart.png", "image/png", 64, 48)
    message = BotMessage(7, 1001, "BTC/USDT 1h\nsimulated", None, [[Button("Refresh", "r")]], photo)
    entry = transcript.add_bot(message)

    saved = Path(entry["photo"]["path"])
    assert saved == tmp_path / "files" / "1001-7.png" and saved.read_bytes() == photo.data
    assert render_entry(entry) == (
        f"bot> <photo {saved} 64x48>\n     BTC/USDT 1h\n     simulated\n     [Refresh]"
    )


def test_user_lines_edits_answers_and_json(tmp_path: Path) -> None:
    transcript = Transcript(files_dir=tmp_path)
    transcript.add_user("click:Leverage")
    transcript.add_note("answer", "Saved.")
    edited = BotMessage(
        3, 1, "Leverage", None, [[Button("x1", "a"), Button("x2", "b")]], edited=True
    )
    transcript.add_bot(edited)

    rendered = [render_entry(e) for e in transcript.entries]
    assert rendered == [
        "you> click:Leverage",
        "     (button answer: Saved.)",
        "bot (edited #3)> Leverage\n                 [x1] [x2]",
    ]
    data = json.loads(dump_json(transcript))
    assert data[2] == {
        "from": "bot",
        "message_id": 3,
        "text": "Leverage",
        "buttons": [["x1", "x2"]],
        "edited": True,
    }
