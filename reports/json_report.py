"""JSON: the result exactly as DESIGN §5 defines it, UTF-8, stable key order."""

from __future__ import annotations

import json
from typing import Any

from reports._common import shown


def render(result: dict[str, Any], top: int | None = None) -> str:
    if top is not None:
        result = {**result, "findings": shown(result, top)}
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
