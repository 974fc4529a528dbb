"""The text report as a person reads it: whole file names, wrapping to the terminal (never inside
a number) or none to a pipe, honest per-document coverage, and --top counting findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from auditor.cli import main
from auditor.result import build_result
from reports import renderer
from tests.budget_text import budget
from tests.harness import audit_path

LONG = "units/a-unit-whose-distinguishing-part-is-at-the-start-and-the-name-goes-on-for-long.txt"


@pytest.fixture
def release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "release"
    (root / "units").mkdir(parents=True)
    (root / "dept.txt").write_text(budget(T6_TOTAL="1,450,000"), encoding="utf-8")
    (root / LONG).write_text(budget(T6_30101="650,000", P_BASIC="150.00"), encoding="utf-8")
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return root


def _result(paths: list[str], lang: str = "zh") -> dict:
    return build_result([audit_path(p) for p in paths], lang=lang)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,]*(?:\.\d+)?", text)


def test_piped_text_has_whole_names_and_one_line_per_finding(release: Path) -> None:
    result = CliRunner().invoke(main, ["check", "release"])
    assert result.exit_code == 1
    out = result.stdout
    data = _result(["release/dept.txt", f"release/{LONG}"])
    assert f"release/{LONG}:" in out  # the whole name, its distinguishing start included
    table = [line for line in out.splitlines() if re.match(r"^\s*(└ )?\d+\s", line)]
    assert len(table) == len(data["findings"])  # nothing wrapped onto a second line
    for finding in data["findings"]:
        assert finding["message"] in out


@pytest.mark.parametrize("width", [80, 120, 200])
def test_a_terminal_width_is_used_and_numbers_are_never_split(release: Path, width: int) -> None:
    data = _result(["release/dept.txt", f"release/{LONG}"], lang="en")
    text = renderer("text")(data, width=width)
    lines = text.splitlines()
    table_start = next(i for i, line in enumerate(lines) if line.startswith("---"))
    body = lines[table_start + 1:]
    # every number of every message is whole on one line of the report
    printed = {n for line in body for n in _numbers(line)}
    for finding in data["findings"]:
        for number in _numbers(finding["message"]):
            assert number in printed, number
    unwrapped = renderer("text")(data)
    assert len(text.splitlines()) > len(unwrapped.splitlines())  # it did wrap
    # the table fits the terminal when its fixed columns do: the message takes what they leave,
    # or goes under its row when that is too little (long file names)
    fixed = wcswidth(renderer("text")({**data, "findings": [{**f, "message": ""} for f in data["findings"]]})
                     .splitlines()[table_start])
    if fixed <= width:
        assert all(wcswidth(line) <= width for line in body if not line.startswith(("…", "共", "...")))


def test_wrap_breaks_between_words_and_cjk_characters_only() -> None:
    from reports.text_report import wrap

    text = "一般公共预算支出表合计印为 16,488,560.00 元，而明细之和为 16,488,000.00 元，相差 560.00 元。"
    for width in range(10, 40):
        lines = wrap(text, width).split("\n")
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        joined = " ".join(lines)
        for number in ("16,488,560.00", "16,488,000.00", "560.00"):
            assert number in joined
        # a line is over the width only when one number alone is wider (13 columns here), or by
        # the one punctuation mark that may not start the next line
        assert all(wcswidth(line) <= max(width, 13) + 2 for line in lines)
        assert not any(line[:1] in "，。、" for line in lines)
    assert wrap(text, None) == text


def test_an_unreadable_file_is_not_audited_not_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    for lang, said, never in (("zh", "未审计", "未发现问题"), ("en", "not audited", "No findings")):
        out = CliRunner().invoke(main, ["check", "broken.pdf", "--lang", lang]).stdout
        assert said in out and never not in out, out
    (tmp_path / "ok.txt").write_text(budget(), encoding="utf-8")
    out = CliRunner().invoke(main, ["check", "broken.pdf", "ok.txt", "--lang", "en"]).stdout
    assert "No findings in the audited files; 1 file(s) were not audited" in out
    assert "No findings." not in out and "1 file(s) not audited" in out


def test_coverage_says_what_was_read_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(budget(), encoding="utf-8")
    (tmp_path / "blank.txt").write_text("- 1 -\n\n- 2 -\n", encoding="utf-8")  # page numbers only
    data = json.loads(CliRunner().invoke(main, ["check", "ok.txt", "blank.txt", "--format", "json"]).stdout)
    docs = {d["path"]: d for d in data["documents"]}
    ok, blank = docs["ok.txt"], docs["blank.txt"]
    assert ok["coverage"]["status"] == "checked" and ok["coverage"]["rules_checked"] > 5
    assert ok["facts"] > ok["prose_numbers"] > 0 and ok["paragraphs"] > 0
    assert blank["coverage"]["status"] == "nothing_read" and blank["coverage"]["checks"] == 0
    out = CliRunner().invoke(main, ["check", "ok.txt", "blank.txt", "--lang", "en"]).stdout
    blank_block = out.split("file: blank.txt")[1].split("file:")[0]
    assert "NOT checked: no findings does not mean correct" in blank_block
    assert "No findings." not in out
    assert f"numbers {ok['facts']} ({ok['prose_numbers']} in prose)" in out
    zh = CliRunner().invoke(main, ["check", "ok.txt"]).stdout
    assert "部门预算" in zh and "budget" not in zh.split("\n")[0]


def test_top_counts_findings_and_never_cuts_machine_formats(release: Path) -> None:
    out = CliRunner().invoke(main, ["check", "release", "--top", "3"]).stdout
    rows = [line for line in out.splitlines() if re.match(r"^\s*(└ )?\d+\s", line)]
    total = len(_result(["release/dept.txt", f"release/{LONG}"])["findings"])
    assert len(rows) == 3 and f"另有 {total - 3} 条" in out
    (release.parent / "auditor.toml").write_text("top = 2\n", encoding="utf-8")
    for fmt in ("json", "sarif", "junit"):
        text = CliRunner().invoke(main, ["check", "release", "--format", fmt, "--top", "1"]).stdout
        if fmt == "json":
            assert len(json.loads(text)["findings"]) == total
        elif fmt == "sarif":
            assert len(json.loads(text)["runs"][0]["results"]) == total
        else:
            assert text.count("\nid: ") + text.count("&#10;id: ") == total or text.count("id: ") == total
    md = CliRunner().invoke(main, ["check", "release", "--format", "md"]).stdout
    assert md.count("另有") == 1  # the config's top = 2 applies to a human format


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_md_and_html_say_an_unread_file_was_not_audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "pages.txt").write_text("- 1 -\n\n- 2 -\n", encoding="utf-8")
    for lang, said, unread, never in (("zh", "未审计，无法读取", "未能读取内容，未检查", "未发现问题。"),
                                      ("en", "not audited, cannot read", "nothing could be read, not checked",
                                       "No findings.")):
        out = CliRunner().invoke(main, ["check", "broken.pdf", "--format", fmt, "--lang", lang]).stdout
        assert said in out and never not in out
        out = CliRunner().invoke(main, ["check", "broken.pdf", "pages.txt", "--format", fmt, "--lang", lang]).stdout
        assert unread in out and never not in out


def test_html_counts_prose_numbers_and_says_how_much_was_checked(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml import html as lxml_html

    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    # prose only: no table, but its numbers are read and checked
    (tmp_path / "prose.txt").write_text(
        "示例局2024年部门预算\n2024年收入预算 100.00 万元，支出预算 100.00 万元，比上年增加 10.00 万元，增长 11.11%。\n",
        encoding="utf-8")
    data = json.loads(CliRunner().invoke(main, ["check", "prose.txt", "--format", "json"]).stdout)
    doc = data["documents"][0]
    assert doc["tables"] == 0 and doc["facts"] > 0 and doc["coverage"]["status"] == "checked"
    page = lxml_html.fromstring(CliRunner().invoke(main, ["check", "prose.txt", "--format", "html"]).stdout)
    cells = [c.text_content() for c in page.xpath("//table[@class='docs']/tbody/tr[1]/td")]
    assert cells[3] == "0" and cells[4] == str(doc["facts"])
    assert cells[-1] == f"已检查：{doc['coverage']['rules_checked']}/{doc['coverage']['rules_run']} 条规则适用，" \
                        f"核对 {doc['coverage']['checks']} 处"
