"""The Dask engine: documents submitted to a cluster (an existing scheduler or a LocalCluster),
a bounded number in flight; a document that hangs past the timeout is reported from its thread
and its worker restarted through the Nanny, which ends the thread with the process."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from auditor.scan.document import PRELOAD, Deliver, Task, audit_one, error_row, worker_hooks
from auditor.scan.options import ScanOptions

if TYPE_CHECKING:
    from auditor.engine import Selection


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
                               processes=True, dashboard_address=None, env=worker_hooks(),
                               preload=list(PRELOAD), memory_limit=f"{opts.memory_mb}MB" if opts.memory_mb else 0)
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
