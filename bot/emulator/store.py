"""The emulator's memory: users, chats, messages, files, updates and what the bot did.

Plain data and validation only; `server.py` puts it behind HTTP. Errors are raised
as `ApiError` with Telegram's status codes and wording, so aiogram turns them into
the same exceptions it would raise against the real Bot API.
"""

from __future__ import annotations

import io
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.htmltext import EntityParseError, html_to_plain, utf16_len

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_TEXT_LIMIT = 200
CALLBACK_DATA_LIMIT = 64


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass
class EmuUser:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    blocked_bot: bool = False

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class StoredFile:
    file_id: str
    data: bytes
    filename: str
    mime_type: str | None
    width: int | None = None
    height: int | None = None


@dataclass
class EmuMessage:
    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str | None = None  # plain text as a user sees it
    html: str | None = None  # what the bot sent (text or caption source)
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    photo: StoredFile | None = None
    document: StoredFile | None = None
    edits: int = 0
    deleted: bool = False


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    message_id: int
    answered: bool = False
    text: str | None = None
    show_alert: bool = False


def _image_size(data: bytes) -> tuple[int | None, int | None]:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:
        return None, None


def _validate_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                "can't parse inline keyboard button: "
                'field "inline_keyboard" must be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                actions = [
                    k
                    for k in (
                        "callback_data",
                        "url",
                        "switch_inline_query",
                        "web_app",
                        "copy_text",
                        "switch_inline_query_current_chat",
                        "pay",
                        "login_url",
                    )
                    if k in button
                ]
                if len(actions) != 1:
                    raise bad_request(
                        "can't parse inline keyboard button: exactly one action is required"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
        return markup
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup
    if markup.get("remove_keyboard") or "force_reply" in markup:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")  # fmt: skip


@dataclass
class Store:
    bot_id: int
    bot_username: str = "tradebot_emulator_bot"
    users: dict[int, EmuUser] = field(default_factory=dict)
    messages: dict[int, list[EmuMessage]] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    callbacks: dict[str, CallbackRecord] = field(default_factory=dict)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    # (kind, chat_id, message_id) in the order the bot acted: "send", "edit", "delete".
    events: list[tuple[str, int, int]] = field(default_factory=list)
    chat_actions: list[tuple[int, str]] = field(default_factory=list)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    last_update_id: int = 0

    # --- user side ---------------------------------------------------------------
    def add_user(self, user: EmuUser) -> None:
        self.users[user.id] = user
        self.messages.setdefault(user.id, [])

    def _next_message_id(self, chat_id: int) -> int:
        return len(self.messages.setdefault(chat_id, [])) + 1

    def push_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **payload}
        self.last_update_id = update["update_id"]
        self.updates.append(update)
        return update

    def user_message(self, user_id: int, text: str) -> EmuMessage:
        user = self.users[user_id]
        message = EmuMessage(
            user_id, self._next_message_id(user_id), False, int(time.time()), text=text
        )
        self.messages[user_id].append(message)
        payload = self.message_dict(message) | {"from": user.as_dict()}
        if text.startswith("/"):
            payload["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split(maxsplit=1)[0])}
            ]
        self.push_update({"message": payload})
        return message

    def press(self, user_id: int, message: EmuMessage, callback_data: str) -> CallbackRecord:
        record = CallbackRecord(str(next(self._ids)) + "0" * 3, user_id, message.message_id)
        self.callbacks[record.id] = record
        self.push_update(
            {
                "callback_query": {
                    "id": record.id,
                    "from": self.users[user_id].as_dict(),
                    "message": self.message_dict(message),
                    "chat_instance": str(user_id),
                    "data": callback_data,
                }
            }
        )
        return record

    # --- objects as Telegram shapes ----------------------------------------------
    def bot_dict(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "tradebot",
            "username": self.bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def chat_dict(self, chat_id: int) -> dict[str, Any]:
        user = self.users[chat_id]
        data: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": user.first_name}
        if user.username:
            data["username"] = user.username
        return data

    def message_dict(self, message: EmuMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": self.chat_dict(message.chat_id),
        }
        if message.from_bot:
            data["from"] = self.bot_dict()
        else:
            data["from"] = self.users[message.chat_id].as_dict()
        if message.edits:
            data["edit_date"] = int(time.time())
        if message.text is not None:
            data["text"] = message.text
        if message.caption is not None:
            data["caption"] = message.caption
        if message.photo is not None:
            f = message.photo
            data["photo"] = [
                {
                    "file_id": f.file_id,
                    "file_unique_id": f.file_id[-12:],
                    "width": f.width or 0,
                    "height": f.height or 0,
                    "file_size": len(f.data),
                }
            ]
        if message.document is not None:
            f = message.document
            data["document"] = {
                "file_id": f.file_id,
                "file_unique_id": f.file_id[-12:],
                "file_name": f.filename,
                "mime_type": f.mime_type or "application/octet-stream",
                "file_size": len(f.data),
            }
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    # --- bot side ----------------------------------------------------------------
    def chat(self, chat_id: Any) -> int:
        try:
            chat = int(chat_id)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        if chat not in self.users:
            raise bad_request("chat not found")
        if self.users[chat].blocked_bot:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def find(self, chat_id: Any, message_id: Any, *, action: str) -> EmuMessage:
        chat = self.chat(chat_id)
        try:
            index = int(message_id) - 1
        except (TypeError, ValueError):
            raise bad_request(f"message to {action} not found") from None
        history = self.messages[chat]
        if not 0 <= index < len(history) or history[index].deleted:
            raise bad_request(f"message to {action} not found")
        return history[index]

    @staticmethod
    def render(text: str | None, parse_mode: str | None, *, limit: int, what: str) -> str:
        if text is None or not text.strip():
            raise bad_request(f"{what} text is empty" if what == "message" else "caption is empty")
        plain = text
        if (parse_mode or "").upper() == "HTML":
            try:
                plain = html_to_plain(text)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        if not plain.strip():
            raise bad_request(f"{what} text is empty")
        if utf16_len(plain) > limit:
            raise bad_request(
                "message is too long" if what == "message" else "message caption is too long"
            )
        return plain

    def store_file(
        self, data: bytes, filename: str, mime_type: str | None, *, image: bool
    ) -> StoredFile:
        file_id = f"F{next(self._ids):06d}emulatorfile"
        width, height = _image_size(data) if image else (None, None)
        if image and width is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        stored = StoredFile(file_id, data, filename, mime_type, width, height)
        self.files[file_id] = stored
        return stored

    def bot_message(self, chat_id: int, **content: Any) -> EmuMessage:
        message = EmuMessage(
            chat_id, self._next_message_id(chat_id), True, int(time.time()), **content
        )
        self.messages[chat_id].append(message)
        self.events.append(("send", chat_id, message.message_id))
        return message

    def edited(self, message: EmuMessage) -> None:
        message.edits += 1
        self.events.append(("edit", message.chat_id, message.message_id))

    @staticmethod
    def markup(raw: Any) -> dict[str, Any] | None:
        return _validate_markup(raw)
