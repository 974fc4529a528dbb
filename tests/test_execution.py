"""score.execution_points and rate.same_metric: fire on contradictions, quiet on consistent reports."""

from __future__ import annotations

from decimal import Decimal

from auditor.model import ReadDocument, ScoreRow, ScoreSheet
from tests.conftest import seed
from tests.harness import audit_path, audit_text, read_text


def with_sheet(text: str, sheet_rows: list[tuple[str, str, str]]) -> ReadDocument:
    """The report read, with a hand-built 打分表 of (name, weight, score) rows on its last line."""
    read = read_text(text)
    rows = [ScoreRow(level=3, name=n, line=len(text.splitlines()), weight=Decimal(w), score=Decimal(s))
            for n, w, s in sheet_rows]
    read.score_sheets.append(ScoreSheet(title="打分表", line=rows[0].line, rows=rows))
    return read


REPORT = ("项目绩效评价报告\n\n实际到位资金 248.19 万元，实际支出资金 240.81 万元。资金到位率 100.00%；"
          "预算执行率 {first}。\n\n评价结论如下。\n\n项目预算资金 248.19 万元，预算执行率 {second}，未达到指标值。\n"
          "打分表\n")


def test_same_metric_fires_when_two_copies_differ():
    audited = audit_text(REPORT.format(first="97.03%", second="97.30%"), rule="rate.same_metric")
    found = audited.findings
    assert len(found) == 1 and found[0].expected == "97.03%" and found[0].actual == "97.30%"
    assert audited.status == "failed"


def test_same_metric_quiet_when_copies_agree_within_printed_precision():
    audited = audit_text(REPORT.format(first="97.03%", second="97.0%"), rule="rate.same_metric")
    assert not audited.findings
    assert audited.status == "passed"


def test_execution_points_full_marks_with_rate_below_100_fires():
    read = with_sheet(REPORT.format(first="97.03%", second="97.03%"), [("预算执行率", "10", "10")])
    (f,) = audit_text(read, rule="score.execution_points").findings
    assert f.expected == "9.70" and f.actual == "10.0"


def test_execution_points_heavily_docked_fires_and_proportional_is_quiet():
    read = with_sheet(REPORT.format(first="97.03%", second="97.03%"), [("预算执行率", "10", "7")])
    assert [f.rule for f in audit_text(read, rule="score.execution_points").findings] == ["score.execution_points"]
    read = with_sheet(REPORT.format(first="97.03%", second="97.03%"), [("预算执行率", "4", "3.9")])
    audited = audit_text(read, rule="score.execution_points")
    assert not audited.findings
    assert audited.status == "passed"


def test_execution_points_without_a_rate_is_insufficient_data():
    read = with_sheet("报告\n\n无数据。\n", [("预算执行率", "10", "10")])
    assert audit_text(read, rule="score.execution_points").status == "insufficient_data"


def test_seed_002_evaluation_is_consistent():
    result = audit_path(seed("002"))
    status = {o.rule: o.status for o in result.outcomes}
    assert not [f for f in result.findings if f.rule in ("rate.same_metric", "score.execution_points")]
    assert status["rate.same_metric"] == "passed" and status["score.execution_points"] == "passed"
