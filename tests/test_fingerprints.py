"""Finding ids are content fingerprints: a baseline survives another checkout, another working
directory and an unrelated edit above a finding; a changed number, or another cell, is a new id."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.model import Evidence, Finding, Location
from auditor.rank import assign_ids, fingerprint
from tests.budget_text import budget


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def corpus(root: Path, **changes: str) -> Path:
    """A release folder: one budget with a wrong 基本支出 total and one with a wrong salary line."""
    release = root / "release"
    (release / "units").mkdir(parents=True)
    (release / "dept.txt").write_text(budget(T6_TOTAL=changes.get("T6_TOTAL", "1,450,000")), encoding="utf-8")
    (release / "units" / "unit.txt").write_text(budget(T6_30101="650,000"), encoding="utf-8")
    (root / "auditor.toml").write_text("", encoding="utf-8")
    return release


def test_a_baseline_written_in_one_checkout_suppresses_everything_in_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = corpus(tmp_path / "dev" / "checkout")
    second = tmp_path / "ci" / "build-17" / "copy"
    second.parent.mkdir(parents=True)
    shutil.copytree(first.parent, second)
    monkeypatch.chdir(tmp_path)
    # written with an absolute path...
    assert run("baseline", "write", str(first), "-o", str(tmp_path / "b.json")).exit_code == 0
    ids = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["ids"]
    assert len(ids) >= 4
    # ...checked with a relative path from another working directory, on the copy
    monkeypatch.chdir(second.parent)
    result = run("check", "copy/release", "--format", "json", "--baseline", str(tmp_path / "b.json"))
    out = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    assert out["findings"] == [] and out["summary"]["suppressed"] == len(ids)
    # and from inside the release, file by file
    monkeypatch.chdir(second / "release")
    out = json.loads(run("check", "dept.txt", "units/unit.txt", "--format", "json",
                         "--baseline", str(tmp_path / "b.json")).stdout)
    assert out["findings"] == [] and out["summary"]["suppressed"] == len(ids)


def test_lines_inserted_above_keep_the_finding_and_a_changed_number_is_new(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run("baseline", "write", "release", "-o", "b.json").exit_code == 0
    before = json.loads(run("check", "release", "--format", "json").stdout)["findings"]
    dept = release / "dept.txt"
    lines = dept.read_text(encoding="utf-8").split("\n")
    # three unrelated lines after the title: every line number below moves by three
    dept.write_text("\n".join([lines[0], "", "（本公开内容经单位办公会审议。）", "", *lines[1:]]), encoding="utf-8")
    after = json.loads(run("check", "release", "--format", "json").stdout)["findings"]
    moved = {f["id"]: f["location"]["line"] for f in after}
    assert any(moved[f["id"]] == f["location"]["line"] + 3 for f in before if f["id"] in moved)
    result = run("check", "release", "--format", "json", "--baseline", "b.json")
    assert json.loads(result.stdout)["findings"] == [] and result.exit_code == 0

    # the same wrong total printed as another wrong number is a new finding
    dept.write_text(budget(T6_TOTAL="1,460,000"), encoding="utf-8")
    result = run("check", "release", "--format", "json", "--baseline", "b.json")
    new = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1
    assert new and all(f["location"]["path"].endswith("dept.txt") for f in new)
    assert any(f["actual"] == "1,460,000" for f in new)


def _column_finding(row: str, actual: str, line: int) -> Finding:
    return Finding(rule="total.column_sum", severity="error",
                   location=Location("d.txt", line=line, table="表一", row=row, column="合计"),
                   expected="1,000", actual=actual, key="t|表一|合计",
                   evidence=[Evidence("d.txt", line, f"{row}\t{actual}", actual)])


def test_two_findings_in_one_column_never_share_an_id() -> None:
    # the rule's key names only the column: the row and the cited values still tell them apart
    a, b = _column_finding("小计", "1,100", 8), _column_finding("其中：财政拨款", "32,700,000", 9)
    assert fingerprint(a) != fingerprint(b)
    # even an identical finding twice (a document audited under two names) gets two ids
    twin = _column_finding("小计", "1,100", 8)
    twin.location = Location("copy/d.txt", line=8, table="表一", row="小计", column="合计")
    findings = [a, b, twin]
    assign_ids(findings)
    assert len({f.id for f in findings}) == 3
    assert {a.id, twin.id} == {fingerprint(a), fingerprint(a) + "-2"}


def test_the_path_and_its_spelling_are_not_in_the_id() -> None:
    here = _column_finding("小计", "1,100", 8)
    there = _column_finding("小计", "1,100", 80)
    there.location = Location("/srv/ci/build/release/d.txt", line=80, table="表一", row="小计", column="合计")
    there.evidence = [Evidence(there.location.path, 80, "小计\t1,100", "1,100")]
    assert fingerprint(here) == fingerprint(there)


def test_a_baseline_of_the_old_id_scheme_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.json").write_text(json.dumps({"tool": {"name": "auditor"}, "ids": ["0123456789abcdef"]}),
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "release", "--baseline", "old.json"])
    assert result.exit_code == 1 and "write it again with `auditor baseline write`" in result.stderr
    assert run("baseline", "write", "release", "-o", "new.json").exit_code == 0
    assert json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))["fingerprint_version"] == "2"
    quiet = CliRunner().invoke(main, ["check", "release", "--baseline", "new.json"])
    assert quiet.exit_code == 0 and "write it again" not in quiet.stderr
