"""Fixture for tests that run `bot.cli.main`: it configures process logging (a stderr
handler with the redacting filter, bound to the stream pytest's capture closes
afterwards). Loaded for the whole suite by tests/conftest.py, it puts the root logger
back after each test, so later tests log, and capture logs, as before."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
