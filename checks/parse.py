"""Parse suite: content that was seen but could not be understood, said out loud.

A reader that cannot place a row, or fails on a layout, would otherwise make the audit look
cleaner than it is. These findings are `info`: they are not errors in the document, but they
tell a reviewer which parts were not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from auditor.engine import RuleContext, rule
from auditor.model import Finding, Location, ReadDocument


@rule(
    "parse.unread",
    severity="info",
    applies_to="document",
)
def unread(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Reports what the readers saw but could not place: a reader that failed on the layout (that
    content was not checked), or a table whose cells were placed by a guess (a row that lost
    cells, a column count or row break guessed, cells glued without separators: read, but the
    reviewer should compare it with the page).

    Why it matters: an audit is only as complete as its reading; a reviewer must know which
    parts were not checked, or checked on a guessed structure, instead of taking silence for a
    clean bill.
    """
    # a note's code is its message variant: a failed reader's says the content was not checked, a
    # table reader's guess says it was read by a guess (checks/messages/parse.unread.yaml)
    for line, note in read.notes:
        ctx.check()
        yield ctx.finding(ctx.location(line or None), args={"where": read.path, **_fields(note)},
                          variant=_code(note), key=f"doc|{note[:60]}", evidence=[ctx.evidence(line)] if line else [])
    for table in read.tables:
        for line, note in table.notes:
            ctx.check()
            yield ctx.finding(ctx.location(line, table=table.name),
                              args={"where": table.name, **_fields(note)}, variant=_code(note),
                              key=f"{table.kind}|{table.title}|{note[:60]}", evidence=[ctx.evidence(line)],
                              confidence=0.8)


def _code(note: str) -> str:
    return getattr(note, "code", "")


def _fields(note: str) -> dict[str, Any]:
    return dict(getattr(note, "fields", {}))


def _loader_notes(read: ReadDocument, ctx: RuleContext, code: str) -> Iterator[Finding]:
    for note_code, line, detail in getattr(read.doc, "notes", []):
        if note_code != code:
            continue
        ctx.check()
        where = ctx.location(line or None)
        cell = detail.split(" ", 1)[0] if code == "formula_no_value" else None
        yield ctx.finding(
            Location(path=where.path, line=where.line, page=where.page, cell=cell),
            args={"where": read.path, "detail": detail},
            key=f"doc|{code}|{detail[:80]}",
            evidence=[ctx.evidence(line)] if line else [],
        )


@rule(
    "parse.no_text_layer",
    severity="info",
    applies_to="document",
)
def no_text_layer(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A PDF whose pages (or some of them) hold no text at all: scans. The file loads (it is a
    valid disclosure) but nothing on those pages can be checked until it is run through OCR.

    Why it matters: an empty audit of a scanned report is not a clean bill.
    """
    yield from _loader_notes(read, ctx, "no_text_layer")


@rule(
    "parse.blank_page",
    severity="info",
    applies_to="document",
)
def blank_page(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A page (of a PDF, or an image) on which nothing is printed: no text and no dark pixel.
    It is not a scan (`parse.no_text_layer`): there is nothing to read.

    Why it matters: a blank page in a published disclosure is a layout slip, or a table that was
    meant to be there and was lost in the export.
    """
    yield from _loader_notes(read, ctx, "blank_page")


@rule(
    "parse.formula_no_value",
    severity="info",
    applies_to="document",
)
def formula_no_value(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A spreadsheet cell holding a formula whose result was never stored (the file was written
    by a tool that does not compute formulas). The auditor never evaluates formulas, so the cell
    is read as blank.

    Why it matters: a total that is a formula without a value looks empty, and the sums that use
    it cannot be checked.
    """
    yield from _loader_notes(read, ctx, "formula_no_value")


@rule(
    "parse.hidden_sheet",
    severity="info",
    applies_to="document",
)
def hidden_sheet(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A hidden sheet of a workbook: skipped (templates hide lookup lists there), and said so.

    Why it matters: a reviewer should know that part of the workbook was not read.
    """
    yield from _loader_notes(read, ctx, "hidden_sheet")




@rule(
    "parse.skipped",
    severity="warning",
    applies_to="document",
)
def skipped(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Content the loader saw but did not read: HTML nested deeper than the parser's limit (the
    rest of the page), a spreadsheet cell whose number cannot be represented (1e999).

    Why it matters: a publisher could hide a table behind deep nesting; a document must never
    pass because part of it was dropped, so this is a warning, not a note.
    """
    yield from _loader_notes(read, ctx, "skipped")
