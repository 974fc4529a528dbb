"""Engine outcomes, rule errors, fingerprints, ranking and root-cause grouping."""

from __future__ import annotations

from decimal import Decimal

from auditor.engine import RuleContext, Selection, load_rules, rule, run_rules
from auditor.model import Finding, Location, ReadDocument
from auditor.rank import assign_groups, fingerprint, rank
from tests.test_totals import make_table


def test_every_rule_has_docs_titles_and_templates():
    specs = load_rules()
    assert "total.row_sum" in specs
    for spec in specs.values():
        assert spec.doc, spec.id
        assert spec.title("zh") and spec.title("en") and spec.messages.template("zh") and spec.messages.template("en"), spec.id
        assert "." in spec.id and spec.severity in ("error", "warning", "info")


def test_a_rule_that_raises_is_an_error_outcome_not_a_crash():
    @rule("test.boom", severity="info", applies_to="document")
    def boom(read: ReadDocument, ctx: RuleContext):
        """Raises on purpose."""
        raise RuntimeError("kaput")

    try:
        read, _ = make_table([("甲", ["1"])], [])
        findings, outcomes, _ = run_rules(read, None)
        outcome = next(o for o in outcomes if o.rule == "test.boom")
        assert outcome.status == "error" and "RuntimeError: kaput" in outcome.detail
        assert any(o.rule == "total.row_sum" for o in outcomes)  # the others still ran
        _, outcomes, _ = run_rules(read, None, Selection(disabled=frozenset({"test"})))
        assert not any(o.rule == "test.boom" for o in outcomes)
    finally:
        from auditor import engine

        engine._REGISTRY.pop("test.boom", None)


def test_fingerprint_has_no_line_number_and_is_stable():
    a = Finding(rule="total.row_sum", severity="error", location=Location("d.txt", line=10), key="t|r|c")
    b = Finding(rule="total.row_sum", severity="error", location=Location("d.txt", line=99), key="t|r|c")
    assert fingerprint(a) == fingerprint(b)
    c = Finding(rule="total.row_sum", severity="error", location=Location("d.txt", line=10), key="t|r|x")
    assert fingerprint(a) != fingerprint(c)


def test_one_wrong_cell_groups_its_row_and_column_failures_with_a_suggestion():
    # 乙's 基本支出 is 700 instead of 600: its row and its column both fail.
    from auditor.model import Relation

    rows = [("合计", ["2,100", "1,200", "900"]), ("甲", ["1,000", "600", "400"]), ("乙", ["1,100", "700", "500"])]
    relations = [
        Relation(total=(0, 1), parts=[(1, 1), (2, 1)], kind="column"),
        Relation(total=(0, 2), parts=[(1, 2), (2, 2)], kind="column"),
        Relation(total=(2, 0), parts=[(2, 1), (2, 2)], kind="row"),
        Relation(total=(1, 0), parts=[(1, 1), (1, 2)], kind="row"),
    ]
    read, _ = make_table(rows, relations, columns=["合计", "基本支出", "项目支出"])
    findings, _, _ = run_rules(read, None)
    assert {f.rule for f in findings} == {"total.row_sum", "total.column_sum"}
    ordered = rank(findings, {"doc.txt": Decimal(2100)})
    groups = {f.group for f in ordered}
    assert len(groups) == 1
    lead = next(f for f in ordered if f.group_lead)
    assert lead.suggestion == "600" and ordered[0] is lead
    assert [f.rank for f in ordered] == [1, 2]


def test_independent_failures_stay_separate_groups():
    f1 = Finding(rule="total.row_sum", severity="error", location=Location("d", 1), key="a",
                 culprit_candidates={"x": "1"})
    f2 = Finding(rule="total.row_sum", severity="error", location=Location("d", 2), key="b",
                 culprit_candidates={"y": "2"})
    assign_groups([f1, f2])
    assert f1.group != f2.group and f1.group_lead and f2.group_lead and f1.suggestion is None


def test_materiality_orders_big_gaps_first():
    small = Finding(rule="total.row_sum", severity="error", location=Location("d", 1), key="s", gap=Decimal(1))
    big = Finding(rule="total.row_sum", severity="error", location=Location("d", 2), key="b",
                  gap=Decimal(1_000_000))
    warn = Finding(rule="total.row_sum", severity="warning", location=Location("d", 3), key="w",
                   gap=Decimal(1_000_000))
    ordered = rank([small, warn, big], {"d": Decimal(10_000_000)})
    assert [f.key for f in ordered] == ["b", "w", "s"]
    assert ordered[0].score > ordered[1].score > ordered[2].score
