"""The last line of defence: an unexpected exception is logged with a reference,
and the user gets that reference in their language instead of silence."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from aiogram import Bot, Router
from aiogram.types import ErrorEvent

from services.container import Services
from services.i18n import Translator

log = logging.getLogger("tradebot.errors")

router = Router(name="common.errors")


def new_reference() -> str:
    return secrets.token_hex(4)


@router.errors()
async def on_error(event: ErrorEvent, bot: Bot, services: Services, **data: Any) -> bool:
    ref = new_reference()
    update = event.update
    log.error(
        "unhandled error ref=%s update=%s type=%s",
        ref,
        update.update_id,
        update.event_type,
        exc_info=(type(event.exception), event.exception, event.exception.__traceback__),
    )
    i18n: Translator = data.get("i18n") or services.i18n.translator(None)
    text = i18n("error-internal", ref=ref)
    chat_id: int | None = None
    if update.message is not None:
        chat_id = update.message.chat.id
    elif update.callback_query is not None:
        query = update.callback_query
        chat_id = query.message.chat.id if query.message else query.from_user.id
        try:
            await bot.answer_callback_query(query.id, text=i18n("error-internal-short", ref=ref))
        except Exception:
            log.warning("could not answer the failed callback ref=%s", ref, exc_info=True)
    if chat_id is not None:
        try:
            await bot.send_message(chat_id, text)
        except Exception:
            log.warning("could not report error ref=%s to the user", ref, exc_info=True)
    return True
