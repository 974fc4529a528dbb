"""Readers: from a Document of numbered lines to structure (tables, prose, indicator sets,
score sheets, reports inside the document, the document's kind and fiscal year).

Each reader lives in its own module and reads the Document; the orchestrator below runs them
in order. Lines a table reader has taken are not read again as prose. A reader that fails on an
unexpected layout costs only its own part of the document: the failure is recorded in
`ReadDocument.notes` (reported as a `parse.*` finding) and the other readers still run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from auditor.model import Document, ReadDocument
from auditor.read.class_paths import read_class_paths
from auditor.read.enumerations import read_enumerations
from auditor.read.indicators import read_indicator_sets
from auditor.read.kind import detect_kind, detect_sections
from auditor.read.notes import reader_failed
from auditor.read.observations import read_observations
from auditor.read.prose import read_paragraphs
from auditor.read.rates import read_rates, resolve_operands
from auditor.read.scores import read_score_sheets
from auditor.read.tables import read_tables
from auditor.read.year_cells import mark_periods

T = TypeVar("T")


def _guarded(read: ReadDocument, what: str, reader: Callable[[], T], fallback: T) -> T:
    try:
        return reader()
    except Exception as exc:  # noqa: BLE001 - one reader's bug must not lose the document
        read.notes.append((0, reader_failed(what, exc)))
        return fallback


def read_document(doc: Document) -> ReadDocument:
    read = ReadDocument(doc=doc)
    read.sections = _guarded(read, "section", lambda: detect_sections(doc), [])
    read.tables, table_lines = _guarded(read, "table", lambda: read_tables(doc), ([], set()))
    read.indicator_sets, indicator_lines = _guarded(
        read, "indicator", lambda: read_indicator_sets(doc, read.tables), ([], set()))
    read.score_sheets, score_lines = _guarded(
        read, "score sheet", lambda: read_score_sheets(doc, read.tables), ([], set()))
    taken = table_lines | indicator_lines | score_lines
    read.paragraphs = _guarded(read, "prose", lambda: read_paragraphs(doc, taken), [])
    read.kind, read.year, read.issuer = _guarded(read, "kind", lambda: detect_kind(doc, read),
                                                 ("unknown", None, ""))
    for section in read.sections:
        for collection in (read.tables, read.paragraphs, read.indicator_sets, read.score_sheets):
            for item in collection:
                first = getattr(item, "first_line", None) or getattr(item, "line", None) or item_lines(item)
                if first and section.first_line <= first <= section.last_line and not item.section:
                    item.section = section.title
    # which year each value column holds needs the document's year: known only now
    _guarded(read, "column period", lambda: mark_periods(read), None)
    read.rates = _guarded(read, "rate", lambda: read_rates(read), [])
    read.enumerations = _guarded(read, "enumeration", lambda: read_enumerations(read), [])
    read.class_paths = _guarded(read, "classification path", lambda: read_class_paths(read.paragraphs), [])
    read.observations = _guarded(read, "observation", lambda: read_observations(read), [])
    # operands a rate names but its sentence omits, found by concept anywhere in the document
    _guarded(read, "rate operand", lambda: resolve_operands(read), None)
    return read


def item_lines(item: object) -> int | None:
    lines = getattr(item, "lines", None)
    return lines[0] if lines else None
