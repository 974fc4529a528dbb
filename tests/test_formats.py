"""Real input formats: the bundled sample as PDF, XLSX, XLS, HTML and CSV gives the text's findings.

Every fixture is generated here from datasets/budget_2024_sample.txt (tests/format_fixtures.py);
nothing binary is checked in. Bad inputs (truncated PDF, corrupt XLSX, zip bomb, noise) must each
give one line of error and exit code 2.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.load import InputError, discover, load, sniff, sniff_text
from auditor.load.spreadsheet import render_number
from auditor.model import DocumentResult
from tests import format_fixtures as fx
from tests.harness import audit_path

TEXT = fx.SAMPLE


def _key(finding) -> tuple[str, str | None, str | None]:
    return finding.rule, finding.expected, finding.actual


def _audit(path: Path | str) -> DocumentResult:
    return audit_path(path, cached=True)  # once per file per test run: a PDF takes seconds to parse


def _keys(path: Path | str, strip_commas: bool = False) -> Counter:
    result = _audit(path)
    assert result.error is None, result.error
    out = Counter()
    for f in result.findings:
        rule, expected, actual = _key(f)
        if strip_commas:
            expected = (expected or "").replace(",", "")
            actual = (actual or "").replace(",", "")
        out[(rule, expected, actual)] += 1
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("reportlab")
    folder = tmp_path_factory.mktemp("formats")
    items = fx.sample_items()
    out = {
        "pdf": fx.write_pdf(folder / "budget.pdf", items),
        "xlsx": fx.write_xlsx(folder / "budget.xlsx", items),
        "html": folder / "budget.html",
        "csv": folder / "csv",
    }
    out["html"].write_text(fx.html_text(items), encoding="utf-8")
    out["csv"].mkdir()
    fx.csv_release(out["csv"], items)
    with contextlib.suppress(ImportError):
        out["xls"] = fx.write_xls(folder / "budget.xls", items)
    return out


@pytest.fixture(scope="module")
def text_findings() -> Counter:
    found = _keys(TEXT)
    assert sum(found.values()) >= 5  # the planted anomalies are found in the text
    return found


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "html"])
def test_same_findings_as_text(built: dict[str, Path], text_findings: Counter, fmt: str) -> None:
    assert _keys(built[fmt]) == text_findings


def test_xlsx_all_tables_on_one_sheet_same_findings(tmp_path: Path, text_findings: Counter) -> None:
    """A workbook whose one sheet holds every table (merged titles, unit lines, blank rows, the
    prose and notes between them) is read as several tables: the same findings as the text."""
    path = fx.write_xlsx_one_sheet(tmp_path / "one_sheet.xlsx")
    result = _audit(path)
    assert len(load(str(path)).sheet_names) == 1
    assert len(result.read.tables) == len(_audit(TEXT).read.tables)
    assert _keys(path) == text_findings


def test_xls_same_findings_modulo_separators(built: dict[str, Path], text_findings: Counter) -> None:
    if "xls" not in built:
        pytest.skip("xlwt not installed: no way to write an .xls fixture")
    # XLS number formats are not exposed by calamine: 21,330,443 is rendered 21330443.
    expected = Counter({(r, (e or "").replace(",", ""), (a or "").replace(",", "")): n
                        for (r, e, a), n in text_findings.items()})
    assert _keys(built["xls"], strip_commas=True) == expected


def test_csv_release_gives_the_table_findings(built: dict[str, Path], text_findings: Counter) -> None:
    tables = Counter({k: n for k, n in text_findings.items() if k[0].startswith("total.")})
    found: Counter = Counter()
    for path in discover(built["csv"]):
        found += _keys(path)
    assert found == tables


def test_pdf_locations_are_pages(built: dict[str, Path]) -> None:
    result = _audit(built["pdf"])
    assert result.findings and all(f.location.page for f in result.findings)
    assert all(e.page for f in result.findings for e in f.evidence)
    assert result.read is not None
    doc = result.read.doc
    assert doc.format == "pdf" and doc.pages >= 11
    assert all(line.page for line in doc.lines)
    running = [line for line in doc.lines if line.text == fx.RUNNING_HEADER]
    assert running and all(line.footer for line in running)
    page_numbers = [line for line in doc.lines if line.text.startswith("第 ") and "共 16 页" in line.text]
    assert page_numbers and all(line.footer for line in page_numbers)
    rows = [line for line in doc.lines if line.cells]
    assert rows and all(line.bbox for line in rows)
    # the digit swap is on the page that prints the 部门支出总体情况表 (page 7 of the text)
    swap = next(f for f in result.findings if f.rule == "total.row_sum")
    assert swap.location.page == 7


def test_xlsx_locations_are_cells(built: dict[str, Path]) -> None:
    result = _audit(built["xlsx"])
    totals = [f for f in result.findings if f.rule.startswith("total.")]
    assert totals and all(f.location.cell for f in totals)
    swap = next(f for f in totals if f.rule == "total.row_sum")
    assert swap.location.cell == "表3!F14"  # 基本支出/小计 of 2080505, sheet 表3
    assert swap.location.to_json()["cell"] == "表3!F14"
    doc = load(built["xlsx"])
    assert doc.format == "xlsx" and doc.sheet_names[0] == "说明"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    for _ in range(2):
        pdf.rect(50, 50, 300, 400, fill=1)
        pdf.showPage()
    pdf.save()
    doc = load(path)
    assert doc.lines == [] and doc.notes == [("no_text_layer", 0, "1-2")]
    result = audit_path(path)
    assert result.error is None
    assert [f.rule for f in result.findings] == ["parse.no_text_layer"]


def test_pdf_page_limit(built: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_MAX_PAGES", "3")
    with pytest.raises(InputError, match="over the 3-page limit"):
        load(built["pdf"])


# --------------------------------------------------------------------------- spreadsheets


def test_number_rendering() -> None:
    assert render_number(21330443.0) == "21330443"
    assert render_number(0.1 + 0.2) == "0.3"
    assert render_number(1850000.0, "0.00") == "1850000.00"
    assert render_number(14029823, "#,##0") == "14,029,823"
    assert render_number(1234.5, "#,##0.00_);[Red](#,##0.00)") == "1,234.50"
    assert render_number(0.9703, "0.00%") == "97.03%"
    assert render_number(3.3417, "General") == "3.3417"
    assert render_number(2.675, "0.00") == "2.68"  # half-up on the decimal, not the binary float
    assert render_number(1e-7) == "0.0000001"


def test_xlsx_values_hidden_sheets_and_formulas(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "表1"
    sheet.append(["2024年部门收入总体情况表"])
    sheet.append(["单位：元"])
    sheet.append(["项目", "金额", "占比"])
    sheet.append(["甲", "1,200.50", 0.25])  # an amount typed as text stays as printed
    sheet.append(["乙", 300.1, 0.75])
    sheet.append(["合计", "=B4+B5", 1])
    sheet["C4"].number_format = "0.00%"
    hidden = book.create_sheet("代码表")
    hidden.append(["201", "一般公共服务支出"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    book.save(path)
    doc = load(path)
    rows = [line for line in doc.lines if line.cells]
    assert rows[1].cells == ["甲", "1,200.50", "25.00%"]
    assert rows[2].cells == ["乙", "300.1", "0.75"]
    assert rows[1].cell_refs == ["表1!A4", "表1!B4", "表1!C4"]
    assert doc.lines[0].text == "2024年部门收入总体情况表"
    assert ("hidden_sheet", 0, "代码表") in doc.notes
    formula = [n for n in doc.notes if n[0] == "formula_no_value"]
    assert formula and formula[0][2] == "表1!B6 =B4+B5"
    assert doc.line(formula[0][1]).cells[0] == "合计"
    rules = Counter(f.rule for f in audit_path(path).findings)
    assert rules["parse.hidden_sheet"] == 1 and rules["parse.formula_no_value"] == 1


def test_sheet_without_title_row_uses_its_name(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "三公经费"
    sheet.append(["项目", "2023年", "2024年"])
    sheet.append(["合计", 10, 12])
    path = tmp_path / "b.xlsx"
    book.save(path)
    doc = load(path)
    assert doc.lines[0].text == "三公经费" and doc.lines[1].cells == ["项目", "2023年", "2024年"]


# --------------------------------------------------------------------------- HTML and CSV


def test_html_spans_scripts_and_encoding(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><title>t</title><style>p{color:red}</style>
<script>document.write('<table><tr><td>合计</td><td>1</td></tr></table>')</script></head><body>
<h2>2024年部门支出总体情况表</h2><p>单位：元</p>
<table><tr><th rowspan="2">项目</th><th colspan="2">基本支出</th><th rowspan="2">合计</th></tr>
<tr><th>人员</th><th>公用</th></tr>
<tr><td>行政运行<br>（文化和旅游）</td><td>1,000</td><td>500</td><td>1,500</td></tr></table>
<p>收入 &lt; 支出 &amp; 结余</p></body></html>"""
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gb18030"))
    doc = load(path)
    assert doc.format == "html" and doc.encoding == "gb18030"
    texts = [line.text for line in doc.lines if line.text]
    assert texts[:2] == ["2024年部门支出总体情况表", "单位：元"]
    assert doc.lines[[line.text for line in doc.lines].index(texts[2])].cells == ["项目", "基本支出", "", "合计"]
    assert texts[3].split("\t") == ["", "人员", "公用", ""]
    assert texts[4].split("\t") == ["行政运行（文化和旅游）", "1,000", "500", "1,500"]
    assert texts[-1] == "收入 < 支出 & 结余"
    assert not any("document.write" in t or "color" in t for t in texts)


def test_csv_long_layout_and_utf16(tmp_path: Path) -> None:
    text = ("table,单位,项目,2023年预算数,2024年预算数\r\n"
            "三公经费支出表,元,合计,\"428,000\",\"393,000\"\r\n"
            "三公经费支出表,元,因公出国（境）费用,\"200,000\",\"180,000\"\r\n"
            "三公经费支出表,元,公务接待费,\"52,000\",\"45,000\"\r\n"
            "三公经费支出表,元,公务用车购置及运行费,\"167,000\",\"168,000\"\r\n")
    path = tmp_path / "release.csv"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    doc = load(path)
    assert doc.format == "csv" and doc.encoding == "utf-16"
    texts = [line.text for line in doc.lines]
    assert texts[:3] == ["三公经费支出表", "单位：元", "项目\t2023年预算数\t2024年预算数"]
    assert doc.lines[3].cell_refs == ["'release.csv'!C2", "'release.csv'!D2", "'release.csv'!E2"]
    result = audit_path(path)
    sums = [f for f in result.findings if f.rule == "total.column_sum"]
    assert [(f.expected, f.actual, f.location.cell) for f in sums] == [("419,000", "428,000", "'release.csv'!D2")]


def test_sniffing_uses_content() -> None:
    assert sniff(b"%PDF-1.4 ...", ".xlsx") == "pdf"
    assert sniff_text("<!doctype html><p>x</p>", ".txt") == "html"
    assert sniff_text("  <html><body>x", "") == "html"
    assert sniff_text("2024年部门预算\n\n单位：元\n项目\t金额\n合计\t1\n", "") == "text"
    assert sniff_text("a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n", "") == "csv"
    assert sniff_text("项目,金额\n", ".csv") == "csv"


def _small_pdf(path: Path, pages: int = 2) -> Path:
    items = [fx.Item("text", "2024年示例单位部门预算"), fx.Item("blank"), fx.Item("text", "单位：元"),
             fx.Item("row", cells=["项目", "金额"]), fx.Item("row", cells=["合计", "3"]),
             fx.Item("row", cells=["甲", "1"]), fx.Item("row", cells=["乙", "1"])]
    out: list[fx.Item] = []
    for number in range(1, pages + 1):
        out += items + [fx.Item("footer", f"第 {number} 页 共 {pages} 页")]
    return fx.write_pdf(path, out, running_header=False)


def test_pdf_given_as_txt_is_read_as_pdf(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    doc = load(_small_pdf(tmp_path / "budget.txt"))
    assert doc.format == "pdf" and doc.pages == 2
    rows = [line.cells for line in doc.lines if line.cells]
    assert rows[:3] == [["项目", "金额"], ["合计", "3"], ["甲", "1"]]
    assert [line.page for line in doc.lines if line.text == "单位：元"] == [1, 2]


# --------------------------------------------------------------------------- bad inputs


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 << 20))  # 20 MB of zeros: ~1000:1
    return path


def _bad_inputs(tmp_path: Path, built: dict[str, Path]) -> dict[str, Path]:
    pdf = _small_pdf(tmp_path / "small.pdf").read_bytes()
    xlsx = built["xlsx"].read_bytes()
    out = {
        "truncated.pdf": pdf[: len(pdf) // 3],
        "corrupt.xlsx": xlsx[:2000] + bytes(range(256)) * 4 + xlsx[3024:],
        "noise.bin": bytes((i * 7919 + 13) % 251 for i in range(1 << 20)),
        "header-only.xlsx": b"PK\x03\x04" + b"\x00" * 200,
    }
    paths = {}
    for name, data in out.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    paths["bomb.xlsx"] = _zip_bomb(tmp_path / "bomb.xlsx")
    return paths


@pytest.mark.parametrize("name", ["truncated.pdf", "corrupt.xlsx", "noise.bin", "header-only.xlsx", "bomb.xlsx"])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, built: dict[str, Path], name: str) -> None:
    from auditor.cli import main

    path = _bad_inputs(tmp_path, built)[name]
    with pytest.raises(InputError) as info:
        load(path)
    assert "\n" not in str(info.value) and str(info.value).startswith(f"{path}: ")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_zip_bomb_refused_before_unpacking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _zip_bomb(tmp_path / "bomb.xlsx")
    with pytest.raises(InputError, match="zip bomb"):
        load(path)
    # total size limit, independent of the ratio
    monkeypatch.setenv("AUDITOR_MAX_RATIO", "100000")
    monkeypatch.setenv("AUDITOR_MAX_UNCOMPRESSED", str(1 << 20))
    with pytest.raises(InputError, match="AUDITOR_MAX_UNCOMPRESSED"):
        load(path)


def test_cell_limit(built: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_MAX_CELLS", "100")
    with pytest.raises(InputError, match="AUDITOR_MAX_CELLS"):
        load(built["xlsx"])
    with pytest.raises(InputError, match="AUDITOR_MAX_CELLS"):
        load(built["html"])


def test_directory_run_keeps_going(tmp_path: Path, built: dict[str, Path]) -> None:
    from auditor.cli import main

    (tmp_path / "good.xlsx").write_bytes(built["xlsx"].read_bytes())
    (tmp_path / "bad.pdf").write_bytes(_small_pdf(tmp_path / "small.pdf").read_bytes()[:3000])
    (tmp_path / "small.pdf").unlink()
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "--fail-on", "never"])
    import json

    report = json.loads(result.stdout)
    errors = {Path(d["path"]).name: d["error"] for d in report["documents"]}
    assert errors["good.xlsx"] is None and "not a readable PDF" in errors["bad.pdf"]


def test_loaders_import_lazily() -> None:
    import subprocess
    import sys

    code = "import sys, auditor.load; print(any(m in sys.modules for m in ('pdfplumber','python_calamine','lxml')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"
