"""What "equal" means: interval arithmetic from printed precision (DESIGN §6).

A printed number stands for every value that rounds to it: "8641.20万元" is
[86,411,950, 86,412,050] 元 and "97.03%" is [97.025, 97.035]. A whole-元 amount is
[x - 0.5, x + 0.5] like any other printed value: published tables round 角分 away. A table that
prints 角分 anywhere is exact to the 分 — the table reader gives its whole-元 cells two decimals
(auditor.read.tables) — and a bare integer without a unit (a count) is exact.
A sum relation fails only when the interval of the total and the interval of the sum of the
parts cannot meet (XBRL Calculations 1.1 style).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from auditor.model import Number
from auditor.numbers import MONEY_UNITS, scale_of

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval [lo, hi] of exact Decimals (in 元 for money, else the printed unit).

    Closed on purpose: DESIGN §6 writes the rounding interval half-open, but a boundary value
    (86,412,050 元 against "8641.20万元") is within rounding of both neighbours, and an auditor
    must not report a difference that rounding can explain.
    """

    lo: Decimal
    hi: Decimal

    def __add__(self, other: Interval) -> Interval:
        """Interval sum: every value a + b with a in self and b in other."""
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        """Interval difference: every value a - b with a in self and b in other."""
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def meets(self, other: Interval) -> bool:
        """True when the two intervals share at least one value (the relation can hold)."""
        return self.lo <= other.hi and other.lo <= self.hi

    def gap(self, other: Interval) -> Decimal:
        """Distance between the two intervals; 0 when they meet."""
        if self.meets(other):
            return ZERO
        return other.lo - self.hi if self.hi < other.lo else self.lo - other.hi

    @property
    def mid(self) -> Decimal:
        """The centre of the interval."""
        return (self.lo + self.hi) / 2

    def contains(self, value: Decimal) -> bool:
        """True when `value` lies in [lo, hi]."""
        return self.lo <= value <= self.hi


def exact(value: Decimal) -> Interval:
    """The degenerate interval [value, value]."""
    return Interval(value, value)


# A document prints few distinct numbers (0.00, one amount in several tables) and every relation
# asks for the interval of each of its cells: a Number and an Interval are frozen, so one interval
# per distinct printed number serves them all (5,168 asks, 270 distinct numbers over the seeds).
@functools.lru_cache(maxsize=4096)
def interval(number: Number, base: bool = True) -> Interval:
    """The interval a printed number stands for; in 元 when `base` and the unit is money.

    "8641.20万元" -> [86,411,950, 86,412,050] 元; "97.03%" -> [97.025, 97.035]; "27元" ->
    [26.5, 27.5] (DESIGN §6: whole 元 are rounded like any printed value); a bare integer
    count is exact; "30万元" -> [295,000, 305,000] 元.
    """
    if number.decimals == 0 and number.unit == "":
        return exact(number.value)  # a bare integer: a count, not a rounded amount
    radius = number.half_ulp
    if base and MONEY_UNITS.get(number.unit):  # 万元, 亿元: in 元 (a scale of 1 changes no Decimal)
        scale = scale_of(number.unit)
        return Interval((number.value - radius) * scale, (number.value + radius) * scale)
    return Interval(number.value - radius, number.value + radius)


def truncation_interval(number: Number) -> Interval:
    """The values that print as `number` when the writer truncated instead of rounding.

    In the printed unit (never scaled). "97.03%" -> [97.03, 97.04]: 97.0399 truncates to
    97.03 but rounds to 97.04. The upper end is closed for the same reason as `interval`.
    """
    ulp = Decimal(10) ** (-number.decimals)
    if number.value >= 0:
        return Interval(number.value, number.value + ulp)
    return Interval(number.value - ulp, number.value)


def total(intervals: Iterable[Interval]) -> Interval:
    """The interval of a sum: n parts of d decimals widen it by n half-ulps on each side."""
    # The ends summed in the same order as Interval.__add__ would (the same Decimals), without an
    # Interval per step: sums are taken for every relation of every table.
    lo = hi = ZERO
    for item in intervals:
        lo += item.lo
        hi += item.hi
    return Interval(lo, hi)


@functools.lru_cache(maxsize=4096)
def cell_interval(number: Number | None, table_unit: str = "") -> Interval:
    """The interval of a table cell: a blank cell is exactly 0, and a number printed without a
    unit is in `table_unit` (the unit of the table's heading, "单位：万元"). Without a
    `table_unit`, a whole number printed bare stays a count and is exact (see `interval`)."""
    if number is None:
        return exact(ZERO)
    if number.unit or not table_unit:
        return interval(number)
    return interval(Number(number.value, number.decimals, table_unit, number.text))


@dataclass(frozen=True)
class SumCheck:
    """A sum relation evaluated on intervals: the whole, the sum of the parts, and the gap."""

    whole: Interval
    parts: Interval  # the sum of the parts (for a subitem: the one part)
    gap: Decimal  # 0 when the relation can hold; else how far apart the two sides are

    @property
    def holds(self) -> bool:
        return self.gap == 0


def check_sum(whole: Interval, parts: Iterable[Interval], subitem: bool = False) -> SumCheck:
    """Does "whole = Σ parts" hold within printed precision? It does when the interval of the
    whole and the interval of the sum of the parts meet (DESIGN §6).

    With `subitem` the one part is a 其中 line of the whole: it may be any amount up to the whole,
    so the relation fails only when the part's interval lies wholly above the whole's.
    """
    if subitem:
        part = next(iter(parts))
        return SumCheck(whole, part, max(ZERO, part.lo - whole.hi))
    summed = total(parts)
    return SumCheck(whole, summed, whole.gap(summed))


def sum_gap(whole: Number, parts: list[Number]) -> Decimal:
    """The gap (in 元 or the printed unit) between a printed total and the sum of its parts."""
    return check_sum(interval(whole), (interval(p) for p in parts)).gap
