"""Shared by rate/execution.py and score/execution.py: the execution rates (预算执行率) a report
prints, by report section. `rate.same_metric` compares the copies with each other and
`score.execution_points` compares the points with them, so both must read the same copies.
"""

from __future__ import annotations

from auditor.model import Number, ReadDocument
from auditor.read.rates import is_execution_rate


def section_of(read: ReadDocument, line: int) -> str:
    """The title of the report section a line is in ("" before the first heading)."""
    section = read.section_at(line)
    return section.title if section else ""


def execution_rates(read: ReadDocument) -> dict[str, list[tuple[Number, int]]]:
    """Printed execution rates of the whole project, by report section."""
    out: dict[str, list[tuple[Number, int]]] = {}
    for statement in getattr(read, "rates", []):
        if statement.kind != "named" or statement.rate is None:
            continue
        if not is_execution_rate(statement.label):
            continue
        out.setdefault(section_of(read, statement.line), []).append((statement.rate, statement.line))
    return out
