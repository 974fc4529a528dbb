"""`make`'s optional apt-get step: it says what it installs, survives a failed `apt-get update`
by installing from the cached lists, and is skipped with NO_APT=1. Runs the recipe as `make -n`
prints it, against a fake apt-get (nothing is installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _apt_step(*make_args: str) -> str:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    # the step as printed for these arguments only: a NO_APT in the caller's environment would
    # otherwise reach make and print the skipped step
    env = {k: v for k, v in os.environ.items() if k != "NO_APT"}
    printed = subprocess.run(["make", "-n", "-B", *make_args, ".venv/.installed"], cwd=ROOT, capture_output=True,
                             text=True, check=True, timeout=60, env=env).stdout
    commands, current = [], ""
    for line in printed.splitlines():
        if line.startswith("#") and not current:
            continue
        current += line[:-1] + "\n" if line.endswith("\\") else line
        if not line.endswith("\\"):
            commands.append(current)
            current = ""
    step = [c for c in commands if "apt-get install" in c]
    assert len(step) == 1, printed
    return step[0]


def _run(step: str, tmp_path: Path, update_fails: bool) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "apt.log"
    (fake / "apt-get").write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        f'if [ "$1" = update ]; then exit {1 if update_fails else 0}; fi\n'
        "exit 0\n", encoding="utf-8")
    (fake / "apt-get").chmod(0o755)
    # no chromium and no fc-list on this PATH: the step believes both are missing
    result = subprocess.run(["/bin/sh", "-c", step], env={"PATH": str(fake)}, capture_output=True, text=True,
                            timeout=60)
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return result, calls


def test_a_failed_update_still_installs_from_the_cached_lists(tmp_path: Path) -> None:
    result, calls = _run(_apt_step(), tmp_path, update_fails=True)
    assert result.returncode == 0, result.stderr
    assert calls[0] == "update -qq" and calls[1].startswith("install") and "chromium" in calls[1]
    assert "fonts-wqy-microhei" in calls[1]
    assert "installing chromium and fonts-wqy-microhei with apt-get" in result.stdout
    assert "apt-get update failed; trying the cached package lists" in result.stdout


def test_no_apt_skips_the_step(tmp_path: Path) -> None:
    result, calls = _run(_apt_step("NO_APT=1"), tmp_path, update_fails=False)
    assert result.returncode == 0 and calls == [] and "apt-get" not in result.stdout
