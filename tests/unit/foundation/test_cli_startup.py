"""`tradebot` parses its arguments without importing the heavy libraries.

Each check runs in a fresh interpreter, so `sys.modules` shows exactly what the
command line imported. The lazy parser must read exactly like the one with every
command module loaded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("pandas", "numpy", "matplotlib", "ccxt", "numba", "anthropic", "aiogram", "sqlalchemy")

PROBE = """
import json, sys
from bot.cli import build_parser, main
argv = json.loads(sys.argv[1])
if argv[-1] == "--help":
    try:
        main(argv)
    except SystemExit:
        pass
else:
    build_parser(argv).parse_args(argv)
heavy = json.loads(sys.argv[2])
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def _imported(argv: list[str]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["run", "--help"], ["health", "--help"], ["migrate"], ["audit", "verify"]],
)
def test_parsing_imports_nothing_heavy(argv: list[str]) -> None:
    assert _imported(argv) == []


def test_top_level_help_reads_as_with_every_module_loaded() -> None:
    lazy, eager = build_parser([]), build_parser([], load_all=True)
    assert lazy.format_help() == eager.format_help()
    registered = {
        action.dest: action.help
        for action in eager._subparsers._group_actions[0]._choices_actions  # type: ignore[union-attr]
    }
    assert registered == {entry.name: entry.help for entry in COMMANDS}


@pytest.mark.parametrize("name", [entry.name for entry in COMMANDS])
def test_each_command_gets_its_real_parser(name: str) -> None:
    def sub(parser: object) -> argparse.ArgumentParser:
        return parser._subparsers._group_actions[0].choices[name]  # type: ignore[attr-defined]

    lazy = sub(build_parser([name]))
    assert lazy.format_help() == sub(build_parser([], load_all=True)).format_help()
    assert lazy.get_default("func") is not None or name in ("audit", "data")  # nested commands
