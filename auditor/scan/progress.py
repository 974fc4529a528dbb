"""The progress line of a scan on stderr."""

from __future__ import annotations

import sys
import time
from typing import Any


class Progress:
    """One status line on stderr: documents done, findings so far, rate and ETA."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.done = self.skipped = self.findings = self.failed = 0
        self.started = time.monotonic()
        self.shown = 0.0

    def update(self, out: dict[str, Any] | None = None) -> None:
        if out is not None:
            self.done += 1
            self.findings += len(out["findings"])
            self.failed += bool(out["doc"]["error"])
        self.show()

    def show(self, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self.shown < 0.2:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        finished = self.done + self.skipped
        left = (self.total - finished) / rate if rate > 0 else 0.0
        width = 24
        filled = int(width * finished / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        eta = time.strftime("%H:%M:%S", time.gmtime(left)) if rate > 0 else "--:--:--"
        skipped = f" ({self.skipped} already done)" if self.skipped else ""
        line = (f"\r[{bar}] {finished}/{self.total} docs{skipped}  {self.findings} findings  {self.failed} failed  "
                f"{rate:.1f} docs/s  ETA {eta}")
        sys.stderr.write(line)
        if final:
            sys.stderr.write("\n")
        sys.stderr.flush()
