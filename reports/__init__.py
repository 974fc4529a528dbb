"""Renderers: each turns the run result (the JSON contract of DESIGN §5) into one format.

A renderer is a pure function `render(result: dict, top: int | None) -> str | bytes`; it never
computes a check. `xlsx` returns bytes, every other format text.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

FORMATS = {
    "text": "reports.text_report",
    "json": "reports.json_report",
    "md": "reports.markdown_report",
    "html": "reports.html_report",
    "sarif": "reports.sarif_report",
    "junit": "reports.junit_report",
    "xlsx": "reports.xlsx_report",
}


# Formats a person reads: `--top` (and `top` in the config) limits only these. A CI gate reads
# json, sarif and junit, which always carry every finding.
HUMAN_FORMATS = ("text", "md", "html", "xlsx")


def renderer(fmt: str) -> Callable[..., Any]:
    """The `render(result, top=None)` function of format `fmt` (a key of FORMATS)."""
    return import_module(FORMATS[fmt]).render
