"""Narrative suite: the 情况说明 prose quotes the tables in 万元; the quotes must match.

Each prose amount tied to a label ("基本支出 5052.35 万元", "社会保障和就业支出 606.96 万元",
"公务接待费 8 万元") is an observation with a concept (auditor/read/observations.py); it must
equal the tables' value of that concept after unit conversion, within printed precision
(DOMAIN §1.5: a 万元 amount with d decimals against 元 is right when |a·10^4 − b| ≤
0.5·10^(4−d) 元; an amount the writer added up from rounded parts — 人员经费 = 工资福利 + 对个人和
家庭的补助, a 类 from its 项 — may carry the rounding of each part).

* `narrative.amount` (error) — the quote differs from the tables (DOMAIN B18, §7 C28);
* `narrative.label` (warning) — the label names one classification level but the amount is the
  total of another level of the same class (DOMAIN §7 C31: "行政运行支出 7484.60 万元" quotes the
  款 20103 total, not the 项 2010301 行政运行).

Changes ("比上年减少 27 万元"), unit prices and thresholds are not levels and are not compared here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.numbers import scale_of, to_base
from auditor.read.facts import Fact, read_facts
from auditor.read.observations import Observation, Scopes, function_code
from auditor.tolerance import Interval, interval
from checks._agree import (
    FailedCells,
    cell_keys,
    cell_names,
    clusters,
    evidence,
    mid,
    places,
    printed_text,
    repairs,
    show_prose,
    suspicion,
)

# a function code's classification level by its length; its name is in the message variants
_LEVEL = {3: "class", 5: "subclass", 7: "item"}


def _table_refs(read: ReadDocument) -> dict[str, list[Observation]]:
    out: dict[str, list[Observation]] = {}
    for obs in read.observations:
        if obs.source == "table" and obs.bound == "equal":
            out.setdefault(obs.concept, []).append(obs)
    return out


def _tolerance(prose: Observation, table: Observation) -> Interval:
    """What the table value allows the prose to print: its own interval, widened by the rounding
    of each part when the writer may have added rounded parts (a computed 类 total, 人员经费). The
    parts are taken as written in 万元 with 2 decimals (DOMAIN §1.1: the narrative convention), or
    with more decimals when the quote itself has more."""
    iv = table.interval()
    if table.derived in ("rollup", "formula") and len(table.cells) > 1:
        decimals = max(prose.number.decimals, 2)
        half = Decimal(5) * Decimal(10) ** (-(decimals + 1)) * scale_of(prose.unit)
        widen = half * (len(table.cells) - 1)
        return Interval(iv.lo - widen, iv.hi + widen)
    return iv


def _agrees(prose: Observation, table: Observation) -> bool:
    return prose.interval().meets(_tolerance(prose, table))


def _comparable(read: ReadDocument, scopes: Scopes, refs: dict[str, list[Observation]],
                prose: Observation, concept: str | None = None) -> list[Observation]:
    return [o for o in refs.get(concept or prose.concept, [])
            if scopes.relation(prose.scope, o.scope) == "eq"]


def _relatives(code: str, candidates: list[str]) -> list[str]:
    """Other codes of the same 类, nearest first: ancestors, then descendants, then the rest."""
    def order(other: str) -> tuple[int, int]:
        if code.startswith(other):
            return (0, len(code) - len(other))
        if other.startswith(code):
            return (1, len(other) - len(code))
        return (2, abs(len(other) - len(code)))

    return sorted((c for c in candidates if c != code and c[:3] == code[:3]), key=lambda c: (order(c), c))


def _quoted_level(read: ReadDocument, scopes: Scopes, refs: dict[str, list[Observation]],
                  prose: Observation) -> tuple[str, list[Observation]] | None:
    """For a function-code quote that matches its own code nowhere: the related code whose total
    it matches, with those table observations."""
    code = function_code(prose.concept)
    if not code or not prose.concept.endswith("].total"):
        return None
    codes = sorted({function_code(c) for c in refs if function_code(c) and c.endswith("].total")})
    for other in _relatives(code, codes):
        matches = [o for o in _comparable(read, scopes, refs, prose, f"expense.function[{other}].total")
                   if _agrees(prose, o)]
        if matches:
            return other, matches
    return None


def _occurrence(seen: dict[str, int], key: str) -> str:
    seen[key] = seen.get(key, 0) + 1
    return f"{key}|{seen[key]}"


@rule(
    "narrative.amount",
    severity="error",
    applies_to="prose",
)
def amounts(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Each amount the text quotes for a table quantity (收入/支出 totals, 基本/项目支出, 人员/公用
    经费, economic classes, function classes by name, "三公" items, 政府采购) must equal the table
    after converting 万元/亿元 to 元, within the printed precision of the quote: 5052.35 万元 stands for
    50,523,450–50,523,550 元.

    Why it matters: most readers only read the text; a figure there that the tables do not
    support is the number that gets quoted and is wrong.
    """
    if not read.observations:
        return
    scopes = Scopes(read.observations)
    refs = _table_refs(read)
    failed = FailedCells(read)
    seen: dict[str, int] = {}
    for prose in [o for o in read.observations if o.source == "prose"]:
        comparable = _comparable(read, scopes, refs, prose)
        # "基本支出 X 万元" without a scope word may quote any table's copy (the department's or
        # the 一般公共预算's) when the two are not known to be the same money
        loose = [] if prose.scope_stated else refs.get(prose.concept, [])
        if not comparable:
            comparable = [o for o in loose if o.bound == "equal"]
        if not comparable:
            if prose.concept in refs or function_code(prose.concept):
                ctx.insufficient()
            continue
        ctx.check()
        if any(_agrees(prose, o) for o in comparable) or any(_agrees(prose, o) for o in loose):
            continue
        if _quoted_level(read, scopes, refs, prose):
            continue  # narrative.label reports a quote of another classification level
        reference = _best(comparable, failed)
        yield _amount_finding(ctx, read, prose, reference, _occurrence(seen, f"{prose.concept}|{prose.label}"))


def _best(observations: list[Observation], failed: FailedCells | dict[str, int]) -> list[Observation]:
    def score(cluster: list[Observation]) -> tuple[int, int, int]:
        printed = sum(1 for o in cluster if o.printed)
        return (printed, len(cluster), -sum(suspicion(o, failed) for o in cluster))

    groups = clusters(observations)
    return groups[0] if len(groups) == 1 else max(groups, key=score)


def _table_value(obs: Observation) -> str:
    text = printed_text(obs)
    return text if text.endswith(("元", "）")) else f"{text} {obs.unit or '元'}"


def _amount_finding(ctx: RuleContext, read: ReadDocument, prose: Observation, reference: list[Observation],
                    key: str) -> Finding:
    target = mid(reference)
    expected = show_prose(target, prose.number)
    gap_value = prose.interval().mid - target
    difference = show_prose(abs(gap_value), prose.number)
    if gap_value < 0:
        difference = "-" + difference
    lo = max(o.interval().lo for o in reference)
    hi = min(o.interval().hi for o in reference)
    iv = prose.interval()
    gap = max(Decimal(0), iv.lo - hi, lo - iv.hi)
    catalog, year = ctx.catalog, read.year
    candidates = repairs(prose, target)
    if len(reference) <= 1:
        # one table against the text: the table cell may be the wrong one
        for obs in reference:
            for cell_key, value in repairs(obs, iv.mid).items():
                candidates.setdefault(cell_key, value)
    args = {
        "label": prose.label, "actual": prose.number.text, "expected": expected,
        "table_value": _table_value(reference[0]), "difference": difference,
        "others": places(reference, catalog, year),
    }
    involved = [prose, *reference]
    return ctx.finding(
        ctx.location(prose.line, row=prose.label),
        args=args,
        expected=expected,
        actual=prose.number.text,
        difference=difference,
        evidence=evidence(ctx, prose, reference),
        key=key,
        cells=cell_keys(involved),
        culprit_candidates=candidates,
        cell_names=cell_names(involved),
        gap=gap,
    )


def _code_name(code: str, catalog: object, year: int | None, refs: dict[str, list[Observation]]) -> str:
    name = ""
    if catalog is not None:
        try:
            name = catalog.function_name(code, year) or ""  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a name is a nicety
            name = ""
    if not name:
        printed = [o for o in refs.get(f"expense.function[{code}].total", []) if o.derived == ""]
        name = printed[0].row if printed else ""
    return name


@rule(
    "narrative.label",
    severity="warning",
    applies_to="prose",
)
def labels(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A prose label must refer to the classification level whose amount it quotes. "行政运行支出 7484.60 万元"
    names the 项 2010301 行政运行 (3895.75 万元), but 7484.60 万元
    is the total of the 款 20103 (行政运行 + 一般行政管理事务 + 专项业务活动).

    Why it matters: the reader is told that 7484.60 万元 keeps the office running, when almost
    half of it is project money.
    """
    if not read.observations:
        return
    scopes = Scopes(read.observations)
    refs = _table_refs(read)
    catalog, year = ctx.catalog, read.year
    seen: dict[str, int] = {}
    for prose in [o for o in read.observations if o.source == "prose" and function_code(o.concept)]:
        comparable = _comparable(read, scopes, refs, prose)
        if not comparable:
            continue
        ctx.check()
        if any(_agrees(prose, o) for o in comparable):
            continue
        quoted = _quoted_level(read, scopes, refs, prose)
        if quoted is None:
            continue
        other, matches = quoted
        code = function_code(prose.concept)
        named_ref = _best(comparable, {})
        # the levels the label names and the amount totals: the message says both (an item's name
        # for its sub-class's total is the default)
        variant = f"{_LEVEL.get(len(code), 'other')}_for_{_LEVEL.get(len(other), 'other')}"
        args = {
            "label": prose.label, "actual": prose.number.text,
            "named_code": code, "named_name": _code_name(code, catalog, year, refs),
            "named_value": _table_value(named_ref[0]),
            "quoted_code": other, "quoted_name": _code_name(other, catalog, year, refs),
            "quoted_value": _table_value(matches[0]),
        }
        involved = [prose, *matches]
        yield ctx.finding(
            ctx.location(prose.line, row=prose.label),
            args=args,
            variant="" if variant == "item_for_subclass" else variant,
            expected=f"{other} {args['quoted_name']}".strip(),
            actual=prose.label,
            evidence=evidence(ctx, prose, [*matches, *named_ref]),
            key=_occurrence(seen, f"{prose.label}|{code}|{other}"),
            cells=cell_keys(involved),
            cell_names=cell_names(involved),
            suggestion=None,
        )



# A total the text states and then splits into the parts that make it up (DOMAIN §2: 基本支出 =
# 人员经费 + 公用经费), each part stated once after it, before the total is stated again.
_SPLITS: dict[str, tuple[str, ...]] = {"expense.basic": ("expense.personnel", "expense.public")}
_SPLIT_LINES = 12  # the parts follow within a few lines (their sentences list what they cover)


@rule(
    "narrative.parts",
    severity="warning",
    applies_to="prose",
)
def split_parts(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A total stated in the prose and then split into its parts in the following sentences
    ("基本支出 X 元，其中：人员经费 A 元，主要包括 …。公用经费 B 元，…") must equal the sum of those
    parts within their printed precision (基本支出 = 人员经费 + 公用经费). The parts are
    found by concept, across sentence breaks, so a list that the enumeration reader sees as two
    sentences is still checked. A warning: the text may split another scope's total.

    Why it matters: two values of one total in one section (the total and its parts' sum) leave
    the reader not knowing which is right.
    """
    facts = [f for f in read_facts(read.paragraphs) if f.level and f.concept and f.number.unit in ("元", "万元", "亿元")]
    for index, total in enumerate(facts):
        wanted = _SPLITS.get(total.concept)
        if wanted is None:
            continue
        parts: dict[str, Fact] = {}
        for other in facts[index + 1:]:
            if other.line - total.line > _SPLIT_LINES or other.concept == total.concept:
                break
            if other.concept in wanted and other.concept not in parts:
                parts[other.concept] = other
        if len(parts) != len(wanted):
            continue
        ctx.check()
        numbers = [p.number for p in parts.values()]
        parts_sum = sum((interval(n) for n in numbers[1:]), interval(numbers[0]))
        if interval(total.number).meets(parts_sum):
            continue
        value = sum((to_base(n) for n in numbers), Decimal(0))
        expected = show_prose(value, total.number)
        gap = to_base(total.number) - value
        difference = ("-" if gap < 0 else "") + show_prose(abs(gap), total.number)
        yield ctx.finding(
            ctx.location(total.line, row=total.label),
            args={"label": total.label, "actual": total.number.text,
                  "parts": [f"{p.label} {p.number.text}" for p in parts.values()], "expected": expected,
                  "difference": difference},
            expected=expected, actual=total.number.text, difference=difference,
            evidence=[ctx.evidence(total.line, total.number.text)]
            + [ctx.evidence(p.line, p.number.text) for p in parts.values() if p.line != total.line],
            key=f"parts|{total.concept}|{total.line}",
        )
