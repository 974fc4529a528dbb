"""Scanned pages: render, OCR, and rebuild the lines and table rows the readers expect.

Used by the PDF loader for pages without a text layer, and for PNG/JPEG input. The OCR library
(the `ocr` extra: rapidocr-onnxruntime, whose Chinese PP-OCR models ship inside the wheel) runs
in a worker process (auditor.load.ocr_worker), so nothing here imports it and a page that takes
too long is ended by ending that process.

Settings, from the environment (the CLI sets them from `--ocr` and the config's `ocr` key):
- `AUDITOR_OCR`: `never` (default: a scan is reported as `parse.no_text_layer`), `auto` (OCR the
  pages without a text layer), `always` (OCR every page, replacing its text layer).
- `AUDITOR_OCR_MAX_PAGES` (default 50): most pages OCR'd per document; the rest stay unread
  (noted as no text layer).
- `AUDITOR_OCR_PAGE_TIMEOUT` (seconds, default 180): a page that takes longer is left unread.
- `AUDITOR_OCR_MIN_CONFIDENCE` (default 0.6): an error resting on a word read with less is a warning.

Layout: the recogniser's boxes are grouped into printed lines by their vertical centres; inside a
line, boxes closer than one text height are one cell, a wider gap starts a new cell. A run of
lines with two or more cells is a table: its columns are the x-ranges of the cells of its fuller
rows, and every row is laid onto those columns (a blank where a row has no cell, a spanned
header cell in its leftmost column), so the row is the tab-separated line a text export gives.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from auditor.load.errors import InputError
from auditor.load.lines import blank_line, finish, keep_table_rows_adjacent, row_line, text_line
from auditor.model import Document, OcrCell, SourceLine

MODES = ("never", "auto", "always")
EXTRA_HINT = "OCR needs the ocr extra: pip install 'disclosure-auditor[ocr]'"
LIBRARY = "rapidocr_onnxruntime"
SCALE = 2.0  # PDF pages are rendered at 144 dpi: the recogniser reads 10-pt text reliably from there
BLANK_SCALE = 0.25  # a page is blank when its rendering at this scale has no dark pixel
# Below this confidence an OCR'd word is not sure enough for an error (auditor.load.ocr_marks).
# RapidOCR itself drops boxes under 0.5; PP-OCR scores an isolated one-digit cell ("0") 0.65-0.9
# even when it reads it right (benchmarks/results/ocr.md), so the bar sits just above its floor.
LOW_CONFIDENCE = 0.6


def mode() -> str:
    value = os.environ.get("AUDITOR_OCR", "").strip().lower()
    return value if value in MODES else "never"


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "").strip().replace("_", ""))
    except ValueError:
        return default
    return value if value > 0 else default


def max_ocr_pages() -> int:
    return int(_env_number("AUDITOR_OCR_MAX_PAGES", 50))


def page_timeout() -> float:
    return _env_number("AUDITOR_OCR_PAGE_TIMEOUT", 180.0)


def min_confidence() -> float:
    """`AUDITOR_OCR_MIN_CONFIDENCE` (0..1), else LOW_CONFIDENCE."""
    value = _env_number("AUDITOR_OCR_MIN_CONFIDENCE", LOW_CONFIDENCE)
    return value if value <= 1 else LOW_CONFIDENCE


def available() -> bool:
    """Whether the ocr extra is installed (found without importing it)."""
    return importlib.util.find_spec(LIBRARY) is not None


def progress(message: str) -> None:
    print(f"auditor: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the worker


class OcrFailed(Exception):
    """The page could not be read: a timeout or the recogniser's error (one line)."""


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


class Recogniser:
    """One worker process, started on the first page and again after a page that timed out."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        env.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))
        return subprocess.Popen([sys.executable, "-m", "auditor.load.ocr_worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)

    def read(self, image: bytes, timeout: float) -> list[Word]:
        from auditor.load.ocr_worker import write_frame

        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            write_frame(self.proc.stdin, image)
            body = self._answer(self.proc.stdout.fileno(), time.monotonic() + timeout)
        except (OSError, OcrFailed) as exc:
            self.close()
            raise OcrFailed(str(exc) or "the OCR worker stopped") from exc
        data = json.loads(body.decode("utf-8"))
        if isinstance(data, dict):
            self.close()
            raise OcrFailed(str(data.get("error", "OCR failed")))
        return [Word(*item) for item in data]

    @staticmethod
    def _answer(fd: int, deadline: float) -> bytes:
        def take(size: int) -> bytes:
            chunks: list[bytes] = []
            while size:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    raise OcrFailed("timed out")
                chunk = os.read(fd, min(size, 1 << 20))
                if not chunk:
                    raise OcrFailed("the OCR worker stopped")
                chunks.append(chunk)
                size -= len(chunk)
            return b"".join(chunks)

        return take(int.from_bytes(take(4), "big"))

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()
            self.proc = None


# --------------------------------------------------------------------------- layout


def _join(left: str, right: str) -> str:
    ascii_edge = left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum()
    return f"{left} {right}" if ascii_edge else left + right


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (top to bottom), each sorted left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.cy):
        if rows:
            row = rows[-1]
            centre = median(w.cy for w in row)
            if abs(word.cy - centre) <= 0.5 * min(word.height, median(w.height for w in row)):
                row.append(word)
                continue
        rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _cells(row: list[Word]) -> list[list[Word]]:
    """The cells of one line: boxes closer than one text height belong to the same cell."""
    cells: list[list[Word]] = [[row[0]]]
    for word in row[1:]:
        prev = cells[-1][-1]
        if word.x0 - prev.x1 < min(word.height, prev.height):
            cells[-1].append(word)
        else:
            cells.append([word])
    return cells


def _cell(words: list[Word], scale: float) -> OcrCell:
    text = ""
    for word in words:
        text = _join(text, word.text.strip()) if text else word.text.strip()
    box = (min(w.x0 for w in words) / scale, min(w.y0 for w in words) / scale,
           max(w.x1 for w in words) / scale, max(w.y1 for w in words) / scale)
    return OcrCell(text=text, confidence=round(min(w.confidence for w in words), 4), bbox=box)


def _columns(rows: list[list[OcrCell]]) -> list[tuple[float, float]]:
    """Column x-ranges of a table block: where the cells of its fuller rows cover the page. A
    range covered by a single row among many (two cells the recogniser joined) is no column."""
    fullest = max(len(r) for r in rows)
    fuller = [r for r in rows if len(r) >= max(2, fullest / 2)]
    need = 2 if len(fuller) >= 4 else 1
    events = sorted([(c.bbox[0], 1) for r in fuller for c in r] + [(c.bbox[2], -1) for r in fuller for c in r])
    columns: list[tuple[float, float]] = []
    depth, start = 0, 0.0
    for x, step in events:
        before = depth
        depth += step
        if before < need <= depth:
            start = x
        elif depth < need <= before and x > start:
            columns.append((start, x))
    return columns


def _place(cells: list[OcrCell], columns: list[tuple[float, float]]) -> list[OcrCell | None]:
    """A row laid onto the block's columns: each cell in the leftmost column it overlaps (the
    nearest one when it overlaps none), moved right when that column is already taken."""
    slots: list[OcrCell | None] = [None] * len(columns)
    for cell in cells:
        x0, x1 = cell.bbox[0], cell.bbox[2]
        overlapping = [i for i, (a, b) in enumerate(columns) if x0 < b and x1 > a]
        centre = (x0 + x1) / 2
        index = overlapping[0] if overlapping else min(
            range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - centre))
        while index < len(columns) - 1 and slots[index] is not None:
            index += 1
        if slots[index] is not None:  # no free column to the right: the text joins the last cell
            last = slots[index]
            assert last is not None
            slots[index] = OcrCell(_join(last.text, cell.text), min(last.confidence, cell.confidence),
                                   (last.bbox[0], min(last.bbox[1], cell.bbox[1]), x1, max(last.bbox[3], cell.bbox[3])))
        else:
            slots[index] = cell
    return slots


def page_lines(words: list[Word], page: int | None, scale: float) -> list[SourceLine]:
    """The SourceLines of one OCR'd page, laid out like the PDF loader's (bbox in page points)."""
    rows = [[_cell(c, scale) for c in _cells(row)] for row in _rows([w for w in words if w.text.strip()])]
    if not rows:
        return []
    lines: list[SourceLine] = []
    i = 0
    while i < len(rows):
        if len(rows[i]) < 2:
            cell = rows[i][0]
            line = text_line(cell.text, page=page, bbox=cell.bbox)
            line.ocr = [cell]
            lines.append(line)
            i += 1
            continue
        j = i
        while j < len(rows) and len(rows[j]) >= 2:
            j += 1
        columns = _columns(rows[i:j])
        for cells in rows[i:j]:
            slots = _place(cells, columns)
            box = (min(c.bbox[0] for c in cells), min(c.bbox[1] for c in cells),
                   max(c.bbox[2] for c in cells), max(c.bbox[3] for c in cells))
            line = row_line([s.text if s else "" for s in slots], page=page, bbox=box)
            line.ocr = [s or OcrCell("", 1.0, (0.0, 0.0, 0.0, 0.0)) for s in slots]
            lines.append(line)
        i = j
    return _with_paragraph_breaks(lines)


def _with_paragraph_breaks(lines: list[SourceLine]) -> list[SourceLine]:
    """A blank line wherever the gap to the next line is well over the page's single line pitch."""
    tops = [line.bbox[1] for line in lines if line.bbox]
    pitches = [b - a for a, b in zip(tops, tops[1:], strict=False) if b > a]
    if not pitches:
        return lines
    usual = sorted(pitches)[len(pitches) // 4]  # the single-spaced pitch: most gaps are one line
    out: list[SourceLine] = []
    for prev, line in zip([None, *lines], lines, strict=False):
        if prev is not None and prev.bbox and line.bbox and line.bbox[1] - prev.bbox[1] > 1.5 * usual:
            out.append(blank_line(page=line.page))
        out.append(line)
    return out


# --------------------------------------------------------------------------- PDF pages


def _render(pdf: object, index: int, scale: float):
    page = pdf[index]  # type: ignore[index]
    try:
        return page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")  # type: ignore[attr-defined]
    return buffer.getvalue()


def _is_blank(image: object) -> bool:
    low, _ = image.convert("L").getextrema()  # type: ignore[attr-defined]
    return low >= 200  # no pixel darker than light grey: nothing printed


def scanned_pages(path: str, data: bytes, per_page: list[list[SourceLine]], empty: list[int]) -> list[tuple[str, int, str]]:
    """For the PDF loader: the notes for the pages in `empty` (1-based, no text layer), after
    OCR has filled `per_page` for those it could read (all pages in mode `always`).

    Notes: `blank_page` (nothing printed), `ocr` (pages read by OCR), `no_text_layer` (a scan
    left unread: OCR off, over the page limit, or failed on it)."""
    import pypdfium2

    how = mode()
    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfplumber read it: the pages stay unread, said as before
        return [("no_text_layer", 0, ranges(empty))] if empty else []
    try:
        blank = [n for n in empty if _is_blank(_render(pdf, n - 1, BLANK_SCALE))]
        targets = [n for n in range(1, len(per_page) + 1) if how == "always" and n not in blank]
        if how == "auto":
            targets = [n for n in empty if n not in blank]
        unread = [n for n in empty if n not in blank and n not in targets]
        done, failed = _ocr_pages(path, targets, lambda n: _png(_render(pdf, n - 1, SCALE)), per_page)
    finally:
        pdf.close()
    notes = []
    if blank:
        notes.append(("blank_page", 0, ranges(blank)))
    if done:
        notes.append(("ocr", 0, ranges(done)))
    if unread or failed:
        notes.append(("no_text_layer", 0, ranges(sorted(unread + failed))))
    return notes


def _ocr_pages(path: str, targets: list[int], image_of: Callable[[int], bytes],
               per_page: list[list[SourceLine]], scale: float = SCALE) -> tuple[list[int], list[int]]:
    """OCR the pages `targets` into `per_page`; (pages read, pages left unread)."""
    if not targets:
        return [], []
    if not available():
        raise InputError(path, EXTRA_HINT)
    limit = max_ocr_pages()
    if len(targets) > limit:
        progress(f"{path}: {len(targets)} pages to OCR, over the {limit}-page limit; the first {limit} are read "
                 "(set AUDITOR_OCR_MAX_PAGES to raise it)")
    done: list[int] = []
    failed = targets[limit:]
    engine = Recogniser()
    try:
        for count, number in enumerate(targets[:limit], start=1):
            started = time.monotonic()
            try:
                words = engine.read(image_of(number), page_timeout())
            except OcrFailed as exc:
                progress(f"{path}: OCR page {number} ({count}/{min(len(targets), limit)}): {exc}; left unread")
                failed.append(number)
                continue
            per_page[number - 1] = page_lines(words, number, scale)
            done.append(number)
            progress(f"{path}: OCR page {number} ({count}/{min(len(targets), limit)}): "
                     f"{len(per_page[number - 1])} lines in {time.monotonic() - started:.1f} s")
    finally:
        engine.close()
    return done, sorted(failed)


def ranges(numbers: list[int]) -> str:
    """"1-3, 5" for [1, 2, 3, 5]."""
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], 0]:
        if n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(out)


# --------------------------------------------------------------------------- images


def load_image(path: str, data: bytes, fmt: str) -> Document:
    """A PNG/JPEG page (a photographed score sheet, a scan saved as an image), read by OCR."""
    if mode() == "never":
        raise InputError(path, f"binary content ({fmt.upper()}), not a text disclosure; an image is read only "
                               "by `auditor check --ocr` (the ocr extra)")
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if _is_blank(image):
            return finish(path, [], "image", "", notes=[("blank_page", 0, "1")], allow_empty=True, pages=1)
    per_page: list[list[SourceLine]] = [[]]
    done, _ = _ocr_pages(path, [1], lambda _n: data, per_page, scale=1.0)
    notes = [("ocr", 0, "1")] if done else [("no_text_layer", 0, "1")]
    lines = keep_table_rows_adjacent(per_page[0])
    return finish(path, lines, "image", "", notes=notes, allow_empty=True, pages=1)
