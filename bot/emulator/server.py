"""The local Bot API emulator: an aiohttp server speaking the subset the bot uses.

The bot reaches it through `AiohttpSession(api=TelegramAPIServer.from_base(url))`,
the same code path as production: real HTTP, real multipart uploads, real long
polling. Users are simulated from the other side (`user_message`, `press`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.emulator.store import (
    CALLBACK_TEXT_LIMIT,
    CAPTION_LIMIT,
    TEXT_LIMIT,
    ApiError,
    CallbackRecord,
    EmuMessage,
    EmuUser,
    Store,
    bad_request,
)

log = logging.getLogger(__name__)

JSON_FIELDS = frozenset(
    {"reply_markup", "reply_parameters", "link_preview_options", "commands", "scope",
     "allowed_updates", "entities", "caption_entities", "media"}
)  # fmt: skip

Params = dict[str, Any]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class Emulator:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.store: Store | None = None
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.polling = asyncio.Event()  # set on the bot's first getUpdates
        self._pending_requests = 0
        self.last_request_at = time.monotonic()
        self.delivered_update_id = 0
        self._failures: dict[str, list[ApiError]] = {}
        self.calls: list[str] = []  # every method called, in order (for tests)
        self._methods: dict[str, Callable[[Params, Any], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "deleteWebhook": self._true,
            "setWebhook": self._true,
            "getWebhookInfo": self._webhook_info,
            "getUpdates": self._get_updates,
            "setMyCommands": self._set_commands,
            "getMyCommands": self._get_commands,
            "deleteMyCommands": self._delete_commands,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_text,
            "editMessageReplyMarkup": self._edit_markup,
            "editMessageCaption": self._edit_caption,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback,
            "sendChatAction": self._chat_action,
            "getFile": self._get_file,
        }

    # --- lifecycle -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> Emulator:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- user side -----------------------------------------------------------------
    def _require_store(self) -> Store:
        if self.store is None:
            raise RuntimeError("no bot has connected to the emulator yet")
        return self.store

    def ensure_store(self, bot_id: int) -> Store:
        if self.store is None:
            self.store = Store(bot_id=bot_id)
        return self.store

    async def user_message(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Tester",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> EmuMessage:
        store = self._require_store()
        known = store.users.get(user_id)
        if known is None:
            store.add_user(EmuUser(user_id, first_name, username, language_code))
        else:
            known.first_name, known.username = first_name, username
            known.language_code = language_code
        message = store.user_message(user_id, text)
        await self._notify()
        return message

    async def press(self, user_id: int, message: EmuMessage, callback_data: str) -> CallbackRecord:
        record = self._require_store().press(user_id, message, callback_data)
        await self._notify()
        return record

    def fail_next(self, method: str, error: ApiError, times: int = 1) -> None:
        """Make the next `times` calls of `method` fail (flood waits, server errors)."""
        self._failures.setdefault(method, []).extend([error] * times)

    def is_quiet(self, quiet_s: float) -> bool:
        """No request in progress and none for `quiet_s`; every update handed out."""
        store = self.store
        if store is None:
            return False
        return (
            self._pending_requests == 0
            and self.delivered_update_id >= store.last_update_id
            and time.monotonic() - self.last_request_at >= quiet_s
        )

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- HTTP ----------------------------------------------------------------------
    async def _params(self, request: web.Request) -> tuple[Params, dict[str, Any]]:
        params: Params = dict(request.query)
        files: dict[str, Any] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = value
                    else:
                        params[key] = value
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    raise bad_request(f"can't parse {key} JSON object") from None
        return params, files

    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        self.ensure_store(int(bot_id))
        handler = self._methods.get(method)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        polling = method == "getUpdates"
        if not polling:
            self._pending_requests += 1
            self.calls.append(method)
        try:
            failures = self._failures.get(method)
            if failures:
                raise failures.pop(0)
            params, files = await self._params(request)
            result = await handler(params, files)
            return web.json_response({"ok": True, "result": result})
        except ApiError as error:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.code,
                "description": error.description,
            }
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return web.json_response(body, status=error.code)
        finally:
            if not polling:
                self._pending_requests -= 1
                self.last_request_at = time.monotonic()

    async def _download(self, request: web.Request) -> web.StreamResponse:
        store = self._require_store()
        stored = store.files.get(request.match_info["path"].rsplit("/", 1)[-1])
        if stored is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # --- methods -------------------------------------------------------------------
    async def _true(self, params: Params, files: Any) -> bool:
        return True

    async def _get_me(self, params: Params, files: Any) -> dict[str, Any]:
        return self._require_store().bot_dict()

    async def _webhook_info(self, params: Params, files: Any) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _get_updates(self, params: Params, files: Any) -> list[dict[str, Any]]:
        store = self._require_store()
        self.polling.set()
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 50.0)
        if offset:
            store.updates = [u for u in store.updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not store.updates and time.monotonic() < deadline:
                try:
                    async with asyncio.timeout(deadline - time.monotonic()):
                        await self._changed.wait()
                except TimeoutError:
                    break
                if self._closing:
                    break
        batch = store.updates[:limit]
        if batch:
            self.delivered_update_id = max(self.delivered_update_id, batch[-1]["update_id"])
        return batch

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
