"""Issue 22, input side: each hostile or odd input of the fuzzer's table rebuilt as a tiny generated
fixture (tests/hostile_inputs.py), asserting the fixed behaviour — findings, or one line of error
with exit 2 — never an abort, a hang or a silent drop. No timed asserts: the time and memory
these inputs cost is measured by benchmarks/robustness.py.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.audit import _catalog
from auditor.cli import main
from auditor.engine import clip_evidence, load_rules, run_rules
from auditor.load import InputError, load
from auditor.load.isolate import isolated
from auditor.model import Evidence, Finding, Location
from auditor.read import read_document
from auditor.read.table_align import resolve_by_totals
from auditor.read.table_header import column_paths
from auditor.read.table_schema import norm
from tests import hostile_inputs as h
from tests.harness import audit_path, read_text


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_line_error(path: Path, *, contains: str) -> str:
    """`auditor check path` exits 2 with exactly one stderr line naming the file."""
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and contains in lines[0], result.stderr
    return lines[0]


def check_json(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = run("check", str(path), "--format", "json", *extra)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


# --------------------------------------------------------------------------- rows 1, 10, 15: XLSX


def test_row1_far_corner_xlsx_is_refused_before_any_grid(tmp_path: Path) -> None:
    one_line_error(h.xlsx_far_corner(tmp_path), contains="A1:XFD1048576")


def test_row1_a_reference_beyond_the_sheet_is_refused(tmp_path: Path) -> None:
    one_line_error(h.xlsx_far_row(tmp_path), contains="99,999,999,999")


def test_row1_with_every_limit_raised_the_native_abort_is_one_error(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-checks waved through: calamine runs in a forked child and its abort (a 550 GB
    allocation) is one error line for the file, not the end of the run."""
    monkeypatch.setenv("AUDITOR_MAX_CELLS", "99999999999")
    monkeypatch.setenv("AUDITOR_MAX_LINE_CELLS", "99999")
    monkeypatch.setenv("AUDITOR_MAX_SPARSE_AREA", "99999999999")
    good = tmp_path / "good.txt"
    good.write_text("\n".join("\t".join(r) for r in h.TABLE) + "\n", encoding="utf-8")
    corner = h.xlsx_far_corner(tmp_path)
    result = run("check", str(corner), str(good), "--format", "json")
    assert result.exit_code == 0, result.output  # the good file was audited: the run went on
    data = json.loads(result.stdout)
    errors = {d["path"]: d.get("error") for d in data["documents"]}
    assert "aborted" in (errors[str(corner)] or "") and errors[str(good)] is None


def test_row10_a_stray_cell_in_column_xfd_is_refused_by_its_used_range(tmp_path: Path) -> None:
    one_line_error(h.xlsx_stray_column(tmp_path), contains="XFD")


def test_row10_a_stray_cell_far_down_one_column_is_refused_as_a_sparse_grid(tmp_path: Path) -> None:
    cells = h.table_cells()
    cells[(399_999, 0)] = "注"  # 1.6 million cells of range, under the cells limit
    one_line_error(h.write_xlsx(tmp_path, "far_down.xlsx", cells), contains="AUDITOR_MAX_SPARSE_AREA")


def test_row10_a_long_dense_sheet_is_not_sparse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_MAX_SPARSE_AREA", "100")  # area over it, but the cells fill the range
    doc = load(h.write_xlsx(tmp_path, "dense.xlsx", h.table_cells(h.TABLE + [["其他支出", "3.00", "1.00", "2.00"]] * 60)))
    assert len([line for line in doc.lines if line.cells]) == 63


def test_row10_a_forged_dimension_reads_as_the_true_sheet(tmp_path: Path) -> None:
    forged = load(h.xlsx_forged_dimension(tmp_path))
    true = load(h.write_xlsx(tmp_path, "true.xlsx", h.table_cells()))
    assert [line.text for line in forged.lines] == [line.text for line in true.lines]
    assert max(len(line.cells or []) for line in forged.lines) == len(h.TABLE[2])


def test_row15_an_infinite_cell_is_refused_alone_with_a_warning(tmp_path: Path) -> None:
    code, data = check_json(h.xlsx_huge_number(tmp_path))
    assert data["documents"][0].get("error") is None
    skipped = [f for f in data["findings"] if f["rule"] == "parse.skipped"]
    assert len(skipped) == 1 and skipped[0]["severity"] == "warning" and "D5" in skipped[0]["message"]
    # the cell's relation is not evaluated as if it were blank: no error-level finding, no false sum
    assert not [f for f in data["findings"] if f["severity"] == "error"], data["findings"]
    assert code == 0


def test_row15_quiet_on_the_same_workbook_with_a_finite_cell(tmp_path: Path) -> None:
    _, data = check_json(h.write_xlsx(tmp_path, "fine.xlsx", h.table_cells()))
    assert not [f for f in data["findings"] if f["rule"] == "parse.skipped"]


# --------------------------------------------------------------------------- row 2: HTML spans


def test_row2_huge_spans_are_refused_before_expansion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one_line_error(h.html_spans(tmp_path), contains="cells")
    monkeypatch.setenv("AUDITOR_MAX_LINE_CELLS", "99999")  # rowspans are clipped to the table's rows:
    assert max(len(line.cells or []) for line in load(h.html_spans(tmp_path)).lines) == 20_000
    monkeypatch.setenv("AUDITOR_MAX_CELLS", "10000")  # the span sum refuses it before expanding
    one_line_error(h.html_spans(tmp_path), contains="spans expand")


def test_row2_ordinary_spans_still_expand(tmp_path: Path) -> None:
    page = ("<html><body><table><tr><td rowspan=\"2\">项目</td><td colspan=\"2\">支出</td></tr>"
            "<tr><td>基本支出</td><td>项目支出</td></tr><tr><td>行政运行</td><td>1</td><td>2</td></tr>"
            "</table></body></html>")
    path = tmp_path / "spans.html"
    path.write_text(page, encoding="utf-8")
    rows = [line.cells for line in load(path).lines if line.cells]
    assert rows == [["项目", "支出", ""], ["", "基本支出", "项目支出"], ["行政运行", "1", "2"]]


# --------------------------------------------------------------------------- rows 3, 16: PDF


def test_row3_a_mediabox_ring_of_references_is_refused(tmp_path: Path) -> None:
    one_line_error(h.pdf_mediabox_cycle(tmp_path), contains="ring of 2 references")


def test_row16_pdf_library_warnings_do_not_reach_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    import auditor.load.pdf_guard  # noqa: F401 - importing it silences the libraries

    logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font descriptor")
    assert "FontBBox" not in capfd.readouterr().err


# --------------------------------------------------------------------------- row 4: line limits, every format


def test_row4_the_line_length_limit_applies_to_html(tmp_path: Path) -> None:
    one_line_error(h.html_long_paragraph(tmp_path), contains="AUDITOR_MAX_LINE_CHARS")


def test_row4_the_cells_limit_applies_to_csv_and_xlsx(tmp_path: Path) -> None:
    one_line_error(h.csv_wide(tmp_path, columns=1_200, rows=2), contains="AUDITOR_MAX_LINE_CELLS")
    cells = h.table_cells()
    cells[(3, 1_100)] = "1"
    one_line_error(h.write_xlsx(tmp_path, "wide.xlsx", cells), contains="AUDITOR_MAX_LINE_CELLS")


def test_row4_a_line_under_the_limits_still_loads_in_every_format(tmp_path: Path) -> None:
    path = h.html_long_paragraph(tmp_path, digits=5_000)
    assert max(len(line.text) for line in load(path).lines) == 5_000


# --------------------------------------------------------------------------- rows 5, 6, 8, 9: linear steps


def _no_rule_errors(path: Path) -> list[Finding]:
    result = audit_path(path)
    assert result.error is None, result.error
    assert not [(o.rule, o.detail) for o in result.outcomes if o.status == "error"]
    return result.findings


def test_row5_a_20000_digit_line_is_audited_without_rule_errors(tmp_path: Path) -> None:
    _no_rule_errors(h.text_long_digits(tmp_path))


def test_row5_grade_bands_are_still_read_after_the_regex_fix() -> None:
    from auditor.read.grades import _BAND_RANGE

    text = "总分在 90（含）-100 分为“优”，80（含）-90 分为“良”，12390（含）以上为“优”"
    assert [(m.group(1), m.group(2)) for m in _BAND_RANGE.finditer(text)] == [
        ("90", "优"), ("80", "良"), ("12390", "优")]


def test_row6_a_sentence_of_2800_growth_clauses_is_audited(tmp_path: Path) -> None:
    findings = _no_rule_errors(h.text_long_sentence(tmp_path))
    assert all(f.location.line is not None for f in findings)


def test_row6_the_one_pass_bracket_scan_matches_a_rescan() -> None:
    from auditor.read.facts import _OPEN, _Brackets

    def rescan(text: str, start: int) -> int:
        depth: list[int] = []
        sentence = max(text.rfind("。", 0, start), text.rfind("；", 0, start))
        for i in range(sentence + 1, start):
            if text[i] in _OPEN:
                depth.append(i)
            elif text[i] in ("）", ")") and depth:
                depth.pop()
        return depth[-1] if depth else -1

    rng = random.Random(22)
    for _ in range(200):
        text = "".join(rng.choice("（）()。；a1") for _ in range(60))
        brackets = _Brackets(text)
        for start in sorted(rng.sample(range(61), 12)):
            assert brackets.open_at(start) == rescan(text, start), (text, start)


def test_row8_a_thousand_ambiguous_rows_are_resolved_by_the_totals() -> None:
    """1,000 rows that each lost a cell, each with two placements: the coordinate descent (now
    O(width) per trial) still finds the placement that meets the column totals."""
    from auditor.model import Number

    def num(value: int) -> Number:
        return Number(Decimal(value), 0, "", str(value))

    options = [[[num(3), None], [None, num(3)]] for _ in range(1_000)]
    residual = [Decimal(3 * 400), Decimal(3 * 600)]
    choice = resolve_by_totals(residual, options)
    assert choice.count(0) == 400 and choice.count(1) == 600


def test_row8_lost_cell_rows_repeated_are_read(tmp_path: Path) -> None:
    read = read_document(load(h.text_lost_cell_rows(tmp_path, rows=300)))
    assert read.tables and len(read.tables[0].rows) >= 300


def test_row9_column_paths_by_bisection_match_a_scan() -> None:
    rng = random.Random(9)
    for _ in range(200):
        width = rng.randint(1, 12)
        header = [[rng.choice(["", "", "支出", "小计", "基本支出", "项目"]) for _ in range(width)]
                  for _ in range(rng.randint(1, 3))]
        paths = column_paths(header, width)
        assert len(paths) == width
        for j, path in enumerate(paths):  # each label on a column's path is a header cell at or left of it
            for label in path:
                assert any(norm(row[k]) == label for row in header for k in range(min(j + 1, len(row))))


def test_row9_a_10000_column_csv_is_one_error_line(tmp_path: Path) -> None:
    one_line_error(h.csv_wide(tmp_path, columns=10_000, rows=3), contains="10,001 cells")


# --------------------------------------------------------------------------- row 7: findings cap


def test_row7_findings_are_capped_per_rule_with_a_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_MAX_FINDINGS", "5")
    read = read_text("示例局2024年部门预算\n单位：万元\n" + "合计" * 2_000 + "\n", "x.txt")
    spec = load_rules()["parse.unread"]

    def many(read: Any, ctx: Any) -> Any:
        for _ in range(40):
            yield ctx.finding(ctx.location(3), args={"where": "x", "reader": "n", "error": "e"}, evidence=[ctx.evidence(3, "合计")])

    monkeypatch.setattr(spec, "func", many)
    findings, outcomes, _ = run_rules(read, _catalog())
    mine = [f for f in findings if f.rule == "parse.unread"]
    summary = [f for f in findings if f.rule == "parse.findings_capped" and f.args["rule"] == "parse.unread"]
    assert len(mine) == 5 and len(summary) == 1
    assert summary[0].args == {"rule": "parse.unread", "more": 35, "limit": 5}
    outcome = next(o for o in outcomes if o.rule == "parse.unread")
    assert outcome.failed == 40
    for finding in mine:  # evidence clipped around the value, the value kept
        text = finding.evidence[0].text
        assert "合计" in text and len(text) <= 1_002 and text.endswith("…")


def test_row7_a_rule_far_past_the_cap_is_stopped_and_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_MAX_FINDINGS", "2")
    read = read_text("\n".join("\t".join(r) for r in h.TABLE) + "\n", "x.txt")
    spec = load_rules()["parse.unread"]
    made = []

    def endless(read: Any, ctx: Any) -> Any:
        while True:
            made.append(1)
            yield ctx.finding(ctx.location(3), args={"where": "x", "reader": "n", "error": "e"})

    monkeypatch.setattr(spec, "func", endless)
    findings, _, _ = run_rules(read, _catalog())
    summary = [f for f in findings if f.rule == "parse.findings_capped" and f.args["rule"] == "parse.unread"]
    assert summary and (summary[0].args["more"], summary[0].variant) == (38, "stopped") and len(made) == 40


def test_row7_the_49000_totals_line_gives_a_bounded_report(tmp_path: Path) -> None:
    code, data = check_json(h.text_many_totals(tmp_path, count=49_000))
    per_rule: dict[str, int] = {}
    for finding in data["findings"]:
        per_rule[finding["rule"]] = per_rule.get(finding["rule"], 0) + 1
        assert all(len(e["text"]) <= 1_002 for e in finding["evidence"])
    assert max(per_rule.values(), default=0) <= 51
    assert len(json.dumps(data)) < 5_000_000


def test_row7_evidence_of_a_short_line_is_the_line_exactly() -> None:
    evidence = Evidence(path="x", line=1, text="行政运行\t1,000\t600\t500", value="1,000")
    assert clip_evidence(evidence, None, 1_000) is evidence
    long = Evidence(path="x", line=1, text="甲" * 3_000 + "1,234.00" + "乙" * 3_000, value="1,234.00")
    clipped = clip_evidence(long, None, 1_000).text
    assert "1,234.00" in clipped and clipped.startswith("…") and clipped.endswith("…") and len(clipped) <= 1_002


# --------------------------------------------------------------------------- row 11: nesting


def test_row11_a_table_behind_300_nested_divs_is_read_and_checked(tmp_path: Path) -> None:
    code, data = check_json(h.html_deep_table(tmp_path, depth=300))
    assert code == 1
    assert [f for f in data["findings"] if f["rule"] == "total.row_sum" and f["severity"] == "error"]


def test_row11_content_below_the_parser_depth_is_a_warning(tmp_path: Path) -> None:
    body = "<div>" * 2_100 + "<p>藏在深处的表</p>" + "</div>" * 2_100
    path = tmp_path / "deeper.html"
    path.write_text(f"<html><body><p>{h.TABLE[0][0]}</p>{body}</body></html>", encoding="utf-8")
    code, data = check_json(path)
    skipped = [f for f in data["findings"] if f["rule"] == "parse.skipped"]
    assert len(skipped) == 1 and skipped[0]["severity"] == "warning"


def test_row11_quiet_on_a_shallow_page(tmp_path: Path) -> None:
    _, data = check_json(h.html_deep_table(tmp_path, depth=3))
    assert not [f for f in data["findings"] if f["rule"] == "parse.skipped"]


# --------------------------------------------------------------------------- row 13: scan and symlinks


def test_row13_scan_walks_a_symlink_loop_once_without_a_traceback(tmp_path: Path) -> None:
    from auditor.scan import walk

    root = h.symlink_loop(tmp_path)
    assert [Path(p).name for p in walk(str(root))] == ["a.txt"]
    result = run("scan", str(root), "-o", str(tmp_path / "out"), "--format", "csv", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- time budgets and isolation


def test_a_rule_past_its_time_budget_is_a_rule_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_RULE_SECONDS", "1")
    spec = load_rules()["total.row_sum"]

    def slow(read: Any, ctx: Any) -> None:
        time.sleep(5)

    monkeypatch.setattr(spec, "func", slow)
    read = read_text("\n".join("\t".join(r) for r in h.TABLE) + "\n", "x.txt")
    _, outcomes, _ = run_rules(read, _catalog())
    outcome = next(o for o in outcomes if o.rule == "total.row_sum")
    assert outcome.status == "error" and "AUDITOR_RULE_SECONDS" in outcome.detail
    assert [o for o in outcomes if o.status != "error"]  # the other rules ran


def test_reading_past_its_time_budget_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.audit

    monkeypatch.setenv("AUDITOR_READ_SECONDS", "1")

    def slow(doc: Any) -> None:
        with contextlib.suppress(Exception):  # a reader's own `except Exception` must not swallow the budget
            time.sleep(5)

    monkeypatch.setattr(auditor.audit, "read_document", slow)
    path = tmp_path / "doc.txt"
    path.write_text("\n".join("\t".join(r) for r in h.TABLE) + "\n", encoding="utf-8")
    result = audit_path(path)
    assert result.error and "AUDITOR_READ_SECONDS" in result.error and "\n" not in result.error


def test_isolated_turns_an_abort_into_one_input_error() -> None:
    with pytest.raises(InputError, match="SIGABRT"):
        isolated("x.xlsx", "the reader", os.abort)
    assert isolated("x.xlsx", "the reader", sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(InputError, match="^x.xlsx: refused$"):
        isolated("x.xlsx", "the reader", _raise_input_error)


def _raise_input_error() -> None:
    raise InputError("x.xlsx", "refused")


def test_findings_capped_rule_is_documented() -> None:
    spec = load_rules()["parse.findings_capped"]
    finding = Finding(rule=spec.id, severity="info", location=Location(path="x"),
                      args={"rule": "total.row_sum", "more": 7, "limit": 50})
    assert "7" in spec.message("en", finding.args) and "total.row_sum" in spec.message("zh", finding.args)


def test_row6_backward_clause_searches_match_a_split_of_the_whole_prefix() -> None:
    """The growing-window searches that replaced a split of the whole sentence per amount give
    the same clause as the split (rates: the subject's clause; text: an amount's label)."""
    import re

    from auditor.read.rates import _clause_start
    from checks.text import _CLAUSE_END, _last_clause

    rng = random.Random(6)
    for _ in range(300):
        text = "".join(rng.choice("比上年增长，,；。：1支出a ") for _ in range(rng.randint(0, 400)))
        low = rng.randint(0, len(text))
        high = rng.randint(low, len(text))
        assert text[_clause_start(text, low, high):high] == re.split(r"[，,；;。：:]", text[low:high])[-1]
        assert _last_clause(text[:high]) == _CLAUSE_END.split(text[:high])[-1]
