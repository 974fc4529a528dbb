"""Great Expectations integration (the optional `gx` extra): suites, batch validation, Data Docs.

GX is heavy (several seconds to import): every test that needs it shares the one import of the
test process, the suite tests share one ephemeral context, and `check --gx` runs in-process.
The import-hygiene test runs without GX and is never skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.gx.frame import column_roles, kind_frames, table_frame
from auditor.load import load
from auditor.read import read_document
from auditor.read.table_schema import schema_for
from tests.conftest import ROOT

SAMPLE = ROOT / "datasets" / "budget_2024_sample.txt"
PLANTED_LINE = 265  # datasets/labels.yaml: budget-digit-swap, total.row_sum
needs_gx = pytest.mark.skipif(find_spec("great_expectations") is None,
                              reason="great_expectations is not installed (pip install '.[gx]')")


# --------------------------------------------------------------------------- no GX needed


def test_help_and_check_without_gx_never_import_great_expectations() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from auditor.cli import main\n"
        "for args in (['--help'], ['gx', '--help'], ['rules'],\n"
        "             ['check', 'datasets/', '--format', 'json', '--fail-on', 'never']):\n"
        "    result = CliRunner().invoke(main, args)\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'great_expectations'))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_gx_without_great_expectations_is_a_usage_error(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "great_expectations", None)  # as if not installed
    monkeypatch.chdir(ROOT)
    for args in (["check", "datasets/", "--gx"], ["gx", "suite", "budget.expense"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "great_expectations is not installed" in result.output, args


def test_frame_lays_out_rows_with_keys_roles_and_amounts_in_yuan() -> None:
    read = read_document(load(str(SAMPLE)))
    frames = kind_frames([read])
    expense = frames["budget.expense"]
    frame = expense.frame
    assert column_roles(schema_for("budget.expense"))[:3] == ["total", "basic", "basic.salary"]
    row = frame[frame["line"] == PLANTED_LINE].iloc[0]
    assert row["code"] == "2080505" and row["row_key"] == "2080505" and row["table"] == "2024年部门支出总体情况表"
    assert row["basic"] == 1326784.0 and row["basic.salary"] == 1362784.0 and row["rounding"] == 0.0
    assert pd.isna(row["basic.personnel"])  # not printed by this table: not applicable, not 0
    ref = expense.refs[int(row.name)]
    assert read.tables[ref.table].rows[ref.row].line == PLANTED_LINE
    # both classifications identify a row of the economic table
    econ = frames["budget.general_expense_econ"].frame
    assert econ["row_key"].dropna().str.fullmatch(r"\d{5}/\d{5}").all()


def test_sum_gaps_tolerance_comes_from_printed_precision() -> None:
    from auditor.gx.rowsum import sum_gaps  # plain pandas: runs without GX too

    df = pd.DataFrame({"total": [0.03, 0.04, 1000.0, 1001.0, 5.0, None],
                       "a": [0.01, 0.01, 600.0, 600.0, 5.0, 1.0],
                       "b": [0.01, 0.01, 400.0, 400.0, None, 1.0]})
    # two decimals (万元): three printed values may each be off by 0.005
    rounded = sum_gaps(df.iloc[:2], "total", ["a", "b"], per_value_tolerance=0.005)
    assert rounded["unexpected_index_list"] == [1]  # 0.03 vs 0.02 is rounding; 0.04 vs 0.02 is not
    # whole 元 are exact: one 元 off fails; a missing optional part counts 0; a missing total skips the row
    exact = sum_gaps(df.iloc[2:], "total", ["a", "b"], optional_parts=["b"])
    assert exact["unexpected_index_list"] == [3] and exact["checked_count"] == 3
    # a relation whose required column is absent is not applicable (as when the reader finds no column)
    assert sum_gaps(df, "total", ["a", "c"])["applicable"] is False
    assert sum_gaps(df, "total", ["a", "b", "c"], optional_parts=["c"])["absent_columns"] == ["c"]


# --------------------------------------------------------------------------- suite export, load, validate a CSV


@pytest.fixture(scope="module")
def gx_context():
    gx = pytest.importorskip("great_expectations", reason="great_expectations is not installed")
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def _release_csv(text: str, tmp: Path, name: str) -> tuple[Path, list[str]]:
    """The 部门支出总体情况表 of the sample as a data team would release it: code, label and the
    printed columns named by role (absent columns left out)."""
    src = tmp / f"{name}.txt"
    src.write_text(text, encoding="utf-8")
    read = read_document(load(str(src)))
    table = next(t for t in read.tables if t.kind == "budget.expense")
    frame = table_frame(table).dropna(axis=1, how="all")
    roles = [c for c in column_roles(schema_for("budget.expense")) if c in frame.columns]
    path = tmp / f"{name}.csv"
    frame[["code", "label", *roles]].to_csv(path, index=False)
    return path, roles


@needs_gx
def test_exported_suite_loads_in_a_fresh_context_and_gates_a_csv_release(gx_context, tmp_path: Path) -> None:
    gx, context = gx_context
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    assert "1,362,784" in lines[PLANTED_LINE - 1]
    planted, printed = _release_csv(text, tmp_path, "planted")
    lines[PLANTED_LINE - 1] = lines[PLANTED_LINE - 1].replace("1,362,784", "1,326,784")
    clean, _ = _release_csv("".join(lines), tmp_path, "clean")
    assert "basic.personnel" not in printed and "upper" not in printed  # a release prints some roles

    suite_file = tmp_path / "suite.json"
    result = CliRunner().invoke(main, ["gx", "suite", "budget.expense", "-o", str(suite_file),
                                       "--columns", ",".join(printed)])
    assert result.exit_code == 0, result.output
    data = json.loads(suite_file.read_text(encoding="utf-8"))
    types = {e["type"] for e in data["expectations"]}
    assert "expect_multicolumn_sum_to_equal_with_tolerance" in types
    assert {"expect_column_to_exist", "expect_column_values_to_match_regex",
            "expect_column_values_to_be_between", "expect_column_values_to_be_unique"} <= types

    # what a data team does in its own GX project
    from auditor.gx.expectations import ExpectMulticolumnSumToEqualWithTolerance  # noqa: F401 - registers it

    suite = context.suites.add(gx.ExpectationSuite(**data))
    assert len(suite.expectations) == len(data["expectations"])
    asset = context.data_sources.add_pandas("releases").add_dataframe_asset("budget.expense")
    definition = context.validation_definitions.add(gx.ValidationDefinition(
        name="expense release", data=asset.add_batch_definition_whole_dataframe("csv"), suite=suite))

    failed = definition.run(batch_parameters={"dataframe": pd.read_csv(planted, dtype={"code": str})},
                            result_format={"result_format": "COMPLETE"})
    assert not failed.success
    bad = [r for r in failed.results if not r.success]
    assert [r.expectation_config.type for r in bad] == ["expect_multicolumn_sum_to_equal_with_tolerance"]
    assert bad[0].expectation_config.kwargs["total"] == "basic"
    rows = pd.read_csv(planted, dtype={"code": str})
    assert [rows.loc[i, "code"] for i in bad[0].result["unexpected_index_list"]] == ["2080505"]

    passed = definition.run(batch_parameters={"dataframe": pd.read_csv(clean, dtype={"code": str})})
    assert passed.success, [r.expectation_config.type for r in passed.results if not r.success]


@needs_gx
def test_suite_for_an_unknown_or_row_laid_out_kind_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["gx", "suite", "budget.nope"]).exit_code == 2
    assert CliRunner().invoke(main, ["gx", "suite", "budget.expense", "--columns", "total,nope"]).exit_code == 2
    # a kind laid out in rows has a suite only for the columns its schema names (the summary's
    # 合计 | 人员经费 | 公用经费 | 项目支出 split)
    result = CliRunner().invoke(main, ["gx", "suite", "budget.summary"])
    assert result.exit_code == 0 and '"role": "basic.personnel"' in result.output


# --------------------------------------------------------------------------- auditor check --gx


def _findings(data: dict) -> set[tuple]:
    return {(f["id"], f["rule"], f["location"]["path"], f["location"]["line"], f["location"]["column"])
            for f in data["findings"]}


@needs_gx
def test_check_gx_builds_data_docs_and_matches_the_plain_run(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    plain = runner.invoke(main, ["check", "datasets/", "--format", "json", "--fail-on", "never"])
    docs = tmp_path / "docs"
    with_gx = runner.invoke(main, ["check", "datasets/", "--gx", "--gx-docs", str(docs), "--format", "json",
                                   "--fail-on", "never", "-o", str(tmp_path / "gx.json")])
    assert plain.exit_code == 0 and with_gx.exit_code == 0, with_gx.output
    a, b = json.loads(plain.output), json.loads((tmp_path / "gx.json").read_text(encoding="utf-8"))
    assert _findings(a) == {f for f in _findings(b) if not f[1].startswith("schema.")}

    # the planted row-sum error: one finding, confirmed by both engines, no second alarm
    at_line = [f for f in b["findings"] if f["location"]["line"] == PLANTED_LINE and "sum" in f["rule"]]
    assert [(f["rule"], f["confirmed_by"]) for f in at_line] == [("total.row_sum", ["auditor", "gx"])]
    assert all(f["confirmed_by"] == ["auditor"] for f in a["findings"])
    outcomes = {k: b["coverage"][k] - a["coverage"][k] for k in ("passed", "not_applicable")}
    assert outcomes["passed"] > 0 and outcomes["passed"] == -outcomes["not_applicable"]

    index = (docs / "index.html").read_text(encoding="utf-8")
    for kind in ("budget.expense", "budget.general_expense", "budget.general_expense_econ", "budget.income"):
        assert f"auditor.{kind}" in index
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) >= 4 and "validations/" in index
    assert "gx 1." in with_gx.stderr and "Data Docs" in with_gx.stderr


SYNTHETIC = "\n".join([
    "2024年部门支出总体情况表", "", "单位：元", "",
    "科目编码\t\t\t单位（科目名称）\t合计\t基本支出\t\t\t\t\t项目支出\t\t\t\t",
    "类\t款\t项\t\t\t小计\t工资福利支出\t对个人和家庭的补助支出\t商品服务支出\t资本性支出\t小计\t社会事业和经济发展项目\t债务项目\t"
    "基本建设项目\t其他项目",
    "\t\t\t合计\t2,200\t1,700\t1,500\t0\t200\t0\t500\t0\t0\t0\t500",
    "207\t01\t01\t行政运行\t1,000\t1,000\t900\t0\t100\t0\t0\t0\t0\t0\t0",       # line 8
    "207\t01\t01\t行政运行\t1,000\t1,000\t900\t0\t100\t0\t0\t0\t0\t0\t0",       # line 9: repeated
    "207\t01\t02\t一般行政管理事务\t500\t0\t0\t0\t0\t0\t500\t0\t0\t0\t500",
    "208\t05\t05\t机关事业单位基本养老保险缴费支出\t300\t300\t-300\t600\t0\t0\t0\t0\t0\t0\t0",  # 11: negative
    "210\t11\t01\t行政单位医疗\t700\t700\t600\t0\t0\t0\t0\t0\t0\t0\t0",        # line 12: 700 ≠ 600
]) + "\n"


@needs_gx
def test_gx_failures_map_back_to_document_table_and_line(tmp_path: Path) -> None:
    from auditor.audit import audit_files
    from auditor.engine import Selection
    from auditor.gx.runner import validate

    path = tmp_path / "synthetic.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    # auditor's own total.row_sum switched off: the suite alone reports the row sum
    selection = Selection(disabled=frozenset({"total.row_sum"}))
    results = list(audit_files([str(path)], selection=selection))
    report = validate(results, selection=selection)
    assert report.kinds["budget.expense"]["tables"] == 1 and report.added == 3
    got = sorted((f.rule, f.location.line, f.location.column, f.confirmed_by)
                 for f in results[0].findings if f.rule.startswith("schema."))
    assert got == [("schema.non_negative", 11, "工资福利支出", ["gx"]),
                   ("schema.row_sum", 12, "小计", ["gx"]),
                   ("schema.unique_key", 9, "科目编码", ["gx"])]
    row_sum = next(f for f in results[0].findings if f.rule == "schema.row_sum")
    assert row_sum.location.table == "2024年部门支出总体情况表" and row_sum.expected == "600"
    # 100 元 apart, less the rounding of the whole-元 total and its four parts (±0.5 each)
    assert row_sum.gap == Decimal("97.5") and row_sum.culprit_candidates  # joins root-cause groups
    outcome = {o.rule: o.status for o in results[0].outcomes}
    assert outcome["schema.row_sum"] == "failed" and outcome["schema.code_format"] == "passed"


# An expense table without its 项目支出 columns: the kind's headline identity (合计 = 基本 + 项目)
# cannot be checked on it.
NO_PROJECT = "\n".join([
    "2024年部门支出总体情况表", "", "单位：元", "",
    "科目编码\t\t\t单位（科目名称）\t合计\t基本支出\t\t\t\t",
    "类\t款\t项\t\t\t小计\t工资福利支出\t对个人和家庭的补助支出\t商品服务支出\t资本性支出",
    "\t\t\t合计\t1,000\t1,000\t900\t0\t100\t0",
    "207\t01\t01\t行政运行\t1,000\t1,000\t900\t0\t100\t0",
]) + "\n"


@needs_gx
def test_a_table_missing_a_required_column_is_reported_and_complete_tables_are_not(tmp_path: Path) -> None:
    from auditor.audit import audit_files
    from auditor.gx.runner import validate

    full, partial = tmp_path / "full.txt", tmp_path / "partial.txt"
    full.write_text(SYNTHETIC, encoding="utf-8")
    partial.write_text(NO_PROJECT, encoding="utf-8")
    results = list(audit_files([str(full), str(partial)]))
    assert results[1].read is not None and results[1].read.tables[0].kind == "budget.expense"
    validate(results)
    required = {Path(r.path).name: [f for f in r.findings if f.rule == "schema.required_column"] for r in results}
    assert required["full.txt"] == []
    assert required["partial.txt"] and required["partial.txt"][0].location.table == "2024年部门支出总体情况表"


def test_sum_gaps_holds_exactly_at_the_rounding_edge_and_fails_just_beyond() -> None:
    """Rows go through auditor's interval evaluator: 3 values × 0.005 = 0.015 is still rounding."""
    from auditor.gx.rowsum import sum_gaps

    df = pd.DataFrame({"total": [0.035, 0.036], "a": [0.01, 0.01], "b": [0.01, 0.01]})
    assert sum_gaps(df, "total", ["a", "b"], per_value_tolerance=0.005)["unexpected_index_list"] == [1]
