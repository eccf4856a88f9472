"""The audit log's hash chain: canonical serialization, row hashes and verification.

Pure functions so the service, the CLI and the tests agree byte for byte.

Canonical JSON: UTF-8, keys sorted, no whitespace (`","` and `":"`), non-ASCII kept
as is, no NaN/Infinity; `Decimal` as its decimal string, datetimes as ISO-8601,
tuples and sets as lists (sets sorted). A row's hash is
`sha256(prev_hash + canonical({"seq", "ts_ms", "actor", "event", "subject",
"rationale"}))` in hex; the first row's `prev_hash` is 64 zeros. Because every row
carries its predecessor's hash, changing, dropping or moving any row breaks the
chain at that row, and `verify_chain` names the first place it breaks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return _plain(value.value)
    return value


def canonical_json(value: Any) -> str:
    """The one serialization hashed by the chain (see the module docstring)."""
    return json.dumps(
        _plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


@dataclass(frozen=True, slots=True)
class ChainRow:
    id: int  # storage order
    seq: int  # position in the chain, 1..n
    ts_ms: int
    actor: str
    event: str
    subject: str | None
    rationale: str  # canonical JSON text as stored
    prev_hash: str
    hash: str


def row_hash(
    prev_hash: str,
    seq: int,
    ts_ms: int,
    actor: str,
    event: str,
    subject: str | None,
    rationale: Any,
) -> str:
    """`rationale` is the object (or its stored JSON text, which is parsed first)."""
    if isinstance(rationale, str):
        rationale = json.loads(rationale)
    payload = {
        "seq": seq,
        "ts_ms": ts_ms,
        "actor": actor,
        "event": event,
        "subject": subject,
        "rationale": rationale,
    }
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


ProblemKind = Literal["modified", "deleted", "reordered"]


@dataclass(frozen=True, slots=True)
class ChainProblem:
    kind: ProblemKind
    seq: int  # the chain position where the break is seen
    row_id: int | None
    detail: str

    def describe(self) -> str:
        where = f"seq {self.seq}" + (f" (row id {self.row_id})" if self.row_id is not None else "")
        return f"{self.kind}: {where}: {self.detail}"


def _recomputed(row: ChainRow) -> str | None:
    try:
        return row_hash(
            row.prev_hash, row.seq, row.ts_ms, row.actor, row.event, row.subject, row.rationale
        )
    except (ValueError, TypeError):
        return None


def verify_chain(
    rows: Sequence[ChainRow], head: tuple[int, str] | None = None
) -> ChainProblem | None:
    """The first break in `rows` (in storage order), or None when the chain is whole.

    `head` is the (seq, hash) the log recorded as its newest row; it catches rows
    deleted from the end, which leave no gap behind them.
    """
    seqs = {row.seq for row in rows}
    expected, prev = 1, GENESIS
    previous: ChainRow | None = None
    for row in rows:
        if row.seq != expected:
            if row.seq < expected or expected in seqs:
                return ChainProblem(
                    "reordered",
                    expected,
                    row.id,
                    f"expected seq {expected} here, found seq {row.seq}",
                )
            missing = f"{expected}" if row.seq == expected + 1 else f"{expected}..{row.seq - 1}"
            return ChainProblem("deleted", expected, row.id, f"seq {missing} missing")
        if _recomputed(row) != row.hash:
            return ChainProblem("modified", row.seq, row.id, "content does not match its hash")
        if row.prev_hash != prev:
            assert previous is not None  # the first row's prev is checked via its hash
            return ChainProblem(
                "modified",
                previous.seq,
                previous.id,
                f"its hash was rewritten: seq {row.seq} still points to another one",
            )
        expected, prev, previous = expected + 1, row.hash, row
    if head is not None:
        head_seq, head_hash = head
        last = expected - 1
        if head_seq > last:
            span = f"{last + 1}" if head_seq == last + 1 else f"{last + 1}..{head_seq}"
            return ChainProblem("deleted", last + 1, None, f"seq {span} missing at the end")
        if head_seq < last:
            return ChainProblem(
                "modified",
                head_seq + 1,
                None,
                f"seq {head_seq + 1}..{last} beyond the recorded head",
            )
        if last > 0 and head_hash != prev:
            return ChainProblem(
                "modified", last, previous.id if previous else None, "last row differs from head"
            )
    return None
