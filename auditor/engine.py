"""Rule registry and runner. The engine knows no individual rule: rules register themselves
from the modules of the `checks` package, and the runner records an outcome for each one.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import re
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from types import ModuleType
from typing import Any

from auditor.load.normalize import printed_form
from auditor.messages import RuleMessages, messages_of
from auditor.model import Evidence, Finding, Location, ReadDocument, RuleOutcome, Severity, Table
from auditor.read.table_layouts import SHARED_LINE_LAYOUTS, SURE_TABLE

RuleFunc = Callable[[ReadDocument, "RuleContext"], Iterable[Finding] | None]


@dataclass
class RuleSpec:
    """A rule: id, default severity, scope, its function and doc. Its wording (titles, templates
    per variant and language) is data, in checks/messages/<id>.yaml (auditor.messages)."""

    id: str
    severity: Severity
    applies_to: str
    func: RuleFunc
    doc: str = ""

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def messages(self) -> RuleMessages:
        return messages_of(self.id)

    def title(self, lang: str) -> str:
        return self.messages.title[lang]

    def message(self, lang: str, args: dict[str, Any], variant: str = "") -> str:
        return self.messages.render(lang, args, variant)


_REGISTRY: dict[str, RuleSpec] = {}


def rule(rule_id: str, *, severity: Severity, applies_to: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under a dotted id (DESIGN §7). Ids are never reused. What the
    rule's findings say is in checks/messages/<rule_id>.yaml."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in _REGISTRY and _REGISTRY[rule_id].func is not func:
            raise ValueError(f"rule id registered twice: {rule_id}")
        _REGISTRY[rule_id] = RuleSpec(id=rule_id, severity=severity, applies_to=applies_to, func=func,
                                      doc=(func.__doc__ or "").strip())
        return func

    return register


_LOADED = False


def rule_module_names() -> list[str]:
    """Every rule module of the `checks` package, subpackages included (rule `x.y` lives in
    `checks/x.py` or `checks/x/`), sorted by name so that discovery imports them in the same order
    on every machine. Private helpers (`_sums`, `checks/x/_y.py`) register no rule and are skipped;
    they are imported by the modules that use them."""
    import checks

    names = [info.name for info in pkgutil.walk_packages(checks.__path__, prefix="checks.", onerror=_reraise)
             if not any(part.startswith("_") for part in info.name.split("."))]
    return sorted(names)


def _reraise(package: str) -> None:
    """walk_packages' error hook: it is called while the ImportError of a rule package is being
    handled, and re-raises it (by default walk_packages swallows it, and the package's rules would
    silently be missing)."""
    raise


def load_rules() -> dict[str, RuleSpec]:
    """Import every rule module of the `checks` package so that its rules register."""
    global _LOADED
    if not _LOADED:
        for name in rule_module_names():
            importlib.import_module(name)
        _LOADED = True
    return dict(sorted(_REGISTRY.items()))


def rule_module(name: str) -> ModuleType:
    """A module of the `checks` package by dotted name below `checks` ("crossdoc", "_sums",
    "score.sheet"), for the code that runs rules of another scope
    (corpus rules in `auditor scan`, the GX batch suites): rule modules are imported here only, by
    discovery, never by name elsewhere in `auditor/` (issue 21)."""
    load_rules()
    return importlib.import_module(f"checks.{name}")


def get_rule(rule_id: str) -> RuleSpec | None:
    return load_rules().get(rule_id)


@dataclass
class RuleContext:
    """What a rule sees besides the document: the catalog, and counters for its outcome."""

    spec: RuleSpec
    read: ReadDocument
    catalog: Any
    checked: int = 0
    lacking: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    def check(self, count: int = 1) -> None:
        """Count relations this rule evaluated (passed or failed)."""
        self.checked += count

    def insufficient(self, count: int = 1) -> None:
        """Count relations this rule could not evaluate for lack of data (an operand missing)."""
        self.lacking += count

    def count(self, name: str, amount: int = 1) -> None:
        self.stats[name] = self.stats.get(name, 0) + amount

    def finding(self, location: Location, *, severity: Severity | None = None, **kwargs: Any) -> Finding:
        return Finding(rule=self.spec.id, severity=severity or self.spec.severity, location=location, **kwargs)

    def evidence(self, line: int, value: str | None = None) -> Evidence:
        """The source line as evidence; its text is exactly the line as it stands in the file."""
        source = self.read.doc.line(line)
        text = source.raw.rstrip("\n") if source else ""
        if value and text and value not in text:  # quote a value read from the reading copy as printed
            value = printed_form(text, value) or value
        return Evidence(path=self.read.path, line=line, text=text, value=value,
                        page=source.page if source else None)

    def location(self, line: int | None, **kwargs: Any) -> Location:
        page = None
        if line is not None:
            source = self.read.doc.line(line)
            page = source.page if source else None
        return Location(path=self.read.path, line=line, page=page, **kwargs)


_FIRST_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _unsure_table(read: ReadDocument, finding: Finding) -> Table | None:
    """The table a finding is about, when the reader is not sure of its structure."""
    where = finding.location
    for table in read.tables:
        if table.confidence >= SURE_TABLE:
            continue
        inside = where.line is not None and table.first_line <= where.line <= table.last_line
        if where.table and where.table == table.name and (where.line is None or inside):
            return table
        if not where.table and inside and table.layout not in SHARED_LINE_LAYOUTS:
            return table  # a flattened grid shares its line with prose: only findings that name it
    return None


def _zero(difference: str | None) -> bool:
    match = _FIRST_NUMBER.search(difference or "")
    if not match:
        return False
    try:
        return Decimal(match.group(0).replace(",", "")) == 0
    except InvalidOperation:
        return False


def cap_unsure(read: ReadDocument, finding: Finding) -> None:
    """No error without a sure structure: a finding on a table rebuilt with low confidence
    (guessed column count or row breaks, auditor.read.table_layouts) is at most a warning; and
    never an error whose difference is zero."""
    if finding.severity != "error":
        return
    if _unsure_table(read, finding) is not None or _unsure_indicators(read, finding) or _zero(finding.difference):
        finding.severity = "warning"


def _unsure_indicators(read: ReadDocument, finding: Finding) -> bool:
    """A finding on an indicator of a set read from a grid the reader is not sure of."""
    line = finding.location.line
    if line is None:
        return False
    return any(s.confidence < SURE_TABLE and (line == s.table_line or any(i.line == line for i in s.indicators))
               for s in read.indicator_sets)


# --------------------------------------------------------------------------- budgets (issue 22)

# name of the environment variable -> default; a positive integer overrides it (read at every call)
BUDGETS = {
    "AUDITOR_READ_SECONDS": 60,  # loading and reading one document
    "AUDITOR_RULE_SECONDS": 20,  # one rule on one document
    "AUDITOR_MAX_FINDINGS": 50,  # findings one rule lists for one document; the rest are counted
    "AUDITOR_EVIDENCE_CHARS": 1_000,  # evidence text longer than this is clipped around the value
}


def budget(name: str) -> int:
    """The budget `name` (a key of BUDGETS): the environment's positive integer, else the default."""
    value = os.environ.get(name, "").strip().replace("_", "")
    return int(value) if value.isdigit() and int(value) > 0 else BUDGETS[name]


class OverBudget(BaseException):  # noqa: N818 - not an Exception: no reader's `except Exception` swallows it
    """Raised inside work that ran past its time budget (see `time_budget`); only the code that
    set the budget catches it."""


@contextlib.contextmanager
def time_budget(seconds: int, what: str) -> Iterator[None]:
    """Raise OverBudget in the block once it has run `seconds` (wall clock). Uses SIGALRM, so it
    acts only in a process's main thread (the CLI, the `--jobs` and `scan` workers), elsewhere the
    block runs unbounded; a native call is interrupted when it returns to Python."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise OverBudget(f"{what} took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _RuleAlarm:
    """`time_budget` for the rules of one document: the SIGALRM handler is installed once and each
    rule only arms and disarms the timer (installing and restoring a handler per rule, through
    signal.signal's enum conversions, cost more than many a rule on a small document)."""

    def __init__(self) -> None:
        self.active = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        self.what, self.seconds = "", 0
        self.previous: Any = None

    def _expire(self, signum: int, frame: Any) -> None:
        raise OverBudget(f"{self.what} took over {self.seconds} s")

    def __enter__(self) -> _RuleAlarm:
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._expire)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    def budget(self, seconds: int, what: str) -> _Armed:
        """A block (one rule) that raises OverBudget once it has run `seconds`."""
        self.what, self.seconds = what, seconds
        return _Armed(seconds if self.active else 0)


class _Armed:
    """The timer armed for one block of a `_RuleAlarm` (0 seconds: not armed)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)


def clip_evidence(evidence: Evidence, value: str | None, limit: int) -> Evidence:
    """Evidence whose text is over `limit` characters, clipped to a window around the cited value
    (the value kept whole, with context on both sides; "…" marks each cut). A reader still finds
    the value in its line; the JSON stays proportional to the findings, not to the line."""
    text = evidence.text
    if len(text) <= limit:
        return evidence
    needle = evidence.value or value or ""
    at = text.find(needle) if needle else -1
    if at < 0:
        at, needle = 0, ""
    context = max(limit - len(needle), 0) // 2
    start = max(0, at - context)
    end = min(len(text), at + len(needle) + context)
    clipped = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return replace(evidence, text=clipped)


@rule(
    "parse.findings_capped",
    severity="info",
    applies_to="engine",
)
def findings_capped(read: ReadDocument, ctx: RuleContext) -> None:
    """Written by the engine, not run as a rule: when one rule has more findings in a document than
    `AUDITOR_MAX_FINDINGS` (default 50), the first ones are listed and this finding says how
    many more there are ("950+" when the rule was stopped at twenty times the cap).

    Why it matters: a hostile line (合计 × 49,000) made 12,250 findings and a 3.6 GB report; a
    reviewer needs the first findings and the count, not every copy.
    """
    return None


@dataclass
class Selection:
    """Which rules run, and with which severity (project config, issue 7 extends it)."""

    disabled: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)

    def enabled(self, spec: RuleSpec) -> bool:
        return spec.id not in self.disabled and spec.family not in self.disabled


def run_rules(
    read: ReadDocument, catalog: Any, selection: Selection | None = None
) -> tuple[list[Finding], list[RuleOutcome], dict[str, int]]:
    """Run every enabled rule on one read document. A rule that raises becomes an `error`
    outcome with the exception summary; the other rules still run."""
    selection = selection or Selection()
    findings: list[Finding] = []
    outcomes: list[RuleOutcome] = []
    stats: dict[str, int] = {}
    # the budgets once per document, not once per rule (each is an environment lookup and parse)
    rule_seconds, max_findings = budget("AUDITOR_RULE_SECONDS"), budget("AUDITOR_MAX_FINDINGS")
    clip = budget("AUDITOR_EVIDENCE_CHARS")
    with _RuleAlarm() as alarm:  # one SIGALRM handler for the document, each rule arms the timer
        for spec in load_rules().values():
            # corpus rules run in `auditor scan`; engine "rules" are findings the engine writes itself
            if not selection.enabled(spec) or spec.applies_to in ("corpus", "engine"):
                continue
            ctx = RuleContext(spec=spec, read=read, catalog=catalog)
            try:
                with alarm.budget(rule_seconds, f"rule {spec.id}"):
                    produced, more = _capped(spec.func(read, ctx) or [], max_findings)
            except OverBudget as exc:
                outcomes.append(RuleOutcome(spec.id, read.path, "error",
                                            detail=f"{exc} (set AUDITOR_RULE_SECONDS to raise the budget)"))
                continue
            except Exception as exc:  # noqa: BLE001 - a broken rule must not stop the audit
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                detail = f"{type(exc).__name__}: {exc} ({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"
                outcomes.append(RuleOutcome(spec.id, read.path, "error", detail=detail))
                continue
            override = selection.severity.get(spec.id)
            for finding in produced:
                if override:
                    finding.severity = override
                cap_unsure(read, finding)
                finding.evidence = [clip_evidence(e, finding.actual, clip) for e in finding.evidence]
            findings.extend(produced)
            if more and selection.enabled(load_rules()["parse.findings_capped"]):
                findings.append(_capped_summary(spec, read, produced, more))
            for name, amount in ctx.stats.items():
                stats[name] = stats.get(name, 0) + amount
            if produced:
                status = "failed"
            elif ctx.checked:
                status = "passed"
            elif ctx.lacking:
                status = "insufficient_data"
            else:
                status = "not_applicable"
            counted = len(produced) + (int(str(more).rstrip("+")) if more else 0)
            outcomes.append(RuleOutcome(spec.id, read.path, status, checked=ctx.checked + counted, failed=counted))
    capped = load_rules().get("parse.findings_capped")
    ran = any(o.status != "error" for o in outcomes)
    if capped is not None and selection.enabled(capped) and ran:  # the engine's own check: the rules' counts
        summaries = sum(1 for f in findings if f.rule == capped.id)
        # not a check of the document's content: it counts nowhere in the coverage unless it fired
        outcomes.append(RuleOutcome(capped.id, read.path, "failed" if summaries else "not_applicable",
                                    checked=summaries, failed=summaries))
    return findings, outcomes, stats


# Past this many times the cap, a rule's findings are no longer even counted: the rule is stopped
# and the summary says "N+" (a hostile line's thousands of findings each cost a finding's work).
COUNT_UP_TO = 20


def _capped(produced: Iterable[Finding], cap: int) -> tuple[list[Finding], int | str]:
    """The first `cap` findings and how many more the rule produced (counted, not kept; "N+"
    when the rule was stopped after COUNT_UP_TO times the cap)."""
    kept: list[Finding] = []
    more = 0
    iterator = iter(produced)
    for finding in iterator:
        if len(kept) < cap:
            kept.append(finding)
            continue
        more += 1
        if more >= cap * (COUNT_UP_TO - 1):
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            return kept, f"{more}+"
    return kept, more


def _capped_summary(spec: RuleSpec, read: ReadDocument, kept: list[Finding], more: int | str) -> Finding:
    first = kept[-1].location if kept else Location(path=read.path)
    stopped = isinstance(more, str)  # "N+": the rule was stopped, N is a lower bound
    return Finding(rule="parse.findings_capped", severity="info",
                   location=Location(path=read.path, line=first.line, page=first.page),
                   args={"rule": spec.id, "more": int(str(more).rstrip("+")), "limit": len(kept)},
                   variant="stopped" if stopped else "", key=f"doc|capped|{spec.id}")
