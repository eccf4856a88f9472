"""The hook through which risk rules can hold back a user's signals.

The signals side asks `await gate.blocked(user_id)` before showing a size or
delivering a signal; `None` means go ahead. The risk-flags feature implements the
protocol (daily loss limit, too many open positions, ...) and is plugged in with
`SignalService.set_gate(...)`; until then every user is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class BlockReason:
    """Why signals are held back: a Fluent message id (owned by the gate's feature)
    and its variables, so the user reads it in their own language."""

    key: str
    params: Mapping[str, str | int | float] = field(default_factory=dict)


@runtime_checkable
class SignalGate(Protocol):
    async def blocked(self, user_id: int) -> BlockReason | None: ...


class AllowAll:
    """The default gate: nothing is blocked."""

    async def blocked(self, user_id: int) -> BlockReason | None:
        return None
