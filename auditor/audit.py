"""Audit one document or many: load -> read -> check, with per-document errors kept, never raised."""

from __future__ import annotations

import sys
import time
import types
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor.collector import fewer_collections
from auditor.engine import OverBudget, Selection, budget, run_rules, time_budget
from auditor.load import InputError, discover, load
from auditor.model import DocumentResult
from auditor.read import read_document


def _catalog() -> object | None:
    try:
        from auditor.catalog import load_catalog  # type: ignore[attr-defined]
    except ImportError:
        return None
    return load_catalog()


def prepare() -> None:
    """Load once what every audit needs: the rule modules and the packaged catalog. A process
    that forks workers calls it first, so that each worker starts with them (about 30 ms of a
    worker's first document otherwise, per worker)."""
    from auditor.engine import load_rules

    load_rules()
    _catalog()


def display_path(path: str) -> str:
    """`path` as reports can print it: a file name that is not valid UTF-8 (decoded by Python
    with lone surrogates) gets its bad bytes written as `\\xff`, so no encoder ever fails on it."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def audit_file(path: str, selection: Selection | None = None) -> DocumentResult:
    """Audit one file. A file that cannot be read is a result with `error`, not an exception."""
    with fewer_collections():
        return _audit_file(path, selection)


def _audit_file(path: str, selection: Selection | None) -> DocumentResult:
    started = time.perf_counter()
    name = display_path(path)
    seconds = budget("AUDITOR_READ_SECONDS")
    try:
        with time_budget(seconds, "reading the document"):  # loading and reading, one budget
            try:
                doc = load(path)
            except InputError as exc:
                return DocumentResult(path=name, read=None, error=exc.reason, seconds=time.perf_counter() - started)
            doc.path = name
            read = read_document(doc)
    except OverBudget as exc:
        return DocumentResult(path=name, read=None, error=f"{exc} (set AUDITOR_READ_SECONDS to raise the budget)",
                              seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - an unexpected layout must not stop a directory run
        return DocumentResult(path=name, read=None, error=f"could not read the layout ({type(exc).__name__}: {exc})",
                              seconds=time.perf_counter() - started)
    findings, outcomes, stats = run_rules(read, _catalog(), selection)
    if any(line.ocr for line in doc.lines):  # findings on OCR'd pages say so (and cite the page crop)
        from auditor.load.ocr_marks import mark_findings

        mark_findings(findings, doc, path)
    return DocumentResult(path=name, read=read, findings=findings, outcomes=outcomes,
                          seconds=time.perf_counter() - started, rate_stats=stats)


def expand(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Files to audit from the given paths (directories searched recursively) and missing paths."""
    files: list[str] = []
    missing: list[str] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            missing.append(raw)
        elif p.is_dir():
            files.extend(str(f) for f in discover(p))
        else:
            files.append(str(p))
    return files, missing


def audit_files(files: list[str], jobs: int = 1, selection: Selection | None = None) -> Iterator[DocumentResult]:
    """Audit files in order; with jobs > 1 in a local process pool (results keep input order)."""
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield audit_file(path, selection)
        return
    # The pool machinery (multiprocessing, ~20 ms to import) only when there is a pool to run.
    from concurrent.futures import ProcessPoolExecutor

    prepare()  # before the pool forks its workers
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(audit_file, files, [selection] * len(files), chunksize=1)


def document_total(result: DocumentResult) -> Decimal | None:
    """The largest amount printed in the document's tables, in 元: the yardstick for materiality."""
    if result.read is None:
        return None
    from auditor.numbers import to_base

    best = Decimal(0)
    for table in result.read.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.number is not None and cell.number.unit in ("元", "万元", "亿元", ""):
                    unit = cell.number.unit or table.unit or "元"
                    value = abs(to_base(type(cell.number)(cell.number.value, cell.number.decimals, unit)))
                    best = max(best, value)
    return best or None


# --------------------------------------------------------------------------- Python API


class AuditResult(dict):  # type: ignore[type-arg]
    """The run result of DESIGN §5 — the very dict `auditor check --format json` writes — with a
    few conveniences. `json.dumps(result)` is the JSON report; `result.render("html")` any other."""

    @property
    def findings(self) -> list[dict]:
        return list(self["findings"])

    @property
    def documents(self) -> list[dict]:
        return list(self["documents"])

    @property
    def summary(self) -> dict:
        return dict(self["summary"])

    def errors(self) -> list[dict]:
        """The error-level findings, in rank order."""
        return [f for f in self["findings"] if f["severity"] == "error"]

    def to_json(self) -> str:
        """The JSON report, byte for byte what `auditor check --format json` prints."""
        from reports import renderer

        return str(renderer("json")(dict(self)))

    def render(self, fmt: str = "text", top: int | None = None) -> str | bytes:
        """The report in `fmt` (text, json, md, html, sarif, junit, xlsx — xlsx as bytes)."""
        from reports import renderer

        return renderer(fmt)(dict(self), top=top)  # type: ignore[no-any-return]


def audit(*paths: str | Path, lang: str | None = None, baseline: str | Path | None = None, jobs: int = 1,
          config: str | Path | None = None) -> AuditResult:
    """Audit files or directories and return the result `auditor check --format json` is made of.

    `from auditor import audit; result = audit("budget.pdf")`. Settings are the CLI's: the
    nearest config file (or `config`), `lang` ("zh" default, or "en"), a `baseline` file whose
    findings are suppressed. A file that cannot be read is a document with `error` (and
    `coverage.status` "not_audited"), never an exception; a bad config or baseline raises
    ValueError, and no path at all raises TypeError.
    """
    from auditor.config import load_config
    from auditor.result import build_result, load_baseline

    if not paths:
        raise TypeError("audit() needs at least one file or directory")
    settings = load_config(config)
    files, missing = expand(str(p) for p in paths)
    results = [DocumentResult(path=display_path(m), read=None, error="no such file or directory") for m in missing]
    results.extend(audit_files(files, jobs=jobs, selection=settings.selection()))
    suppress = load_baseline(str(baseline)) if baseline else None
    return AuditResult(build_result(results, lang=lang or settings.lang or "zh", baseline=suppress))


class _CallableModule(types.ModuleType):
    """`auditor.audit` is this module (its helpers are imported as `auditor.audit.audit_file`)
    and, called, the API function: `from auditor import audit; audit("budget.pdf")` works
    whichever of the two the name is bound to."""

    def __call__(self, *paths: str | Path, **options: Any) -> AuditResult:
        return audit(*paths, **options)


sys.modules[__name__].__class__ = _CallableModule
