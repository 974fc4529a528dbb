"""Time and peak memory of hostile inputs through `auditor check` (a script, not a test).

Each case is generated into a temporary folder and audited in a fresh process
(`python -m auditor.cli check FILE --format json`); the wall time, the peak resident memory of
that process (ru_maxrss of the child) and the exit code are recorded. Cases: a 100 MB sparse
file (size limit), a 40 MB single line with the size limit raised (line limit), a million short
lines, a 10,000-column table (refused by the cells limit, then read with the limit raised), a
400-column table with lost cells (the realigner's cap), and a long grammar-generated document.
Prints a table and writes `benchmarks/results/robustness.md`.

    python benchmarks/robustness.py [--skip-slow]
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


def measure(make: Callable[[Path], dict[str, str]]) -> tuple[float, float, int, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.txt"
        env = {**os.environ, "PYTHONPATH": str(ROOT), **make(path)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "auditor.cli", "check", str(path), "--format", "json",
                               "-o", str(Path(folder) / "out.json")], env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        note = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        return seconds, max(peak, before) / 1024, proc.returncode, note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-slow", action="store_true", help="skip the cases that raise a limit")
    args = parser.parse_args()
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
