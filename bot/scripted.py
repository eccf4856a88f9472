"""A scripted conversation: emulator + the real bot in one process.

Used by `tradebot chat`, `tradebot demo` and the e2e harness. After each user
action it waits until the bot is idle: every update handed out has been handled,
no Bot API request is in flight or happened in the last `quiet_s`, and every
service exposing `is_idle()` says so. A service that reports work under way (a
backtest in its process pool, a broadcast) is waited for up to `busy_timeout_s`;
otherwise the bot must be idle within `timeout_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from aiogram import Router

from bot.app import App, create_app
from bot.emulator import CallbackRecord, Emulator, EmuMessage, StoredFile
from core.config import Settings


@dataclass(frozen=True)
class Button:
    label: str
    callback_data: str | None = None
    url: str | None = None
    reply: bool = False  # a reply-keyboard button: pressing it sends its label


@dataclass
class BotMessage:
    """A bot message as the user sees it (after edits)."""

    message_id: int
    chat_id: int
    text: str | None  # plain text, or the caption of a photo/document
    html: str | None  # the HTML the bot sent
    keyboard: list[list[Button]]
    photo: StoredFile | None = None
    document: StoredFile | None = None
    edited: bool = False
    deleted: bool = False

    @property
    def buttons(self) -> list[str]:
        return [button.label for row in self.keyboard for button in row]

    @classmethod
    def from_emulator(cls, message: EmuMessage) -> BotMessage:
        keyboard: list[list[Button]] = []
        markup = message.reply_markup or {}
        for row in markup.get("inline_keyboard", []):
            keyboard.append([Button(b["text"], b.get("callback_data"), b.get("url")) for b in row])
        for row in markup.get("keyboard", []):
            keyboard.append(
                [Button(b if isinstance(b, str) else b["text"], reply=True) for b in row]
            )
        return cls(
            message_id=message.message_id,
            chat_id=message.chat_id,
            text=message.text if message.text is not None else message.caption,
            html=message.html,
            keyboard=keyboard,
            photo=message.photo,
            document=message.document,
            edited=message.edits > 0,
            deleted=message.deleted,
        )


@dataclass
class ChatUser:
    user_id: int = 1001
    first_name: str = "Alex"
    username: str | None = "alex"
    lang: str | None = "en"


class BotNotIdle(TimeoutError):
    pass


@dataclass
class ChatDriver:
    settings: Settings
    services_overrides: Mapping[str, Any] = field(default_factory=dict)
    extra_routers: Iterable[Router] = ()
    default_user: ChatUser = field(default_factory=ChatUser)
    quiet_s: float = 0.03
    timeout_s: float = 30.0  # without a service reporting work under way
    busy_timeout_s: float = 600.0  # the cap while one does
    emulator: Emulator = field(default_factory=Emulator)
    app: App | None = None
    last_answer: CallbackRecord | None = None
    _polling: asyncio.Task[None] | None = None

    async def start(self) -> ChatDriver:
        await self.emulator.start()
        try:
            self.app = await create_app(
                self.settings,
                api_url=self.emulator.base_url,
                services_overrides=self.services_overrides,
                extra_routers=self.extra_routers,
            )
            self._polling = asyncio.create_task(
                self.app.dispatcher.start_polling(
                    self.app.bot, handle_signals=False, close_bot_session=False, polling_timeout=5
                )
            )
            polling_seen = asyncio.ensure_future(self.emulator.polling.wait())
            try:
                async with asyncio.timeout(self.timeout_s):
                    await asyncio.wait(
                        [self._polling, polling_seen], return_when=asyncio.FIRST_COMPLETED
                    )
            finally:
                polling_seen.cancel()
            if self._polling.done():
                self._polling.result()  # start-up failed: raise its error
                raise RuntimeError("polling ended during start-up")
            await self.wait_idle()
        except BaseException:
            await self.stop()
            raise
        return self

    async def stop(self) -> None:
        if self._polling is not None and self.app is not None:
            with contextlib.suppress(RuntimeError):
                await self.app.dispatcher.stop_polling()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._polling
            self._polling = None
        if self.app is not None:
            await self.app.shutdown()
        await self.emulator.stop()

    async def __aenter__(self) -> ChatDriver:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- idleness ------------------------------------------------------------------
    def _services_idle(self) -> bool:
        assert self.app is not None
        services = self.app.services
        for spec in fields(services):
            probe = getattr(getattr(services, spec.name), "is_idle", None)
            if callable(probe) and not probe():
                return False
        return True

    def is_idle(self) -> bool:
        assert self.app is not None
        store = self.emulator.store
        return (
            store is not None
            and self.emulator.is_quiet(self.quiet_s)
            and self.app.activity.in_flight == 0
            and self.app.activity.last_finished_update_id >= store.last_update_id
            and self._services_idle()
        )

    async def wait_idle(self) -> None:
        """Wait until idle. The `timeout_s` budget restarts while a service reports
        work under way (a slow backtest is progress, not a hang), up to
        `busy_timeout_s` from the start."""
        start = time.monotonic()
        cap = start + max(self.busy_timeout_s, self.timeout_s)
        deadline = start + self.timeout_s
        while not self.is_idle():
            if self._polling is not None and self._polling.done():
                self._polling.result()
                raise RuntimeError("polling stopped")
            now = time.monotonic()
            if not self._services_idle():
                deadline = min(cap, max(deadline, now + self.timeout_s))
            if now > deadline:
                raise BotNotIdle(f"the bot was still busy after {now - start:.0f} s")
            await asyncio.sleep(0.005)

    # --- conversation --------------------------------------------------------------
    def _user(self, user_id: int | None, lang: str | object | None) -> ChatUser:
        base = self.default_user
        if user_id is None or user_id == base.user_id:
            user = ChatUser(base.user_id, base.first_name, base.username, base.lang)
        else:
            user = ChatUser(user_id, f"User{user_id}", f"user{user_id}", base.lang)
        if lang is not _UNSET:
            user.lang = lang  # type: ignore[assignment]
        return user

    async def _collect_after(self, action: Any) -> list[BotMessage]:
        store = self.emulator.store
        assert store is not None
        mark = len(store.events)
        await action()
        await self.wait_idle()
        seen: dict[tuple[int, int], None] = {}
        for _kind, chat_id, message_id in store.events[mark:]:
            seen[(chat_id, message_id)] = None
        return [
            BotMessage.from_emulator(store.messages[chat_id][message_id - 1])
            for chat_id, message_id in seen
        ]

    async def send(
        self, text: str, *, user_id: int | None = None, lang: str | object | None = None
    ) -> list[BotMessage]:
        """Send `text` as a user; return the bot messages sent or edited until idle."""
        user = self._user(user_id, _UNSET if lang is None else lang)

        async def action() -> None:
            await self.emulator.user_message(
                user.user_id,
                text,
                first_name=user.first_name,
                username=user.username,
                language_code=user.lang,
            )

        return await self._collect_after(action)

    def history(self, user_id: int | None = None) -> list[BotMessage]:
        store = self.emulator.store
        chat_id = user_id or self.default_user.user_id
        if store is None or chat_id not in store.messages:
            return []
        return [BotMessage.from_emulator(m) for m in store.messages[chat_id] if m.from_bot]

    def latest_with_buttons(self, user_id: int | None = None) -> BotMessage:
        for message in reversed(self.history(user_id)):
            if message.keyboard and not message.deleted:
                return message
        raise LookupError("no bot message with buttons")

    async def click(
        self, label: str | None = None, *, index: int | None = None, user_id: int | None = None
    ) -> list[BotMessage]:
        """Press a button on the latest bot message that has buttons: the first whose
        label contains `label` (exact case first), or the `index`-th (1-based)."""
        message = self.latest_with_buttons(user_id)
        flat = [button for row in message.keyboard for button in row]
        button: Button | None = None
        if index is not None:
            if not 1 <= index <= len(flat):
                raise LookupError(f"no button #{index}; buttons: {message.buttons}")
            button = flat[index - 1]
        elif label is not None:
            button = next((b for b in flat if label in b.label), None) or next(
                (b for b in flat if label.lower() in b.label.lower()), None
            )
        if button is None:
            raise LookupError(f"no button matching {label!r}; buttons: {message.buttons}")
        if button.reply:
            return await self.send(button.label, user_id=user_id)
        if button.callback_data is None:
            raise LookupError(f"button {button.label!r} opens {button.url}, nothing to press")
        store = self.emulator.store
        assert store is not None
        emu_message = store.messages[message.chat_id][message.message_id - 1]
        user = self._user(user_id, _UNSET)

        async def action() -> None:
            self.last_answer = await self.emulator.press(
                user.user_id, emu_message, button.callback_data or ""
            )

        return await self._collect_after(action)


_UNSET: Any = object()
