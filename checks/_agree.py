"""Shared by crosstable/same_quantity.py and narrative/quotes.py: comparing observations of one concept.

* which observations agree (interval clusters) and which cluster is the reference;
* how suspicious a printed cell is (how many of its own table's sum relations fail);
* the value a cell would need to repair a tie, written the way the cell prints its numbers
  (tables: exactly as `checks._sums.render` writes a repair, so the ranking graph sees one
  suggested value per cell; prose: in the prose unit and precision);
* where an observation was read, as a `location.*` part of checks/messages/_parts.yaml (the
  message names it in the reader's language at render time).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from auditor.engine import RuleContext
from auditor.model import Evidence, Number, ReadDocument
from auditor.numbers import format_decimal, format_like, scale_of
from auditor.read.observations import ObsCell, Observation, describe, in_every_language
from auditor.tolerance import Interval
from checks._sums import evaluate, render

ZERO = Decimal(0)


class FailedCells:
    """Cell key -> how many sum relations of its own table fail with that cell in them; computed
    on first use (only a disagreement needs it)."""

    def __init__(self, read: ReadDocument) -> None:
        self.read = read
        self._counts: dict[str, int] | None = None

    def get(self, key: str, default: int = 0) -> int:
        if self._counts is None:
            self._counts = failed_cells(self.read)
        return self._counts.get(key, default)


def failed_cells(read: ReadDocument) -> dict[str, int]:
    """Cell key -> how many sum relations of its own table fail with that cell in them."""
    out: dict[str, int] = {}
    for table in read.tables:
        for relation in table.relations:
            ev = evaluate(table, relation)
            if ev is None or ev.holds:
                continue
            for ref in (ev.whole, *ev.parts):
                key = f"{table.name}|{ref.key}"
                out[key] = out.get(key, 0) + 1
    return out


def suspicion(obs: Observation, failed: FailedCells | dict[str, int]) -> int:
    return sum(failed.get(c.key, 0) for c in obs.cells)


def clusters(observations: Iterable[Observation]) -> list[list[Observation]]:
    """Groups of observations that can all be the same value (every pair of intervals meets)."""
    out: list[tuple[list[Observation], list[Interval]]] = []
    for obs in sorted(observations, key=lambda o: (o.interval().lo, o.line)):
        iv = obs.interval()
        for members, intervals in out:
            if all(iv.meets(other) for other in intervals):
                members.append(obs)
                intervals.append(iv)
                break
        else:
            out.append(([obs], [iv]))
    return [members for members, _ in out]


def meets_any(iv: Interval, cluster: list[Observation]) -> bool:
    return any(iv.meets(o.interval()) for o in cluster)


def mid(observations: list[Observation]) -> Decimal:
    """The reference value of a cluster: a printed exact value when there is one, else the
    midpoint of what all members allow."""
    exact_values = [o.interval().lo for o in observations if o.interval().lo == o.interval().hi]
    if exact_values:
        return exact_values[0]
    lo = max(o.interval().lo for o in observations)
    hi = min(o.interval().hi for o in observations)
    return (lo + hi) / 2 if lo <= hi else observations[0].interval().mid


def show_value(value: Decimal, like: Observation) -> str:
    """`value` (in 元) written the way the observation prints its numbers."""
    if like.source == "prose":
        return show_prose(value, like.number)
    cell = next((c for c in like.cells if c.number is not None), None)
    if cell is not None and len(like.cells) == 1:
        return render(value, cell.number, cell.unit, cell.thousands)
    unit = like.unit or "元"
    thousands = any(c.thousands for c in like.cells)
    return render(value, None if cell is None else Number(cell.number.value, cell.number.decimals, unit,
                                                          cell.number.text), unit, thousands)


def show_prose(value: Decimal, like: Number) -> str:
    shown = value / scale_of(like.unit)
    return format_like(shown, like) if like.text else format_decimal(shown, like.decimals, False) + like.unit


def printed_text(obs: Observation) -> str:
    """The observation's value as printed (a computed one: the sum written like its cells)."""
    if len(obs.cells) == 1 and obs.cells[0].number is not None and obs.derived in ("", "alias"):
        return obs.cells[0].number.text
    if obs.source == "prose":
        return obs.number.text
    if not obs.cells and obs.derived == "empty":
        return "（空表）"
    if len(obs.cells) == 1 and obs.cells[0].number is None:
        return "（空）"
    return show_value(obs.interval().mid, obs)


def repairs(obs: Observation, target: Decimal) -> dict[str, str]:
    """For each cell of `obs`, the value that alone would make `obs` equal `target` (in 元)."""
    out: dict[str, str] = {}
    if obs.source == "prose":
        cell = obs.cells[0] if obs.cells else None
        if cell is not None:
            out[cell.key] = show_prose(target, obs.number)
        return out
    total_mid = sum((c.interval().mid for c in obs.cells), ZERO)
    for cell in obs.cells:
        needed = target - (total_mid - cell.interval().mid)
        if needed < 0:
            continue
        out[cell.key] = _render_cell(needed, cell)
    return out


def _render_cell(value: Decimal, cell: ObsCell) -> str:
    if cell.number is None:
        return render(value, None, cell.unit, cell.thousands)
    return render(value, cell.number, cell.unit, cell.thousands)


def cell_names(observations: Iterable[Observation]) -> dict[str, str]:
    out: dict[str, str] = {}
    for obs in observations:
        for cell in obs.cells:
            out.setdefault(cell.key, cell.name)
    return out


def cell_keys(observations: Iterable[Observation]) -> list[str]:
    out: list[str] = []
    for obs in observations:
        for cell in obs.cells:
            if cell.key not in out:
                out.append(cell.key)
    return out


def evidence(ctx: RuleContext, first: Observation, others: Iterable[Observation], limit: int = 8) -> list[Evidence]:
    """The lines of `first` (with its printed value) and then of the observations it is compared with."""
    seen: set[int] = set()
    out: list[Evidence] = []

    def add(line: int, value: str | None) -> None:
        if line and line not in seen and len(out) < limit:
            seen.add(line)
            out.append(ctx.evidence(line, value))

    for cell in first.cells or ():
        add(cell.line, cell.number.text if cell.number is not None else None)
    add(first.line, printed_text(first))
    for obs in others:
        for cell in obs.cells:
            add(cell.line, cell.number.text if cell.number is not None else None)
        add(obs.line, printed_text(obs))
    return out


def where(obs: Observation, catalog: object = None, year: int | None = None) -> dict[str, object]:
    """An observation as a reader finds it (表名「行」「列」, 正文第 N 行「标签」…): a `location.*`
    part of checks/messages/_parts.yaml, worded at render time."""
    if obs.source == "prose":
        return {"part": "location.prose", "line": obs.line, "label": obs.label}
    if obs.derived == "empty":
        return {"part": "location.empty_table", "table": obs.table}
    if obs.derived == "tie":
        return {"part": "location.economic_tie", "table": obs.table, "codes": obs.label}
    if obs.derived in ("sum", "rollup", "formula"):
        return {"part": "location.sum_of_rows", "table": obs.table,
                "what": in_every_language(lambda lang: describe(obs.concept, lang, catalog, year))}
    return {"part": "location.cell", "table": obs.table, "row": obs.row or obs.label, "column": obs.column}


def places(observations: Iterable[Observation], catalog: object = None, year: int | None = None,
           shown: int = 3) -> list[dict[str, object]]:
    """Where the observations were read, each place once; past `shown` places, how many more."""
    out: list[dict[str, object]] = []
    for obs in observations:
        place = where(obs, catalog, year)
        if place not in out:
            out.append(place)
    if len(out) > shown:
        out = [*out[:shown], {"part": "more_places", "count": len(out) - shown}]
    return out


def money_gap(a: Interval, b: Interval) -> Decimal:
    return a.gap(b)
