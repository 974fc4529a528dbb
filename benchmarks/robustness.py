"""Time and peak memory of hostile inputs through `auditor check` (a script, not a test).

Each case is generated into a temporary folder and audited in a fresh process
(`python -m auditor.cli check FILE --format json`); the wall time, the peak resident memory of
that process (ru_maxrss of the child) and the exit code are recorded. Cases: a 100 MB sparse
file (size limit), a 40 MB single line with the size limit raised (line limit), a million short
lines, a 10,000-column table (refused by the cells limit, then read with the limit raised), a
400-column table with lost cells (the realigner's cap), and a long grammar-generated document.
Prints a table and writes `benchmarks/results/robustness.md`.

Mutants (issue 22): `--mutants N` also generates N mutants per format (txt, csv, html, xlsx,
pdf) of the bundled sample, each of a kind of tests/hostile_inputs.py (far cells, forged
dimensions, 1e999, huge spans, deep nesting, long lines, 合计 × 49,000, reference rings,
byte flips, truncation…), and audits each in a child forked from one warm process (the same
audit_file + JSON result as `auditor check`): a crash is a child killed by a signal or an
exception escaping the audit; each child's wall time and peak RSS (wait4) are recorded.
Writes `benchmarks/results/robustness_mutants.md`.

    python benchmarks/robustness.py [--skip-slow] [--skip-cases] [--mutants 2000] [--formats txt,csv,html,xlsx,pdf]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "robustness.md"
sys.path.insert(0, str(ROOT))


def _sparse(path: Path) -> dict[str, str]:
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    return {}


def _single_line(path: Path) -> dict[str, str]:
    path.write_bytes("数".encode() * (40 * 1024 * 1024 // 3))
    return {"AUDITOR_MAX_BYTES": str(200 * 1024 * 1024)}


def _many_lines(path: Path) -> dict[str, str]:
    path.write_text("行政运行 1.00 万元\n" * 1_000_000, encoding="utf-8")
    return {"AUDITOR_MAX_LINES": "2000000"}


def _wide(columns: int, raise_limit: bool) -> Callable[[Path], dict[str, str]]:
    def make(path: Path) -> dict[str, str]:
        header = "\t".join(["项目"] + [f"列{i}" for i in range(columns)])
        rows = "\n".join("\t".join([f"行{r}"] + ["1.00"] * columns) for r in range(5))
        path.write_text(f"某表\n单位：万元\n{header}\n{rows}\n", encoding="utf-8")
        return {"AUDITOR_MAX_CELLS": str(columns + 10)} if raise_limit else {}
    return make


def _lost_cells(path: Path) -> dict[str, str]:
    width = 400
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"] + [f"比例{i}" for i in range(width - 5)]
    rows = [header, ["201", "一般公共服务支出", "30", "10", "20"] + ["0"] * (width - 5),
            ["20101", "人大事务", "30", "10", "20"] + ["0"] * (width - 7)]
    path.write_text("2024年一般公共预算支出情况表\n单位：万元\n" + "\n".join("\t".join(r) for r in rows) + "\n",
                    encoding="utf-8")
    return {}


def _grammar(path: Path) -> dict[str, str]:
    from tests.fuzz_grammar import document

    rng = random.Random(12)
    path.write_text("\n".join(document(rng, max_blocks=6) for _ in range(400)), encoding="utf-8")
    return {}


CASES: list[tuple[str, Callable[[Path], dict[str, str]], bool]] = [
    ("100 MB sparse file", _sparse, False),
    ("40 MB single line (size limit raised)", _single_line, True),
    ("1,000,000 short lines (line limit raised)", _many_lines, True),
    ("10,000-column table (default limits)", _wide(10_000, False), False),
    ("1,000-column table (cells limit raised)", _wide(1_000, True), True),
    ("400-column table, row lost 2 cells", _lost_cells, False),
    ("grammar document, 400 blocks of noise", _grammar, False),
]


def _issue22(builder: str) -> Callable[[Path], dict[str, str]]:
    """A row of issue 22's table, built by tests/hostile_inputs.py (it names its own file)."""
    def make(path: Path) -> dict[str, str]:
        from tests import hostile_inputs

        built = getattr(hostile_inputs, builder)(path.parent)
        path.with_name("case.path").write_text(str(built), encoding="utf-8")
        return {}
    return make


ISSUE22 = [
    ("#1 XLSX cells A1 and XFD1048576", "xlsx_far_corner"), ("#1 XLSX row 99,999,999,999", "xlsx_far_row"),
    ("#2 HTML 20 cells colspan=rowspan=1000", "html_spans"), ("#3 PDF MediaBox ring", "pdf_mediabox_cycle"),
    ("#4 HTML <p> of 200,000 digits", "html_long_paragraph"), ("#5 20,000-digit line", "text_long_digits"),
    ("#6 sentence of 2,800 比上年增长 clauses", "text_long_sentence"), ("#7 合计 × 49,000", "text_many_totals"),
    ("#8 lost-cell row × 1,000", "text_lost_cell_rows"), ("#9 CSV 10,000 × 150", "csv_wide"),
    ("#10 XLSX stray cell in XFD", "xlsx_stray_column"), ("#10 XLSX forged <dimension>", "xlsx_forged_dimension"),
    ("#11 300 nested <div>s before a table", "html_deep_table"), ("#15 XLSX cell 1e999", "xlsx_huge_number"),
]
CASES += [(f"issue 22 {name}", _issue22(builder), False) for name, builder in ISSUE22]


def measure(make: Callable[[Path], dict[str, str]]) -> tuple[float, float, int, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.txt"
        env = {**os.environ, "PYTHONPATH": str(ROOT), **make(path)}
        if path.with_name("case.path").exists():
            path = Path(path.with_name("case.path").read_text(encoding="utf-8"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "auditor.cli", "check", str(path), "--format", "json",
                               "-o", str(Path(folder) / "out.json")], env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        note = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        return seconds, max(peak, before) / 1024, proc.returncode, note


MUTANTS = ROOT / "benchmarks" / "results" / "robustness_mutants.md"
FORMATS = ("txt", "csv", "html", "xlsx", "pdf")
KILL_AFTER = 60.0  # a child still running then is killed and counted as a hang


def _bases(folder: Path) -> dict[str, bytes]:
    """The bundled sample in every format, the seeds of the mutants."""
    from tests import format_fixtures as ff

    items = ff.sample_items()
    return {
        "txt": ff.SAMPLE.read_bytes(),
        "csv": ff.csv_release(folder, items)[0].read_bytes(),
        "html": ff.html_text(items).encode("utf-8"),
        "xlsx": ff.write_xlsx(folder / "base.xlsx", items).read_bytes(),
        "pdf": ff.write_pdf(folder / "base.pdf", items).read_bytes(),
    }


def _audit_child(path: str) -> None:
    """In the forked child: what `auditor check FILE --format json` does, then exit 0, or 3 when
    an exception escaped (a traceback in the CLI)."""
    code = 0
    try:
        import json

        from auditor.audit import audit_file
        from auditor.result import build_result

        result = audit_file(path)
        json.dumps(build_result([result], "zh"), ensure_ascii=False, default=str)
    except BaseException:  # noqa: BLE001 - the benchmark counts it
        code = 3
    os._exit(code)


def run_mutant(path: str) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS MB, outcome) of one audit in a forked child; outcome
    is "ok", "crash:…" or "hang". CPU time is what the audit cost on a machine shared with other
    jobs; wall time is what a user waits."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        _audit_child(path)
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() - started > KILL_AFTER:
            os.kill(pid, 9)
            _, status, usage = os.wait4(pid, 0)
            return time.perf_counter() - started, _cpu(usage), usage.ru_maxrss / 1024, "hang"
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    if os.WIFSIGNALED(status):
        return seconds, _cpu(usage), usage.ru_maxrss / 1024, f"crash:signal {os.WTERMSIG(status)}"
    if os.WEXITSTATUS(status) != 0:
        return seconds, _cpu(usage), usage.ru_maxrss / 1024, "crash:exception"
    return seconds, _cpu(usage), usage.ru_maxrss / 1024, "ok"


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def mutants(count: int, formats: list[str]) -> list[str]:
    import random

    from auditor.audit import _catalog
    from auditor.engine import load_rules
    from tests.hostile_inputs import KINDS, mutant

    load_rules()
    _catalog()  # warm: every child starts with the rules and the catalog loaded
    rows = ["| format | mutants | crashes | over 5 s wall | over 5 s CPU | hangs (killed at 60 s) | slowest wall s "
            "| slowest CPU s | peak RSS MB | slowest kind (CPU) |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    details: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        bases = _bases(Path(folder))
        for fmt in formats:
            rng = random.Random(f"issue22-{fmt}")
            crashes = slow = slow_cpu = hangs = 0
            slowest = slowest_cpu = peak = 0.0
            worst = ""
            for index in range(count):
                kind = KINDS[fmt][index % len(KINDS[fmt])]
                path = Path(folder) / f"m{index}.{fmt}"
                try:
                    path.write_bytes(mutant(fmt, bases[fmt], kind, rng))
                except Exception as exc:  # noqa: BLE001 - a mutator that cannot apply: the base as is
                    details.append(f"- {fmt} #{index} {kind}: mutator failed ({exc})")
                    path.write_bytes(bases[fmt])
                seconds, cpu, rss, outcome = run_mutant(str(path))
                crashes += outcome.startswith("crash")
                hangs += outcome == "hang"
                slow += seconds > 5
                slow_cpu += cpu > 5
                if outcome != "ok" or seconds > 5:
                    details.append(f"- {fmt} #{index} {kind}: {outcome}, {seconds:.1f} s wall, {cpu:.1f} s CPU, "
                                   f"{rss:.0f} MB")
                slowest = max(slowest, seconds)
                if cpu > slowest_cpu:
                    slowest_cpu, worst = cpu, kind
                peak = max(peak, rss)
                path.unlink()
            rows.append(f"| {fmt} | {count} | {crashes} | {slow} | {slow_cpu} | {hangs} | {slowest:.2f} | "
                        f"{slowest_cpu:.2f} | {peak:.0f} | {worst} |")
            print(rows[-1], flush=True)
    return rows + ([""] + details if details else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-slow", action="store_true", help="skip the cases that raise a limit")
    parser.add_argument("--skip-cases", action="store_true", help="run only the mutants")
    parser.add_argument("--mutants", type=int, default=0, help="mutants per format (the issue asks 2,000)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    if args.mutants:
        table = mutants(args.mutants, [f for f in args.formats.split(",") if f in FORMATS])
        MUTANTS.parent.mkdir(parents=True, exist_ok=True)
        MUTANTS.write_text("# Robustness: mutants of the sample through the audit (issue 22)\n\n"
                           f"{args.mutants} mutants per format, each audited in a child forked from one warm "
                           f"process; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs shared with other "
                           "jobs, so times are indicative. Targets: 0 crashes, 0 over 5 s, peak under 300 MB.\n\n"
                           + "\n".join(table) + "\n", encoding="utf-8")
    if args.skip_cases:
        return
    rows = ["| case | seconds | peak MB (max so far) | exit | stderr |", "|---|--:|--:|--:|---|"]
    for name, make, slow in CASES:
        if slow and args.skip_slow:
            continue
        seconds, peak, code, note = measure(make)
        rows.append(f"| {name} | {seconds:.2f} | {peak:.0f} | {code} | {note[:90].replace('|', '/')} |")
        print(rows[-1], flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("# Robustness: hostile inputs through `auditor check`\n\n"
                       f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; the machine may be shared, "
                       "so times are indicative.\n\n" + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
