"""Loaders: one module per input format, each producing a Document of numbered lines.

`load(path)` sniffs the format from the content (not only the extension) and enforces the size
limit, so that a bad file becomes one clear InputError instead of a traceback: no other
exception escapes `load`, whatever the bytes or the path.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

from auditor.load.errors import InputError
from auditor.load.text import decode, split_lines
from auditor.model import Document

__all__ = ["InputError", "MAX_BYTES", "decode", "discover", "load", "max_bytes", "sniff", "sniff_text", "split_lines"]

# The default size limit; `AUDITOR_MAX_BYTES` (read at every call) overrides it.
MAX_BYTES = 50 * 1024 * 1024

# Formats this build reads; other formats are recognised and reported as not yet supported.
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
KNOWN_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".xlsx", ".xls", ".html", ".htm", ".csv", ".tsv"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}  # found in a directory only when OCR is on (AUDITOR_OCR)

# Signatures of binary formats that are certainly not a text disclosure.
_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x7fELF", "elf"),
)
_NOT_DOCUMENTS = {"png", "jpeg", "gif", "gzip", "rar", "7z", "elf", "zip"}


def max_bytes() -> int:
    """The size limit in bytes: `AUDITOR_MAX_BYTES` when set to a positive integer, else 50 MB."""
    value = os.environ.get("AUDITOR_MAX_BYTES", "").strip().replace("_", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return MAX_BYTES


def _human(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _zip_kind(data: bytes) -> str:
    """xlsx, docx or zip, from the member names of a ZIP container."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except Exception:  # noqa: BLE001 - a truncated or odd archive is still "a zip"
        names = []
    if not names:  # central directory unreadable: look at the first local header name instead
        head = data[:4096]
        return "xlsx" if b"xl/" in head else "docx" if b"word/" in head else "zip"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if any(name.startswith("word/") for name in names):
        return "docx"
    return "zip"


def sniff(data: bytes, suffix: str) -> str:
    """The format of a file from its first bytes; the suffix only breaks ties.

    Returns "pdf", "xlsx", "xls", "docx", "zip", an image/archive name, or "text".
    """
    head = data[:1024].lstrip()
    for magic, fmt in _MAGIC:
        if head.startswith(magic) or data.startswith(magic):
            return fmt
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        kind = _zip_kind(data)
        if kind == "zip" and suffix in (".xlsx", ".docx"):
            return suffix[1:]
        return kind
    return "text"


_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|table)\b",
                         re.IGNORECASE | re.DOTALL)


def sniff_text(text: str, suffix: str) -> str:
    """"html", "csv" or "text" for decoded text, from its content; the suffix only breaks ties.

    HTML: the text opens with a doctype or an <html>/<head>/<body>/<table> tag, or has an
    .html/.htm suffix and a <table> or <body> tag in its first 4 KB. CSV/TSV: a .csv/.tsv suffix,
    or a data release in the README layout (see auditor.load.csv_release.looks_like_csv).
    """
    head = text[:4096]
    if _HTML_START.match(head):
        return "html"
    lowered = head.lower()
    if suffix in (".html", ".htm") and ("<table" in lowered or "<body" in lowered or "<p" in lowered):
        return "html"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in TEXT_SUFFIXES - {""}:
        return "text"
    from auditor.load.csv_release import looks_like_csv

    return "csv" if looks_like_csv(text) else "text"


def load(path: str | os.PathLike[str]) -> Document:
    """Load one file into a Document; any problem becomes an InputError with a one-line reason."""
    name = str(path)
    try:
        return _load(Path(path), name)
    except InputError:
        raise
    except MemoryError as exc:
        raise InputError(name, "the file is too large to load in memory") from exc
    except RecursionError as exc:  # pragma: no cover - defensive
        raise InputError(name, "the file is too deeply nested to read") from exc
    except Exception as exc:  # noqa: BLE001 - the contract: nothing but InputError escapes
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(name, f"cannot read the file ({reason})") from exc


def _load(p: Path, name: str) -> Document:
    try:
        st = p.stat()
    except FileNotFoundError as exc:
        raise InputError(name, "no such file") from exc
    except (OSError, ValueError) as exc:
        raise InputError(name, f"cannot open the path ({_reason(exc)})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(name, "not a regular file")
    limit = max_bytes()
    if st.st_size > limit:
        raise InputError(name, f"file is {_human(st.st_size)}, over the {_human(limit)} limit "
                               "(set AUDITOR_MAX_BYTES to raise it)")
    try:
        with p.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise InputError(name, f"cannot read the file ({_reason(exc)})") from exc
    if len(data) > limit:
        raise InputError(name, f"file is over the {_human(limit)} limit (set AUDITOR_MAX_BYTES to raise it)")
    if not data:
        raise InputError(name, "the file is empty")
    fmt = sniff(data, p.suffix.lower())
    if fmt == "pdf":
        from auditor.load.pdf import load_pdf

        return load_pdf(name, data)
    if fmt in ("xlsx", "xls"):
        from auditor.load.spreadsheet import load_spreadsheet

        return load_spreadsheet(name, data, fmt)
    if fmt == "docx":
        raise InputError(name, "DOCX input is not supported by this build yet; save it as PDF or text first")
    if fmt in ("png", "jpeg"):  # a scanned or photographed page: read by OCR when asked
        from auditor.load.ocr import load_image

        return load_image(name, data, fmt)
    if fmt in _NOT_DOCUMENTS:
        raise InputError(name, f"binary content ({fmt.upper()}), not a text disclosure")
    text, encoding = decode(data, name)
    kind = sniff_text(text, p.suffix.lower())
    if kind == "html":
        from auditor.load.html import load_html

        return load_html(name, text, encoding)
    if kind == "csv":
        from auditor.load.csv_release import load_csv

        return load_csv(name, text, encoding)
    return split_lines(text, name, "text", encoding)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def discover(path: str | os.PathLike[str]) -> list[Path]:
    """The supported files under a directory (recursively), sorted for a stable order.

    A file path is returned as is (even with an unknown suffix: `load` will judge it); hidden
    files and folders are skipped; a missing path gives an empty list.
    """
    root = Path(path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        return []
    found = []
    suffixes = KNOWN_SUFFIXES - {""}
    if os.environ.get("AUDITOR_OCR", "").strip().lower() in ("auto", "always"):
        suffixes = suffixes | IMAGE_SUFFIXES
    for item in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in item.relative_to(root).parts)
        # Documentation beside the data (README.md, labels) is not a disclosure.
        doc_file = item.suffix.lower() == ".md" or item.stem.upper().startswith(("README", "LICENSE"))
        if not hidden and not doc_file and item.suffix.lower() in suffixes and item.is_file():
            found.append(item)
    return found
