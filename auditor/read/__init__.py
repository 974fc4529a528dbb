"""Readers: from a Document of numbered lines to structure (tables, prose, indicator sets,
score sheets, reports inside the document, the document's kind and fiscal year).

Each reader lives in its own module and reads the Document; the orchestrator below runs them
in order. Lines a table reader has taken are not read again as prose.
"""

from __future__ import annotations

from auditor.model import Document, ReadDocument
from auditor.read.indicators import read_indicator_sets
from auditor.read.kind import detect_kind, detect_sections
from auditor.read.prose import read_paragraphs
from auditor.read.rates import read_rates
from auditor.read.scores import read_score_sheets
from auditor.read.tables import read_tables


def read_document(doc: Document) -> ReadDocument:
    read = ReadDocument(doc=doc)
    read.sections = detect_sections(doc)
    read.tables, table_lines = read_tables(doc)
    read.indicator_sets, indicator_lines = read_indicator_sets(doc, read.tables)
    read.score_sheets, score_lines = read_score_sheets(doc, read.tables)
    taken = table_lines | indicator_lines | score_lines
    read.paragraphs = read_paragraphs(doc, taken)
    read.kind, read.year, read.issuer = detect_kind(doc, read)
    for section in read.sections:
        for collection in (read.tables, read.paragraphs, read.indicator_sets, read.score_sheets):
            for item in collection:
                first = getattr(item, "first_line", None) or getattr(item, "line", None) or item_lines(item)
                if first and section.first_line <= first <= section.last_line and not item.section:
                    item.section = section.title
    read.rates = read_rates(read)
    return read


def item_lines(item: object) -> int | None:
    lines = getattr(item, "lines", None)
    return lines[0] if lines else None
