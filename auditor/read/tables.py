"""Tables (placeholder until the table reader lands)."""

from __future__ import annotations

from auditor.model import Document, Table


def read_tables(doc: Document) -> tuple[list[Table], set[int]]:
    return [], set()
