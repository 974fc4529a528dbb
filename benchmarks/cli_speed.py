"""Wall time of the `auditor` CLI, interpreter start included (a script, not a test).

Measures `auditor --help` and `auditor check SEED --format json` for every seed in
`../shared/seeds` (relative to the repository root), best of N runs each, using the `auditor`
executable installed next to the running Python (`sys.executable`). A non-zero exit is recorded
as data (exit 1 only means "findings at or above --fail-on"), never a crash. Prints a table and
writes `benchmarks/results/cli_speed.md`.

    python benchmarks/cli_speed.py [--runs 5] [--seeds DIR] [--timeout 120] [--auditor CMD]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
RESULTS = ROOT / "benchmarks" / "results" / "cli_speed.md"


@dataclass
class Timing:
    """The outcome of one benchmarked command."""

    label: str
    best: float | None  # seconds; None when the command could not be run at all
    exit_codes: list[int]
    size: int = 0  # input size in bytes, 0 for commands without input
    note: str = ""


def find_auditor() -> list[str] | None:
    """The command that starts the CLI: the `auditor` script next to sys.executable, else PATH."""
    folder = Path(sys.executable).parent
    for name in ("auditor", "auditor.exe"):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = shutil.which("auditor")
    return [found] if found else None


def measure(label: str, argv: list[str], runs: int, timeout: float, size: int = 0) -> Timing:
    """Best wall time of `argv` over `runs` runs; exit codes and failures are kept as data."""
    times: list[float] = []
    codes: list[int] = []
    note = ""
    for _ in range(runs):
        start = time.perf_counter()
        try:
            proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            codes.append(-1)
            note = f"timed out after {timeout:g} s"
            continue
        except OSError as exc:
            return Timing(label, None, codes, size, f"cannot run: {exc.strerror or exc}")
        times.append(time.perf_counter() - start)
        codes.append(proc.returncode)
        if proc.returncode not in (0, 1) and not note:
            last = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            note = (last[-1] if last else f"exit {proc.returncode}")[:80]
    return Timing(label, min(times) if times else None, codes, size, note)


def render(timings: list[Timing], runs: int, command: list[str] | None, skipped: str) -> str:
    """A Markdown report: one row per command."""
    lines = [
        "# CLI speed",
        "",
        f"- date: {_dt.datetime.now().isoformat(timespec='seconds')}",
        f"- python: {platform.python_version()} ({sys.executable})",
        f"- platform: {platform.platform()}",
        f"- command: {' '.join(command) if command else 'not found'}",
        f"- best of {runs} runs, wall time including interpreter start",
    ]
    if skipped:
        lines.append(f"- {skipped}")
    lines += ["", "| command | input | best (ms) | exit codes | note |", "|---|---:|---:|---|---|"]
    for t in timings:
        best = f"{t.best * 1000:.0f}" if t.best is not None else "—"
        size = f"{t.size / 1024:.1f} KB" if t.size else ""
        codes = ",".join(str(c) for c in sorted(set(t.exit_codes))) or "—"
        lines.append(f"| `{t.label}` | {size} | {best} | {codes} | {t.note.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the best is kept")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed .txt files")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before one run is abandoned")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the Markdown table")
    parser.add_argument("--auditor", default=None,
                        help="the auditor command line to time (default: the `auditor` next to sys.executable, "
                             "else on PATH); e.g. a worktree's wrapper script")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    command = shlex.split(args.auditor) if args.auditor else find_auditor()
    timings: list[Timing] = []
    skipped = ""
    if command is None:
        skipped = "the auditor executable was not found next to sys.executable nor on PATH"
    else:
        timings.append(measure("auditor --help", [*command, "--help"], runs, args.timeout))
        seeds = sorted(args.seeds.glob("*.txt")) if args.seeds.is_dir() else []
        if not seeds:
            skipped = f"no seeds at {args.seeds}: seed runs skipped"
        for seed in seeds:
            timings.append(measure(f"auditor check {seed.name} --format json",
                                   [*command, "check", str(seed), "--format", "json"], runs, args.timeout,
                                   seed.stat().st_size))

    report = render(timings, runs, command, skipped)
    print(report, end="")
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
    except OSError as exc:
        print(f"cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"\nwritten to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
