"""Hostile and broken inputs (issue 12): a corpus of broken files, the loader's resource limits,
output safety of every report format, atomic writes that never go over an input, byte-identical
results across runs and job counts, and honest failure (rule errors, exit 2 when no rule ran).

No timed asserts: the time and memory these inputs cost is measured in benchmarks/robustness.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.load import InputError, load
from auditor.model import DocumentResult, Evidence, Finding, Location, RuleOutcome
from auditor.result import build_result
from reports import FORMATS, renderer
from tests.conftest import ROOT, SEEDS

GOOD = "示例局2024年部门预算\n单位：万元\n项目\t合计\t基本支出\t项目支出\n行政运行\t1,000.00\t600.00\t500.00\n"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- broken files


def _corpus(folder: Path) -> dict[str, Path]:
    """Broken files, generated: each must give one error line or a clean result."""
    files = {
        "empty.txt": b"",
        "truncated_utf8.txt": GOOD.encode("utf-8")[:-2],  # cut inside the last character
        "binary.txt": bytes(range(256)) * 8,
        "nul_in_text.txt": GOOD.encode("utf-8").replace(b"\n", b"\x00\n", 1),
        "bom_then_garbage.txt": b"\xff\xfe" + b"\x00\xd8" * 5,
        "only_whitespace.txt": " \n\t\r\n\u3000".encode("utf-8"),
        "control_chars.txt": bytes(range(1, 32)) * 20,
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    sparse = folder / "huge.txt"  # 100 MB without writing 100 MB: a sparse file
    with sparse.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    paths["huge.txt"] = sparse
    wide = folder / "wide.txt"  # a table of 10,000 columns
    header = "\t".join(["项目"] + [f"列{i}" for i in range(10_000)])
    wide.write_text("某表\n" + header + "\n" + "\t".join(["合计"] + ["1.00"] * 10_000) + "\n", encoding="utf-8")
    paths["wide.txt"] = wide
    return paths


def test_each_broken_file_is_one_error_line_or_a_clean_result(tmp_path: Path) -> None:
    for name, path in _corpus(tmp_path).items():
        result = run("check", str(path), "--format", "json")
        assert result.exit_code in (0, 1, 2), (name, result.output)
        if result.exit_code == 2:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("auditor: "), (name, result.stderr)
            assert "Traceback" not in result.output
        data = json.loads(result.stdout)
        assert len(data["documents"]) == 1


def test_a_directory_of_broken_files_keeps_going(tmp_path: Path) -> None:
    _corpus(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = run("check", str(tmp_path), "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    docs = {Path(d["path"]).name: d for d in json.loads(result.stdout)["documents"]}
    assert docs["good.txt"]["error"] is None
    for name in ("empty.txt", "binary.txt", "huge.txt", "wide.txt"):
        assert docs[name]["error"] and "\n" not in docs[name]["error"], name


def test_a_file_name_that_is_not_utf8_does_not_break_any_report(tmp_path: Path) -> None:
    if sys.platform == "darwin":  # pragma: no cover - APFS refuses such names
        pytest.skip("file system requires UTF-8 names")
    name = os.fsdecode(b"bad\xff.txt")
    (tmp_path / name).write_text(GOOD, encoding="utf-8")
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        result = run("check", str(tmp_path), "--format", fmt, "-o", str(out), "--fail-on", "never")
        assert result.exit_code == 0, (fmt, result.output)
        assert out.stat().st_size > 0


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize(("variable", "text", "words"), [
    ("AUDITOR_MAX_LINE_CHARS", "标题\n" + "数" * 5_000 + "\n", ("line 2", "AUDITOR_MAX_LINE_CHARS")),
    ("AUDITOR_MAX_LINES", "行\n" * 2_000, ("2,000 lines", "AUDITOR_MAX_LINES")),
    ("AUDITOR_MAX_LINE_CELLS", "标题\n" + "\t".join(["1"] * 300) + "\n", ("line 2", "300", "AUDITOR_MAX_LINE_CELLS")),
])
def test_limits_are_one_line_input_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str,
                                          text: str, words: tuple[str, ...]) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    load(path)  # under the default limits
    monkeypatch.setenv(variable, "1_000" if variable != "AUDITOR_MAX_LINE_CELLS" else "100")
    with pytest.raises(InputError) as err:
        load(path)
    assert "\n" not in str(err.value) and all(w in str(err.value) for w in words), str(err.value)
    monkeypatch.setenv(variable, "not a number")  # ignored: the default applies
    load(path)


def test_a_long_single_line_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 100 MB single line, scaled down: the limit is lowered instead of the file made huge."""
    monkeypatch.setenv("AUDITOR_MAX_LINE_CHARS", "50000")
    path = tmp_path / "one_line.txt"
    path.write_text("合计" * 200_000, encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2 and "AUDITOR_MAX_LINE_CHARS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_wide_table_is_refused_by_default_and_explains_how_to_raise_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="10,001 tab-separated cells.*AUDITOR_MAX_LINE_CELLS"):
        load(_corpus(tmp_path)["wide.txt"])


# --------------------------------------------------------------------------- output safety

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> ``` `code` | a | b | [x](javascript:y) ]() "
           "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\u2028\u2029\ufffe =cmd|' /C calc'!A0")


def _hostile_result(tmp_path: Path) -> dict[str, Any]:
    path = str(tmp_path / "doc<x>.txt")
    findings = []
    for n, start in enumerate(["=", "+", "-", "@", "\t", ""]):
        text = f"{start}1+1 {HOSTILE}"
        findings.append(Finding(
            rule="total.row_sum", severity="error",
            location=Location(path=path, line=4 + n, table=f"{start}表<b>{HOSTILE}", row=f"{start}行|", column="合计"),
            args={"table": HOSTILE, "row": HOSTILE, "column": "合计", "actual": HOSTILE, "expected": "1"},
            expected=f"{start}SUM(A1:A9)", actual=HOSTILE, difference="-1",
            evidence=[Evidence(path=path, line=4 + n, text=text, value=HOSTILE[:8])], key=f"k{n}"))
    doc = DocumentResult(path=path, read=None, findings=findings, error=None,
                         outcomes=[RuleOutcome("total.row_sum", path, "failed")])
    return build_result([doc])


def test_html_and_markdown_escape_document_text(tmp_path: Path) -> None:
    result = _hostile_result(tmp_path)
    page = renderer("html")(result)
    body = page.split("<body", 1)[1]
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body
    assert not any(ch in page for ch in "\x00\x01\x07\x1b\x7f\ufffe")
    md = renderer("md")(result)
    outside, fence = [], ""
    for line in md.splitlines():  # text outside fenced blocks is Markdown, inside it is literal
        mark = line.strip()
        if fence and mark == fence:
            fence = ""
        elif not fence and mark.startswith("```"):
            fence = mark.removesuffix("text")
            assert len(fence) > 3  # longer than the ``` run in the evidence, so it cannot be closed by it
        elif not fence:
            outside.append(line)
    assert not fence
    prose = "\n".join(outside)
    assert "<script" not in prose and "<img" not in prose and "&lt;script&gt;" in prose
    assert not re.search(r"(?<!\\)\]\(", prose) and "\\[x\\](javascript" in prose  # no live link
    assert "\\|" in prose  # a cell bar cannot split a table row
    assert not any(ch in md for ch in "\x00\x01\x07\x1b\x7f\ufffe")


def test_machine_formats_parse_with_their_standard_parsers(tmp_path: Path) -> None:
    result = _hostile_result(tmp_path)
    data = json.loads(renderer("json")(result))
    assert data["findings"][0]["evidence"][0]["text"].endswith(HOSTILE)  # JSON keeps the source line exactly
    sarif = json.loads(renderer("sarif")(result))
    assert sarif["runs"][0]["results"]
    root = ET.fromstring(renderer("junit")(result).encode("utf-8"))
    assert root.tag == "testsuites"
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(renderer("xlsx")(result)))
    for row in workbook["问题"].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value  # never a formula
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.quotePrefix, cell.value


def test_report_written_atomically_a_failed_write_leaves_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "doc.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text("old report", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("auditor.cli.os.replace", broken_replace)
    result = run("check", str(tmp_path / "doc.txt"), "--format", "json", "-o", str(out))
    # one line of error, exit 2, never a traceback
    assert result.exit_code == 2 and result.stderr.strip().count("\n") == 0 and "disk full" in result.stderr
    assert out.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.json"]  # no temp file left


def test_output_never_over_an_input_even_inside_a_directory_run(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    target = tmp_path / "docs" / "doc.txt"
    target.write_text(GOOD, encoding="utf-8")
    for args in ([str(tmp_path / "docs")], [str(target)], [str(tmp_path)]):
        result = run("check", *args, "--format", "json", "-o", str(target))
        assert result.exit_code == 2 and "over an input" in result.stderr, args
        assert target.read_text(encoding="utf-8") == GOOD


# --------------------------------------------------------------------------- determinism


def _json_run(args: list[str], env: dict[str, str] | None = None) -> bytes:
    proc = subprocess.run([sys.executable, "-m", "auditor.cli", "check", *args, "--format", "json",
                           "--fail-on", "never"], capture_output=True, cwd=ROOT, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "AUDITOR_NO_TIMING": "1", **(env or {})})
    return proc.stdout


def test_json_is_byte_identical_across_runs_hash_seeds_and_jobs() -> None:
    datasets = str(ROOT / "datasets")
    first = _json_run([datasets, "--jobs", "1"], {"PYTHONHASHSEED": "1"})
    assert _json_run([datasets, "--jobs", "2"], {"PYTHONHASHSEED": "2"}) == first
    data = json.loads(first)
    assert data["findings"] and all(d["seconds"] == 0.0 for d in data["documents"])


def test_json_on_the_seeds_is_byte_identical_across_jobs() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not found")
    first = _json_run([str(SEEDS), "--jobs", "1"], {"PYTHONHASHSEED": "3"})
    assert _json_run([str(SEEDS), "--jobs", "2"], {"PYTHONHASHSEED": "4"}) == first


# --------------------------------------------------------------------------- failure honesty


def _break(monkeypatch: pytest.MonkeyPatch, rule_ids: list[str]) -> None:
    from auditor.engine import load_rules

    def boom(read: Any, ctx: Any) -> None:
        raise RuntimeError("deliberately broken")

    specs = load_rules()
    for rule_id in rule_ids:
        monkeypatch.setattr(specs[rule_id], "func", boom)


def test_a_rule_that_raises_is_an_error_outcome_and_the_others_still_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(GOOD, encoding="utf-8")
    _break(monkeypatch, ["total.row_sum"])
    result = run("check", str(path), "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["coverage"]["errors"] == 1 and data["coverage"]["rules_run"] > 1
    assert data["rule_errors"][0]["rule"] == "total.row_sum"
    assert "RuntimeError: deliberately broken" in data["rule_errors"][0]["detail"]
    outcomes = data["documents"][0]["outcomes"]
    assert outcomes["total.row_sum"] == "error"
    assert set(outcomes.values()) - {"error"}  # the other rules ran
    root = ET.fromstring(run("check", str(path), "--format", "junit", "--fail-on", "never").stdout.encode())
    case = root.find(".//testcase[@name='total.row_sum @ " + str(path) + "']")
    assert case is not None and case.find("error") is not None
    skipped = root.findall(".//testcase/skipped")
    assert skipped and len(skipped) == sum(1 for s in outcomes.values() if s in ("not_applicable",
                                                                                  "insufficient_data"))
    assert root.get("skipped") == str(len(skipped))


def test_exit_2_when_no_rule_could_run_on_any_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.engine import load_rules

    path = tmp_path / "doc.txt"
    path.write_text(GOOD, encoding="utf-8")
    _break(monkeypatch, list(load_rules()))
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 2
    assert "no rule could run" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    # crossdoc.* run in scan; the engine's own check (parse.findings_capped) is not a rule function
    per_document = [spec for spec in load_rules().values() if spec.applies_to not in ("corpus", "engine")]
    assert json.loads(result.stdout)["coverage"]["errors"] == len(per_document)


def test_junit_marks_a_disabled_rule_skipped_not_passed(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(GOOD, encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('disable = ["text"]\n', encoding="utf-8")
    result = run("check", str(path), "--format", "junit", "--config", str(tmp_path / "auditor.toml"),
                 "--fail-on", "never")
    root = ET.fromstring(result.stdout.encode())
    for case in root.iter("testcase"):
        if case.get("name", "").startswith("text."):
            skipped = case.find("skipped")
            assert skipped is not None and "disabled" in (skipped.get("message") or ""), case.get("name")
