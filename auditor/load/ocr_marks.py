"""Findings that rest on OCR'd lines say so: `location.ocr`, the confidence of the words they
cite, a small crop of the page around the cited cell, and an error at most a warning when one
of those words was read with low confidence (a misread digit must not become a false error).

The words a finding cites: on each evidence line read by OCR, the cell holding the evidence's
value; a line cited without a value contributes the cell in the same column as the finding's own
cited cell (the detail rows of a column sum). A finding whose evidence is its one line (a row sum,
an indicator row) rests on every number of that line.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import replace
from typing import Any

from auditor.load.ocr import SCALE, min_confidence
from auditor.model import Document, Finding, OcrCell, SourceLine

_NUMBERISH = re.compile(r"\d")
CROP_MAX_WIDTH = 480  # pixels: enough to read a cell and its neighbours, small enough to embed


def _key(text: str) -> str:
    return re.sub(r"[\s,，]", "", text)


def _matching(line: SourceLine, value: str) -> int | None:
    cells = line.ocr or []
    want = _key(value)
    if not want:
        return None
    for exact in (True, False):
        for index, cell in enumerate(cells):
            have = _key(cell.text)
            if have and (have == want if exact else want in have):
                return index
    return None


def cited_cells(finding: Finding, doc: Document) -> list[OcrCell]:
    """The OCR'd cells a finding rests on (empty when it cites no OCR'd line)."""
    evidence = list(finding.evidence)
    own = doc.line(finding.location.line) if finding.location.line else None
    column: int | None = None
    cited: list[OcrCell] = []
    if own is not None and own.ocr:
        for value in [e.value for e in evidence if e.line == own.number and e.value] + [finding.actual or ""]:
            column = _matching(own, value) if value else None
            if column is not None:
                break
        if column is not None:
            cited.append(own.ocr[column])
        if len({e.line for e in evidence} | {own.number}) == 1:  # the finding's operands are all on its line
            cited.extend(c for c in own.ocr if _NUMBERISH.search(c.text))
    for item in evidence:
        line = doc.line(item.line)
        if line is None or not line.ocr or line is own:
            continue
        index = _matching(line, item.value) if item.value else None
        if index is None and column is not None and column < len(line.ocr) and line.ocr[column].text:
            index = column
        if index is not None:
            cited.append(line.ocr[index])
        else:
            cited.extend([c for c in line.ocr if _NUMBERISH.search(c.text)] or [c for c in line.ocr if c.text])
    if not cited and own is not None and own.ocr:
        cited = [c for c in own.ocr if c.text]
    return cited


def _crop(images: dict[int, Any], doc: Document, source: str, line: SourceLine, cell: OcrCell) -> str | None:
    """A data URI of a small PNG around `cell` on the page image (None when it cannot be made)."""
    page = line.page or 1
    try:
        if page not in images:
            images[page] = _page_image(doc, source, page)
        image = images[page]
        if image is None:
            return None
        scale = SCALE if doc.format == "pdf" else 1.0
        x0, y0, x1, y1 = (v * scale for v in cell.bbox)
        pad = max(y1 - y0, 8.0)
        box = (max(int(x0 - 2 * pad), 0), max(int(y0 - pad), 0),
               min(int(x1 + 2 * pad), image.width), min(int(y1 + pad), image.height))
        crop = image.crop(box)
        if crop.width > CROP_MAX_WIDTH:
            crop = crop.resize((CROP_MAX_WIDTH, max(1, crop.height * CROP_MAX_WIDTH // crop.width)))
        buffer = io.BytesIO()
        crop.convert("L").save(buffer, "PNG", optimize=True)
    except Exception:  # noqa: BLE001 - a crop is a convenience: the finding stands without it
        return None
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _page_image(doc: Document, source: str, page: int) -> Any:
    from PIL import Image

    if doc.format == "image":
        with Image.open(source) as image:
            return image.convert("L")
    import pypdfium2

    pdf = pypdfium2.PdfDocument(source)
    try:
        handle = pdf[page - 1]
        try:
            return handle.render(scale=SCALE, grayscale=True).to_pil().convert("L")
        finally:
            handle.close()
    finally:
        pdf.close()


def mark_findings(findings: list[Finding], doc: Document, source: str) -> None:
    """Mark, in place, the findings that rest on OCR'd lines of `doc` (read from file `source`)."""
    images: dict[int, Any] = {}
    floor = min_confidence()
    for finding in findings:
        cells = cited_cells(finding, doc)
        if not cells:
            continue
        confidence = round(min(c.confidence for c in cells), 3)
        own = doc.line(finding.location.line) if finding.location.line else None
        crop = None
        if own is not None and own.ocr:
            crop = _crop(images, doc, source, own, cells[0] if cells[0] in own.ocr else _widest(own.ocr))
        finding.location = replace(finding.location, ocr=True, ocr_confidence=confidence, ocr_crop=crop)
        finding.confidence = min(finding.confidence, confidence)
        if finding.severity == "error" and confidence < floor:
            finding.severity = "warning"  # the error rests on a word OCR is not sure of


def _widest(cells: list[OcrCell]) -> OcrCell:
    present = [c for c in cells if c.text] or cells
    return OcrCell(" ".join(c.text for c in present), min(c.confidence for c in present),
                   (min(c.bbox[0] for c in present), min(c.bbox[1] for c in present),
                    max(c.bbox[2] for c in present), max(c.bbox[3] for c in present)))
