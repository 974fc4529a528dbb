"""Load extracted text (the layout of the seeds) into a Document of numbered lines.

Handles: tab-separated rows with blank cells, rows wrapped in <p>/<h2>/<ol> tags, page footers
such as "第 11 页 共 13 页" and running titles repeated at page breaks, UTF-8 (with or without
BOM), UTF-16 with BOM, and GB18030/GBK. Every line keeps its 1-based source line number.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from auditor.load.errors import InputError
from auditor.model import Document, SourceLine

_TAG = re.compile(r"</?(?:p|h[1-6]|ol|ul|li|span|div|br|strong|b|i|em|font|td|tr|th|table|tbody|thead)\b[^>]*>",
                  re.IGNORECASE)
_FOOTER = re.compile(r"^\s*(?:第\s*\d+\s*页\s*(?:[/,，]?\s*共\s*\d+\s*页)?|-\s*\d+\s*-|\d+\s*/\s*\d+|Page \d+( of \d+)?)\s*$")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes to text, sniffing BOMs, UTF-8 and GB18030. Raises InputError on binary data."""
    if not data.strip():
        raise InputError(path, "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(path, "the file claims UTF-16 but does not decode") from exc
    sample = data[:65536]
    if b"\x00" in sample:
        # UTF-16 without a BOM has NULs in every other byte; anything else with NULs is binary.
        if sample.count(b"\x00") * 3 > len(sample) and _looks_utf16(sample):
            try:
                return data.decode("utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"), "utf-16"
            except UnicodeDecodeError:
                pass
        raise InputError(path, "binary content, not a text disclosure (NUL bytes found)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"cannot decode the text as UTF-8 or GB18030 (byte {exc.start})") from exc
    return text, "gb18030"


def _looks_utf16(sample: bytes) -> bool:
    even = sample[0::2].count(b"\x00")
    odd = sample[1::2].count(b"\x00")
    return max(even, odd) > len(sample) // 4 and min(even, odd) < len(sample) // 20


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0 or ch == "\ufffd")
    return bad / len(sample)


def strip_markup(text: str) -> str:
    """Remove the HTML tags that PDF-to-text tools leave around cells, and unescape entities."""
    if "<" in text or "&" in text:
        text = _TAG.sub(" ", text)
        text = html.unescape(text)
    return text


def split_lines(text: str, path: str, fmt: str = "text", encoding: str = "utf-8") -> Document:
    """Turn decoded text into a Document; marks page footers and repeated running titles."""
    if _control_ratio(text) > 0.05:
        raise InputError(path, "binary or corrupted content (too many control characters)")
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[SourceLine] = []
    for number, raw in enumerate(raw_lines, start=1):
        clean = strip_markup(raw)
        cells = None
        if "\t" in clean:
            cells = [re.sub(r"\s+", " ", cell).strip() for cell in clean.split("\t")]
            text_value = "\t".join(cells)
        else:
            text_value = re.sub(r"[ \u3000]+", " ", clean).strip()
        lines.append(SourceLine(number=number, raw=raw, text=text_value, cells=cells))
    _mark_footers(lines)
    if not any(line.text for line in lines):
        raise InputError(path, "the file holds no text")
    return Document(path=path, lines=lines, format=fmt, encoding=encoding)


def _mark_footers(lines: list[SourceLine]) -> None:
    """Page numbers are furniture; so is a title line that repeats right before a page number."""
    page = 1
    footer_lines = []
    for line in lines:
        line.page = None
        if line.text and _FOOTER.match(line.text):
            line.footer = True
            footer_lines.append(line.number)
    if not footer_lines:
        return
    # A running title: a non-table line that recurs several times and sits within 3 lines of a footer.
    counts = Counter(line.text for line in lines if line.text and line.cells is None and len(line.text) > 8)
    near_footer = set()
    for number in footer_lines:
        near_footer.update(range(number - 3, number + 4))
    for line in lines:
        if line.number in near_footer and line.cells is None and counts.get(line.text, 0) >= 1 and line.text:
            if counts[line.text] >= 2 or _looks_like_running_title(line.text):
                if line.number in near_footer and not line.footer and _next_nonblank_is_footer(lines, line.number):
                    line.footer = True
    del page


def _looks_like_running_title(text: str) -> bool:
    return text.endswith(("报告", "报告书", "情况表", "公开")) and len(text) > 12


def _next_nonblank_is_footer(lines: list[SourceLine], number: int) -> bool:
    for line in lines[number: number + 3]:
        if line.text:
            return line.footer
    return False


def load_text(path: str, data: bytes) -> Document:
    text, encoding = decode(data, path)
    return split_lines(text, path, "text", encoding)
