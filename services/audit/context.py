"""Who is acting and under which configuration, for audit rows written deep inside
services that only receive a database session.

The update middleware sets the actor per update (`user:ID` or `admin:ID`); jobs and
CLI runs fall back to `system`. The configuration in force is registered once at
start-up (`set_config`) as a secret-free dict and its digest; each audit row names
the digest, and the chain records the full dict whenever the digest changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pydantic import SecretStr

from core.audit_chain import canonical_json
from core.config import Settings

_actor: ContextVar[str] = ContextVar("audit_actor", default="system")
_config: dict[str, Any] = {}
_config_hash = ""


def current_actor() -> str:
    return _actor.get()


def set_actor(actor: str) -> None:
    _actor.set(actor)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def public_config(settings: Settings) -> dict[str, Any]:
    """Every setting, secrets replaced by "set"/"unset" (never their value)."""
    out: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr) or name.endswith(("_key", "_token", "_secret")):
            out[name] = "set" if value else "unset"
        elif name in ("database_url", "redis_url") and value:
            out[name] = _without_password(str(value))
        elif isinstance(value, Mapping):
            out[name] = {str(k): str(v) for k, v in value.items()}
        else:
            out[name] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
    return out


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if user else f"{scheme}://***@{host}"


def set_config(settings: Settings | None) -> str:
    """Register the configuration in force; returns its digest."""
    global _config, _config_hash
    if settings is None:
        _config, _config_hash = {}, ""
        return ""
    _config = public_config(settings)
    _config_hash = hashlib.sha256(canonical_json(_config).encode()).hexdigest()
    return _config_hash


def config_in_force() -> tuple[str, dict[str, Any]]:
    return _config_hash, _config
