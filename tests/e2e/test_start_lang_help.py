"""/start, /lang and /help through the emulator, with the real Dispatcher."""

from __future__ import annotations

import re

from handlers import collect_commands
from tests.e2e.harness import ADMIN_ID, ChatDriver


async def test_start_creates_user_in_telegram_language(chat: ChatDriver) -> None:
    replies = await chat.send("/start", user_id=2001, lang="ru-RU")

    assert len(replies) == 1
    assert replies[0].text.startswith("Привет, User2001!")
    assert replies[0].buttons == ["English", "Русский"]
    user = await chat.app.services.users.get(2001)
    assert user is not None and user.language == "ru" and user.username == "user2001"


async def test_start_unsupported_language_falls_back_to_default(chat: ChatDriver) -> None:
    replies = await chat.send("/start", user_id=2002, lang="de")

    assert replies[0].text.startswith("Hello, User2002!")
    assert (await chat.app.services.users.get(2002)).language == "en"


async def test_lang_switch_persists_over_telegram_language(chat: ChatDriver) -> None:
    await chat.send("/lang")
    replies = await chat.click("Русский")

    assert [r.text for r in replies] == ["Язык переключён на русский."]
    assert chat.last_answer is not None and chat.last_answer.answered
    # The saved choice wins even though Telegram still says "en".
    replies = await chat.send("/help", lang="en")
    assert replies[0].text.startswith("Команды")
    assert (await chat.app.services.users.get(chat.default_user.user_id)).language == "ru"

    await chat.send("/lang")
    replies = await chat.click("English")
    assert replies[0].text == "Language set to English."
    assert (await chat.send("/help"))[0].text.startswith("Commands")


def _listed(text: str) -> list[str]:
    return re.findall(r"^/(\w+)", text, flags=re.MULTILINE)


async def test_help_lists_exactly_the_registry(chat: ChatDriver) -> None:
    registry = collect_commands()
    public = [spec.name for spec in registry if not spec.admin]

    replies = await chat.send("/help")
    assert _listed(replies[0].text) == public

    admin_replies = await chat.send("/help", user_id=ADMIN_ID)
    assert _listed(admin_replies[0].text) == [s.name for s in registry if not s.admin] + [
        s.name for s in registry if s.admin
    ]


async def test_command_menu_matches_registry_in_each_language(chat: ChatDriver) -> None:
    store = chat.emulator.store
    registry = collect_commands()
    public = [spec.name for spec in registry if not spec.admin]
    menus = {key: [c["command"] for c in commands] for key, commands in store.commands.items()}

    default_scope = '{"type": "default"}'
    assert menus[f"{default_scope}|"] == public
    assert menus[f"{default_scope}|en"] == public
    assert menus[f"{default_scope}|ru"] == public
    admin_scope = f'{{"chat_id": {ADMIN_ID}, "type": "chat"}}|'
    assert menus[admin_scope] == [s.name for s in registry]
    ru = {c["command"]: c["description"] for c in store.commands[f"{default_scope}|ru"]}
    assert ru["help"] == "Все команды"


async def test_admin_command_is_invisible_to_others(chat: ChatDriver) -> None:
    unknown = await chat.send("/definitely_not_a_command")
    hidden = await chat.send("/version")

    assert hidden[0].text == unknown[0].text.replace("/definitely_not_a_command", "/version")
    assert "version" not in _listed((await chat.send("/help"))[0].text)

    admin = await chat.send("/version", user_id=ADMIN_ID)
    assert admin[0].text.startswith("tradebot ")
    assert "Commit:" in admin[0].text and "Up for:" in admin[0].text


async def test_plain_text_and_unknown_command_get_hints(chat: ChatDriver) -> None:
    assert (await chat.send("hello there"))[0].text == "I answer commands. Send /help to see them."
    replies = await chat.send("/nope <b>", lang="en")
    assert replies[0].text == "I do not know the command /nope. Send /help to see what I can do."
    ru = await chat.send("привет", user_id=2003, lang="ru")
    assert ru[0].text == "Я отвечаю на команды. Отправьте /help, чтобы их увидеть."
