"""Renderers: each turns the run result (the JSON contract of DESIGN §5) into one format.

A renderer is a pure function `render(result: dict, top: int | None) -> str | bytes`; it never
computes a check.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

FORMATS = {
    "text": "reports.text_report",
    "json": "reports.json_report",
}


def renderer(fmt: str) -> Callable[..., Any]:
    return import_module(FORMATS[fmt]).render
