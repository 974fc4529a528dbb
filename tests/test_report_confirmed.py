"""Findings confirmed by several engines (`confirmed_by`, `auditor check --gx`) are marked in every
report: a marker after the message in text, md and JUnit, a badge in html, a 确认引擎 column in
xlsx, `properties.confirmed_by` in SARIF. A finding one engine reported is never marked, so the
reports of a run without `--gx` are byte for byte what they were before the marker existed.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from importlib.util import find_spec
from typing import Any

import pytest

from auditor.audit import audit_files, expand
from auditor.model import DocumentResult
from auditor.result import build_result
from reports import FORMATS, renderer
from reports._common import confirming_engines, engine_list, read_labels
from tests.conftest import ROOT
from tests.report_fixtures import hand_result

LANGS = ("zh", "en")
HUMAN = ("text", "md", "html", "xlsx")
MARKER = {"zh": "（auditor 与 Great Expectations 均判定不符）",
          "en": "(confirmed by auditor and Great Expectations)"}
TITLE = {"zh": "auditor 与 Great Expectations 均判定不符", "en": "Confirmed by auditor and Great Expectations"}
BADGE = {"zh": "多引擎确认", "en": "cross-confirmed"}
CELL = {"zh": "auditor、Great Expectations", "en": "auditor, Great Expectations"}
PLANTED_LINE = 265  # datasets/labels.yaml: budget-digit-swap, the row sum both engines reject
needs_gx = pytest.mark.skipif(find_spec("great_expectations") is None,
                              reason="great_expectations is not installed (pip install '.[gx]')")


# --------------------------------------------------------------------------- reading each format back


def _squeeze(text: str) -> str:
    """Text without whitespace: the text table wraps the message column anywhere, spaces included."""
    return re.sub(r"\s+", "", text)


def text_marks(output: str, result: dict[str, Any]) -> dict[int, bool]:
    """rank -> whether the row of that finding in the text table carries the marker."""
    marker = _squeeze(MARKER[result["lang"]])
    rows: dict[int, list[str]] = {}
    current: int | None = None
    for line in output.splitlines():
        start = re.match(r"^(?:└ )?(\d+)\s", line)
        if start:
            current = int(start.group(1))
            rows[current] = []
        elif not line.startswith(" "):  # the blank line and the summary after the table
            current = None
        if current is not None:
            rows[current].append(line)
    return {rank: marker in _squeeze("\n".join(lines)) for rank, lines in rows.items()}


def md_marks(output: str, result: dict[str, Any]) -> dict[int, bool]:
    """rank -> whether the finding's detail line (the message line under its head) ends with the marker."""
    lines = output.splitlines()
    marks = {}
    for index, line in enumerate(lines):
        head = re.match(r"^- \*\*#(\d+)\*\*", line)
        if head:
            marks[int(head.group(1))] = lines[index + 1].endswith(MARKER[result["lang"]])
    assert sum(MARKER[result["lang"]] in line for line in lines) == sum(marks.values())  # nowhere else
    return marks


def html_marks(output: str, result: dict[str, Any]) -> dict[int, bool]:
    """rank -> whether the finding's head carries the badge (with its title and engines)."""
    import lxml.html

    lang = result["lang"]
    tree = lxml.html.fromstring(output)
    marks = {}
    for article in tree.xpath("//article[contains(@class, 'finding')]"):
        badges = article.xpath(".//span[@class='confirmed']")
        for badge in badges:
            assert badge.getparent().get("class") == "head"
            assert badge.get("title") == TITLE[lang] and badge.text_content() == BADGE[lang]
            assert badge.get("data-confirmed-by") == "auditor gx"
        marks[int(article.get("data-rank"))] = bool(badges)
    assert (".confirmed {" in output) == any(marks.values())  # the badge's style only with a badge
    return marks


def xlsx_marks(output: bytes, result: dict[str, Any]) -> dict[int, bool]:
    """rank -> whether the finding's 确认引擎 cell names both engines (none when there is no such column)."""
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(output))["问题"]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    if "确认引擎" not in header:
        return {int(row[header.index("排名")]): False for row in rows}
    assert header.index("确认引擎") == header.index("置信度") + 1
    marks = {}
    for row in rows:
        cell = row[header.index("确认引擎")]
        assert cell in (None, CELL[result["lang"]])
        marks[int(row[header.index("排名")])] = cell is not None
    return marks


def junit_marks(output: str, result: dict[str, Any]) -> dict[int, bool]:
    """rank -> whether the finding's description in its <failure> carries the marker."""
    import xml.etree.ElementTree as ET

    marks = {}
    for failure in ET.fromstring(output).iter("failure"):
        for block in (failure.text or "").split("\n\n"):
            rank = re.match(r"^#(\d+) ", block)
            if rank:
                marks[int(rank.group(1))] = MARKER[result["lang"]] in block
    return marks


def sarif_marks(output: str, result: dict[str, Any]) -> dict[int, bool]:
    """rank -> whether the SARIF result's properties carry `confirmed_by`."""
    import json

    marks = {}
    for item in json.loads(output)["runs"][0]["results"]:
        props = item["properties"]
        if "confirmed_by" in props:
            assert props["confirmed_by"] == ["auditor", "gx"]
        marks[int(props["rank"])] = "confirmed_by" in props
    return marks


MARKS: dict[str, Callable[[Any, dict[str, Any]], dict[int, bool]]] = {
    "text": text_marks, "md": md_marks, "html": html_marks, "xlsx": xlsx_marks, "junit": junit_marks,
    "sarif": sarif_marks,
}


def _confirmed_ranks(result: dict[str, Any]) -> set[int]:
    return {f["rank"] for f in result["findings"] if len(set(f["confirmed_by"])) > 1}


def _comparable(fmt: str, output: str | bytes) -> Any:
    """What must not change: the text, or for xlsx every part of the workbook but its timestamps."""
    if fmt != "xlsx":
        return output
    assert isinstance(output, bytes)
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


# --------------------------------------------------------------------------- a constructed result


def _hand(lang: str) -> dict[str, Any]:
    """The hostile hand-written result with engines set: the group's second member confirmed by
    both engines, one finding by the GX suite alone, the others by auditor alone."""
    result = hand_result(lang)
    for finding in result["findings"]:
        finding["confirmed_by"] = ["auditor"]
    result["findings"][1]["confirmed_by"] = ["auditor", "gx"]
    result["findings"][3]["confirmed_by"] = ["gx"]  # one engine: no marker, whichever it is
    return result


def test_engines_are_listed_only_when_several_agree() -> None:
    assert confirming_engines({"confirmed_by": ["auditor", "gx"]}) == ["auditor", "gx"]
    assert confirming_engines({"confirmed_by": ["gx", "gx"]}) == []
    assert confirming_engines({"confirmed_by": ["auditor"]}) == []
    assert confirming_engines({}) == []
    three = ["auditor", "gx", "other"]
    assert engine_list(three, read_labels("report")["zh"]) == "auditor、Great Expectations 与 other"
    assert engine_list(three, read_labels("report")["en"]) == "auditor, Great Expectations and other"
    for lang in LANGS:  # every marker label exists in both languages
        assert {k for k in read_labels("report")[lang] if k.startswith(("confirmed", "engine"))} == {
            "confirmed", "confirmed_title", "confirmed_sep", "confirmed_badge", "engines", "engine_sep",
            "engine_and"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", sorted(MARKS))
def test_marker_on_the_confirmed_finding_only(fmt: str, lang: str) -> None:
    result = _hand(lang)
    marks = MARKS[fmt](renderer(fmt)(result), result)
    assert set(marks) == {f["rank"] for f in result["findings"]}
    assert {rank for rank, marked in marks.items() if marked} == {2}


@pytest.mark.parametrize("lang", LANGS)
def test_marker_text_follows_the_message(lang: str) -> None:
    result = _hand(lang)
    message = result["findings"][1]["message"]
    sep = "" if lang == "zh" else " "
    md = renderer("md")(result)
    assert f"  {message}{sep}{MARKER[lang]}\n" in md
    assert MARKER[lang] not in renderer("json")(result)  # the JSON keeps the list, not prose


def test_hostile_engine_names_are_escaped() -> None:
    result = _hand("en")
    result["findings"][1]["confirmed_by"] = ["auditor", '<img src=x onerror="alert(9)">*_`']
    html = renderer("html")(result)
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(9)&quot;&gt;" in html
    md = renderer("md")(result)
    assert 'auditor and &lt;img src=x onerror="alert(9)"&gt;\\*\\_\\`)\n' in md


# JSON is left out: it always carries `confirmed_by`, with one engine too (the result's contract).
RENDERED = sorted(set(FORMATS) - {"json"})


@pytest.mark.parametrize("fmt", RENDERED)
def test_a_single_engine_changes_nothing(fmt: str) -> None:
    """A result whose findings each have one engine renders exactly as one without the field."""
    for lang in LANGS:
        result = _hand(lang)
        result["findings"][1]["confirmed_by"] = ["auditor"]
        bare = copy.deepcopy(result)
        for finding in bare["findings"]:
            del finding["confirmed_by"]
        render = renderer(fmt)
        assert _comparable(fmt, render(result)) == _comparable(fmt, render(bare))


# --------------------------------------------------------------------------- datasets/, with and without --gx


def _sample_results() -> list[DocumentResult]:
    files, missing = expand([str(ROOT / "datasets")])
    assert files and not missing
    return list(audit_files(files))


@pytest.fixture(scope="module")
def plain() -> dict[str, dict[str, Any]]:
    """The bundled samples audited without --gx, as a result in each language."""
    results = _sample_results()
    return {lang: build_result(copy.deepcopy(results), lang=lang) for lang in LANGS}


@pytest.fixture(scope="module")
def with_gx() -> dict[str, dict[str, Any]]:
    """The bundled samples audited with the GX suites too (offline, ephemeral context), run once."""
    from auditor.gx.runner import validate

    results = _sample_results()
    report = validate(results)
    assert report.confirmed >= 1
    return {lang: build_result(copy.deepcopy(results), lang=lang) for lang in LANGS}


@pytest.mark.parametrize("fmt", RENDERED)
def test_reports_without_gx_are_unchanged(fmt: str, plain: dict[str, dict[str, Any]]) -> None:
    """Every finding of a plain run is auditor's alone; its report carries no marker and is the
    same as the report of the result without `confirmed_by` at all (what renderers saw before)."""
    for result in plain.values():
        assert result["findings"] and all(f["confirmed_by"] == ["auditor"] for f in result["findings"])
        output = renderer(fmt)(result)
        if fmt in MARKS:
            assert not any(MARKS[fmt](output, result).values())
        if fmt == "xlsx":
            from openpyxl import load_workbook

            assert "确认引擎" not in [c.value for c in load_workbook(io.BytesIO(output))["问题"][1]]
        else:
            for marker in (*MARKER.values(), *BADGE.values(), "confirmed_by"):
                assert marker not in output
        if fmt == "html":  # the stylesheet ends as it always did
            assert "break-inside: avoid; } }\n</style>" in output
        bare = copy.deepcopy(result)
        for finding in bare["findings"]:
            del finding["confirmed_by"]
        assert _comparable(fmt, output) == _comparable(fmt, renderer(fmt)(bare))


@needs_gx
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", [*HUMAN, "junit", "sarif"])
def test_gx_run_marks_the_planted_row_sum(fmt: str, lang: str, with_gx: dict[str, dict[str, Any]]) -> None:
    result = with_gx[lang]
    confirmed = _confirmed_ranks(result)
    planted = [f for f in result["findings"] if f["rank"] in confirmed]
    assert [(f["rule"], f["location"]["line"]) for f in planted] == [("total.row_sum", PLANTED_LINE)]
    marks = MARKS[fmt](renderer(fmt)(result), result)
    assert set(marks) == {f["rank"] for f in result["findings"]}
    assert {rank for rank, marked in marks.items() if marked} == confirmed
