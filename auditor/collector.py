"""How often Python's cyclic garbage collector runs while documents are audited.

An audit builds tens of thousands of small long-lived objects (lines, cells, rows, numbers,
tokens) and almost no reference cycles: they are freed by reference counting when the document
is done. At the interpreter's default first-generation threshold (700 allocations) the collector
runs ~25 times per seed-sized document and traverses all of them for nothing, and now and then a
full collection of the whole heap costs as much as reading a table (about 8% of the CPU of an
in-process run over the seeds, measured with `gc.callbacks`). A threshold of 50,000 makes those
collections rare; the older generations keep their ratios, so cycles are still collected.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FIRST_GENERATION_THRESHOLD = 50_000

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the first-generation threshold to FIRST_GENERATION_THRESHOLD (never lower it) for
    the duration, and put the caller's thresholds back after the outermost use (nested and
    concurrent uses share one setting)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            current = gc.get_threshold()
            if current[0] < FIRST_GENERATION_THRESHOLD:
                _saved = current
                gc.set_threshold(FIRST_GENERATION_THRESHOLD, *current[1:])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
