"""Ranking, root-cause groups and suggested corrections (DESIGN §3, §8).

score = 100 × severity weight × materiality × confidence.

Failed relations and the printed cells in them form a bipartite graph. A cell that sits in
several failed relations, and whose single change (to the same value each time) would repair
all of them, is the likely wrong number: its findings form one group, led by the most severe,
which carries the suggested value.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from decimal import Decimal

from auditor.model import Finding

SEVERITY_WEIGHT = {"error": 1.0, "warning": 0.6, "info": 0.25}
# Rules whose findings are not about an amount gap get a fixed materiality.
DEFAULT_MATERIALITY = 0.5


# Bump when the basis of the fingerprint changes: a baseline written by another scheme is not
# silently half-matched (DESIGN §5: ids are stable fingerprints).
FINGERPRINT_VERSION = "2"


def _doc_name(path: str) -> str:
    """The file name alone: where a copy of the corpus lives, and how its path was typed, never
    enter an id (SARIF partialFingerprints work the same way: content, not the checkout path)."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _unpathed(text: str, paths: tuple[str, ...]) -> str:
    """`text` with every document path in it cut down to the file name (cross-document keys
    name the other document by path)."""
    for path in sorted(paths, key=len, reverse=True):
        if path and path in text:
            text = text.replace(path, _doc_name(path))
    return text


def fingerprint(finding: Finding, paths: tuple[str, ...] = ()) -> str:
    """A stable id from what the finding is about, never from where the file is or its line numbers.

    The basis is the rule, the rule's own key, the location inside the document (table, row,
    column), the cited values (expected, actual) and the cited text (each evidence line as
    printed, whitespace-normalised). So an unrelated edit above the finding keeps its id, a
    copy of the document elsewhere gets the same id, and a changed number is a new finding.
    """
    loc = finding.location
    all_paths = (loc.path, *paths, *(e.path for e in finding.evidence))
    evidence = [f"{_unpathed(' '.join(e.text.split()), all_paths)}={e.value or ''}" for e in finding.evidence]
    basis = "\x1f".join([
        FINGERPRINT_VERSION,
        finding.rule,
        _unpathed(finding.key or str(finding.args.get("row", "")), all_paths),
        loc.table or "", loc.row or "", loc.column or "",
        finding.expected or "", finding.actual or "",
        *evidence,
    ])
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def assign_ids(findings: list[Finding]) -> None:
    """Give every finding its fingerprint; identical findings (a document audited twice under two
    names, or one text printed twice in a document) get `-2`, `-3`… in document and line order,
    so no two findings of a run share an id."""
    paths = tuple(sorted({f.location.path for f in findings}))
    for finding in findings:
        finding.id = fingerprint(finding, paths)
    seen: Counter[str] = Counter()
    for finding in sorted(findings, key=lambda f: (f.location.path, f.location.line or 0, f.id)):
        seen[finding.id] += 1
        if seen[finding.id] > 1:
            finding.id = f"{finding.id}-{seen[finding.id]}"


def materiality(finding: Finding, document_total: Decimal | None) -> float:
    """Grows with the gap relative to the document's largest total; fixed for non-amount rules."""
    if finding.gap is None or not document_total:
        return DEFAULT_MATERIALITY
    ratio = float(abs(finding.gap) / document_total)
    # A gap of 5% of the document total or more is fully material; one 元 in millions is not.
    return 0.35 + 0.65 * min(1.0, math.sqrt(ratio / 0.05))


def assign_groups(findings: list[Finding]) -> None:
    """Group findings under the cell whose one change repairs the most of them."""
    shared = Counter(cell for finding in findings for cell in finding.culprit_candidates)
    if any(count >= 2 for count in shared.values()):
        _group_by_shared_cell(findings)
    # Everything else is a group of its own.
    for index, finding in enumerate(findings):
        if not finding.group:
            finding.group = _group_id(findings, [index], finding.key)
            finding.group_lead = True


def _group_by_shared_cell(findings: list[Finding]) -> None:
    """The culprit graph: findings joined to their candidate cells, greedily grouped by cell."""
    # networkx costs about a third of a cold `auditor check`: import it only when some cell is
    # a candidate in two findings, i.e. when there is a graph to build.
    import networkx as nx

    graph = nx.Graph()
    for index, finding in enumerate(findings):
        for cell in finding.culprit_candidates:
            graph.add_edge(("f", index), ("c", cell))
    remaining = {i for i, f in enumerate(findings) if f.culprit_candidates}
    group_no = 0
    while remaining:
        best_cell, best_members, best_value = None, [], ""
        for node in graph.nodes:
            if node[0] != "c":
                continue
            members = [n[1] for n in graph.neighbors(node) if n[1] in remaining]
            if len(members) < 2:
                continue
            # The repair must be the same value in every relation the cell is in.
            values = Counter(findings[m].culprit_candidates[node[1]] for m in members)
            value, agreeing = values.most_common(1)[0]
            if agreeing > len(best_members) or (agreeing == len(best_members) and best_cell and node[1] < best_cell):
                best_cell = node[1]
                best_members = [m for m in members if findings[m].culprit_candidates[node[1]] == value]
                best_value = value
        if not best_cell or len(best_members) < 2:
            break
        group_no += 1
        gid = _group_id(findings, best_members, best_cell)
        lead = max(best_members, key=lambda m: findings[m].score)
        for m in best_members:
            findings[m].group = gid
            remaining.discard(m)
        findings[lead].group_lead = True
        findings[lead].suggestion = best_value
        for m in best_members:
            findings[m].culprit = findings[m].cell_names.get(best_cell, best_cell)


def _group_id(findings: list[Finding], members: list[int], cell: str) -> str:
    # From the members' ids (content fingerprints), not the path: stable across checkouts.
    basis = "|".join([cell, *sorted(findings[m].id for m in members)])
    return "g" + hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def rank(findings: list[Finding], document_totals: dict[str, Decimal]) -> list[Finding]:
    """Score, group and order findings; fills id, score, group, rank. Returns them sorted."""
    assign_ids(findings)
    for finding in findings:
        m = materiality(finding, document_totals.get(finding.location.path))
        finding.score = round(100 * SEVERITY_WEIGHT[finding.severity] * m * finding.confidence, 1)
    by_doc: dict[str, list[Finding]] = {}
    for finding in findings:
        by_doc.setdefault(finding.location.path, []).append(finding)
    for doc_findings in by_doc.values():
        assign_groups(doc_findings)
    # A group is listed together, under its lead: order groups by their best score.
    group_score: dict[str, float] = {}
    for finding in findings:
        group_score[finding.group] = max(group_score.get(finding.group, 0.0), finding.score)
    ordered = sorted(
        findings,
        key=lambda f: (-group_score[f.group], f.group, not f.group_lead, -f.score, f.location.path,
                       f.location.line or 0, f.rule, f.id),
    )
    for position, finding in enumerate(ordered, start=1):
        finding.rank = position
    return ordered
