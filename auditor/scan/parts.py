"""The parts: OUT/.parts/NNNNNN-findings.parquet then NNNNNN-docs.parquet, one pair per batch of
documents, written atomically (the docs part last, so a pair counts only once it exists); the
columns of the findings and documents tables; reading the rows of a part back."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PARTS = ".parts"

FINDING_COLUMNS: list[tuple[str, str]] = [
    ("path", "string"), ("hash", "string"), ("id", "string"), ("rule", "string"), ("severity", "string"),
    ("score", "float64"), ("rank", "int64"), ("group", "string"), ("group_lead", "bool_"),
    ("line", "int64"), ("page", "int64"), ("table", "string"), ("row", "string"), ("column", "string"),
    ("expected", "string"), ("actual", "string"), ("difference", "string"), ("suggestion", "string"),
    ("title", "string"), ("message", "string"), ("evidence", "string"),
]
DOCUMENT_COLUMNS: list[tuple[str, str]] = [
    ("path", "string"), ("hash", "string"), ("kind", "string"), ("year", "int64"), ("issuer", "string"),
    ("tables", "int64"), ("observations", "int64"), ("indicators", "int64"),
    ("findings", "int64"), ("errors", "int64"), ("warnings", "int64"), ("infos", "int64"),
    ("error", "string"), ("seconds", "float64"), ("facts", "string"),
]
ROW_GROUP = 256  # rows per Parquet row group: small, because a merge holds one decoded group per input


def arrow_schema(columns: list[tuple[str, str]]) -> Any:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in columns])


def finding_key(row: dict[str, Any]) -> tuple[str, int]:
    return row["path"], row["rank"]


def document_key(row: dict[str, Any]) -> str:
    return str(row["path"])


def _write_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=arrow_schema(columns))
    tmp = target.with_name(f".{target.name}.tmp")
    pq.write_table(table, tmp, row_group_size=ROW_GROUP)
    os.replace(tmp, target)


class PartWriter:
    """Buffers one batch of results, then writes its findings part and then its docs part."""

    def __init__(self, parts: Path, start: int, batch: int) -> None:
        self.parts = parts
        self.number = start
        self.batch = batch
        self.docs: list[dict[str, Any]] = []
        self.findings: list[dict[str, Any]] = []
        self.flushed_at = time.monotonic()

    def add(self, out: dict[str, Any]) -> None:
        self.docs.append(out["doc"])
        self.findings.extend(out["findings"])
        if len(self.docs) >= self.batch or time.monotonic() - self.flushed_at > 30:
            self.flush()

    def flush(self) -> None:
        self.flushed_at = time.monotonic()
        if not self.docs:
            return
        self.docs.sort(key=lambda r: r["path"])
        self.findings.sort(key=finding_key)
        _write_table(self.findings, FINDING_COLUMNS, self.parts / f"{self.number:06d}-findings.parquet")
        _write_table(self.docs, DOCUMENT_COLUMNS, self.parts / f"{self.number:06d}-docs.parquet")
        self.number += 1
        self.docs, self.findings = [], []


_PART = re.compile(r"^(\d{6})-(docs|findings)\.parquet$")
MERGE_PREFIX = ".merge-"


def existing_parts(parts: Path) -> list[int]:
    """Numbers of the complete part pairs; an orphan findings part (a kill between the two
    writes), temp files and the merge runs of an interrupted consolidation are removed."""
    docs, findings = set(), set()
    for item in parts.iterdir() if parts.is_dir() else []:
        m = _PART.match(item.name)
        if m:
            (docs if m.group(2) == "docs" else findings).add(int(m.group(1)))
        elif item.name.endswith(".tmp") or item.name.startswith(MERGE_PREFIX):
            item.unlink(missing_ok=True)
    for number in findings - docs:
        (parts / f"{number:06d}-findings.parquet").unlink(missing_ok=True)
    return sorted(docs & findings)


def iter_rows(path: Path, columns: list[str] | None = None, batch_size: int = 32) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path, pre_buffer=False)
    for batch in handle.iter_batches(batch_size=batch_size, columns=columns, use_threads=False):
        yield from batch.to_pylist()

