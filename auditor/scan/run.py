"""The scan itself: walk the corpus, skip what OUT already holds, audit the rest with the chosen
engine into parts, then consolidate."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.scan.consolidate import consolidate
from auditor.scan.corpus import content_hash, walk
from auditor.scan.dask_runner import run_dask
from auditor.scan.document import Task
from auditor.scan.index import ScanIndex
from auditor.scan.options import ScanOptions, ScanStats
from auditor.scan.parts import PARTS, PartWriter, existing_parts
from auditor.scan.progress import Progress
from auditor.scan.workers import run_local


def scan(root: str, opts: ScanOptions, progress: bool | None = None) -> ScanStats:
    """Scan every supported document under `root` into `opts.out` (see the package doc of auditor.scan)."""
    from auditor.audit import display_path

    started = time.monotonic()
    out = Path(opts.out)
    parts = out / PARTS
    parts.mkdir(parents=True, exist_ok=True)
    numbers = existing_parts(parts)
    index = ScanIndex(parts)
    try:
        index.add_parts(parts, numbers)  # what earlier runs already did
        total = sum(1 for _ in walk(root))
        skipped = 0

        def pending() -> Iterator[Task]:
            nonlocal skipped
            for path in walk(root):
                digest = content_hash(path)
                name = display_path(path)  # the path as the rows carry it
                index.add_current(name, digest)
                if index.done(name, opts.retry_failed) == digest:
                    skipped += 1
                    bar.skipped += 1
                    continue
                yield path, digest

        show = (not opts.quiet and sys.stderr.isatty()) if progress is None else progress
        bar = Progress(total, show)
        first_new = (numbers[-1] + 1) if numbers else 1
        writer = PartWriter(parts, first_new, opts.batch)

        def deliver(result: dict[str, Any]) -> None:
            writer.add(result)
            bar.update(result)

        engine = run_dask if opts.engine == "dask" else run_local
        try:
            engine(pending(), opts, deliver, bar.show)
        finally:
            writer.flush()
        bar.show(final=True)
        index.add_parts(parts, list(range(first_new, writer.number)))
        stats = consolidate(out, index, opts)
    finally:
        index.close()
    stats.skipped = skipped
    stats.seconds = time.monotonic() - started
    return stats
