"""Command line (DESIGN §4). Heavy modules are imported inside the commands that need them, so
`auditor --help` stays fast. Exit codes: 0 no finding at or above --fail-on; 1 findings at or
above it; 2 usage error or no input could be read.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.collector import FIRST_GENERATION_THRESHOLD

# The command line builds many long-lived objects (modules, rule tables, the read documents) and
# few reference cycles: at the default gen-0 threshold (700) a cold check collects ~140 times for
# nothing, about 5% of its CPU. Collect less often for the whole process (set before click and
# the readers are imported; auditor.collector says why); the older generations keep their ratios.
gc.set_threshold(FIRST_GENERATION_THRESHOLD)

import click  # noqa: E402 - after the collector setting above

from auditor import __version__  # noqa: E402

if TYPE_CHECKING:  # imported for annotations only: `auditor --help` stays fast
    from auditor.config import Config
    from auditor.engine import Selection
    from auditor.model import DocumentResult

FAIL_LEVELS = ("error", "warning", "info", "never")
CHECK_FORMATS = ("text", "json", "md", "html", "sarif", "junit", "xlsx")


def _fail(message: str) -> None:
    click.echo(f"auditor: {message}", err=True)
    sys.exit(2)


def _refuse_special(target: Path, output: str) -> None:
    """A report is a regular file: never replace a device, a FIFO, a socket or a directory (on a
    shared machine `-o /dev/null` replaced by a file breaks every program that uses it)."""
    import stat

    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        _fail(f"cannot write the report to {output}: {exc.strerror or exc}")
    if stat.S_ISDIR(mode):
        _fail(f"cannot write the report to {output}: it is a directory (give a file name)")
    if not stat.S_ISREG(mode):
        _fail(f"refusing to write the report to {output}: not a regular file (a device, FIFO or socket); "
              "use -o - for standard output")


def write_output(text: str | bytes, output: str | None, inputs: list[str]) -> None:
    """Write to stdout (no `-o`, or `-o -`), or atomically to `output` (temp file then rename);
    never over an input, never onto anything but a regular file."""
    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=False)
        return
    # A symlink is followed: what it points to must be a regular file, and is what gets replaced.
    target = Path(output).resolve()
    _refuse_special(target, output)
    for item in inputs:
        if Path(item).exists() and Path(item).resolve() == target:
            _fail(f"refusing to write the report over an input file: {output}")
        if Path(item).is_dir() and target.exists() and target.is_relative_to(Path(item).resolve()):
            from auditor.load import discover

            if target in {found.resolve() for found in discover(item)}:
                _fail(f"refusing to write the report over an input file: {output}")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".auditor-", dir=str(target.parent))
    except OSError as exc:
        _fail(f"cannot write the report to {output}: {exc.strerror or exc} ({target.parent})")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # keep the mode a plain `open` would give (mkstemp makes 0600)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        _fail(f"cannot write the report to {output}: {exc.strerror or exc}")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _Languages(click.Choice):
    """`--lang`: a language of checks/messages/_languages.yaml, read when the option is used or
    shown (so that a new language is a YAML edit, and `auditor --help` reads no catalogue)."""

    def __init__(self) -> None:
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from auditor.messages import language_codes

        return language_codes()


LANGUAGE = _Languages()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def main() -> None:
    """Audit published budget and performance disclosures for inconsistencies.

    \b
    auditor check PATH...        ranked findings (text, json, md, html, sarif, junit, xlsx)
    auditor baseline write PATH  record current findings; later checks report only new ones
    auditor extract PATH         what was recognised, with line numbers
    auditor gx suite KIND        a table kind's Great Expectations suite (gx extra)
    auditor scan DIR             a whole corpus into Parquet/CSV tables and a summary
    auditor rules                every rule with its doc
    auditor explain RULE         one rule in full
    """


def _settings(config_file: str | None) -> Config:
    """The project config: the given file, or the nearest one above the working directory."""
    from auditor.config import ConfigError, load_config

    try:
        config = load_config(config_file)
    except ConfigError as exc:
        _fail(f"config: {exc}")
    for warning in config.warnings:
        click.echo(f"auditor: config: {warning}", err=True)
    return config


def _audit(paths: tuple[str, ...], jobs: int, selection: Selection) -> list[DocumentResult]:
    """Audit the given files and directories; unreadable ones become results with `error`."""
    from auditor.audit import audit_files, display_path, expand
    from auditor.model import DocumentResult

    files, missing = expand(paths)
    results: list[DocumentResult] = [DocumentResult(path=display_path(m), read=None, error="no such file or directory")
                                     for m in missing]
    if not files and not missing:
        _fail("no supported files found in " + ", ".join(paths))
    results.extend(audit_files(files, jobs=jobs, selection=selection))
    for result in results:
        if result.error:
            click.echo(f"auditor: {result.path}: {result.error}", err=True)
    return results


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE (a regular file; - is standard output).")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default=None,
              help="Exit 1 when a finding at or above this severity remains.  [default: error]")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means bad input).")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False),
              help="A previous JSON result or `auditor baseline write` file: its findings are suppressed.")
@click.option("--lang", type=LANGUAGE, default=None, help="Report language.  [default: zh]")
@click.option("--top", type=click.IntRange(min=1),
              help="Show only the N highest-ranked findings (text, md, html, xlsx; json, sarif and junit keep all).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Audit files in N local processes.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file ([tool.auditor] in pyproject.toml, or auditor.toml); default: the nearest one.")
@click.option("--gx", "use_gx", is_flag=True,
              help="Also validate the tables of each kind with its Great Expectations suite (needs the gx extra).")
@click.option("--gx-docs", type=click.Path(file_okay=False), default=None,
              help="With --gx: build Great Expectations Data Docs into DIR (implies --gx).")
@click.option("--ocr/--no-ocr", "use_ocr", default=None,
              help="Read pages without a text layer, and PNG/JPEG images, by OCR (needs the ocr extra; "
                   "config: ocr = \"auto\" | \"always\").")
def check(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str | None, exit_zero: bool,
          baseline: str | None, lang: str | None, top: int | None, jobs: int, config_file: str | None,
          use_gx: bool = False, gx_docs: str | None = None, use_ocr: bool | None = None) -> None:
    """Check disclosures (files or directories) and print ranked findings."""
    from auditor.model import SEVERITY_ORDER
    from auditor.result import build_result, load_baseline
    from reports import HUMAN_FORMATS

    config = _settings(config_file)
    fail_on = fail_on or config.fail_on or "error"
    lang = lang or config.lang or "zh"
    top = top or config.top
    _ocr_settings(use_ocr, config)
    results = _audit(paths, jobs, config.selection())
    if use_gx or gx_docs:
        _gx_validate(results, gx_docs, config.selection())
    suppress: set[str] | None = None
    if baseline:
        try:
            suppress = load_baseline(baseline)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            _fail(f"{baseline}: not a baseline file ({exc})")
    result = build_result(results, lang=lang, baseline=suppress)
    if suppress and not result["summary"]["suppressed"] and _old_baseline(baseline):
        click.echo(f"auditor: {baseline}: none of its ids match: it was written before finding ids became "
                   "content fingerprints (FINGERPRINT_VERSION 2); write it again with `auditor baseline write`",
                   err=True)
    # --top limits what a person reads; json, sarif and junit always carry every finding
    write_output(_render(fmt, result, top if fmt in HUMAN_FORMATS else None, output), output, list(paths))
    if all(r.error for r in results):
        sys.exit(2)
    outcomes = [o.status for r in results for o in r.outcomes]
    if outcomes and all(status == "error" for status in outcomes) and not result["findings"]:
        _fail("no rule could run on any document: every rule raised (see rule_errors in the JSON report)")
    if fail_on != "never" and not exit_zero:
        floor = SEVERITY_ORDER[fail_on]
        if any(SEVERITY_ORDER[f["severity"]] >= floor for f in result["findings"]):
            sys.exit(1)


def _old_baseline(path: str | None) -> bool:
    """A baseline written by `baseline write` before ids were content fingerprints."""
    import json

    from auditor.rank import FINGERPRINT_VERSION

    try:
        data = json.loads(Path(str(path)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "ids" in data and data.get("fingerprint_version") != FINGERPRINT_VERSION


def _render(fmt: str, result: dict, top: int | None, output: str | None) -> str | bytes:
    """The report; text to a terminal fits its width ($COLUMNS when set), text to a pipe or a file
    is not wrapped."""
    from reports import renderer

    if fmt != "text":
        return renderer(fmt)(result, top=top)
    width = None
    if output in (None, "-"):
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:  # the usual override, also when piped
            width = int(columns)
        elif sys.stdout.isatty():
            import shutil

            width = shutil.get_terminal_size((100, 24)).columns
    return renderer(fmt)(result, top=top, width=width)


def _ocr_settings(use_ocr: bool | None, config: Config) -> None:
    """The OCR mode (--ocr / --no-ocr, else the config's `ocr`, else never) for the loaders, which
    read it from the environment (so --jobs workers see it too); the OCR library is not imported."""
    if use_ocr is None:
        ocr_mode = config.ocr or os.environ.get("AUDITOR_OCR", "").strip().lower() or "never"
    else:
        ocr_mode = (config.ocr if config.ocr in ("auto", "always") else "auto") if use_ocr else "never"
    if ocr_mode not in ("never", "auto", "always"):
        _fail(f"AUDITOR_OCR must be never, auto or always, not {ocr_mode!r}")
    os.environ["AUDITOR_OCR"] = ocr_mode
    if ocr_mode == "never":
        return
    from auditor.load.ocr import EXTRA_HINT, available

    if not available():
        _fail(EXTRA_HINT)
    if config.ocr_max_pages is not None:
        os.environ.setdefault("AUDITOR_OCR_MAX_PAGES", str(config.ocr_max_pages))
    if config.ocr_page_timeout is not None:
        os.environ.setdefault("AUDITOR_OCR_PAGE_TIMEOUT", str(config.ocr_page_timeout))


def _gx_validate(results: list[DocumentResult], docs_dir: str | None, selection: Selection) -> None:
    """`check --gx`: the batch validation of auditor.gx.runner (GX is imported only here)."""
    from auditor.gx import GXUnavailable

    try:
        from auditor.gx.runner import validate

        report = validate(results, docs_dir=docs_dir, selection=selection)
    except GXUnavailable as exc:
        _fail(str(exc))
    click.echo(f"auditor: {report.summary()}", err=True)


@main.group()
def gx() -> None:
    """Great Expectations: expectation suites of the standard table kinds (needs the gx extra)."""


@gx.command("suite")
@click.argument("kind")
@click.option("-o", "--output", metavar="FILE", help="Write the suite JSON to FILE (- is standard output).")
@click.option("--decimals", type=click.IntRange(min=0), default=0, show_default=True,
              help="Decimals the release prints: each value may be off by half a unit in the last place "
                   "(0 = whole amounts, compared exactly).")
@click.option("--tolerance", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Extra absolute slack for every row sum, in the release's unit.")
@click.option("--columns", default=None, metavar="ROLE,ROLE...",
              help="The role columns the release prints, when not all of the kind's "
                   "(e.g. total,basic,basic.salary,project); default: all.")
def gx_suite(kind: str, output: str | None, decimals: int, tolerance: float, columns: str | None) -> None:
    """Write the expectation suite of table kind KIND (e.g. budget.expense) as JSON.

    The suite validates a CSV release of that table kind: a `code` column and one column per
    role, named as the catalog's table schema names the roles (total, basic, basic.salary …).
    """
    import json

    from auditor.gx import GXUnavailable

    try:
        from auditor.gx.suites import UnknownKind, suite_json

        per_value = 0.5 * 10.0 ** -decimals if decimals else 0.0
        roles = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
        data = suite_json(kind, per_value_tolerance=per_value, tolerance=tolerance, columns=roles)
    except GXUnavailable as exc:
        _fail(str(exc))
    except UnknownKind as exc:
        _fail(str(exc))
    write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, [])
    if output:
        click.echo(f"auditor: wrote {len(data['expectations'])} expectation(s) for {kind} to {output}", err=True)


@main.group()
def baseline() -> None:
    """Record today's findings so that later checks report only new ones."""


@baseline.command("write")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", metavar="FILE", default="auditor-baseline.json",
              show_default=True, help="The baseline file to write (- is standard output).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file; default: the nearest one.")
def baseline_write(paths: tuple[str, ...], output: str, jobs: int, config_file: str | None) -> None:
    """Write the ids of every current finding to a baseline file (use it with `check --baseline`)."""
    import json

    from auditor.result import build_result

    config = _settings(config_file)
    results = _audit(paths, jobs, config.selection())
    if all(r.error for r in results):
        _fail("no input could be read; baseline not written")
    result = build_result(results, lang=config.lang or "zh")
    ids = sorted({f["id"] for f in result["findings"]})
    from auditor.rank import FINGERPRINT_VERSION

    data = {"tool": result["tool"], "fingerprint_version": FINGERPRINT_VERSION, "ids": ids}
    write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, list(paths))
    click.echo(f"auditor: wrote {len(ids)} finding id(s) to {'standard output' if output == '-' else output}",
               err=True)


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (- is standard output).")
def extract(path: str, fmt: str, output: str | None) -> None:
    """Show what was recognised in one document: tables, numbers, indicators, with line numbers."""
    from auditor.extract import extract_csv, extract_json
    from auditor.load import InputError, load
    from auditor.read import read_document

    try:
        doc = load(path)
    except InputError as exc:
        _fail(str(exc))
    read = read_document(doc)
    text = extract_json(read) if fmt == "json" else extract_csv(read)
    write_output(text, output, [path])


@main.command()
@click.argument("directory", type=click.Path(exists=True))
@click.option("-o", "--output", "out", metavar="DIR", default="auditor-scan", show_default=True,
              help="Output folder: findings, documents, summary.md (and .parts/ to resume from).")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="CPU count",
              help="Worker processes (local) or LocalCluster workers (dask).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", metavar="ADDR", help="An existing Dask scheduler (tcp://host:port); implies --engine dask.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds one document may take before its worker is killed and it is recorded as failed.")
@click.option("--memory-limit", "memory_mb", type=click.IntRange(min=0), default=4096, show_default=True,
              help="Per-worker memory cap in MB (0 = none); a document that exceeds it is recorded as failed.")
@click.option("--retry-failed", is_flag=True,
              help="Audit again the documents an earlier run of this OUT could not audit (crash, timeout, memory).")
@click.option("--quiet", is_flag=True, help="No progress bar (it is off anyway when stderr is not a terminal).")
@click.option("--lang", type=LANGUAGE, default=None, help="Message language.  [default: zh]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file; default: the nearest one.")
def scan(directory: str, out: str, jobs: int, engine: str, scheduler: str | None, fmt: str, timeout: float,
         memory_mb: int, retry_failed: bool, quiet: bool, lang: str | None, config_file: str | None) -> None:
    """Audit a whole corpus into tables (Parquet or CSV) and a summary; resumable (DESIGN §2)."""
    from auditor.scan import ScanOptions
    from auditor.scan import scan as run_scan

    config = _settings(config_file)
    if scheduler:
        engine = "dask"
    if engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            _fail("--engine dask needs the dask extra: pip install 'disclosure-auditor[dask]'")
    if Path(out).resolve() == Path(directory).resolve() or Path(directory).resolve() in Path(out).resolve().parents:
        _fail("the output folder must not be inside the corpus")
    from auditor.scan import walk

    if next(walk(directory), None) is None:
        _fail(f"no supported files found in {directory}")
    opts = ScanOptions(out=out, jobs=jobs, engine=engine, scheduler=scheduler, fmt=fmt, timeout=timeout,
                       memory_mb=memory_mb, retry_failed=retry_failed, quiet=quiet, lang=lang or config.lang or "zh",
                       selection=config.selection())
    _writable_folder(out)
    try:
        stats = run_scan(directory, opts)
    except OSError as exc:  # the disk filled or the folder became read-only mid-run
        _fail(f"scan: cannot write to {out}: {exc.strerror or exc}")
    if not quiet:
        click.echo(f"auditor: scanned {stats.total} document(s) ({stats.skipped} already done) in "
                   f"{stats.seconds:.1f} s: {stats.findings} finding(s), {stats.crossdoc} cross-document, "
                   f"{stats.failed} failed to audit; wrote " + ", ".join(stats.outputs), err=True)


def _writable_folder(out: str) -> None:
    """`scan -o`: a folder (made when missing) the run can write into; anything else is one line."""
    target = Path(out)
    if target.exists() and not target.is_dir():
        _fail(f"scan: the output {out} exists and is not a folder (give a folder name)")
    try:
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=str(target)):
            pass
    except OSError as exc:
        _fail(f"scan: cannot write to the output folder {out}: {exc.strerror or exc}")


@main.command()
def rules() -> None:
    """List every rule with its severity, title and the first paragraph of its doc."""
    from auditor.engine import load_rules

    for spec in load_rules().values():
        first = spec.doc.split("\n\n", 1)[0].replace("\n", " ")
        first = " ".join(first.split())
        click.echo(f"{spec.id}  [{spec.severity}]  {spec.title('zh')} / {spec.title('en')}")
        click.echo(f"    {first}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print one rule in full: what it checks, why it matters, its messages and examples."""
    from auditor.engine import get_rule, load_rules

    spec = get_rule(rule_id)
    if spec is None:
        known = ", ".join(load_rules())
        _fail(f"unknown rule {rule_id!r}; known rules: {known}")
    from auditor.explain import explain_text

    click.echo(explain_text(spec), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
