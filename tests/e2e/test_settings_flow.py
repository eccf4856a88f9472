"""/settings: buttons and typed values change a setting; bad values change nothing."""

from __future__ import annotations

from decimal import Decimal

from tests.e2e.harness import ChatDriver


async def _user(chat: ChatDriver):
    return await chat.app.services.users.get(chat.default_user.user_id)


async def test_quick_pick_changes_leverage(chat: ChatDriver) -> None:
    replies = await chat.send("/settings")
    assert "Leverage: x1" in replies[0].text

    asked = await chat.click("Leverage")
    assert asked[0].message_id == replies[0].message_id and asked[0].edited
    assert asked[0].buttons == ["x1", "x2", "x3", "x5", "x10", "« Back"]

    menu = await chat.click("x5")
    assert "Leverage: x5" in menu[0].text
    assert chat.last_answer.text == "Saved."
    assert (await _user(chat)).leverage == 5


async def test_typed_value_is_validated_and_saved(chat: ChatDriver) -> None:
    await chat.send("/settings")
    await chat.click("Risk per trade")

    rejected = await chat.send("50")
    assert rejected[0].text.startswith("Risk per trade must be a number from 0.1 to 5")
    assert (await _user(chat)).risk_per_trade == Decimal("1")
    rejected = await chat.send("abc")
    assert "Nothing was changed" in rejected[0].text

    saved = await chat.send("1,5")
    assert saved[0].text == "Saved."
    assert "Risk per trade: 1.5%" in saved[1].text
    assert (await _user(chat)).risk_per_trade == Decimal("1.5")
    # The input state is over: plain text gets the ordinary hint again.
    assert (await chat.send("2"))[0].text.startswith("I answer commands")


async def test_notification_mode_preset_and_timezone(chat: ChatDriver) -> None:
    await chat.send("/settings")
    await chat.click("Notifications")
    assert "Notifications: strong signals only" in (await chat.click("strong"))[0].text
    await chat.click("Preset")
    await chat.click("Scalper")
    await chat.click("Time zone")
    assert "I do not know that time zone" in (await chat.send("Mars/Olympus"))[0].text
    await chat.send("europe/berlin")
    user = await _user(chat)
    assert (user.notify_mode, user.preset, user.timezone) == ("strong", "scalper", "Europe/Berlin")


async def test_forged_option_index_is_refused(chat: ChatDriver) -> None:
    await chat.send("/settings")
    await chat.click("Min. confidence")
    message = chat.latest_with_buttons()
    store = chat.emulator.store
    emu = store.messages[message.chat_id][message.message_id - 1]
    await chat.emulator.press(chat.default_user.user_id, emu, "set:pick:min_confidence:99")
    await chat.wait_idle()

    last = list(store.callbacks.values())[-1]
    assert last.answered and last.text == "That option is not available. Nothing was changed."
    assert (await _user(chat)).min_confidence == 60


async def test_language_from_settings_returns_to_menu_in_new_language(chat: ChatDriver) -> None:
    await chat.send("/settings")
    await chat.click("Language")
    replies = await chat.click("Русский")
    assert replies[0].text.startswith("Ваши настройки")
    assert "Язык: Русский" in replies[0].text


async def test_deposit_comes_from_the_account_never_a_default(chat: ChatDriver) -> None:
    """A user who never used /deposit has no deposit, here as in signal sizing."""
    menu = (await chat.send("/settings"))[0].text
    assert "Deposit: not set. Set it with /deposit" in menu and "1,000" not in menu
    ru = (await chat.send("/settings", user_id=77, lang="ru"))[0].text
    assert "Депозит: не задан" in ru

    await chat.send("/deposit 2500")
    menu = (await chat.send("/settings"))[0].text
    assert "Deposit: 2,500.00 USDT (change with /deposit)" in menu


async def test_a_command_leaves_the_waiting_state_and_is_answered(chat: ChatDriver) -> None:
    """While /settings waits for a typed value, a command is handled as usual and
    the bot stops waiting: the next plain text is not taken as the value."""
    await chat.send("/settings")
    await chat.click("Risk per trade")
    helped = await chat.send("/help")
    assert helped and "/settings" in helped[0].text and "Risk per trade" not in helped[0].text
    assert (await chat.send("2"))[0].text.startswith("I answer commands")
    assert (await _user(chat)).risk_per_trade == Decimal("1")

    await chat.send("/settings")
    await chat.click("Min. confidence")
    portfolio = await chat.send("/portfolio")
    assert portfolio and "Min. confidence" not in portfolio[0].text
    assert (await chat.send("70"))[0].text.startswith("I answer commands")
    assert (await _user(chat)).min_confidence == 60
