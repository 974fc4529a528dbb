"""Rules that have nothing to check find it out before the expensive part: the prose budget facts,
a report's grade bands and its contradictions are read only when a rule has something to compare
them with (the outcome is the same; only the work is skipped)."""

from __future__ import annotations

from typing import Any

import pytest

import checks.indicator
import checks.score.sheet
from checks.crosstable.same_quantity import _prose_by_concept
from tests.harness import audit_text

REPORT = ("某中心 2022 年热线升级改造专项资金项目绩效评价报告\n\n一、项目基本情况\n\n"
          "项目资金 10 万元，已全部支付。\n\n{tail}\n")


def _refuse(*_: Any) -> Any:
    raise AssertionError("read although the rule has nothing to check")


def test_no_stated_grade_reads_no_bands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks.score.sheet, "_bands", _refuse)
    assert audit_text(REPORT.format(tail="本项目绩效评价得分为 92.9 分。"), rule="score.grade_band").status == "not_applicable"


def test_a_stated_grade_is_still_checked() -> None:
    text = REPORT.format(tail="本项目绩效评价得分为 92.9 分，本项目绩效等级为“优”。")
    assert audit_text(text, rule="score.grade_band").status == "passed"


def test_no_claim_looks_for_no_contradiction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks.score.sheet, "_contradictions", _refuse)
    assert audit_text(REPORT.format(tail="项目资金执行率 95%。"), rule="score.claim").status == "not_applicable"


def test_a_claim_next_to_a_low_execution_rate_still_fails() -> None:
    text = REPORT.format(tail="项目资金执行率 95%。\n\n截止2022年12月31日全面完成绩效目标。")
    assert audit_text(text, rule="score.claim").status == "failed"


def test_no_task_table_reads_no_budget_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks.indicator, "_budget_facts", _refuse)
    assert audit_text(REPORT.format(tail="2022 年支出预算 10 万元。"), rule="indicator.dept_tasks").status == "not_applicable"


def test_prose_observations_are_indexed_by_concept_in_order() -> None:
    class Obs:
        def __init__(self, source: str, concept: str) -> None:
            self.source, self.concept = source, concept

    a, b, c, d = Obs("prose", "x"), Obs("table", "x"), Obs("prose", "y"), Obs("prose", "x")

    class Read:
        observations = [a, b, c, d]

    assert _prose_by_concept(Read()) == {"x": [a, d], "y": [c]}  # type: ignore[arg-type]
