"""The corpus: the supported documents under a root, walked in sorted order through symbolic-link
loops and rings, and the content hash that tells a resumed scan which documents it has done."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator


def walk(root: str, _seen: set[tuple[int, int]] | None = None) -> Iterator[str]:
    """Supported files under `root`, depth first in sorted order (the order of `discover`), streamed.

    A folder reached twice through symbolic links (a link to a parent: a loop) is walked once,
    and a link that cannot be resolved (a ring of links) is skipped, as `check` does."""
    from auditor.load import KNOWN_SUFFIXES

    if os.path.isfile(root):
        yield root
        return
    seen = set() if _seen is None else _seen
    try:
        info = os.stat(root)
        if (info.st_dev, info.st_ino) in seen:
            return
        seen.add((info.st_dev, info.st_ino))
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = not is_dir and entry.is_file()
        except OSError:  # a ring of links, a vanished entry
            continue
        if is_dir:
            yield from walk(entry.path, seen)
            continue
        stem, suffix = os.path.splitext(entry.name)
        if suffix.lower() == ".md" or stem.upper().startswith(("README", "LICENSE")):
            continue
        if suffix.lower() in KNOWN_SUFFIXES - {""} and is_file:
            yield entry.path


def content_hash(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        return f"unreadable:{type(exc).__name__}"
    return digest.hexdigest()[:32]
