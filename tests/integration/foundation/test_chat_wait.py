"""`tradebot chat` waits for work a service reports under way, up to a cap (--timeout)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.e2e.harness import BotNotIdle, ChatDriver, harness_settings


class SlowJobs:
    """Stands in for the backtest service: reports work under way for `seconds`."""

    def __init__(self) -> None:
        self.until = 0.0

    def start(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds

    def is_idle(self) -> bool:
        return time.monotonic() >= self.until

    async def recover(self) -> int:
        return 0

    async def aclose(self) -> None:
        self.until = 0.0


async def _driver(tmp_path: Path, jobs: SlowJobs, *, busy_timeout_s: float) -> ChatDriver:
    driver = ChatDriver(
        harness_settings(tmp_path),
        services_overrides={"backtests": jobs},
        busy_timeout_s=busy_timeout_s,
    )
    await driver.start()
    driver.timeout_s = 0.3  # after start-up, which has its own budget
    return driver


async def test_work_under_way_is_waited_for_beyond_the_quiet_timeout(tmp_path: Path) -> None:
    jobs = SlowJobs()
    driver = await _driver(tmp_path, jobs, busy_timeout_s=10)
    try:
        jobs.start(1.0)  # longer than timeout_s: the old driver gave up here
        began = time.monotonic()
        replies = await driver.send("/help")
        assert time.monotonic() - began >= 0.9
        assert replies and replies[0].text.startswith("Commands")
    finally:
        await driver.stop()


async def test_work_under_way_is_not_waited_for_beyond_the_cap(tmp_path: Path) -> None:
    jobs = SlowJobs()
    driver = await _driver(tmp_path, jobs, busy_timeout_s=0.8)
    try:
        jobs.start(30)
        began = time.monotonic()
        with pytest.raises(BotNotIdle, match="still busy after 1 s"):
            await driver.send("/help")
        assert 0.7 <= time.monotonic() - began < 3
    finally:
        await driver.stop()


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_timeout_option_rejects_what_is_not_a_duration(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["chat", "--timeout", value, "/help"])
    assert exit_info.value.code == 2
    assert "--timeout" in capsys.readouterr().err
