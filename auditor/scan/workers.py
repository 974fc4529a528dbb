"""The local engine: a pool of forkserver processes, one document at a time each, under a memory
cap; a worker whose document hangs past the timeout, crashes it or runs out of memory is killed
and replaced, and the document recorded with its error."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from auditor.collector import fewer_collections
from auditor.scan.document import HOOKS, PRELOAD, Deliver, Task, audit_one, error_row, worker_hooks
from auditor.scan.options import ScanOptions

if TYPE_CHECKING:
    from auditor.engine import Selection


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
    # A worker is a batch of its own: one collector setting for all its documents (see _audit in cli)
    with fewer_collections():
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


class _LocalWorker:
    def __init__(self, ctx: Any, opts: ScanOptions) -> None:
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main,
                                args=(child, opts.memory_mb, opts.lang, opts.selection, worker_hooks()), daemon=True)
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
