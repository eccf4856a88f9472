"""The webhook route checks Telegram's secret token; `tradebot chat` prints a transcript."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.app import create_app
from bot.cli import main
from bot.emulator import Emulator
from bot.runners import webhook_application
from tests.e2e.harness import harness_settings


async def test_webhook_rejects_wrong_secret_and_handles_right_one(tmp_path: Path) -> None:
    emulator = await Emulator().start()
    settings = harness_settings(tmp_path, bot_token="555:webhook-test-token")
    app = await create_app(settings, api_url=emulator.base_url)
    await app.bot.get_me()  # the emulator learns the bot
    await emulator.user_message(77, "/help", first_name="Web")  # the chat exists
    runner = web.AppRunner(webhook_application(app, "s3cret", "/hook"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    update = {"update_id": 1, "message": emulator.store.updates[0]["message"]}
    try:
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}/hook"
            wrong = await http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            assert wrong.status == 401
            assert not any(m.from_bot for m in emulator.store.messages[77])

            right = await http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
            assert right.status == 200
            health = await http.get(f"http://127.0.0.1:{port}/healthz")
            assert (await health.json())["ok"] is True
        for _ in range(500):
            replies = [m for m in emulator.store.messages[77] if m.from_bot]
            if replies:
                break
            await asyncio.sleep(0.01)
        assert replies and replies[0].text.startswith("Commands")
    finally:
        await runner.cleanup()
        await app.shutdown()
        await emulator.stop()


def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "ADMIN_IDS", "TELEGRAM_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MARKET_DATA", "sim")
    monkeypatch.setenv("SCHEDULER_ENABLED", "false")


def test_chat_command_prints_transcript(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    code = main(["chat", "--fresh", "--lang", "ru", "/start", "/help", "/lang", "click:English"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("you> /start\nbot> Привет, Trader!")
    assert "[English] [Русский]" in out
    assert "you> /help\nbot> Команды\n" in out
    assert "(button answer: Language set to English.)" in out
    assert not (tmp_path / "data").exists()  # --fresh: nothing written to the configured DB


def test_chat_json_persists_state_and_reports_missing_button(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    assert main(["chat", "/lang", "click:Русский"]) == 0
    capsys.readouterr()
    code = main(["chat", "--json", "/help", "/lang", "click:nothing"])
    entries = json.loads(capsys.readouterr().out)
    assert code == 1
    assert entries[0] == {"from": "user", "text": "/help"}
    assert entries[1]["from"] == "bot" and entries[1]["text"].startswith("Команды")
    assert entries[-1]["from"] == "error" and "no button matching" in entries[-1]["text"]
    assert (tmp_path / "data" / "tradebot.db").exists()


def test_invalid_configuration_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tradebot: invalid configuration: LOG_FORMAT:")


def test_demo_reads_prompts_until_quit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    lines = iter(["/help", "", "click:Русский", "/quit", "never read"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert main(["demo", "--fresh"]) == 0
    out = capsys.readouterr().out
    assert "market data: sim" in out
    assert "bot> Hello, Trader!" in out  # the demo opens with /start
    assert "bot> Commands" in out
    assert "(button answer: Язык переключён на русский.)" in out
    assert next(lines) == "never read"
