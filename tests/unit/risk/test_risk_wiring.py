"""RISK's entries in the shared registries stay wired (jobs, commands, services,
models): a concurrent edit of a shared list must not silently drop them."""

from __future__ import annotations

from handlers import collect_commands
from services.container import BUILDERS, Services
from services.db.base import Base
from services.jobs import collect_jobs


def test_jobs_are_scheduled_by_reference_with_explicit_ids() -> None:
    jobs = {job.id: job for job in collect_jobs()}
    assert jobs["risk-guard"].func_ref == "services.jobs.risk:guard"
    assert jobs["risk-signals-stalled"].func_ref == "services.jobs.risk:signals_stalled"
    assert jobs["reports-digests"].func_ref == "services.jobs.digests:run"


def test_commands_and_admin_only_flags() -> None:
    specs = {spec.name: spec for spec in collect_commands()}
    assert not specs["risk"].admin and not specs["stats"].admin and not specs["export"].admin
    assert specs["flags"].admin and specs["flag"].admin


def test_services_and_tables() -> None:
    names = [name for name, _ in BUILDERS]
    assert names.index("risk") > names.index("paper") and names.index("risk") > names.index(
        "signals"
    )
    assert "reports" in names and "reports" in Services.__dataclass_fields__
    assert {"risk_flags", "digests_sent"} <= set(Base.metadata.tables)
