"""Run results for the renderer tests: hand-written (every hostile case in one place) and built
through `build_result` from constructed findings (a real root-cause group from the ranker)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from auditor.model import (
    Document,
    DocumentResult,
    Evidence,
    Finding,
    Location,
    ReadDocument,
    RuleOutcome,
    SourceLine,
)
from auditor.result import build_result, rule_descriptors

XSS_SCRIPT = "<script>window.__xss = 1; alert(1)</script>"
XSS_IMG = '<img src=x onerror="window.__xss = 2; alert(2)">'
DOC = "seeds/郑州市某局2023年部门预算.txt"
BROKEN = "seeds/broken.pdf"

_TEXT = {
    "zh": {
        "t_row": "行内合计与明细不符", "t_col": "合计行与各行之和不符", "t_code": "上级科目与下级科目之和不符",
        "t_ind": "指标类别不当", "t_word": "重复用词", "t_narr": "正文金额与表格不符",
        "m_row": "一般公共预算支出表「行政运行<script>alert(1)</script>」行：合计 印为 1,000.00，而 基本支出、项目支出 之和为 1,100.00，相差 -100.00。",
        "m_col": "一般公共预算支出表「合计」列：合计 印为 5,000.00，而 3 个明细行之和为 5,100.00，相差 -100.00。",
        "m_code": "一般公共预算支出表：科目 2010301「行政运行」合计 印为 1,000.00，而其下级科目之和为 1,100.00。",
        "m_ind": "指标“=HYPERLINK(\"http://evil.example/\",\"点击\")”应属于效益指标。",
        "m_word": "“的的”重复。",
        "m_narr": "正文称“基本支出 600.00 万元”，表中为 610.00 万元。",
    },
    "en": {
        "t_row": "Row total does not equal its parts", "t_col": "Column total does not equal the rows above it",
        "t_code": "Parent classification code does not equal the sum of its children",
        "t_ind": "Indicator in the wrong category", "t_word": "Repeated word", "t_narr": "Amount in the text differs from the table",
        "m_row": "一般公共预算支出表, row “行政运行<script>alert(1)</script>”: 合计 is printed as 1,000.00 but 基本支出、项目支出 add up to 1,100.00 (off by -100.00).",
        "m_col": "一般公共预算支出表, column “合计”: 合计 is printed as 5,000.00 but its 3 detail rows add up to 5,100.00 (off by -100.00).",
        "m_code": "一般公共预算支出表: code 2010301 “行政运行”, 合计 is printed as 1,000.00 but its child codes add up to 1,100.00.",
        "m_ind": "Indicator “=HYPERLINK(\"http://evil.example/\",\"click\")” belongs to the benefit indicators.",
        "m_word": "“的的” is repeated.",
        "m_narr": "The text says “基本支出 600.00 万元”; the table says 610.00 万元.",
    },
}


def _loc(line: int | None, table: str | None = None, row: str | None = None, column: str | None = None,
         path: str = DOC) -> dict[str, Any]:
    return {"path": path, "line": line, "page": None, "table": table, "row": row, "column": column}


def _ev(line: int, text: str, value: str | None = None) -> dict[str, Any]:
    return {"path": DOC, "line": line, "text": text, "value": value}


def hand_result(lang: str = "zh") -> dict[str, Any]:
    """A result as DESIGN §5 defines it, with every hostile input a document can carry.

    Six findings: a root-cause group of three (its lead carries the suggestion), then a warning
    whose cells start with formula characters, an info with control characters and code fences,
    and a warning without a line. One document could not be read.
    """
    t = _TEXT[lang]
    table = "一般公共预算支出表"
    findings = [
        {
            "id": "a1b2c3d4e5f60001", "rule": "total.row_sum", "severity": "error", "rank": 1, "score": 91.5,
            "title": t["t_row"], "message": t["m_row"],
            "location": _loc(34, table, "行政运行<script>alert(1)</script>", "合计"),
            "expected": "1,100.00", "actual": "1,000.00", "difference": "-100.00",
            "evidence": [
                _ev(34, "2010301\t行政运行<script>alert(1)</script>\t1,000.00\t600.00\t500.00", "1,000.00"),
                _ev(35, "<p>说明：</p> 单位：万元 " + XSS_IMG),
            ],
            "group": "g0123456789", "group_lead": True, "suggestion": "1,100.00", "confidence": 1.0,
        },
        {
            "id": "a1b2c3d4e5f60002", "rule": "total.column_sum", "severity": "error", "rank": 2, "score": 80.0,
            "title": t["t_col"], "message": t["m_col"],
            "location": _loc(40, table, "合计", "合计"),
            "expected": "5,100.00", "actual": "5,000.00", "difference": "-100.00",
            "evidence": [_ev(40, "合计\t5,000.00\t3,000.00\t2,000.00", "5,000.00"), _ev(34, "2010301\t行政运行\t1,000.00")],
            "group": "g0123456789", "group_lead": False, "suggestion": None, "confidence": 0.9,
        },
        {
            "id": "a1b2c3d4e5f60003", "rule": "total.code_rollup", "severity": "error", "rank": 3, "score": 75.2,
            "title": t["t_code"], "message": t["m_code"],
            "location": _loc(33, table, "201 一般公共服务支出", "合计"),
            "expected": "1,100.00", "actual": "1,000.00", "difference": "-100.00",
            "evidence": [_ev(33, "201\t一般公共服务支出\t1,000.00 " + XSS_SCRIPT, "1,000.00")],
            "group": "g0123456789", "group_lead": False, "suggestion": None, "confidence": 0.9,
        },
        {
            "id": "a1b2c3d4e5f60004", "rule": "indicator.category", "severity": "warning", "rank": 4, "score": 42.0,
            "title": t["t_ind"], "message": t["m_ind"],
            "location": _loc(120, "项目支出绩效目标表", "=HYPERLINK(\"http://evil.example/\",\"x\")", "@SUM(A1:A9)"),
            "expected": "+效益指标", "actual": "-产出指标", "difference": None,
            "evidence": [_ev(120, "=HYPERLINK(\"http://evil.example/\",\"x\")\t+cmd|' /C calc'!A0\t@SUM(A1:A9)\t-2+3",
                             "=HYPERLINK(\"http://evil.example/\",\"x\")")],
            "group": "g00000000a4", "group_lead": True, "suggestion": None, "confidence": 0.8,
        },
        {
            "id": "a1b2c3d4e5f60005", "rule": "text.repeated_word", "severity": "info", "rank": 5, "score": 12.5,
            "title": t["t_word"], "message": t["m_word"] + "\x07\x1b[31m",
            "location": _loc(7),
            "expected": None, "actual": "的的\x00", "difference": None,
            "evidence": [_ev(7, "本单位的的职能\x08包括```\n</pre>]]>``````~~~\x1b[0m", "的的")],
            "group": "g00000000a5", "group_lead": True, "suggestion": None, "confidence": 1.0,
        },
        {
            "id": "a1b2c3d4e5f60006", "rule": "narrative.amount", "severity": "warning", "rank": 6, "score": 30.0,
            "title": t["t_narr"], "message": t["m_narr"],
            "location": _loc(None),
            "expected": "610.00", "actual": "600.00", "difference": "-10.00",
            "evidence": [],
            "group": "g00000000a6", "group_lead": True, "suggestion": None, "confidence": 0.7,
        },
    ]
    return {
        "tool": {"name": "auditor", "version": "0.1.0"},
        "documents": [
            {"path": DOC, "kind": "budget", "year": 2023, "issuer": "郑州市<b>某</b>局", "tables": 9,
             "observations": 640, "indicators": 12, "findings": 6, "error": None, "seconds": 0.02},
            {"path": BROKEN, "kind": "unknown", "year": None, "issuer": "", "tables": 0, "observations": 0,
             "indicators": 0, "findings": 0, "error": "cannot read the file <script>alert(3)</script>",
             "seconds": 0.0},
        ],
        "findings": findings,
        "coverage": {"rules_run": 30, "passed": 20, "failed": 5, "not_applicable": 3, "insufficient_data": 1,
                     "errors": 1},
        "rule_errors": [{"path": DOC, "rule": "rate.change", "detail": "ZeroDivisionError: division by zero"}],
        "summary": {"error": 3, "warning": 2, "info": 1, "suppressed": 0},
        "lang": lang,
        "rules": rule_descriptors(),
    }


def _read(path: str, lines: list[str], kind: str = "budget", year: int = 2023) -> ReadDocument:
    source = [SourceLine(number=i, raw=text, text=text, cells=text.split("\t") if "\t" in text else None)
              for i, text in enumerate(lines, start=1)]
    return ReadDocument(doc=Document(path=path, lines=source), kind=kind, year=year)


def document_results(extra: bool = False) -> list[DocumentResult]:
    """Constructed audit results: two total findings that one wrong cell explains (a root-cause
    group), plus, with `extra`, a third finding of its own. Rules are the registered totals."""
    path = "doc/预算<script>.txt"
    lines = ["一般公共预算支出表", "单位：万元", "合计\t基本支出\t项目支出",
             "2010301\t行政运行<img src=x onerror=alert(1)>\t1,000.00\t600.00\t500.00",
             "合计\t5,000.00\t3,000.00\t2,000.00", "=SUM(A1)\t+1\t-1\t@x"]
    read = _read(path, lines)
    table = "一般公共预算支出表"

    def evidence(line: int, value: str | None = None) -> Evidence:
        return Evidence(path=path, line=line, text=lines[line - 1], value=value)

    row = Finding(
        rule="total.row_sum", severity="error",
        location=Location(path=path, line=4, table=table, row="行政运行<img src=x onerror=alert(1)>", column="合计"),
        args={"table": table, "row": "行政运行<img src=x onerror=alert(1)>", "column": "合计", "actual": "1,000.00",
              "expected": "1,100.00", "difference": "-100.00", "parts": "基本支出、项目支出"},
        expected="1,100.00", actual="1,000.00", difference="-100.00", evidence=[evidence(4, "1,000.00")],
        key="row|2010301", culprit_candidates={f"{table}|r4c1": "1,100.00", f"{table}|r4c2": "500.00"},
        gap=Decimal("1000000"),
    )
    column = Finding(
        rule="total.column_sum", severity="error",
        location=Location(path=path, line=5, table=table, row="合计", column="合计"),
        args={"table": table, "row": "合计", "column": "合计", "actual": "5,000.00", "expected": "5,100.00",
              "difference": "-100.00", "count": 3},
        expected="5,100.00", actual="5,000.00", difference="-100.00",
        evidence=[evidence(5, "5,000.00"), evidence(4)],
        key="column|合计", culprit_candidates={f"{table}|r4c1": "1,100.00", f"{table}|r5c1": "5,100.00"},
        gap=Decimal("1000000"),
    )
    findings = [row, column]
    if extra:
        findings.append(Finding(
            rule="total.subitem_exceeds", severity="error",
            location=Location(path=path, line=6, table=table, row="=SUM(A1)", column="@x"),
            args={"table": table, "row": "=SUM(A1)", "parts": "+1", "expected": "-1", "actual": "@x"},
            expected="-1", actual="@x", evidence=[evidence(6, "+1")], key="subitem|=SUM(A1)",
        ))
    outcomes = [RuleOutcome("total.row_sum", path, "failed", 1, 1), RuleOutcome("total.column_sum", path, "failed", 1, 1),
                RuleOutcome("total.code_rollup", path, "passed", 4), RuleOutcome("total.subitem_exceeds", path,
                                                                                  "failed" if extra else "passed", 1)]
    broken = DocumentResult(path="doc/broken.pdf", read=None, error="not a PDF: <svg onload=alert(1)>")
    return [DocumentResult(path=path, read=read, findings=findings, outcomes=outcomes), broken]


def built_result(lang: str = "zh", extra: bool = False) -> dict[str, Any]:
    """`build_result` over `document_results()`: the ranker's own grouping and ids."""
    return build_result(copy.deepcopy(document_results(extra)), lang=lang)
