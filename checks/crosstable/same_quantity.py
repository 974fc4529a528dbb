"""Cross-table suite: a budget prints the same money in many tables; the copies must agree.

`crosstable.same_quantity` compares the observations of one concept (auditor/read/observations.py,
concepts from checks/catalog/concept_map.yaml) printed in different tables, or in different rows
of one table: 部门收支总体 (T1) vs 支出总体 (T3) vs 财政拨款收支总体 (T4) vs 一般公共预算支出 (T5)
for 合计 / 基本 / 项目 and each economic column, T5 vs its economic-class version T5b, T3/T5
基本支出 vs the 基本支出 table T6 (and per economic code), the 三公 items vs their economic rows
(DOMAIN B6–B10, B14; §7 A7–A11, A14). Printed values are intervals (DESIGN §6): integer 元
must agree exactly, 万元 within printed precision.

Scopes: T1–T3 cover all the department's money, T4 财政拨款, T5–T7 一般公共预算. When the
department's income is all 一般公共预算 (seed 001) they are the same money and must be equal;
otherwise the narrower can only be ≤ the wider. A table of the department's own office (机关本级,
`Observation.entity`) beside the department's (部门汇总) is other money again: copies are tied
within one entity only, and across the two only the balances of `entities.at_most`
(concept_map.yaml) are compared, 本级 ≤ 汇总.

Which copy is wrong: the value most copies share is the reference; between two copies, the one
whose own table does not add up around it. Every finding names the cells that would repair the
tie and the value each would need, so the ranking groups it with the row and column sums the
same wrong cell breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.read.observations import (
    Observation,
    Scopes,
    concept_map,
    describe,
    in_every_language,
    scope_name,
)
from checks._agree import (
    FailedCells,
    cell_keys,
    cell_names,
    clusters,
    evidence,
    meets_any,
    mid,
    places,
    printed_text,
    repairs,
    show_value,
    suspicion,
    where,
)

# Observations that are copies of a printed number (a computed 类 total or 人员经费 is compared
# through its parts, and a grand-total alias is the same cell as its source).
_COMPARED = ("", "sum", "empty", "tie", "formula")


def _groups(read: ReadDocument) -> dict[tuple[str, str], list[Observation]]:
    """Table observations by (concept, entity): only copies of one entity's money are tied."""
    out: dict[tuple[str, str], list[Observation]] = {}
    for obs in read.observations:
        if obs.source == "table" and obs.derived in _COMPARED:
            out.setdefault((obs.concept, obs.entity), []).append(obs)
    return out


def _prose_by_concept(read: ReadDocument) -> dict[str, list[Observation]]:
    """Prose observations by concept, indexed once (not rescanned for each concept)."""
    out: dict[str, list[Observation]] = {}
    for obs in read.observations:
        if obs.source == "prose":
            out.setdefault(obs.concept, []).append(obs)
    return out


@rule(
    "crosstable.same_quantity",
    severity="error",
    applies_to="table",
)
def same_quantity(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """One amount printed in several tables must be the same everywhere: T1 = T3 = T4 = T5 = T5b for 合计 /
    基本支出 / 项目支出 and each economic column,
    T3/T5 基本支出 = T6 合计, each economic code of T5b (basic) = T6, each function row of T3 = T5,
    and each "三公" item = its economic rows (接待 = Σ30217, 车运行 = Σ30231, 出国 = Σ30212, 车购置 =
    Σ31013 + Σ30913; equality against the 一般公共预算 economic table, ≥ against the basic-only
    table; warning). Only this year's columns take part (a 上年数 column is other
    money), a fund column of T4/公开04 is that fund's part of the row, and a 机关本级 table is
    compared with the 部门汇总 one only for its balances, which cannot exceed the department's.

    Why it matters: when two tables print different amounts for the same money at least one of
    them is wrong, and readers do not know which figure to believe.
    """
    if not read.observations:
        return
    scopes = Scopes(read.observations)
    failed = FailedCells(read)
    catalog = ctx.catalog
    year = read.year
    tie_severity = concept_map().tie_severity
    groups = _groups(read)
    prose_support = _prose_by_concept(read)
    yield from _entities(ctx, groups, scopes, catalog, year)
    for (concept, _entity), group in groups.items():
        if len(group) < 2 or not any(o.printed for o in group):
            continue
        prose = prose_support.get(concept, [])
        # equal classes: observations whose scopes are the same money and that state the value
        classes: list[list[Observation]] = []
        lower: list[Observation] = []
        for obs in group:
            if obs.bound == "lower":
                lower.append(obs)
                continue
            for members in classes:
                if scopes.relation(members[0].scope, obs.scope) == "eq":
                    members.append(obs)
                    break
            else:
                classes.append([obs])
        references: list[tuple[list[Observation], str]] = []
        for members in classes:
            groups = clusters(members)
            reference = _reference(groups, failed, prose)
            references.append((reference, members[0].scope))
            if len(members) < 2:
                continue
            for cluster in groups:
                if cluster is reference:
                    continue
                for outlier in cluster:
                    if outlier.derived == "formula" and not any(o.printed for o in reference):
                        continue
                    if not outlier.printed and outlier.derived not in ("tie", "formula"):
                        continue
                    weak = len(reference) == 1 and not any(meets_any(p.interval(), reference) for p in prose)
                    tie = outlier.derived == "tie" or all(o.derived == "tie" for o in reference)
                    yield _finding(ctx, concept, outlier, reference, catalog, year, weak,
                                   severity=tie_severity if tie else None)
            ctx.check(len(members) - 1)  # each copy compared with the reference
        # a narrower scope can only be part of a wider one
        for (ref_a, scope_a) in references:
            for (ref_b, scope_b) in references:
                if scopes.relation(scope_a, scope_b) != "le":
                    continue
                ctx.check()
                if min(o.interval().lo for o in ref_a) > max(o.interval().hi for o in ref_b):
                    yield _finding(ctx, concept, ref_a[0], ref_b, catalog, year, True, inequality=True,
                                   narrower=in_every_language(partial(scope_name, scope_a)),
                                   wider=in_every_language(partial(scope_name, scope_b)))
        # a basic-only economic row is at most its 三公 item
        for obs in lower:
            targets = [r for r, _ in references if r]
            if not targets:
                continue
            reference = max(targets, key=len)
            ctx.check()
            if obs.interval().lo > max(o.interval().hi for o in reference):
                yield _finding(ctx, concept, obs, reference, catalog, year, True, inequality=True,
                               severity=tie_severity)


def _entities(ctx: RuleContext, groups: dict[tuple[str, str], list[Observation]], scopes: Scopes,
              catalog: object, year: int | None) -> Iterator[Finding]:
    """本级 ≤ 汇总 for the concepts of `entities.at_most` (balances), scope by scope: the own
    office's printed copy can be no larger than the department's copy of the same scope."""
    cmap = concept_map()
    for (concept, entity), own in groups.items():
        whole = groups.get((concept, ""), [])
        if entity != "own" or not whole or not any(p.search(concept) for p in cmap.entity_at_most):
            continue
        for obs in own:
            if not obs.printed:
                continue
            reference = [o for o in whole if o.printed and scopes.relation(obs.scope, o.scope) == "eq"]
            if not reference:
                continue
            ctx.check()
            if obs.interval().lo > max(o.interval().hi for o in reference):
                yield _finding(ctx, concept, obs, reference, catalog, year, True, inequality=True,
                               narrower=in_every_language(partial(describe, "entity.own")),
                               wider=in_every_language(partial(describe, "entity.department")),
                               key_suffix="|entity")


def _reference(groups: list[list[Observation]], failed: FailedCells | dict[str, int],
               prose: list[Observation]) -> list[Observation]:
    """The cluster most copies agree on; ties go to the copies whose own tables add up, then to
    the copies the prose agrees with, then to printed copies over computed ones."""

    def score(cluster: list[Observation]) -> tuple[int, int, int, int, int]:
        # copies are counted per table: two cells of one row (小计 and 其中：财政拨款) or a 合计 row
        # and the unit row repeating it are one witness
        tables = len({o.table_index for o in cluster})
        printed = len({o.table_index for o in cluster if o.printed})
        prose_hits = sum(1 for p in prose if meets_any(p.interval(), cluster))
        return (tables, -sum(suspicion(o, failed) for o in cluster), prose_hits, printed,
                -min(o.line for o in cluster))

    return groups[0] if len(groups) == 1 else max(groups, key=score)


def _finding(ctx: RuleContext, concept: str, outlier: Observation, reference: list[Observation],
             catalog: object, year: int | None, weak: bool, severity: str | None = None,
             inequality: bool = False, narrower: dict[str, str] | None = None,
             wider: dict[str, str] | None = None, key_suffix: str = "") -> Finding:
    """`inequality`: `outlier` may be at most `reference` — the `narrower` scope or entity inside the
    `wider` one (both named per language), or, with neither, a basic-only economic row inside its
    三公 item."""
    target = mid(reference)
    expected = show_value(target, outlier)
    actual = printed_text(outlier)
    iv = outlier.interval()
    ref_lo = max(o.interval().lo for o in reference)
    ref_hi = min(o.interval().hi for o in reference)
    gap_value = iv.mid - target
    difference = show_value(abs(gap_value), outlier)
    if gap_value < 0:
        difference = "-" + difference
    gap = max(Decimal(0), iv.lo - ref_hi, ref_lo - iv.hi)
    variant = ""
    args: dict[str, object] = {
        "what": in_every_language(lambda lang: describe(concept, lang, catalog, year)),
        "where": [where(outlier, catalog, year)], "others": places(reference, catalog, year),
        "actual": actual, "expected": expected, "difference": difference,
    }
    if inequality and narrower and wider:
        variant = "part_of"
        args.update(narrower=narrower, wider=wider)
    elif inequality:
        variant = "economic_row_of_item"
    candidates = repairs(outlier, target)
    if weak:
        for obs in reference:
            for key, value in repairs(obs, iv.mid).items():
                candidates.setdefault(key, value)
    involved = [outlier, *reference]
    return ctx.finding(
        ctx.location(outlier.line, table=outlier.table or None, row=outlier.row or None,
                     column=outlier.column or None),
        severity=severity,  # type: ignore[arg-type]
        args=args, variant=variant,
        expected=expected,
        actual=actual,
        difference=difference,
        evidence=evidence(ctx, outlier, reference),
        key=f"{concept}|{outlier.kind}|{outlier.table}|{outlier.row}|{outlier.column}|{outlier.derived}"
            f"|{'le' if inequality else 'eq'}{key_suffix}",
        cells=cell_keys(involved),
        culprit_candidates=candidates,
        cell_names=cell_names(involved),
        gap=gap,
        confidence=0.9 if weak else 1.0,
    )
