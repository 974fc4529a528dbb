"""Regression on the real corpus (../shared/corpus): no control document gets an error-level
finding in the rule families it is a control for.

A control (`forbidden` item of the key) is a published document, or some rule families of one,
that reconciles within printed precision (KEY_NOTES.md gives the arithmetic); an error-level
finding there is a false alarm. The corpus lives beside the repository (``../shared`` from the
repo root, or $AUDITOR_SHARED) and is not shipped with it: the tests skip when it is absent.

To add controls of another corpus (the PDFs and pdf_key.json, say), add a `Corpus` to CORPORA.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness import audit_path

# ../shared beside the repository root; AUDITOR_SHARED points elsewhere (a git worktree)
SHARED = Path(os.environ.get("AUDITOR_SHARED") or Path(__file__).resolve().parents[1].parent / "shared") / "corpus"


@dataclass(frozen=True)
class Corpus:
    name: str
    folder: Path
    key: Path


CORPORA = [Corpus("text", SHARED / "text", SHARED / "key.json")]

# Controls with a known false alarm outside the table readers, left to the prose readers' work
# (issue 17): {control id: why}. Table-based findings are checked on them all the same.
def _tag(name: str) -> str:
    return name[:3] if re.match(r"\d{3}", name) else name


def _controls() -> list[tuple[Corpus, dict, Path]]:
    out = []
    for corpus in CORPORA:
        if not corpus.key.is_file() or not corpus.folder.is_dir():
            continue
        files = {_tag(p.name): p for p in sorted(corpus.folder.iterdir()) if p.is_file()}
        for item in json.loads(corpus.key.read_text(encoding="utf-8")).get("forbidden", []):
            if item["doc"] in files:
                out.append((corpus, item, files[item["doc"]]))
    return out


CONTROLS = _controls()


def _ids() -> list[str]:
    return [f"{corpus.name}:{item['id']}" for corpus, item, _ in CONTROLS] or ["absent"]


def _params() -> list:
    if not CONTROLS:
        return [pytest.param(None, None, None, marks=pytest.mark.skip(
            reason="../shared/corpus not found beside the project root"))]
    return CONTROLS


def _errors(item: dict, path: Path) -> list:
    result = audit_path(path, cached=True)
    assert result.error is None, result.error
    severities = item.get("severity", ["error"])
    return [f for f in result.findings
            if f.severity in severities and any(f.rule.startswith(r) for r in item["rules"])]


def _describe(findings: list) -> str:
    return "; ".join(f"{f.rule} line {f.location.line}: {f.expected} vs {f.actual}" for f in findings)


@pytest.mark.parametrize(("corpus", "item", "path"), _params(), ids=_ids())
def test_control_has_no_error_from_a_table(corpus: Corpus, item: dict, path: Path) -> None:
    """No error-level finding about a table on any control (the table readers' share)."""
    found = [f for f in _errors(item, path) if f.location.table]
    assert not found, _describe(found)


@pytest.mark.parametrize(("corpus", "item", "path"), _params(), ids=_ids())
def test_control_has_no_error(corpus: Corpus, item: dict, path: Path) -> None:
    """No error-level finding at all in the control's families."""
    found = _errors(item, path)
    assert not found, _describe(found)


# Findings auditor once raised on real documents that the key does not list but that are wrong, as
# a reader checks them (KEY_NOTES gives each document's arithmetic): (document, rule, line, why).
FORMER_FALSE_ALARMS = [
    ("003", "rate.recompute", 31, "a bare 251.89 under the 预算执行率 header shifted by a spanning header"),
    ("014", "date.year_mismatch", None, "a 2018 report dated 报告日期:2019年06月18日"),
    ("045", "narrative.amount", 24, "the prose 预算 49.9 compared with the 决算数 7.69 of a final account"),
    ("052", "date.year_mismatch", None, "a 2022 budget's section on the 2021 决算"),
    ("054", "narrative.amount", 28, "the prose 预算 18 compared with the 决算数 6.28 of a final account"),
    ("064", "rate.change", 16, "the previous change's 1.05 taken for 公务接待费's current value"),
    ("070", "date.year_mismatch", None, "a 2024 budget report's section on 2023 budget execution"),
]


def _corpus_file(tag: str) -> Path:
    folder = SHARED / "text"
    if not folder.is_dir():
        pytest.skip("../shared/corpus not found beside the project root")
    return next(p for p in sorted(folder.iterdir()) if _tag(p.name) == tag)


@pytest.mark.parametrize(("tag", "rule", "line", "why"), FORMER_FALSE_ALARMS,
                         ids=[f"{t}-{r}" for t, r, _, _ in FORMER_FALSE_ALARMS])
def test_a_former_false_alarm_stays_quiet(tag: str, rule: str, line: int | None, why: str) -> None:
    result = audit_path(_corpus_file(tag), cached=True)
    found = [f for f in result.findings if f.rule == rule and f.severity != "info"
             and (line is None or f.location.line == line)]
    assert not found, f"{why}: {_describe(found)}"
