"""Every rule's cases (checks/cases/<rule>.yaml) through the real pipeline, one parametrised test:
a fail case makes its rule report at the documented line with the documented expected/actual
values, a pass case keeps that rule quiet. A case marked `known_gap` is a documented example
the pipeline does not yet handle as written: it must still misbehave (strict xfail), so fixing
the gap shows up here and the mark has to go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.cases import case_rules, fragment_text, html_page, rule_cases
from auditor.engine import load_rules
from auditor.model import Finding
from tests.test_messages import assert_arguments_render

RULES = load_rules()
CASES = [(rule_id, case) for rule_id in case_rules() for case in rule_cases(rule_id)]


def _params() -> list[Any]:
    out = []
    for rule_id, case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case["known_gap"])] if case.get("known_gap") else []
        out.append(pytest.param(rule_id, case, id=f"{rule_id}:{case['name']}", marks=marks))
    return out


def _workbook(case: dict[str, Any], tmp: Path) -> Path:
    """The case's workbook as a spreadsheet program would save it; a formula cell is written with
    no stored result (as a script writing the workbook leaves it)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in case["workbook"]:
        ws = book.create_sheet(sheet["name"])
        for row in str(sheet.get("rows") or "").split("\n"):
            ws.append(row.split("\t"))
        if sheet.get("hidden"):
            ws.sheet_state = "hidden"
    path = tmp / "case.xlsx"
    book.save(path)
    return path


def _pdf(case: dict[str, Any], tmp: Path) -> Path:
    """The case's PDF: a text page in a CJK font, a page that is only an image, or a blank page."""
    pytest.importorskip("reportlab", reason="reportlab is not installed")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp / "case.pdf"
    pdf = canvas.Canvas(str(path))
    for page in case["pdf"]:
        if page.get("scan"):
            pdf.rect(50, 50, 300, 400, fill=1)
        for number, line in enumerate(str(page.get("text") or "").splitlines()):
            pdf.setFont("STSong-Light", 10)
            pdf.drawString(60, 780 - 14 * number, line)
        pdf.showPage()
    pdf.save()
    return path


def _document_findings(rule_id: str, case: dict[str, Any], tmp: Path) -> list[dict[str, Any]]:
    from auditor.audit import audit

    if case.get("workbook"):
        path = _workbook(case, tmp)
    elif case.get("pdf"):
        path = _pdf(case, tmp)
    elif case.get("html"):
        path = tmp / "case.html"
        path.write_text(html_page(case), encoding="utf-8")
    else:
        path = tmp / "case.txt"
        path.write_text(fragment_text(case), encoding="utf-8")
    return [f for f in audit(path, lang=case.get("lang")).findings if f["rule"] == rule_id]


def _batch_findings(rule_id: str, case: dict[str, Any], tmp: Path) -> list[dict[str, Any]]:
    """A batch rule runs as `auditor check --gx` runs it: the audit, then the GX validation."""
    pytest.importorskip("great_expectations", reason="the gx extra is not installed")
    from auditor.audit import audit_files
    from auditor.engine import Selection
    from auditor.gx.runner import validate
    from auditor.result import build_result

    path = tmp / "case.txt"
    path.write_text(fragment_text(case), encoding="utf-8")
    selection = Selection(disabled=frozenset(case.get("disable") or ()))
    results = list(audit_files([str(path)], selection=selection))
    validate(results, selection=selection)
    return [f for f in build_result(results, lang=case.get("lang") or "zh")["findings"] if f["rule"] == rule_id]


def _corpus_findings(rule_id: str, case: dict[str, Any], tmp: Path) -> list[dict[str, Any]]:
    """A corpus rule runs as `auditor scan` runs it: the facts of each document, then the rules."""
    from auditor.load import load
    from auditor.read import read_document
    from checks.crossdoc import Doc, facts, run_corpus_rules

    docs = []
    for number, part in enumerate(case.get("documents") or [], start=1):
        path = tmp / f"{number}_{part.get('name', 'doc')}.txt"
        path.write_text(fragment_text(part), encoding="utf-8")
        docs.append(Doc(path=str(path), facts=facts(read_document(load(str(path))))))
    return [{"rule": f.rule, "location": {"line": f.location.line}, "expected": f.expected, "actual": f.actual}
            for f in run_corpus_rules(docs) if f.rule == rule_id]


RUNNERS = {"corpus": _corpus_findings, "batch": _batch_findings}


@pytest.mark.parametrize(("rule_id", "case"), _params())
def test_rule_case(rule_id: str, case: dict[str, Any], tmp_path: Path, monkeypatch,
                   made_findings: list[Finding]) -> None:
    monkeypatch.delenv("AUDITOR_OCR", raising=False)  # a scanned page stays unread, as without OCR
    runner = RUNNERS.get(RULES[rule_id].applies_to, _document_findings)
    found = runner(rule_id, case, tmp_path)
    assert_arguments_render(made_findings)  # every finding of the case renders fully, in every language
    if case["expect"] == "pass":
        assert found == [], found
        return
    assert found, f"{rule_id} did not report"
    if "line" in case:
        found = [f for f in found if f["location"]["line"] == case["line"]]
        assert found, f"{rule_id} did not report at line {case['line']}"
    for key in ("expected", "actual", "severity"):
        if key in case:
            assert case[key] in [f[key] for f in found], (key, [f[key] for f in found])


def test_every_rule_has_a_fail_and_a_pass_case() -> None:
    assert set(case_rules()) == set(RULES)
    for rule_id in RULES:
        expects = {case["expect"] for case in rule_cases(rule_id)}
        assert expects == {"fail", "pass"}, rule_id
        names = [case["name"] for case in rule_cases(rule_id)]
        assert len(names) == len(set(names)), rule_id
