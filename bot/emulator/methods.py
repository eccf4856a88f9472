"""Bot API methods about messages, commands, callbacks and files.

A mixin of the emulator: each method takes the request's parameters (JSON fields
already decoded) and uploaded files, works on the `Store` and returns the `result`
Telegram would return, or raises `ApiError` with Telegram's wording.
"""

from __future__ import annotations

import json
from typing import Any

from bot.emulator.store import (
    CALLBACK_TEXT_LIMIT,
    CAPTION_LIMIT,
    TEXT_LIMIT,
    EmuMessage,
    Store,
    bad_request,
)

Params = dict[str, Any]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class MessageMethods:
    def _require_store(self) -> Store:  # provided by the emulator
        raise NotImplementedError

    def _scope_key(self, params: Params) -> str:
        scope = params.get("scope") or {"type": "default"}
        return f"{json.dumps(scope, sort_keys=True)}|{params.get('language_code') or ''}"

    async def _set_commands(self, params: Params, files: Any) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._require_store().commands[self._scope_key(params)] = commands
        return True

    async def _get_commands(self, params: Params, files: Any) -> list[dict[str, Any]]:
        return self._require_store().commands.get(self._scope_key(params), [])

    async def _delete_commands(self, params: Params, files: Any) -> bool:
        self._require_store().commands.pop(self._scope_key(params), None)
        return True

    async def _send_message(self, params: Params, files: Any) -> dict[str, Any]:
        store = self._require_store()
        chat = store.chat(params.get("chat_id"))
        text = params.get("text")
        plain = store.render(text, params.get("parse_mode"), limit=TEXT_LIMIT, what="message")
        markup = store.markup(params.get("reply_markup"))
        message = store.bot_message(chat, text=plain, html=text, reply_markup=markup)
        return store.message_dict(message)

    async def _media(self, params: Params, files: dict[str, Any], field: str) -> Any:
        store = self._require_store()
        value = params.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        else:
            upload = files.get(field)
        if upload is not None:
            data = upload.file.read()
            return store.store_file(
                data, upload.filename or field, upload.content_type, image=field == "photo"
            )
        if isinstance(value, str) and value in store.files:
            return store.files[value]
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _caption(self, params: Params) -> tuple[str | None, str | None]:
        caption = params.get("caption")
        if not caption:
            return None, None
        plain = self._require_store().render(
            caption, params.get("parse_mode"), limit=CAPTION_LIMIT, what="caption"
        )
        return plain, caption

    async def _send_photo(self, params: Params, files: Any) -> dict[str, Any]:
        store = self._require_store()
        chat = store.chat(params.get("chat_id"))
        caption, html = self._caption(params)
        photo = await self._media(params, files, "photo")
        markup = store.markup(params.get("reply_markup"))
        message = store.bot_message(
            chat, caption=caption, html=html, photo=photo, reply_markup=markup
        )
        return store.message_dict(message)

    async def _send_document(self, params: Params, files: Any) -> dict[str, Any]:
        store = self._require_store()
        chat = store.chat(params.get("chat_id"))
        caption, html = self._caption(params)
        document = await self._media(params, files, "document")
        markup = store.markup(params.get("reply_markup"))
        message = store.bot_message(
            chat, caption=caption, html=html, document=document, reply_markup=markup
        )
        return store.message_dict(message)

    def _editable(self, params: Params) -> EmuMessage:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the emulator")
        message = self._require_store().find(
            params.get("chat_id"), params.get("message_id"), action="edit"
        )
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    async def _edit_text(self, params: Params, files: Any) -> dict[str, Any]:
        store = self._require_store()
        message = self._editable(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text = params.get("text")
        plain = store.render(text, params.get("parse_mode"), limit=TEXT_LIMIT, what="message")
        markup = store.markup(params.get("reply_markup"))
        if plain == message.text and markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        message.text, message.html, message.reply_markup = plain, text, markup
        store.edited(message)
        return store.message_dict(message)

    async def _edit_markup(self, params: Params, files: Any) -> dict[str, Any]:
        store = self._require_store()
        message = self._editable(params)
        markup = store.markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        message.reply_markup = markup
        store.edited(message)
        return store.message_dict(message)

    async def _edit_caption(self, params: Params, files: Any) -> dict[str, Any]:
        store = self._require_store()
        message = self._editable(params)
        if message.photo is None and message.document is None:
            raise bad_request("there is no caption in the message to edit")
        caption, html = self._caption(params)
        message.caption, message.html = caption, html
        message.reply_markup = store.markup(params.get("reply_markup"))
        store.edited(message)
        return store.message_dict(message)

    async def _delete_message(self, params: Params, files: Any) -> bool:
        store = self._require_store()
        message = store.find(params.get("chat_id"), params.get("message_id"), action="delete")
        message.deleted = True
        store.events.append(("delete", message.chat_id, message.message_id))
        return True

    async def _answer_callback(self, params: Params, files: Any) -> bool:
        store = self._require_store()
        record = store.callbacks.get(str(params.get("callback_query_id")))
        if record is None or record.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text and len(text) > CALLBACK_TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered, record.text = True, text
        record.show_alert = str(params.get("show_alert")).lower() == "true"
        return True

    async def _chat_action(self, params: Params, files: Any) -> bool:
        store = self._require_store()
        store.chat_actions.append((store.chat(params.get("chat_id")), str(params.get("action"))))
        return True

    async def _get_file(self, params: Params, files: Any) -> dict[str, Any]:
        stored = self._require_store().files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id[-12:],
            "file_size": len(stored.data),
            "file_path": f"files/{stored.file_id}",
        }
