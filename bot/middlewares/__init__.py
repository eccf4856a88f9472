"""Update middlewares (per incoming update) and request middlewares (per Bot API call).

Data injected into handlers, filters and error handlers (kwarg name: type):
    services: Services      (dispatcher workflow data)
    commands: list[CommandSpec]
    session:  AsyncSession  (one per update; commits when the handler returns)
    user:     UserDTO       (upserted on every update from a user)
    is_admin: bool          (user id in ADMIN_IDS)
    i18n:     Translator    (the user's language)
"""

from bot.middlewares.activity import ActivityTracker
from bot.middlewares.callbacks import AnsweredCallbacks, CallbackAutoAnswer
from bot.middlewares.database import DatabaseMiddleware
from bot.middlewares.i18n import I18nMiddleware
from bot.middlewares.requests import LimitsMiddleware, RetryMiddleware
from bot.middlewares.throttling import ThrottlingMiddleware

__all__ = [
    "ActivityTracker",
    "AnsweredCallbacks",
    "CallbackAutoAnswer",
    "DatabaseMiddleware",
    "I18nMiddleware",
    "LimitsMiddleware",
    "RetryMiddleware",
    "ThrottlingMiddleware",
]
