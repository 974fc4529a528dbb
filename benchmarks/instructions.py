"""Instructions per audit pass, counted by valgrind: a speed comparison that machine noise does not move.

On a shared machine, CPU time of the same code varies by ±7% from run to run, and which of two
paired runs goes first shifts it by as much (measured on this project's 2-core machine): a 3%
speed change cannot be seen in time. The number of instructions the CPU executes (valgrind's
callgrind `Ir`) is the same on every run of the same code and input, and it is what a speed
change changes. It is not a time: cache misses and branch mispredictions are not in it, so a
change is confirmed in time too (benchmarks/throughput.py) before it is published as one.

    python benchmarks/instructions.py [--tree DIR ...] [--files GLOB] [--cold FILE] [--no-write]

For each tree (a checkout or worktree of this project; default this one): the instructions of
one in-process pass over the files as benchmarks/throughput.py measures it — after a warm-up on
the tree's bundled `datasets/` samples, the files audited once each as one batch (one collector
setting, as `auditor check` runs them): Ir(warm-up and pass) − Ir(warm-up), so that interpreter
start, imports and first-use loading are not counted, but the first reading of each document's
own cells is (until 2026-12-03 the figure was a second round over the same files, which the
readers' caches keyed by a cell's text made cheaper than any user's run); PYTHONHASHSEED is fixed,
so set and dict orders do not move the count; and, with `--cold`, the instructions of one cold
`python -m auditor.cli check FILE --format json` (everything a user's single check costs). Trees
are measured two at a time (valgrind runs one core each). Results go to
benchmarks/results/instructions.md. valgrind must be installed (`apt-get install valgrind`);
without it the script says so and exits 2.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "instructions.md"
PASS = (
    "import glob, sys\n"
    "from auditor.audit import audit_file\n"
    "from auditor.collector import fewer_collections\n"
    "for sample in sorted(glob.glob('datasets/*.txt')):\n"
    "    audit_file(sample)\n"
    "if sys.argv[2] == 'pass':\n"
    "    with fewer_collections():\n"
    "        for f in sorted(glob.glob(sys.argv[1])):\n"
    "            audit_file(f)\n"
)
COLLECTED = re.compile(r"Collected : (\d+)")


def default_shared() -> Path:
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared"


def instructions(tree: Path, argv: list[str]) -> int:
    """Instructions valgrind counts for `python argv…` with `tree` first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *argv],
        env=env, cwd=tree, capture_output=True, text=True, check=False)
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 and not found:
        raise SystemExit(f"instructions: valgrind failed in {tree}: {done.stderr.strip().splitlines()[-1:]}")
    if not found:
        raise SystemExit(f"instructions: no instruction count in valgrind's output for {tree}")
    return int(found.group(1))


def first_pass(tree: Path, files: str) -> int:
    warm = instructions(tree, ["-c", PASS, files, "warm-up only"])
    both = instructions(tree, ["-c", PASS, files, "pass"])
    return both - warm


def cold(tree: Path, document: str) -> int:
    # exit code 1 (findings at the --fail-on level) is a successful check
    return instructions(tree, ["-m", "auditor.cli", "check", document, "--format", "json", "--fail-on", "never"])


def revision(tree: Path) -> str:
    done = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h %s"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip()[:80] if done.returncode == 0 else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, help="a checkout to measure (repeatable; default: this one)")
    parser.add_argument("--files", help="documents of the pass (a glob; default: the shared seeds)")
    parser.add_argument("--cold", help="also count one cold `auditor check` of this document")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update benchmarks/results")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    trees = [t.resolve() for t in (args.tree or [ROOT])]
    files = args.files or str(default_shared() / "seeds" / "*")
    jobs: list[tuple[Path, str]] = [(t, "pass") for t in trees] + ([(t, "cold") for t in trees] if args.cold else [])

    def measure(job: tuple[Path, str]) -> int:
        tree, kind = job
        return first_pass(tree, files) if kind == "pass" else cold(tree, args.cold)

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(zip(jobs, pool.map(measure, jobs), strict=True))
    lines = [
        "# Instructions per audit pass",
        "",
        f"Command: `python benchmarks/instructions.py {' '.join(argv if argv is not None else sys.argv[1:])}`  ",
        f"Date: {datetime.datetime.now().isoformat(timespec='minutes')}; valgrind callgrind `Ir`; "
        f"pass: `audit_file` on each of `{files}` once, after a warm-up on `datasets/`" + (f"; cold: `auditor check {args.cold} --format json`" if args.cold else ""),
        "",
        "| tree | revision | instructions per pass | ÷ first | cold check | ÷ first |",
        "|---|---|---:|---:|---:|---:|",
    ]
    first_pass_count = counts[(trees[0], "pass")]
    first_cold = counts.get((trees[0], "cold"))
    for tree in trees:
        r = counts[(tree, "pass")]
        c = counts.get((tree, "cold"))
        cold_cells = f"{c:,} | {c / first_cold:.3f}" if c is not None and first_cold else " | "
        lines.append(f"| {tree} | {revision(tree)} | {r:,} | {r / first_pass_count:.3f} | {cold_cells} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
