"""Rates suite: recompute every percentage the document prints from the amounts it prints.

The rate reader (`auditor/read/rates.py`) pairs each printed rate with its operands — a share
with its part and whole, a year-on-year change with its amount, current and previous values, a
named rate (资金到位率, 预算执行率, 完成率, 成本节约率) with its numerator and denominator, a 得分率
with its score and weight. These rules recompute each rate as an interval from the operands'
printed precision (DOMAIN §1.5: a value rounded to d decimals carries ±0.5·10^-d, and the error
propagates through the division) and compare it with the interval the printed rate stands for.

* `rate.recompute` — a share, named rate or 得分率 that cannot be right;
* `rate.change` — a change whose amount, direction word or percentage contradicts its operands
  (including a percentage taken on the wrong base), and share enumerations that do not add up;
* `rate.rounding` — a rate reachable only by truncating, not by rounding (DESIGN §6: info).

Coverage: the run's `coverage.details` counts `rates_checked`, `rates_lacking_operands`,
`rates_failed` (each statement counted once, by `rate.recompute` or `rate.change`) and
`rates_truncated`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from itertools import product

from auditor.engine import RuleContext, rule
from auditor.model import Finding, Number, ReadDocument
from auditor.numbers import format_decimal, scale_of, to_base
from auditor.read.rates import CHANGE_PARTS, CHANGE_PARTS_REQUIRED, Operand, RateStatement, direction_sign
from auditor.tolerance import Interval, exact, interval, truncation_interval

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# --------------------------------------------------------------------------- arithmetic


def operand_interval(number: Number) -> Interval:
    """The values a printed operand stands for (money in 元). Integer points and bare integers
    (分值 18, a count) are exact; everything else carries its rounding radius."""
    if number.decimals == 0 and number.unit in ("", "分", "元"):
        return exact(number.value)
    return interval(number)


def rate_interval(number: Number) -> Interval:
    """The interval a printed percentage stands for when the writer rounded."""
    return Interval(number.value - number.half_ulp, number.value + number.half_ulp)


def corners(func: Callable[..., Decimal | None], *boxes: Interval) -> Interval | None:
    """The range of `func` over a box of intervals, from its corners. Every formula used here
    (a/b, a/(c ± a), 1 − s/d, c/p − 1) is monotone in each operand where its denominator is
    positive, so the extremes lie on the corners. None when a denominator can reach zero."""
    values = []
    for point in product(*[(box.lo, box.hi) for box in boxes]):
        value = func(*point)
        if value is None:
            return None
        values.append(value)
    return Interval(min(values), max(values))


def _div(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b <= 0 else a / b * HUNDRED


@dataclass
class Evaluation:
    statement: RateStatement
    status: str  # ok | truncated | failed | lacking | undefined
    recomputed: Interval | None = None  # in percent, unsigned
    point: Decimal | None = None  # the recomputed value from the printed values
    wrong_base: Interval | None = None  # change: amount / current, when that is what was printed
    used_alt: bool = False


def _point(func: Callable[..., Decimal | None], *numbers: Number) -> Decimal | None:
    from auditor.numbers import to_base

    return func(*[to_base(n) if n.unit != "分" else n.value for n in numbers])


def _judge(printed: Number, recomputed: Interval) -> str:
    if rate_interval(printed).meets(recomputed):
        return "ok"
    if truncation_interval(printed).meets(recomputed):
        return "truncated"
    return "failed"


def _ratio(statement: RateStatement, denominator: Operand) -> tuple[Interval | None, Decimal | None]:
    num, den = statement.numerator, denominator
    assert num is not None
    if statement.formula == "complement":
        sub = statement.subtrahend
        if sub is None:
            return None, None
        if num is den or num.number == den.number:
            def func(d: Decimal, s: Decimal) -> Decimal | None:
                return None if d <= 0 else (1 - s / d) * HUNDRED
            return (corners(func, operand_interval(den.number), operand_interval(sub.number)),
                    _point(func, den.number, sub.number))

        def func3(n: Decimal, s: Decimal, d: Decimal) -> Decimal | None:
            return _div(n - s, d)
        return (corners(func3, operand_interval(num.number), operand_interval(sub.number),
                        operand_interval(den.number)), _point(func3, num.number, sub.number, den.number))
    return (corners(_div, operand_interval(num.number), operand_interval(den.number)),
            _point(_div, num.number, den.number))


def evaluate(statement: RateStatement) -> Evaluation:
    """Recompute one statement's rate and judge the printed value against it."""
    if statement.rate is None:
        return Evaluation(statement, "lacking")
    if statement.kind == "change":
        return _evaluate_change(statement)
    if statement.numerator is None or statement.denominator is None:
        return Evaluation(statement, "lacking")
    if statement.formula == "complement" and statement.subtrahend is None:
        return Evaluation(statement, "lacking")
    recomputed, point = _ratio(statement, statement.denominator)
    if recomputed is None:
        return Evaluation(statement, "undefined")
    status = _judge(statement.rate, recomputed)
    if status != "ok" and statement.alt_denominator is not None:
        alt, alt_point = _ratio(statement, statement.alt_denominator)
        if alt is not None:
            alt_status = _judge(statement.rate, alt)
            if alt_status == "ok" or (alt_status == "truncated" and status == "failed"):
                return Evaluation(statement, alt_status, alt, alt_point, used_alt=True)
    return Evaluation(statement, status, recomputed, point)


def _sign(statement: RateStatement) -> int | None:
    return direction_sign(statement.direction)


def _evaluate_change(statement: RateStatement) -> Evaluation:
    rate, amount, current, previous = statement.rate, statement.amount, statement.current, statement.previous
    assert rate is not None
    sign = _sign(statement)
    if sign == 0:
        # 持平: the percentage must be zero.
        return Evaluation(statement, "ok" if rate.value == 0 else "failed", exact(ZERO), ZERO)
    if current is not None and previous is not None:
        def func(c: Decimal, p: Decimal) -> Decimal | None:
            return None if p <= 0 else abs(c - p) / p * HUNDRED
        boxes = (operand_interval(current.number), operand_interval(previous.number))
        recomputed = corners(func, *boxes)
        # abs() is not monotone across zero change; widen to 0 when the change can be zero.
        if recomputed is not None and (boxes[0] - boxes[1]).contains(ZERO):
            recomputed = Interval(ZERO, recomputed.hi)
        point = _point(func, current.number, previous.number)
    elif amount is not None and previous is not None:
        recomputed = corners(_div, operand_interval(amount.number), operand_interval(previous.number))
        point = _point(_div, amount.number, previous.number)
    elif amount is not None and current is not None and sign is not None:
        def func2(a: Decimal, c: Decimal) -> Decimal | None:
            return _div(a, c - sign * a)
        recomputed = corners(func2, operand_interval(amount.number), operand_interval(current.number))
        point = _point(func2, amount.number, current.number)
        alt = statement.alt_current
        if recomputed is not None and alt is not None and _judge(rate, recomputed) == "failed":
            # the change of the total the sentence opens with, which the writer may have meant
            on_total = corners(func2, operand_interval(amount.number), operand_interval(alt.number))
            if on_total is not None and _judge(rate, on_total) != "failed":
                return Evaluation(statement, _judge(rate, on_total), on_total, _point(func2, amount.number, alt.number))
    else:
        return Evaluation(statement, "lacking")
    if recomputed is None:
        return Evaluation(statement, "undefined")
    status = _judge(rate, recomputed)
    wrong_base = None
    if status == "failed" and amount is not None and current is not None:
        on_current = corners(_div, operand_interval(amount.number), operand_interval(current.number))
        if on_current is not None and _judge(rate, on_current) != "failed":
            wrong_base = on_current
    return Evaluation(statement, status, recomputed, point, wrong_base)


# --------------------------------------------------------------------------- rendering


def _pct(value: Decimal, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    with localcontext() as context:  # a huge printed amount must not overflow the default 28 digits
        context.prec = max(context.prec, value.adjusted() + decimals + 2)
        return f"{value.quantize(q, rounding=ROUND_HALF_UP)}%"


def _range(iv: Interval, decimals: int) -> str:
    return f"{_pct(iv.lo, decimals + 2)}–{_pct(iv.hi, decimals + 2)}"


def _evidence(ctx: RuleContext, statement: RateStatement) -> list:
    lines = [statement.line] + [o.line for o in statement.operands]
    out = []
    seen: set[int] = set()
    for line in lines:
        if line in seen:
            continue
        seen.add(line)
        value = statement.rate.text if statement.rate is not None and line == statement.line else None
        out.append(ctx.evidence(line, value))
    return out


def _note(statement: RateStatement, used_alt: bool) -> list[dict[str, object]]:
    """What the reader should know about the operands: up to three clauses of
    checks/messages/rate.recompute.yaml `parts` (how an implied operand was found, operands from
    the paragraph before, a second denominator that fails too)."""
    clauses: list[dict[str, object]] = []
    if statement.implied:
        clauses.append({"part": f"implied.{statement.implied}"})
    if any(o.context for o in statement.operands):
        clauses.append({"part": "paragraph_before"})
    if statement.alt_denominator is not None and not used_alt:
        clauses.append({"part": "other_denominator", "label": statement.alt_denominator.label,
                        "amount": statement.alt_denominator.text})
    return clauses


def _ratio_operands(statement: RateStatement, ev: Evaluation) -> tuple[str, str, str, str]:
    """(numerator, its label, denominator, its label) of a ratio as the message shows them: the
    complement's numerator is the difference of the plan and the actual amount."""
    num, den = statement.numerator, statement.alt_denominator if ev.used_alt else statement.denominator
    assert num is not None and den is not None
    if statement.formula == "complement" and statement.subtrahend is not None:
        return (f"({num.text} − {statement.subtrahend.text})", f"{num.label} − {statement.subtrahend.label}",
                den.text, den.label)
    return num.text, num.label, den.text, den.label


def _ratio_args(statement: RateStatement, ev: Evaluation) -> dict[str, object]:
    rate = statement.rate
    assert rate is not None and ev.recomputed is not None
    numerator, numerator_label, denominator, denominator_label = _ratio_operands(statement, ev)
    return {
        "label": statement.label,
        "rate": rate.text,
        "numerator": numerator,
        "numerator_label": numerator_label,
        "denominator": denominator,
        "denominator_label": denominator_label,
        "recomputed": _pct(_point_of(ev), rate.decimals + 2),
        "range": _range(ev.recomputed, rate.decimals),
        "note": _note(statement, ev.used_alt),
    }


def _ratio_variant(statement: RateStatement) -> str:
    """The formula the message states: a share (the default), a named rate, a 得分率, a complement."""
    if statement.formula == "complement":
        return "complement"
    return "" if statement.kind == "share" else statement.kind


def _point_of(ev: Evaluation) -> Decimal:
    assert ev.recomputed is not None
    return ev.point if ev.point is not None else ev.recomputed.mid


def _key(statement: RateStatement, what: str) -> str:
    operands = "|".join(o.text for o in statement.operands)
    rate = statement.rate.text if statement.rate is not None else ""
    return f"{statement.kind}|{what}|{statement.label}|{rate}|{operands}"


def _severity(statement: RateStatement) -> str:
    """Error when the operands are printed beside the rate; warning when a denominator came from
    the domain or an operand from another paragraph (the pairing could be ours, not theirs)."""
    if statement.implied or any(o.context for o in statement.operands):
        return "warning"
    return "error"


# --------------------------------------------------------------------------- rules


def _declare_counters(ctx: RuleContext, read: ReadDocument) -> None:
    """Make the three coverage counters appear (as 0) whenever the document prints rates."""
    if read.rates:
        for name in ("rates_checked", "rates_lacking_operands", "rates_failed"):
            ctx.count(name, 0)


@rule(
    "rate.recompute",
    severity="error",
    applies_to="prose",
)
def recompute(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Every share (占 p%), named rate (资金到位率 = 到位 / 预算, 预算执行率 = 支出 / 到位,
    完成率, 成本节约率 = (计划 − 实际) / 计划) and 得分率 (= 得分 / 分值) is recomputed from the
    amounts printed with it. The recomputed value is an interval
    widened by the operands' printed precision; the rule fires only when the printed rate's
    interval cannot meet it. A rate reachable only by truncation is left to `rate.rounding`.

    A share whose whole the sentence omits uses the total the sentence opens with (or, when
    the document states that whole nowhere, the sum of the listed items whose shares of it add
    up to 100%), and a total evaluation score is out of 100 points; such findings are warnings.

    Why it matters: a rate is what readers quote. One that does not follow from the printed
    amounts means either the rate or an amount is wrong.
    """
    _declare_counters(ctx, read)
    for statement in read.rates:
        if statement.kind == "change":
            continue
        ev = evaluate(statement)
        if ev.status in ("lacking", "undefined"):
            ctx.insufficient()
            ctx.count("rates_lacking_operands")
            if statement.unresolved:  # the whole it names is stated nowhere in the document
                ctx.count("operands_unresolved")
            if ev.status == "undefined":
                ctx.count("rates_zero_base")
            continue
        ctx.check()
        ctx.count("rates_checked")
        if ev.status != "failed":
            continue
        ctx.count("rates_failed")
        yield ctx.finding(
            ctx.location(statement.line),
            severity=_severity(statement),  # type: ignore[arg-type]
            args=_ratio_args(statement, ev),
            variant=_ratio_variant(statement),
            expected=_pct(ev.point if ev.point is not None else ev.recomputed.mid, statement.rate.decimals),
            actual=statement.rate.text,
            difference=_pct(statement.rate.value - (ev.point or ev.recomputed.mid), statement.rate.decimals + 2),
            evidence=_evidence(ctx, statement),
            key=_key(statement, "recompute"),
        )


def _change_operands(statement: RateStatement) -> tuple[str, str]:
    """(numerator, denominator) a change's percentage is recomputed from, as the message shows
    them: from both years when both are printed, else from the amount and the year printed."""
    current, previous, amount = (_printed(o, missing="?") for o in (statement.current, statement.previous,
                                                                      statement.amount))
    if statement.previous is not None:
        numerator = f"|{current} − {previous}|" if statement.current is not None else amount
        return numerator, previous
    op = "+" if _sign(statement) == -1 else "−"
    return amount, f"({current} {op} {amount})"


def _change_finding(ctx: RuleContext, statement: RateStatement, what: str, severity: str, variant: str,
                    args: dict[str, object], expected: str | None = None, actual: str | None = None) -> Finding:
    return ctx.finding(
        ctx.location(statement.line),
        severity=severity,  # type: ignore[arg-type]
        args=dict(args, label=statement.label),
        variant=variant,
        expected=expected,
        actual=actual,
        evidence=_evidence(ctx, statement),
        key=_key(statement, what),
    )


def _printed(value: Operand | Number | None, missing: str = "") -> str:
    """A number as printed (`missing` when it is not)."""
    if value is None:
        return missing
    return value.text if isinstance(value, Operand) else value.text or str(value.value)


def _change_problems(ctx: RuleContext, statement: RateStatement) -> Iterator[Finding]:
    sign = _sign(statement)
    # an operand found elsewhere in the document (a table's 预算数, another sentence) is our
    # pairing, not the writer's: its contradictions are warnings
    sure = "warning" if statement.implied or any(o.context for o in statement.operands) else "error"
    rate_sign = direction_sign(statement.rate_direction) if statement.rate_direction else None
    # 1. The two words of one statement contradict each other ("减少 27 万元，增长 21.6%"); a
    # change of zero has no direction ("增加/减少 0 万元，增长/下降 0%" is an unfilled template).
    zero = (statement.amount is not None and statement.amount.number.value == 0) or (
        statement.rate is not None and statement.rate.value == 0)
    if sign is not None and rate_sign is not None and sign != 0 and rate_sign != 0 and sign != rate_sign and not zero:
        # the message quotes the amount and the percentage printed with their words, when printed
        variant = {(True, True): "words", (False, True): "words_no_amount", (True, False): "words_no_rate",
                   (False, False): "words_no_numbers"}[(statement.amount is not None, statement.rate is not None)]
        yield _change_finding(
            ctx, statement, "words", "error", variant,
            {"direction": statement.direction, "amount": _printed(statement.amount),
             "rate_direction": statement.rate_direction, "rate": _printed(statement.rate)})
    amount, current, previous = statement.amount, statement.current, statement.previous
    # 2. 持平 with a non-zero amount or rate.
    if sign == 0 and ((amount is not None and amount.number.value != 0)
                      or (statement.rate is not None and statement.rate.value != 0)):
        shown = amount.text if amount is not None and amount.number.value != 0 else statement.rate.text  # type: ignore[union-attr]
        yield _change_finding(ctx, statement, "flat", "error", "flat",
                              {"direction": statement.direction, "change": shown}, expected="0", actual=shown)
    # 3. With both years printed: the direction and the amount follow from current − previous.
    if current is not None and previous is not None:
        delta = operand_interval(current.number) - operand_interval(previous.number)
        contradicts = (sign == 1 and delta.hi < 0) or (sign == -1 and delta.lo > 0) or (
            sign == 0 and not delta.contains(ZERO))
        if contradicts:
            # what the numbers say (an increase or a decrease), against the prior year or a budget
            variant = ("grew" if delta.lo > 0 else "fell") + ("_on_budget" if statement.base == "budget" else "")
            yield _change_finding(
                ctx, statement, "direction", sure, variant,
                {"current": current.text, "previous": previous.text, "direction": statement.direction})
        elif amount is not None and sign is not None and sign != 0:
            signed = Interval(sign * operand_interval(amount.number).lo, sign * operand_interval(amount.number).hi)
            signed = Interval(min(signed.lo, signed.hi), max(signed.lo, signed.hi))
            if not signed.meets(delta):
                scale = Decimal(10) ** {"亿元": 8, "万元": 4}.get(amount.number.unit, 0)
                gap = abs(current.number.value * _scale(current) - previous.number.value * _scale(previous)) / scale
                with localcontext() as context:  # a huge printed amount must not overflow 28 digits
                    context.prec = max(context.prec, gap.adjusted() + amount.number.decimals + 2)
                    expected = f"{gap.quantize(Decimal(1).scaleb(-amount.number.decimals))}{amount.number.unit}"
                yield _change_finding(
                    ctx, statement, "amount", sure, "amount",
                    {"amount": amount.text, "current": current.text, "previous": previous.text, "expected": expected},
                    expected=expected, actual=amount.text)
    # 4. The percentage.
    if statement.rate is None or sign == 0:
        return
    ev = _evaluate_change(statement)
    if ev.status != "failed":
        return
    recomputed = _pct(_point_of(ev), statement.rate.decimals + 2)
    numerator, denominator = _change_operands(statement)
    rate_word = statement.rate_direction or statement.direction
    if ev.wrong_base is not None:
        assert amount is not None and current is not None
        yield _change_finding(
            ctx, statement, "base", "warning", "wrong_base",
            {"rate_direction": rate_word, "rate": statement.rate.text, "current": current.text, "amount": amount.text,
             "denominator": denominator, "recomputed": recomputed},
            expected=recomputed, actual=statement.rate.text)
        return
    assert ev.recomputed is not None
    other = _from_item_amount(statement)
    if other is not None:
        # the percentage follows from the other current value the text prints for the item
        yield _change_finding(
            ctx, statement, "percent", "warning", "other_current",
            {"rate_direction": rate_word, "rate": statement.rate.text, "numerator": numerator,
             "denominator": denominator, "recomputed": recomputed, "item_amount": other.text,
             "current": _printed(statement.current)},
            expected=recomputed, actual=statement.rate.text)
        return
    yield _change_finding(
        ctx, statement, "percent", "warning", "",
        {"rate_direction": rate_word, "rate": statement.rate.text, "numerator": numerator,
         "denominator": denominator, "recomputed": recomputed,
         "range": _range(ev.recomputed, statement.rate.decimals)},
        expected=recomputed, actual=statement.rate.text)


def _from_item_amount(statement: RateStatement) -> Operand | None:
    """The item's opening amount when the change's percentage follows from it and the previous
    value (and not from the sentence's own current value)."""
    item, previous = statement.item_amount, statement.previous
    if item is None or previous is None or statement.rate is None:
        return None

    def func(c: Decimal, p: Decimal) -> Decimal | None:
        return None if p <= 0 else abs(c - p) / p * HUNDRED
    recomputed = corners(func, operand_interval(item.number), operand_interval(previous.number))
    return item if recomputed is not None and _judge(statement.rate, recomputed) != "failed" else None


def _scale(o: Operand) -> Decimal:
    return Decimal(10) ** {"亿元": 8, "万元": 4}.get(o.number.unit, 0)


def _states_a_check(statement: RateStatement) -> bool:
    """Whether a change statement can contradict itself: it prints a percentage, both years (or
    one year and the amount), or a 持平 with an amount."""
    return statement.rate is not None or (statement.previous is not None and (
        statement.amount is not None or statement.current is not None)) or (
        _sign(statement) == 0 and statement.amount is not None)


def _signed_change(statement: RateStatement) -> tuple[Decimal, Decimal] | None:
    """(signed change in 元, its rounding radius) of a change statement; None when unknown."""
    sign = _sign(statement)
    if sign == 0 and (statement.amount is None or statement.amount.number.value == 0):
        return ZERO, ZERO
    if sign is None or statement.amount is None:
        return None
    number = statement.amount.number
    return sign * to_base(number), number.half_ulp * scale_of(number.unit)


def _part_changes(ctx: RuleContext, read: ReadDocument) -> Iterator[Finding]:
    """The changes of a total's parts, stated after it ("“三公”经费 … 比上年减少 0.50 万元。其中：
    因公出国（境）费 较上年无增减；…公务用车运行维护费 比上年减少 1.00 万元"), must add up to the
    total's change within their printed precision (三公 = 出国 + 接待 + 公务用车; 基本
    支出 = 工资福利 + 商品和服务 + 对个人和家庭的补助 (+ 资本性)). A warning: an unlisted part could
    carry the difference."""
    changes = [s for s in read.rates if s.kind == "change" and s.source == "prose"]
    for index, total in enumerate(changes):
        parts_of = CHANGE_PARTS.get(total.concept)
        whole = _signed_change(total) if parts_of else None
        if parts_of is None or whole is None:
            continue
        parts: dict[str, RateStatement] = {}
        for other in changes[index + 1:]:
            # the list ends at the next total, or at another known item (项目支出 after 基本支出's parts)
            if other.line - total.line > 15 or other.concept == total.concept or other.concept in CHANGE_PARTS or (
                    other.concept and other.concept not in parts_of):
                break
            if other.concept in parts_of and other.concept not in parts:
                parts[other.concept] = other
        if "sangong.vehicle" in parts:  # the vehicle total stands for its purchase and running parts
            parts.pop("sangong.vehicle_run", None)
            parts.pop("sangong.vehicle_purchase", None)
        yield from _part_priors(ctx, total, list(parts.values()))
        signed = [_signed_change(p) for p in parts.values()]
        if not _covers(total.concept, set(parts)) or any(v is None for v in signed):
            continue  # a partial list ("其中" two of three items) may leave the rest to an unlisted part
        ctx.count("part_changes_checked")
        parts_sum = sum((v[0] for v in signed if v is not None), ZERO)
        slack = whole[1] + sum((v[1] for v in signed if v is not None), ZERO)
        if abs(parts_sum - whole[0]) <= slack:
            continue
        unit = total.amount.number.unit if total.amount is not None else "万元"
        shown = " + ".join(_change_text(p) for p in parts.values())
        total_shown = _change_text(total)
        decimals = max([p.amount.number.decimals for p in parts.values() if p.amount is not None]
                       + [total.amount.number.decimals if total.amount is not None else 2])
        sum_shown = f"{format_decimal(parts_sum / scale_of(unit), decimals)}{unit}"
        yield _change_finding(ctx, total, "parts", "warning", "parts",
                              {"change": total_shown, "parts": shown, "parts_sum": sum_shown},
                              expected=sum_shown, actual=total_shown)


def _covers(concept: str, parts: set[str]) -> bool:
    """Whether the parts found make up the whole total: each required group has a member."""
    return all(parts & group for group in CHANGE_PARTS_REQUIRED.get(concept, ()))


def _implied_prior(statement: RateStatement) -> Interval | None:
    """The previous value (in 元) a change's amount and percentage imply: amount ÷ rate, when
    neither year is printed ("增加 0.11 万元，增幅 0.01%" implies 1100 万元 last year)."""
    amount, rate = statement.amount, statement.rate
    if amount is None or rate is None or statement.previous is not None or statement.current is not None:
        return None
    if rate.value <= 0 or rate.value - rate.half_ulp <= 0:
        return None

    def prior(a: Decimal, r: Decimal) -> Decimal | None:
        return None if r <= 0 else a / r * HUNDRED
    return corners(prior, operand_interval(amount.number), rate_interval(rate))


def _part_priors(ctx: RuleContext, total: RateStatement, parts: list[RateStatement]) -> Iterator[Finding]:
    """A part's previous value cannot exceed its total's: the prior a part's amount and
    percentage imply must not lie wholly above the prior the total's imply (a 增幅 of 0.01% on
    0.11 万元 means a part of 1100 万元 under a total of about 100 万元)."""
    whole = _implied_prior(total)
    if whole is None:
        return
    for part in parts:
        own = _implied_prior(part)
        if own is None or own.lo <= whole.hi or part.amount is None or part.rate is None:
            continue
        ctx.count("part_priors_checked")
        unit = part.amount.number.unit
        scale = scale_of(unit)
        point = to_base(part.amount.number) / part.rate.value * HUNDRED
        shown_part = f"{format_decimal(point / scale, 2, False)}{unit}"
        shown_whole = f"{format_decimal(whole.hi / scale, 2, False)}{unit}"
        yield _change_finding(
            ctx, part, "prior", "warning", "prior",
            {"direction": part.direction, "amount": part.amount.text,
             "rate_direction": part.rate_direction or part.direction, "rate": part.rate.text, "prior": shown_part,
             "total": total.label, "total_prior": shown_whole, "total_amount": _printed(total.amount),
             "total_rate": _printed(total.rate)},
            expected=f"≤ {shown_whole}", actual=shown_part)


def _change_text(statement: RateStatement) -> str:
    signed = _signed_change(statement)
    label = statement.label
    if signed is None or signed[0] == 0 or statement.amount is None:
        return f"{label} 0"
    return f"{label} {'+' if signed[0] > 0 else '−'}{statement.amount.text}"


def _share_groups(ctx: RuleContext, read: ReadDocument) -> Iterator[Finding]:
    groups: dict[str, list[RateStatement]] = {}
    for statement in read.rates:
        if statement.kind == "share" and statement.group_whole and statement.rate is not None:
            groups.setdefault(statement.group, []).append(statement)
    for members in groups.values():
        ctx.count("share_groups_checked")
        total = sum((s.rate.value for s in members if s.rate), ZERO)
        slack = sum((max(Decimal("0.1"), s.rate.half_ulp) for s in members if s.rate), ZERO)
        if abs(total - HUNDRED) <= slack:
            continue
        first = members[0]
        # the labels as one name, joined as the document lists them (the en message quotes them too)
        label = "、".join(s.label for s in members)
        yield ctx.finding(
            ctx.location(first.line),
            severity="warning",
            args={"label": label, "rates": " + ".join(s.rate.text for s in members if s.rate), "sum": f"{total}%",
                  "slack": f"{slack}%"},
            variant="shares_sum",
            expected="100%",
            actual=f"{total}%",
            evidence=_evidence(ctx, first),
            key=_key(first, "shares_sum"),
        )


@rule(
    "rate.change",
    severity="error",
    applies_to="prose",
)
def change(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A year-on-year statement ("比上年增加 / 减少 A 万元，增长 / 下降 p%") must follow from its
    numbers: p = A ÷ previous, where previous is printed or is
    current ∓ A; the change amount = current − previous when both years are printed; the
    direction word (增加 / 减少 / 增长 / 下降 / 持平 / 无变化) matches the sign; and a percentage
    computed on the current year instead of the previous one is named as such. Shares listed in
    one enumeration that covers its whole (the parts add up to the total, or the items are
    complementary such as 基本支出 / 项目支出) must add up to about 100% (±0.1 per item, or the
    printed rounding when coarser).

    Amount and direction contradictions are errors; percentages are warnings.

    Why it matters: "减少" over a number that grew, or a percentage on the wrong base, misstates
    the trend the disclosure is meant to explain.
    """
    _declare_counters(ctx, read)
    for statement in read.rates:
        if statement.kind != "change" or not _states_a_check(statement):
            continue  # a bare change ("比上年减少 27 万元", "较上年无增减") is a part of a total's change only
        checkable = statement.has_operands or _sign(statement) == 0 or bool(statement.rate_direction)
        if statement.unresolved:  # the subject's current value is stated nowhere in the document
            ctx.count("operands_unresolved")
        if not checkable or (statement.unresolved and not statement.rate_direction):
            ctx.insufficient()
            ctx.count("rates_lacking_operands")
            continue
        ctx.check()
        ctx.count("rates_checked")
        problems = list(_change_problems(ctx, statement))
        if problems:
            ctx.count("rates_failed")
        yield from problems
    yield from _share_groups(ctx, read)
    yield from _part_changes(ctx, read)


@rule(
    "rate.rounding",
    severity="info",
    applies_to="prose",
)
def rounding(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A rate that matches its operands only when the last digit is cut off rather than rounded
    (1004.7 ÷ 9645.9 = 10.416% printed as 10.41%). Rounding rules allow truncation, so this is
    a quality remark, not an error.

    Why it matters: mixed rounding conventions make cross-checks brittle, and a reader who
    recomputes the rate gets a different last digit.
    """
    for statement in read.rates:
        ev = evaluate(statement)
        if ev.status in ("lacking", "undefined"):
            continue
        ctx.check()
        if ev.status != "truncated" or statement.rate is None or ev.recomputed is None:
            continue
        ctx.count("rates_truncated")
        if statement.kind == "change":
            numerator, denominator = _change_operands(statement)
        else:
            numerator, _, denominator, _ = _ratio_operands(statement, ev)
        rounded = _pct(_point_of(ev), statement.rate.decimals)
        yield ctx.finding(
            ctx.location(statement.line),
            args={"label": statement.label, "rate": statement.rate.text, "numerator": numerator,
                  "denominator": denominator, "recomputed": _pct(_point_of(ev), statement.rate.decimals + 2),
                  "rounded": rounded},
            expected=rounded,
            actual=statement.rate.text,
            evidence=_evidence(ctx, statement),
            key=_key(statement, "rounding"),
        )


@rule(
    "rate.over_under",
    severity="warning",
    applies_to="prose",
)
def over_under(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A completion statement that prints the amount spent, the budget and the difference
    ("决算数大于预算数 A 万元", "小于预算数") must agree: spent − budget = ±A within the printed
    precision of the three. A warning: the difference may be of another scope.

    Why it matters: the over/under amount is the explanation a reader is given for the
    completion rate; one that does not follow from the amounts explains nothing.
    """
    for statement in read.rates:
        spent, budget, stated = statement.numerator, statement.denominator, statement.over
        if stated is None or spent is None or budget is None or statement.implied:
            continue
        ctx.check()
        gap = operand_interval(spent.number) - operand_interval(budget.number)
        amount = operand_interval(stated.number)
        signed = amount if statement.over_sign > 0 else Interval(-amount.hi, -amount.lo)
        if gap.meets(signed):
            continue
        unit = stated.number.unit
        value = (to_base(spent.number) - to_base(budget.number)) / scale_of(unit)
        shown = f"{format_decimal(value, stated.number.decimals, False)}{unit}"
        yield ctx.finding(
            ctx.location(stated.line),
            args={"label": statement.label, "spent": spent.text, "budget": budget.text, "gap": shown,
                  "words": stated.label},
            expected=shown, actual=stated.text,
            evidence=_evidence(ctx, statement) + ([ctx.evidence(stated.line, stated.text)]
                                                  if stated.line != statement.line else []),
            key=_key(statement, "over_under"),
        )
