"""Load extracted text (the layout of the seeds) into a Document of numbered lines.

Handles: tab-separated rows with blank cells, rows wrapped in <p>/<h2>/<ol> tags, page footers
such as "第 11 页 共 13 页" and running titles repeated at page breaks, UTF-8 (with or without
BOM), UTF-16/UTF-32 with BOM, UTF-16 without BOM, and GB18030/GBK.

Line numbers are 1-based and equal to what `grep -n` / `sed -n Np` show for the source file:
lines end at "\\n" (a "\\r" before it is dropped); a file that uses lone "\\r" as its only line
ending (old Mac) is split on "\\r". A stray "\\r" inside a line does not start a new line.
A final line ending does not add an empty last line.
"""

from __future__ import annotations

import codecs
import html
import re
from collections import Counter

from auditor.load.errors import InputError
from auditor.load.limits import over_limit
from auditor.load.normalize import normalize_document
from auditor.model import Document, SourceLine

_TAG = re.compile(
    r"</?(?:p|h[1-6]|ol|ul|li|span|div|br|hr|strong|b|i|u|s|em|font|sup|sub|small|big|center|a|img|"
    r"td|tr|th|table|tbody|thead|tfoot|caption|col|colgroup|section|article|header|footer|blockquote)"
    r"\b[^<>]*>",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^\s*(?:第\s*\d+\s*页\s*(?:[/,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[/,，]?\s*第\s*\d+\s*页"
    r"|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|Page \d+( of \d+)?)\s*$",
    re.IGNORECASE,
)
_SPACE_CHARS = "\u3000\f\v\xa0\r"  # collapsed to one space, with runs of spaces
_SPACES = re.compile(rf"[ {_SPACE_CHARS}]+")
_OTHER_SPACE = re.compile(f"[{_SPACE_CHARS}]")  # one scan in C, not five (asked of every line)
_CELL_SPACES = re.compile(r"\s+")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes to (text, encoding name), sniffing BOMs, UTF-16 without BOM, UTF-8, GB18030.

    Raises InputError (and nothing else) for empty, whitespace-only, binary or undecodable data.
    """
    if not data:
        raise InputError(path, "the file is empty")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"the file starts with a {label.upper()} byte-order mark but does not "
                                       f"decode as {label.upper()} (byte {exc.start + len(bom)})") from exc
            return _require_text(text, path), label
    if not data.strip():
        raise InputError(path, "the file holds only whitespace")
    sample = data[:65536]
    if b"\x00" in sample:
        # UTF-16 without a BOM has NULs in every other byte; anything else with NULs is binary.
        if _looks_utf16(sample) and len(data) % 2 == 0:
            codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = ""
            if _plausible_text(text):
                return text, "utf-16"
        raise InputError(path, "binary content, not a text disclosure (NUL bytes found)")
    try:
        return _require_text(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"cannot decode the text as UTF-8 or GB18030 (bad byte at offset {exc.start})") from exc
    return _require_text(text, path), "gb18030"


def _require_text(text: str, path: str) -> str:
    if not text.strip():
        raise InputError(path, "the file holds only whitespace" if text else "the file is empty")
    return text


def _looks_utf16(sample: bytes) -> bool:
    """NULs (almost) only in the even or only in the odd positions: the shape of UTF-16 text.

    ASCII characters in UTF-16 carry a NUL byte; CJK characters usually do not, so the share of
    NULs can be small, but their parity is the tell.
    """
    if len(sample) < 2 or len(sample) % 2:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return max(even, odd) > 0 and min(even, odd) * 20 <= max(even, odd)


# Code points a Chinese disclosure is written in: ASCII, Latin-1, general punctuation, symbols
# (≥ ≤ ①), CJK radicals/punctuation/ideographs, compatibility ideographs and full-width forms.
_PLAUSIBLE = ((0x09, 0x0D), (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x22FF),
              (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
              (0xFF00, 0xFFEF))


def _plausible_text(text: str) -> bool:
    """Decoded text that looks like a disclosure: has a line break or a tab, and at least 90%
    of its characters in the ranges above. Used to accept UTF-16 without a byte-order mark,
    which any even-length byte string decodes to."""
    sample = text[:20000]
    if not sample.strip() or ("\n" not in sample and "\t" not in sample):
        return False
    good = sum(1 for ch in sample if any(lo <= ord(ch) <= hi for lo, hi in _PLAUSIBLE))
    return good >= 0.9 * len(sample)


# Control characters other than the line and cell separators (\t \n \v \f \r), C1 controls
# and the replacement character: what a binary or badly decoded file is full of. One regex
# scan instead of a Python loop over up to 20,000 characters.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def strip_markup(text: str) -> str:
    """Remove the HTML tags that PDF-to-text tools leave around cells, and unescape entities.

    Only a known list of tags is removed, so "<<郑州市…通知>>" (book-title marks) and "≤ 8 < 9"
    survive; each tag becomes a space so that "<p>a</p><p>b</p>" does not glue words.
    """
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def _clean_cell(cell: str) -> str:
    """A cell with runs of whitespace collapsed to one space, stripped."""
    # Every whitespace character but the ASCII space is unprintable: a printable cell without a
    # double space has nothing to collapse (most cells: numbers), and the regex is skipped.
    if cell.isprintable() and "  " not in cell:
        return cell.strip()
    return _CELL_SPACES.sub(" ", cell).strip()


def _raw_lines(text: str) -> list[str]:
    """Split into source lines the way `grep -n` counts them (see the module docstring)."""
    if "\n" not in text and "\r" in text:
        parts = text.split("\r")
    else:
        parts = text.split("\n")
        parts = [part[:-1] if part.endswith("\r") else part for part in parts]
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # the line ending of the last line does not start another line
    return parts


def split_lines(text: str, path: str, fmt: str = "text", encoding: str = "utf-8") -> Document:
    """Turn decoded text into a Document; marks page footers and repeated running titles.

    `SourceLine.raw` is the source line exactly (without its line ending); `text` has markup
    removed, runs of spaces collapsed and is the reading copy of auditor.load.normalize
    (simplified characters, no letter spacing or inline pinyin); `cells` keeps blank cells of
    tab-separated rows.
    Raises InputError for binary-looking text, text without any visible character, and text over
    a resource limit (line length, line count, cells in a row: auditor.load.limits).
    """
    if not isinstance(text, str):
        raise InputError(path, "internal error: text expected")
    if _control_ratio(text) > 0.05:
        raise InputError(path, "binary or corrupted content (too many control characters)")
    reason = over_limit(text)
    if reason:
        raise InputError(path, reason)
    lines: list[SourceLine] = []
    for number, raw in enumerate(_raw_lines(text), start=1):
        clean = strip_markup(raw)
        cells = None
        if "\t" in clean:
            if "  " in clean or not clean.replace("\t", "").isprintable():
                cells = [_clean_cell(cell) for cell in clean.split("\t")]
            else:  # no cell has a run of spaces to collapse (see _clean_cell): most rows
                cells = [cell.strip() for cell in clean.split("\t")]
            text_value = "\t".join(cells)
        elif "  " in clean or _OTHER_SPACE.search(clean):
            text_value = _SPACES.sub(" ", clean).strip()
        else:  # nothing to collapse (the regex below is the slow way to learn that)
            text_value = clean.strip()
        lines.append(SourceLine(number=number, raw=raw, text=text_value, cells=cells))
    if not any(line.text.strip() for line in lines):
        raise InputError(path, "the file holds no text")
    _mark_footers(lines)
    return normalize_document(Document(path=path, lines=lines, format=fmt, encoding=encoding))


def _mark_footers(lines: list[SourceLine]) -> None:
    """Page numbers are furniture; so is a title line that repeats right before a page number."""
    footer_lines = []
    for line in lines:
        if line.text and _FOOTER.match(line.text):
            line.footer = True
            footer_lines.append(line.number)
    if not footer_lines:
        return
    # A running title: a non-table line that recurs, or looks like a report title, and whose
    # next non-blank line (within 3 lines) is a page footer.
    counts = Counter(line.text for line in lines if line.text and line.cells is None and len(line.text) > 8)
    near_footer = set()
    for number in footer_lines:
        near_footer.update(range(number - 3, number))
    for line in lines:
        if line.number not in near_footer or line.footer or line.cells is not None or not line.text:
            continue
        if (counts[line.text] >= 2 or _looks_like_running_title(line.text)) and _next_nonblank_is_footer(
            lines, line.number
        ):
            line.footer = True


def _looks_like_running_title(text: str) -> bool:
    return text.endswith(("报告", "报告书", "情况表", "公开")) and len(text) > 12


def _next_nonblank_is_footer(lines: list[SourceLine], number: int) -> bool:
    for line in lines[number: number + 3]:
        if line.text:
            return line.footer
    return False


def load_text(path: str, data: bytes) -> Document:
    """Decode `data` and split it into numbered lines."""
    text, encoding = decode(data, path)
    return split_lines(text, path, "text", encoding)
