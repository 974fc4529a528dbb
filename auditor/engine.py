"""Rule registry and runner. The engine knows no individual rule: rules register themselves
from the modules of the `checks` package, and the runner records an outcome for each one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import ModuleType
from typing import Any

from auditor.load.normalize import printed_form
from auditor.model import Evidence, Finding, Location, ReadDocument, RuleOutcome, Severity, Table
from auditor.read.table_layouts import SURE_TABLE

RuleFunc = Callable[[ReadDocument, "RuleContext"], Iterable[Finding] | None]


@dataclass
class RuleSpec:
    """A rule and its metadata: id, default severity, zh/en title and message templates."""

    id: str
    severity: Severity
    applies_to: str
    title_zh: str
    title_en: str
    message_zh: str
    message_en: str
    func: RuleFunc
    doc: str = ""
    examples: list[dict[str, str]] = field(default_factory=list)

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def message(self, lang: str, args: dict[str, Any]) -> str:
        template = self.message_en if lang == "en" else self.message_zh
        return template.format_map(_Defaulting(args))


class _Defaulting(dict):
    """format_map helper: a missing field renders as "?" instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


_REGISTRY: dict[str, RuleSpec] = {}


def rule(
    rule_id: str,
    *,
    severity: Severity,
    applies_to: str,
    title_zh: str,
    title_en: str,
    message_zh: str,
    message_en: str,
    examples: list[dict[str, str]] | None = None,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under a dotted id (DESIGN §7). Ids are never reused."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in _REGISTRY and _REGISTRY[rule_id].func is not func:
            raise ValueError(f"rule id registered twice: {rule_id}")
        _REGISTRY[rule_id] = RuleSpec(
            id=rule_id,
            severity=severity,
            applies_to=applies_to,
            title_zh=title_zh,
            title_en=title_en,
            message_zh=message_zh,
            message_en=message_en,
            func=func,
            doc=(func.__doc__ or "").strip(),
            examples=examples or [],
        )
        return func

    return register


_LOADED = False


def load_rules() -> dict[str, RuleSpec]:
    """Import every module of the `checks` package so that its rules register."""
    global _LOADED
    if not _LOADED:
        import checks

        for info in pkgutil.iter_modules(checks.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"checks.{info.name}")
        _LOADED = True
    return dict(sorted(_REGISTRY.items()))


def rule_module(name: str) -> ModuleType:
    """A module of the `checks` package by name, for the code that runs rules of another scope
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
        if not where.table and inside and table.layout not in ("flattened", "glued"):
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
    if _unsure_table(read, finding) is not None or _zero(finding.difference):
        finding.severity = "warning"


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
    for spec in load_rules().values():
        if not selection.enabled(spec) or spec.applies_to == "corpus":  # corpus rules: `auditor scan`
            continue
        ctx = RuleContext(spec=spec, read=read, catalog=catalog)
        try:
            produced = list(spec.func(read, ctx) or [])
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
        findings.extend(produced)
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
        outcomes.append(
            RuleOutcome(spec.id, read.path, status, checked=ctx.checked + len(produced), failed=len(produced))
        )
    return findings, outcomes, stats
