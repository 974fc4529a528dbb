"""Score sheets (placeholder until the score reader lands)."""

from __future__ import annotations

from auditor.model import Document, ScoreSheet, Table


def read_score_sheets(doc: Document, tables: list[Table]) -> tuple[list[ScoreSheet], set[int]]:
    return [], set()
