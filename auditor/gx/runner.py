"""`auditor check --gx`: validate what was read, once per table kind, in an ephemeral GX context.

After reading, the recognised tables of each kind across all documents form one pandas frame
(`auditor.gx.frame`); each frame is validated once against the kind's suite (`batch` layout of
`auditor.gx.suites`) by a ValidationDefinition, never per table (DESIGN §9). Every failed expectation
is mapped back from GX's unexpected index to document, table and row line and becomes a
`schema.*` finding (builders in `checks/schema.py`). A row-sum failure auditor's own
`total.row_sum` already reports on the same printed total is not added again: that finding is
marked `confirmed_by: ["auditor", "gx"]`.

With `docs_dir`, a Data Docs site is built once in that folder after all kinds ran (index.html
lists the validations). Nothing leaves the machine.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.engine import Selection, get_rule, rule_module
from auditor.gx import require_gx
from auditor.gx.frame import KindFrame, RowRef, kind_frames
from auditor.model import DocumentResult, Finding, RuleOutcome

schema_rules = rule_module("schema")  # the schema.* findings, worded by their rules
cell_ref = rule_module("_sums").cell_ref

SCHEMA_RULES = ("schema.required_column", "schema.code_format", "schema.non_negative", "schema.unique_key",
                "schema.row_sum")
SITE_NAME = "auditor"


@dataclass
class GXReport:
    """What the batch validation did (printed to stderr by the CLI)."""

    version: str = ""
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> tables, rows, success, failed
    confirmed: int = 0  # auditor findings the suite confirmed
    added: int = 0  # schema.* findings added
    docs_index: str | None = None
    import_seconds: float = 0.0  # importing GX (several seconds on its own)
    seconds: float = 0.0  # building the frames, validating, Data Docs

    def summary(self) -> str:
        rows = sum(k["rows"] for k in self.kinds.values())
        tables = sum(k["tables"] for k in self.kinds.values())
        text = (f"gx {self.version}: {len(self.kinds)} table kind(s), {tables} table(s), {rows} row(s) validated "
                f"in {self.seconds:.1f}s (+{self.import_seconds:.1f}s to import GX); {self.confirmed} finding(s) confirmed, {self.added} schema finding(s) added")
        if self.docs_index:
            text += f"; Data Docs: {self.docs_index}"
        return text


def _context(gx: Any, docs_dir: str | None) -> Any:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir:
        context.add_data_docs_site(SITE_NAME, {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(Path(docs_dir).resolve())},
        })
    return context


def _suite_result(gx: Any, context: Any, source: Any, kind: str, frame: KindFrame, run_id: Any) -> Any:
    """Validate one kind's frame once; the result is kept in the context's store for Data Docs."""
    from auditor.gx.suites import build_suite

    asset = source.add_dataframe_asset(name=kind)
    batch = asset.add_batch_definition_whole_dataframe(f"{kind} tables")
    suite = context.suites.add(build_suite(kind, layout="batch"))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=kind, data=batch, suite=suite))
    return definition.run(batch_parameters={"dataframe": frame.frame},
                          result_format={"result_format": "COMPLETE"}, run_id=run_id)


def validate(results: list[DocumentResult], docs_dir: str | None = None,
             selection: Selection | None = None) -> GXReport:
    """Validate the tables of `results` once per kind; add findings and outcomes to `results`."""
    started = time.perf_counter()
    gx = require_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    import auditor.gx.expectations  # noqa: F401 - registers the custom expectation

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    selection = selection or Selection()
    report = GXReport(version=gx.__version__, import_seconds=time.perf_counter() - started)
    started = time.perf_counter()
    documents = [r for r in results if r.read is not None]
    frames = kind_frames([r.read for r in documents])  # type: ignore[misc]
    context = _context(gx, docs_dir)
    source = context.data_sources.add_pandas("auditor")
    mapper = _Mapper(documents, selection)
    run_id = RunIdentifier(run_name="auditor-check-gx")
    for kind, frame in frames.items():
        suite_result = _suite_result(gx, context, source, kind, frame, run_id)
        report.kinds[kind] = {"tables": len(frame.tables), "rows": len(frame.frame),
                              "success": bool(suite_result.success)}
        for expectation_result in suite_result.results:
            mapper.take(frame, expectation_result)
    report.confirmed, report.added = mapper.finish()
    if docs_dir:  # built once, after every kind was validated
        context.build_data_docs(site_names=[SITE_NAME])
        index = Path(docs_dir) / "index.html"
        report.docs_index = str(index) if index.exists() else None
    report.seconds = time.perf_counter() - started
    return report


class _Mapper:
    """Turns expectation results into findings and outcomes on the documents they came from."""

    def __init__(self, documents: list[DocumentResult], selection: Selection) -> None:
        self.documents = documents
        self.selection = selection
        self.new: dict[int, list[Finding]] = defaultdict(list)
        self.checked: dict[tuple[int, str], int] = defaultdict(int)
        self.errors: dict[tuple[int, str], str] = {}
        self.confirmed = 0
        self.seen: set[tuple[int, str, str]] = set()

    def _enabled(self, rule_id: str) -> bool:
        spec = get_rule(rule_id)
        return spec is not None and self.selection.enabled(spec)

    def _add(self, document: int, finding: Finding | None) -> None:
        if finding is None:
            return
        marker = (document, finding.rule, finding.key + "|" + str(finding.location.line))
        if marker in self.seen:
            return
        self.seen.add(marker)
        finding.confirmed_by = ["gx"]
        override = self.selection.severity.get(finding.rule)
        if override:
            finding.severity = override
        self.new[document].append(finding)

    def take(self, frame: KindFrame, result: Any) -> None:
        config = result.expectation_config
        rule_id = (config.meta or {}).get("auditor_rule", "")
        if rule_id not in SCHEMA_RULES or not self._enabled(rule_id):
            return
        documents = {d for d, _ in frame.tables}
        info = result.exception_info or {}
        if info.get("raised_exception"):
            for d in documents:
                self.errors[(d, rule_id)] = f"{config.type}: {info.get('exception_message')}"
            return
        for d in documents:
            self.checked[(d, rule_id)] += 1
        if result.success:
            return
        indices = [i for i in (result.result or {}).get("unexpected_index_list") or [] if isinstance(i, int)]
        refs = [frame.refs[i] for i in indices if 0 <= i < len(frame.refs)]
        kwargs = config.kwargs
        handler = getattr(self, "_" + rule_id.split(".", 1)[1])
        handler(frame, refs, indices, kwargs)

    # ----------------------------------------------------------------- per rule

    def _required_column(self, frame: KindFrame, refs: list[RowRef], indices: list[int], kwargs: dict) -> None:
        role = kwargs.get("column", "")
        per_table: dict[tuple[int, int], int] = defaultdict(int)
        for ref in refs:
            per_table[(ref.document, ref.table)] += 1
        for (d, t), count in per_table.items():
            if count == sum(1 for r in frame.refs if (r.document, r.table) == (d, t)):  # the table lacks it
                read = self.documents[d].read
                assert read is not None
                self._add(d, schema_rules.required_column_finding(read, read.tables[t], role))

    def _code_format(self, frame: KindFrame, refs: list[RowRef], indices: list[int], kwargs: dict) -> None:
        column = kwargs.get("column", "code")
        for index, ref in zip(indices, refs, strict=True):
            read = self.documents[ref.document].read
            assert read is not None
            code = str(frame.frame.at[index, column])
            self._add(ref.document, schema_rules.code_format_finding(read, read.tables[ref.table], ref.row,
                                                                       column, code))

    def _non_negative(self, frame: KindFrame, refs: list[RowRef], indices: list[int], kwargs: dict) -> None:
        role = kwargs.get("column", "")
        for ref in refs:
            read = self.documents[ref.document].read
            assert read is not None
            column = frame.columns[(ref.document, ref.table)].get(role)
            if column is not None:
                self._add(ref.document, schema_rules.non_negative_finding(read, read.tables[ref.table], ref.row,
                                                                            column))

    def _unique_key(self, frame: KindFrame, refs: list[RowRef], indices: list[int], kwargs: dict) -> None:
        groups: dict[tuple[int, int, str, str], list[int]] = defaultdict(list)
        for index, ref in zip(indices, refs, strict=True):
            unit = str(frame.frame.at[index, "unit"])
            code = str(frame.frame.at[index, "row_key"])
            groups[(ref.document, ref.table, unit, code)].append(ref.row)
        for (d, t, _, code), rows in groups.items():
            read = self.documents[d].read
            assert read is not None
            self._add(d, schema_rules.unique_key_finding(read, read.tables[t], sorted(rows), code))

    def _row_sum(self, frame: KindFrame, refs: list[RowRef], indices: list[int], kwargs: dict) -> None:
        relation = f"{kwargs.get('total')} = " + " + ".join(kwargs.get("parts") or [])
        for ref in refs:
            result = self.documents[ref.document]
            read = result.read
            assert read is not None
            table = read.tables[ref.table]
            mapping = frame.columns[(ref.document, ref.table)]
            whole = mapping.get(kwargs.get("total", ""))
            parts = [mapping[p] for p in kwargs.get("parts") or [] if p in mapping]
            if whole is None or not parts:
                continue
            whole_ref = cell_ref(table, ref.row, whole)
            if whole_ref is None:
                continue
            whole_key = f"{table.name}|{whole_ref.key}"
            same = [f for f in result.findings if f.rule == "total.row_sum" and f.cells[:1] == [whole_key]]
            if same:  # auditor found it too: one finding, confirmed by both engines
                for finding in same:
                    if "gx" not in finding.confirmed_by:
                        finding.confirmed_by = [*finding.confirmed_by, "gx"]
                        self.confirmed += 1
                continue
            self._add(ref.document, schema_rules.row_sum_finding(read, table, ref.row, whole, parts, relation))

    # ----------------------------------------------------------------- outcomes

    def finish(self) -> tuple[int, int]:
        added = 0
        for d, result in enumerate(self.documents):
            findings = self.new.get(d, [])
            result.findings.extend(findings)
            added += len(findings)
            for rule_id in SCHEMA_RULES:
                key = (d, rule_id)
                if key not in self.checked and key not in self.errors:
                    continue
                failed = sum(1 for f in findings if f.rule == rule_id)
                if key in self.errors:
                    outcome = RuleOutcome(rule_id, result.path, "error", detail=self.errors[key])
                else:
                    status = "failed" if failed else "passed"
                    outcome = RuleOutcome(rule_id, result.path, status, checked=self.checked[key] + failed,
                                          failed=failed)
                result.outcomes = [o for o in result.outcomes if o.rule != rule_id] + [outcome]
        return self.confirmed, added
