"""Prose arithmetic: sums, counts and products the 情况说明 text states about itself.

The enumeration reader (`auditor/read/enumerations.py`) finds each stated total with its listed
parts ("共有编制 275 人，其中：行政编制 193 人，…"), each "项目 9 个" with the projects listed after it,
each procurement line "单价0.38万元，数量20个，共计7.6万元" and each "每月 … 全年 …" pair; this rule
checks them with interval arithmetic (DESIGN §6): n parts printed with d decimals may differ from
their total by at most 0.5·10^-d·(n+1) in the printed unit (DOMAIN §7 tol_sum), where d is the most
decimals any number of the list prints in that unit (a list that prints 29.99 万元 writes 30.00 as
30), and counts are exact.

Cell keys for root-cause grouping: a prose number is ``prose|L{line}|{text as printed}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.numbers import format_decimal, scale_of, to_base
from auditor.read.enumerations import MONEY, Enumeration, Term
from auditor.tolerance import Interval, exact, interval, total

ZERO = Decimal(0)
TWELVE = Decimal(12)


def term_interval(term: Term, decimals: int | None = None) -> Interval:
    """A printed number's interval (元 for money); a whole-number count (人, 辆, 个) is exact.
    `decimals`, when larger than the printed decimals, is the precision the number is known to
    (see `list_decimals`)."""
    if term.unit_class != MONEY and term.number.decimals == 0:
        return exact(term.number.value)
    number = term.number
    if decimals is not None and decimals > number.decimals:
        number = replace(number, decimals=decimals)
    return interval(number)


def list_decimals(terms: list[Term]) -> dict[str, int]:
    """The precision of each money unit of one enumeration (`terms`: the total, then the parts):
    the most decimals any of its numbers prints in that unit, for the units its parts print. DESIGN §6: a table that prints 角分 anywhere is exact to the
    分; so is a list: "共完成 89.97 万元，其中 30 万元…、29.99 万元…" writes 30.00 as 30, and its
    parts sum to 89.99, not to anything between 89.49 and 90.49."""
    out: dict[str, int] = {}
    for term in terms[1:]:  # the parts set the list's precision; a total alone may be rounded apart
        if term.unit_class == MONEY:
            out[term.number.unit] = max(out.get(term.number.unit, 0), term.number.decimals)
    if terms and terms[0].unit_class == MONEY and terms[0].number.unit in out:
        unit = terms[0].number.unit
        out[unit] = max(out[unit], terms[0].number.decimals)
    return out


def cell_key(term: Term) -> str:
    return f"prose|L{term.line}|{term.number.text.strip()}"


def _show(value_base: Decimal, like: Term, decimals: int | None = None) -> str:
    """Write a computed value (in base units) in the unit and precision of `like`."""
    unit = like.number.unit
    shown = value_base / scale_of(unit) if like.unit_class == MONEY else value_base
    d = like.number.decimals if decimals is None else decimals
    return f"{format_decimal(shown, d, thousands=',' in like.number.text)}{_sep(like)}{unit}"


def _sep(term: Term) -> str:
    text = term.number.text
    return " " if any(ch.isspace() for ch in text.strip()) else ""


def _names(parts: list[Term]) -> tuple[str, bool]:
    return _listed([p.label or p.number.text for p in parts])


def _listed(names: list[str], limit: int = 6) -> tuple[str, bool]:
    """The first `limit` names as the document lists them (joined with 、 in every language: they
    are the document's own words), and whether more were left out (the `_more` variants say how many)."""
    return "、".join(names[:limit]), len(names) > limit


def _evidence(ctx: RuleContext, e: Enumeration) -> list:
    lines: list[tuple[int, str | None]] = [(e.total.line, e.total.number.text)]
    lines += [(p.line, None) for p in e.parts]
    seen: set[int] = set()
    out = []
    for line, value in lines:
        if line in seen:
            continue
        seen.add(line)
        out.append(ctx.evidence(line, value))
        if len(out) >= 8:
            break
    return out


@rule(
    "narrative.arithmetic",
    severity="error",
    applies_to="prose",
)
def prose_arithmetic(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The sums, counts and products a disclosure's text spells out must hold on their own: an
    enumeration adds up to its stated total (机关运行经费
    = Σ its items; 编制 275 = 193 + 19 + 63; 主要项目 Σ = 项目支出), a "项目 N 个" matches the projects
    listed, 单价 × 数量 = the line amount, 每月 × 12 = the yearly figure, and a lone "其中" part is
    not larger than its whole.

    Severity: a money sum or product that cannot hold is an error; parts that add up to less
    than the total are a warning (the list may be partial), and for a list of 主要项目 only info;
    head counts, vehicle counts and project counts are warnings.

    Why it matters: these are the figures a reader can check with a pocket calculator; when they
    fail, one of the printed numbers is wrong (often the one copied from last year's text).
    """
    for e in read.enumerations:
        if not e.parts and not e.items:
            continue
        ctx.check()
        finding = _check(ctx, e)
        if finding is not None:
            yield finding


def _check(ctx: RuleContext, e: Enumeration) -> Finding | None:
    if e.kind == "sum":
        return _check_sum(ctx, e)
    if e.kind == "count":
        return _check_count(ctx, e)
    if e.kind == "product":
        return _check_product(ctx, e)
    if e.kind == "monthly":
        return _check_monthly(ctx, e)
    return None


def _check_sum(ctx: RuleContext, e: Enumeration) -> Finding | None:
    precision = list_decimals([e.total, *e.parts])
    whole = term_interval(e.total, precision.get(e.total.number.unit))
    parts = total(term_interval(p, precision.get(p.number.unit)) for p in e.parts)
    money = e.total.unit_class == MONEY
    sum_mid = sum((to_base(p.number) for p in e.parts), ZERO)
    decimals = max([e.total.number.decimals, *(p.number.decimals for p in e.parts)])
    if len(e.parts) == 1 and e.connector == "其中":  # a lone 其中 part: part ≤ whole
        if parts.lo <= whole.hi:
            return None
        return _finding(ctx, e, "subitem", severity="error" if money else "warning",
                        expected_base=sum_mid, decimals=decimals, gap=parts.lo - whole.hi,
                        variant="subitem", relation={"part": e.parts[0].label})
    gap = whole.gap(parts)
    touching = gap == 0 and _touch_only(whole, parts) and sum_mid != to_base(e.total.number)
    if gap == 0 and not touching:
        return None
    over = parts.lo >= whole.hi
    if not money or touching:
        # the two sides meet only if the total sits at the top of its rounding interval and every
        # part at the bottom of its own: impossible under 四舍五入, which rounds a half up for the
        # total and for the parts alike, but still a matter of convention, so never an error
        severity = "warning"
    elif over:
        severity = "error"
    else:
        severity = "info" if e.scope == "main" else "warning"
    names, more = _names(e.parts)
    # the parts listed after the total (the default message), or the main projects; more than six
    variant = {(False, False): "", (False, True): "sum_more", (True, False): "main_sum",
               (True, True): "main_sum_more"}[(e.scope == "main", more)]
    return _finding(ctx, e, "sum", severity=severity, expected_base=sum_mid, decimals=decimals, gap=gap,
                    variant=variant,
                    relation={"count": len(e.parts), "parts": names})


def _touch_only(whole: Interval, parts: Interval) -> bool:
    """The closed intervals share exactly one end point (and are not both that one point)."""
    return (whole.hi == parts.lo or whole.lo == parts.hi) and not (whole.lo == whole.hi == parts.lo == parts.hi)


def _check_count(ctx: RuleContext, e: Enumeration) -> Finding | None:
    stated = e.total.number.value
    if e.parts:  # "项目 N 个" and the projects listed with their amounts
        listed = Decimal(len(e.parts))
        if stated == listed:
            return None
        names, more = _names(e.parts)
        return _finding(ctx, e, "count", severity="warning", expected_text=f"{len(e.parts)}{e.total.number.unit}",
                        gap=None, variant="count_parts_more" if more else "count_parts",
                        relation={"parts": names, **({"count": len(e.parts)} if more else {})},
                        difference=str(abs(stated - listed)))
    # "设 9 个内设机构，分别为：A、B、…": the names listed one by one
    low, high = len(e.items), max(e.listed_max, len(e.items))
    if low <= stated <= high:
        return None
    listed = Decimal(low if stated < low else high)
    names, more = _listed(e.items)
    return _finding(ctx, e, "count", severity="warning", expected_text=f"{listed}{e.total.number.unit}", gap=None,
                    variant="count_names_more" if more else "count_names",
                    relation={"names": names, **({"count": len(e.items)} if more else {})},
                    difference=str(abs(stated - listed)))


def _check_product(ctx: RuleContext, e: Enumeration) -> Finding | None:
    price, quantity = e.parts
    qty = term_interval(quantity)
    p = term_interval(price)
    corners = [p.lo * qty.lo, p.lo * qty.hi, p.hi * qty.lo, p.hi * qty.hi]
    product = Interval(min(corners), max(corners))
    amount = term_interval(e.total)
    gap = amount.gap(product)
    if gap == 0:
        return None
    expected = to_base(price.number) * quantity.number.value
    decimals = e.total.number.decimals  # as precise as the line amount is printed
    return _finding(ctx, e, "product", severity="error", expected_base=expected, decimals=decimals, gap=gap,
                    variant="product", relation={"price": price.number.text, "quantity": quantity.number.text},
                    candidates={cell_key(e.total): _show(expected, e.total, decimals)})


def _check_monthly(ctx: RuleContext, e: Enumeration) -> Finding | None:
    monthly = e.parts[0]
    m = term_interval(monthly)
    yearly = Interval(m.lo * TWELVE, m.hi * TWELVE)
    y = term_interval(e.total)
    gap = y.gap(yearly)
    if gap == 0:
        return None
    expected = to_base(monthly.number) * TWELVE
    return _finding(ctx, e, "monthly", severity="error", expected_base=expected,
                    decimals=max(e.total.number.decimals, monthly.number.decimals), gap=gap,
                    variant="monthly", relation={"monthly": monthly.number.text})


def _finding(ctx: RuleContext, e: Enumeration, what: str, *, severity: str, variant: str,
             relation: dict[str, object], gap: Decimal | None, expected_base: Decimal | None = None, decimals: int = 0,
             expected_text: str | None = None, difference: str | None = None,
             candidates: dict[str, str] | None = None) -> Finding:
    t = e.total
    if expected_text is None and expected_base is not None:
        expected_text = _show(expected_base, t, decimals)
    if difference is None and expected_base is not None:
        difference = _show(abs(to_base(t.number) - expected_base), t, decimals)
    money = t.unit_class == MONEY
    if candidates is None and what in ("sum", "subitem") and expected_base is not None:
        candidates = {cell_key(t): expected_text or ""}
        whole = to_base(t.number)
        for p in e.parts:
            needed = whole - (expected_base - to_base(p.number))
            if needed >= 0:
                candidates[cell_key(p)] = _show(needed, p, max(p.number.decimals, 0))
    cells = [cell_key(t)] + [cell_key(p) for p in e.parts]
    names = {cell_key(t): f"{t.label} {t.number.text}".strip()}
    names.update({cell_key(p): f"{p.label} {p.number.text}".strip() for p in e.parts})
    args = {
        "total_label": t.label or e.connector,
        "actual": t.number.text.strip(),
        "expected": expected_text,
        "difference": difference,
        **relation,  # what the total was compared with: the variant's own fields
    }
    key = f"{what}|{e.connector}|{t.label}|{'、'.join(p.label for p in e.parts)}"
    return ctx.finding(
        ctx.location(t.line if e.total_from == "same" else e.line),
        severity=severity,  # type: ignore[arg-type]
        args=args,
        variant=variant,
        expected=expected_text,
        actual=t.number.text.strip(),
        difference=difference,
        evidence=_evidence(ctx, e),
        key=key,
        cells=cells,
        culprit_candidates=candidates or {},
        cell_names=names,
        gap=gap if money else None,
        confidence=0.9 if e.total_from == "context" else 1.0,
    )

