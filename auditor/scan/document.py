"""One document, audited in a worker (local or Dask): its documents row, its findings rows and its
cross-document facts; the row of a document that could not be audited; the test hooks that make
a document hang, crash or exhaust memory; and what both engines share (Task, Deliver, PRELOAD)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.engine import Selection

HANG_ENV = "AUDITOR_SCAN_TEST_HANG"  # test hook: a document whose path contains this sleeps in the worker
HANG_PID_ENV = "AUDITOR_SCAN_TEST_HANG_PID"  # test hook: ... after appending its process id to this file
CRASH_ENV = "AUDITOR_SCAN_TEST_CRASH"  # test hook: ... kills its worker
HOG_ENV = "AUDITOR_SCAN_TEST_HOG"  # test hook: ... allocates memory until the cap stops it
HOOKS = (HANG_ENV, HANG_PID_ENV, CRASH_ENV, HOG_ENV)
# imported by each worker at start; "auditor.scan" is the whole package (its __init__ imports every
# module); "auditor.scan.preloaded" loads the rules and the catalog
PRELOAD = ("auditor.scan", "auditor.audit", "auditor.result", "checks.crossdoc", "auditor.scan.preloaded")

Task = tuple[str, str]  # (path, content hash)
Deliver = Callable[[dict[str, Any]], None]


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


def worker_hooks() -> dict[str, str]:
    """The test hooks set in the parent, handed to each worker (the forkserver may predate them)."""
    return {name: os.environ[name] for name in HOOKS if os.environ.get(name)}
