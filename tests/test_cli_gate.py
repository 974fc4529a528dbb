"""The CI gate: exit codes with --fail-on and --exit-zero, project config, and baselines.

The readers do not produce findings from real documents yet, so most tests replace
`auditor.audit.audit_files` with one that returns constructed results for the real files given
on the command line; the ranking, result building, baseline and rendering are the real ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.model import DocumentResult, Evidence, Finding, Location

TINY = "郑州市某局2023年部门预算\n单位：万元\n合计\t基本支出\t项目支出\n行政运行\t1,000.00\t600.00\t500.00\n"


def finding(path: str, rule: str, severity: str, key: str, line: int) -> Finding:
    return Finding(rule=rule, severity=severity,  # type: ignore[arg-type]
                   location=Location(path=path, line=line, table="表一", row=key, column="合计"),
                   args={"table": "表一", "row": key, "column": "合计", "actual": "1,000.00", "expected": "1,100.00",
                         "difference": "-100.00", "parts": "基本支出、项目支出"},
                   expected="1,100.00", actual="1,000.00", difference="-100.00",
                   evidence=[Evidence(path=path, line=line, text="行政运行\t1,000.00\t600.00\t500.00", value="1,000.00")],
                   key=key)


class FakeAudit:
    """Stands in for audit_files: returns `plan[path]` findings for each file; records the selection."""

    def __init__(self, plan: dict[str, list[tuple[str, str, str]]]) -> None:
        self.plan = plan
        self.selections: list[Any] = []

    def __call__(self, files: list[str], jobs: int = 1, selection: Any = None) -> Iterator[DocumentResult]:
        self.selections.append(selection)
        for path in files:
            spec = self.plan.get(Path(path).name, [])
            findings = [finding(path, rule, sev, key, 4 + i) for i, (rule, sev, key) in enumerate(spec)]
            findings = [f for f in findings if selection is None or f.rule not in selection.disabled]
            for f in findings:
                if selection is not None and f.rule in selection.severity:
                    f.severity = selection.severity[f.rule]
            yield DocumentResult(path=path, read=None, findings=findings)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with one tiny document and no config above it that matters."""
    (tmp_path / "doc.txt").write_text(TINY, encoding="utf-8")
    # an empty auditor.toml stops the walk up, so no config outside the test can leak in
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fake(monkeypatch: pytest.MonkeyPatch, plan: dict[str, list[tuple[str, str, str]]]) -> FakeAudit:
    audit = FakeAudit(plan)
    monkeypatch.setattr("auditor.audit.audit_files", audit)
    return audit


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


ERR = ("total.row_sum", "error", "r1")
WARN = ("total.column_sum", "warning", "r2")
INFO = ("total.code_rollup", "info", "r3")


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(("plan", "args", "code"), [
    ([ERR, WARN], [], 1),
    ([WARN, INFO], [], 0),
    ([WARN, INFO], ["--fail-on", "warning"], 1),
    ([INFO], ["--fail-on", "warning"], 0),
    ([INFO], ["--fail-on", "info"], 1),
    ([ERR], ["--fail-on", "never"], 0),
    ([ERR], ["--exit-zero"], 0),
    ([ERR], ["--exit-zero", "--fail-on", "info"], 0),
    ([], ["--fail-on", "info"], 0),
])
def test_exit_codes(project: Path, monkeypatch: pytest.MonkeyPatch, plan: list, args: list[str], code: int) -> None:
    fake(monkeypatch, {"doc.txt": plan})
    result = run("check", "doc.txt", "--format", "json", *args)
    assert result.exit_code == code, result.output
    assert len(json.loads(result.stdout)["findings"]) == len(plan)


def test_unreadable_input_is_2_even_with_exit_zero(project: Path) -> None:
    assert run("check", "missing.txt").exit_code == 2
    assert run("check", "missing.txt", "--exit-zero").exit_code == 2


def test_real_audit_of_a_tiny_document(project: Path) -> None:
    """No monkeypatching: the real pipeline on a hand-written document, every format."""
    for fmt in ("text", "json", "md", "html", "sarif", "junit", "xlsx"):
        out = project / f"report.{fmt}"
        result = run("check", "doc.txt", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    sarif = json.loads((project / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["artifacts"][0]["location"]["uri"] == "doc.txt"
    assert (project / "report.xlsx").read_bytes()[:2] == b"PK"


# --------------------------------------------------------------------------- config


def test_config_fail_on_and_cli_override(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": [WARN]})
    (project / "auditor.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert run("check", "doc.txt").exit_code == 1
    assert run("check", "doc.txt", "--fail-on", "error").exit_code == 0


def test_config_from_pyproject_found_walking_up(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": [ERR, WARN, INFO]})
    (project / "auditor.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.auditor]\nlang = "en"\ntop = 1\nfail-on = "never"\n',
                                            encoding="utf-8")
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = run("check", "../doc.txt", "--format", "md")
    assert result.exit_code == 0
    assert "Findings" in result.stdout and "#1" in result.stdout and "#2" not in result.stdout
    result = run("check", "../doc.txt", "--format", "md", "--lang", "zh", "--top", "3", "--fail-on", "error")
    assert result.exit_code == 1 and "问题" in result.stdout and "#3" in result.stdout


def test_config_selection_reaches_the_engine(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    audit = fake(monkeypatch, {"doc.txt": [ERR, WARN]})
    (project / "auditor.toml").write_text(
        'disable = ["total.column_sum"]\n[severity]\n"total.row_sum" = "warning"\n', encoding="utf-8")
    result = run("check", "doc.txt", "--format", "json")
    selection = audit.selections[-1]
    assert selection.disabled == frozenset({"total.column_sum"})
    assert selection.severity == {"total.row_sum": "warning"}
    data = json.loads(result.stdout)
    assert [f["rule"] for f in data["findings"]] == ["total.row_sum"]
    assert data["findings"][0]["severity"] == "warning" and result.exit_code == 0


def test_explicit_config_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": [INFO]})
    cfg = project / "ci.toml"
    cfg.write_text('fail-on = "info"\n', encoding="utf-8")
    assert run("check", "doc.txt", "--config", str(cfg)).exit_code == 1
    assert run("check", "doc.txt").exit_code == 0


def test_bad_config_is_a_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": []})
    (project / "auditor.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    result = run("check", "doc.txt")
    assert result.exit_code == 2 and "fail-on must be" in result.stderr


def test_unknown_rule_in_config_warns(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": []})
    (project / "auditor.toml").write_text('disable = ["total.nope"]\n', encoding="utf-8")
    result = run("check", "doc.txt")
    assert result.exit_code == 0 and "total.nope" in result.stderr


# --------------------------------------------------------------------------- baseline


def test_baseline_write_then_check_reports_only_new_findings(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": [ERR, WARN]})
    result = run("baseline", "write", "doc.txt", "-o", "auditor-baseline.json")
    assert result.exit_code == 0, result.output
    data = json.loads((project / "auditor-baseline.json").read_text(encoding="utf-8"))
    assert data["tool"]["name"] == "auditor" and len(data["ids"]) == 2 and data["ids"] == sorted(data["ids"])

    # nothing new: clean, both counted as suppressed
    result = run("check", "doc.txt", "--format", "json", "--baseline", "auditor-baseline.json")
    out = json.loads(result.stdout)
    assert result.exit_code == 0 and out["findings"] == [] and out["summary"]["suppressed"] == 2

    # one new error appears: only it is reported, and it fails the gate
    fake(monkeypatch, {"doc.txt": [ERR, WARN, ("total.subitem_exceeds", "error", "r9")]})
    result = run("check", "doc.txt", "--format", "json", "--baseline", "auditor-baseline.json")
    out = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [f["rule"] for f in out["findings"]] == ["total.subitem_exceeds"]
    assert out["findings"][0]["rank"] == 1
    assert out["summary"] == {"error": 1, "warning": 0, "info": 0, "suppressed": 2}
    text = run("check", "doc.txt", "--baseline", "auditor-baseline.json", "--lang", "en").stdout
    assert "2 suppressed" in text


def test_baseline_write_default_output_and_unreadable_input(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": [ERR]})
    assert run("baseline", "write", "doc.txt").exit_code == 0
    assert json.loads((project / "auditor-baseline.json").read_text(encoding="utf-8"))["ids"]
    assert run("baseline", "write", "missing.txt", "-o", "b.json").exit_code == 2
    assert not (project / "b.json").exists()


def test_a_bad_baseline_file_is_a_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(monkeypatch, {"doc.txt": [ERR]})
    (project / "b.json").write_text("not json", encoding="utf-8")
    assert run("check", "doc.txt", "--baseline", "b.json").exit_code == 2
