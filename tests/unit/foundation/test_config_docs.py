"""`.env.example` and the README's configuration tables document every setting.

Features add `Settings` fields all the time; these tests fail as soon as one is
missing from either place, and check that `.env.example` states the real defaults
(copying it to `.env` must change nothing).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import Settings

ROOT = Path(__file__).resolve().parents[3]
ENV_NAMES = sorted(name.upper() for name in Settings.model_fields)


def _example_lines() -> dict[str, str]:
    """`NAME=value` lines, including commented-out `# NAME=` ones (unset by default)."""
    found: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_env_example_names_every_setting() -> None:
    documented = _example_lines()
    missing = [name for name in ENV_NAMES if name not in documented]
    assert missing == [], f"add to .env.example: {missing}"
    unknown = sorted(set(documented) - set(ENV_NAMES))
    assert unknown == [], f".env.example names variables Settings does not have: {unknown}"


def test_env_example_values_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:  # only the file speaks
        monkeypatch.delenv(name, raising=False)
    from_file = Settings(_env_file=ROOT / ".env.example")
    defaults = Settings(_env_file=None)
    differ = [
        name.upper()
        for name in Settings.model_fields
        if getattr(from_file, name) != getattr(defaults, name)
    ]
    assert differ == [], f".env.example values differ from the defaults: {differ}"


def test_env_example_lines_have_a_comment() -> None:
    """Each variable, or each group of adjacent ones, sits under a comment line."""
    assignment = re.compile(r"#?\s*[A-Z][A-Z0-9_]*=.*")
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if assignment.fullmatch(line.strip()):
            block = i
            while block > 0 and assignment.fullmatch(lines[block - 1].strip()):
                block -= 1
            assert block > 0 and lines[block - 1].startswith("# "), line


def test_readme_configuration_tables_name_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    listed = {
        name
        for row in section.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])
    }
    missing = [name for name in ENV_NAMES if name not in listed]
    assert missing == [], f"add to the README's configuration tables: {missing}"
