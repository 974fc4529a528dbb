"""Regression on the real published PDFs of ../shared/corpus/pdf (skipped when absent): the
controls raise no error-level table finding, and the blank national template stays quiet.

The corpus key (pdf_key.json) lists these documents as controls: their tables were checked by
arithmetic on the page. Prose findings (narrative.*) belong to the prose readers and are left out
here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.harness import audit_path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdf"
TABLE_FAMILIES = ("total.", "crosstable.", "parse.", "date.", "text.")


def _pdfs() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/pdf not found beside the project root")
    return sorted(CORPUS.glob("*.pdf"))


def test_real_pdfs_raise_no_table_error() -> None:
    for path in _pdfs():
        result = audit_path(path)
        errors = [(f.rule, f.location.page, f.actual) for f in result.findings
                  if f.severity == "error" and f.rule.startswith(TABLE_FAMILIES)]
        assert errors == [], path.name
        assert all(f.location.page for f in result.findings if f.location.line), path.name


def test_blank_template_is_quiet() -> None:
    _pdfs()
    key = json.loads((CORPUS.parent / "pdf_key.json").read_text(encoding="utf-8"))
    # the control for every family: the key's blank template
    docs = [item["doc"] for item in key.get("forbidden", []) if "parse." in item.get("rules", [])]
    if not docs:
        pytest.skip("the key names no all-family control")
    result = audit_path(CORPUS / docs[0])
    assert [f for f in result.findings if f.severity == "error"] == []
    assert len([f for f in result.findings if f.severity == "warning"]) <= 5
