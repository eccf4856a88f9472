"""`services/container.py` BUILDERS entry: ("admin", "services.admin.factory:build_admin")."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from services.admin.blocks import BlockList
from services.admin.broadcast import Broadcaster
from services.admin.buildcard import log_build_card
from services.admin.errors import ErrorRing, error_ring
from services.admin.latency import LatencyRing
from services.audit import set_config


@dataclass
class AdminService:
    blocks: BlockList
    broadcasts: Broadcaster
    errors: ErrorRing
    send_latency: LatencyRing = field(default_factory=LatencyRing)
    paused_jobs: set[str] = field(default_factory=set)
    build_card: dict[str, Any] = field(default_factory=dict)

    def is_idle(self) -> bool:
        return self.broadcasts.is_idle()


async def build_admin(services: Any) -> AdminService:
    """Registers the configuration in force for audit rows, logs the build card once,
    loads the admin block list and attaches the recent-errors ring."""
    settings = services.settings
    set_config(settings)
    blocks = BlockList(services.db)
    with contextlib.suppress(Exception):  # not migrated yet: create_app migrates later
        await blocks.load()
    admin = AdminService(
        blocks=blocks,
        broadcasts=Broadcaster(services),
        errors=error_ring(settings.secret_values()),
    )
    services.admin = admin
    admin.build_card = log_build_card(services)
    return admin
