"""The resume index: a SQLite file under OUT/.parts, rebuilt from the parts at each run, saying per
document which audit to publish and which documents to skip (same content, same facts version),
and holding the cross-document findings until the consolidation writes them."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.scan.parts import iter_rows

INDEX = "index.sqlite"


class ScanIndex:
    """What the scan knows per document, on disk so that the parent's memory does not grow with
    the corpus: the latest audit of each path (hash, part, failed or not, department, facts),
    the documents of this run's corpus (path, content hash) as they are walked, and the
    cross-document findings. SQLite under OUT/.parts, rebuilt from the parts at every run (the
    parts are the only durable record) and removed once the outputs are written."""

    def __init__(self, parts: Path) -> None:
        self.file = parts / INDEX
        for leftover in (self.file, self.file.with_name(INDEX + "-journal")):
            leftover.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.file, isolation_level=None)
        # A derived cache: no journal and no fsync; a crash just means rebuilding it.
        self.db.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -4096;
            CREATE TABLE latest (path TEXT PRIMARY KEY, hash TEXT, part INTEGER, failed INTEGER,
                                 dept TEXT, facts TEXT);
            CREATE TABLE corpus (path TEXT PRIMARY KEY, hash TEXT);
            CREATE TABLE crossdoc (path TEXT, seq INTEGER, severity TEXT, row TEXT);
            BEGIN;
        """)
        self._last: tuple[str, int | None] = ("", None)

    def add_parts(self, parts: Path, numbers: list[int]) -> None:
        """Record the documents of these parts (in increasing order: a later audit wins)."""
        for number in numbers:
            rows = ((row["path"], _resume_hash(row), number, bool(row["error"]), _dept(row["facts"]), row["facts"])
                    for row in iter_rows(parts / f"{number:06d}-docs.parquet", ["path", "hash", "error", "facts"]))
            self.db.executemany("INSERT OR REPLACE INTO latest VALUES (?, ?, ?, ?, ?, ?)", rows)

    def done(self, path: str, retry_failed: bool = False) -> str | None:
        """The content hash of the latest audit of `path` (None when there is none, or when it
        failed and failed documents are to be retried)."""
        found = self.db.execute("SELECT hash, failed FROM latest WHERE path = ?", (path,)).fetchone()
        if found is None or (retry_failed and found[1]):
            return None
        return str(found[0])

    def add_current(self, path: str, digest: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO corpus VALUES (?, ?)", (path, digest))

    def current_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM corpus").fetchone()[0])

    def kept_part(self, path: str) -> int | None:
        """The part holding the audit of `path` to publish: its latest, if the document is still
        in the corpus with the same content. Rows come grouped by path, so one lookup each."""
        if self._last[0] != path:
            found = self.db.execute("SELECT l.part FROM latest l JOIN corpus c ON c.path = l.path "
                                    "AND c.hash = l.hash WHERE l.path = ?", (path,)).fetchone()
            self._last = (path, found[0] if found else None)
        return self._last[1]

    def departments(self) -> Iterator[list[tuple[str, str, str]]]:
        """(path, hash, facts) of the published documents, one department at a time."""
        cursor = self.db.execute("SELECT l.dept, l.path, l.hash, l.facts FROM latest l JOIN corpus c "
                                 "ON c.path = l.path AND c.hash = l.hash WHERE l.dept != '' "
                                 "ORDER BY l.dept, l.path")
        group: list[tuple[str, str, str]] = []
        current = None
        for dept, path, digest, facts in cursor:
            if dept != current and group:
                yield group
                group = []
            current = dept
            group.append((path, digest, facts))
        if group:
            yield group

    def add_crossdoc(self, rows: list[dict[str, Any]]) -> None:
        self.db.executemany("INSERT INTO crossdoc VALUES (?, ?, ?, ?)",
                            [(r["path"], seq, r["severity"], json.dumps(r, ensure_ascii=False))
                             for seq, r in enumerate(rows)])

    def crossdoc_rows(self) -> Iterator[dict[str, Any]]:
        for (row,) in self.db.execute("SELECT row FROM crossdoc ORDER BY path, seq"):
            yield json.loads(row)

    def crossdoc_counts(self, path: str) -> Counter[str]:
        return Counter(dict(self.db.execute("SELECT severity, count(*) FROM crossdoc WHERE path = ? "
                                            "GROUP BY severity", (path,)).fetchall()))

    def close(self, remove: bool = True) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if remove:
            self.file.unlink(missing_ok=True)


def _resume_hash(row: dict[str, Any]) -> str:
    """The content hash a document's row is valid for. Facts extracted by another version of the
    cross-document facts (FACTS_VERSION) mean something else: such a row matches no content, so
    the document is audited again and left out of the post-pass until then."""
    from auditor.engine import rule_module

    FACTS_VERSION = rule_module("crossdoc").FACTS_VERSION  # noqa: N806 - the module's constant

    try:
        version = json.loads(row["facts"] or "{}").get("v", FACTS_VERSION)
    except (ValueError, AttributeError):
        version = FACTS_VERSION
    return str(row["hash"]) if version == FACTS_VERSION else f"stale-facts-v{version}:{row['hash']}"


def _dept(facts: str | None) -> str:
    try:
        return str(json.loads(facts or "{}").get("dept") or "")
    except (ValueError, AttributeError):
        return ""
