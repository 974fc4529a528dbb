"""Classification codes: economic codes in the right columns, 3xx -> 5xx pairs, code names.

* `crosstable.classification` — in a table that prints 部门预算经济分类 codes (3xx) beside
  economic-type value columns (工资福利 / 对个人和家庭的补助 / 商品和服务 / 资本性, or 人员经费 /
  公用经费), a row's basic money may only sit in the column of its class (DOMAIN §2.4, A6); the
  政府预算经济分类 code printed beside it must be the one the official map gives for the unit type
  (DOMAIN §2.4, C37); and 人员经费 = Σ301 + Σ303, 公用经费 = Σ302 + Σ307 + Σ310 + Σ399 (basic)
  wherever the prose or a table prints them (DOMAIN B4, D8, A10).
* `crosstable.code_name` — each function / economic code's printed name matches the catalog for
  the document's fiscal year (DOMAIN §2, C37, error class 7).

The catalog (`checks/catalog/*.csv`) is partly recalled rather than transcribed from the MOF
科目 book, so a disagreement with a row that is not `confirmed` is reported as info only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from auditor.catalog import Catalog, normalize_code, normalize_name, strip_qualifier
from auditor.engine import RuleContext, rule
from auditor.model import Column, Finding, ReadDocument, Row, Table
from auditor.numbers import format_decimal, scale_of, to_base
from auditor.read.econ_labels import expense_group, name_column_kind, unit_type_suffix
from auditor.read.facts import read_facts
from auditor.read.observations import describe, in_every_language
from auditor.tolerance import interval
from checks._scope import catalog_yaml

ZERO = Decimal(0)
ECON_TYPE_ROLES = ("basic.salary", "basic.family", "basic.goods", "basic.capital", "basic.other")
PERSONNEL_ROLES = ("personnel", "basic.personnel")
PUBLIC_ROLES = ("public", "basic.public")


# --------------------------------------------------------------------------- helpers


def _money(value: Decimal, unit: str) -> str:
    """A 元 amount written in `unit` ("元" tables print integers with separators)."""
    if unit in ("万元", "亿元"):
        return f"{format_decimal(value / scale_of(unit), 2, thousands=False)}{unit}"
    return format_decimal(value, 0, thousands=True)


def _cell_key(table: Table, row: Row, column: Column) -> str:
    """The same key the totals suite gives a cell (checks/_sums.CellRef.key), for grouping."""
    ident = " ".join(part for part in (row.code, row.label) if part) or "?"
    return f"{table.name}|{ident}|{column.name}|{row.block}"


def _value(row: Row, column: Column) -> Decimal | None:
    number = row.value(column.index)
    if number is None or number.value == 0:
        return None
    return number.value


def _column_text(table: Table, column: Column) -> str:
    return "/".join(column.path) or column.name


def _econ_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if r.kind == "detail" and r.code.startswith("3") and len(r.code) in (3, 5)]


def _leaf_rows(rows: list[Row]) -> list[Row]:
    """款 rows, and 类 rows only for classes printed without their 款."""
    classes_with_items = {r.code[:3] for r in rows if len(r.code) == 5}
    return [r for r in rows if len(r.code) == 5 or r.code not in classes_with_items]


def _allowed(catalog: Catalog, role: str, cls: str) -> bool | None:
    """Whether money of economic class `cls` may sit in a column of `role` (None: not a typed column)."""
    if role in ECON_TYPE_ROLES:
        own = catalog.econ_column_role(cls)
        if own is None:
            return None
        return own == role
    if role in PERSONNEL_ROLES:
        return cls in catalog.personnel_codes()
    if role in PUBLIC_ROLES:
        return cls in catalog.public_codes()
    return None


def _expected_column(catalog: Catalog, table: Table, role: str, cls: str) -> tuple[Column | None, str]:
    """The column of the same family where class `cls` belongs, and its printed (or known) name."""
    if role in ECON_TYPE_ROLES:
        want = catalog.econ_column_role(cls) or ""
        labels = catalog.column_labels(want)
        fallback = labels[0] if labels else want
    elif cls in catalog.personnel_codes():
        want, fallback = ("basic.personnel" if role.startswith("basic.") else "personnel"), "人员经费"
    else:
        want, fallback = ("basic.public" if role.startswith("basic.") else "public"), "公用经费"
    column = next((c for c in table.columns if c.role == want), None)
    return column, (column.name if column else fallback)


def _total_row(table: Table) -> Row | None:
    return next((r for r in table.rows if r.kind == "total"), None)


def _year_of(read: ReadDocument, line: int) -> int | None:
    section = read.section_at(line)
    return section.year if section and section.year else read.year


# the unit type as the message names it (parts of checks/messages/crosstable.classification.yaml)
_UNIT_TYPE_PART = {"行政": "unit_type.administrative", "事业": "unit_type.institution", "": "unit_type.either"}


def _unit_type(gov_code: str, gov_name: str) -> str | None:
    """行政 / 事业 from the 政府预算 name suffix (_行政, _事业), else from the 5xx code family."""
    suffix = unit_type_suffix(gov_name)
    if suffix:
        return "事业" if suffix == "事业" else "行政"
    family = gov_code[:3]
    if family in ("501", "502", "503", "504"):
        return "行政"
    if family in ("505", "506"):
        return "事业"
    return None


@dataclass
class _NameColumns:
    primary: Column | None
    alt: Column | None


def _name_columns(table: Table) -> _NameColumns:
    primary = alt = None
    for column in table.columns:
        if column.is_value:
            continue
        kind = name_column_kind(column)
        if kind == "gov_name":
            alt = alt or column
        elif kind == "name":
            primary = primary or column
    return _NameColumns(primary, alt)


# --------------------------------------------------------------------------- classification


@rule(
    "crosstable.classification",
    severity="error",
    applies_to="table",
)
def classification(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Economic classification must be consistent with itself, in three ways.

    1. In a table with 3xx economic codes and economic-type columns, basic money of a 301 row sits
       only in 工资福利支出, 303 only in 对个人和家庭的补助, 302 only in 商品和服务支出, 309/310 only in
       资本性支出 (and 301/303 only in 人员经费, 302/307/310/399 only in 公用经费). Tolerance 0: a
       non-zero amount in another column is an error, reported with the column it belongs in.
    2. The 政府预算经济分类 (5xx) code printed beside a 3xx code is the one the official map gives
       for the unit type; the unit type comes from the name suffix (_行政 / _事业) or the code family
       (501–504 机关, 505/506 事业). A pair the catalog maps otherwise is an error when the
       catalog row is `confirmed`, info when it is only recalled/unverified.
    3. 人员经费 = Σ301 + Σ303 and 公用经费 = Σ302 + Σ307 + Σ310 + Σ399 of basic expenditure,
       wherever the prose or a table prints them. A prose figure in 万元 may be the sum of the
       rounded class totals (3403.49 = 3256.79 + 146.70 while the exact Σ is 3403.4967), so the
       tolerance is one rounding radius per class plus one for the figure itself.

    Why it matters: money shown under the wrong type misstates 公用经费 and 资本性支出 (办公设备购置 630,000
    shown as 商品服务支出 leaves 资本性支出 at 0), and the 3xx→5xx pair is
    how the same money is reported in the government budget.
    """
    catalog: Catalog = ctx.catalog
    for table in read.tables:
        rows = _econ_rows(table)
        if not rows:
            continue
        yield from _columns_check(ctx, catalog, table, rows)
        yield from _map_check(ctx, catalog, table, rows)
    yield from _personnel_public(read, ctx, catalog)


def _columns_check(ctx: RuleContext, catalog: Catalog, table: Table, rows: list[Row]) -> Iterator[Finding]:
    typed = [c for c in table.columns if c.is_value and (c.role in ECON_TYPE_ROLES or c.role in PERSONNEL_ROLES
                                                         or c.role in PUBLIC_ROLES)]
    if not typed:
        return
    total_row = _total_row(table)
    unit = table.unit or "元"
    for row in rows:
        cls = row.code[:3]
        for column in typed:
            allowed = _allowed(catalog, column.role, cls)
            if allowed is None:
                continue
            value = _value(row, column)
            ctx.check()
            if allowed or value is None:
                continue
            number = row.value(column.index)
            assert number is not None
            expected_col, expected_name = _expected_column(catalog, table, column.role, cls)
            printed = number.text.strip()
            evidence = [ctx.evidence(row.line, printed)]
            if total_row is not None and expected_col is not None:
                total_value = total_row.value(expected_col.index)
                evidence.append(ctx.evidence(total_row.line, total_value.text if total_value else "（空）"))
            label = row.label or row.code
            base = to_base(number) if number.unit else number.value * scale_of(unit)
            key_cell = _cell_key(table, row, column)
            candidates = {key_cell: "0"}
            names = {key_cell: f"{table.name} {label}「{column.name}」"}
            cells = [key_cell]
            if expected_col is not None:
                other = _cell_key(table, row, expected_col)
                cells.append(other)
                names[other] = f"{table.name} {label}「{expected_col.name}」"
            args = {
                "table": table.name, "code": row.code, "row": label, "column": column.name, "amount": printed,
                "economic_class": cls, "expected_column": expected_name,
            }
            yield ctx.finding(
                ctx.location(row.line, table=table.name, row=label, column=column.name,
                             cell=row.address or None),
                args=args,
                expected="0",
                actual=printed,
                difference=printed,
                evidence=evidence,
                key=f"column|{table.kind}|{table.title}|{row.code}|{row.alt_code}|{label}|{column.name}",
                cells=cells,
                culprit_candidates=candidates,
                cell_names=names,
                gap=base,
                confidence=table.confidence * (0.85 if row.aligned else 1.0),
            )


def _map_check(ctx: RuleContext, catalog: Catalog, table: Table, rows: list[Row]) -> Iterator[Finding]:
    names = _name_columns(table)
    for row in rows:
        gov = row.alt_code
        if not gov or not gov.startswith("5"):
            continue
        gov_name = ""
        if names.alt is not None:
            cell = row.cell(names.alt.index)
            gov_name = cell.text.strip() if cell else ""
        unit_type = _unit_type(gov, gov_name)
        types = [unit_type] if unit_type else ["行政", "事业"]
        entries = [e for u in types for e in catalog.map_entries(row.code, u)] if len(row.code) == 5 else []
        expected = {g for u in types for g in catalog.map_dept_to_gov(row.code, u)}
        if not expected:
            ctx.insufficient()
            continue
        ctx.check()
        if any(gov == g or (len(g) < len(gov) and gov.startswith(g)) for g in expected):
            continue
        confirmed = any(e.status == "confirmed" for e in entries) if entries else len(row.code) == 3
        severity = "error" if confirmed else "info"
        label = row.label or row.code
        shown = "、".join(sorted(expected))
        # how the unit type was found and whether the map row is verified: parts of
        # checks/messages/crosstable.classification.yaml
        how = "unit_type_from_suffix" if unit_type_suffix(gov_name) else "unit_type_from_code" if unit_type else ""
        args = {
            "table": table.name, "code": row.code, "row": label, "gov_code": gov, "gov_name": gov_name,
            "expected": shown, "unit_type": [{"part": _UNIT_TYPE_PART[unit_type or ""]}],
            "unit_type_source": [{"part": how}] if how else [],
            "unverified": [] if confirmed else [{"part": "unverified_map_row"}],
        }
        yield ctx.finding(
            ctx.location(row.line, table=table.name, row=label, column=names.alt.name if names.alt else None),
            severity=severity,  # type: ignore[arg-type]
            args=args, variant="gov_map",
            expected=shown,
            actual=gov,
            evidence=[ctx.evidence(row.line, gov)],
            key=f"map|{table.kind}|{table.title}|{row.code}|{gov}|{gov_name}",
            confidence=table.confidence,
        )


# --------------------------------------------------------------------------- 人员经费 / 公用经费


def _basic_source(read: ReadDocument) -> tuple[Table, Column] | None:
    """The table whose basic amounts by economic code give Σ301 …: the 基本支出 table, else a table
    by economic code with a 基本支出 column."""
    basic_tables = [t for t in read.tables if _econ_rows(t) and ("basic_expense" in t.kind or "基本支出" in t.title)]
    for table in basic_tables:
        values = [c for c in table.columns if c.is_value]
        column = next((c for c in values if c.role == "total"), values[0] if values else None)
        if column is not None:
            return table, column
    for table in read.tables:
        if not _econ_rows(table):
            continue
        column = next((c for c in table.columns if c.role == "basic"), None)
        if column is not None:
            return table, column
    return None


def _group_sums(catalog: Catalog, table: Table, column: Column) -> dict[str, tuple[Decimal, int]]:
    """人员 / 公用: (Σ in 元, number of classes with money)."""
    by_class: dict[str, Decimal] = {}
    unit = table.unit or "元"
    for row in _leaf_rows(_econ_rows(table)):
        number = row.value(column.index)
        if number is None:
            continue
        base = to_base(number) if number.unit else number.value * scale_of(unit)
        by_class[row.code[:3]] = by_class.get(row.code[:3], ZERO) + base
    out = {}
    for group, codes in (("personnel", catalog.personnel_codes()), ("public", catalog.public_codes())):
        present = [v for c, v in by_class.items() if c in codes]
        out[group] = (sum(present, ZERO), len([v for v in present if v]))
    return out


def _personnel_public(read: ReadDocument, ctx: RuleContext, catalog: Catalog) -> Iterator[Finding]:
    source = _basic_source(read)
    if source is None:
        return
    table, column = source
    sums = _group_sums(catalog, table, column)
    claims: list[tuple[str, int, object, str]] = []  # (group, line, Number, where)
    for fact in read_facts(read.paragraphs):
        if fact.concept not in ("expense.personnel", "expense.public"):
            continue
        paragraph = read.paragraphs[fact.paragraph]
        if table.section and paragraph.section and paragraph.section != table.section:
            continue
        claims.append(("personnel" if fact.concept == "expense.personnel" else "public", fact.line, fact.number,
                       "prose"))
    for other in read.tables:
        if other is table or not (other.kind.startswith("budget.") or other.kind.startswith("final.")):
            continue
        values = [c for c in other.columns if c.is_value]
        if not values:
            continue
        for row in other.rows:
            if row.code:
                continue
            label = normalize_name(row.label)
            group = expense_group(label)
            number = row.value(values[0].index)
            if group and number is not None:
                if not number.unit:
                    number = type(number)(number.value, number.decimals, other.unit or "元", number.text)
                claims.append((group, row.line, number, other.name))
    for group, line, number, where in claims:
        expected, classes = sums[group]
        if classes == 0:
            ctx.insufficient()
            continue
        ctx.check()
        printed = interval(number)  # type: ignore[arg-type]
        radius = (printed.hi - printed.lo) / 2 * classes  # one rounding radius per summed class
        gap = max(ZERO, printed.lo - radius - expected, expected - printed.hi - radius)
        if gap == 0:
            continue
        unit = number.unit or "元"  # type: ignore[attr-defined]
        text = number.text.strip()  # type: ignore[attr-defined]
        shown = _money(expected, unit)
        name_zh = "人员经费" if group == "personnel" else "公用经费"
        formula = "Σ301 + Σ303" if group == "personnel" else "Σ302 + Σ307 + Σ310 + Σ399"
        args = {
            "group": in_every_language(functools.partial(describe, f"expense.{group}")), "actual": text, "expected": shown,
            "basic_table": table.name, "formula": formula,
        }
        if where != "prose":
            args["table"] = where
        yield ctx.finding(
            ctx.location(line, table=None if where == "prose" else where),
            args=args, variant="group_in_prose" if where == "prose" else "group_in_table",
            expected=shown,
            actual=text,
            difference=_money(abs(to_base(number) - expected), unit),  # type: ignore[arg-type]
            evidence=[ctx.evidence(line, text)],
            key=f"group|{group}|{where}|{text}",
            cells=[f"prose|L{line}|{text}"],
            culprit_candidates={f"prose|L{line}|{text}": shown},
            cell_names={f"prose|L{line}|{text}": f"{name_zh} {text}"},
            gap=gap,
        )


# --------------------------------------------------------------------------- code names


@functools.cache
def _name_index() -> dict[str, set[str]]:
    """Normalised name -> codes that carry it (any list, any year), to name a swapped code."""
    from auditor.catalog import load_catalog

    catalog = load_catalog()
    out: dict[str, set[str]] = {}
    for table in (catalog.func, catalog.econ_dept, catalog.econ_gov):
        for code, entries in table.items():
            for e in entries:
                out.setdefault(normalize_name(e.name), set()).add(code)
    return out


def _pattern_name(code: str, printed: str) -> bool:
    """A 项 name that follows the common pattern (2070101 行政运行; 99 其他…支出)."""
    data = catalog_yaml("common_items.yaml")
    norm = normalize_name(printed)
    candidates = [norm] + [s for s in [strip_qualifier(norm)] if s]
    suffix = code[-2:]
    name = data["function_items"].get(suffix)
    if name and normalize_name(name) in candidates:
        return True
    other = data["other_item"]
    return suffix == other["suffix"] and any(c.startswith(other["prefix"]) and c.endswith(other["ends_with"])
                                             for c in candidates)


@dataclass
class _Seen:
    code: str
    printed: str
    lines: list[int]
    table: str


@rule(
    "crosstable.code_name",
    severity="warning",
    applies_to="table",
)
def code_name(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Each function (2xx) and economic (3xx, 5xx) code in a table must carry its name for the
    document's fiscal year ("科目编码与名称不符").

    Allowed: a trailing parenthesised qualifier ("行政运行（政府办公厅（室）及相关机构事务）"), the
    _行政 / _事业 suffix of 政府预算 names, and a historical name of the code (reported as info
    "old name"). A different name is a warning when the catalog row is `confirmed` or the printed
    name belongs to another code (a likely wrong code); otherwise info. A code unknown to the
    catalog is info only where the catalog claims completeness (an unknown 类, or an economic
    款); function 款/项 the catalog simply does not list are not reported. A code whose catalog
    rows all lie outside the year (an abolished or not yet created code) is reported too.

    Why it matters: a code with the wrong name means either the amount was booked under the wrong
    subject or the table was built from an old template; readers match tables by name.
    """
    catalog: Catalog = ctx.catalog
    seen: dict[tuple[str, str, int | None], _Seen] = {}
    order: list[tuple[str, str, int | None]] = []
    for table in read.tables:
        columns = _name_columns(table)
        for row in table.rows:
            pairs = []
            if row.code and columns.primary is not None:
                pairs.append((row.code, columns.primary))
            if row.alt_code and columns.alt is not None:
                pairs.append((row.alt_code, columns.alt))
            for code, column in pairs:
                cell = row.cell(column.index)
                printed = cell.text.strip() if cell else ""
                if not printed or code[:1] not in ("2", "3", "5"):
                    continue
                year = _year_of(read, row.line)
                key = (code, normalize_name(printed), year)
                if key not in seen:
                    seen[key] = _Seen(code, printed, [], table.name)
                    order.append(key)
                seen[key].lines.append(row.line)
    for key in order:
        item = seen[key]
        finding = _judge(ctx, catalog, item, key[2])
        if finding is not None:
            yield finding


def _judge(ctx: RuleContext, catalog: Catalog, item: _Seen, year: int | None) -> Finding | None:
    code, printed = item.code, item.printed
    verdict = catalog.name_matches(code, printed, year)
    entry = _entry(catalog, code, year)
    if verdict == "match":
        ctx.check()
        return None
    variant = ""  # the default: the name differs from the code's confirmed name
    more: dict[str, str] = {}
    if verdict == "alias":
        ctx.check()
        severity = "info"
        variant = "old_name"
        official = entry.name if entry else printed
    elif verdict == "mismatch":
        ctx.check()
        assert entry is not None
        official = entry.name
        others = _name_index().get(normalize_name(printed), set()) | _name_index().get(
            strip_qualifier(normalize_name(printed)) or "", set())
        others.discard(code)
        if others:
            variant, more = "other_code", {"codes": sorted(others)[:3]}
            severity = "warning"
        else:
            severity = "warning" if entry.status == "confirmed" else "info"
            if entry.status != "confirmed":
                variant = "unverified"
    else:  # unknown for this year
        if (code.startswith("2") and len(code) == 7 and catalog.func.get(code[:3])
                and _pattern_name(code, printed)):
            ctx.check()
            return None
        rows = _all_rows(catalog, code)
        if rows:
            valid = [f"{r.valid_from or '…'}–{r.valid_to or '…'}" for r in rows]
            official = rows[-1].name
            variant, more = "other_years", {"valid": valid}
            severity = "warning" if any(r.status == "confirmed" for r in rows) else "info"
            ctx.check()
        elif _claims_complete(catalog, code, year):
            official = "（目录中无此编码）"  # the finding's expected value; the message says it itself
            variant = "unknown_code"
            severity = "info"
            ctx.check()
        else:
            ctx.insufficient()
            return None
    lines = sorted(set(item.lines))
    args: dict[str, object] = {"code": code, "printed": printed, "year": year or "", **more}
    if variant != "unknown_code":
        args["official"] = official
    return ctx.finding(
        ctx.location(lines[0], table=item.table, row=printed),
        severity=severity,  # type: ignore[arg-type]
        args=args,
        variant=variant,
        expected=official,
        actual=printed,
        evidence=[ctx.evidence(line, code) for line in lines[:8]],
        key=f"name|{code}|{normalize_name(printed)}",
        confidence=0.8 if severity == "info" else 1.0,
    )


def _entry(catalog: Catalog, code: str, year: int | None):  # noqa: ANN202 - CodeEntry | None
    if code.startswith("2"):
        return catalog.function_entry(code, year)
    if code.startswith("5"):
        return catalog.gov_economic_entry(code, year)
    return catalog.economic_entry(code, year)


def _all_rows(catalog: Catalog, code: str) -> list:
    c = normalize_code(code)
    if c.startswith("2"):
        return list(catalog.func.get(c, ()))
    if c.startswith("5"):
        return list(catalog.econ_gov.get(c, ()))
    return []


def _claims_complete(catalog: Catalog, code: str, year: int | None) -> bool:
    """Where an unknown code is itself a finding: a function 类 the catalog lacks (the 类 list is
    complete), or an economic code of 2018 or later (the 2018+ 部门/政府预算 lists are meant to be
    complete; the pre-2018 list is partial)."""
    if code.startswith("2"):
        return not catalog.func.get(code[:3])
    return year is None or year >= 2018


# --------------------------------------------------------------------------- function <-> economic


def _sum_rows(table: Table, column: Column, match) -> tuple[Decimal, list[Row]]:  # noqa: ANN001
    unit = table.unit or "元"
    rows = [r for r in table.rows if r.kind == "detail" and r.code and match(r.code)]
    total_value = ZERO
    for row in rows:
        number = row.value(column.index)
        if number is not None:
            total_value += to_base(number) if number.unit else number.value * scale_of(unit)
    return total_value, rows


def _func_match(codes: tuple[str, ...], table: Table):  # noqa: ANN202
    """A row matcher for function codes; a 5-digit code stands for its 项 (or itself if none)."""
    present = {r.code for r in table.rows if r.code}

    def match(code: str) -> bool:
        for c in codes:
            if len(c) == 7 and code == c:
                return True
            if len(c) == 5:
                items = any(p.startswith(c) and len(p) == 7 for p in present)
                if (items and code.startswith(c) and len(code) == 7) or (not items and code == c):
                    return True
        return False

    return match


def _cross_sources(read: ReadDocument) -> list[tuple[Table, Column, Table, Column, str]]:
    """(economic table, column, function table, column, scope) pairs that cover the same money."""
    econ = [t for t in read.tables if _econ_rows(t)]
    func = [t for t in read.tables if any(r.code.startswith("2") and len(r.code) == 7 for r in t.rows)]
    out = []
    for role, scope in (("total", "合计"), ("basic", "基本支出")):
        e = next(((t, c) for t in econ for c in t.columns if c.role == role and "general_expense" in t.kind), None)
        f = next(((t, c) for t in func for c in t.columns
                  if c.role == role and t.kind in ("budget.general_expense", "final.general_expense")), None)
        if e and f:
            out.append((e[0], e[1], f[0], f[1], scope))
            return out
    basic = _basic_source(read)
    if basic:
        f = next(((t, c) for t in func for c in t.columns if c.role == "basic" and "general_expense" in t.kind), None)
        if f:
            out.append((basic[0], basic[1], f[0], f[1], "基本支出"))
    return out


@rule(
    "crosstable.cross_link",
    severity="warning",
    applies_to="table",
)
def cross_link(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Some economic items and function items are the same money, so their amounts must agree: Σ30108 ≈
    2080505 养老保险, Σ30109 ≈ 2080506 职业年金, Σ(30110 + 30111) ≈ Σ21011xx 医疗, Σ30113 ≈ 2210201
    住房公积金, Σ(30301 + 30302) ≈ Σ(2080501 + 2080502) 离退休费, and often Σ30216 ≈ 2050803 培训.
    The link list is `checks/catalog/cross_links.yaml`. Both sides must be printed, over the
    same scope (一般公共预算 合计 by economic and by function class, or 基本支出 of both).

    Soft: a "usual" link that fails is a warning, an "often" link only info.

    Why it matters: when the pension contribution by economic class is not the pension
    contribution by function, one of the two tables was not updated (in a correct release they match exactly).
    """
    catalog: Catalog = ctx.catalog
    for econ_table, econ_col, func_table, func_col, scope in _cross_sources(read):
        for link in catalog.cross_links():
            econ_sum, econ_rows = _sum_rows(econ_table, econ_col, lambda code, link=link: code in link.econ)
            func_sum, func_rows = _sum_rows(func_table, func_col, _func_match(link.func, func_table))
            if not econ_rows or not func_rows:
                ctx.insufficient()
                continue
            ctx.check()
            if econ_sum == func_sum:
                continue
            unit = func_table.unit or "元"
            severity = "warning" if link.strength == "usual" else "info"
            args = {
                "label": link.label, "scope": scope, "econ_codes": "+".join(link.econ),
                "func_codes": "+".join(link.func), "econ_amount": _money(econ_sum, unit),
                "func_amount": _money(func_sum, unit), "difference": _money(abs(econ_sum - func_sum), unit),
            }
            lines = [r.line for r in econ_rows[:4]] + [r.line for r in func_rows[:4]]
            yield ctx.finding(
                ctx.location(econ_rows[0].line, table=econ_table.name, row=econ_rows[0].label,
                             column=econ_col.name),
                severity=severity,  # type: ignore[arg-type]
                args=args,
                expected=args["func_amount"],
                actual=args["econ_amount"],
                difference=args["difference"],
                evidence=[ctx.evidence(line) for line in lines],
                key=f"link|{scope}|{'+'.join(link.econ)}|{'+'.join(link.func)}",
                gap=abs(econ_sum - func_sum),
                confidence=0.8,
            )
