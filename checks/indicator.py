"""Indicator suite: performance-target tables (项目 / 部门整体绩效目标表, 自评表) that contradict the
framework they use or themselves (DOMAIN §3, §5 class 17, rule ideas D39–D45).

Each project's indicators (an `IndicatorSet`) are checked for: indicators filed under the wrong
二级 (a rate under 数量, a reply rate under 满意度), duplicates, a label in the value cell, targets
that cannot be measured, required categories left empty, weights that do not add up, cost
indicators and header amounts that disagree with the project's money, goal text copied across
projects, and the department-level task table.

The data the rules use (二级 slots, name cues per category, which cue contradicts which slot,
required categories per framework, department task names) is in
checks/catalog/indicator_taxonomy.yaml, each list with its source.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from auditor.engine import RuleContext, rule
from auditor.messages import language_codes
from auditor.model import Finding, Indicator, IndicatorSet, Number, ReadDocument, Target
from auditor.numbers import MONEY_UNITS, parse_amount, parse_decimal, parse_target, to_base
from auditor.read.facts import read_facts
from auditor.read.indicator_taxonomy import Framework, load_taxonomy, norm
from auditor.read.indicators import dept_task
from auditor.read.observations import describe, in_every_language
from auditor.read.value_form import (
    find_cue,
    find_cues,
    lists_items,
    names_rate,
    target_unit,
    taxonomy_data,
    value_form,
)
from auditor.tolerance import check_sum, interval
from checks._scope import fmt, squash

# --------------------------------------------------------------------------- data

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}

TOTAL_COST_WORDS = ("总成本", "总支出", "总投入", "总费用", "项目成本", "项目支出")


@lru_cache(maxsize=1)
def _slots() -> dict[str, str]:
    """Normalised 二级 name -> slot."""
    out: dict[str, str] = {}
    for slot, names in ((taxonomy_data().get("slots") or {}).get("map") or {}).items():
        for name in names:
            out.setdefault(norm(name), slot)
    return out


def slot_of(level2: str) -> str:
    return _slots().get(norm(level2), "")


def _fit(slot: str) -> dict[str, Any]:
    return (taxonomy_data().get("category_fit") or {}).get(slot) or {}


@lru_cache(maxsize=1)
def _label_words() -> frozenset[str]:
    return frozenset(norm(w) for w in taxonomy_data().get("label_words") or [])


def _framework(s: IndicatorSet) -> Framework | None:
    return load_taxonomy().frameworks.get(s.framework) if s.framework else None


def generic_name(ind: Indicator) -> bool:
    """The 三级 name only repeats its 二级 (or 一级) name: "数量指标 → 数量指标" (seed 004)."""
    name = norm(ind.name)
    if not name:
        return True
    bare = name.removesuffix("指标")
    for level in (ind.level2, ind.level1):
        lv = norm(level)
        if lv and (name == lv or bare == lv.removesuffix("指标")):
            return True
    return bool(slot_of(name)) and slot_of(name) == slot_of(ind.level2)


def label(ind: Indicator) -> str:
    """What the indicator is about: its name, or — when the name only repeats the 二级 — its
    指标值内容 and a qualitative target (seed 004 prints "经济效益指标 → 完整 → 预算编制完整性")."""
    if not generic_name(ind):
        return norm(ind.name)
    # a long or enumerated 指标值内容 ("1、包车牌发放备案工作。2、创建群众满意客运站…") lists work
    # items, not what the indicator measures
    desc = norm(ind.description)
    parts = [desc] if len(desc) <= 16 and not lists_items(desc) else []
    if ind.target.kind == "word":
        parts.append(ind.target.word or ind.target.text)
    return norm(" ".join(p for p in parts if p))


def _path(ind: Indicator) -> str:
    return "/".join(p for p in (ind.level1, ind.level2, ind.name) if p)


def _project(s: IndicatorSet) -> str:
    return s.project or "项目"


def _set_key(s: IndicatorSet) -> str:
    return f"{s.section}|{s.project}"


def _ind_key(s: IndicatorSet, ind: Indicator) -> str:
    extra = f"|{norm(ind.description)[:20]}" if generic_name(ind) else ""
    return f"{_set_key(s)}|{norm(ind.level1)}|{norm(ind.level2)}|{norm(ind.name)}{extra}"


DELETE_ROW = "删除重复的指标行"


def _row_cell(s: IndicatorSet, ind: Indicator) -> str:
    """The root-cause key of one indicator row (rank.py groups findings that one change repairs)."""
    return f"{_ind_key(s, ind)}|{squash(_value_text(ind))}"


def _row_name(s: IndicatorSet, ind: Indicator) -> str:
    return f"{_project(s)}「{ind.name or ind.level2}」{_value_text(ind)} 一行"


def duplicate_groups(s: IndicatorSet) -> list[list[Indicator]]:
    """Indicators of one project that are the same indicator (see indicator.duplicate)."""
    groups: dict[str, list[Indicator]] = {}
    for ind in s.indicators:
        if generic_name(ind):
            if not squash(ind.description):
                continue
            key = f"{norm(ind.level2)}|{squash(ind.description)}"
        else:
            key = squash(ind.name)
        if key:
            groups.setdefault(key, []).append(ind)
    return [g for g in groups.values() if len(g) > 1]


def _extra_rows(s: IndicatorSet) -> list[Indicator]:
    """Second and later copies of a duplicated indicator: deleting them is a candidate repair."""
    return [i for g in duplicate_groups(s) for i in g[1:]]


def _loc(ctx: RuleContext, s: IndicatorSet, ind: Indicator, column: str = "指标值"):
    return ctx.location(ind.line, table=_project(s), row=ind.name or ind.level2, column=column)


def _value_text(ind: Indicator) -> str:
    return (ind.target.text or ind.target_text or "").strip()


def _stronger(a: str, b: str) -> str:
    return a if SEVERITY_ORDER.get(a, -1) >= SEVERITY_ORDER.get(b, -1) else b


# --------------------------------------------------------------------------- category


def category_conflict(ind: Indicator) -> dict[str, str] | None:
    """Why an indicator does not fit its 二级: {"severity", "kind" ("cue"|"form"), "what", "word"}
    or None. An indicator whose label carries a cue of its own slot is never flagged."""
    slot = slot_of(ind.level2)
    if not slot or slot == "management":
        return None
    fit = _fit(slot)
    if not fit:
        return None
    text = label(ind)
    cues = find_cues(text)
    form = value_form(ind.target, text)
    if any(c in cues for c in fit.get("own") or []):
        return None
    best: dict[str, str] | None = None
    for cue_kind, form_kind in fit.get("strong_pairs") or []:
        if cue_kind in cues and form == form_kind:
            return {"severity": "warning", "kind": "cue", "what": cue_kind, "word": cues[cue_kind], "form": form}
    for cue_kind, severity in (fit.get("cues") or {}).items():
        if cue_kind in cues and (best is None or SEVERITY_ORDER[severity] > SEVERITY_ORDER[best["severity"]]):
            best = {"severity": severity, "kind": "cue", "what": cue_kind, "word": cues[cue_kind], "form": form}
    severity = (fit.get("forms") or {}).get(form)
    if severity and (best is None or SEVERITY_ORDER[severity] > SEVERITY_ORDER[best["severity"]]):
        best = {"severity": severity, "kind": "form", "what": form, "word": _value_text(ind), "form": form}
    return best


def _category_name(kind: str, key: str, fallback: str) -> dict[str, str]:
    """A slot, cue kind or value form named per language (indicator_taxonomy.yaml `names`)."""
    names = ((taxonomy_data().get("names") or {}).get(kind) or {}).get(key)
    return dict(names) if names else {lang: fallback for lang in language_codes()}


@rule(
    "indicator.category",
    severity="warning",
    applies_to="perf_targets,self_eval",
)
def category(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """An indicator's name or value form contradicts its 二级/一级 (a red flag of a target table): a
    timeliness or satisfaction word under 数量 ("系统维护及时率"), a count under 质量 whose name says
    数量/次数, a maintenance/response rate under 环境/生态效益, a budget-management item or an input
    amount (项目总投资) under 经济效益, a reply/handling rate under 满意度 ("案件回复率").

    Strong evidence (a cue word of another category) is a warning; weak evidence (only the value
    form, e.g. a % under 数量 with no cue) is info; cases the domain accepts stay quiet (完成率 /
    覆盖率 under 数量, which the 2020 evaluation framework itself uses as 产出数量).

    Why it matters: a misfiled indicator hides a missing one (a 时效 target filed under 数量 leaves
    时效 empty) and makes the framework's weights meaningless.
    """
    seen: set[str] = set()
    for s in read.indicator_sets:
        for ind in s.indicators:
            if not slot_of(ind.level2):
                continue
            ctx.check()
            conflict = category_conflict(ind)
            if conflict is None:
                continue
            key = _ind_key(s, ind)
            if key in seen:
                continue
            seen.add(key)
            slot = slot_of(ind.level2)
            slot_name = _category_name("slots", slot, ind.level2)
            args: dict[str, object] = {"project": _project(s), "path": _path(ind), "level1": ind.level1,
                                       "level2": ind.level2, "slot": slot_name, "word": conflict["word"]}
            if conflict["kind"] == "cue":
                variant = "cue_in_content" if generic_name(ind) else ""
                args["cue"] = _category_name("cues", conflict["what"], conflict["what"])
            else:
                variant = "value_form"
                args["form"] = _category_name("forms", conflict["what"], conflict["what"])
            yield ctx.finding(
                _loc(ctx, s, ind, column="三级指标"), severity=conflict["severity"],  # type: ignore[arg-type]
                args=args, variant=variant,
                expected=next(iter(slot_name.values())), actual=conflict["word"],
                evidence=[ctx.evidence(ind.line, conflict["word"])],
                key=key, confidence=0.9 if conflict["severity"] == "warning" else 0.6,
            )


# --------------------------------------------------------------------------- duplicate


@rule(
    "indicator.duplicate",
    severity="warning",
    applies_to="perf_targets,self_eval",
)
def duplicate(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The same indicator appears twice in one project: the same 三级 name after removing
    spaces and punctuation, or — where the 三级 name only repeats the 二级 — the same
    二级 and the same 指标值内容. Rows continued over a page break are merged by the reader, so
    they are one indicator, not two.

    Why it matters: a copied row double-counts its weight and usually replaces the indicator that
    should have been there.
    """
    for s in read.indicator_sets:
        ctx.check(len(s.indicators))
        for inds in duplicate_groups(s):
            first = inds[0]
            key = f"{norm(first.level2)}|{squash(first.description)}" if generic_name(first) else squash(first.name)
            shown = first.name if not generic_name(first) else f"{first.name}（{first.description}）"
            yield ctx.finding(
                _loc(ctx, s, inds[1], column="三级指标"),
                args={"project": _project(s), "indicator": shown, "count": len(inds),
                      "values": "；".join(_value_text(i) or "空" for i in inds)},
                expected="1", actual=str(len(inds)),
                evidence=[ctx.evidence(i.line, _value_text(i)) for i in inds[:6]],
                key=f"{_set_key(s)}|{key}",
                culprit_candidates={_row_cell(s, i): DELETE_ROW for i in inds[1:]},
                cell_names={_row_cell(s, i): _row_name(s, i) for i in inds[1:]},
            )


# --------------------------------------------------------------------------- value swapped


def swapped_number(ind: Indicator) -> Target | None:
    """The number printed in the 指标值内容 / 度量单位 cell when the 指标值 cell holds a label."""
    if ind.target.kind not in ("word", "text") or ind.target.number is not None:
        return None
    word = norm(ind.target.word or ind.target.text)
    if not word or len(word) > 10 or any(ch in "0123456789" for ch in word):
        return None
    for other in (ind.description, ind.unit_text):
        if not other.strip():
            continue
        parsed = parse_target(other)
        if parsed.kind in ("number", "range") and parsed.number is not None and target_unit(parsed) \
                and not parsed.word:
            return parsed
    return None


@rule(
    "indicator.value_swapped",
    severity="warning",
    applies_to="perf_targets,self_eval",
)
def value_swapped(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The 指标值 cell holds a label ("总成本") while the neighbouring 指标值内容 or 度量单位 cell
    holds the number with its unit ("10万元").

    Why it matters: a reader (and every machine check) takes the label as the target and loses the
    number; the cost check below uses the number from the neighbouring cell.
    """
    for s in read.indicator_sets:
        for ind in s.indicators:
            ctx.check()
            number = swapped_number(ind)
            if number is None:
                continue
            in_desc = number.text.strip() == ind.description.strip() or ind.description.strip() == number.text
            in_unit = not in_desc and bool(ind.unit_text)  # else the 指标值内容 cell holds it
            target = _value_text(ind)
            confidence = 0.9 if norm(target) in _label_words() or find_cue(target, "cost") else 0.6
            yield ctx.finding(
                _loc(ctx, s, ind),
                args={"project": _project(s), "path": _path(ind), "target": target, "number": number.text.strip()},
                variant="in_unit" if in_unit else "",
                expected=number.text.strip(), actual=target,
                evidence=[ctx.evidence(ind.line, target)],
                key=_ind_key(s, ind), confidence=confidence,
            )


# --------------------------------------------------------------------------- unmeasurable

FLOOR_SLOTS = ("quantity",)


def unmeasurable_reason(ind: Indicator) -> str | None:
    """Why a target cannot be measured as printed (the finding's variant: "" for an empty target,
    "sentence", "bare_number", "no_percent", "upper_bound"), else None."""
    t = ind.target
    slot = slot_of(ind.level2)
    if t.kind == "empty":
        return "" if swapped_number(ind) is None else None
    if t.kind == "text":
        return "sentence"
    if t.kind == "number" and t.number is not None and not target_unit(t) and not t.word:
        name = label(ind)
        if not t.op:
            return "bare_number"
        if slot == "satisfaction" or find_cue(name, "satisfaction") or names_rate(name):
            return "no_percent"
    if slot in FLOOR_SLOTS and t.kind == "number" and t.op in ("≤", "<"):
        return "upper_bound"
    return None


_MEASURABLE_SLOTS = ("quantity", "quality", "timeliness", "cost", "economic", "social", "ecological",
                     "sustainable", "satisfaction")


@rule(
    "indicator.unmeasurable",
    severity="info",
    applies_to="perf_targets,self_eval",
)
def unmeasurable(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Targets that cannot be checked against a result (targets not 细化量化): an
    empty target; a sentence instead of a value; a bare number with neither operator nor unit
    ("平台美誉度 → 1"); a rate without % ("≥95" under 满意度); an upper bound on an output quantity
    ("≤5000本"); 三级 names that only repeat their 二级 (reported once per project). A warning when
    none of the project's 产出/效益/满意度 targets is measurable (a number, a range or a date).

    Why it matters: an indicator that cannot be measured cannot be evaluated, so the self-evaluation
    that follows can award any score.
    """
    for s in read.indicator_sets:
        outcome_inds = [i for i in s.indicators if slot_of(i.level2) in _MEASURABLE_SLOTS]
        ctx.check(len(s.indicators))
        for ind in s.indicators:
            reason = unmeasurable_reason(ind)
            if reason is None:
                continue
            yield ctx.finding(
                _loc(ctx, s, ind),
                args={"project": _project(s), "path": _path(ind), "target": _value_text(ind)}, variant=reason,
                actual=_value_text(ind) or "空", evidence=[ctx.evidence(ind.line, _value_text(ind) or None)],
                key=_ind_key(s, ind) + "|value", confidence=0.7,
            )
        generic = [i for i in s.indicators if generic_name(i)]
        if generic and len(generic) >= max(2, len(s.indicators) // 2):
            first = generic[0]
            yield ctx.finding(
                _loc(ctx, s, first, column="三级指标"),
                args={"project": _project(s), "generic": len(generic), "indicators": len(s.indicators),
                      "example": first.name, "target": _value_text(first)}, variant="generic_names",
                actual=first.name, evidence=[ctx.evidence(i.line, i.name) for i in generic[:4]],
                key=f"{_set_key(s)}|generic_names", confidence=0.8,
            )
        if outcome_inds and not any(
            i.target.kind in ("number", "range", "date") or swapped_number(i) is not None for i in outcome_inds
        ):
            first = outcome_inds[0]
            yield ctx.finding(
                _loc(ctx, s, first), severity="warning",
                args={"project": _project(s), "target": _value_text(first)}, variant="none_measurable",
                evidence=[ctx.evidence(i.line, _value_text(i)) for i in outcome_inds[:4]],
                key=f"{_set_key(s)}|none_measurable",
            )


# --------------------------------------------------------------------------- missing category


def _required(framework: str) -> dict[str, list[str]]:
    return ((taxonomy_data().get("required") or {}).get(framework)) or {}


@rule(
    "indicator.missing_category",
    severity="warning",
    applies_to="perf_targets,self_eval",
)
def missing_category(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A framework's required categories have no indicator: 财预〔2021〕101号
    needs 经济成本 and 产出 数量/质量/时效; the 2015 framework 产出 数量/质量/时效; every framework a
    满意度 and (2015/2021) a 效益 dimension. Reported once per project, naming every missing one;
    categories printed with an empty row (`IndicatorSet.empty_categories`) count as missing.

    Why it matters: a missing 满意度 or 时效 dimension is the most common structural deduction in
    official reviews of target tables.
    """
    last = _last_line(read)
    for s in read.indicator_sets:
        fw = _framework(s)
        req = _required(s.framework)
        if fw is None or not req or not s.indicators:
            ctx.insufficient()
            continue
        present2 = {fw.l2(i.level2, i.level1) for i in s.indicators if i.level2}
        present1 = {fw.l1(i.level1) for i in s.indicators if i.level1}
        present1 |= {fw.parent_of(l2) for l2 in present2 if l2}
        missing: list[str] = [n for n in req.get("level2") or [] if n not in present2]
        missing += [n for n in req.get("level1") or [] if n not in present1]
        empty = {fw.l2(l2, l1) for l1, l2, _ in s.empty_categories}
        if missing and _ends_document(read, s, last):
            # the document ends with this set, so it may be cut off: only a category printed
            # with an empty row is known to be missing
            missing = [m for m in missing if m in empty]
            if not missing:
                ctx.insufficient()
                continue
        ctx.check()
        if not missing:
            continue
        printed_empty = [m for m in missing if m in empty]
        lines = [line for l1, l2, line in s.empty_categories if fw.l2(l2, l1) in printed_empty]
        # category names are listed as the document lists them, in both languages
        args: dict[str, Any] = {"project": _project(s), "missing": "、".join(missing),
                                "framework": {"zh": fw.title_zh or fw.title, "en": fw.title}}
        variant = ""  # none of the missing categories is printed
        if printed_empty:
            args["empty"] = "、".join(printed_empty)
            variant = "partly_empty" if len(printed_empty) < len(missing) else "empty"
        first_line = lines[0] if lines else s.line
        yield ctx.finding(
            ctx.location(first_line, table=_project(s), row="、".join(missing), column="二级指标"),
            args=args, variant=variant,
            expected="、".join(missing), actual="空" if printed_empty else "未列",
            evidence=[ctx.evidence(line) for line in (lines or [s.line])[:4]],
            key=f"{_set_key(s)}|missing",
        )


# --------------------------------------------------------------------------- weights


def _weight_basis(s: IndicatorSet) -> list[Decimal]:
    """Accepted totals of the indicator weights: the full total, and the total without the 10
    points of 预算执行率 when that is scored outside the indicator rows."""
    if s.total is not None and s.total.weight is not None:
        total = s.total.weight
        if "执行率" in s.total.name or s.source == "self_eval":
            return [total, total - 10]
        return [total]
    if s.source == "self_eval":
        return [Decimal(100), Decimal(90)]
    return [Decimal(100)]


def _basis_text(accepted: list[Decimal]) -> str:
    """The accepted totals as the finding's expected value."""
    if len(accepted) > 1:
        return f"{fmt(accepted[0])}（或 {fmt(accepted[1])} + 预算执行率 10）"
    return fmt(accepted[0])


def _ends_document(read: ReadDocument, s: IndicatorSet, last: int) -> bool:
    """The set is the document's last and its rows reach the last line: it may be cut off."""
    return bool(s.indicators) and s is read.indicator_sets[-1] and max(i.line for i in s.indicators) >= last


def _last_line(read: ReadDocument) -> int:
    for line in reversed(read.doc.lines):
        if line.text.strip():
            return line.number
    return 0


@rule(
    "indicator.weight_sum",
    severity="error",
    applies_to="perf_targets,self_eval",
)
def weight_sum(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Indicator weights (分值/权重) add up: per project Σ = 100, or 90 when 预算
    执行率 (10 分) is scored outside the indicator rows (self-evaluations, or a total row saying so);
    a printed 一级 subtotal ("产出指标 (50分)") equals the weights under it. Exact: weights are
    printed whole or to one decimal.

    Why it matters: the score of every indicator is a share of its weight; weights that do not add
    up make the total score meaningless.
    """
    last = _last_line(read)
    for s in read.indicator_sets:
        weighted = [i for i in s.indicators if i.weight is not None]
        if not weighted:
            if s.declared_weights:
                ctx.insufficient()
            continue
        if len(weighted) < len(s.indicators):
            ctx.insufficient()
            continue
        total = sum((i.weight for i in weighted), Decimal(0))  # type: ignore[misc]
        accepted = _weight_basis(s)
        ctx.check()
        if total not in accepted:
            truncated = _ends_document(read, s, last)
            args: dict[str, Any] = {"project": _project(s), "count": len(weighted), "actual": fmt(total),
                                    "expected": fmt(accepted[0])}
            if len(accepted) > 1:
                args["without_rate"] = fmt(accepted[1])
            if len(accepted) > 1:
                variant = "with_rate_cut_off" if truncated else "with_rate"
            else:
                variant = "cut_off" if truncated else ""
            yield ctx.finding(
                ctx.location(s.line, table=_project(s), column="分值"), args=args, variant=variant,
                expected=_basis_text(accepted), actual=fmt(total), difference=fmt(total - accepted[0]),
                evidence=[ctx.evidence(i.line, fmt(i.weight)) for i in weighted[:8]],
                key=f"{_set_key(s)}|weights", confidence=0.5 if truncated else 1.0,
                culprit_candidates={_row_cell(s, i): DELETE_ROW for i in _extra_rows(s)
                                    if i.weight is not None and total - i.weight in accepted},
                cell_names={_row_cell(s, i): _row_name(s, i) for i in _extra_rows(s)},
            )
        fw = _framework(s)
        for l1, (declared, line) in s.declared_weights.items():
            canon = fw.l1(l1) if fw else ""
            parts = [i for i in weighted if norm(i.level1) == norm(l1) or (canon and fw and fw.l1(i.level1) == canon)]
            if not parts:
                ctx.insufficient()
                continue
            part_sum = sum((i.weight for i in parts), Decimal(0))  # type: ignore[misc]
            ctx.check()
            if part_sum != declared:
                yield ctx.finding(
                    ctx.location(line, table=_project(s), row=l1, column="分值"),
                    args={"project": _project(s), "level1": l1, "actual": fmt(part_sum), "expected": fmt(declared)},
                    variant="subtotal",
                    expected=fmt(declared), actual=fmt(part_sum), difference=fmt(part_sum - declared),
                    evidence=[ctx.evidence(line, fmt(declared))] + [ctx.evidence(i.line, fmt(i.weight)) for i in parts[:6]],
                    key=f"{_set_key(s)}|weights|{norm(l1)}",
                )


# --------------------------------------------------------------------------- cost and amounts


def _close(a: Number, b: Number) -> bool:
    """Two printed amounts can be equal given their printed precision (DESIGN §6)."""
    tol = a.half_ulp * (Decimal(10) ** MONEY_UNITS.get(a.unit, 0)) + b.half_ulp * (Decimal(10) ** MONEY_UNITS.get(b.unit, 0))
    return abs(to_base(a) - to_base(b)) <= tol


def _show(n: Number) -> str:
    return (n.text or fmt(n.value)).strip() + ("" if n.text.strip().endswith(n.unit) else n.unit)


def cost_number(ind: Indicator) -> Number | None:
    """The amount of a cost indicator: its target, or the number in the neighbouring cell when the
    target cell holds the label ("总成本 → 10万元")."""
    t = ind.target
    if t.kind == "number" and t.number is not None and target_unit(t).split("/")[0] in MONEY_UNITS and "/" not in target_unit(t):
        unit = target_unit(t)
        return Number(t.number.value, t.number.decimals, unit, t.number.text)
    swapped = swapped_number(ind)
    if swapped is not None and swapped.number is not None and target_unit(swapped) in MONEY_UNITS:
        return Number(swapped.number.value, swapped.number.decimals, target_unit(swapped), swapped.number.text)
    return None


def _is_total_cost(ind: Indicator) -> bool:
    text = norm(" ".join((ind.name, ind.description, ind.target.word or "")))
    return any(w in text for w in TOTAL_COST_WORDS)


def _field_amount(s: IndicatorSet, key: str, unit: str) -> Number | None:
    value = s.fields.get(key, "").strip()
    if not value:
        return None
    return parse_amount(value, unit)


@rule(
    "indicator.cost_mismatch",
    severity="warning",
    applies_to="perf_targets",
)
def cost_mismatch(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Cost indicators and the project's own amounts agree: a 成本 / 经济成本 indicator
    described as 总成本 equals the project's amount (warning when it differs, error when it exceeds
    it; any cost indicator above the project amount is an error), converting 元/万元; the header
    has 项目总金额 ≥ 项目本年度金额 and 项目本年度金额 = Σ 项目构成 (error); a wide table's 合计 =
    Σ project 资金总额 and 项目个数 = the number of projects (error). Equality is interval equality
    at printed precision.

    Why it matters: a cost target that differs from the money the project gets means either the
    budget or the target is wrong; header amounts that do not add up are arithmetic errors.
    """
    for s in read.indicator_sets:
        amount = s.amount
        yield from _header_amounts(ctx, s)
        for ind in s.indicators:
            if slot_of(ind.level2) != "cost" and not find_cue(ind.level2, "cost"):
                continue
            number = cost_number(ind)
            if number is None:
                continue
            if amount is None or amount.unit not in MONEY_UNITS:
                ctx.insufficient()
                continue
            ctx.check()
            exceeds = to_base(number) > to_base(amount) and not _close(number, amount)
            total_cost = _is_total_cost(ind)
            if not exceeds and (not total_cost or _close(number, amount)):
                continue
            # compared with the wide table's 项目资金总额, else with the 项目本年度金额
            args: dict[str, Any] = {"project": _project(s), "indicator": ind.name or ind.level2,
                                    "actual": _show(number), "expected": _show(amount)}
            if ind.description:
                args["description"] = ind.description
            if s.source == "wide_table":
                variant = "wide_table" if ind.description else "wide_table_no_description"
            else:
                variant = "" if ind.description else "no_description"
            yield ctx.finding(
                _loc(ctx, s, ind), severity="error" if exceeds else "warning", args=args, variant=variant,
                expected=_show(amount), actual=_show(number),
                difference=fmt((to_base(number) - to_base(amount)) / (Decimal(10) ** MONEY_UNITS.get(amount.unit, 0))) + amount.unit,
                evidence=[ctx.evidence(s.line, amount.text), ctx.evidence(ind.line, number.text)],
                key=_ind_key(s, ind) + "|cost", gap=abs(to_base(number) - to_base(amount)),
                culprit_candidates={_row_cell(s, ind): DELETE_ROW if ind in _extra_rows(s) else _show(amount)},
                cell_names={_row_cell(s, ind): _row_name(s, ind)},
            )
    yield from _wide_tables(ctx, read)


def _header_amounts(ctx: RuleContext, s: IndicatorSet) -> Iterator[Finding]:
    unit = s.amount.unit if s.amount is not None and s.amount.unit in MONEY_UNITS else "元"
    total = _field_amount(s, "项目总金额", unit)
    year = _field_amount(s, "项目本年度金额", unit)
    if total is not None and year is not None:
        ctx.check()
        if to_base(year) > to_base(total) and not _close(year, total):
            yield ctx.finding(
                ctx.location(s.field_lines.get("项目本年度金额", s.line), table=_project(s), column="项目本年度金额"),
                severity="error",
                args={"project": _project(s), "actual": year.text, "expected": total.text}, variant="year_over_total",
                expected=f"≤ {total.text}", actual=year.text, difference=fmt(year.value - total.value),
                evidence=[ctx.evidence(s.field_lines.get("项目总金额", s.line), total.text)],
                key=f"{_set_key(s)}|header|year_total",
            )
    parts = [(k, _field_amount(s, k, unit)) for k in s.fields if k.startswith("项目构成.")]
    parts = [(k, n) for k, n in parts if n is not None]
    if year is not None and parts:
        ctx.check()
        base = sum((to_base(n) for _, n in parts), Decimal(0))
        if not check_sum(interval(year), (interval(n) for _, n in parts)).holds:
            scale = Decimal(10) ** MONEY_UNITS.get(year.unit, 0)
            expected = (base / scale).quantize(Decimal(10) ** -year.decimals)
            yield ctx.finding(
                ctx.location(s.field_lines.get("项目本年度金额", s.line), table=_project(s), column="项目本年度金额"),
                severity="error",
                args={"project": _project(s), "actual": year.text, "expected": str(expected)}, variant="year_parts",
                expected=str(expected), actual=year.text, difference=fmt(year.value - expected),
                evidence=[ctx.evidence(s.field_lines.get("项目本年度金额", s.line), year.text)]
                + [ctx.evidence(s.field_lines.get(k, s.line), n.text) for k, n in parts[:6]],
                key=f"{_set_key(s)}|header|parts",
            )


def _wide_tables(ctx: RuleContext, read: ReadDocument) -> Iterator[Finding]:
    tables: dict[int, list[IndicatorSet]] = {}
    for s in read.indicator_sets:
        if s.source == "wide_table" and s.table_line:
            tables.setdefault(s.table_line, []).append(s)
    for sets in tables.values():
        first = sets[0]
        projects: dict[str, IndicatorSet] = {}
        for s in sets:
            projects.setdefault(norm(s.project), s)
        unit = first.amount.unit if first.amount is not None else "万元"
        total = _field_amount(first, "合计", unit)
        amounts = [s.amount for s in projects.values()]
        line = first.field_lines.get("合计", first.table_line)
        if total is not None and amounts and all(a is not None for a in amounts):
            ctx.check()
            base = sum((to_base(a) for a in amounts if a is not None), Decimal(0))
            if not check_sum(interval(total), (interval(a) for a in amounts if a is not None)).holds:
                scale = Decimal(10) ** MONEY_UNITS.get(total.unit, 0)
                expected = (base / scale).quantize(Decimal(10) ** -total.decimals)
                yield ctx.finding(
                    ctx.location(line, table=first.fields.get("表名") or "项目支出绩效目标表", column="合计"),
                    severity="error",
                    args={"actual": total.text, "expected": str(expected)}, variant="wide_total",
                    expected=str(expected), actual=total.text, difference=fmt(total.value - expected),
                    evidence=[ctx.evidence(line, total.text)] + [ctx.evidence(s.line, s.amount.text if s.amount else None)
                                                                 for s in list(projects.values())[:6]],
                    key=f"wide|{first.project}|total", gap=abs(base - to_base(total)),
                )
        count_text = first.fields.get("项目个数", "").strip()
        parsed = parse_decimal(count_text) if count_text else None
        if parsed is not None:
            ctx.check()
            if parsed[0] != len(projects):
                count_line = first.field_lines.get("项目个数", line)
                yield ctx.finding(
                    ctx.location(count_line, table="项目支出绩效目标表", column="项目个数"), severity="error",
                    args={"actual": count_text, "expected": str(len(projects))}, variant="wide_count",
                    expected=str(len(projects)), actual=count_text,
                    evidence=[ctx.evidence(count_line, count_text)],
                    key=f"wide|{first.project}|count",
                )


# --------------------------------------------------------------------------- boilerplate

GOAL_FIELDS = ("年度绩效目标", "实施期绩效目标")


@rule(
    "indicator.boilerplate",
    severity="info",
    applies_to="perf_targets",
)
def boilerplate(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The same 年度绩效目标 / 实施期绩效目标 text, or the same list of indicators with the same
    targets, appears in three or more projects of one document ("年度目标 copied identically across
    projects"). The fixed 投入与目标管理 items of the Henan table are left out of
    the list comparison: the template prescribes them.

    Why it matters: a goal copied from project to project says nothing about any of them, and the
    indicators cannot then measure it.
    """
    projects = {}
    for s in read.indicator_sets:
        projects.setdefault((s.section, norm(s.project)), s)
    sets = list(projects.values())
    for field_name in GOAL_FIELDS:
        groups: dict[str, list[IndicatorSet]] = {}
        # texts of 20 characters or more by their first 20: a prefix match is looked for among
        # those only (not every group: linear in the number of projects), in the groups' order
        by_head: dict[str, list[str]] = {}
        for s in sets:
            text = squash(s.fields.get(field_name, ""))
            if len(text) < 10:
                continue
            # a cell cut at a page break is a prefix of the full text: the same goal
            head = by_head.setdefault(text[:20], []) if len(text) >= 20 else []
            match = next((k for k in head if k.startswith(text) or text.startswith(k)), None)
            if match is None and text in groups:
                match = text
            if match is not None and len(text) > len(match):
                groups[text] = groups.pop(match)
                head.remove(match)
                head.append(text)
                match = text
            if match is None and len(text) >= 20:
                head.append(text)
            groups.setdefault(match or text, []).append(s)
        ctx.check(len(groups))
        for text, members in groups.items():
            if len(members) < 3:
                continue
            # the first five projects, named as the document lists names (both languages show them so)
            shown = "、".join(m.project for m in members[:5])
            lines = [m.field_lines.get(field_name, m.line) for m in members]
            yield ctx.finding(
                ctx.location(lines[0], table=members[0].project, column=field_name),
                args={"field": field_name, "excerpt": members[0].fields.get(field_name, "")[:30],
                      "count": len(members), "projects": shown},
                variant="many_projects" if len(members) > 5 else "",
                actual=f"{len(members)} 个项目相同",
                evidence=[ctx.evidence(line) for line in lines[:5]],
                key=f"boilerplate|{field_name}|{text[:24]}", confidence=0.9,
            )
    groups2: dict[tuple[tuple[str, str, str], ...], list[IndicatorSet]] = {}
    for s in sets:
        sig = tuple((norm(i.level2), squash(i.name), squash(_value_text(i)))
                    for i in s.indicators if slot_of(i.level2) != "management" and slot_of(i.level2))
        if len(sig) >= 3:
            groups2.setdefault(sig, []).append(s)
    ctx.check(len(groups2))
    for members in groups2.values():
        if len(members) < 3:
            continue
        names = [m.project for m in members]
        yield ctx.finding(
            ctx.location(members[0].line, table=members[0].project, column="绩效指标"),
            args={"count": len(members), "projects": "、".join(names[:5])}, variant="indicators",
            actual=f"{len(members)} 个项目相同", evidence=[ctx.evidence(m.line) for m in members[:5]],
            key="boilerplate|indicators|" + "|".join(names[:3]), confidence=0.8,
        )


# --------------------------------------------------------------------------- department tasks

def _dept_concepts() -> dict[str, list[str]]:
    data = taxonomy_data().get("dept_tasks") or {}
    return {k: v for k, v in data.items() if k != "source" and isinstance(v, list)}


def _task_concept(name: str) -> str:
    text = norm(name)
    for concept, words in _dept_concepts().items():
        if any(norm(w) in text for w in words):
            return concept
    return ""


def _budget_facts(read: ReadDocument) -> dict[str, Number]:
    """Department budget amounts stated in the prose (支出预算 / 人员经费 / 公用经费 / 项目支出), first
    mention of each, in 万元 or 元 as printed."""
    out: dict[str, Number] = {}
    for fact in read_facts(read.paragraphs):
        if fact.concept in ("expense.total", "expense.personnel", "expense.public", "expense.project") \
                and fact.number.unit in MONEY_UNITS and fact.concept not in out:
            out[fact.concept] = fact.number
    return out


@rule(
    "indicator.dept_tasks",
    severity="error",
    applies_to="perf_targets,budget",
)
def dept_tasks(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The 年度主要任务 of a 部门整体绩效目标表 must be consistent: each task's 合计 ≥ 其中财政资金 (error); the
    tasks' total and the tasks named 人员经费 / 公用经费 / 专项 agree with the department's 支出预算,
    人员经费, 公用经费 and 项目支出 stated in the same document (a soft link: one warning per table
    listing every difference). The table prints no unit; its amounts are compared in 万元 when the
    budget is, else in 元.

    Why it matters: the department table restates the budget by task; a "of which" larger than its
    total is an arithmetic error, and totals that differ from the budget mean one of them is stale.
    """
    facts: dict[str, Number] | None = None  # read from the prose only when a table lists tasks
    for s in read.indicator_sets:
        tasks = []
        for key, name in s.fields.items():
            task = dept_task(key)
            if task is None:
                continue
            total = parse_decimal(s.fields.get(f"{key}.合计", "").strip() or "x")
            fiscal = parse_decimal(s.fields.get(f"{key}.其中财政资金", "").strip() or "x")
            tasks.append((task, name, total, fiscal, s.field_lines.get(key, s.line)))
        if not tasks:
            continue
        table = s.fields.get("表名") or "部门整体绩效目标表"
        for task, name, total, fiscal, line in tasks:
            if total is None or fiscal is None:
                ctx.insufficient()
                continue
            ctx.check()
            if fiscal[0] > total[0]:
                yield ctx.finding(
                    ctx.location(line, table=table, row=f"{task} {name}", column="其中：财政资金"),
                    args={"table": table, "task": task, "name": name, "fiscal": fmt(fiscal[0]),
                          "total": fmt(total[0])},
                    expected=f"≤ {fmt(total[0])}", actual=fmt(fiscal[0]), difference=fmt(fiscal[0] - total[0]),
                    evidence=[ctx.evidence(line, fmt(fiscal[0]))],
                    key=f"{_set_key(s)}|{task}|fiscal",
                )
        if facts is None:
            facts = _budget_facts(read)
        yield from _tasks_vs_budget(ctx, s, table, tasks, facts)


def _tasks_vs_budget(ctx: RuleContext, s: IndicatorSet, table: str, tasks: list, facts: dict[str, Number]
                     ) -> Iterator[Finding]:
    if not facts:
        ctx.insufficient()
        return
    # each difference a clause of checks/messages/indicator.dept_tasks.yaml `parts`
    differences: list[dict[str, object]] = []
    evidence_lines: list[int] = []
    like = next(iter(facts.values()))

    def differs(value: Decimal, decimals: int, fact: Number) -> bool:
        mine = Number(value, decimals, like.unit, fmt(value))
        # the table prints no unit: it is in the budget's unit when the magnitudes agree
        if not (fact.value / 10 <= value <= fact.value * 10) and value:
            return False
        return not _close(mine, fact)

    complete = all(t[2] is not None for t in tasks)
    if complete and "expense.total" in facts:
        total = sum((t[2][0] for t in tasks), Decimal(0))
        decimals = max(t[2][1] for t in tasks)
        ctx.check()
        fact = facts["expense.total"]
        if differs(total, decimals, fact):
            differences.append({"part": "tasks_total", "total": fmt(total), "budget": _show(fact)})
    for task, name, total, _fiscal, line in tasks:
        concept = _task_concept(name)
        if not concept or concept not in facts or total is None:
            continue
        ctx.check()
        fact = facts[concept]
        if differs(total[0], total[1], fact):
            differences.append({"part": "task", "task": task, "name": name, "total": fmt(total[0]),
                                "concept": in_every_language(partial(describe, concept)), "budget": _show(fact)})
            evidence_lines.append(line)
    if differences:
        first = tasks[0][4]
        yield ctx.finding(
            ctx.location(first, table=table, row="年度主要任务", column="合计"), severity="warning",
            args={"table": table, "differences": differences}, variant="vs_budget",
            evidence=[ctx.evidence(line) for line in (evidence_lines or [first])[:6]],
            key=f"{_set_key(s)}|tasks_vs_budget", confidence=0.6,
        )

