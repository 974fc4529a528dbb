"""The consolidation: the cross-document rules run over the index, one department at a time, then
the parts merged (an external merge sort, at most MERGE_FAN_IN inputs at once) into
findings.parquet, documents.parquet (or .csv) and summary.md; reading an output table back."""

from __future__ import annotations

import contextlib
import heapq
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.scan.index import ScanIndex
from auditor.scan.options import ScanOptions, ScanStats
from auditor.scan.parts import (
    DOCUMENT_COLUMNS,
    FINDING_COLUMNS,
    MERGE_PREFIX,
    PARTS,
    ROW_GROUP,
    arrow_schema,
    document_key,
    existing_parts,
    finding_key,
    iter_rows,
)

if TYPE_CHECKING:
    from auditor.engine import Selection


def _crossdoc_findings(index: ScanIndex, lang: str, selection: Selection | None) -> int:
    """Run the cross-document rules department by department (they only ever pair documents of
    one department) and store their rows in the index; how many there are."""
    from auditor.engine import load_rules, rule_module
    from auditor.rank import rank

    crossdoc = rule_module("crossdoc")
    Doc, run_corpus_rules = crossdoc.Doc, crossdoc.run_corpus_rules  # noqa: N806 - the module's class

    disabled = selection.disabled if selection else frozenset()
    specs = load_rules()
    total = 0
    for group in index.departments():
        hashes = {path: digest for path, digest, _ in group}
        docs = []
        for path, _, facts in group:
            try:
                docs.append(Doc(path, json.loads(facts or "{}")))
            except ValueError:
                continue
        findings = run_corpus_rules(docs, disabled)
        if selection:
            for finding in findings:
                finding.severity = selection.severity.get(finding.rule, finding.severity)
        by_path: dict[str, list[Any]] = {}
        for finding in findings:
            by_path.setdefault(finding.location.path, []).append(finding)
        for path in sorted(by_path):
            rows = [_crossdoc_row(f, path, hashes[path], specs[f.rule], lang) for f in rank(by_path[path], {})]
            index.add_crossdoc(rows)
            total += len(rows)
    return total


def _crossdoc_row(f: Any, path: str, digest: str, spec: Any, lang: str) -> dict[str, Any]:
    return {
        "path": path, "hash": digest, "id": f.id, "rule": f.rule, "severity": f.severity,
        "score": float(f.score), "rank": f.rank, "group": f.group, "group_lead": f.group_lead,
        "line": f.location.line, "page": f.location.page, "table": f.location.table,
        "row": f.location.row, "column": f.location.column, "expected": f.expected, "actual": f.actual,
        "difference": f.difference, "suggestion": f.suggestion, "title": spec.title(lang),
        "message": spec.message(lang, f.args, f.variant),
        "evidence": json.dumps([e.to_json() for e in f.evidence], ensure_ascii=False, sort_keys=True),
    }


class _Sink:
    """Writes rows of one output table in batches: Parquet row groups or CSV chunks."""

    def __init__(self, target: Path, columns: list[tuple[str, str]], fmt: str) -> None:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        self.target, self.fmt = target, fmt
        self.schema = arrow_schema(columns)
        self.tmp = target.with_name(f".{target.name}.tmp")
        if fmt == "csv":
            self.writer: Any = pacsv.CSVWriter(str(self.tmp), self.schema)
        else:
            self.writer = pq.ParquetWriter(str(self.tmp), self.schema)
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        """Drop what was written: a failed consolidation leaves the previous output in place."""
        with contextlib.suppress(Exception):
            self.writer.close()
        self.tmp.unlink(missing_ok=True)


# At most this many sorted inputs are read at once; each holds one decoded row group.
MERGE_FAN_IN = 8

Source = Callable[[], Iterator[dict[str, Any]]]


def _merged(sources: list[Source], key: Callable[[dict[str, Any]], Any], columns: list[tuple[str, str]],
            scratch: Path, name: str) -> Iterator[dict[str, Any]]:
    """The rows of many sorted sources as one sorted stream, never more than MERGE_FAN_IN open at
    once: while there are more, groups of them are merged into temporary sorted runs first (an
    external merge sort), so memory does not grow with the number of parts."""
    runs: list[Path] = []
    level = 0
    try:
        while len(sources) > MERGE_FAN_IN:
            merged: list[Source] = []
            for start in range(0, len(sources), MERGE_FAN_IN):
                target = scratch / f"{MERGE_PREFIX}{name}-{level}-{start // MERGE_FAN_IN:06d}.parquet"
                sink = _Sink(target, columns, "parquet")
                try:
                    for row in heapq.merge(*(source() for source in sources[start:start + MERGE_FAN_IN]), key=key):
                        sink.add(row)
                except BaseException:
                    sink.abort()
                    raise
                sink.close()
                runs.append(target)
                merged.append(lambda target=target: iter_rows(target))
            sources, level = merged, level + 1
        yield from heapq.merge(*(source() for source in sources), key=key)
    finally:
        for run in runs:
            run.unlink(missing_ok=True)


def consolidate(out: Path, index: ScanIndex, opts: ScanOptions) -> ScanStats:
    """Merge the parts into the final outputs, sorted (documents by path, findings by path and
    rank), adding the cross-document findings. Streams rows; per-document state is on disk."""
    parts = out / PARTS
    numbers = existing_parts(parts)
    crossdoc = _crossdoc_findings(index, opts.lang, opts.selection)
    suffix = "csv" if opts.fmt == "csv" else "parquet"
    stats = ScanStats(total=index.current_count(), crossdoc=crossdoc)

    def kept(number: int, kind: str) -> Source:
        def rows() -> Iterator[dict[str, Any]]:
            for row in iter_rows(parts / f"{number:06d}-{kind}.parquet"):
                if index.kept_part(row["path"]) == number:
                    yield row
        return rows

    rule_counts: Counter[str] = Counter()
    severity_counts: Counter[str] = Counter()
    cross_rows = index.crossdoc_rows()
    next_cross = next(cross_rows, None)
    last_rank: dict[str, int] = {}

    def write_finding(row: dict[str, Any]) -> None:
        findings_sink.add(row)
        rule_counts[row["rule"]] += 1
        severity_counts[row["severity"]] += 1
        stats.findings += 1

    def write_cross(upto: str | None) -> None:
        # the cross-document findings of a document follow its own, ranked after them
        nonlocal next_cross
        while next_cross is not None and (upto is None or next_cross["path"] < upto):
            next_cross["rank"] += last_rank.get(next_cross["path"], 0)
            write_finding(next_cross)
            next_cross = next(cross_rows, None)

    findings_sink = _Sink(out / f"findings.{suffix}", FINDING_COLUMNS, opts.fmt)
    try:
        sources = [kept(n, "findings") for n in numbers]
        for row in _merged(sources, finding_key, FINDING_COLUMNS, parts, "findings"):
            write_cross(row["path"])
            if row["path"] not in last_rank:
                last_rank.clear()  # the documents before this one are finished
            last_rank[row["path"]] = row["rank"]
            write_finding(row)
        write_cross(None)
    except BaseException:
        findings_sink.abort()
        raise
    findings_sink.close()

    docs_sink = _Sink(out / f"documents.{suffix}", DOCUMENT_COLUMNS, opts.fmt)
    worst: list[tuple[int, int, str]] = []  # (-errors, -findings, path), trimmed to the top 25 as it grows
    failed: list[tuple[str, str]] = []
    kinds: Counter[str] = Counter()
    try:
        sources = [kept(n, "docs") for n in numbers]
        for row in _merged(sources, document_key, DOCUMENT_COLUMNS, parts, "docs"):
            if crossdoc:
                extra = index.crossdoc_counts(row["path"])
                row["errors"] += extra["error"]
                row["warnings"] += extra["warning"]
                row["infos"] += extra["info"]
                row["findings"] += sum(extra.values())
            docs_sink.add(row)
            kinds[row["kind"]] += 1
            stats.audited += 1
            if row["error"]:
                stats.failed += 1
                if len(failed) < 50:
                    failed.append((row["path"], row["error"]))
            if row["findings"]:
                worst.append((-row["errors"], -row["findings"], row["path"]))
                if len(worst) > 1000:
                    worst = sorted(worst)[:25]
    except BaseException:
        docs_sink.abort()
        raise
    docs_sink.close()
    summary = _summary(stats, severity_counts, rule_counts, kinds, worst, failed, opts)
    target = out / "summary.md"
    tmp = target.with_name(".summary.md.tmp")
    tmp.write_text(summary, encoding="utf-8")
    os.replace(tmp, target)
    stats.outputs = [str(out / f"findings.{suffix}"), str(out / f"documents.{suffix}"), str(target)]
    return stats


def _summary(stats: ScanStats, severities: Counter[str], rules: Counter[str], kinds: Counter[str],
             worst: list[tuple[int, int, str]], failed: list[tuple[str, str]], opts: ScanOptions) -> str:
    from auditor.engine import load_rules

    specs = load_rules()
    lines = ["# auditor scan: summary", ""]
    lines += ["## Totals", "",
              "| documents | failed to audit | findings | error | warning | info | cross-document |",
              "|---|---|---|---|---|---|---|",
              f"| {stats.audited} | {stats.failed} | {stats.findings} | {severities['error']} | "
              f"{severities['warning']} | {severities['info']} | {stats.crossdoc} |", ""]
    lines += ["Document kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) if kinds else "", ""]
    lines += ["## Documents ranked by errors", "", "| # | document | errors | findings |", "|---|---|---|---|"]
    for position, (errors, findings, path) in enumerate(sorted(worst)[:25], start=1):
        lines.append(f"| {position} | `{path}` | {-errors} | {-findings} |")
    lines += ["", "## Rules ranked by how often they fire", "", "| rule | severity | findings | title |",
              "|---|---|---|---|"]
    for rule_id, count in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        spec = specs.get(rule_id)
        title = spec.title(opts.lang) if spec else ""
        severity = spec.severity if spec else ""
        lines.append(f"| `{rule_id}` | {severity} | {count} | {title} |")
    if failed:
        lines += ["", "## Documents that could not be audited", "", "| document | error |", "|---|---|"]
        lines += [f"| `{path}` | {error} |" for path, error in failed]
        if stats.failed > len(failed):
            lines.append(f"| … | {stats.failed - len(failed)} more in documents.{opts.fmt} |")
    return "\n".join(lines) + "\n"


def read_output(out: str, name: str) -> Any:
    """An output table as a pyarrow Table (tests and benchmarks)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    base = Path(out)
    if (base / f"{name}.parquet").exists():
        return pq.read_table(base / f"{name}.parquet")
    columns = FINDING_COLUMNS if name == "findings" else DOCUMENT_COLUMNS
    options = pacsv.ConvertOptions(column_types=arrow_schema(columns), strings_can_be_null=True)
    return pacsv.read_csv(base / f"{name}.csv", convert_options=options)
