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

from bot.emulator.methods import MessageMethods, Params
from bot.emulator.store import (
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


class Emulator(MessageMethods):
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
        self.webhook_url = ""  # set by setWebhook, cleared by deleteWebhook
        self._methods: dict[str, Callable[[Params, Any], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
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
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    async def _set_webhook(self, params: Params, files: Any) -> bool:
        self.webhook_url = str(params.get("url") or "")
        return True

    async def _delete_webhook(self, params: Params, files: Any) -> bool:
        self.webhook_url = ""
        return True

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
