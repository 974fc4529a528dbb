"""Throughput, floor ratio, cold start and scaling of the auditor (issue 20's figures; a script).

    python benchmarks/throughput.py [--docs 200] [--seed 5] [--runs 5] [--shared DIR] [--no-write]

Measured in CPU time (user + system), which a shared, noisy machine disturbs far less than wall
time; wall time is shown beside it. Every figure of one set comes from one run, so ratios compare
like with like.

* **documents per CPU-second**, on the real corpus (`corpus/text`, `corpus/pdf` and `seeds` of the
  shared folder) and on `--docs` generated documents of all kinds (`datasets/generate.py`):
  in one process (`auditor.audit.audit_file`, after warming up on the bundled `datasets/` samples), and with
  `auditor scan DIR --jobs 2` as a fresh process (interpreter start, imports, pool start and the
  workers' CPU included: `os.times()` children time);
* **floor**: the plain read of the same files (read the bytes, decode, split lines, one number
  regex over every line); the report gives audit CPU ÷ floor CPU (text sets only: a PDF has no
  plain-text floor, its row shows the loader's share instead);
* **cold start**: `auditor check SEED_001 --format json` and `auditor --help` as fresh processes,
  median CPU and wall of `--runs`, peak RSS; once as the environment runs it and once with a
  bytecode cache (PYTHONPYCACHEPREFIX in a temp folder, as an installed package has .pyc files);
* **scaling**: one generated budget at 200 … 10,000 table rows: CPU time, the least-squares slope
  (ms per 1,000 rows) and the largest ratio between consecutive sizes of (time ratio ÷ rows
  ratio), which is ≤ 1 for linear work with a fixed start-up part.

Runs this checkout's code (the repository root goes first on sys.path / PYTHONPATH). Writes
`benchmarks/results/throughput.md`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = sorted((ROOT / "datasets").glob("*.txt"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _generator import load_generator  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from auditor.audit import audit_file  # noqa: E402
from auditor.collector import fewer_collections  # noqa: E402
from auditor.load import load  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "throughput.md"
SCALE_ROWS = (200, 500, 1000, 2000, 5000, 10000)
# The floor's one regex: a printed number (digits with thousands separators and decimals).
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# Peak RSS and CPU of one child, read in a fresh wrapper so that earlier children do not count.
WRAPPER = (
    "import os, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "t = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(t, u.ru_utime + u.ru_stime, u.ru_maxrss, code)\n"
)


def default_shared() -> Path:
    """`../shared` beside the repository, or `../../shared` when the checkout is a worktree."""
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared"


def cpu() -> float:
    return time.process_time()


def floor(paths: list[Path]) -> float:
    """CPU seconds to read, decode, split and scan every line of `paths` for numbers once."""
    start = cpu()
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace")
        for line in text.splitlines():
            NUMBER.findall(line)
    return cpu() - start


@dataclass
class SetResult:
    name: str
    docs: int
    size_kb: float
    audit_cpu: float
    audit_wall: float
    load_cpu: float
    floor_cpu: float | None
    scan_cpu: float | None
    scan_wall: float | None
    scan_note: str = ""


def in_process(paths: list[Path]) -> tuple[float, float]:
    """(CPU, wall) seconds auditing `paths` one after the other in this process."""
    # Warm: imports, catalogs, lazy regexes and the readers' first-use set-up happen once per
    # process. The bundled samples (a budget and a self-evaluation, in none of the measured sets)
    # reach the code paths one document of the set would leave cold, without priming the caches
    # keyed by a document's own text.
    for sample in WARM_UP:
        audit_file(str(sample))
    start, wall = cpu(), time.perf_counter()
    with fewer_collections():  # one collector setting for the batch, as `auditor check` and scan workers run
        for path in paths:
            audit_file(str(path))
    return cpu() - start, time.perf_counter() - wall


def load_only(paths: list[Path]) -> float:
    start = cpu()
    for path in paths:
        load(str(path))
    return cpu() - start


def env_with_root(extra: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               AUDITOR_NO_TIMING="1")
    env.update(extra or {})
    for name in drop:
        env.pop(name, None)
    return env


def _session_cpu(sid: int, seen: dict[int, float]) -> None:
    """Record the CPU seconds so far of every process of session `sid` (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the ")": state ppid pgrp session ... utime(12th) stime(13th)
        if int(fields[3]) == sid:
            used = (int(fields[11]) + int(fields[12])) / tick
            seen[int(entry.name)] = max(seen.get(int(entry.name), 0.0), used)


def scan(paths: list[Path], jobs: int) -> tuple[float | None, float | None, str]:
    """(CPU incl. workers, wall, note) of a fresh `auditor scan DIR --jobs N`.

    The workers are children of a forkserver that nobody waits for, so `os.times()` misses them:
    the scan runs in its own session and the CPU of every process of that session is sampled from
    /proc every 20 ms (a process's last < 20 ms can be missed), the scan process itself exactly.
    """
    if not Path("/proc/self/stat").exists():
        return None, None, "needs /proc"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for path in paths:
            shutil.copyfile(path, folder / path.name)
        wall = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "scan", str(folder), "--jobs", str(jobs),
                                 "-o", str(Path(tmp) / "out"), "--quiet"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env_with_root(), cwd=tmp, start_new_session=True)
        seen: dict[int, float] = {}
        while True:
            _session_cpu(proc.pid, seen)
            done = os.wait4(proc.pid, os.WNOHANG)
            if done[0]:
                break
            time.sleep(0.02)
        wall = time.perf_counter() - wall
        _session_cpu(proc.pid, seen)  # the forkserver and workers may outlive the scan process briefly
        code = os.waitstatus_to_exitcode(done[1])
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        proc.returncode = code
    seen.pop(proc.pid, None)
    used = done[2].ru_utime + done[2].ru_stime + sum(seen.values())
    note = "" if code in (0, 1) else f"exit {code}: {stderr.strip()[-80:]}"
    return used, wall, note


def measure_set(name: str, paths: list[Path], jobs: int) -> SetResult:
    text_only = all(p.suffix.lower() != ".pdf" for p in paths)
    audit_cpu, audit_wall = in_process(paths)
    scan_cpu, scan_wall, note = scan(paths, jobs)
    return SetResult(name, len(paths), sum(p.stat().st_size for p in paths) / len(paths) / 1024, audit_cpu, audit_wall,
                     load_only(paths), floor(paths) if text_only else None, scan_cpu, scan_wall, note)


@dataclass
class Cold:
    label: str
    cpu: float
    wall: float
    rss: float
    exits: set[int]


def cold(label: str, argv: list[str], runs: int, env: dict[str, str]) -> Cold:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, env=env,
                             cwd=ROOT, check=True).stdout.split()
        results.append((float(out[0]), float(out[1]), int(out[2]) / 1024, int(out[3])))
    return Cold(label, statistics.median(r[1] for r in results), statistics.median(r[0] for r in results),
                max(r[2] for r in results), {r[3] for r in results})


def cold_starts(seed_file: Path | None, runs: int) -> list[Cold]:
    out = []
    with tempfile.TemporaryDirectory() as cache:
        envs = [("as run here" + (" (PYTHONDONTWRITEBYTECODE: sources compiled at every start)"
                                  if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""), env_with_root()),
                ("with a bytecode cache", env_with_root({"PYTHONPYCACHEPREFIX": cache}, drop=("PYTHONDONTWRITEBYTECODE",)))]
        for how, env in envs:
            commands = [("`auditor --help`", ["--help"])]
            if seed_file:
                commands.append((f"`auditor check {seed_file.name} --format json`",
                                 ["check", str(seed_file), "--format", "json"]))
            for label, args in commands:
                argv = [sys.executable, "-m", "auditor.cli", *args]
                subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, check=False)  # fills the cache
                out.append(cold(f"{label}, {how}", argv, runs, env))
    return out


def scaling(gen: object, seed: int, runs: int, folder: Path) -> list[tuple[int, int, float]]:
    """(requested rows, actual table rows, best CPU seconds) of one budget per size."""
    out = []
    for rows in SCALE_ROWS:
        _, text, _ = gen.make_document(seed, 0, ["budget"], rows, clean=True)  # type: ignore[attr-defined]
        path = folder / f"scale_{rows}.txt"
        path.write_text(text, encoding="utf-8")
        actual = sum(1 for line in text.split("\n") if "\t" in line)
        best = min(_timed(lambda p=path: audit_file(str(p))) for _ in range(runs if rows <= 2000 else 1))
        out.append((rows, actual, best))
    return out


def _timed(func: Callable[[], object]) -> float:
    start = cpu()
    func()
    return cpu() - start


def slope(points: list[tuple[int, int, float]]) -> tuple[float, float]:
    """Least-squares (ms per 1,000 rows, intercept ms) of CPU time against table rows."""
    xs = [p[1] for p in points]
    ys = [p[2] * 1000 for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return b * 1000, my - b * mx


def render(command: str, sets: list[SetResult], colds: list[Cold], scale: list[tuple[int, int, float]],
           jobs: int) -> str:
    lines = ["# Throughput, cold start and scaling", "",
             f"Command: `{command}`  ",
             f"Date: {_dt.datetime.now().isoformat(timespec='minutes')}; Python {platform.python_version()} on "
             f"{platform.machine()}, {os.cpu_count()} CPUs (shared with other work: CPU time is the measure, "
             "wall time is shown beside it).", "",
             "## Documents per CPU-second", "",
             f"One process: `audit_file` on each document after a warm-up on the bundled `datasets/` samples (until 2026-12-03 the warm-up was the set's first document, which left one-time set-up of other kinds of document in the figure), the documents run as one batch under one garbage-collector setting, as `auditor check` and the scan workers run them (since 2026-12-03; before, the threshold was restored after every document). `scan --jobs {jobs}`: a fresh "
             "`auditor scan` process, interpreter start, imports, pool start and its workers' CPU included. "
             "Floor: read, decode, split lines, one number regex per line.", "",
             "| set | documents | mean size | one process: docs/CPU-s | (CPU, wall) | "
             f"`scan --jobs {jobs}`: docs/CPU-s | (CPU, wall) | audit ÷ floor | load share |",
             "|---|---:|---:|---:|---|---:|---|---:|---:|"]
    for s in sets:
        ratio = f"{s.audit_cpu / s.floor_cpu:.0f}×" if s.floor_cpu else "n/a (PDF)"
        scan_rate = f"{s.docs / s.scan_cpu:.1f}" if s.scan_cpu else "—"
        scan_cell = f"{s.scan_cpu:.2f} s, {s.scan_wall:.2f} s" if s.scan_cpu and s.scan_wall else s.scan_note
        if s.scan_note and s.scan_cpu:
            scan_cell += f" ({s.scan_note})"
        lines.append(f"| {s.name} | {s.docs} | {s.size_kb:.1f} KB | {s.docs / s.audit_cpu:.1f} | "
                     f"{s.audit_cpu:.2f} s, {s.audit_wall:.2f} s | {scan_rate} | {scan_cell} | {ratio} | "
                     f"{100 * s.load_cpu / s.audit_cpu:.0f}% |")
    lines += ["", "## Cold start", "",
              "Fresh processes (`python -m auditor.cli`), median of the runs; peak RSS is the largest.", "",
              "| command | CPU | wall | peak RSS | exit |", "|---|---:|---:|---:|---|"]
    for c in colds:
        lines.append(f"| {c.label} | {c.cpu * 1000:.0f} ms | {c.wall * 1000:.0f} ms | {c.rss:.0f} MiB | "
                     f"{', '.join(map(str, sorted(c.exits)))} |")
    per_k, intercept = slope(scale)
    lines += ["", "## Time against table rows", "",
              "One generated budget (`make_document(..., rows=N, clean=True)`), in process, best CPU time.", "",
              "| --rows | table rows | CPU | ms per 100 rows | time ratio ÷ rows ratio to the previous size |",
              "|---:|---:|---:|---:|---:|"]
    worst = 0.0
    for k, (rows, actual, seconds) in enumerate(scale):
        growth = ""
        if k:
            prev = scale[k - 1]
            excess = (seconds / prev[2]) / (actual / prev[1])
            worst = max(worst, excess)
            growth = f"{excess:.2f}"
        lines.append(f"| {rows:,} | {actual:,} | {seconds * 1000:.0f} ms | {seconds * 100_000 / actual:.1f} | {growth} |")
    lines += ["", f"Least-squares slope **{per_k:.0f} ms per 1,000 table rows** (intercept {intercept:.0f} ms); "
              f"largest time ratio ÷ rows ratio between consecutive sizes **{worst:.2f}** (≤ 1: linear).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Throughput, floor ratio, cold start and scaling of the auditor.")
    parser.add_argument("--docs", type=int, default=200, help="generated documents (all kinds)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="runs per cold-start command and scaling size")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--shared", type=Path, default=None, help="the shared folder (default: ../shared)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update benchmarks/results")
    args = parser.parse_args(argv)
    shared = args.shared or default_shared()
    gen = load_generator()
    sets: list[tuple[str, list[Path]]] = []
    for name, folder, pattern in (("real text corpus", shared / "corpus" / "text", "*.txt"),
                                  ("real seeds (full documents)", shared / "seeds", "*.txt"),
                                  ("real PDF corpus", shared / "corpus" / "pdf", "*.pdf")):
        found = sorted(folder.glob(pattern))
        if found:
            sets.append((name, found))
        else:
            print(f"warning: no {pattern} in {folder}; skipped", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generated = gen.generate(folder / "generated", args.seed, args.docs, list(gen.KINDS))
        sets.append((f"generated, all kinds (seed {args.seed})", generated))
        results = [measure_set(name, paths, args.jobs) for name, paths in sets]
        seed_file = next(iter(sorted((shared / "seeds").glob("001_*.txt"))), None)
        colds = cold_starts(seed_file, args.runs)
        scale = scaling(gen, args.seed, args.runs, folder)
    command = "python benchmarks/throughput.py" + (f" {' '.join(argv)}" if argv else " " + " ".join(sys.argv[1:]))
    report = render(command.rstrip(), results, colds, scale, args.jobs)
    print(report)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
