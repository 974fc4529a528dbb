"""Score suite: self-evaluation and evaluation score sheets that contradict themselves.

A self-evaluation table gives each indicator a target (年度指标值), an actual value (实际完成值), a
weight (分值) and a score (得分); an evaluation report has a score sheet (分值表 / 打分表) with 一级,
二级 and 三级 rows, deductions and a total, and states a grade (优/良/中/差). These rules check that
the scores follow from the printed results (DOMAIN §4, rule ideas E47–E50): a missed target must
not get full marks, a met one should not be docked, scores add up, the grade matches the total, and
the prose does not claim more than the tables show.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from auditor.engine import RuleContext, rule
from auditor.model import (
    Finding,
    Indicator,
    IndicatorSet,
    ReadDocument,
    ScoreRow,
    ScoreSheet,
    Target,
)
from auditor.numbers import COUNT_UNITS, MONEY_UNITS, TIME_UNITS, to_base
from auditor.read.grades import bands as _bands  # the name the grade rule and its tests use
from auditor.read.grades import stated_grades, stated_scores
from auditor.read.score_prose import admissions, execution_rates, unset_dimensions, whole_indicator_counts
from auditor.read.score_prose import claims as claim_statements
from auditor.read.value_form import bare_number_text, date_key, negated, outcome_word
from checks._scope import Scope, decimals_of, fmt, scopes

# --------------------------------------------------------------------------- achievement


@dataclass(frozen=True)
class Achievement:
    """Whether an indicator's actual value meets its target, and the proportional credit if not.

    `ratio` is min(1, actual/target) for 正向 targets (≥) and min(1, target/actual) for 反向 targets
    (≤), DOMAIN §4.1; None when no proportional rule applies (words, dates, equality overshoot).
    """

    met: bool
    ratio: Decimal | None
    how: str  # a short account: "96 ≥ 95", "550 > 450", "及时 = 及时"


# Qualitative outcomes. An actual value equal to the target word is met; these lists decide the
# rest (DOMAIN §4.1 定性: 达成 / 部分达成 / 未达成).
MET_WORDS = {"达成", "已达成", "达到", "已达到", "达标", "已达标", "完成", "已完成", "全部完成", "按时完成",
             "按期完成", "及时", "按时", "按期", "是", "符合", "合格", "良好", "完善", "明显", "成效明显",
             "显著", "有效", "满意", "无"}
MISSED_WORDS = {"未完成", "未达成", "未达到", "未达标", "不及时", "延期", "延迟", "滞后", "推迟", "部分完成",
                "部分达成", "基本完成", "未按时完成", "未按期完成", "不合格", "不符合", "否", "不明显", "较差"}


def _comparable(target: Target, actual: Target) -> tuple[Decimal, Decimal, str] | None:
    """Target and actual numbers in one unit, or None when their units cannot be compared.

    A missing unit on one side takes the other side's unit ("≥95" vs "96%", "≤0.6万元" vs "0.6");
    money converts between 元/万元/亿元; a word used as a unit ("≥95接通率") counts as no unit.
    """
    assert target.number is not None and actual.number is not None
    t_unit = "" if target.word else (target.unit or target.number.unit)
    a_unit = "" if actual.word else (actual.unit or actual.number.unit)
    if t_unit in MONEY_UNITS and a_unit in MONEY_UNITS and t_unit != a_unit:
        return to_base(target.number), to_base(actual.number), "元"
    if not t_unit or not a_unit or t_unit == a_unit:
        return target.number.value, actual.number.value, t_unit or a_unit
    return None


def _ratio(num: Decimal, den: Decimal) -> Decimal:
    if den <= 0:
        return Decimal(1)
    return min(Decimal(1), num / den)


def achievement(target: Target, actual: Target | None) -> Achievement | None:
    """Compare an actual value with its target by the target's operator; None when undecidable."""
    if actual is None or actual.kind == "empty" or target.kind == "empty":
        return None
    if target.kind in ("word", "text") or actual.kind in ("word", "text"):
        t_word, a_word = outcome_word(target), outcome_word(actual)
        if t_word and t_word == a_word:
            return Achievement(True, None, f"{a_word} = {t_word}")
        if a_word in MISSED_WORDS or negated(a_word):
            return Achievement(False, None, f"{a_word} ≠ {t_word}")
        if target.kind in ("word", "text") and actual.kind in ("word", "text") and a_word in MET_WORDS:
            return Achievement(True, None, f"{a_word} ≈ {t_word}")
        return None
    if target.kind == "date":
        t_key = date_key(target.text)
        if actual.kind == "date":
            a_key = date_key(actual.text)
            if t_key and a_key:
                return Achievement(a_key <= t_key, None, f"{actual.text} vs {target.text}")
        return None
    if target.number is None or actual.number is None or actual.kind not in ("number", "range"):
        return None
    if target.kind == "range" and target.high is not None:
        units = _comparable(target, actual)
        high_units = _comparable(Target("number", target.high.text, number=target.high, unit=target.unit), actual)
        if units is None or high_units is None:
            return None
        low, value, _ = units
        high = high_units[0]
        low_ok = value >= low if target.op in ("≥", "") else value > low
        high_ok = value <= high if target.high_op in ("≤", "") else value < high
        how = f"{actual.text} in {target.text}" if low_ok and high_ok else f"{actual.text} outside {target.text}"
        ratio = _ratio(value, low) if not low_ok else (_ratio(high, value) if not high_ok else None)
        return Achievement(low_ok and high_ok, ratio, how)
    units = _comparable(target, actual)
    if units is None:
        return None
    goal, value, _ = units
    op = target.op
    a_text = actual.text.strip()
    t_text = bare_number_text(target)
    if op in ("≥", ">"):
        met = value >= goal if op == "≥" else value > goal
        return Achievement(met, None if met else _ratio(value, goal), f"{a_text} {'≥' if met else '<'} {t_text}")
    if op in ("≤", "<"):
        met = value <= goal if op == "≤" else value < goal
        return Achievement(met, None if met else _ratio(goal, value), f"{a_text} {'≤' if met else '>'} {t_text}")
    # "=" or no operator: equal is met; falling short is missed (正向); overshooting is undecided,
    # and for durations and money (where more is not better) only equality decides.
    unit = target.unit or target.number.unit
    if value == goal:
        return Achievement(True, None, f"{a_text} = {t_text}")
    if value < goal and unit not in MONEY_UNITS and unit not in TIME_UNITS and (
        unit in COUNT_UNITS or unit in ("%", "") or target.word
    ):
        return Achievement(False, _ratio(value, goal), f"{a_text} < {t_text}")
    return None


# --------------------------------------------------------------------------- helpers


def _indicators(scope: Scope) -> Iterator[tuple[IndicatorSet, Indicator]]:
    for s in scope.indicator_sets:
        for ind in s.indicators:
            yield s, ind


def _assessed(read: ReadDocument, ctx: RuleContext) -> Iterator[tuple[Scope, IndicatorSet, Indicator, Any]]:
    """Indicators with a weight, a score and a target the actual can be judged against, each
    counted as checked; the others count as lacking data."""
    for scope in scopes(read):
        for s, ind in _indicators(scope):
            if ind.weight is None or ind.score is None:
                ctx.insufficient()
                continue
            ach = achievement(ind.target, ind.actual)
            if ach is None:
                ctx.insufficient()
                continue
            ctx.check()
            yield scope, s, ind, ach


def _ind_key(scope: Scope, s: IndicatorSet, ind: Indicator) -> str:
    return f"{scope.name}|{s.project}|{ind.level1}|{ind.level2}|{ind.name}"


def _ind_args(s: IndicatorSet, ind: Indicator) -> dict[str, object]:
    """The arguments every indicator finding's message shows: where, and the score it got."""
    return {"project": s.project or "项目", "indicator": ind.name, "weight": fmt(ind.weight), "score": fmt(ind.score)}


def _result_args(s: IndicatorSet, ind: Indicator) -> dict[str, object]:
    """`_ind_args` and the target and actual value the score is judged by."""
    return {**_ind_args(s, ind), "target": ind.target.text.strip() or ind.target_text,
            "actual": ind.actual.text.strip() if ind.actual else ""}


def _ind_location(ctx: RuleContext, s: IndicatorSet, ind: Indicator, column: str = "得分"):
    return ctx.location(ind.line, table=s.project or None, row=ind.name, column=column)


def _tolerance(*values: Decimal | None) -> Decimal:
    """Half a unit of the finest printed decimal among the operands, at most 0.05: score sheets add
    printed scores, so a finding needs a gap of at least one printed digit."""
    d = max([decimals_of(v) for v in values if v is not None] + [1])
    return Decimal(5) * Decimal(10) ** (-(d + 1))


# --------------------------------------------------------------------------- indicator rules


@rule(
    "score.target_missed_full_marks",
    severity="error",
    applies_to="self_eval",
)
def missed_full_marks(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """An indicator whose actual value misses its target (by the target's operator: ≥ 正向, ≤ 反向,
    = or a range; a qualitative target is met by the same word) must not score its full weight
    (a partly met target earns partial credit).

    Why it matters: full marks for a missed target inflate the total and hide the shortfall that
    the report is meant to explain; it is the most common inconsistency in published self-evaluations.
    """
    for scope, s, ind, ach in _assessed(read, ctx):
        if not ach.met and ind.weight > 0 and ind.score >= ind.weight:
            yield ctx.finding(
                _ind_location(ctx, s, ind), args={**_result_args(s, ind), "how": ach.how},
                expected=f"< {fmt(ind.weight)}", actual=fmt(ind.score),
                evidence=[ctx.evidence(ind.line, ind.actual.text if ind.actual else None)],
                key=_ind_key(scope, s, ind),
            )


@rule(
    "score.target_met_deducted",
    severity="warning",
    applies_to="self_eval",
)
def met_deducted(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """An indicator whose actual value meets its target should score its full weight. The
    finding still fires when a reason for the deduction is written, and quotes it: a reason that
    describes a shortfall means the printed actual value overstates the result.

    Why it matters: either the actual value or the score is wrong; readers cannot tell which.
    """
    for scope, s, ind, ach in _assessed(read, ctx):
        if ach.met and ind.score < ind.weight:
            args = {**_result_args(s, ind), "how": ach.how}
            reason = ind.reason.strip()
            if reason:
                args["reason"] = reason
            yield ctx.finding(
                _ind_location(ctx, s, ind), args=args, variant="" if reason else "no_reason",
                expected=fmt(ind.weight), actual=fmt(ind.score),
                evidence=[ctx.evidence(ind.line, fmt(ind.score))],
                key=_ind_key(scope, s, ind),
            )


@rule(
    "score.partial_credit",
    severity="info",
    applies_to="self_eval",
)
def partial_credit(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """For a missed numeric target the usual score is 分值 × min(1, 实际/目标) (正向, ≥) or
    分值 × min(1, 目标/实际) (反向, ≤). A score more than 10% of the weight away
    from that is remarked on. Provinces differ, so this is a quality remark, not an error.

    Why it matters: arbitrary partial scores make totals incomparable between reports.
    """
    for scope in scopes(read):
        for s, ind in _indicators(scope):
            if ind.weight is None or ind.score is None or ind.weight <= 0:
                continue
            ach = achievement(ind.target, ind.actual)
            if ach is None or ach.met or ach.ratio is None:
                continue
            ctx.check()
            expected = ind.weight * ach.ratio
            if ind.score < ind.weight and abs(ind.score - expected) > ind.weight / 10:
                args = {**_result_args(s, ind), "expected": f"{expected:.1f}"}
                yield ctx.finding(
                    _ind_location(ctx, s, ind), args=args, expected=f"{expected:.1f}", actual=fmt(ind.score),
                    evidence=[ctx.evidence(ind.line, fmt(ind.score))], key=_ind_key(scope, s, ind),
                )


@rule(
    "score.missing_reason",
    severity="info",
    applies_to="self_eval",
)
def missing_reason(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """An indicator that lost points must say why (未完成原因及改进措施 / 偏差原因). Only indicator sets that have a
    reason column somewhere (at least one reason written)
    are checked, so tables without such a column stay quiet.

    Why it matters: the reason column is what makes a self-evaluation useful for the next budget.
    """
    for scope in scopes(read):
        for s in scope.indicator_sets:
            if not any(i.reason.strip() for i in s.indicators):
                continue
            for ind in s.indicators:
                if ind.weight is None or ind.score is None:
                    continue
                ctx.check()
                if ind.score < ind.weight and not ind.reason.strip():
                    yield ctx.finding(
                        _ind_location(ctx, s, ind, column="未完成原因"), args=_ind_args(s, ind),
                        evidence=[ctx.evidence(ind.line)], key=_ind_key(scope, s, ind),
                    )


# --------------------------------------------------------------------------- score sheet rules


def _sheet_key(scope: Scope, sheet: ScoreSheet, row: ScoreRow, what: str) -> str:
    return f"{scope.name}|{sheet.title}|{row.level}|{row.parent}|{row.name}|{what}"


@rule(
    "score.over_weight",
    severity="error",
    applies_to="self_eval,evaluation",
)
def over_weight(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Every score and deduction lies between 0 and its weight: 0 ≤ 得分 ≤ 分值, 0 ≤ 扣分 ≤ 分值. Checked on
    indicator tables and on score sheets.

    Why it matters: a score above its weight cannot be right and inflates the total.
    """
    for scope in scopes(read):
        for s, ind in _indicators(scope):
            if ind.weight is None or ind.score is None:
                if ind.score is not None and ind.score < 0:
                    ctx.check()
                    yield _over(ctx, s.project, ind.name, ind.line, "得分", ind.score, ind.weight,
                                _ind_key(scope, s, ind))
                continue
            ctx.check()
            if ind.score < 0 or ind.score > ind.weight:
                yield _over(ctx, s.project, ind.name, ind.line, "得分", ind.score, ind.weight,
                            _ind_key(scope, s, ind))
        for sheet in scope.score_sheets:
            for row in sheet.rows:
                if row.weight is None:
                    continue
                for field, value in (("得分", row.score), ("扣分", row.deduction)):
                    if value is None:
                        continue
                    ctx.check()
                    if value < 0 or value > row.weight:
                        yield _over(ctx, sheet.title, row.name, row.line, field, value, row.weight,
                                    _sheet_key(scope, sheet, row, field))


def _over(ctx: RuleContext, table: str, row: str, line: int, field: str, value: Decimal,
          weight: Decimal | None, key: str) -> Finding:
    return ctx.finding(
        ctx.location(line, table=table or None, row=row, column=field),
        args={"table": table or "评分表", "row": row, "field": field, "value": fmt(value), "weight": fmt(weight)},
        expected=f"0..{fmt(weight)}", actual=fmt(value), evidence=[ctx.evidence(line, fmt(value))],
        key=f"{key}|{field}",
    )


def _children(sheet: ScoreSheet, index: int) -> list[ScoreRow]:
    """The rows one level below `sheet.rows[index]`: by printed order (the rows that follow until
    one at the same or a higher level), or by the `parent` name when the order gives none."""
    parent = sheet.rows[index]
    out: list[ScoreRow] = []
    for row in sheet.rows[index + 1:]:
        if row.level <= parent.level:
            break
        if row.level == parent.level + 1:
            out.append(row)
    if not out:
        out = [r for r in sheet.rows if r.level == parent.level + 1 and r.parent == parent.name]
    return out


@rule(
    "score.sum",
    severity="error",
    applies_to="self_eval,evaluation",
)
def score_sums(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A score sheet adds up: each row's 得分 = 分值 − 扣分; a 一级 row's 分值, 扣分 and
    得分 equal the sums of its 二级 rows, and a 二级 row those of its 三级 rows; the total equals
    the sum of the 一级 rows and 总分值 − Σ扣分; a self-evaluation total that includes 预算执行率
    (10 分) without a row for it may exceed the rows by at most 10. The prose's
    declared counts ("10 个二级指标，18 个三级指标") equal the rows of the sheet.

    Why it matters: the total and the grade come from these sums; one wrong row changes both.
    """
    for scope in scopes(read):
        for sheet in scope.score_sheets:
            yield from _sheet_sums(ctx, scope, sheet)
        yield from _declared_counts(ctx, scope)


def _sum_finding(ctx: RuleContext, scope: Scope, sheet: ScoreSheet, row: ScoreRow, what: str, basis: str,
                 actual: Decimal, expected: Decimal, evidence_rows: list[ScoreRow]) -> Finding:
    lines: list[int] = []
    for r in [row, *evidence_rows]:
        if r.line not in lines:
            lines.append(r.line)
    return ctx.finding(
        ctx.location(row.line, table=sheet.title or None, row=row.name, column=what),
        args={"table": sheet.title or "评分表", "row": row.name, "what": what, "basis": basis,
              "actual": fmt(actual), "expected": fmt(expected)},
        expected=fmt(expected), actual=fmt(actual), difference=fmt(actual - expected),
        evidence=[ctx.evidence(line) for line in lines[:8]],
        key=_sheet_key(scope, sheet, row, f"{what}|{basis}"),
    )


def _sheet_sums(ctx: RuleContext, scope: Scope, sheet: ScoreSheet) -> Iterator[Finding]:
    # 得分 = 分值 − 扣分 per row
    for row in sheet.rows:
        if row.weight is not None and row.deduction is not None and row.score is not None:
            ctx.check()
            expected = row.weight - row.deduction
            if abs(row.score - expected) > _tolerance(row.weight, row.deduction, row.score):
                yield _sum_finding(ctx, scope, sheet, row, "得分", "分值 − 扣分", row.score, expected, [])
    # parents = Σ children
    for index, row in enumerate(sheet.rows):
        if row.level not in (1, 2):
            continue
        kids = _children(sheet, index)
        if not kids:
            continue
        for what, get in (("分值", lambda r: r.weight), ("得分", lambda r: r.score), ("扣分", lambda r: r.deduction)):
            own = get(row)
            if own is None:
                continue
            values = [get(k) for k in kids]
            if what == "扣分":
                values = [v if v is not None else (Decimal(0) if k.weight == k.score else None)
                          for v, k in zip(values, kids, strict=True)]
            if any(v is None for v in values):
                ctx.insufficient()
                continue
            total = sum(values, Decimal(0))
            ctx.check()
            if abs(own - total) > _tolerance(own, *values):
                level_name = "二级" if row.level == 1 else "三级"
                yield _sum_finding(ctx, scope, sheet, row, what, f"其{level_name}指标之和", own, total, kids)
    # the total row
    for row in sheet.rows:
        if row.level != 0:
            continue
        yield from _total_row(ctx, scope, sheet, row)


def _total_row(ctx: RuleContext, scope: Scope, sheet: ScoreSheet, row: ScoreRow) -> Iterator[Finding]:
    tops = [r for r in sheet.rows if r.level == 1]
    if not tops:
        top_level = min((r.level for r in sheet.rows if r.level > 0), default=None)
        tops = [r for r in sheet.rows if r.level == top_level]
    if not tops:
        return
    has_rate_row = any("执行率" in r.name for r in tops)
    rate_outside = not has_rate_row and "执行率" in row.name
    deepest_level = max((r.level for r in sheet.rows if r.level > 0), default=0)
    deepest = [r for r in sheet.rows if r.level == deepest_level]
    for what, get in (("分值", lambda r: r.weight), ("得分", lambda r: r.score)):
        own = get(row)
        values = [get(r) for r in tops]
        basis, basis_rows = "各一级指标之和", tops
        if any(v is None for v in values):
            # 一级 rows of an 打分表 often print only their 分值: add up the deepest rows instead
            values = [get(r) for r in deepest]
            basis, basis_rows = "各末级指标之和", deepest
        if own is None or any(v is None for v in values):
            ctx.insufficient()
            continue
        total = sum(values, Decimal(0))
        ctx.check()
        tol = _tolerance(own, *values)
        if rate_outside:
            # 总分（预算执行率得分+绩效指标得分）: the 10-point 执行率 part has no row of its own.
            if what == "分值":
                ok = abs(own - total - 10) <= tol or abs(own - total) <= tol
            else:
                ok = -tol <= own - total <= 10 + tol
            if not ok:
                yield _sum_finding(ctx, scope, sheet, row, what, f"{basis}加预算执行率（≤10 分）", own,
                                   total, basis_rows)
        elif abs(own - total) > tol:
            yield _sum_finding(ctx, scope, sheet, row, what, basis, own, total, basis_rows)
    # total = Σ 分值 − Σ 扣分, from the deepest rows that print deductions
    leaves = deepest
    if row.weight is not None and row.score is not None and leaves and any(r.deduction for r in leaves):
        if any(r.deduction is None and r.weight != r.score for r in leaves):
            ctx.insufficient()
            return
        deductions = sum((r.deduction or Decimal(0) for r in leaves), Decimal(0))
        expected = row.weight - deductions
        ctx.check()
        if not rate_outside and abs(row.score - expected) > _tolerance(row.score, row.weight, deductions):
            yield _sum_finding(ctx, scope, sheet, row, "得分", "总分值 − 各项扣分之和", row.score, expected,
                               [r for r in leaves if r.deduction])


def _declared_counts(ctx: RuleContext, scope: Scope) -> Iterator[Finding]:
    if not scope.score_sheets:
        return
    for p in scope.paragraphs:
        for m in whole_indicator_counts(p.text):
            declared, level = m.count, m.level
            counts = [sum(1 for r in sheet.rows if r.level == level) for sheet in scope.score_sheets]
            counts = [c for c in counts if c]
            if not counts:
                continue
            ctx.check()
            if declared in counts:
                continue
            best = max(counts)
            sheet = next(s for s in scope.score_sheets if sum(1 for r in s.rows if r.level == level) == best)
            line = p.line_at(m.offset)
            yield ctx.finding(
                ctx.location(line),
                args={"table": sheet.title or "评分表", "row": f"{m.level_word}级指标个数",
                      "what": f"正文所述{m.level_word}级指标个数", "basis": "评分表所列行数",
                      "actual": str(declared), "expected": str(best)},
                expected=str(best), actual=str(declared),
                evidence=[ctx.evidence(line, m.text), ctx.evidence(sheet.line)],
                key=f"{scope.name}|declared|{level}",
            )


# --------------------------------------------------------------------------- grade


DEFAULT_BANDS = [(Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中")]


def grade_for(score: Decimal, bands: list[tuple[Decimal, str]]) -> str:
    for low, grade in bands:
        if score >= low:
            return grade
    return "差"


@rule(
    "score.grade_band",
    severity="warning",
    applies_to="evaluation,self_eval",
)
def grade_band(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The grade stated in the text (优/良/中/差, 优秀/良好/合格…) must be the band of the total
    score: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60, or the bands the report itself prints
    ("总分在 90（含）-100 分为“优”"). The total comes from the sentence stating the grade, else the
    score sheet's total row, else another sentence of the same report. An error when the report
    prints its own bands (it contradicts itself), a warning against the default bands.

    Why it matters: the grade is the headline of an evaluation and decides how its results are used.
    """
    for scope in scopes(read):
        grades = [(p, m) for p in scope.paragraphs for m in stated_grades(p.text)]
        if not grades:  # no grade stated: the bands and scores need not be read
            continue
        declared = _bands(scope.paragraphs) or _bands(read.paragraphs)
        bands = declared if len(declared) >= 2 else DEFAULT_BANDS
        sheet_total = next((r for s in scope.score_sheets for r in s.rows if r.level == 0 and r.score is not None),
                           None)
        section_scores = [(p, m) for p in scope.paragraphs for m in stated_scores(p.text)]
        for p, m in grades:
            stated = m.grade
            before = [s for s in stated_scores(p.text) if s.offset < m.offset]
            score_line: int
            if before:
                score = before[-1].score
                score_line = p.line_at(before[-1].offset)
            elif sheet_total is not None and sheet_total.score is not None:
                score, score_line = sheet_total.score, sheet_total.line
            elif section_scores:
                sp, sm = section_scores[-1]
                score, score_line = sm.score, sp.line_at(sm.offset)
            else:
                ctx.insufficient()
                continue
            if score > 100:
                continue
            ctx.check()
            expected = grade_for(score, bands)
            if expected == stated:
                continue
            line = p.line_at(m.offset)
            evidence = [ctx.evidence(line, m.text)]
            if score_line != line:
                evidence.append(ctx.evidence(score_line, fmt(score)))
            yield ctx.finding(
                ctx.location(line), severity="error" if bands is declared else None,
                args={"section": scope.name, "score": fmt(score), "expected": expected, "stated": stated,
                      "bands": [f"{grade}≥{low}" for low, grade in bands]},
                variant="declared_bands" if bands is declared else "",
                expected=expected, actual=stated, evidence=evidence,
                key=f"{scope.name}|grade|{stated}",
            )


# --------------------------------------------------------------------------- claims


@rule(
    "score.claim",
    severity="warning",
    applies_to="self_eval,evaluation",
)
def claims(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Within one report, prose claiming 全面完成 / 未偏离 / 暂无偏差 / 均已完成 must not stand
    next to a missed indicator, a 预算执行率 below 100%, or prose admitting 延期 / 未达到. A
    dimension the text says was not set or does not exist ("未设置经济效益指标", "不产生经济效益")
    must not get full marks in the report's score sheet or indicators.

    Why it matters: the claim is what readers quote; a claim contradicted by the report's own
    table misstates the result and leaves the shortfall unexplained.
    """
    for scope in scopes(read):
        claimed = [(p, m) for p in scope.paragraphs for m in claim_statements(p.text)]
        # what could contradict a claim is looked for only when the report makes one
        missed, rates, admissions = _contradictions(scope) if claimed else ([], [], [])
        for p, m in claimed:
            line = p.line_at(m.offset)
            ctx.check()
            no_deviation = m.no_deviation
            evidence = [ctx.evidence(line, m.text)]
            # the contradictions, as clauses of checks/messages/score.claim.yaml `parts`
            contradiction: list[dict[str, object]] = []
            if missed:
                contradiction.append({
                    "part": "missed_targets",
                    "indicators": [{"part": "missed_indicator", "name": ind.name, "how": ach.how}
                                   for _, ind, ach in missed[:3]],
                    "more": [{"part": "more_items", "count": len(missed)}] if len(missed) > 3 else []})
                evidence += [ctx.evidence(ind.line, ind.actual.text if ind.actual else None)
                             for _, ind, _ in missed[:3]]
            if rates:
                rp, rm = rates[0]
                contradiction.append({"part": "low_execution_rate", "rate": rm.value_text})
                evidence.append(ctx.evidence(rp.line_at(rm.offset), rm.text))
            if no_deviation and admissions:
                ap, am = admissions[0]
                contradiction.append({"part": "admission", "text": am.text})
                evidence.append(ctx.evidence(ap.line_at(am.offset), am.text))
            if not contradiction:
                continue
            yield ctx.finding(
                ctx.location(line),
                args={"section": scope.name, "claim": m.text, "contradiction": contradiction},
                actual=m.text, evidence=evidence[:8],
                key=f"{scope.name}|claim|{m.text}",
            )
        yield from _unset_dimensions(ctx, scope)


def _contradictions(scope: Scope) -> tuple[list, list, list]:
    """A report's missed indicators, execution rates below 100% and admissions (延期, 未达到…)."""
    missed = []
    for s, ind in _indicators(scope):
        ach = achievement(ind.target, ind.actual)
        if ach is not None and not ach.met:
            missed.append((s, ind, ach))
    rates = [(p, m) for p in scope.paragraphs for m in execution_rates(p.text) if m.value < 100]
    admitted = [(p, m) for p in scope.paragraphs for m in admissions(p.text)]
    return missed, rates, admitted


def _unset_dimensions(ctx: RuleContext, scope: Scope) -> Iterator[Finding]:
    seen: set[str] = set()
    for p in scope.paragraphs:
        for m in unset_dimensions(p.text):
            dimension = m.dimension
            if dimension in seen:
                continue
            full: list[tuple[str, int, Decimal]] = []
            for sheet in scope.score_sheets:
                for row in sheet.rows:
                    if dimension in row.name and row.weight and row.score is not None and row.score >= row.weight:
                        full.append((row.name, row.line, row.score))
            for _, ind in _indicators(scope):
                if (dimension in ind.level2 or dimension in ind.name) and ind.weight and ind.score is not None \
                        and ind.score >= ind.weight:
                    full.append((ind.name, ind.line, ind.score))
            if not scope.score_sheets and not scope.indicator_sets:
                continue
            ctx.check()
            if not full:
                continue
            seen.add(dimension)
            line = p.line_at(m.offset)
            name, row_line, score = full[0]
            yield ctx.finding(
                ctx.location(line),
                args={"section": scope.name, "claim": m.text,
                      "contradiction": [{"part": "full_marks", "name": name, "score": fmt(score)}]},
                actual=fmt(score), evidence=[ctx.evidence(line, m.text), ctx.evidence(row_line, fmt(score))],
                key=f"{scope.name}|unset|{dimension}",
            )

