"""SARIF 2.1.0 (`--format sarif`): for code-scanning dashboards and CI annotations.

One run. `tool.driver.rules` lists every registered rule (id, name, descriptions, help, default
level); each finding is a result with its rule, level, message, the physical location (relative
URI and line), a logical location (table / row / column), its evidence lines as related
locations, and `partialFingerprints` from the finding's stable id, so that dashboards track a
finding across runs. Unreadable documents and rule errors are tool execution notifications.
"""

from __future__ import annotations

import json
import re
from typing import Any

from auditor.messages import language_codes
from reports._common import clean, confirming_engines, family, language_tag, uri

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "auditorFindingId/v1"


def _name(rule_id: str) -> str:
    """A SARIF rule name from a dotted id: `total.row_sum` -> `TotalRowSum`."""
    return "".join(part.capitalize() for part in re.split(r"[._\-]+", rule_id) if part)


def _first_paragraph(doc: str) -> str:
    return " ".join(doc.split("\n\n", 1)[0].split())


def _rules(result: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Rule descriptors: the result's rules (`rules`, every registered rule), plus any rule a
    finding names that they lack."""
    descriptors: dict[str, dict[str, Any]] = {}
    for spec in result.get("rules", []):
        title = str(spec.get(f"title_{lang}") or spec["title_zh"])
        doc = str(spec.get("doc") or title)
        full = "\n\n".join(" ".join(p.split()) for p in doc.split("\n\n"))
        descriptors[spec["id"]] = {
            "id": spec["id"],
            "name": _name(spec["id"]),
            "shortDescription": {"text": title},
            "fullDescription": {"text": _first_paragraph(doc) or title},
            "help": {"text": full, "markdown": full},
            "defaultConfiguration": {"level": LEVELS.get(str(spec["severity"]), "warning")},
            "properties": {"tags": [family(spec["id"])], "title_zh": spec["title_zh"], "title_en": spec["title_en"]},
        }
    for f in result.get("findings", []):
        rule_id = str(f.get("rule"))
        if rule_id not in descriptors:
            title = clean(f.get("title"), keep_newlines=False) or rule_id
            descriptors[rule_id] = {
                "id": rule_id,
                "name": _name(rule_id),
                "shortDescription": {"text": title},
                "fullDescription": {"text": title},
                "defaultConfiguration": {"level": LEVELS.get(str(f.get("severity")), "warning")},
                "properties": {"tags": [family(rule_id)]},
            }
    return [descriptors[k] for k in sorted(descriptors)]


def _physical(path: str, line: Any, snippet: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri(path)}}
    if isinstance(line, int) and line >= 1:
        region: dict[str, Any] = {"startLine": line}
        if snippet is not None:
            region["snippet"] = {"text": snippet}
        physical["region"] = region
    return physical


def _logical(loc: dict[str, Any]) -> list[dict[str, Any]]:
    parts = [(k, clean(loc.get(k), keep_newlines=False)) for k in ("table", "row", "column") if loc.get(k)]
    if not parts:
        return []
    kind, name = parts[-1]
    return [{
        "name": name,
        "fullyQualifiedName": " / ".join(v for _, v in parts),
        "kind": "element",
        "properties": {k: v for k, v in parts} | {"part": kind},
    }]


def _result(f: dict[str, Any], index: dict[str, int]) -> dict[str, Any]:
    loc = f.get("location", {})
    rule_id = str(f.get("rule"))
    location: dict[str, Any] = {"physicalLocation": _physical(str(loc.get("path", "")), loc.get("line"))}
    logical = _logical(loc)
    if logical:
        location["logicalLocations"] = logical
    out: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": LEVELS.get(str(f.get("severity")), "warning"),
        "message": {"text": clean(f.get("message")) or rule_id},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: str(f.get("id"))},
        "rank": _sarif_rank(f.get("score")),
    }
    related = []
    for n, e in enumerate(f.get("evidence") or [], start=1):
        related.append({
            "id": n,
            "physicalLocation": _physical(str(e.get("path", loc.get("path", ""))), e.get("line"),
                                          clean(e.get("text"), keep_newlines=False)),
            "message": {"text": clean(e.get("value")) or clean(e.get("text"), keep_newlines=False)},
        })
    if related:
        out["relatedLocations"] = related
    props = {k: f.get(k) for k in ("rank", "score", "group", "group_lead", "suggestion", "expected", "actual",
                                    "difference", "title", "confidence") if f.get(k) is not None}
    props["severity"] = f.get("severity")
    if confirming_engines(f):  # only when several engines agree: a run without --gx is unchanged
        props["confirmed_by"] = confirming_engines(f)
    out["properties"] = props
    return out


def _sarif_rank(score: Any) -> float:
    """SARIF `rank` is 0.0–100.0; the result's score is on the same scale."""
    try:
        return max(0.0, min(100.0, float(score)))
    except (TypeError, ValueError):
        return -1.0


def _notifications(result: dict[str, Any]) -> list[dict[str, Any]]:
    notes = []
    for doc in result.get("documents", []):
        if doc.get("error"):
            notes.append({
                "level": "error",
                "message": {"text": f"{clean(doc.get('path'))}: {clean(doc['error'])}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(str(doc.get("path", "")))}}}],
            })
    for err in result.get("rule_errors", []):
        notes.append({
            "level": "error",
            "message": {"text": f"{clean(err.get('rule'))}: {clean(err.get('detail'))}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(str(err.get("path", "")))}}}],
            "associatedRule": {"id": str(err.get("rule"))},
        })
    return notes


def build(result: dict[str, Any], top: int | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (for tests and for callers that post-process it)."""
    lang = str(result.get("lang") or language_codes()[0])
    tool = result.get("tool", {})
    rules = _rules(result, lang)
    index = {r["id"]: i for i, r in enumerate(rules)}
    docs = result.get("documents", [])
    invocation: dict[str, Any] = {"executionSuccessful": not docs or not all(d.get("error") for d in docs)}
    notes = _notifications(result)
    if notes:
        invocation["toolExecutionNotifications"] = notes
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": str(tool.get("name", "auditor")),
            "version": str(tool.get("version", "")),
            "semanticVersion": str(tool.get("version", "")),
            "language": language_tag(result),
            "rules": rules,
        }},
        "language": language_tag(result),
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": uri(str(d.get("path", "")))}, "roles": ["analysisTarget"]}
                      for d in docs],
        "invocations": [invocation],
        # every finding, whatever `top` says: SARIF is read by machines (code scanning, CI gates)
        "results": [_result(f, index) for f in result["findings"]],
        "properties": {"summary": result.get("summary", {}), "coverage": {
            k: v for k, v in result.get("coverage", {}).items() if k != "details"}},
    }
    if not run["tool"]["driver"]["version"]:
        del run["tool"]["driver"]["version"], run["tool"]["driver"]["semanticVersion"]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: dict[str, Any], top: int | None = None) -> str:
    """The result as a SARIF 2.1.0 log (JSON text)."""
    return json.dumps(build(result, top), ensure_ascii=False, indent=2) + "\n"
