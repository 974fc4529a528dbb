"""Bad inputs must fail fast and small: one line of error, exit 2 (a script, not a test).

Builds, in a temporary folder: a truncated PDF and a corrupt XLSX (both made from the bundled
sample, so reportlab and openpyxl are needed), a zip bomb renamed .xlsx (1 GB of zeros in one
member, about 1 MB on disk) and a 50 MB file of random noise. Runs `auditor check FILE` on each
(this checkout's code: `python -m auditor.cli`, PYTHONPATH set to the repository root) and
prints, per file: exit code, the stderr line count, wall time and the child's peak RSS.
Writes `benchmarks/results/bad_inputs.md`. Exits 1 when any file breaks the contract.

    python benchmarks/bad_inputs.py
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "bad_inputs.md"
sys.path.insert(0, str(ROOT))


def build(folder: Path) -> list[Path]:
    from tests import format_fixtures as fx

    items = fx.sample_items()
    pdf = fx.write_pdf(folder / "sample.pdf", items).read_bytes()
    xlsx = fx.write_xlsx(folder / "sample.xlsx", items).read_bytes()
    out = []
    truncated = folder / "truncated.pdf"
    truncated.write_bytes(pdf[: len(pdf) // 2])
    out.append(truncated)
    corrupt = folder / "corrupt.xlsx"
    corrupt.write_bytes(xlsx[:2000] + os.urandom(2048) + xlsx[4048:])
    out.append(corrupt)
    bomb = folder / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(1024):
                member.write(block)
    out.append(bomb)
    noise = folder / "noise.txt"
    with noise.open("wb") as handle:
        for _ in range(50):
            handle.write(os.urandom(1 << 20))
    out.append(noise)
    for name in ("sample.pdf", "sample.xlsx"):
        (folder / name).unlink()
    return out


def run(path: Path) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "check", str(path)],
                                stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage: its peak RSS
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return {"file": path.name, "size": path.stat().st_size, "exit": proc.returncode, "stderr_lines": len(lines),
            "message": lines[0] if lines else "", "wall": wall, "peak_mb": usage.ru_maxrss / 1024,
            "traceback": b"Traceback" in stderr or b"Traceback" in stdout}


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in build(Path(tmp)):
            rows.append(run(path))
    header = "| file | size | exit | stderr lines | wall (s) | peak RSS (MB) | message |\n|---|---|---|---|---|---|---|"
    body = "\n".join(
        f"| {r['file']} | {int(r['size']) / 2**20:.1f} MB | {r['exit']} | {r['stderr_lines']} | {r['wall']:.2f} | "
        f"{r['peak_mb']:.0f} | {str(r['message']).split(': ', 2)[-1][:90]} |" for r in rows)
    ok = all(r["exit"] == 2 and r["stderr_lines"] == 1 and not r["traceback"] for r in rows)
    text = (f"# Bad inputs\n\n{_dt.date.today()} · Python {platform.python_version()} · {platform.machine()} · "
            f"peak RSS is the child's ru_maxrss (os.wait4)\n\n"
            f"{header}\n{body}\n\ncontract (exit 2, one stderr line, no traceback): {'held' if ok else 'BROKEN'}\n")
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
