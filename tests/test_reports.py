"""Renderers: every format renders the same run result, with the same ids and counts, and no
text from a document can execute, inject a formula or break the file's syntax."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reports import FORMATS, renderer
from tests.report_fixtures import BROKEN, DOC, built_result, hand_result

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

RESULTS = {
    "hand-zh": lambda: hand_result("zh"),
    "hand-en": lambda: hand_result("en"),
    "built-zh": lambda: built_result("zh", extra=True),
    "built-en": lambda: built_result("en"),
}


@pytest.fixture(params=sorted(RESULTS))
def result(request: pytest.FixtureRequest) -> dict[str, Any]:
    return RESULTS[request.param]()


# --------------------------------------------------------------------------- what each format shows


def ids_and_severities(fmt: str, output: str | bytes) -> tuple[list[str], Counter[str]]:
    """The finding ids (in order) and the severity counts a rendered report shows."""
    if fmt == "json":
        data = json.loads(output)
        return [f["id"] for f in data["findings"]], Counter(f["severity"] for f in data["findings"])
    if fmt == "md":
        text = str(output)
        ids = re.findall(r"· id `([0-9a-f]+)`", text)
        return ids, Counter()
    if fmt == "html":
        import lxml.html

        tree = lxml.html.fromstring(output)
        articles = tree.xpath("//article[contains(@class, 'finding')]")
        return [a.get("id")[2:] for a in articles], Counter(a.get("data-severity") for a in articles)
    if fmt == "sarif":
        run = json.loads(output)["runs"][0]
        levels = {"error": "error", "warning": "warning", "note": "info"}
        return ([r["partialFingerprints"]["auditorFindingId/v1"] for r in run["results"]],
                Counter(levels[r["level"]] for r in run["results"]))
    if fmt == "junit":
        root = ET.fromstring(output)
        ids = [i for failure in root.iter("failure") for i in re.findall(r"^id: (\S+)$", failure.text or "", re.M)]
        sev = Counter(m for failure in root.iter("failure")
                      for m in re.findall(r"^#\d+ \[(\S+)\]", failure.text or "", re.M))
        return ids, sev
    if fmt == "xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(output))["问题"]
        header = [c.value for c in ws[1]]
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        return [r[header.index("编号")] for r in rows], Counter(r[header.index("级别")] for r in rows)
    raise AssertionError(fmt)


SEV_NAMES = {"错误": "error", "警告": "warning", "提示": "info", "error": "error", "warning": "warning", "info": "info"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders(fmt: str, result: dict[str, Any]) -> None:
    output = renderer(fmt)(result)
    assert isinstance(output, bytes if fmt == "xlsx" else str)
    assert len(output) > 100


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"text"}))
def test_same_ids_and_counts_in_every_format(fmt: str, result: dict[str, Any]) -> None:
    expected_ids = [f["id"] for f in result["findings"]]
    expected_sev = Counter(f["severity"] for f in result["findings"])
    ids, severities = ids_and_severities(fmt, renderer(fmt)(result))
    assert sorted(ids) == sorted(expected_ids)
    if fmt in ("json", "html", "sarif", "md", "xlsx"):
        assert ids == expected_ids  # rank order (groups are listed in rank order)
    if severities:
        assert Counter({SEV_NAMES.get(k, k): v for k, v in severities.items()}) == expected_sev


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_top_limits_human_formats_only(fmt: str) -> None:
    # --top counts findings (as --help says) in the formats a person reads; json, sarif and junit
    # always carry every finding, whatever top says.
    from reports import HUMAN_FORMATS
    from reports._common import shown

    result = hand_result("en")
    output = renderer(fmt)(result, top=2)
    expected = shown(result, 2) if fmt in HUMAN_FORMATS else result["findings"]
    assert len(shown(result, 2)) == 2
    if fmt == "text":
        assert f"{len(result['findings']) - 2} more" in output
        return
    ids, _ = ids_and_severities(fmt, output)
    assert sorted(ids) == sorted(f["id"] for f in expected)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_empty_result_renders(fmt: str) -> None:
    result = hand_result("zh")
    result["findings"] = []
    result["summary"] = {"error": 0, "warning": 0, "info": 0, "suppressed": 0}
    output = renderer(fmt)(result)
    if fmt != "text":
        assert ids_and_severities(fmt, output)[0] == []


def test_renderers_do_not_change_the_result() -> None:
    result = hand_result("zh")
    before = json.dumps(result, sort_keys=True)
    for fmt in FORMATS:
        renderer(fmt)(result)
    assert json.dumps(result, sort_keys=True) == before


# --------------------------------------------------------------------------- markdown


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_escapes_document_text(lang: str) -> None:
    md = renderer("md")(hand_result(lang))
    html = _markdown_html(md)
    # Rendered as CommonMark with raw HTML allowed, nothing from the document becomes markup.
    assert "<script" not in html
    assert "<img" not in html
    assert "<p>说明" not in html and "<b>" not in html
    assert not re.search(r"<[a-z]+[^>]*\son\w+=", html)
    assert 'href="http://evil' not in html
    # ... while the text is still there to read: escaped in prose, literal in code blocks.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<pre><code" in html and "&lt;img src=x onerror=" in html
    assert not CONTROL.search(md.replace("\t", ""))


def test_markdown_groups_under_the_likely_wrong_number() -> None:
    md = renderer("md")(hand_result("zh"))
    heading = next(line for line in md.splitlines() if line.startswith("### "))
    assert "可能错误的数字" in heading and "建议改为 **1,100.00**" in heading
    assert md.index("### ") < md.index("#1") < md.index("#2") < md.index("#3")
    assert "3 个问题" in md
    en = renderer("md")(built_result("en"))
    assert "Likely wrong number" in en and "suggested value **1,100.00**" in en


def test_markdown_code_fence_cannot_be_closed_by_the_document() -> None:
    md = renderer("md")(hand_result("en"))
    html = _markdown_html(md)
    # the evidence line holding ``` and ~~~ stays inside its code block
    block = re.search(r"<code class=\"language-text\">([^<]*的的职能[^<]*)</code>", html)
    assert block and "```" in block.group(1) and "~~~" in block.group(1)


# --------------------------------------------------------------------------- html


def _tree(html: str) -> Any:
    import lxml.html

    return lxml.html.fromstring(html)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_html_executes_nothing_from_the_document(name: str) -> None:
    html = renderer("html")(RESULTS[name]())
    tree = _tree(html)
    scripts = tree.xpath("//script")
    assert len(scripts) == 1 and "window.__xss" not in scripts[0].text_content()
    assert tree.xpath("//img | //iframe | //object | //embed | //link | //svg | //p[contains(., '说明')]") == []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert not any(a.lower().startswith("on") for a in element.attrib), element.tag
        assert "src" not in element.attrib and "href" not in element.attrib
    assert "<script>window.__xss" not in html and "&lt;script&gt;" in html


def test_html_is_self_contained_with_a_strict_csp() -> None:
    html = renderer("html")(hand_result("zh"))
    tree = _tree(html)
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    # nothing but the page's own stylesheet and script, each by its hash: no 'unsafe-inline'
    import base64
    import hashlib

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    style, script = tree.xpath("//style")[0].text, tree.xpath("//script")[0].text
    assert csp == [f"default-src 'none'; style-src {sha(style)}; script-src {sha(script)}; "
                   "base-uri 'none'; form-action 'none'"]
    assert "unsafe" not in html and len(tree.xpath("//script")) == 1 and not tree.xpath("//*[@style]")
    assert "http://" not in html.replace("http://evil.example/", "")
    assert "https://" not in html
    assert tree.xpath("//style") and tree.get("lang") == "zh-CN"


def test_html_summary_groups_marks_and_filters() -> None:
    result = hand_result("zh")
    tree = _tree(renderer("html")(result))
    docs = tree.xpath("//table[@class='docs']/tbody/tr")
    assert len(docs) == 2 and "unreadable" in docs[1].get("class")
    assert "部门预算" in docs[0].text_content() and "2023" in docs[0].text_content()
    counts = {c.get("class").split()[1]: c.xpath("b")[0].text for c in tree.xpath("//div[contains(@class,'count ')]")}
    assert counts == {"error": "3", "warning": "2", "info": "1"}
    groups = tree.xpath("//section[contains(@class,'group')]")
    assert len(groups) == 4
    lead_group = groups[0]
    assert len(lead_group.xpath(".//article")) == 3
    head = lead_group.xpath("header")[0].text_content()
    assert "可能错误的数字" in head and "1,100.00" in head
    marks = [m.text for m in tree.xpath("//pre[@class='evidence']//mark")]
    assert "1,000.00" in marks and "的的" in marks
    assert set(tree.xpath("//input[@name='severity']/@value")) == {"error", "warning", "info"}
    assert set(tree.xpath("//input[@name='family']/@value")) == {"total", "indicator", "text", "narrative"}
    en = _tree(renderer("html")(hand_result("en")))
    assert en.get("lang") == "en-US" and "Likely wrong number" in en.text_content()


def test_highlight_escapes_around_marks() -> None:
    from reports.html_report import highlight

    assert highlight("<b>1,000.00</b> & 1,000.00", ["1,000.00"]) == \
        "&lt;b&gt;<mark>1,000.00</mark>&lt;/b&gt; &amp; <mark>1,000.00</mark>"
    assert highlight("a<mark>b", ["<mark>"]) == "a<mark>&lt;mark&gt;</mark>b"
    assert highlight("x", []) == "x"


def test_highlight_marks_whole_numbers_only() -> None:
    from reports.html_report import highlight

    # "0" is not lit inside 86,412,027 nor in 10.5; the 0 that stands alone is
    assert highlight("合计 86,412,027 其中 0 另 10.50", ["0"]) == "合计 86,412,027 其中 <mark>0</mark> 另 10.50"
    assert highlight("21,000.50 与 1,000", ["1,000"]) == "21,000.50 与 <mark>1,000</mark>"
    assert highlight("（1,000）", ["1,000"]) == "（<mark>1,000</mark>）"
    # a cited word is matched as printed
    assert highlight("的的确确", ["的的"]) == "<mark>的的</mark>确确"


# --------------------------------------------------------------------------- sarif


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_sarif_validates_against_the_2_1_0_schema(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(renderer("sarif")(RESULTS[name]()))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_rules_results_and_locations() -> None:
    from auditor.engine import load_rules

    log = json.loads(renderer("sarif")(hand_result("en")))
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert set(load_rules()) <= set(ids) and len(ids) == len(set(ids))
    row_sum = rules[ids.index("total.row_sum")]
    assert row_sum["name"] == "TotalRowSum"
    assert row_sum["shortDescription"]["text"] == "Row total does not equal its parts"
    assert row_sum["fullDescription"]["text"] and row_sum["help"]["text"]
    assert row_sum["defaultConfiguration"]["level"] == "error"
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "error", "error", "warning", "note", "warning"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    first = results[0]
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "seeds/%E9%83%91%E5%B7%9E%E5%B8%82%E6%9F%90%E5%B1%802023%E5%B9%B4" \
                                                  "%E9%83%A8%E9%97%A8%E9%A2%84%E7%AE%97.txt"
    assert physical["region"]["startLine"] == 34
    logical = first["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"] == "一般公共预算支出表 / 行政运行<script>alert(1)</script> / 合计"
    assert first["partialFingerprints"] == {"auditorFindingId/v1": "a1b2c3d4e5f60001"}
    assert first["properties"]["suggestion"] == "1,100.00"
    assert first["relatedLocations"][0]["physicalLocation"]["region"]["snippet"]["text"].startswith("2010301")
    assert "region" not in results[5]["locations"][0]["physicalLocation"]  # a finding without a line
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("broken.pdf" in n["message"]["text"] for n in notes)
    assert any(n.get("associatedRule", {}).get("id") == "rate.change" for n in notes)
    assert not CONTROL.search(json.dumps(log, ensure_ascii=False).replace("\\t", ""))


def test_sarif_paths_are_relative() -> None:
    import os

    result = hand_result("zh")
    result["findings"][0]["location"]["path"] = os.path.join(os.getcwd(), "a", "b.txt")
    log = json.loads(renderer("sarif")(result))
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a/b.txt"


# --------------------------------------------------------------------------- junit


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_junit_parses_with_unique_testcase_names(name: str) -> None:
    result = RESULTS[name]()
    root = ET.fromstring(renderer("junit")(result))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [d["path"] for d in result["documents"]]
    names = [c.get("name") for c in root.iter("testcase")]
    assert len(names) == len(set(names))
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
    assert int(root.get("tests")) == len(names)


def test_junit_failures_and_document_error() -> None:
    from auditor.engine import load_rules

    root = ET.fromstring(renderer("junit")(hand_result("zh")))
    good, broken = root.findall("testsuite")
    assert good.get("name") == DOC and broken.get("name") == BROKEN
    per_document = {r for r, spec in load_rules().items() if spec.applies_to != "corpus"}  # crossdoc.* run in scan
    assert {c.get("name").split(" @ ")[0] for c in good.findall("testcase")} >= per_document
    failed = {c.get("name").split(" @ ")[0]: c.find("failure") for c in good.findall("testcase")
              if c.find("failure") is not None}
    assert set(failed) == {"total.row_sum", "total.column_sum", "total.code_rollup", "indicator.category",
                           "text.repeated_word", "narrative.amount"}
    assert failed["total.row_sum"].get("type") == "error"
    assert "建议改为: 1,100.00" in failed["total.row_sum"].text
    assert "<script>alert(1)</script>" in failed["total.row_sum"].text  # text, safely escaped by XML
    assert failed["indicator.category"].get("type") == "warning"
    error = broken.find("testcase/error")
    assert error is not None and "cannot read the file" in error.get("message")
    assert broken.get("errors") == "1"
    properties = {p.get("name"): p.get("value") for p in good.iter("property")}
    assert properties["kind"] == "budget" and properties["year"] == "2023"


# --------------------------------------------------------------------------- xlsx


def test_xlsx_is_readable_and_neutralises_formulas() -> None:
    from openpyxl import load_workbook

    data = renderer("xlsx")(hand_result("zh"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode("utf-8")  # no formula anywhere
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["问题", "文件", "汇总"]
    ws = wb["问题"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["排名", "级别", "规则", "规则族", "标题", "说明"]
    assert {"文件", "行号", "表", "行", "列", "应为", "印为", "相差", "建议改为", "根因组", "原文", "编号"} <= set(header)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}7"
    risky = 0
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert not CONTROL.search(cell.value.replace("\t", "").replace("\n", ""))
                if cell.value[:1] in "=+-@":
                    risky += 1
                    assert cell.data_type == "s" and cell.quotePrefix
    assert risky >= 4  # "-100.00" (a difference) is a number now, not risky text
    col = {h: i for i, h in enumerate(header)}
    row4 = [c.value for c in ws[5]]
    assert row4[col["行"]] == '=HYPERLINK("http://evil.example/","x")'
    assert row4[col["应为"]] == "+效益指标" and row4[col["印为"]] == "-产出指标"
    assert row4[col["列"]] == "@SUM(A1:A9)"
    assert [c.value for c in ws["A"][1:]] == [1, 2, 3, 4, 5, 6]
    # an amount is a number, shown as printed by its number format
    suggested = ws[2][col["建议改为"]]
    assert suggested.value == 1100 and suggested.number_format == "#,##0.00" and ws[2][col["组首"]].value == "是"
    docs = wb["文件"]
    assert docs["A1"].value == "文件" and docs["I3"].value.startswith("cannot read the file")
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["错误"] == 3 and summary["警告"] == 2 and summary["提示"] == 1


def test_xlsx_names_the_cell_to_change_and_stores_amounts_as_numbers() -> None:
    from openpyxl import load_workbook

    result = built_result("zh")
    wb = load_workbook(io.BytesIO(renderer("xlsx")(result)))
    ws = wb["问题"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    assert header.index("可能错误的数字") == header.index("建议改为") - 1
    rows = list(ws.iter_rows(min_row=2))
    for finding, row in zip(result["findings"], rows, strict=True):
        if finding.get("suggestion"):
            # which cell "建议改为" is about is always said
            assert row[col["可能错误的数字"]].value
            assert isinstance(row[col["建议改为"]].value, int | float)
        for key, name in (("expected", "应为"), ("actual", "印为")):
            printed = finding.get(key)
            cell = row[col[name]]
            if printed and printed.replace(",", "").replace(".", "").lstrip("-").isdigit():
                assert isinstance(cell.value, int | float), (name, cell.value)
                assert "#,##0" in cell.number_format or cell.number_format.startswith("0")
    docs = wb["文件"]
    dheader = [c.value for c in docs[1]]
    kinds = {r[dheader.index("类型")] for r in docs.iter_rows(min_row=2, values_only=True)}
    assert kinds <= {"部门预算", "部门决算", "绩效目标", "绩效自评", "绩效评价", "混合", "未识别"} and kinds
    assert "检查情况" in dheader


def test_xlsx_amount_formats_print_as_the_document_does() -> None:
    from reports.xlsx_report import Amount, amount

    cases = {"1,400,000": (Decimal("1400000"), "#,##0"), "-100.00": (Decimal("-100.00"), "0.00"),
             "150.00 万元": (Decimal("150.00"), '0.00" 万元"'), "140.00万元": (Decimal("140.00"), '0.00"万元"'),
             "12.5%": (Decimal("12.5"), '0.0"%"'), "16,488,560.00": (Decimal("16488560.00"), "#,##0.00")}
    for text, (value, fmt) in cases.items():
        got = amount(text)
        assert isinstance(got, Amount) and (got.value, got.number_format) == (value, fmt), text
    assert amount("（空）") == "（空）" and amount("+效益指标") == "+效益指标" and amount("1.2.3") == "1.2.3"


def test_xlsx_column_widths_fit_cjk() -> None:
    from openpyxl import load_workbook

    from reports.display_width import widest_line

    assert widest_line("一般公共预算支出表") == 18 and widest_line("abc\n一二") == 4
    ws = load_workbook(io.BytesIO(renderer("xlsx")(hand_result("zh"))))["问题"]
    header = [c.value for c in ws[1]]
    width = {h: ws.column_dimensions[ws.cell(1, i + 1).column_letter].width for i, h in enumerate(header)}
    assert width["表"] >= 20  # "项目支出绩效目标表" / "一般公共预算支出表": 18 columns + padding
    assert width["排名"] < 10
    assert max(width.values()) <= 62


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_group_heading_names_the_culprit_cell_not_the_lead_cell(fmt: str) -> None:
    result = hand_result("zh")
    lead = result["findings"][0]
    lead["culprit"] = "测试表 办公费「商品服务支出」"
    lead["suggestion"] = "3,602,780"
    output = renderer(fmt)(result)
    assert "办公费「商品服务支出」" in output


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_real_seed_gives_the_same_findings_in_every_format(fmt: str) -> None:
    """Issue 7: the same seed audited in every format gives the same findings, ids and counts."""
    from auditor.result import build_result
    from tests.conftest import seed
    from tests.harness import audit_path

    result = build_result([audit_path(seed("001"))], lang="zh")
    expected_ids = [f["id"] for f in result["findings"]]
    assert len(expected_ids) >= 3
    output = renderer(fmt)(result)
    if fmt == "text":
        for finding in result["findings"]:
            assert finding["rule"] in output
        return
    ids, severities = ids_and_severities(fmt, output)
    assert sorted(ids) == sorted(expected_ids)
    zh = {"错误": "error", "警告": "warning", "提示": "info"}  # junit/xlsx print severities in --lang
    if severities:
        shown_counts = Counter({zh.get(k, k): v for k, v in severities.items()})
        assert shown_counts == Counter(f["severity"] for f in result["findings"])
