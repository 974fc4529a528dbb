"""The one way tests run the pipeline: read a text, run the rules, look at what came out.

A test that audits a fragment calls `audit_text` (a text, or a document it has read or built by
hand); one that audits a file calls `audit_path`, which is the CLI's own `auditor.audit.audit_file`;
one that only needs what the readers make of a text calls `read_text`. No other test file reads a
text and runs the rules by itself (tests/test_harness.py checks it), so how the pipeline is put
together for a test (which catalog the rules get, what counts as a broken run) is decided here
once. Only the engine's own tests (tests/test_harness.py lists them) call `run_rules` directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.audit import audit_file
from auditor.catalog import load_catalog
from auditor.engine import run_rules
from auditor.load.text import split_lines
from auditor.model import DocumentResult, Finding, ReadDocument, RuleOutcome
from auditor.read import read_document

# `catalog=` left out: the rules get the packaged catalog, as `auditor check` gives them
_PACKAGED: Any = object()


def read_text(text: str, name: str = "doc.txt") -> ReadDocument:
    """What the readers make of `text` read as the text file `name` (the findings' path)."""
    return read_document(split_lines(text, name))


@dataclass(frozen=True)
class Audited:
    """One fragment's audit: its findings (only the asked-for rule's, when one was asked for),
    every rule's outcome by rule id, the read document and the rules' statistics."""

    findings: list[Finding]
    outcomes: dict[str, RuleOutcome]
    read: ReadDocument
    stats: dict[str, int]
    rule: str | None = None

    @property
    def status(self) -> str:
        """The outcome status (passed, failed, not_applicable, ...) of the rule asked for."""
        if self.rule is None:
            raise ValueError("audit_text(..., rule=...) names the rule whose status this is")
        return self.outcomes[self.rule].status

    @property
    def findings_and_status(self) -> tuple[list[Finding], str]:
        """The asked-for rule's findings and status, for the files whose tests look at both."""
        return self.findings, self.status

    def of(self, *rules: str) -> list[Finding]:
        """The findings of these rules: a rule id, or a family written with its dot ("rate.")."""
        return [f for f in self.findings
                if f.rule in rules or any(r.endswith(".") and f.rule.startswith(r) for r in rules)]


def audit_text(source: str | ReadDocument, *, name: str = "doc.txt", catalog: Any = _PACKAGED,
               rule: str | None = None, rule_errors_ok: bool = False) -> Audited:
    """Audit a text (read as the file `name`) or an already read document, as `auditor check`
    would: every enabled document rule, with the packaged catalog unless another (or None, no
    catalog at all) is given. With `rule`, the findings are that rule's only (and a rule id
    nothing registers is a KeyError, not a quiet empty list). A rule that raised fails the test
    with its detail, unless `rule_errors_ok` says the test expects one."""
    read = read_text(source, name) if isinstance(source, str) else source
    findings, outcomes, stats = run_rules(read, load_catalog() if catalog is _PACKAGED else catalog)
    by_rule = {o.rule: o for o in outcomes}
    broken = [(o.rule, o.detail) for o in outcomes if o.status == "error"]
    assert rule_errors_ok or not broken, broken
    if rule is not None:
        if rule not in by_rule:
            raise KeyError(f"no outcome for rule {rule!r}: not registered, or not a document rule")
        findings = [f for f in findings if f.rule == rule]
    return Audited(findings=findings, outcomes=by_rule, read=read, stats=stats, rule=rule)


_AUDITED_FILES: dict[str, DocumentResult] = {}


def audit_path(path: str | Path, cached: bool = False) -> DocumentResult:
    """Audit a file exactly as the CLI does (`auditor.audit.audit_file`). With `cached`, once per
    test session: for the slow files (PDFs, the corpus) several tests only look at; such a result
    is shared, so those tests must not change it."""
    key = str(path)
    if not cached:
        return audit_file(key)
    if key not in _AUDITED_FILES:
        _AUDITED_FILES[key] = audit_file(key)
    return _AUDITED_FILES[key]


def message(finding: Finding, lang: str = "zh") -> str:
    """The finding's message as a reader sees it (rendered from its rule's catalogue entry)."""
    from auditor.messages import messages_of

    return messages_of(finding.rule).render(lang, finding.args, finding.variant)


def concept_of(finding: Finding) -> str:
    """The concept an amount-agreement finding is about (its key begins with it)."""
    return finding.key.split("|", 1)[0]
