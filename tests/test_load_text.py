"""The text loader: encodings, line numbers, markup, page furniture, and bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.load import discover, load, max_bytes, sniff
from auditor.load.errors import InputError
from auditor.load.text import decode, split_lines

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SAMPLE = "部门预算\n收入总计\t86,412,027\t\t1,000\n支出合计 8641.20万元\n"


def write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- encodings

ENCODINGS = [
    ("utf-8", SAMPLE.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
    ("gb18030", SAMPLE.encode("gb18030"), "gb18030"),
    ("gbk", SAMPLE.encode("gbk"), "gb18030"),
    ("utf-16 LE BOM", b"\xff\xfe" + SAMPLE.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE BOM", b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16"),
    ("utf-16 LE no BOM", SAMPLE.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE no BOM", SAMPLE.encode("utf-16-be"), "utf-16"),
    ("utf-32 LE BOM", b"\xff\xfe\x00\x00" + SAMPLE.encode("utf-32-le"), "utf-32"),
    ("crlf", SAMPLE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ("crlf gbk", SAMPLE.replace("\n", "\r\n").encode("gbk"), "gb18030"),
    ("old mac cr", SAMPLE.replace("\n", "\r").encode("utf-8"), "utf-8"),
]


@pytest.mark.parametrize(("label", "data", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_encodings_give_the_same_lines(tmp_path: Path, label: str, data: bytes, encoding: str) -> None:
    doc = load(write(tmp_path, data))
    assert doc.encoding == encoding
    assert [line.text for line in doc.lines] == ["部门预算", "收入总计\t86,412,027\t\t1,000", "支出合计 8641.20万元"]
    assert [line.number for line in doc.lines] == [1, 2, 3]
    assert doc.lines[1].raw == "收入总计\t86,412,027\t\t1,000"  # no "\r" left in raw
    assert doc.format == "text"


def test_utf16_mostly_cjk_without_bom(tmp_path: Path) -> None:
    text = "郑州市人民政府办公厅部门预算" * 40 + "\n合计\t1\n"
    doc = load(write(tmp_path, text.encode("utf-16-le")))
    assert doc.encoding == "utf-16"
    assert doc.lines[1].cells == ["合计", "1"]


# --------------------------------------------------------------------------- lines and cells


def test_tab_rows_keep_blank_cells() -> None:
    doc = split_lines("科目\t合计\t基本\t项目\n2010301\t\t1,000\t\n\t\t\t\n", "t")
    assert doc.lines[0].cells == ["科目", "合计", "基本", "项目"]
    assert doc.lines[1].cells == ["2010301", "", "1,000", ""]
    assert doc.lines[2].cells == ["", "", "", ""]
    assert doc.lines[2].text == "\t\t\t"


def test_line_without_tab_has_no_cells_and_collapsed_spaces() -> None:
    doc = split_lines("支出   合计\u3000\u30008641.20  万元  \n", "t")
    assert doc.lines[0].cells is None
    assert doc.lines[0].text == "支出 合计 8641.20 万元"


def test_line_numbers_are_one_based_and_match_the_source() -> None:
    text = "a\n\nb\r\nc\rstill c\n\n\nd"
    doc = split_lines(text, "t")
    # a stray "\r" inside a line does not start a new line (grep -n counts "\n" only)
    assert [(line.number, line.raw) for line in doc.lines] == [
        (1, "a"), (2, ""), (3, "b"), (4, "c\rstill c"), (5, ""), (6, ""), (7, "d"),
    ]
    assert doc.lines[3].text == "c still c"
    assert doc.line(7).text == "d"  # type: ignore[union-attr]
    assert doc.line(8) is None


def test_trailing_newline_adds_no_line() -> None:
    assert len(split_lines("a\nb\n", "t").lines) == 2
    assert len(split_lines("a\nb", "t").lines) == 2
    assert len(split_lines("a\nb\n\n", "t").lines) == 3


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("<p>负责市长讲话</p>", "负责市长讲话"),
        ("<h2>一、部门主要职责</h2>", "一、部门主要职责"),
        ('<ol style="list-style-type: decimal;"><li>健全机制</li></ol>', "健全机制"),
        ("<p>项目配套 制度措施</p>\t<p>1. 健全</p> <p>2. 协调</p>", "项目配套 制度措施\t1. 健全 2. 协调"),
        ("<p>=100%</p>", "=100%"),
        ("<<郑州市政府热线资源整合升级实施方案的通知>>", "<<郑州市政府热线资源整合升级实施方案的通知>>"),
        ("≥80个&&≤120个", "≥80个&&≤120个"),
        ("成本 &lt; 预算 &amp; 收入", "成本 < 预算 & 收入"),
        ("<P CLASS='x'>大写</P><br/>", "大写"),
    ],
)
def test_markup_is_stripped_text_kept(raw: str, text: str) -> None:
    line = split_lines(raw + "\n", "t").lines[0]
    assert line.text == text
    assert line.raw == raw


# --------------------------------------------------------------------------- page furniture


def test_page_footer_and_running_title() -> None:
    title = "郑州市数字化城市管理监督中心 2022 年 12319 热线升级改造专项资金项目绩效评价报告"
    text = "\n".join([
        title, "正文一", "", title, "", "第 11 页 共 13 页", "4、产出成本", "第12页", "正文", "- 13 -",
    ])
    doc = split_lines(text, "t")
    footers = [line.number for line in doc.lines if line.footer]
    assert footers == [4, 6, 8, 10]
    assert not doc.lines[0].footer  # the same title at the top is a heading, not furniture
    assert not doc.lines[6].footer


@pytest.mark.parametrize(
    "text", ["第 11 页 共 13 页", "第11页", "第 3 页，共 9 页", "共13页 第11页", "- 5 -", "— 5 —", "3/13", "Page 2 of 9"],
)
def test_footer_forms(text: str) -> None:
    assert split_lines(f"正文\n{text}\n正文", "t").lines[1].footer


@pytest.mark.parametrize("text", ["第11页的表格有误", "合计 11", "2023年12月", "-27", "第一部分"])
def test_not_footers(text: str) -> None:
    assert not split_lines(f"正文\n{text}\n正文", "t").lines[1].footer


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds not available")
def test_seed_2_footer_and_title() -> None:
    [path] = SEEDS.glob("002_*.txt")
    doc = load(path)
    assert doc.line(503).text == "第 11 页 共 13 页"  # type: ignore[union-attr]
    assert doc.line(503).footer  # type: ignore[union-attr]
    assert doc.line(501).footer  # type: ignore[union-attr]
    assert sum(line.footer for line in doc.lines) == 2


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds not available")
@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_seed_lines_match_source(name: str) -> None:
    path = SEEDS / name
    doc = load(path)
    source = path.read_text(encoding="utf-8").split("\n")
    if source[-1] == "":
        source.pop()
    assert len(doc.lines) == len(source)
    for line in doc.lines:
        assert line.raw == source[line.number - 1].rstrip("\r")


# --------------------------------------------------------------------------- bad input


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        load(tmp_path)


BAD = [
    ("empty", b"", "the file is empty"),
    ("whitespace", b"  \n\t\r\n  ", "only whitespace"),
    ("full-width whitespace", "\u3000\u3000\n".encode(), "only whitespace"),
    ("bom only", b"\xef\xbb\xbf", "the file is empty"),
    ("bom whitespace", b"\xef\xbb\xbf \n", "only whitespace"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary content"),
    ("nul bytes", b"abc\x00def\x00\x01\x02\x03ghi", "binary content"),
    ("elf", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "binary content"),
    ("random", bytes([0x80, 0xFF, 0xFE, 0x81, 0x30]) * 40, "cannot decode"),
    ("bad utf-8 after bom", b"\xef\xbb\xbf\xff\xfe\xfa", "does not decode"),
    ("odd utf-16", b"\xff\xfe" + "合计".encode("utf-16-le") + b"\x00", "does not decode"),
    ("control chars", b"\x01\x02\x03\x04\x05\x06\x07\x08abc" * 10, "control characters"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a readable PDF"),
    ("xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "not a readable XLS"),
]


@pytest.mark.parametrize(("label", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input(tmp_path: Path, label: str, data: bytes, message: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as info:
        load(path)
    text = str(info.value)
    assert message in text
    assert "\n" not in text
    assert text.startswith(str(path) + ": ")


def _xlsx_bytes(tmp_path: Path) -> bytes:
    import zipfile

    path = tmp_path / "book.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return path.read_bytes()


def test_xlsx_given_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, _xlsx_bytes(tmp_path), "budget.txt")
    with pytest.raises(InputError, match="not a readable XLSX"):
        load(path)


def test_sniff() -> None:
    assert sniff(b"%PDF-1.4", ".txt") == "pdf"
    assert sniff(b"  \n%PDF-1.4", "") == "pdf"
    assert sniff("部门预算".encode(), ".pdf") == "text"  # content wins over the suffix
    assert sniff(b"PK\x03\x04garbage", ".xlsx") == "xlsx"
    assert sniff(b"PK\x03\x04garbage", ".bin") == "zip"


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, ("合计 1\n" * 100).encode())
    monkeypatch.setenv("AUDITOR_MAX_BYTES", "64")
    assert max_bytes() == 64
    with pytest.raises(InputError, match="over the 64 bytes limit") as info:
        load(path)
    assert "AUDITOR_MAX_BYTES" in str(info.value)
    monkeypatch.setenv("AUDITOR_MAX_BYTES", "100000")
    assert len(load(path).lines) == 100


@pytest.mark.parametrize("value", ["", "abc", "-5", "0"])
def test_bad_size_limit_falls_back_to_default(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AUDITOR_MAX_BYTES", value)
    assert max_bytes() == 50 * 1024 * 1024


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load(fifo)


def test_path_with_nul_byte() -> None:
    with pytest.raises(InputError):
        load("bad\x00name.txt")


def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"abc")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(InputError, match="cannot read"):
            load(path)
    finally:
        path.chmod(0o644)


def test_decode_errors_are_input_errors() -> None:
    with pytest.raises(InputError):
        decode(b"", "x")
    with pytest.raises(InputError):
        decode(b"\x00\x01\x02\x03", "x")


def test_input_error_fields() -> None:
    err = InputError("a.txt", "the file is empty")
    assert (err.path, err.reason, str(err)) == ("a.txt", "the file is empty", "a.txt: the file is empty")


def test_discover(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b.txt", "a.pdf", "sub/c.xlsx", ".hidden/d.txt", "e.png", "sub/.f.txt"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == ["a.pdf", "b.txt", "sub/c.xlsx"]
    assert discover(tmp_path / "b.txt") == [tmp_path / "b.txt"]
    assert discover(tmp_path / "missing") == []
