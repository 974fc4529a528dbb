"""Loaders: one module per input format, each producing a Document of numbered lines.

`load(path)` sniffs the format from the content (not only the extension) and enforces the size
limit, so that a bad file becomes one clear InputError instead of a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from auditor.load.errors import InputError
from auditor.load.text import load_text
from auditor.model import Document

MAX_BYTES = int(os.environ.get("AUDITOR_MAX_BYTES", str(50 * 1024 * 1024)))

# Formats this build reads; other formats are recognised and reported as not yet supported.
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
KNOWN_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".xlsx", ".xls", ".html", ".htm", ".csv", ".tsv"}


def sniff(data: bytes, suffix: str) -> str:
    """The format of a file from its first bytes; the suffix only breaks ties."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "text"


def load(path: str | os.PathLike[str]) -> Document:
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "no such file")
    if p.is_dir():
        raise InputError(name, "is a directory")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(name, f"file is {size // (1024 * 1024)} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit "
                               "(set AUDITOR_MAX_BYTES to raise it)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read the file ({exc.strerror})") from exc
    fmt = sniff(data, p.suffix.lower())
    if fmt != "text":
        raise InputError(name, f"{fmt.upper()} input is not supported by this build yet; "
                               "extract its text first (e.g. pdftotext -layout)")
    return load_text(name, data)


def discover(path: str | os.PathLike[str]) -> list[Path]:
    """The supported files under a directory (recursively), sorted for a stable order."""
    root = Path(path)
    if root.is_file():
        return [root]
    found = []
    for item in sorted(root.rglob("*")):
        if item.is_file() and not any(part.startswith(".") for part in item.relative_to(root).parts):
            if item.suffix.lower() in KNOWN_SUFFIXES - {""}:
                found.append(item)
    return found
