"""The README's command tables are real tables, and every command and option they
list exists (the CLI's parsers, the chat's command registry)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot.cli import build_parser
from handlers import collect_commands

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def _tables() -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in README.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def _first_cells(prefix: str) -> list[str]:
    return [
        row.split(" | ")[0].removeprefix("| ")
        for table in _tables()
        for row in table[2:]
        if row.startswith(f"| `{prefix}")
    ]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_table_has_a_header_row_and_a_separator() -> None:
    for table in _tables():
        assert len(table) >= 3, table
        assert re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", table[1]), table[:2]


def test_every_cli_command_and_option_listed_exists() -> None:
    top = _subparsers(build_parser([], load_all=True))
    cells = _first_cells("tradebot ")
    assert len(cells) >= 15
    for cell in cells:
        words = cell.strip("`").split()
        parser = top[words[1]]  # KeyError: the README names a command that does not exist
        nested = _subparsers(parser)
        if nested:
            parser = nested[words[2]]
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", cell):
            assert option in parser._option_string_actions, (cell, option)


def test_every_chat_command_listed_exists() -> None:
    registered = {spec.name for spec in collect_commands()}
    cells = _first_cells("/")
    assert len(cells) >= 20
    listed = {name for cell in cells for name in re.findall(r"`/([a-z]+)", cell)}
    assert listed - registered == set()
    assert registered - listed == set(), "commands the README does not describe"
