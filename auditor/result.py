"""The run result: the JSON contract of DESIGN §5. Every renderer is a pure function of it."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.audit import document_total
from auditor.engine import load_rules
from auditor.messages import language_codes
from auditor.model import SEVERITY_ORDER, DocumentResult, Finding
from auditor.rank import rank


def load_baseline(path: str) -> set[str]:
    """Finding ids to suppress: a previous JSON result, or {"ids": [...]}, or a list of ids."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, list):
        return {str(item) for item in data}
    if "ids" in data:
        return {str(item) for item in data["ids"]}
    return {str(f["id"]) for f in data.get("findings", [])}


def _finding_json(finding: Finding, lang: str) -> dict[str, Any]:
    spec = load_rules().get(finding.rule)
    title = spec.title(lang) if spec else finding.rule
    message = spec.message(lang, finding.args, finding.variant) if spec else finding.rule
    return {
        "id": finding.id,
        "rule": finding.rule,
        "severity": finding.severity,
        "rank": finding.rank,
        "score": finding.score,
        "title": title,
        "message": message,
        "location": finding.location.to_json(),
        "expected": finding.expected,
        "actual": finding.actual,
        "difference": finding.difference,
        "evidence": [e.to_json() for e in finding.evidence],
        "group": finding.group,
        "group_lead": finding.group_lead,
        "suggestion": finding.suggestion,
        "culprit": finding.culprit,
        "confidence": round(finding.confidence, 2),
        "confirmed_by": list(finding.confirmed_by),
    }


def document_coverage(result: DocumentResult) -> dict[str, Any]:
    """How much of one document was checked, so that "no finding" is never read as "clean" when
    nothing could be read or checked.

    status: "not_audited" (the file could not be read), "nothing_read" (no table, paragraph,
    indicator or score sheet was recognised), "nothing_checked" (something was read, but no rule
    found anything it checks) or "checked". `rules_checked` of `rules_run` rules passed or
    failed; `checks` counts the relations, numbers and sentences they compared.
    """
    read = result.read
    checked = [o for o in result.outcomes if o.status in ("passed", "failed")]
    if result.error or read is None:
        status = "not_audited"
    elif not (read.tables or read.paragraphs or read.indicator_sets or read.score_sheets):
        status = "nothing_read"
    elif not checked:
        status = "nothing_checked"
    else:
        status = "checked"
    return {"status": status, "rules_run": len(result.outcomes), "rules_checked": len(checked),
            "checks": sum(o.checked for o in checked)}


def _document_json(result: DocumentResult) -> dict[str, Any]:
    read = result.read
    observations = read.observations if read else []
    return {
        "path": result.path,
        "kind": read.kind if read else "unknown",
        "year": read.year if read else None,
        "issuer": read.issuer if read else "",
        "tables": len(read.tables) if read else 0,
        "observations": sum(1 for t in read.tables for r in t.rows for c in r.cells if c.number is not None)
        if read else 0,
        "indicators": sum(len(s.indicators) for s in read.indicator_sets) if read else 0,
        # what was read besides tables (additive): every number whose meaning was recognised
        # (`facts`, of them `prose_numbers` in sentences), printed rates, prose paragraphs
        "facts": len(observations),
        "prose_numbers": sum(1 for o in observations if getattr(o, "source", "") != "table"),
        "rates": len(read.rates) if read else 0,
        "paragraphs": len(read.paragraphs) if read else 0,
        "coverage": document_coverage(result),
        "findings": len(result.findings),
        "error": result.error,
        "seconds": 0.0 if os.environ.get("AUDITOR_NO_TIMING") else round(result.seconds, 4),
        # every rule's outcome on this document (additive): passed, failed, not_applicable,
        # insufficient_data or error; a rule that is disabled is absent
        "outcomes": {o.rule: o.status for o in sorted(result.outcomes, key=lambda o: o.rule)},
    }


def rule_descriptors() -> list[dict[str, Any]]:
    """What a renderer needs to know of every rule — id, severity, scope, zh/en title, the doc and
    its first paragraph — carried in the result so that no renderer imports the engine."""
    out = []
    for spec in load_rules().values():
        doc = "\n\n".join(" ".join(p.split()) for p in spec.doc.split("\n\n") if p.strip())
        out.append({"id": spec.id, "severity": spec.severity, "applies_to": spec.applies_to,
                    **{f"title_{lang}": spec.title(lang) for lang in language_codes()},
                    "summary": doc.split("\n\n", 1)[0], "doc": doc})
    return out


def build_result(
    results: list[DocumentResult],
    lang: str = "zh",
    baseline: set[str] | None = None,
    min_severity: str | None = None,
) -> dict[str, Any]:
    """Rank all findings across documents and return the JSON-ready result."""
    totals = {r.path: t for r in results if (t := document_total(r)) is not None}
    findings = rank([f for r in results for f in r.findings], totals)
    suppressed = 0
    if baseline:
        kept = []
        for finding in findings:
            if finding.id in baseline:
                suppressed += 1
            else:
                kept.append(finding)
        findings = kept
        for position, finding in enumerate(findings, start=1):
            finding.rank = position
    if min_severity:
        floor = SEVERITY_ORDER[min_severity]
        findings = [f for f in findings if SEVERITY_ORDER[f.severity] >= floor]
    coverage = Counter(o.status for r in results for o in r.outcomes)
    summary = Counter(f.severity for f in findings)
    rate_stats: Counter[str] = Counter()
    for r in results:
        rate_stats.update(r.rate_stats)
    return {
        "tool": {"name": "auditor", "version": __version__},
        "documents": [_document_json(r) for r in results],
        "findings": [_finding_json(f, lang) for f in findings],
        "coverage": {
            "rules_run": sum(coverage.values()),
            "passed": coverage["passed"],
            "failed": coverage["failed"],
            "not_applicable": coverage["not_applicable"],
            "insufficient_data": coverage["insufficient_data"],
            "errors": coverage["error"],
            **({"details": dict(sorted(rate_stats.items()))} if rate_stats else {}),
        },
        "rule_errors": [
            {"path": o.path, "rule": o.rule, "detail": o.detail}
            for r in results for o in r.outcomes if o.status == "error"
        ],
        "summary": {
            "error": summary["error"],
            "warning": summary["warning"],
            "info": summary["info"],
            "suppressed": suppressed,
        },
        "lang": lang,
        "rules": rule_descriptors(),
    }
