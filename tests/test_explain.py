"""`auditor explain` stands on its own: no citation of a file that is not shipped, no doc that
stops on a colon, and for every rule what it checks, why, the tolerance (zh and en), its messages
and an example that fails and one that passes."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.engine import load_rules
from auditor.explain import sections, shown_cases

RULES = sorted(load_rules())
# references into DOMAIN.md / DESIGN.md / the seeds, which a user of the package does not have
UNSHIPPED = re.compile(r"DOMAIN|DESIGN|\bseed[- ]?(?:\d|style)|§\s*\d|\b[A-E]\d{1,2}[a-d]?\b(?![:\d])")


@pytest.mark.parametrize("rule_id", RULES)
def test_explain_stands_on_its_own(rule_id: str) -> None:
    spec = load_rules()[rule_id]
    result = CliRunner().invoke(main, ["explain", rule_id])
    assert result.exit_code == 0
    out = result.stdout
    assert not UNSHIPPED.search(spec.doc), UNSHIPPED.search(spec.doc)
    for heading in ("检查内容 / What it checks", "为什么重要 / Why it matters", "容差 / Tolerance",
                    "提示信息 / Messages", "不通过 / fails:", "通过 / passes:"):
        assert heading in out, heading
    part = sections(spec)
    assert part["checks"] and all(part[k].strip() for k in ("checks_zh", "why_zh", "why_en", "tol_zh", "tol_en"))
    # the rule's own Chinese summary (a rule added without one shows its zh title)
    assert "".join((spec.messages.checks.get("zh") or spec.title("zh")).split()) in "".join(out.split())
    assert re.search(r"[\u4e00-\u9fff]", part["why_zh"]) and re.search(r"[\u4e00-\u9fff]", part["tol_zh"])
    assert all(text in out for templates in spec.messages.templates.values() for text in templates.values())
    assert all(text in out for part_entry in spec.messages.parts.values() for text in part_entry.templates.values())
    # the cases shown are those tests/test_rule_cases.py runs: at least one that fails, one that passes
    shown = shown_cases(rule_id)
    assert {c["expect"] for c in shown} == {"fail", "pass"}
    assert all(c["name"] in out for c in shown)
    # no paragraph of the doc stops on a colon with nothing after it
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", spec.doc) if p.strip()]
    assert not paragraphs[0].endswith((":", "：")) and not paragraphs[-1].endswith((":", "："))


def test_nearly_every_rule_says_in_chinese_what_it_checks() -> None:
    from auditor.messages import catalogue

    assert sum(1 for rule_id in RULES if catalogue()[rule_id].checks.get("zh")) >= 45


def test_rules_lists_whole_first_paragraphs() -> None:
    out = CliRunner().invoke(main, ["rules"]).stdout
    docs = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert len(docs) == len(RULES)
    assert not [d for d in docs if d.endswith((":", "："))]
    assert not UNSHIPPED.search(out)


def test_unknown_rule_is_one_line() -> None:
    result = CliRunner().invoke(main, ["explain", "total.nope"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
