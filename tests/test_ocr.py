"""Scanned pages (issue 19): OCR layout, blank pages, OCR marks on findings, the `--ocr` flag.

The end-to-end test renders pages of the seeds as pixels (an image-only PDF, and a PNG) and
proves that `auditor check --ocr` finds the same errors as the check of the same text; it needs
the ocr extra and ../shared/seeds, and is skipped with a reason otherwise.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.config import ConfigError, parse_config
from auditor.load import InputError, load
from auditor.load import ocr as ocr_module
from auditor.load.ocr import Word, page_lines
from auditor.load.ocr_marks import mark_findings
from auditor.model import Document, Evidence, Finding, Location, OcrCell, SourceLine
from reports.ocr_crop import ocr_figure
from tests.harness import audit_path
from tests.ocr_render import cjk_font, render_text, seed_pages, write_image_pdf

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def words_of(rows: list[list[tuple[float, str]]], y0: float = 100, pitch: float = 40, height: float = 22,
             char: float = 20, confidence: float = 0.99) -> list[Word]:
    """Words of fictional printed lines: (x, text) per word, one list per line."""
    out = []
    for i, row in enumerate(rows):
        top = y0 + i * pitch
        for x, text in row:
            out.append(Word(x, top, x + char * len(text) * 0.6, top + height, text, confidence))
    return out


# --------------------------------------------------------------------------- layout


def test_boxes_become_prose_lines_and_tab_separated_rows_on_shared_columns() -> None:
    rows = [
        [(40, "某某局2031年支出表")],
        [],
        [(40, "项目"), (400, "合计"), (600, "基本支出")],
        [(40, "项目"), (400, "合计"), (600, "人员"), (800, "公用")],
        [(40, "办公费"), (400, "120"), (600, "100"), (800, "20")],
        [(40, "差旅费"), (400, "30"), (800, "30")],  # no 人员 cell: a blank there, not a shift
    ]
    lines = page_lines(words_of([r for r in rows if r]), page=1, scale=1.0)
    texts = [line.text for line in lines]
    assert texts == ["某某局2031年支出表", "项目\t合计\t基本支出\t", "项目\t合计\t人员\t公用",
                     "办公费\t120\t100\t20", "差旅费\t30\t\t30"]
    assert lines[0].cells is None and lines[0].ocr and lines[0].ocr[0].confidence == 0.99
    assert lines[4].cells == ["差旅费", "30", "", "30"] and len(lines[4].ocr or []) == 4
    assert all(line.page == 1 and line.bbox for line in lines)


def test_a_wide_gap_between_lines_is_a_paragraph_break_and_a_close_one_is_not() -> None:
    words = words_of([[(40, "第一段第一行")], [(40, "第一段第二行")]]) + words_of([[(40, "第二段")]], y0=260)
    assert [line.text for line in page_lines(words, page=2, scale=2.0)] == ["第一段第一行", "第一段第二行", "", "第二段"]


def test_two_cells_joined_in_one_row_do_not_merge_the_columns() -> None:
    rows = [[(40, "甲"), (300, "10"), (500, "20")] for _ in range(5)]
    rows.append([(40, "乙"), (300, "10 20 30 40 50")])  # one box across both value columns
    lines = page_lines(words_of(rows), page=1, scale=1.0)
    assert [line.text for line in lines[:5]] == ["甲\t10\t20"] * 5


# --------------------------------------------------------------------------- blank pages


def _pdf(tmp_path: Path, pages: list[bool]) -> Path:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "pages.pdf"
    pdf = canvas.Canvas(str(path))
    for inked in pages:
        if inked:
            pdf.rect(50, 50, 300, 400, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def test_a_blank_page_is_parse_blank_page_and_a_scan_is_no_text_layer(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AUDITOR_OCR", raising=False)
    path = _pdf(tmp_path, [False, True])
    assert load(path).notes == [("blank_page", 0, "1"), ("no_text_layer", 0, "2")]
    result = audit_path(path)
    assert sorted(f.rule for f in result.findings) == ["parse.blank_page", "parse.no_text_layer"]
    assert all(f.severity == "info" for f in result.findings)


def test_an_inked_page_is_never_called_blank(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AUDITOR_OCR", raising=False)
    assert load(_pdf(tmp_path, [True])).notes == [("no_text_layer", 0, "1")]


# --------------------------------------------------------------------------- OCR marks


def _ocr_doc(tmp_path: Path, confidence: float) -> tuple[Document, Path]:
    from PIL import Image

    image = tmp_path / "page.png"
    Image.new("L", (600, 200), 255).save(image)
    cells = [OcrCell("合计", 0.99, (10, 50, 60, 72)), OcrCell("150", confidence, (200, 50, 240, 72)),
             OcrCell("100", 0.99, (300, 50, 340, 72))]
    line = SourceLine(number=1, raw="合计\t150\t100", text="合计\t150\t100", cells=["合计", "150", "100"],
                      page=1, bbox=(10, 50, 340, 72), ocr=cells)
    return Document(path=str(image), lines=[line], format="image", pages=1), image


def _finding() -> Finding:
    return Finding(rule="total.row_sum", severity="error", location=Location(path="page.png", line=1, page=1),
                   expected="100", actual="150", evidence=[Evidence(path="page.png", line=1, text="", value="150")])


def test_an_error_resting_on_a_low_confidence_word_is_a_warning_with_its_crop(tmp_path: Path) -> None:
    doc, image = _ocr_doc(tmp_path, confidence=0.41)
    finding = _finding()
    mark_findings([finding], doc, str(image))
    assert finding.severity == "warning"
    out = finding.location.to_json()
    assert out["ocr"] is True and out["ocr_confidence"] == 0.41
    assert out["ocr_crop"].startswith("data:image/png;base64,") and len(out["ocr_crop"]) < 20_000
    assert "<img" in ocr_figure(out) and "0.41" in ocr_figure(out)


def test_an_error_read_with_confidence_stays_an_error_and_text_findings_are_unmarked(tmp_path: Path) -> None:
    doc, image = _ocr_doc(tmp_path, confidence=0.98)
    finding = _finding()
    mark_findings([finding], doc, str(image))
    assert finding.severity == "error" and finding.location.ocr_confidence == 0.98
    plain = _finding()
    text_doc = Document(path="a.txt", lines=[SourceLine(number=1, raw="合计\t150\t100", text="合计\t150\t100",
                                                       cells=["合计", "150", "100"])])
    mark_findings([plain], text_doc, "a.txt")
    assert plain.severity == "error" and "ocr" not in plain.location.to_json()
    assert ocr_figure(plain.location.to_json()) == ""
    assert "<img" not in ocr_figure({"ocr": True, "ocr_confidence": 0.9, "ocr_crop": "javascript:alert(1)"})


# --------------------------------------------------------------------------- CLI, config, imports


def test_ocr_without_the_extra_is_one_line_naming_it_exit_2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AUDITOR_OCR", raising=False)
    monkeypatch.setattr(ocr_module, "available", lambda: False)
    doc = tmp_path / "a.txt"
    doc.write_text("某某单位2031年部门预算\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(doc), "--ocr"])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "disclosure-auditor[ocr]" in lines[0]


def test_an_image_without_ocr_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    from PIL import Image

    monkeypatch.delenv("AUDITOR_OCR", raising=False)
    path = tmp_path / "scan.png"
    Image.new("L", (50, 50), 0).save(path)
    with pytest.raises(InputError) as info:
        load(path)
    assert "--ocr" in str(info.value) and "PNG" in str(info.value)


def test_config_ocr_key() -> None:
    assert parse_config({"ocr": "auto", "ocr-max-pages": 5, "ocr-page-timeout": 30}).ocr == "auto"
    for bad in ({"ocr": "sometimes"}, {"ocr-max-pages": 0}, {"ocr-page-timeout": "long"}):
        with pytest.raises(ConfigError):
            parse_config(bad)


def test_help_and_a_check_without_ocr_never_import_the_ocr_library(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("某某单位2031年部门预算\n\n单位：万元\n\n项目\t金额\n合计\t3\n甲\t1\n乙\t2\n", encoding="utf-8")
    probe = (
        "import sys\nfrom auditor.cli import main\n"
        "for args in (['--help'], ['check', sys.argv[1], '--format', 'json']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "heavy = [m for m in ('rapidocr_onnxruntime', 'onnxruntime', 'cv2') if m in sys.modules]\n"
        "print('IMPORTED', heavy, file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("AUDITOR_OCR", None)
    done = subprocess.run([sys.executable, "-c", probe, str(doc)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)
    assert "IMPORTED []" in done.stderr, done.stderr[-2000:]


# --------------------------------------------------------------------------- with the extra

needs_ocr = pytest.mark.skipif(not ocr_module.available(),
                               reason="the ocr extra (rapidocr-onnxruntime) is not installed")


@needs_ocr
def test_a_page_over_the_timeout_is_left_unread_and_said(tmp_path: Path, monkeypatch) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 120), 255)
    ImageDraw.Draw(image).rectangle((20, 40, 300, 80), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setenv("AUDITOR_OCR", "auto")
    monkeypatch.setenv("AUDITOR_OCR_PAGE_TIMEOUT", "0.001")
    assert load(path).notes == [("no_text_layer", 0, "1")]


def _errors(report: dict) -> dict[str, set[tuple[str, str, str]]]:
    out: dict[str, set[tuple[str, str, str]]] = {}
    for f in report["findings"]:
        name = Path(f["location"]["path"]).stem
        out.setdefault(name, set())
        if f["severity"] == "error":
            out[name].add((f["rule"], f["expected"], f["actual"]))
    return out


@needs_ocr
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
@pytest.mark.skipif(cjk_font() is None, reason="no CJK font (fonts-wqy-microhei) to draw the pages")
def test_scanned_seed_pages_give_the_same_errors_as_their_text(tmp_path: Path) -> None:
    pages = seed_pages(SEEDS)
    assert set(pages) == {"001-table", "001-prose", "002-score"}
    texts = []
    for name, lines in pages.items():
        images, drawn = render_text([lines])
        text = tmp_path / f"{name}.txt"
        text.write_text("\n".join(drawn[0]) + "\n", encoding="utf-8")
        texts.append(str(text))
        scan = tmp_path / "scan" / (f"{name}.png" if name.startswith("002") else f"{name}.pdf")
        scan.parent.mkdir(exist_ok=True)
        if scan.suffix == ".png":
            images[0].save(scan)  # a photographed score sheet: image input
        else:
            write_image_pdf(images, scan)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("AUDITOR_OCR", None)
    run = [sys.executable, "-c", "import sys; from auditor.cli import main; sys.exit(main())", "check",
           "--format", "json", "--exit-zero"]
    plain = subprocess.run([*run, *texts], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    scanned = subprocess.run([*run, "--ocr", *sorted(str(p) for p in (tmp_path / "scan").iterdir())],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert scanned.returncode == 0, scanned.stderr[-2000:]
    assert scanned.stderr.count("OCR page 1 (1/1)") == 3  # progress, one line per page
    expected, got = _errors(json.loads(plain.stdout)), _errors(json.loads(scanned.stdout))
    assert ("total.row_sum", "0", "3,602,780") in expected["001-table"]  # 办公费: the row that does not add up
    assert any(rule == "narrative.arithmetic" for rule, _, _ in expected["001-prose"])
    assert any(rule == "score.sum" for rule, _, _ in expected["002-score"])
    assert got == expected
    report = json.loads(scanned.stdout)
    assert report["findings"] and all(f["location"].get("ocr") for f in report["findings"]
                                      if f["severity"] != "info")
    from reports.html_report import render

    page = render(report)  # the HTML report shows the page crop of each cited cell
    assert page.count('class="ocr-crop"') >= len(got["001-table"]) and "data:image/png;base64," in page


@needs_ocr
def test_always_reads_a_page_with_a_text_layer_by_ocr(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "text.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(300, 120))
    pdf.setFont("Helvetica", 14)
    pdf.drawString(20, 60, "Total 2031")
    pdf.save()
    monkeypatch.delenv("AUDITOR_OCR", raising=False)
    assert load(path).lines[0].ocr is None
    monkeypatch.setenv("AUDITOR_OCR", "always")
    doc = load(path)
    assert doc.notes == [("ocr", 0, "1")]
    texts = [line.text.replace(" ", "") for line in doc.lines if line.text]  # the recogniser may drop a space
    assert texts == ["Total2031"] and doc.lines[0].ocr
