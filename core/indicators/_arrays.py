"""Input coercion and the one NaN rule every indicator follows.

The rule: a bar where any input is NaN (or ±inf) is treated as *absent*. Its output
is NaN, and the indicator is computed over the remaining bars as if that bar did not
exist (a window of N bars counts N valid bars; a recursion continues from the last
valid bar). Leading NaNs therefore just delay the warm-up, exactly like TA-Lib; an
interior NaN costs one bar instead of poisoning the rest of the series, which is
what TA-Lib's running sums and recursions would do. Gaps are never forward-filled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike


def as_float(x: ArrayLike, name: str = "x") -> FloatArray:
    """Contiguous 1-D float64 copy-if-needed view of `x` (numpy, list or pandas)."""
    arr = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def as_floats(*named: tuple[str, ArrayLike]) -> list[FloatArray]:
    """Coerce several inputs and insist they are the same length."""
    arrays = [as_float(x, name) for name, x in named]
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        sizes = ", ".join(f"{name}={len(a)}" for (name, _), a in zip(named, arrays, strict=True))
        raise ValueError(f"inputs differ in length: {sizes}")
    return arrays


def check_period(value: int, name: str = "period", minimum: int = 1) -> int:
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def nan_array(n: int) -> FloatArray:
    return np.full(n, np.nan, dtype=np.float64)


def empty(n: int) -> FloatArray:
    """Output buffer for a kernel (which fills the warm-up with NaN itself)."""
    return np.empty(n, dtype=np.float64)


def _invalid_mask(arrays: Sequence[np.ndarray]) -> npt.NDArray[np.bool_] | None:
    """Mask of bars with any non-finite input, or None when every bar is valid.

    A sum is a cheap allocation-free screen: it is finite whenever all inputs are
    (an overflowing sum only sends us down the exact path, which then finds nothing).
    """
    if all(np.isfinite(np.add.reduce(a)) for a in arrays if a.dtype.kind == "f"):
        return None
    bad = np.zeros(len(arrays[0]), dtype=np.bool_)
    for a in arrays:
        if a.dtype.kind == "f":
            bad |= ~np.isfinite(a)
    return bad if bad.any() else None


def on_valid_bars(
    compute: Callable[..., tuple[FloatArray, ...]], *arrays: np.ndarray, **kwargs: Any
) -> tuple[FloatArray, ...]:
    """Apply the NaN rule: run `compute` over valid bars only and scatter the result back."""
    bad = _invalid_mask(arrays)
    if bad is None:
        return compute(*arrays, **kwargs)
    good = ~bad
    partial = compute(*(a[good] for a in arrays), **kwargs)
    results = []
    for values in partial:
        full = nan_array(len(good))
        full[good] = values
        results.append(full)
    return tuple(results)
