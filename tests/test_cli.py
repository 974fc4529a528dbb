"""The CLI contract (DESIGN §4, §5): commands, JSON fields, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

GOOD = "示例单位 2024 年部门预算\n\n一、收支预算总体情况说明\n\n2024 年收入总计 100.00 万元。\n"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_help_and_version(runner):
    assert run(runner, "--help").exit_code == 0
    assert "0.1" in run(runner, "--version").output


def test_rules_and_explain(runner):
    out = run(runner, "rules").output
    assert "total.row_sum" in out and "total.column_sum" in out
    explained = run(runner, "explain", "total.row_sum")
    assert explained.exit_code == 0
    assert "message (zh)" in explained.output and "message (en)" in explained.output
    unknown = run(runner, "explain", "no.such.rule")
    assert unknown.exit_code == 2 and "unknown rule" in unknown.stderr


def test_json_contract_fields(runner, tmp_path: Path):
    doc = tmp_path / "d.txt"
    doc.write_text(GOOD, encoding="utf-8")
    result = run(runner, "check", str(doc), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"tool", "documents", "findings", "coverage", "summary"}
    assert data["tool"]["name"] == "auditor"
    d = data["documents"][0]
    assert set(d) >= {"path", "kind", "year", "tables", "observations", "indicators", "error"}
    assert d["year"] == 2024 and d["error"] is None
    assert set(data["coverage"]) >= {"rules_run", "passed", "failed", "not_applicable", "insufficient_data", "errors"}
    assert set(data["summary"]) == {"error", "warning", "info", "suppressed"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(128, 256)) * 20, "decode"),
    ],
)
def test_bad_single_file_is_one_line_and_exit_2(runner, tmp_path: Path, content: bytes, message: str):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run(runner, "check", str(bad))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_missing_path_exit_2(runner, tmp_path: Path):
    result = run(runner, "check", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_directory_run_reports_bad_files_and_goes_on(runner, tmp_path: Path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "gbk.txt").write_bytes(GOOD.encode("gb18030"))
    result = run(runner, "check", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    docs = {Path(d["path"]).name: d for d in json.loads(result.stdout)["documents"]}
    assert docs["good.txt"]["error"] is None and docs["gbk.txt"]["error"] is None
    assert docs["gbk.txt"]["year"] == 2024
    assert "empty" in docs["empty.txt"]["error"] and "binary" in docs["binary.txt"]["error"]


def test_output_file_is_written_and_never_over_an_input(runner, tmp_path: Path):
    doc = tmp_path / "d.txt"
    doc.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out" / "report.json"
    assert run(runner, "check", str(doc), "--format", "json", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["path"] == str(doc)
    clash = run(runner, "check", str(doc), "-o", str(doc))
    assert clash.exit_code == 2 and doc.read_text(encoding="utf-8") == GOOD


def test_lang_en_text_output(runner, tmp_path: Path):
    doc = tmp_path / "d.txt"
    doc.write_text(GOOD, encoding="utf-8")
    out = run(runner, "check", str(doc), "--lang", "en").output
    assert "No findings." in out and "coverage" in out


def test_extract_json_has_line_numbers(runner, tmp_path: Path):
    doc = tmp_path / "d.txt"
    doc.write_text(GOOD, encoding="utf-8")
    data = json.loads(run(runner, "extract", str(doc)).stdout)
    assert data["year"] == 2024 and data["sections"][0]["first_line"] == 1
    bad = run(runner, "extract", str(tmp_path / "missing.txt"))
    assert bad.exit_code == 2


def test_top_counts_findings_and_leaves_json_whole(runner):
    # --top N shows N findings (as --help says) in the human formats; JSON keeps every finding
    import re

    from tests.conftest import seed

    path = str(seed("001"))
    full = json.loads(run(runner, "check", path, "--format", "json", "--fail-on", "never").stdout)["findings"]
    top1 = json.loads(run(runner, "check", path, "--format", "json", "--top", "1", "--fail-on", "never").stdout)
    assert len(full) >= 2 and top1["findings"] == full
    text = run(runner, "check", path, "--top", "1", "--fail-on", "never").stdout
    rows = [line for line in text.splitlines() if re.match(r"^\s*(└ )?\d+\s", line)]
    assert len(rows) == 1 and full[0]["rule"] in rows[0]
    assert f"另有 {len(full) - 1} 条" in text
