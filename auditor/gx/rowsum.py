"""The row-sum check of `ExpectMulticolumnSumToEqualWithTolerance`, in plain pandas (no GX).

Kept apart from the expectation so that it can be tested, and reused, without importing GX.
See `auditor.gx.expectations` for the semantics and the tolerance.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pandas as pd

from auditor.tolerance import Interval, check_sum

FLOAT_SLACK = 1e-12  # relative: absorbs binary floating point only (auditor.gx.expectations explains)
PARTIAL_LIMIT = 20


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value (GX results must serialise to JSON)."""
    return value.item() if hasattr(value, "item") else value


def _decimal(value: float) -> Decimal:
    """A float cell as the decimal it was printed as (the shortest repr round-trips)."""
    return Decimal(repr(float(value)))


def _holds(whole: float, parts: list[float], radius: float, slack: float) -> bool:
    """One row through auditor's interval-sum evaluator: every printed value (the whole and each
    part present) stands for ± `radius`; `slack` widens the whole by the expectation's own
    `tolerance` and the float slack (binary floating point)."""
    if not all(math.isfinite(v) for v in (whole, radius, slack, *parts) if not math.isnan(v)):
        return True  # an infinite cell is no printed number: skipped, as a missing one is
    r, widen = _decimal(radius), _decimal(slack)
    centre = _decimal(whole)
    whole_iv = Interval(centre - r - widen, centre + r + widen)
    part_ivs = (Interval(_decimal(p) - r, _decimal(p) + r) for p in parts if not math.isnan(p))
    return check_sum(whole_iv, part_ivs).holds


def sum_gaps(df: pd.DataFrame, total: str, parts: list[str], optional_parts: list[str] | None = None,
             tolerance: float = 0.0, per_value_tolerance: float = 0.0,
             per_value_tolerance_column: str | None = None) -> dict[str, Any]:
    """Evaluate `total = Σ parts` row by row on a pandas DataFrame (the metric's body)."""
    optional = set(optional_parts or [])
    required = [p for p in parts if p not in optional]
    absent = [c for c in [total, *required] if c not in df.columns]
    if absent:
        return {"applicable": False, "absent_columns": absent, "element_count": len(df)}
    present_optional = [p for p in parts if p in optional and p in df.columns]
    numeric = df[[total, *required, *present_optional]].apply(pd.to_numeric, errors="coerce")
    whole = numeric[total]
    req = numeric[required]
    opt = numeric[present_optional]
    applicable = whole.notna() & req.notna().all(axis=1)
    parts_sum = req.sum(axis=1) + opt.fillna(0).sum(axis=1)
    terms = 1 + len(required) + opt.notna().sum(axis=1)
    if per_value_tolerance_column and per_value_tolerance_column in df.columns:
        radius = pd.to_numeric(df[per_value_tolerance_column], errors="coerce").fillna(0.0)
    else:
        radius = pd.Series(float(per_value_tolerance), index=df.index)
    scale = whole.abs() + req.abs().sum(axis=1) + opt.abs().fillna(0).sum(axis=1)
    allowed = float(tolerance) + radius * terms + FLOAT_SLACK * scale
    difference = whole - parts_sum
    present = numeric[[*required, *present_optional]].to_numpy(dtype=float).tolist()
    wholes, radii = whole.to_numpy(dtype=float).tolist(), radius.to_numpy(dtype=float).tolist()
    slacks = (float(tolerance) + FLOAT_SLACK * scale).to_numpy(dtype=float).tolist()
    failing = [
        df.index[i] for i, ok in enumerate(applicable.tolist())
        if ok and not _holds(wholes[i], present[i], radii[i], slacks[i])
    ]
    partial = [
        {"index": _plain(i), "total": float(whole[i]), "sum_of_parts": float(parts_sum[i]),
         "difference": float(difference[i]), "tolerance": float(allowed[i])}
        for i in failing[:PARTIAL_LIMIT]
    ]
    return {
        "applicable": True,
        "absent_columns": [p for p in parts if p in optional and p not in df.columns],
        "element_count": len(df),
        "checked_count": int(applicable.sum()),
        "unexpected_index_list": [_plain(i) for i in failing],
        "partial_unexpected_list": partial,
    }
