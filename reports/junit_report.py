"""JUnit XML (`--format junit`): for CI systems that show test reports (GitLab, Jenkins, Azure).

One `<testsuite>` per document, one `<testcase>` per rule in it (every registered rule, plus any
rule a finding names), named `RULE @ PATH` so that names are unique across the whole report. A
rule with findings carries one `<failure>` listing them, its `type` the most severe finding's
severity; a document that could not be read is one testcase with an `<error>`. When the result
carries per-document `outcomes`, a rule that was disabled, not applicable or short of data is
`<skipped/>` (it did not pass), and a rule that raised is an `<error>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from reports._common import SEVERITIES, clean, labels, place, relative_path, where, with_confirmed

_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
# Outcomes (result `documents[].outcomes`) that are not a pass: the testcase is <skipped/>.
_NOT_RUN = {
    "disabled": "rule disabled by the configuration",
    "not_applicable": "not applicable: the document has nothing this rule checks",
    "insufficient_data": "insufficient data: an operand the rule needs is missing",
}


def _rule_ids(result: dict[str, Any]) -> list[str]:
    # Corpus-level rules (crossdoc.*) run only in `auditor scan`; a per-document report lists them
    # only when one of them produced a finding. The rules come from the result (`rules`).
    per_document = {str(spec["id"]) for spec in result.get("rules", []) if spec.get("applies_to") != "corpus"}
    ids = per_document | {str(f.get("rule")) for f in result.get("findings", [])}
    return sorted(ids)


def _classname(path: str) -> str:
    return "auditor." + relative_path(path).replace(".", "_").replace("/", ".")


def _describe(f: dict[str, Any], t: dict[str, Any]) -> str:
    loc = f.get("location", {})
    lines = [f"#{f.get('rank')} [{t['sev'].get(f.get('severity'), f.get('severity'))}] {where(loc)}"
             + (f" ({place(loc, ' / ')})" if place(loc) else ""),
             with_confirmed(clean(f.get("message")), f, t)]
    facts = [f"{t[k]}: {clean(f[k])}" for k in ("expected", "actual", "difference", "suggestion") if f.get(k)]
    if facts:
        lines.append("; ".join(facts))
    for e in f.get("evidence") or []:
        lines.append(f"  {e.get('line', '?'):>5} | {clean(e.get('text'), keep_newlines=False)}")
    lines.append(f"id: {clean(f.get('id'))}")
    return "\n".join(lines)


def build(result: dict[str, Any], top: int | None = None) -> ET.Element:
    """The `<testsuites>` element (for tests and callers that post-process it)."""
    t = labels(result)
    findings = result["findings"]  # every finding, whatever `top` says: a CI test report is complete
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_doc.setdefault(str(f.get("location", {}).get("path")), []).append(f)
    rule_ids = _rule_ids(result)
    tool = result.get("tool", {})
    root = ET.Element("testsuites", name=clean(tool.get("name", "auditor")))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    documents = list(result.get("documents", []))
    known = {str(d.get("path")) for d in documents}
    documents += [{"path": p, "error": None} for p in by_doc if p not in known]
    for doc in documents:
        path = str(doc.get("path"))
        suite = ET.SubElement(root, "testsuite", name=clean(path, keep_newlines=False))
        props = ET.SubElement(suite, "properties")
        for key in ("kind", "year", "issuer"):
            if doc.get(key) not in (None, ""):
                ET.SubElement(props, "property", name=key, value=clean(doc[key], keep_newlines=False))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if doc.get("error"):
            case = ET.SubElement(suite, "testcase", name=f"load @ {clean(path, keep_newlines=False)}",
                                 classname=_classname(path), file=relative_path(path))
            err = ET.SubElement(case, "error", message=clean(doc["error"], keep_newlines=False), type="unreadable")
            err.text = clean(doc["error"])
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            mine = by_doc.get(path, [])
            outcomes = doc.get("outcomes")
            errors = {str(e.get("rule")): str(e.get("detail") or "") for e in result.get("rule_errors", [])
                      if str(e.get("path")) == path}
            for rule_id in rule_ids:
                case = ET.SubElement(suite, "testcase", name=f"{rule_id} @ {clean(path, keep_newlines=False)}",
                                     classname=_classname(path), file=relative_path(path))
                counts["tests"] += 1
                hits = [f for f in mine if f.get("rule") == rule_id]
                status = outcomes.get(rule_id, "disabled") if isinstance(outcomes, dict) else None
                if not hits and status == "error":
                    detail = clean(errors.get(rule_id, "the rule raised an exception"), keep_newlines=False)
                    ET.SubElement(case, "error", message=detail, type="rule_error").text = detail
                    counts["errors"] += 1
                    continue
                if not hits and status in _NOT_RUN:
                    ET.SubElement(case, "skipped", message=_NOT_RUN[status])
                    counts["skipped"] += 1
                    continue
                if not hits:
                    continue
                worst = min((str(f.get("severity")) for f in hits), key=lambda s: _ORDER.get(s, 99))
                title = clean(hits[0].get("title"), keep_newlines=False)
                failure = ET.SubElement(case, "failure", type=worst,
                                        message=f"{len(hits)} × {title}" if title else f"{len(hits)} findings")
                failure.text = "\n\n".join(_describe(f, t) for f in hits)
                counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    _sanitize(root)
    return root


def _sanitize(root: ET.Element) -> None:
    """Every attribute and text of the tree without the characters XML 1.0 forbids (a file name
    may hold \x01; ElementTree would write it as is, and no XML parser reads the report then)."""
    for element in root.iter():
        for name, value in element.attrib.items():
            element.set(name, clean(value, keep_newlines=False))
        if element.text:
            element.text = clean(element.text)


def render(result: dict[str, Any], top: int | None = None) -> str:
    """The result as a JUnit XML report."""
    root = build(result, top)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
