"""Byte-for-byte comparison of the auditor's JSON output before and after a change (a script).

A speed change must not change what the auditor reports. This script records the full JSON
(`auditor check FILE --format json --fail-on never`, with AUDITOR_NO_TIMING=1 so `seconds` is 0)
of every input document into a folder, one JSON per input, and compares two such folders:

    python benchmarks/compare_outputs.py write OUT_DIR [--auditor CMD] [--shared DIR] [--jobs N]
    python benchmarks/compare_outputs.py compare BEFORE_DIR AFTER_DIR
    python benchmarks/compare_outputs.py both BEFORE_CMD AFTER_CMD [--out DIR]   # write twice, compare

Inputs: `seeds/`, `corpus/text/` and `corpus/pdf/` of the shared folder (default `../shared`
beside the repository root, else `../../shared` for a git worktree one level deeper) and this
repository's `datasets/`. Every document (by suffix) in those folders is checked; notes, keys and
scripts are not. `--auditor` is a command line (split like a shell would), default the `auditor`
on PATH. Each run uses an empty temporary working directory, so no nearby config file applies.

`compare` prints one line per input: `identical` or `different` with a short summary (findings
added or removed per rule, changed rule outcomes, other changed fields), and exits 1 when any
input differs or exists on one side only, 0 when all are byte-identical.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Documents the auditor reads; ".md" and suffix-less files are text too, but in these folders
# they are notes, not disclosures.
DOCUMENT_SUFFIXES = {".txt", ".text", ".pdf", ".xlsx", ".xls", ".html", ".htm", ".csv", ".tsv"}
SHARED_FOLDERS = ("seeds", "corpus/text", "corpus/pdf")


def default_shared() -> Path:
    """`../shared` beside the repository, or `../../shared` when the checkout is a worktree."""
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared"


def inputs(shared: Path) -> list[tuple[str, Path]]:
    """(output name, document) for every input, in a stable order."""
    folders = [(f"{name.replace('/', '_')}", shared / name) for name in SHARED_FOLDERS]
    folders.append(("datasets", ROOT / "datasets"))
    found = []
    for prefix, folder in folders:
        if not folder.is_dir():
            print(f"warning: {folder} not found; skipped", file=sys.stderr)
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES:
                found.append((f"{prefix}__{path.name}", path.resolve()))
    return found


def run_one(command: list[str], path: Path, out: Path, name: str, lang: str = "") -> str:
    """Write OUT/NAME.json (stdout) and, on a non-zero exit, OUT/NAME.exit (code and stderr)."""
    env = dict(os.environ, AUDITOR_NO_TIMING="1")
    language = ["--lang", lang] if lang else []
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.run([*command, "check", str(path), "--format", "json", "--fail-on", "never", *language],
                              capture_output=True, env=env, cwd=cwd, check=False)
    (out / f"{name}.json").write_bytes(proc.stdout)
    exit_file = out / f"{name}.exit"
    if proc.returncode != 0:
        exit_file.write_bytes(f"exit {proc.returncode}\n".encode() + proc.stderr)
    elif exit_file.exists():
        exit_file.unlink()
    return f"{name}: exit {proc.returncode}"


def write(out: Path, command: list[str], shared: Path, jobs: int, lang: str = "") -> int:
    """Record the JSON of every input into `out` (emptied first)."""
    if shutil.which(command[0]) is None and not Path(command[0]).is_file():
        print(f"error: auditor command not found: {command[0]}", file=sys.stderr)
        return 2
    docs = inputs(shared)
    if not docs:
        print(f"error: no input documents under {shared} or {ROOT / 'datasets'}", file=sys.stderr)
        return 2
    if out.exists():
        for old in list(out.glob("*.json")) + list(out.glob("*.exit")):
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for line in pool.map(lambda item: run_one(command, item[1], out, item[0], lang), docs):
            if not line.endswith("exit 0"):
                print(line, file=sys.stderr)
    print(f"wrote {len(docs)} outputs to {out}")
    return 0


def _load(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def _finding_key(finding: dict[str, Any]) -> str:
    return str(finding.get("rule", "?"))


def summarize(before: bytes, after: bytes) -> str:
    """What changed between two outputs of one input, in one short line."""
    a, b = _load(before), _load(after)
    if not isinstance(a, dict) or not isinstance(b, dict):
        lines_a, lines_b = before.splitlines(), after.splitlines()
        return f"not both JSON ({len(lines_a)} vs {len(lines_b)} lines)"
    parts = []
    rules_a = Counter(_finding_key(f) for f in a.get("findings", []))
    rules_b = Counter(_finding_key(f) for f in b.get("findings", []))
    added = rules_b - rules_a
    removed = rules_a - rules_b
    if added:
        parts.append("added " + ", ".join(f"{rule}×{n}" for rule, n in sorted(added.items())))
    if removed:
        parts.append("removed " + ", ".join(f"{rule}×{n}" for rule, n in sorted(removed.items())))
    if not added and not removed and a.get("findings") != b.get("findings"):
        changed = sum(1 for x, y in zip(a.get("findings", []), b.get("findings", []), strict=False) if x != y)
        parts.append(f"{changed} findings changed in place (same rules and counts)")
    outcomes_a = _outcomes(a)
    outcomes_b = _outcomes(b)
    moved = [f"{rule} {outcomes_a.get(rule, '-')}→{outcomes_b.get(rule, '-')}"
             for rule in sorted(set(outcomes_a) | set(outcomes_b)) if outcomes_a.get(rule) != outcomes_b.get(rule)]
    if moved:
        parts.append("outcomes " + ", ".join(moved[:6]) + (f" (+{len(moved) - 6})" if len(moved) > 6 else ""))
    others = [key for key in sorted(set(a) | set(b)) if key != "findings" and a.get(key) != b.get(key)]
    if others:
        parts.append("fields " + ", ".join(others))
    return "; ".join(parts) or "same JSON value, different bytes (order or formatting)"


def _outcomes(data: dict[str, Any]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for doc in data.get("documents", []):
        for rule, outcome in (doc.get("outcomes") or {}).items():
            merged[rule] = outcome
    return merged


def compare(before: Path, after: Path) -> int:
    """Print identical/different per input; 1 when anything differs."""
    for folder in (before, after):
        if not folder.is_dir():
            print(f"error: {folder} is not a folder", file=sys.stderr)
            return 2
    names = sorted({p.name for p in before.iterdir() if p.suffix in (".json", ".exit")}
                   | {p.name for p in after.iterdir() if p.suffix in (".json", ".exit")})
    different = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            different += 1
            print(f"different  {name}: only in {before if a.exists() else after}")
            continue
        data_a, data_b = a.read_bytes(), b.read_bytes()
        if data_a == data_b:
            print(f"identical  {name}")
        else:
            different += 1
            detail = summarize(data_a, data_b) if name.endswith(".json") else "exit code or stderr differ"
            print(f"different  {name}: {detail}")
    print(f"{len(names) - different} identical, {different} different, of {len(names)} outputs")
    return 1 if different else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record and compare the auditor's JSON output on every input.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_write = sub.add_parser("write", help="record the JSON of every input into OUT")
    p_write.add_argument("out", type=Path)
    p_write.add_argument("--auditor", default="auditor", help="the auditor command line (default: auditor on PATH)")
    p_cmp = sub.add_parser("compare", help="compare two recorded folders; exit 1 when different")
    p_cmp.add_argument("before", type=Path)
    p_cmp.add_argument("after", type=Path)
    p_both = sub.add_parser("both", help="record with two auditor commands, then compare")
    p_both.add_argument("before_auditor")
    p_both.add_argument("after_auditor")
    p_both.add_argument("--out", type=Path, default=None, help="folder for before/ and after/ (default: a temp dir)")
    for p in (p_write, p_both):
        p.add_argument("--shared", type=Path, default=None, help="the shared folder (default: ../shared)")
        p.add_argument("--jobs", type=int, default=1, help="auditor processes at once (default 1)")
        p.add_argument("--lang", default="", help="the messages' language (default: auditor's default)")
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args.before, args.after)
    shared = args.shared or default_shared()
    if args.command == "write":
        return write(args.out, shlex.split(args.auditor), shared, args.jobs, args.lang)
    base = args.out or Path(tempfile.mkdtemp(prefix="compare_outputs_"))
    for label, cmd in (("before", args.before_auditor), ("after", args.after_auditor)):
        code = write(base / label, shlex.split(cmd), shared, args.jobs, args.lang)
        if code:
            return code
    return compare(base / "before", base / "after")


if __name__ == "__main__":
    raise SystemExit(main())
