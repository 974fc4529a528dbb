"""A reader's note on content it saw but could not place: a code and the values it found.

`Note` is the English text (a `str`, so notes stay sortable, sliceable keys: a finding's key
and `auditor extract` show it) carrying the note's `code` and `fields`; `parse.unread` passes them
to its message catalogue (checks/messages/parse.unread.yaml: one template per code and language),
so no reader writes a word of the report.
"""

from __future__ import annotations

from typing import Any


class Note(str):
    """English text of a reader note, with its code (the message variant) and the values it shows."""

    code: str
    fields: dict[str, Any]

    def __new__(cls, en: str, code: str = "", fields: dict[str, Any] | None = None) -> Note:
        # code and fields are absent while unpickling (str's __getnewargs__ gives the text only;
        # the instance's __dict__ is restored right after)
        note = super().__new__(cls, en)
        note.code = code
        note.fields = dict(fields or {})
        return note


# the readers `auditor.read` guards, each with its own "… reader failed" message (failed_<reader>)
READERS = ("section", "table", "indicator", "score sheet", "prose", "kind", "column period", "rate",
           "enumeration", "observation", "rate operand")


def reader_failed(what: str, exc: BaseException) -> Note:
    detail = f"{type(exc).__name__}: {exc}"
    if what in READERS:
        return Note(f"{what} reader failed: {detail}", f"failed_{what.replace(' ', '_')}", {"error": detail})
    return Note(f"{what} reader failed: {detail}", "", {"reader": what, "error": detail})  # the default message


def short_row(missing: int, why: str) -> Note:
    """A table row with fewer cells than its table, padded at the end; `why` names the reason."""
    reasons = {
        "": "",
        "no_arithmetic": " and no arithmetic to place them",
        "too_wide": ", which is too wide to place them by its arithmetic",
        "no_placement": " and no placement satisfies its relations",
    }
    return Note(f"row has {missing} cell(s) fewer than the table{reasons[why]}; padded at the end",
                f"short_row_{why}" if why else "short_row", {"missing": missing})


def lost_cell_ambiguous() -> Note:
    return Note("lost cell has several valid places; the first was kept", "lost_cell_ambiguous")


def header_guessed(cells: int, width: int) -> Note:
    return Note(f"header has {cells} cell(s) for {width} columns; column count guessed", "header_guessed",
                {"cells": cells, "width": width})


def row_break_guessed(cells: int, width: int) -> Note:
    return Note(f"row has {cells} cell(s) for {width} columns; rebuilt row break guessed", "row_break_guessed",
                {"cells": cells, "width": width})


def score_grid_glued() -> Note:
    return Note("cells glued without separators; each weight and score split where score = weight × 得分系数",
                "score_grid_glued")


def cells_glued() -> Note:
    return Note("cells glued without separators; numbers split where the columns add up", "cells_glued")
