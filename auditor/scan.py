"""Audit a corpus of thousands of documents: local process pool by default, Dask when asked.

    walk (sorted, streaming) ─▶ skip documents already in OUT with the same content hash
        ─▶ workers: audit_file + build_result per document (the same findings as `auditor check`)
        ─▶ parts: OUT/.parts/NNNNNN-findings.parquet then NNNNNN-docs.parquet, one pair per batch
        ─▶ post-pass: cross-document rules over the small per-document facts, one department
           at a time
        ─▶ consolidation: findings.parquet, documents.parquet (or .csv) and summary.md

A kill loses at most the documents in flight and the current batch: the parts written are
kept, and the next run continues from them. A part pair counts only once its docs file exists
(it is written last, atomically). A document that crashes its worker, hangs past `timeout` or
exhausts the worker's memory cap is recorded with its error; the worker is replaced.
`retry_failed` audits such documents again on the next run.

Memory is flat in the number of documents. The parent holds one batch of results; what it
knows per document (path, hash, part, facts) and the cross-document findings live in a SQLite
index under OUT/.parts, rebuilt from the parts at each run; the cross-document rules read one
department's facts at a time; the consolidation merges the sorted parts at most MERGE_FAN_IN
at a time (an external merge sort through temporary runs), each input holding one small row
group. Workers hold one document each.

pyarrow (and dask for `--engine dask`) are imported inside the functions that need them, so
importing this module stays light: the forkserver preloads it into every worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
import re
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.engine import Selection

PARTS = ".parts"
HANG_ENV = "AUDITOR_SCAN_TEST_HANG"  # test hook: a document whose path contains this sleeps in the worker
HANG_PID_ENV = "AUDITOR_SCAN_TEST_HANG_PID"  # test hook: ... after appending its process id to this file
CRASH_ENV = "AUDITOR_SCAN_TEST_CRASH"  # test hook: ... kills its worker
HOG_ENV = "AUDITOR_SCAN_TEST_HOG"  # test hook: ... allocates memory until the cap stops it
HOOKS = (HANG_ENV, HANG_PID_ENV, CRASH_ENV, HOG_ENV)
PRELOAD = ("auditor.scan", "auditor.audit", "auditor.result", "checks.crossdoc")  # imported by each worker at start

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
TIMING_COLUMNS = ("seconds",)
ROW_GROUP = 256  # rows per Parquet row group: small, because a merge holds one decoded group per input


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


# --------------------------------------------------------------------------- corpus walk


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


# --------------------------------------------------------------------------- one document (in a worker)


def _test_hooks(path: str) -> None:
    hang = os.environ.get(HANG_ENV)
    if hang and hang in path:
        pid_file = os.environ.get(HANG_PID_ENV)
        if pid_file:  # lets a test check that the process holding the hung thread is gone
            with open(pid_file, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()}\n")
        time.sleep(3600)
    crash = os.environ.get(CRASH_ENV)
    if crash and crash in path:
        os._exit(70)
    hog = os.environ.get(HOG_ENV)
    if hog and hog in path:
        blocks = []
        while True:
            blocks.append(bytes(64 << 20))  # calloc: address space, no pages touched


def error_row(path: str, digest: str, error: str, seconds: float = 0.0) -> dict[str, Any]:
    from auditor.audit import display_path

    return {"doc": {"path": display_path(path), "hash": digest, "kind": "unknown", "year": None, "issuer": "", "tables": 0,
                    "observations": 0, "indicators": 0, "findings": 0, "errors": 0, "warnings": 0, "infos": 0,
                    "error": error, "seconds": round(seconds, 4), "facts": "{}"},
            "findings": []}


def audit_one(path: str, digest: str, lang: str = "zh", selection: Selection | None = None) -> dict[str, Any]:
    """Audit one document; its rows for documents/findings, and its cross-document facts.

    The findings are those of `auditor check PATH --format json` (same ranks and scores).
    """
    from auditor.audit import audit_file
    from auditor.engine import rule_module
    from auditor.result import build_result

    facts = rule_module("crossdoc").facts

    _test_hooks(path)
    started = time.perf_counter()
    result = audit_file(path, selection)
    data = build_result([result], lang=lang)
    doc = data["documents"][0]
    severities = Counter(f["severity"] for f in data["findings"])
    extracted: dict[str, Any] = {}
    if result.read is not None:
        try:
            extracted = facts(result.read)
        except Exception as exc:  # noqa: BLE001 - facts are extra; the audit itself stands
            extracted = {"error": f"{type(exc).__name__}: {exc}"}
    rows = []
    for f in data["findings"]:
        loc = f["location"]
        rows.append({
            "path": loc["path"], "hash": digest, "id": f["id"], "rule": f["rule"], "severity": f["severity"],
            "score": float(f["score"]), "rank": f["rank"], "group": f["group"], "group_lead": bool(f["group_lead"]),
            "line": loc.get("line"), "page": loc.get("page"), "table": loc.get("table"), "row": loc.get("row"),
            "column": loc.get("column"), "expected": f["expected"], "actual": f["actual"],
            "difference": f["difference"], "suggestion": f["suggestion"], "title": f["title"],
            "message": f["message"], "evidence": json.dumps(f["evidence"], ensure_ascii=False, sort_keys=True),
        })
    return {
        "doc": {"path": result.path, "hash": digest, "kind": doc["kind"], "year": doc["year"], "issuer": doc["issuer"],
                "tables": doc["tables"], "observations": doc["observations"], "indicators": doc["indicators"],
                "findings": len(rows), "errors": severities["error"], "warnings": severities["warning"],
                "infos": severities["info"], "error": doc["error"],
                "seconds": round(time.perf_counter() - started, 4),
                "facts": json.dumps(extracted, ensure_ascii=False, sort_keys=True)},
        "findings": rows,
    }


def _hooks() -> dict[str, str]:
    """The test hooks set in the parent, handed to each worker (the forkserver may predate them)."""
    return {name: os.environ[name] for name in HOOKS if os.environ.get(name)}


def _worker_main(conn: Any, memory_mb: int, lang: str, selection: Selection | None,
                 hooks: dict[str, str]) -> None:
    """A local worker: audits the documents it is sent, one at a time, under a memory cap."""
    import resource

    for name in HOOKS:
        os.environ.pop(name, None)
    os.environ.update(hooks)

    if memory_mb > 0:
        cap = memory_mb << 20
        with contextlib.suppress(ValueError, OSError):  # a cap above the hard limit: run uncapped
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        path, digest = task
        started = time.perf_counter()
        try:
            out = audit_one(path, digest, lang, selection)
        except MemoryError:
            out = error_row(path, digest, f"out of memory (worker cap {memory_mb} MB)",
                            time.perf_counter() - started)
            out["retire"] = True
        except Exception as exc:  # noqa: BLE001 - audit_file does not raise; this is the last guard
            out = error_row(path, digest, f"worker error ({type(exc).__name__}: {exc})",
                            time.perf_counter() - started)
        try:
            conn.send(out)
        except MemoryError:
            conn.send(error_row(path, digest, f"out of memory (worker cap {memory_mb} MB)"))
            return
        if out.get("retire"):
            return  # a worker that ran out of memory is replaced, its heap may be fragmented


# --------------------------------------------------------------------------- engines


Task = tuple[str, str]  # (path, content hash)
Deliver = Callable[[dict[str, Any]], None]


class _LocalWorker:
    def __init__(self, ctx: Any, opts: ScanOptions) -> None:
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, opts.memory_mb, opts.lang, opts.selection, _hooks()),
                                daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        self.task: Task | None = None
        self.started = 0.0

    def assign(self, task: Task) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def crashed(self) -> str:
        self.proc.join(timeout=2)  # the pipe may close a moment before the process is reaped
        return f"worker crashed (exit code {self.proc.exitcode})"

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run_local(tasks: Iterable[Task], opts: ScanOptions, deliver: Deliver, tick: Callable[[], None]) -> None:
    """A pool of `opts.jobs` processes, each doing one document at a time, killed and replaced
    when its document hangs past the timeout or takes the process down."""
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(PRELOAD))
    workers = [_LocalWorker(ctx, opts) for _ in range(max(1, opts.jobs))]
    source = iter(tasks)
    exhausted = False
    try:
        while True:
            for index, worker in enumerate(workers):
                if worker.task is None and not exhausted:
                    task = next(source, None)
                    if task is None:
                        exhausted = True
                        break
                    try:
                        worker.assign(task)
                    except OSError:  # the idle worker died; replace it and try again next round
                        worker.stop(kill=True)
                        workers[index] = _LocalWorker(ctx, opts)
                        deliver(error_row(task[0], task[1], "worker unavailable; not audited"))
            busy = [w for w in workers if w.task is not None]
            if not busy:
                break
            now = time.monotonic()
            soonest = min(w.started + opts.timeout for w in busy) - now
            wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=max(0.0, min(soonest, 0.25)))
            now = time.monotonic()
            for index, worker in enumerate(workers):
                if worker.task is None:
                    continue
                path, digest = worker.task
                replace = False
                out: dict[str, Any] | None = None
                if worker.conn.poll():
                    try:
                        out = worker.conn.recv()
                        replace = bool(out.pop("retire", False))
                    except (EOFError, OSError):
                        out = error_row(path, digest, worker.crashed(), now - worker.started)
                        replace = True
                elif not worker.proc.is_alive():
                    out = error_row(path, digest, worker.crashed(), now - worker.started)
                    replace = True
                elif now - worker.started > opts.timeout:
                    out = error_row(path, digest, f"timed out after {opts.timeout:g} s; worker killed",
                                    now - worker.started)
                    replace = True
                if out is None:
                    continue
                worker.task = None
                deliver(out)
                if replace:
                    worker.stop(kill=True)
                    workers[index] = _LocalWorker(ctx, opts)
            tick()
    finally:
        for worker in workers:
            worker.stop(kill=worker.task is not None)


RESTART_KEY = "_restart"  # in a timed-out Dask row: its worker's address; run_dask pops it before delivery


def _worker_address() -> str | None:
    """The address of the Dask worker running the current task; None outside a worker."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return None


def _audit_with_timeout(path: str, digest: str, lang: str, selection: Selection | None,
                        timeout: float) -> dict[str, Any]:
    """The Dask task: `audit_one` in a thread, so a hung document is reported after `timeout`.

    A thread cannot be killed, so a timed-out row carries its worker's address under
    RESTART_KEY: `run_dask` restarts that worker, which ends the thread with its process."""
    import threading

    box: dict[str, Any] = {}

    def target() -> None:
        started = time.perf_counter()
        try:
            box["out"] = audit_one(path, digest, lang, selection)
        except MemoryError:
            box["out"] = error_row(path, digest, "out of memory", time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001
            box["out"] = error_row(path, digest, f"worker error ({type(exc).__name__}: {exc})",
                                   time.perf_counter() - started)

    thread = threading.Thread(target=target, daemon=True, name=f"audit {path}")
    thread.start()
    thread.join(timeout)
    if "out" not in box:
        out = error_row(path, digest, f"timed out after {timeout:g} s", timeout)
        out[RESTART_KEY] = _worker_address()
        return out
    return box["out"]


def _wait_dropped(client: Any, key: str, limit: float = 10.0) -> None:
    """Wait until no worker holds the (released) result `key`.

    A result still wanted when its worker goes is recomputed elsewhere: restarting the worker
    of a timed-out document before the release reaches the scheduler (it travels on another
    connection than the restart request) would start the hang again, where nobody ends it."""
    deadline = time.monotonic() + limit
    # all keys: who_has refuses a released future; in flight are only a few `slots` of them
    while client.who_has().get(key) and time.monotonic() < deadline:
        time.sleep(0.01)


def _restart_worker(client: Any, key: str, address: str | None) -> bool:
    """Restart the worker at `address` through its Nanny; False when that is not possible
    (no Nanny, the worker already gone, the scheduler unreachable)."""
    if not address:
        return False
    try:
        _wait_dropped(client, key)
        status = client.restart_workers([address], raise_for_error=False)
    except Exception:  # noqa: BLE001 - ValueError without a Nanny; the scan goes on either way
        return False
    return status.get(address) == "OK"


def _end_hung_thread(client: Any, key: str, out: dict[str, Any]) -> None:
    """For a timed-out row: restart its worker to end the thread, and say in the row whether it ended."""
    address = out.pop(RESTART_KEY)
    if _restart_worker(client, key, address):
        note = "worker restarted"
    else:
        note = "worker could not be restarted, the thread runs on"
    out["doc"]["error"] = f"{out['doc']['error']}; {note}"


def run_dask(tasks: Iterable[Task], opts: ScanOptions, deliver: Deliver, tick: Callable[[], None]) -> None:
    """Submit documents to a Dask cluster (an existing one at `opts.scheduler`, or a LocalCluster
    on 127.0.0.1), keeping a bounded number in flight so memory stays flat."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if opts.scheduler:
        client = Client(opts.scheduler)
    else:
        # env: the test hooks reach the workers, restarted ones included, whatever the start method;
        # preload: a fresh (or restarted) worker does not spend its first document's timeout on imports
        cluster = LocalCluster(n_workers=max(1, opts.jobs), threads_per_worker=1, host="127.0.0.1",
                               processes=True, dashboard_address=None, env=_hooks(), preload=list(PRELOAD),
                               memory_limit=f"{opts.memory_mb}MB" if opts.memory_mb else 0)
        client = Client(cluster)
    try:
        slots = max(2, 4 * max(1, len(client.scheduler_info().get("workers", {})) or opts.jobs))
        source = iter(tasks)
        pending: dict[Any, Task] = {}
        queue = as_completed()

        def submit() -> bool:
            task = next(source, None)
            if task is None:
                return False
            future = client.submit(_audit_with_timeout, task[0], task[1], opts.lang, opts.selection,
                                   opts.timeout, pure=False, key=f"audit-{task[1]}-{len(pending)}-{time.time_ns()}")
            pending[future] = task
            queue.add(future)
            return True

        for _ in range(slots):
            if not submit():
                break
        for future in queue:
            path, digest = pending.pop(future)
            try:
                out = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker (crash, memory) and the like
                out = error_row(path, digest, f"worker failed ({type(exc).__name__}: {exc})")
            future.release()
            if RESTART_KEY in out:
                # Tasks running or queued on that worker are rescheduled by Dask, and results it
                # held but not yet fetched are recomputed (`result()` waits for them); their
                # futures stay in `pending`, so each still yields one row (a result, or KilledWorker).
                _end_hung_thread(client, future.key, out)
            deliver(out)
            tick()
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- parts (incremental output)


def _schema(columns: list[tuple[str, str]]) -> Any:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in columns])


def _finding_key(row: dict[str, Any]) -> tuple[str, int]:
    return row["path"], row["rank"]


def _document_key(row: dict[str, Any]) -> str:
    return str(row["path"])


def _write_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=_schema(columns))
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
        self.findings.sort(key=_finding_key)
        _write_table(self.findings, FINDING_COLUMNS, self.parts / f"{self.number:06d}-findings.parquet")
        _write_table(self.docs, DOCUMENT_COLUMNS, self.parts / f"{self.number:06d}-docs.parquet")
        self.number += 1
        self.docs, self.findings = [], []


_PART = re.compile(r"^(\d{6})-(docs|findings)\.parquet$")
INDEX = "index.sqlite"
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


def _iter_rows(path: Path, columns: list[str] | None = None, batch_size: int = 32) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path, pre_buffer=False)
    for batch in handle.iter_batches(batch_size=batch_size, columns=columns, use_threads=False):
        yield from batch.to_pylist()


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
                    for row in _iter_rows(parts / f"{number:06d}-docs.parquet", ["path", "hash", "error", "facts"]))
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


# --------------------------------------------------------------------------- progress


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


# --------------------------------------------------------------------------- consolidation


def _crossdoc_findings(index: ScanIndex, lang: str, selection: Selection | None) -> int:
    """Run the cross-document rules department by department (they only ever pair documents of
    one department) and store their rows in the index; how many there are."""
    from auditor.engine import load_rules, rule_module
    from auditor.rank import rank

    crossdoc = rule_module("crossdoc")
    Doc, run_corpus_rules = crossdoc.Doc, crossdoc.run_corpus_rules  # noqa: N806 - the module's class

    disabled = selection.disabled if selection else frozenset()
    specs = load_rules()
    total = 0
    for group in index.departments():
        hashes = {path: digest for path, digest, _ in group}
        docs = []
        for path, _, facts in group:
            try:
                docs.append(Doc(path, json.loads(facts or "{}")))
            except ValueError:
                continue
        findings = run_corpus_rules(docs, disabled)
        if selection:
            for finding in findings:
                finding.severity = selection.severity.get(finding.rule, finding.severity)
        by_path: dict[str, list[Any]] = {}
        for finding in findings:
            by_path.setdefault(finding.location.path, []).append(finding)
        for path in sorted(by_path):
            rows = [_crossdoc_row(f, path, hashes[path], specs[f.rule], lang) for f in rank(by_path[path], {})]
            index.add_crossdoc(rows)
            total += len(rows)
    return total


def _crossdoc_row(f: Any, path: str, digest: str, spec: Any, lang: str) -> dict[str, Any]:
    return {
        "path": path, "hash": digest, "id": f.id, "rule": f.rule, "severity": f.severity,
        "score": float(f.score), "rank": f.rank, "group": f.group, "group_lead": f.group_lead,
        "line": f.location.line, "page": f.location.page, "table": f.location.table,
        "row": f.location.row, "column": f.location.column, "expected": f.expected, "actual": f.actual,
        "difference": f.difference, "suggestion": f.suggestion, "title": spec.title(lang),
        "message": spec.message(lang, f.args),
        "evidence": json.dumps([e.to_json() for e in f.evidence], ensure_ascii=False, sort_keys=True),
    }


class _Sink:
    """Writes rows of one output table in batches: Parquet row groups or CSV chunks."""

    def __init__(self, target: Path, columns: list[tuple[str, str]], fmt: str) -> None:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        self.target, self.fmt = target, fmt
        self.schema = _schema(columns)
        self.tmp = target.with_name(f".{target.name}.tmp")
        if fmt == "csv":
            self.writer: Any = pacsv.CSVWriter(str(self.tmp), self.schema)
        else:
            self.writer = pq.ParquetWriter(str(self.tmp), self.schema)
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        """Drop what was written: a failed consolidation leaves the previous output in place."""
        with contextlib.suppress(Exception):
            self.writer.close()
        self.tmp.unlink(missing_ok=True)


# At most this many sorted inputs are read at once; each holds one decoded row group.
MERGE_FAN_IN = 8

Source = Callable[[], Iterator[dict[str, Any]]]


def _merged(sources: list[Source], key: Callable[[dict[str, Any]], Any], columns: list[tuple[str, str]],
            scratch: Path, name: str) -> Iterator[dict[str, Any]]:
    """The rows of many sorted sources as one sorted stream, never more than MERGE_FAN_IN open at
    once: while there are more, groups of them are merged into temporary sorted runs first (an
    external merge sort), so memory does not grow with the number of parts."""
    runs: list[Path] = []
    level = 0
    try:
        while len(sources) > MERGE_FAN_IN:
            merged: list[Source] = []
            for start in range(0, len(sources), MERGE_FAN_IN):
                target = scratch / f"{MERGE_PREFIX}{name}-{level}-{start // MERGE_FAN_IN:06d}.parquet"
                sink = _Sink(target, columns, "parquet")
                try:
                    for row in heapq.merge(*(source() for source in sources[start:start + MERGE_FAN_IN]), key=key):
                        sink.add(row)
                except BaseException:
                    sink.abort()
                    raise
                sink.close()
                runs.append(target)
                merged.append(lambda target=target: _iter_rows(target))
            sources, level = merged, level + 1
        yield from heapq.merge(*(source() for source in sources), key=key)
    finally:
        for run in runs:
            run.unlink(missing_ok=True)


def consolidate(out: Path, index: ScanIndex, opts: ScanOptions) -> ScanStats:
    """Merge the parts into the final outputs, sorted (documents by path, findings by path and
    rank), adding the cross-document findings. Streams rows; per-document state is on disk."""
    parts = out / PARTS
    numbers = existing_parts(parts)
    crossdoc = _crossdoc_findings(index, opts.lang, opts.selection)
    suffix = "csv" if opts.fmt == "csv" else "parquet"
    stats = ScanStats(total=index.current_count(), crossdoc=crossdoc)

    def kept(number: int, kind: str) -> Source:
        def rows() -> Iterator[dict[str, Any]]:
            for row in _iter_rows(parts / f"{number:06d}-{kind}.parquet"):
                if index.kept_part(row["path"]) == number:
                    yield row
        return rows

    rule_counts: Counter[str] = Counter()
    severity_counts: Counter[str] = Counter()
    cross_rows = index.crossdoc_rows()
    next_cross = next(cross_rows, None)
    last_rank: dict[str, int] = {}

    def write_finding(row: dict[str, Any]) -> None:
        findings_sink.add(row)
        rule_counts[row["rule"]] += 1
        severity_counts[row["severity"]] += 1
        stats.findings += 1

    def write_cross(upto: str | None) -> None:
        # the cross-document findings of a document follow its own, ranked after them
        nonlocal next_cross
        while next_cross is not None and (upto is None or next_cross["path"] < upto):
            next_cross["rank"] += last_rank.get(next_cross["path"], 0)
            write_finding(next_cross)
            next_cross = next(cross_rows, None)

    findings_sink = _Sink(out / f"findings.{suffix}", FINDING_COLUMNS, opts.fmt)
    try:
        sources = [kept(n, "findings") for n in numbers]
        for row in _merged(sources, _finding_key, FINDING_COLUMNS, parts, "findings"):
            write_cross(row["path"])
            if row["path"] not in last_rank:
                last_rank.clear()  # the documents before this one are finished
            last_rank[row["path"]] = row["rank"]
            write_finding(row)
        write_cross(None)
    except BaseException:
        findings_sink.abort()
        raise
    findings_sink.close()

    docs_sink = _Sink(out / f"documents.{suffix}", DOCUMENT_COLUMNS, opts.fmt)
    worst: list[tuple[int, int, str]] = []  # (-errors, -findings, path), trimmed to the top 25 as it grows
    failed: list[tuple[str, str]] = []
    kinds: Counter[str] = Counter()
    try:
        sources = [kept(n, "docs") for n in numbers]
        for row in _merged(sources, _document_key, DOCUMENT_COLUMNS, parts, "docs"):
            if crossdoc:
                extra = index.crossdoc_counts(row["path"])
                row["errors"] += extra["error"]
                row["warnings"] += extra["warning"]
                row["infos"] += extra["info"]
                row["findings"] += sum(extra.values())
            docs_sink.add(row)
            kinds[row["kind"]] += 1
            stats.audited += 1
            if row["error"]:
                stats.failed += 1
                if len(failed) < 50:
                    failed.append((row["path"], row["error"]))
            if row["findings"]:
                worst.append((-row["errors"], -row["findings"], row["path"]))
                if len(worst) > 1000:
                    worst = sorted(worst)[:25]
    except BaseException:
        docs_sink.abort()
        raise
    docs_sink.close()
    summary = _summary(stats, severity_counts, rule_counts, kinds, worst, failed, opts)
    target = out / "summary.md"
    tmp = target.with_name(".summary.md.tmp")
    tmp.write_text(summary, encoding="utf-8")
    os.replace(tmp, target)
    stats.outputs = [str(out / f"findings.{suffix}"), str(out / f"documents.{suffix}"), str(target)]
    return stats


def _summary(stats: ScanStats, severities: Counter[str], rules: Counter[str], kinds: Counter[str],
             worst: list[tuple[int, int, str]], failed: list[tuple[str, str]], opts: ScanOptions) -> str:
    from auditor.engine import load_rules

    specs = load_rules()
    lines = ["# auditor scan: summary", ""]
    lines += ["## Totals", "",
              "| documents | failed to audit | findings | error | warning | info | cross-document |",
              "|---|---|---|---|---|---|---|",
              f"| {stats.audited} | {stats.failed} | {stats.findings} | {severities['error']} | "
              f"{severities['warning']} | {severities['info']} | {stats.crossdoc} |", ""]
    lines += ["Document kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) if kinds else "", ""]
    lines += ["## Documents ranked by errors", "", "| # | document | errors | findings |", "|---|---|---|---|"]
    for position, (errors, findings, path) in enumerate(sorted(worst)[:25], start=1):
        lines.append(f"| {position} | `{path}` | {-errors} | {-findings} |")
    lines += ["", "## Rules ranked by how often they fire", "", "| rule | severity | findings | title |",
              "|---|---|---|---|"]
    for rule_id, count in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        spec = specs.get(rule_id)
        title = spec.title(opts.lang) if spec else ""
        severity = spec.severity if spec else ""
        lines.append(f"| `{rule_id}` | {severity} | {count} | {title} |")
    if failed:
        lines += ["", "## Documents that could not be audited", "", "| document | error |", "|---|---|"]
        lines += [f"| `{path}` | {error} |" for path, error in failed]
        if stats.failed > len(failed):
            lines.append(f"| … | {stats.failed - len(failed)} more in documents.{opts.fmt} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the scan


def scan(root: str, opts: ScanOptions, progress: bool | None = None) -> ScanStats:
    """Scan every supported document under `root` into `opts.out` (see the module doc)."""
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


def read_output(out: str, name: str) -> Any:
    """An output table as a pyarrow Table (tests and benchmarks)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    base = Path(out)
    if (base / f"{name}.parquet").exists():
        return pq.read_table(base / f"{name}.parquet")
    columns = FINDING_COLUMNS if name == "findings" else DOCUMENT_COLUMNS
    options = pacsv.ConvertOptions(column_types=_schema(columns), strings_can_be_null=True)
    return pacsv.read_csv(base / f"{name}.csv", convert_options=options)
