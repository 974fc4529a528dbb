"""Run a risky native parse in a forked child, so that an abort is one error for one file.

A native library (calamine, in Rust) that meets a forged file can abort the whole process
(a failed allocation of a huge grid is SIGABRT): a directory run would die with no report. The
loaders call `isolated` only when a file is risky (a format the pre-checks cannot see into, a
sheet whose XML the pre-scan could not read, a very large used range): the child does the parse
under an address-space cap and sends the result back pickled; a child killed by a signal, or
over the cap, becomes one InputError. Elsewhere (no fork) the function runs in process.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from auditor.load.errors import InputError

T = TypeVar("T")

HEADROOM = 1536 * 1024 * 1024  # address space the child may add to what the parent already maps


def _cap_address_space() -> None:
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (size + HEADROOM, resource.RLIM_INFINITY))
    except Exception:  # noqa: BLE001 - no /proc or no resource: the child runs uncapped
        pass


def _quiet_stderr() -> None:
    import faulthandler

    faulthandler.disable()  # its dump of an abort would go to a copy of stderr
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def isolated(path: str, what: str, func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in a forked child; its InputError is re-raised here, an abort or a failed
    allocation is InputError(path, "... `what` ...")."""
    if not hasattr(os, "fork"):
        return func(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_end)
            _quiet_stderr()  # a native abort prints a backtrace: the parent says it in one line
            _cap_address_space()
            try:
                payload: tuple[str, Any] = ("ok", func(*args))
            except InputError as exc:
                payload = ("error", exc.reason)
            except MemoryError:
                payload = ("error", f"{what} needs more memory than allowed (a forged or huge file?)")
            except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
                payload = ("error", f"{what} failed ({' '.join(str(exc).split())[:160] or type(exc).__name__})")
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - nothing may escape the child
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(pid, 0)
        finished = True
    finally:
        if not finished:  # interrupted (a time budget): the child must not outlive the load
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise InputError(path, f"{what} aborted on this file ({name}): corrupt or forged")
    try:
        kind, value = pickle.loads(data)
    except Exception as exc:  # noqa: BLE001 - a child that died before writing
        raise InputError(path, f"{what} stopped without a result: corrupt or forged") from exc
    if kind == "error":
        raise InputError(path, value)
    return value  # type: ignore[no-any-return]
