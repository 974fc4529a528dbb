"""Cross-document suite: numbers that one disclosure repeats from another.

These rules do not look at one document: `auditor scan` extracts a few small facts from each
document in its worker (`facts`), and once the whole corpus is read it runs these rules over
the facts of every document (`run_corpus_rules`). `auditor check` never runs them (their
`applies_to` is "corpus"). A finding is reported on the later document, with evidence from
both: the line of the later document and the line of the earlier one it contradicts.

Documents are matched on their department (the issuer, without spaces and a trailing 机关 or
本级) and their fiscal year. Which printed cell is the carry-over or the 三公 total of a layout
is decided by the reader (auditor/read/year_cells.py); an ambiguous cell gives no fact, so a
missing check rather than a false alarm.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from auditor.engine import RuleSpec, load_rules, rule
from auditor.model import Evidence, Finding, Location, ReadDocument
from auditor.numbers import format_decimal, parse_amount
from auditor.read import year_cells
from auditor.read.kind import department
from auditor.read.year_cells import PrintedAmount, header
from auditor.tolerance import Interval, interval

# 2: carry-over only from the summary table (公开01) and this year's column; 三公 totals with
# the year of 上年… columns and a `basis`; ambiguous cells (two candidates) give no fact.
# 3: a project table's amounts take the unit of a plain "单位：万元" line above it (they were 元).
FACTS_VERSION = 3


# --------------------------------------------------------------------------- facts


def _amount(read: ReadDocument, number: Any, unit: str, line: int) -> dict[str, Any]:
    """A printed amount as a small JSON-ready fact: its interval in 元, as printed, and where."""
    if number is None:  # a printed row with a blank cell: nothing carried over
        span, text = Interval(Decimal(0), Decimal(0)), ""
    else:
        if not number.unit and unit:
            number = type(number)(number.value, number.decimals, unit, number.text)
        span, text = interval(number), number.text
    source = read.doc.line(line)
    return {"lo": str(span.lo), "hi": str(span.hi), "text": text, "unit": unit or "元", "line": line,
            "src": source.raw.rstrip("\n") if source else ""}


def _printed(read: ReadDocument, cell: PrintedAmount) -> dict[str, Any]:
    unit = cell.number.unit if cell.number is not None else cell.table.unit
    return {**_amount(read, cell.number, unit, cell.row.line), "table": cell.table.name}


def _carryover(read: ReadDocument) -> dict[str, Any]:
    """年初 ("open") and 年末 ("close") 结转和结余 of the summary table (see year_cells.carryover)."""
    return {slot: {**_printed(read, cell), "label": cell.label, "column": header(cell.column)}
            for slot, cell in year_cells.carryover(read).items()}


def _sangong(read: ReadDocument) -> list[dict[str, Any]]:
    """The 三公 totals a document prints: stage (budget|final), year, basis and amount."""
    return [{"stage": item.stage, "year": item.year, "basis": item.basis, "column": header(item.amount.column),
             **_printed(read, item.amount)} for item in year_cells.sangong_totals(read)]


def _projects(read: ReadDocument) -> dict[str, Any]:
    """Per project: the amount for this year and the one printed for last year.

    A project printed twice with different amounts is left out: which one the other year's
    document should repeat cannot be told.
    """
    out: dict[str, Any] = {}
    conflicting: set[str] = set()
    for item in read.indicator_sets:
        name = "".join(item.project.split())
        if not name:
            continue
        unit = item.amount.unit if item.amount is not None else (read.default_unit or "元")
        entry: dict[str, Any] = {}
        for slot, keys in (("this", ("项目本年度金额", "本年度金额")), ("last", ("项目上年度金额", "上年度金额"))):
            key = next((k for k in keys if item.fields.get(k, "").strip()), None)
            if key is None:
                continue
            number = parse_amount(item.fields[key], unit)
            if number is None:
                continue
            line = item.field_lines.get(key, item.line)
            entry[slot] = {**_amount(read, number, "", line), "unit": number.unit or "元", "label": key}
        if not entry:
            continue
        if name in out:
            seen = out[name]
            if any((seen.get(s) or {}).get("lo") != (entry.get(s) or {}).get("lo") for s in ("this", "last")):
                conflicting.add(name)
            continue
        out[name] = entry
    return {name: entry for name, entry in out.items() if name not in conflicting}


def facts(read: ReadDocument) -> dict[str, Any]:
    """The small per-document facts the cross-document rules need (extracted in the worker)."""
    return {
        "v": FACTS_VERSION,
        "dept": department(read.issuer),
        "kind": read.kind,
        "year": read.year,
        "carry": _carryover(read),
        "sangong": _sangong(read),
        "projects": _projects(read),
    }


# --------------------------------------------------------------------------- corpus run


@dataclass
class Doc:
    """One document of the corpus as the cross-document rules see it."""

    path: str
    facts: dict[str, Any]

    @property
    def dept(self) -> str:
        return str(self.facts.get("dept") or "")

    @property
    def year(self) -> int | None:
        return self.facts.get("year")

    @property
    def kind(self) -> str:
        return str(self.facts.get("kind") or "unknown")


# More documents than this of one department, year and kind means the department key is
# ambiguous (an issuer the reader could not name precisely): they are not paired, which also
# keeps the post-pass linear in the corpus.
MAX_SAME = 4


@dataclass
class CorpusContext:
    """What a corpus rule sees: its spec, the documents by department and year, a check counter."""

    spec: RuleSpec
    docs: list[Doc]
    checked: int = 0
    by_key: dict[tuple[str, int], list[Doc]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for doc in self.docs:
            if doc.dept and doc.year:
                self.by_key.setdefault((doc.dept, doc.year), []).append(doc)

    def earlier(self, doc: Doc, years_back: int, kinds: tuple[str, ...]) -> list[Doc]:
        """The department's documents of `years_back` years before `doc`, of the given kinds."""
        if not doc.year or not doc.dept:
            return []
        found = [d for d in self.by_key.get((doc.dept, doc.year - years_back), [])
                 if d.kind in kinds and d.path != doc.path]
        same = sum(1 for d in self.by_key.get((doc.dept, doc.year), []) if d.kind == doc.kind)
        if len(found) > MAX_SAME or same > MAX_SAME:
            return []
        return found

    def compare(self, later: Doc, later_fact: dict[str, Any], earlier: Doc, earlier_fact: dict[str, Any],
                key: str, **args: Any) -> Finding | None:
        """A finding when the two printed amounts cannot be equal within their printed precision."""
        self.checked += 1
        a = Interval(Decimal(later_fact["lo"]), Decimal(later_fact["hi"]))
        b = Interval(Decimal(earlier_fact["lo"]), Decimal(earlier_fact["hi"]))
        if a.meets(b):
            return None
        gap = a.mid - b.mid
        actual = later_fact["text"] or "（空）"
        expected = earlier_fact["text"] or "（空）"
        difference = format_decimal(gap, 2 if gap != gap.to_integral_value() else 0) + " 元"
        args = {"actual": actual, "expected": expected, "unit": later_fact.get("unit", "元"),
                "other_unit": earlier_fact.get("unit", "元"), "difference": difference,
                "year": later.year, "other_year": earlier.year, "other": earlier.path, **args}
        return Finding(
            rule=self.spec.id, severity=self.spec.severity,
            location=Location(path=later.path, line=later_fact["line"], table=later_fact.get("table"),
                              row=later_fact.get("label"), column=later_fact.get("column")),
            args=args, expected=expected, actual=actual, difference=difference,
            evidence=[Evidence(later.path, later_fact["line"], later_fact["src"], actual),
                      Evidence(earlier.path, earlier_fact["line"], earlier_fact["src"], expected)],
            key=f"{key}|{earlier.path}", gap=abs(gap),
        )


def run_corpus_rules(docs: list[Doc], disabled: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every `corpus` rule over the facts of all documents; findings in a stable order."""
    findings: list[Finding] = []
    # Facts extracted by another version mean something else (FACTS_VERSION): they are not
    # compared, so a resumed scan never pairs an old reading with a new one.
    docs = [d for d in docs if d.facts.get("v") == FACTS_VERSION]
    for spec in load_rules().values():
        if spec.applies_to != "corpus" or spec.id in disabled or spec.family in disabled:
            continue
        ctx = CorpusContext(spec=spec, docs=docs)
        findings.extend(spec.func(docs, ctx) or [])  # type: ignore[arg-type]
    findings.sort(key=lambda f: (f.location.path, f.location.line or 0, f.rule, f.key))
    return findings


# --------------------------------------------------------------------------- rules


@rule(
    "crossdoc.carryover",
    severity="warning",
    applies_to="corpus",
)
def carryover(corpus: list[Doc], ctx: CorpusContext) -> Iterator[Finding]:
    """This year's 年初结转和结余 in the final accounts (收入支出决算总表) must equal last year's
    年末结转和结余 of the same department.

    Why it matters: money carried over cannot change between 31 December and 1 January; a
    difference means one of the two years is misstated (or an adjustment went unexplained).
    Budgets are not compared: a budget's 结转下年 is a plan, not a balance.
    """
    for later in corpus:
        opening = later.facts.get("carry", {}).get("open")
        if later.kind != "final_accounts" or not opening:
            continue
        for earlier in ctx.earlier(later, 1, ("final_accounts",)):
            closing = earlier.facts.get("carry", {}).get("close")
            if closing:
                finding = ctx.compare(later, opening, earlier, closing, "carry",
                                      row=opening["label"], other_row=closing["label"])
                if finding:
                    yield finding


def _published_budget(doc: Doc) -> dict[str, Any] | None:
    """The document's 三公 budget for its own year, as published: 年初预算数 before a plain
    预算数; never a 全年/调整预算数, which includes the year's adjustments (DOMAIN D15)."""
    own = [s for s in doc.facts.get("sangong", []) if s["stage"] == "budget" and s["year"] == doc.year]
    for basis in ("initial", ""):
        found = next((s for s in own if s.get("basis", "") == basis), None)
        if found is not None:
            return found
    return None


@rule(
    "crossdoc.budget_final",
    severity="warning",
    applies_to="corpus",
)
def budget_final(corpus: list[Doc], ctx: CorpusContext) -> Iterator[Finding]:
    """The 三公 预算数 printed in a department's final accounts must equal the 三公 total of its
    published budget for the same year.

    Why it matters: the final accounts compare spending with the budget; if the budget they
    quote is not the budget that was published, the comparison (and any 节约 claimed) is off.
    A budget adjusted during the year can explain a difference: check the 决算 说明.
    """
    for later in corpus:
        if later.kind != "final_accounts":
            continue
        quoted = _published_budget(later)
        if quoted is None:
            continue
        for earlier in ctx.earlier(later, 0, ("budget",)):
            printed = _published_budget(earlier)
            if printed:
                finding = ctx.compare(later, quoted, earlier, printed, "sangong")
                if finding:
                    yield finding


@rule(
    "crossdoc.project_amount",
    severity="warning",
    applies_to="corpus",
)
def project_amount(corpus: list[Doc], ctx: CorpusContext) -> Iterator[Finding]:
    """The 项目上年度金额 of a project in year Y must equal the 项目本年度金额 of the same
    project (same department, same name) printed in year Y−1.

    Why it matters: a project's history is how readers judge its growth; a last-year amount
    that was never published makes the year-on-year change misleading.
    """
    kinds = ("budget", "perf_targets", "mixed")
    for later in corpus:
        for name, entry in sorted(later.facts.get("projects", {}).items()):
            last = entry.get("last")
            if not last:
                continue
            for earlier in ctx.earlier(later, 1, kinds):
                this = earlier.facts.get("projects", {}).get(name, {}).get("this")
                if this:
                    finding = ctx.compare(later, {**last, "table": name}, earlier, this, f"project|{name}",
                                          project=name, row=last["label"], other_row=this["label"])
                    if finding:
                        yield finding

