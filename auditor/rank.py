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


def fingerprint(finding: Finding) -> str:
    """A stable id: rule, document and the finding's own key; no line numbers in it."""
    basis = "|".join([finding.rule, finding.location.path.replace("\\", "/"), finding.key or finding.args.get("row", "")])
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


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
    path = findings[members[0]].location.path
    return "g" + hashlib.sha1(f"{path}|{cell}".encode()).hexdigest()[:10]


def rank(findings: list[Finding], document_totals: dict[str, Decimal]) -> list[Finding]:
    """Score, group and order findings; fills id, score, group, rank. Returns them sorted."""
    for finding in findings:
        finding.id = fingerprint(finding)
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
