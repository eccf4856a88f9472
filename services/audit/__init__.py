"""The audit trail: every state change appended to a sha256 hash chain in the same
transaction as the change (see core/audit_chain.py and services/audit/log.py)."""

from services.audit.context import acting_as, current_actor, public_config, set_actor, set_config
from services.audit.log import AuditRecord, VerifyReport, recent, record, verify

__all__ = [
    "AuditRecord",
    "VerifyReport",
    "acting_as",
    "current_actor",
    "public_config",
    "recent",
    "record",
    "set_actor",
    "set_config",
    "verify",
]
