"""tests/harness.py is the one way tests run the pipeline: no other test file reads a text and
runs the rules by itself, and the harness does what it says."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.harness import audit_text, read_text

TESTS = Path(__file__).resolve().parent

# These test the engine itself (a rule that raises, a selection, the findings cap and a rule's time
# budget with a patched rule), so they call it directly.
ENGINE_TESTS = {"test_engine_rank.py", "test_hostile_inputs.py"}


def _own_harness(tree: ast.AST) -> list[tuple[int, str]]:
    """Calls in `tree` that run the rules (`run_rules(...)`), read a text (`read_document(split_lines(...))`)
    or audit a file (`audit_file(...)`) without the harness."""
    def name(call: ast.Call) -> str:
        func = call.func
        return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = name(node)
        if called in ("run_rules", "audit_file"):
            found.append((node.lineno, f"{called}("))
        elif called == "read_document" and any(isinstance(a, ast.Call) and name(a) == "split_lines"
                                               for a in node.args):
            found.append((node.lineno, "read_document(split_lines("))
    return found


def test_no_test_file_brings_its_own_audit_harness() -> None:
    offenders = []
    for path in sorted(TESTS.glob("*.py")):
        if path.name == "harness.py":
            continue
        for line, what in _own_harness(ast.parse(path.read_text(encoding="utf-8"))):
            if what == "run_rules(" and path.name in ENGINE_TESTS:
                continue
            offenders.append(f"{path.name}:{line} {what}")
    assert offenders == [], "use tests/harness.py (audit_text, audit_path, read_text) instead:\n" + "\n".join(offenders)


def test_the_scan_sees_each_way_of_running_the_pipeline() -> None:
    source = ("from auditor.engine import run_rules\n"
              "def audit(text):\n"
              "    read = read_document(split_lines(text, 'doc.txt'))\n"
              "    return engine.run_rules(read, None), audit_file('x.txt')\n"
              "def reads(path):\n"
              "    return read_document(load(path))\n")
    assert sorted(_own_harness(ast.parse(source))) == [
        (3, "read_document(split_lines("), (4, "audit_file("), (4, "run_rules(")]  # not read_document(load(


TEXT = "运行经费安排 10.00 万元，其中：办公费 3.00 万元、印刷费 3.00 万元。\n"


def test_audit_text_keeps_the_asked_rule_and_every_outcome() -> None:
    audited = audit_text(TEXT, rule="narrative.arithmetic")
    assert [f.rule for f in audited.findings] == ["narrative.arithmetic"] and audited.status == "failed"
    assert audited.outcomes["total.row_sum"].status == "not_applicable"
    assert audited.read.path == "doc.txt" and audited.of("narrative.") == audited.findings
    again = audit_text(read_text(TEXT, "other.txt"))
    assert again.read.path == "other.txt" and again.of("narrative.arithmetic") == again.findings
    with pytest.raises(KeyError):
        audit_text(TEXT, rule="narrative.no_such_rule")
    with pytest.raises(ValueError):
        _ = again.status  # no rule was asked for


def test_a_rule_that_raises_fails_the_test_unless_it_is_expected(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.engine import load_rules

    def boom(read: object, ctx: object) -> None:
        raise RuntimeError("deliberately broken")

    monkeypatch.setattr(load_rules()["total.row_sum"], "func", boom)
    with pytest.raises(AssertionError, match="deliberately broken"):
        audit_text(TEXT)
    assert audit_text(TEXT, rule="total.row_sum", rule_errors_ok=True).status == "error"
