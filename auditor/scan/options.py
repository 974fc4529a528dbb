"""What a scan is asked to do (ScanOptions) and what it did (ScanStats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.engine import Selection


@dataclass
class ScanOptions:
    out: str
    jobs: int = 1
    engine: str = "local"  # local | dask
    scheduler: str | None = None
    fmt: str = "parquet"  # parquet | csv
    timeout: float = 60.0
    memory_mb: int = 4096  # per-worker address-space cap; 0 = none
    quiet: bool = False
    lang: str = "zh"
    batch: int = 64  # documents per part file
    retry_failed: bool = False  # audit again the documents an earlier run could not audit
    selection: Selection | None = None


@dataclass
class ScanStats:
    total: int = 0
    skipped: int = 0
    audited: int = 0
    failed: int = 0
    findings: int = 0
    crossdoc: int = 0
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
