"""Speed and memory of the auditor on generated disclosures (a script, not a test).

    python benchmarks/speed.py [--docs 60] [--runs 3] [--seed 5]

Measures, on documents made by `datasets/generate.py` in a temporary folder:

* **cold start**: wall time and peak memory (`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`, read
  in a fresh wrapper process so earlier runs do not count) of `python -m auditor.cli check FILE
  --format json` on one ~80 KB budget disclosure, interpreter start included; best of `--runs`;
* **throughput**: documents per second and ms per table auditing `--docs` documents of all kinds in
  one process (`auditor.audit.audit_file`) and with `--jobs 2` (`auditor.audit.audit_files`,
  pool start included);
* **scaling**: audit time of one budget disclosure generated with `--rows` 10, 100, 1,000 and
  10,000 (the generator's smallest budget has about 120 table rows, so the actual row count is
  reported next to the requested one);
* **floor**: the time to only load and tokenise the same files (`auditor.load.load`), so the
  report states audit time ÷ floor.

Runs this checkout's code (the repository root goes first on sys.path / PYTHONPATH). Writes
`benchmarks/results/speed.md`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _generator import load_generator  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from auditor.audit import audit_file, audit_files  # noqa: E402
from auditor.load import load  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "speed.md"
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "t = time.perf_counter() - t\n"
    "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)



def table_rows(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").split("\n") if "\t" in line)


def best(func: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def cold_start(path: Path, runs: int) -> tuple[float, float, int]:
    """Best wall time (s), peak RSS (MiB) and exit code of a fresh `auditor check` process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    argv = [sys.executable, "-m", "auditor.cli", "check", str(path), "--format", "json"]
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, env=env,
                             cwd=ROOT, check=True).stdout.split()
        results.append((float(out[0]), int(out[1]) / 1024, int(out[2])))
    wall = min(r[0] for r in results)
    return wall, max(r[1] for r in results), results[0][2]


def size_for(gen: Any, folder: Path, target: int) -> Path:
    """A budget disclosure of about `target` bytes (the --rows giving the nearest size)."""
    best_path, best_gap = None, None
    for rows in (600, 900, 1200, 1400, 1600, 2000):
        name, text, _ = gen.make_document(5, 0, ["budget"], rows, clean=True)
        gap = abs(len(text.encode("utf-8")) - target)
        if best_gap is None or gap < best_gap:
            best_gap = gap
            best_path = folder / f"cold_{rows}_{name}"
            best_path.write_text(text, encoding="utf-8")
    assert best_path is not None
    return best_path


def run(docs: int, runs: int, seed: int) -> str:
    gen = load_generator()
    lines = ["# Speed", "", f"Command: `python benchmarks/speed.py --docs {docs} --runs {runs} --seed {seed}`  ",
             f"Date: {_dt.date.today().isoformat()}; Python {platform.python_version()} on {platform.machine()}, "
             f"{os.cpu_count()} CPUs; best of {runs} runs unless said otherwise.", ""]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # cold start
        big = size_for(gen, folder, 80_000)
        wall, rss, code = cold_start(big, runs)
        audit_big = best(lambda: audit_file(str(big)), runs)
        load_big = best(lambda: load(str(big)), runs)
        lines += [
            "## Cold start",
            "",
            "| document | size | table rows | `auditor check --format json` wall | peak RSS | exit | "
            "audit in-process | load floor |",
            "|---|---|---|---|---|---|---|---|",
            f"| generated budget | {big.stat().st_size / 1024:.0f} KB | {table_rows(big)} | {wall * 1000:.0f} ms | "
            f"{rss:.0f} MiB | {code} | {audit_big * 1000:.0f} ms | {load_big * 1000:.1f} ms |",
            "",
        ]
        # throughput
        files = [str(p) for p in gen.generate(folder / "mix", seed, docs, list(gen.KINDS))]
        for f in files:  # warm the imports and catalog once
            audit_file(f)
            break
        start = time.perf_counter()
        results = [audit_file(f) for f in files]
        one = time.perf_counter() - start
        tables = sum(len(r.read.tables) for r in results if r.read)
        start = time.perf_counter()
        list(audit_files(files, jobs=2))
        two = time.perf_counter() - start
        start = time.perf_counter()
        for f in files:
            load(f)
        floor = time.perf_counter() - start
        size = sum(Path(f).stat().st_size for f in files) / len(files) / 1024
        lines += [
            "## Throughput",
            "",
            f"{docs} generated documents of all four kinds (mean {size:.1f} KB, {tables} tables), one pass each.",
            "",
            "| mode | wall | documents/s | ms per table |",
            "|---|---|---|---|",
            f"| one process | {one:.2f} s | {docs / one:.1f} | {one * 1000 / max(tables, 1):.2f} |",
            f"| `--jobs 2` (pool start included) | {two:.2f} s | {docs / two:.1f} | {two * 1000 / max(tables, 1):.2f} |",
            f"| load + tokenise only (floor) | {floor:.3f} s | {docs / floor:.0f} | |",
            "",
            f"Audit time ÷ floor (one process): **{one / floor:.0f}×**.",
            "",
        ]
        # scaling
        lines += ["## Scaling with document size", "",
                  "| --rows | actual table rows | size | tables | audit | load floor | audit ÷ floor | ms per 100 rows |",
                  "|---|---|---|---|---|---|---|---|"]
        for rows in (10, 100, 1000, 10000):
            name, text, _ = gen.make_document(seed, 0, ["budget"], rows, clean=True)
            path = folder / f"scale_{rows}_{name}"
            path.write_text(text, encoding="utf-8")
            n_runs = runs if rows <= 1000 else 1
            audit_s = best(lambda p=path: audit_file(str(p)), n_runs)
            load_s = best(lambda p=path: load(str(p)), n_runs)
            result = audit_file(str(path))
            n_rows = table_rows(path)
            n_tables = len(result.read.tables) if result.read else 0
            lines.append(f"| {rows:,} | {n_rows:,} | {path.stat().st_size / 1024:.0f} KB | {n_tables} | "
                         f"{audit_s * 1000:.0f} ms | {load_s * 1000:.1f} ms | {audit_s / load_s:.0f}× | "
                         f"{audit_s * 100_000 / n_rows:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed and memory of the auditor on generated disclosures.")
    parser.add_argument("--docs", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update benchmarks/results")
    args = parser.parse_args(argv)
    report = run(args.docs, args.runs, args.seed)
    print(report)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
