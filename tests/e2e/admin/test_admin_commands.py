"""Admin commands end to end: admins see them, everyone else gets the unknown-command
answer; each command's effect is checked in the database and the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.scripted import ChatDriver
from services.db.models.audit import AuditEntry
from tests.e2e.harness import ADMIN_ID, USER_ID

ADMIN_COMMANDS = ["/admin", "/users", "/user 1001", "/broadcast", "/blocklist", "/whitelist",
                  "/jobs", "/backup"]  # fmt: skip


def texts(replies: list[Any]) -> str:
    return "\n".join(r.text or "" for r in replies)


async def audit_events(chat: ChatDriver) -> list[tuple[str, str, str | None]]:
    assert chat.app is not None
    async with chat.app.services.db.sessions() as s:
        rows = await s.execute(select(AuditEntry.event, AuditEntry.actor, AuditEntry.subject))
        return [tuple(r) for r in rows]


@pytest.mark.parametrize("command", ADMIN_COMMANDS)
async def test_admin_commands_do_not_exist_for_others(chat: ChatDriver, command: str) -> None:
    unknown = texts(await chat.send("/nosuchcommand"))
    reply = texts(await chat.send(command))
    name = command.split()[0]
    assert reply == unknown.replace("/nosuchcommand", name)
    help_text = texts(await chat.send("/help"))
    assert name not in help_text.split() and "/status" in help_text


async def test_admin_health_and_status(chat: ChatDriver) -> None:
    await chat.send("/start")
    health = texts(await chat.send("/admin", user_id=ADMIN_ID))
    assert "Health: healthy" in health or "Health: needs attention" in health
    assert "Users: 2 · active 24h 2 · 7d 2 · blocked the bot 0" in health
    assert "Signals today: issued 0" in health and "Open paper positions: 0" in health
    assert "Market data: simulated" in health
    assert "admin-backup" in health and "No errors since start" in health
    again = texts(await chat.send("/admin", user_id=ADMIN_ID))
    assert "Telegram send p50 —" not in again  # the first reply's send was timed
    status = texts(await chat.send("/status"))
    assert "The bot is healthy" in status and "simulated" in status
    assert "(sim)" not in status + health and "Up for 0m " in status
    ru_status = texts(await chat.send("/status", user_id=3003, lang="ru"))
    assert "Рыночные данные: симуляция (не настоящие цены)\nРаботает 0 мин " in ru_status
    admin_help = texts(await chat.send("/help", user_id=ADMIN_ID))
    assert "/admin" in admin_help and "/broadcast [text] — " in admin_help


async def test_users_user_and_block_buttons(chat: ChatDriver) -> None:
    await chat.send("/start")
    await chat.send("/start", user_id=2002)
    listing = texts(await chat.send("/users", user_id=ADMIN_ID))
    assert "Users (3)" in listing and "1001" in listing and "2002" in listing
    found = texts(await chat.send("/users alex", user_id=ADMIN_ID))
    assert "1001" in found and "2002" not in found
    assert "No user matches" in texts(await chat.send("/users zzz%_", user_id=ADMIN_ID))
    assert "Usage: /user ID" in texts(await chat.send("/user abc", user_id=ADMIN_ID))
    assert "No user with id 77" in texts(await chat.send("/user 77", user_id=ADMIN_ID))

    card = await chat.send(f"/user {USER_ID}", user_id=ADMIN_ID)
    assert f"User {USER_ID}" in card[0].text and "No paper deposit yet" in card[0].text
    assert "Block" in card[0].buttons[0]
    await chat.click("Block", user_id=ADMIN_ID)
    assert chat.last_answer is not None and "is blocked" in (chat.last_answer.text or "")
    assert await chat.send("/start") == []  # a blocked user's updates are dropped
    edited = chat.latest_with_buttons(ADMIN_ID)
    assert "[blocked by admin]" in (edited.text or "") and "Unblock" in edited.buttons[0]
    await chat.click("Unblock", user_id=ADMIN_ID)
    assert texts(await chat.send("/start"))
    events = await audit_events(chat)
    assert ("user.block", f"admin:{ADMIN_ID}", f"user:{USER_ID}") in events
    assert ("user.unblock", f"admin:{ADMIN_ID}", f"user:{USER_ID}") in events


async def test_user_flag_buttons(chat: ChatDriver) -> None:
    assert chat.app is not None and chat.app.services.risk is not None  # the risk feature is built
    await chat.send("/start")
    await chat.send(f"/user {USER_ID}", user_id=ADMIN_ID)
    await chat.click("Set emergency_stop", user_id=ADMIN_ID)
    card = chat.latest_with_buttons(ADMIN_ID)
    assert "emergency_stop" in (card.text or "").split("Flags:")[1]
    assert any("Clear emergency_stop" in b for b in card.buttons)
    flags = await chat.app.services.risk.flags.active_for(USER_ID)
    assert [f.name for f in flags] == ["emergency_stop"]
    await chat.click("Clear emergency_stop", user_id=ADMIN_ID)
    assert await chat.app.services.risk.flags.active_for(USER_ID) == []
    events = await audit_events(chat)
    assert ("flag.set", f"admin:{ADMIN_ID}", f"user:{USER_ID}") in events
    assert ("flag.clear", f"admin:{ADMIN_ID}", f"user:{USER_ID}") in events


async def test_blocklist_and_whitelist(chat: ChatDriver) -> None:
    admin = {"user_id": ADMIN_ID}
    assert "blocklist is empty" in texts(await chat.send("/blocklist", **admin))
    added = texts(await chat.send("/blocklist add BTC", **admin))
    assert added == "BTC/USDT added to the blocklist."  # as stored, not as typed
    assert "already on the blocklist" in texts(await chat.send("/blocklist add btc/usdt", **admin))
    assert "BTC/USDT" in texts(await chat.send("/blocklist", **admin))
    assert "removed from the blocklist" in texts(await chat.send("/blocklist remove BTC", **admin))
    assert "not on the blocklist" in texts(await chat.send("/blocklist remove BTC", **admin))
    assert "Unknown symbol" in texts(await chat.send("/whitelist add NOPECOIN", **admin))
    assert "added to the whitelist" in texts(await chat.send("/whitelist add ETH note", **admin))
    assert "Usage" in texts(await chat.send("/whitelist frobnicate ETH", **admin))
    assert chat.app is not None and chat.app.services.market is not None
    whites = await chat.app.services.market.universe.list("white")
    assert [(w.symbol, w.note, w.added_by) for w in whites] == [("ETH/USDT", "note", ADMIN_ID)]
    events = await audit_events(chat)
    admin = f"admin:{ADMIN_ID}"
    assert events.count(("symbols.add", admin, "symbol:BTC/USDT")) == 1
    assert events.count(("symbols.remove", admin, "symbol:BTC/USDT")) == 1
    assert events.count(("symbols.add", admin, "symbol:ETH/USDT")) == 1


async def test_jobs_list_pause_resume_run(chat: ChatDriver) -> None:
    replies = await chat.send("/jobs", user_id=ADMIN_ID)
    assert "Scheduled jobs" in replies[0].text and "admin-backup" in replies[0].text
    await chat.click("Pause admin-backup", user_id=ADMIN_ID)
    assert chat.last_answer is not None and "paused" in (chat.last_answer.text or "")
    view = chat.latest_with_buttons(ADMIN_ID)
    assert any("Resume admin-backup" in b for b in view.buttons)
    await chat.click("Resume admin-backup", user_id=ADMIN_ID)
    assert any("Pause admin-backup" in b for b in chat.latest_with_buttons(ADMIN_ID).buttons)
    ran = texts(await chat.click("Run admin-backup", user_id=ADMIN_ID))
    assert "Job admin-backup finished" in ran
    assert chat.app is not None
    backups = list((chat.app.settings.data_dir / "backups").glob("tradebot-*.db"))
    assert len(backups) == 1
    events = [e for e, _, _ in await audit_events(chat)]
    assert events.count("job.pause") == 1 and events.count("job.run") == 1


async def test_backup_is_sent_as_a_document(chat: ChatDriver) -> None:
    replies = await chat.send("/backup", user_id=ADMIN_ID)
    [doc] = [r for r in replies if r.document is not None]
    assert doc.document is not None and doc.document.data.startswith(b"SQLite format 3\x00")
    assert "Backup tradebot-" in (doc.text or "")


class TestBackupRefused:
    @pytest.fixture
    def settings_overrides(self, tmp_path: Path) -> dict[str, Any]:
        (tmp_path / "afile").write_text("x")  # a backup folder that cannot be made
        return {"backup_dir": tmp_path / "afile" / "sub"}

    async def test_a_failed_backup_is_told_in_the_admins_language(self, chat: ChatDriver) -> None:
        [reply] = await chat.send("/backup", user_id=ADMIN_ID, lang="ru")
        assert reply.text.startswith("Не удалось сделать копию: не удаётся записать копию в ")
        assert "afile/sub" in reply.text and "cannot" not in reply.text


class TestExchangeDown:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        # exchange mode, an exchange URL nobody listens on: no sim to stand in
        return {
            "market_data": "exchange",
            "exchange_url_overrides": {"binance": "http://127.0.0.1:9"},
            "market_retries": 0,
            "exchange_timeout_ms": 500,
        }

    async def test_status_and_admin_say_stale(self, chat: ChatDriver) -> None:
        status = texts(await chat.send("/status"))
        assert "has a problem" in status and "Market data from binance: stale (" in status
        health = texts(await chat.send("/admin", user_id=ADMIN_ID))
        assert "Health: needs attention" in health and "Problems: market data stale" in health
        assert "binance: breaker" in health and "last error:" in health


async def test_user_card_numbers_and_words_read_naturally(chat: ChatDriver) -> None:
    await chat.send("/deposit 1000")
    await chat.send("/trade ETH/USDT long 100")
    card = texts(await chat.send(f"/user {USER_ID}", user_id=ADMIN_ID))
    assert "risk 1% · leverage x1 · notifications all signals" in card
    assert "preset Composite" in card
    [position] = [line for line in card.splitlines() if line.startswith("• #1 ")]
    qty = position.split(" LONG ")[1].split(" ETH @ ")[0]
    assert position.startswith("• #1 ETH/USDT LONG ") and not qty.endswith("0"), position
    await chat.send("/lang", user_id=ADMIN_ID)
    await chat.click("Русский", user_id=ADMIN_ID)
    ru = texts(await chat.send(f"/user {USER_ID}", user_id=ADMIN_ID))
    assert "риск 1% · плечо x1 · уведомления все сигналы" in ru and " ЛОНГ " in ru
