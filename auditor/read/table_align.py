"""Rows that lost empty cells: restore them by the table's own arithmetic.

PDF-to-text extraction drops empty cells now and then, so a row prints one value fewer than
the table has value columns (seed 001, economic-class table). Position alone cannot say which
cell went missing. We try every place for the missing blank(s), keep the placements under which
the row's own relations hold (合计 = 基本 + 项目, 小计 = Σ parts), and when several placements
give different numbers, pick the ones that make the column totals of the table add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import combinations, product

from auditor.model import Number
from auditor.tolerance import ZERO, SumCheck, cell_interval, check_sum

# A row relation over value-column positions: (kind, whole position, part positions).
RowTemplate = tuple[str, int, tuple[int, ...]]

MAX_EXHAUSTIVE = 4096


def _check(kind: str, whole: Number | None, parts: Sequence[Number | None]) -> SumCheck | None:
    """The relation evaluated on the cells' intervals; None for a 其中 (subitem) relation whose
    part is blank: a blank 其中 line says nothing about the whole.

    No table unit is given: the cells were parsed with their column's unit, and a bare whole
    number left without one is a count, exact."""
    if kind == "subitem" and (not parts or parts[0] is None):
        return None
    return check_sum(cell_interval(whole), (cell_interval(p) for p in parts), subitem=kind == "subitem")


def holds(kind: str, whole: Number | None, parts: Sequence[Number | None]) -> bool:
    """Does a sum (or, for "subitem", a part ≤ whole) relation hold within printed precision?"""
    result = _check(kind, whole, parts)
    return result is None or result.holds


def gap(kind: str, whole: Number | None, parts: Sequence[Number | None]) -> Decimal:
    """How far a relation is from holding (0 when it holds), in base units."""
    result = _check(kind, whole, parts)
    return ZERO if result is None else result.gap


def placements(values: list[str], width: int) -> list[list[str]]:
    """Every way to put `width - len(values)` blank cells among `values` (order kept)."""
    missing = width - len(values)
    if missing <= 0:
        return [values[:width]]
    out = []
    for slots in combinations(range(width), missing):
        row: list[str] = []
        it = iter(values)
        for j in range(width):
            row.append("" if j in slots else next(it))
        out.append(row)
    return out


def satisfying(cands: list[list[Number | None]], templates: list[RowTemplate]) -> list[int]:
    """Indices of the candidate rows under which every row template holds.

    The candidates are placements of the same few values, so most relations recur across them
    with the very same cells: each distinct relation (by its cells' identity) is evaluated once.
    """
    keep = []
    seen: dict[tuple[int, ...], bool] = {}
    for idx, nums in enumerate(cands):
        for number, (kind, w, parts) in enumerate(templates):
            key = (number, id(nums[w]), *(id(nums[p]) for p in parts))
            result = seen.get(key)
            if result is None:
                result = seen[key] = holds(kind, nums[w], [nums[p] for p in parts])
            if not result:
                break
        else:
            keep.append(idx)
    return keep


def value_key(nums: list[Number | None]) -> tuple[Decimal, ...]:
    """Candidates that differ only in where a blank (= 0) sits are the same alignment."""
    return tuple(ZERO if n is None else n.value for n in nums)


def resolve_by_totals(
    residual: list[Decimal], options: list[list[list[Number | None]]]
) -> list[int]:
    """Choose one option per ambiguous row so the columns best reach their printed totals.

    `residual[j]` is column j's printed total minus the detail rows already fixed; each option
    is a candidate row of numbers. First drops options that cannot fit (a non-negative table
    cannot put more into a column than is left of its total), then maximises the number of
    columns whose total is met exactly and minimises Σ_j |residual_j − Σ chosen_j|
    (exhaustively when the search is small, by coordinate descent otherwise).
    """
    width = len(residual)
    vals = [[[ZERO if n is None else n.value for n in opt] for opt in row_opts] for row_opts in options]
    alive = [list(range(len(row_opts))) for row_opts in options]
    nonneg = all(v >= 0 for row in vals for opt in row for v in opt) and all(r >= 0 for r in residual)
    changed = nonneg
    while changed:
        changed = False
        floor = [[min(vals[r][c][j] for c in alive[r]) for j in range(width)] for r in range(len(vals))]
        base = [sum((floor[r][j] for r in range(len(vals))), ZERO) for j in range(width)]
        for r in range(len(vals)):
            room = [residual[j] - base[j] + floor[r][j] for j in range(width)]
            fits = [c for c in alive[r] if all(vals[r][c][j] <= room[j] for j in range(width))]
            if fits and len(fits) < len(alive[r]):
                alive[r] = fits
                changed = True

    def cost(choice: Sequence[int]) -> tuple[int, Decimal]:
        sums = list(residual)
        for r, c in enumerate(choice):
            row = vals[r][c]
            for j in range(width):
                sums[j] -= row[j]
        return _cost(sums)

    size = 1
    for row_alive in alive:
        size *= len(row_alive)
    if size <= MAX_EXHAUSTIVE:
        return list(min(product(*alive), key=cost))
    # Coordinate descent with the column sums kept up to date: trying one option of one row
    # costs O(width), not a re-sum of the whole table (1,000 ambiguous rows were quadratic).
    choice = [row_alive[0] for row_alive in alive]
    sums = list(residual)
    for r, c in enumerate(choice):
        for j in range(width):
            sums[j] -= vals[r][c][j]
    best_cost = _cost(sums)
    for _ in range(10):
        improved = False
        for r, row_alive in enumerate(alive):
            for c in row_alive:
                if c == choice[r]:
                    continue
                old, new = vals[r][choice[r]], vals[r][c]
                trial = [sums[j] + old[j] - new[j] for j in range(width)]
                trial_cost = _cost(trial)
                if trial_cost < best_cost:
                    choice[r], sums, best_cost, improved = c, trial, trial_cost, True
        if not improved:
            break
    return choice


def _cost(sums: Sequence[Decimal]) -> tuple[int, Decimal]:
    """Columns whose total is met exactly (more is better), then the total distance left."""
    return (-sum(1 for s in sums if s == 0), sum((abs(s) for s in sums), ZERO))
