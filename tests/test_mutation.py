"""Mutation test: change one printed number of a real disclosure and the audit must point at it.

Seed 001 (a real 2020 部门预算) is audited once as printed. Then, one at a time, a printed
number is changed the way typos change numbers — two adjacent digits swapped, a digit dropped,
a digit shifted to another value — in a value cell of one of the standard tables (收支总体,
收入总体, 支出总体, 财政拨款收支总体, 一般公共预算支出 by function and by economic class, 基本支出,
“三公”, 政府采购) or in an amount the prose ties to a table quantity (a labelled amount of the
情况说明 whose quantity a table also prints: 收入总计, 基本支出, 社会保障和就业支出, 公务接待费,
办公费 …). The document is re-read from its text and re-audited. A mutation is caught when a
finding that the unchanged document does not have names the changed line as its location or as
one of its evidence lines.

Mutations that leave the value unchanged (a swap of equal digits) are not counted. The sample is
drawn with random.Random(2024), stratified so that every table and the prose get mutations.
"""

from __future__ import annotations

import os
import random
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from auditor.model import Finding
from tests.conftest import seed
from tests.harness import audit_text, read_text

SEED = 2024
PER_TABLE = 5
PROSE = 15
REQUIRED_RATE = 0.95

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Site:
    """A printed number that can be mutated: its line, the span of its digits in the line."""

    stratum: str  # the table kind, or "prose"
    line: int
    start: int
    end: int
    text: str  # the printed number (digits, separators, decimal point)


@dataclass(frozen=True)
class Mutation:
    site: Site
    operator: str
    new_text: str


# --------------------------------------------------------------------------- sites


def _number_span(raw: str, text: str, start_at: int = 0) -> tuple[int, int] | None:
    """Where the number `text` (a cell's or a prose amount's digits) is printed in `raw`."""
    core = re.match(r"[+-]?[\d,]*\d(?:\.\d+)?", text.strip())
    if not core:
        return None
    pattern = re.compile(rf"(?<![\d.,]){re.escape(core.group(0))}(?![\d])")
    m = pattern.search(raw, start_at)
    return (m.start(), m.end()) if m else None


def table_sites(text: str, path: str) -> list[Site]:
    read = read_text(text, path)
    lines = text.split("\n")
    sites: list[Site] = []
    for table in read.tables:
        if table.kind == "generic":
            continue
        for row in table.rows:
            raw = lines[row.line - 1]
            fields = raw.split("\t")
            offsets = [sum(len(f) + 1 for f in fields[:i]) for i in range(len(fields))]
            for cell in row.cells:
                if cell.number is None or cell.column >= len(fields):
                    continue
                if fields[cell.column].strip() != cell.text.strip():
                    continue
                span = _number_span(raw, cell.text, offsets[cell.column])
                if span is None or span[0] >= offsets[cell.column] + len(fields[cell.column]):
                    continue
                sites.append(Site(table.kind, row.line, span[0], span[1], raw[span[0]:span[1]]))
    return sites


def prose_sites(text: str, path: str) -> list[Site]:
    """Amounts the prose ties to a table quantity: prose observations whose concept the tables
    also print (not, e.g., 机关运行经费 or 政府采购货物支出, which no standard table prints)."""
    read = read_text(text, path)
    lines = text.split("\n")
    in_tables = {o.concept for o in read.observations if o.source == "table"}
    sites: list[Site] = []
    used: dict[int, int] = {}
    for obs in read.observations:
        if obs.source != "prose" or obs.concept not in in_tables:
            continue
        raw = lines[obs.line - 1]
        label = re.escape(obs.label).replace(r"\ ", r"\s*")
        m = re.compile(label + r"\s*").search(raw, used.get(obs.line, 0))
        if not m:
            continue
        span = _number_span(raw, obs.number.text, m.end())
        if span is None:
            continue
        used[obs.line] = span[1]
        sites.append(Site("prose", obs.line, span[0], span[1], raw[span[0]:span[1]]))
    return sites


# --------------------------------------------------------------------------- mutations


def _value(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _regroup(digits_text: str, grouped: bool) -> str:
    """Tidy a mutated number: no leading zeros, thousands separators where the original had them."""
    plain = digits_text.replace(",", "")
    whole, dot, frac = plain.partition(".")
    whole = whole.lstrip("0") or "0"
    if grouped:
        whole = f"{int(whole):,}"
    return whole + (dot + frac if dot else "")


def mutate(site: Site, rng: random.Random) -> Mutation | None:
    """One typo in the number: swap two adjacent digits, drop a digit, or shift a digit."""
    text = site.text
    positions = [m.start() for m in _DIGIT.finditer(text)]
    grouped = "," in text
    operators = ["swap", "drop", "shift"] if len(positions) > 1 else ["shift"]
    rng.shuffle(operators)
    for operator in operators:
        chars = list(text)
        if operator == "swap":
            pairs = [(a, b) for a, b in zip(positions, positions[1:], strict=False) if chars[a] != chars[b]]
            if not pairs:
                continue
            a, b = rng.choice(pairs)
            chars[a], chars[b] = chars[b], chars[a]
        elif operator == "drop":
            del chars[rng.choice(positions)]
        else:
            i = rng.choice(positions)
            chars[i] = rng.choice([d for d in "0123456789" if d != chars[i]])
        new = _regroup("".join(chars), grouped)
        if new.endswith(".") or _value(new) is None or _value(new) == _value(text):
            continue
        return Mutation(site, operator, new)
    return None


def apply(text: str, mutation: Mutation) -> str:
    lines = text.split("\n")
    site = mutation.site
    raw = lines[site.line - 1]
    lines[site.line - 1] = raw[:site.start] + mutation.new_text + raw[site.end:]
    return "\n".join(lines)


# --------------------------------------------------------------------------- auditing


def _signature(f: Finding) -> tuple[str, int | None, str | None, str | None]:
    return (f.rule, f.location.line, f.actual, f.expected)


def caught(findings: list[Finding], baseline: set[tuple], line: int) -> list[Finding]:
    """New findings whose location or evidence is the changed line."""
    return [f for f in findings if _signature(f) not in baseline
            and (f.location.line == line or any(e.line == line for e in f.evidence))]


def sample(text: str, path: str, per_table: int = PER_TABLE, prose: int = PROSE,
           rng_seed: int = SEED) -> list[Mutation]:
    rng = random.Random(rng_seed)
    strata: dict[str, list[Site]] = {}
    for site in table_sites(text, path) + prose_sites(text, path):
        strata.setdefault(site.stratum, []).append(site)
    mutations: list[Mutation] = []
    for stratum in sorted(strata):
        sites = list(strata[stratum])
        rng.shuffle(sites)
        want = prose if stratum == "prose" else per_table
        for site in sites:
            if sum(1 for m in mutations if m.site.stratum == stratum) >= want:
                break
            mutation = mutate(site, rng)
            if mutation is not None:
                mutations.append(mutation)
    return mutations


def _check_one(args: tuple[str, str, frozenset, Mutation]) -> tuple[Mutation, list[tuple[str, int | None]]]:
    text, name, baseline, mutation = args
    findings = audit_text(apply(text, mutation), name=name).findings
    return mutation, [(f.rule, f.location.line) for f in caught(findings, set(baseline), mutation.site.line)]


def run(path: Path, per_table: int = PER_TABLE, prose: int = PROSE, rng_seed: int = SEED,
        jobs: int | None = None) -> list[tuple[Mutation, list[tuple[str, int | None]]]]:
    """Each sampled mutation with the new findings that point at its line (rule, location line)."""
    text = path.read_text(encoding="utf-8")
    name = str(path)
    baseline = frozenset(_signature(f) for f in audit_text(text, name=name).findings)
    work = [(text, name, baseline, m) for m in sample(text, name, per_table, prose, rng_seed)]
    jobs = jobs or min(4, os.cpu_count() or 1)
    if jobs <= 1:
        return [_check_one(w) for w in work]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_check_one, work, chunksize=4))


# --------------------------------------------------------------------------- the test


def test_mutation_site_helpers_round_trip():
    text = "表\n合计\t1,234\t5.60\n收入总计 8641.20 万元。"
    site = Site("x", 2, 3, 8, "1,234")
    assert apply(text, Mutation(site, "swap", "1,324")).split("\n")[1] == "合计\t1,324\t5.60"
    rng = random.Random(1)
    for _ in range(50):
        m = mutate(site, rng)
        assert m is not None and _value(m.new_text) != Decimal(1234)
    assert mutate(Site("x", 1, 0, 3, "0,0"), random.Random(3)) is None or True  # no crash on odd text


def test_one_changed_number_is_found_on_its_line():
    results = run(seed("001"))
    strata = {m.site.stratum for m, _ in results}
    assert "prose" in strata
    assert {"budget.summary", "budget.income", "budget.expense", "budget.fiscal_summary",
            "budget.general_expense", "budget.general_expense_econ", "budget.basic_expense",
            "budget.sangong", "budget.procurement"} <= strata
    assert len(results) >= 50
    hits = sum(1 for _, found in results if found)
    missed = [(m.site.stratum, m.site.line, m.site.text, m.new_text) for m, found in results if not found]
    rate = hits / len(results)
    print(f"mutation detection: {hits}/{len(results)} = {rate:.1%}; missed: {missed}")
    assert rate >= REQUIRED_RATE, missed
