"""Shared test helpers: where the real seeds are, and small builders for hand-made tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.model import Finding

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SHARED_HELP = (
    "../shared is the project's shared material (real published disclosures as text in seeds/, "
    "the scored corpus in corpus/), kept outside this repository; CI checks it out beside the "
    "clone as shared/. Put that folder next to your checkout to run these tests."
)
SEEDS_MISSING = f"../shared/seeds not found beside the project root ({SEEDS}). {SHARED_HELP}"


def pytest_terminal_summary(terminalreporter: object, exitstatus: int, config: object) -> None:
    """After the run: how many tests skipped for want of ../shared, and where it comes from."""
    skipped = getattr(terminalreporter, "stats", {}).get("skipped", [])
    missing = [r for r in skipped if "shared" in str(getattr(r, "longrepr", "")) or "seed" in
               str(getattr(r, "longrepr", ""))]
    if missing and not SEEDS.is_dir():
        terminalreporter.write_line(  # type: ignore[attr-defined]
            f"{len(missing)} test(s) skipped: they read ../shared (not found at {SEEDS.parent}). {SHARED_HELP}")


def seed(prefix: str) -> Path:
    """The seed file whose name starts with `prefix`; skips the test when seeds are absent."""
    if not SEEDS.is_dir():
        pytest.skip(SEEDS_MISSING)
    matches = sorted(SEEDS.glob(f"{prefix}*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix}* not found in {SEEDS}")
    return matches[0]


@pytest.fixture
def made_findings(monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """Every Finding constructed while the test runs (rules, the engine's cap, corpus rules)."""
    made: list[Finding] = []
    original = Finding.__init__

    def record(self: Finding, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Finding, "__init__", record)
    return made
