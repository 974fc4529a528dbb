"""Shared test helpers: where the real seeds are, and small builders for hand-made tables."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def seed(prefix: str) -> Path:
    """The seed file whose name starts with `prefix`; skips the test when seeds are absent."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not found beside the project root (CI always has it)")
    matches = sorted(SEEDS.glob(f"{prefix}*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix}* not found in {SEEDS}")
    return matches[0]
