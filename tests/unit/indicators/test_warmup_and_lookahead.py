"""Warm-up is NaN (never 0) for exactly the documented number of bars, outputs keep the
input's length, and no value at bar t changes when the data after t is removed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from indicator_cases import CASES, Case

from core.indicators import compute_all


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_warmup_is_nan_then_values(case: Case, btc_1h: pd.DataFrame) -> None:
    outputs = case.ours(btc_1h)
    assert len(outputs) == len(case.warmup)
    for out, warm in zip(outputs, case.warmup, strict=True):
        assert out.dtype == np.float64
        assert out.shape == (len(btc_1h),)
        assert np.isnan(out[:warm]).all()
        if case.name.startswith("swing"):
            assert np.isfinite(out[warm:]).sum() > 50  # sparse: only confirmation bars
        else:
            assert np.isfinite(out[warm:]).all(), f"{case.name}: NaN after warm-up"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("rows", [0, 1, 5, 20])
def test_short_input_keeps_length(case: Case, btc_1h: pd.DataFrame, rows: int) -> None:
    frame = btc_1h.iloc[:rows].reset_index(drop=True)
    for out, warm in zip(case.ours(frame), case.warmup, strict=True):
        assert out.shape == (rows,)
        assert np.isnan(out[: min(warm, rows)]).all()


CUTS = [1, 2, 15, 34, 60, 201, 777, 1500, 2399]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_no_lookahead(case: Case, btc_1h: pd.DataFrame) -> None:
    frame = btc_1h.iloc[:2400]
    full = case.ours(frame)
    for cut in CUTS:
        for whole, part in zip(full, case.ours(frame.iloc[:cut]), strict=True):
            np.testing.assert_array_equal(part, whole[:cut], err_msg=f"{case.name} cut {cut}")


def test_compute_all_has_no_lookahead(eth_15m: pd.DataFrame) -> None:
    frame = eth_15m.iloc[:2400]
    full = compute_all(frame)
    for cut in CUTS:
        part = compute_all(frame.iloc[:cut])
        for key, values in part.items():
            np.testing.assert_array_equal(values, full[key][:cut], err_msg=f"{key} cut {cut}")
