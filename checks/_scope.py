"""Scoping helpers shared by the score, date and text suites: which report (Section) a paragraph,
indicator set or score sheet belongs to, and small text utilities.

A file may hold several reports (seed 003 holds six self-evaluations). A claim in one report must
only be compared with the tables of the same report, so every suite groups by section first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor.model import IndicatorSet, Paragraph, ReadDocument, ScoreSheet, Section
from auditor.read.prose import squash as squash  # re-exported: the text suite compares phrases with it
from auditor.yaml_files import read_yaml_file

CATALOG = Path(__file__).resolve().parent / "catalog"


@functools.cache
def catalog_yaml(name: str) -> Any:
    """A YAML data file of checks/catalog (loaded once)."""
    return read_yaml_file(CATALOG / name)


@dataclass
class Scope:
    """One report of the document with the paragraphs, indicator sets and score sheets inside it."""

    section: Section
    paragraphs: list[Paragraph] = field(default_factory=list)
    indicator_sets: list[IndicatorSet] = field(default_factory=list)
    score_sheets: list[ScoreSheet] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.section.title


# The scopes of the last documents: eight rules ask for them, one after the other.
_SCOPES: list[tuple[ReadDocument, list[Scope]]] = []


def scopes(read: ReadDocument) -> list[Scope]:
    """The document's reports, each with its own prose and tables (by line range; a whole-document
    scope when the reader found no section). Built once per document; the rules only read them."""
    for held, built in _SCOPES:
        if held is read:
            return built
    built = _scopes(read)
    _SCOPES.append((read, built))
    del _SCOPES[:-2]  # a directory run reads its documents one by one
    return built


def _scopes(read: ReadDocument) -> list[Scope]:
    sections = list(read.sections) or [
        Section(title=read.doc.lines[0].text if read.doc.lines else "", first_line=1,
                last_line=max(len(read.doc.lines), 1), year=read.year)
    ]
    out = [Scope(section=s) for s in sections]

    def owner(line: int | None, title: str) -> Scope | None:
        if title:
            for scope in out:
                if scope.section.title == title:
                    return scope
        if line is not None:
            for scope in out:
                if scope.section.first_line <= line <= scope.section.last_line:
                    return scope
        return out[0] if len(out) == 1 else None

    for p in read.paragraphs:
        scope = owner(p.lines[0] if p.lines else None, p.section)
        if scope:
            scope.paragraphs.append(p)
    for s in read.indicator_sets:
        scope = owner(s.line, s.section)
        if scope:
            scope.indicator_sets.append(s)
    for sheet in read.score_sheets:
        scope = owner(sheet.line, sheet.section)
        if scope:
            scope.score_sheets.append(sheet)
    return out


def section_kind(read: ReadDocument, section: Section) -> str:
    """The kind of one report: from its own title when it says so, else the document's kind."""
    title = section.title.replace(" ", "")
    if "自评" in title:
        return "self_eval"
    if "评价报告" in title:
        return "evaluation"
    if "决算" in title:
        return "final_accounts"
    if "预算" in title:
        return "budget"
    return read.kind


def decimals_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def fmt(value: Decimal | None) -> str:
    """A score as a document prints it: no trailing zeros beyond what was given."""
    if value is None:
        return "?"
    text = format(value, "f")
    return text
