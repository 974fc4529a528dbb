"""JSON: the result exactly as DESIGN §5 defines it, UTF-8, stable key order."""

from __future__ import annotations

import json
from typing import Any


def render(result: dict[str, Any], top: int | None = None) -> str:
    """The result as JSON. `top` is accepted for the common renderer signature and ignored: a
    machine format always carries every finding (a CI gate must never miss one)."""
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
