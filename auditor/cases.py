"""Rule cases as data (issue 21): one YAML file of named cases per rule, `checks/cases/<rule>.yaml`.

A case is a fictional fragment in the layout of a real document — a title, a unit, a header and
rows (tab-separated), and/or a `text` of lines or a sentence — with `expect: fail` (and, as the
finding prints them, the `line`, `expected`, `actual` and `severity`) or `expect: pass` (the rule stays
quiet). A corpus rule's case gives `documents` (each a `name` and a fragment); a case about
another format gives `workbook` (sheets, each a `name`, `rows` as tab-separated text — a cell
starting with "=" is a formula saved without its value — and `hidden`) or `pdf` (pages, each a
`text`, or `scan: true` for a page that is an image only, or nothing for a blank page) or `html`
(the body of a page, inside `nest_divs` nested <div>s when given, after `before`); `repeat: N` prints a `text` N
times. `lang` is
optional; `disable` lists rules switched off for the case (as a project config would). `tests/test_rule_cases.py` runs every case through the real pipeline and `auditor
explain` prints them, so the documentation is what is tested. A case with `known_gap` documents
an example the pipeline does not yet handle as written; the test expects it to fail (strictly).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

FRAGMENT_KEYS = ("title", "unit", "header", "rows", "text")


@cache
def _all_cases() -> dict[str, list[dict[str, Any]]]:
    folder = files("checks") / "cases"
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
            out[str(data.get("rule") or entry.name[: -len(".yaml")])] = list(data.get("cases") or [])
    return out


def rule_cases(rule_id: str) -> list[dict[str, Any]]:
    """The named cases of one rule, in file order (empty when the rule has no case file)."""
    return _all_cases().get(rule_id, [])


def case_rules() -> list[str]:
    """The rule ids that have a case file."""
    return sorted(_all_cases())


def fragment_text(part: dict[str, Any]) -> str:
    """The document text of a case (or of one of its documents): title, 单位 line, header, rows
    and text, one after the other, ending with a newline."""
    lines: list[str] = []
    if part.get("title"):
        lines.append(str(part["title"]))
    if part.get("unit"):
        lines.append(f"单位：{part['unit']}")
    for key in ("header", "rows", "text"):
        if part.get(key):
            # `repeat: N` prints the text N times, one copy under the other (a flood of one slip)
            copies = int(part.get("repeat") or 1) if key == "text" else 1
            lines.extend([str(part[key]).rstrip("\n")] * copies)
    return "\n".join(lines) + "\n"


def html_page(case: dict[str, Any]) -> str:
    """The HTML page of a case that gives `html` (the body's content), wrapped in `nest_divs`
    nested <div>s when given (a page whose content sits deep in its markup)."""
    depth = int(case.get("nest_divs") or 0)
    before = case.get("before") or ""  # content printed before the nested part, at the top level
    return f"<html><body>{before}{'<div>' * depth}{case['html']}{'</div>' * depth}</body></html>"


def fragment_lines(case: dict[str, Any]) -> list[str]:
    """A case's fragment as `auditor explain` prints it: its text lines; a corpus case's documents
    one after the other, each named; a workbook's sheets and a PDF's pages, each described."""
    lines: list[str] = []
    if case.get("documents"):
        for part in case["documents"]:
            lines.append(f"[{part.get('name', 'document')}]")
            lines.extend(fragment_text(part).rstrip("\n").split("\n"))
    elif case.get("workbook"):
        for sheet in case["workbook"]:
            lines.append(f"[sheet {sheet['name']}{' (hidden)' if sheet.get('hidden') else ''}]")
            lines.extend(str(sheet.get("rows") or "").rstrip("\n").split("\n"))
    elif case.get("html"):
        depth = int(case.get("nest_divs") or 0)
        if case.get("before"):
            lines.extend(str(case["before"]).rstrip("\n").split("\n"))
        if depth:
            lines.append(f"[HTML: the content below inside {depth} nested <div>s]")
        lines.extend(str(case["html"]).rstrip("\n").split("\n"))
    elif case.get("pdf"):
        for number, page in enumerate(case["pdf"], start=1):
            if page.get("scan"):
                lines.append(f"[page {number}: a scanned image, no text layer]")
            elif page.get("text"):
                lines.append(f"[page {number}]")
                lines.extend(str(page["text"]).rstrip("\n").split("\n"))
            else:
                lines.append(f"[page {number}: nothing printed]")
    else:
        lines = fragment_text(case).rstrip("\n").split("\n")
        if int(case.get("repeat") or 1) > 1:  # a flood: show one copy and say how many
            shown = fragment_text({**case, "repeat": 1}).rstrip("\n").split("\n")
            lines = [*shown, f"[… the text above {case['repeat']} times]"]
    return lines
