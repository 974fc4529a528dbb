"""score.execution_points and rate.same_metric: fire on contradictions, quiet on consistent reports."""

from __future__ import annotations

from decimal import Decimal

from auditor.engine import run_rules
from auditor.load.text import split_lines
from auditor.model import ScoreRow, ScoreSheet
from auditor.read import read_document
from tests.conftest import seed


def audit(text: str, sheet_rows: list[tuple[str, str, str]] | None = None):
    read = read_document(split_lines(text, "doc.txt"))
    if sheet_rows:
        rows = [ScoreRow(level=3, name=n, line=len(text.splitlines()), weight=Decimal(w), score=Decimal(s))
                for n, w, s in sheet_rows]
        read.score_sheets.append(ScoreSheet(title="打分表", line=rows[0].line, rows=rows))
    findings, outcomes, _ = run_rules(read, None)
    return findings, {o.rule: o.status for o in outcomes}


REPORT = ("项目绩效评价报告\n\n实际到位资金 248.19 万元，实际支出资金 240.81 万元。资金到位率 100.00%；"
          "预算执行率 {first}。\n\n评价结论如下。\n\n项目预算资金 248.19 万元，预算执行率 {second}，未达到指标值。\n"
          "打分表\n")


def test_same_metric_fires_when_two_copies_differ():
    findings, status = audit(REPORT.format(first="97.03%", second="97.30%"))
    found = [f for f in findings if f.rule == "rate.same_metric"]
    assert len(found) == 1 and found[0].expected == "97.03%" and found[0].actual == "97.30%"
    assert status["rate.same_metric"] == "failed"


def test_same_metric_quiet_when_copies_agree_within_printed_precision():
    findings, status = audit(REPORT.format(first="97.03%", second="97.0%"))
    assert not [f for f in findings if f.rule == "rate.same_metric"]
    assert status["rate.same_metric"] == "passed"


def test_execution_points_full_marks_with_rate_below_100_fires():
    findings, _ = audit(REPORT.format(first="97.03%", second="97.03%"), [("预算执行率", "10", "10")])
    (f,) = [f for f in findings if f.rule == "score.execution_points"]
    assert f.expected == "9.70" and f.actual == "10.0"


def test_execution_points_heavily_docked_fires_and_proportional_is_quiet():
    findings, _ = audit(REPORT.format(first="97.03%", second="97.03%"), [("预算执行率", "10", "7")])
    assert [f.rule for f in findings if f.rule == "score.execution_points"] == ["score.execution_points"]
    findings, status = audit(REPORT.format(first="97.03%", second="97.03%"), [("预算执行率", "4", "3.9")])
    assert not [f for f in findings if f.rule == "score.execution_points"]
    assert status["score.execution_points"] == "passed"


def test_execution_points_without_a_rate_is_insufficient_data():
    _, status = audit("报告\n\n无数据。\n", [("预算执行率", "10", "10")])
    assert status["score.execution_points"] == "insufficient_data"


def test_seed_002_evaluation_is_consistent():
    read = read_document(__import__("auditor.load", fromlist=["load"]).load(seed("002")))
    findings, outcomes, _ = run_rules(read, None)
    status = {o.rule: o.status for o in outcomes}
    assert not [f for f in findings if f.rule in ("rate.same_metric", "score.execution_points")]
    assert status["rate.same_metric"] == "passed" and status["score.execution_points"] == "passed"
