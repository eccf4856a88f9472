"""Which build is running: the package version and the git commit.

The commit comes from TRADEBOT_COMMIT (set in the Docker image), else from git
when running from a checkout, else "unknown".
"""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def package_version() -> str:
    try:
        return version("tradebot")
    except PackageNotFoundError:
        return "0+unknown"


@lru_cache(maxsize=1)
def build_commit() -> str:
    env = os.environ.get("TRADEBOT_COMMIT", "").strip()
    if env:
        return env[:12]
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"
