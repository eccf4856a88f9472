"""A blocklisted symbol is never traded: /trade refuses it (QA: `/blocklist add
DOGE/USDT` then `/trade DOGE/USDT long 100` opened a position)."""

from __future__ import annotations

from bot.scripted import ChatDriver
from tests.e2e.harness import ADMIN_ID, USER_ID


async def test_a_blocklisted_symbol_cannot_be_paper_traded(chat: ChatDriver) -> None:
    (added,) = await chat.send("/blocklist add DOGE/USDT spammy", user_id=ADMIN_ID)
    assert "added to the blocklist" in (added.text or "")
    await chat.send("/deposit 1000")
    (reply,) = await chat.send("/trade DOGE/USDT long 100")
    assert "DOGE/USDT is on the blocklist: it is not traded here." in (reply.text or "")
    await chat.send("/deposit 1000", user_id=2002, lang="ru")
    (ru,) = await chat.send("/trade DOGE/USDT short 100", user_id=2002, lang="ru")
    assert "DOGE/USDT в чёрном списке" in (ru.text or ""), ru.text
    paper = chat.app.services.paper
    assert await paper.queries.open_positions(USER_ID) == []
    assert (await chat.app.services.accounts.get(USER_ID)).balance == 1000
    # other symbols still trade, and removing the entry lifts the refusal
    (opened,) = await chat.send("/trade SOL/USDT long 100")
    assert "Paper position #1 opened" in (opened.text or "")
    await chat.send("/blocklist remove DOGE/USDT", user_id=ADMIN_ID)
    (opened,) = await chat.send("/trade DOGE/USDT long 100")
    assert "Paper position #2 opened" in (opened.text or ""), opened.text
