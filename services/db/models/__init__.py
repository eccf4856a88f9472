"""Every ORM model module, imported so `Base.metadata` (and Alembic) sees all tables.

Add your feature's module to the import list below (one line, alphabetical order
does not matter; keep `users` first because other tables point at it).
"""

from services.db.models import (
    audit,  # noqa: F401
    backtests,  # noqa: F401
    market,  # noqa: F401
    risk,  # noqa: F401
    signals,  # noqa: F401
    trading,  # noqa: F401
    users,  # noqa: F401
)
from services.db.models.users import User

__all__ = ["User"]
