"""`auditor extract`: what the readers recognised, with source line numbers (JSON or CSV)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from auditor.model import Number, ReadDocument, Target
from auditor.read.facts import read_facts
from auditor.read.prose_facts import prose_text
from auditor.read.rates import Operand
from auditor.read.table_layouts import SURE_TABLE
from auditor.read.value_form import value_form


def _num(number: Number | None) -> dict[str, Any] | None:
    if number is None:
        return None
    return {"value": str(number.value), "decimals": number.decimals, "unit": number.unit, "text": number.text}


def _target(target: Target | None) -> dict[str, Any] | None:
    if target is None:
        return None
    out: dict[str, Any] = {"kind": target.kind, "text": target.text}
    if target.op:
        out["op"] = target.op
    if target.number:
        out["number"] = _num(target.number)
    if target.high:
        out["high"] = _num(target.high)
        out["high_op"] = target.high_op
    if target.unit:
        out["unit"] = target.unit
    if target.word:
        out["word"] = target.word
    return out


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def extract_data(read: ReadDocument) -> dict[str, Any]:
    return {
        "path": read.path,
        "kind": read.kind,
        "year": read.year,
        "issuer": read.issuer,
        "sections": [
            {"title": s.title, "first_line": s.first_line, "last_line": s.last_line, "year": s.year, "issuer": s.issuer}
            for s in read.sections
        ],
        "tables": [
            {
                "title": t.title,
                "kind": t.kind,
                "unit": t.unit,
                "unit_guessed": t.unit_guessed,
                "lines": [t.first_line, t.last_line],
                # how the grid was recognised and how sure the reader is of it (a table below
                # SURE_TABLE yields warnings at most): tab, pipe, one_cell_per_line, ...
                "layout": t.layout,
                "confidence": round(t.confidence, 2),
                "sure": t.confidence >= SURE_TABLE,
                "columns": [{"index": c.index, "name": c.name, "path": list(c.path), "role": c.role}
                            for c in t.columns if c.is_value],
                "rows": [
                    {
                        "line": r.line,
                        "label": r.label,
                        "code": r.code,
                        **({"alt_code": r.alt_code} if r.alt_code else {}),
                        "kind": r.kind,
                        **({"side": r.block} if t.sides > 1 else {}),
                        **({"aligned": True} if r.aligned else {}),
                        "cells": {str(c.column): (_num(c.number) or c.text) for c in r.cells if c.text},
                        # a rebuilt grid's cells printed on other lines than the row's label
                        **({"cell_lines": {str(c.column): c.line for c in r.cells if c.line}}
                           if any(c.line for c in r.cells) else {}),
                    }
                    for r in t.rows
                ],
                "relations": len(t.relations),
                "notes": [{"line": line, "note": note} for line, note in t.notes],
                **({"empty_note": t.empty_note} if t.empty_note else {}),
            }
            for t in read.tables
        ],
        "indicator_sets": [
            {
                "project": s.project,
                "line": s.line,
                "framework": s.framework,
                "source": s.source,
                "amount": _num(s.amount),
                "fields": s.fields,
                "declared_weights": {k: [str(v[0]), v[1]] for k, v in s.declared_weights.items()},
                "weights_total": _dec(sum((i.weight for i in s.indicators if i.weight is not None), Decimal(0)))
                if any(i.weight is not None for i in s.indicators) else None,
                "indicators": [
                    {
                        "line": i.line,
                        "level1": i.level1,
                        "level2": i.level2,
                        "name": i.name,
                        "target": _target(i.target),
                        "form": value_form(i.target, i.name),
                        **({"actual": _target(i.actual), "actual_form": value_form(i.actual, i.name)}
                           if i.actual else {}),
                        **({"description": i.description} if i.description else {}),
                        **({"unit_text": i.unit_text} if i.unit_text else {}),
                        **({"weight": _dec(i.weight)} if i.weight is not None else {}),
                        **({"score": _dec(i.score)} if i.score is not None else {}),
                        **({"reason": i.reason} if i.reason else {}),
                    }
                    for i in s.indicators
                ],
            }
            for s in read.indicator_sets
        ],
        "score_sheets": [
            {
                "title": sheet.title,
                "line": sheet.line,
                "rows": [
                    {"line": r.line, "level": r.level, "name": r.name, "parent": r.parent, "weight": _dec(r.weight),
                     "deduction": _dec(r.deduction), "score": _dec(r.score), "rate": _num(r.rate), "reason": r.reason}
                    for r in sheet.rows
                ],
            }
            for sheet in read.score_sheets
        ],
        "paragraphs": len(read.paragraphs),
        "prose": prose_data(read),
        "notes": [{"line": line, "note": note} for line, note in read.notes],
    }


def _operand(operand: Operand | None) -> dict[str, Any] | None:
    if operand is None:
        return None
    out: dict[str, Any] = {"number": _num(operand.number), "line": operand.line, "label": operand.label}
    if operand.context:
        out["elsewhere"] = True
    return out


def prose_data(read: ReadDocument) -> dict[str, Any]:
    """The prose facts: every number the tokeniser found, the amounts with a concept, the rate and
    change statements with their operands, and the over/under amounts — each with its line and
    the words it was read from."""
    prose = prose_text(read.paragraphs)
    statements = []
    for s in read.rates:
        if s.source != "prose":
            continue
        item: dict[str, Any] = {"kind": s.kind, "label": s.label, "line": s.line, "rate": _num(s.rate),
                                "words": s.text}
        for name in ("numerator", "denominator", "amount", "current", "previous", "over"):
            value = _operand(getattr(s, name))
            if value is not None:
                item[name] = value
        for name in ("direction", "rate_direction", "implied", "unresolved", "concept", "whole_name"):
            if getattr(s, name):
                item[name] = getattr(s, name)
        statements.append(item)
    return {
        "sentences": len(prose.sentences),
        "numbers": [{"line": t.line, "number": _num(t.number), "sentence": t.sentence} for t in prose.tokens],
        "amounts": [{"line": f.line, "label": f.label, "concept": f.concept, "scope": f.scope, "level": f.level,
                     "number": _num(f.number)} for f in read_facts(read.paragraphs)],
        "statements": statements,
        "over_under": [{"line": o.line, "number": _num(o.amount), "sign": o.sign, "base": o.base, "words": o.words}
                       for o in prose.over_under],
    }


def extract_json(read: ReadDocument) -> str:
    return json.dumps(extract_data(read), ensure_ascii=False, indent=2) + "\n"


def extract_csv(read: ReadDocument) -> str:
    """One row per recognised number: where it is and what it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["path", "line", "source", "table", "row", "code", "column", "text", "value", "decimals", "unit"])
    for table in read.tables:
        names = {c.index: c.name for c in table.columns}
        for row in table.rows:
            for cell in row.cells:
                if cell.number is None:
                    continue
                writer.writerow([read.path, cell.line or row.line, "table", table.name, row.label, row.code,
                                 names.get(cell.column, cell.column), cell.text, cell.number.value,
                                 cell.number.decimals, cell.number.unit or table.unit])
    for sset in read.indicator_sets:
        for ind in sset.indicators:
            number = ind.target.number
            writer.writerow([read.path, ind.line, "indicator", sset.project, f"{ind.level1}/{ind.level2}/{ind.name}",
                             "", "target", ind.target_text, number.value if number else "",
                             number.decimals if number else "", number.unit if number else ""])
    return buffer.getvalue()
