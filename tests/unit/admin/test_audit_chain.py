"""The hash chain on its own: canonical JSON, hashes, and every kind of break."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from core.audit_chain import GENESIS, ChainRow, canonical_json, row_hash, verify_chain


def _chain(n: int) -> list[ChainRow]:
    rows, prev = [], GENESIS
    for i in range(1, n + 1):
        rationale = canonical_json({"who": f"user:{i}", "what": {"amount": Decimal(i)}})
        h = row_hash(prev, i, 1000 + i, f"user:{i}", "deposit.change", f"user:{i}", rationale)
        rows.append(ChainRow(i, i, 1000 + i, f"user:{i}", "deposit.change", f"user:{i}",
                             rationale, prev, h))  # fmt: skip
        prev = h
    return rows


def test_canonical_json_is_sorted_compact_and_exact() -> None:
    value = {"b": Decimal("1.50"), "a": [1, (2, 3)], "é": datetime(2026, 1, 1, tzinfo=UTC)}
    assert canonical_json(value) == '{"a":[1,[2,3]],"b":"1.50","é":"2026-01-01T00:00:00+00:00"}'
    assert canonical_json({"s": {3, 1, 2}}) == '{"s":[1,2,3]}'


def test_row_hash_is_sha256_of_prev_and_canonical_payload() -> None:
    payload = '{"actor":"a","event":"e","rationale":{"x":1},"seq":1,"subject":null,"ts_ms":5}'
    expected = hashlib.sha256((GENESIS + payload).encode()).hexdigest()
    assert row_hash(GENESIS, 1, 5, "a", "e", None, {"x": 1}) == expected
    assert row_hash(GENESIS, 1, 5, "a", "e", None, '{"x": 1}') == expected  # stored text


def test_whole_chain_verifies() -> None:
    rows = _chain(5)
    assert verify_chain(rows, (5, rows[-1].hash)) is None
    assert verify_chain([], (0, GENESIS)) is None


def test_modified_row_is_named() -> None:
    rows = _chain(5)
    rows[2] = replace(rows[2], rationale=rows[2].rationale.replace('"3"', '"300"'))
    problem = verify_chain(rows)
    assert problem is not None and (problem.kind, problem.seq) == ("modified", 3)


def test_rewritten_hash_is_caught_by_the_next_row() -> None:
    rows = _chain(5)
    forged = replace(rows[1], actor="admin:1")
    forged = replace(
        forged,
        hash=row_hash(forged.prev_hash, 2, forged.ts_ms, "admin:1", forged.event,
                      forged.subject, forged.rationale),
    )  # fmt: skip
    rows[1] = forged
    problem = verify_chain(rows)
    assert problem is not None and (problem.kind, problem.seq) == ("modified", 2)


def test_deleted_rows_are_named() -> None:
    rows = _chain(6)
    problem = verify_chain(rows[:2] + rows[4:])
    assert problem is not None and (problem.kind, problem.seq) == ("deleted", 3)
    assert "3..4" in problem.detail
    # the newest row dropped: only the head knows
    problem = verify_chain(rows[:5], (6, rows[5].hash))
    assert problem is not None and (problem.kind, problem.seq) == ("deleted", 6)


def test_reordered_rows_are_named() -> None:
    rows = _chain(5)
    swapped = [rows[0], replace(rows[2], id=2), replace(rows[1], id=3), rows[3], rows[4]]
    problem = verify_chain(swapped)
    assert problem is not None and (problem.kind, problem.seq) == ("reordered", 2)
