"""Deposits through the real service and a real SQLite file: ledger and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.accounts.dto import AccountError
from services.accounts.grammar import DepositCommand
from services.accounts.service import AccountService

D = Decimal


async def test_set_add_withdraw_and_ledger(accounts: AccountService) -> None:
    assert not (await accounts.get(101)).exists
    await accounts.change(101, DepositCommand("set", D(1000)))
    await accounts.change(101, DepositCommand("add", D("200.12345678")))
    acct = await accounts.change(101, DepositCommand("withdraw", D(100)))
    assert acct.deposit == D("1100.12345678") and acct.balance == acct.deposit
    ledger = await accounts.ledger(101)
    assert [(e.kind, e.amount, e.deposit_after) for e in ledger] == [
        ("withdraw", D(-100), D("1100.12345678")),
        ("add", D("200.12345678"), D("1200.12345678")),
        ("set", D(1000), D(1000)),
    ]
    # another user and another mode are untouched
    assert not (await accounts.get(102)).exists
    assert not (await accounts.get(101, "backfill")).exists


@pytest.mark.parametrize(
    ("command", "key"),
    [
        (DepositCommand("withdraw", D(1000)), "deposit-err-not-positive"),
        (DepositCommand("withdraw", D(5000)), "deposit-err-not-positive"),
        (DepositCommand("set", D(0)), "deposit-err-not-positive"),
        (DepositCommand("add", D(999_999_999)), "deposit-err-too-large"),
    ],
)
async def test_refusals_change_nothing(
    accounts: AccountService, command: DepositCommand, key: str
) -> None:
    await accounts.change(101, DepositCommand("set", D(1000)))
    with pytest.raises(AccountError) as err:
        await accounts.change(101, command)
    assert err.value.key == key
    assert (await accounts.get(101)).deposit == D(1000)
    assert len(await accounts.ledger(101)) == 1
