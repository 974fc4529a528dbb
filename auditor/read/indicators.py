"""Indicator sets (placeholder until the indicator reader lands)."""

from __future__ import annotations

from auditor.model import Document, IndicatorSet, Table


def read_indicator_sets(doc: Document, tables: list[Table]) -> tuple[list[IndicatorSet], set[int]]:
    return [], set()
