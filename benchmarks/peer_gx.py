"""The GE-only peer: the same recognised tables validated with Great Expectations 1.x suites only
(a script, not a test).

    python benchmarks/peer_gx.py [--count 40] [--seed 1]

What a team that gates releases with Great Expectations alone would catch. Documents come from
`datasets/generate.py`; auditor's readers recognise the tables (so both sides see the same
tables); then, per table, a suite is built from the table's layout:

* row sums: `total = Σ parts` for each row relation of the table, with a custom multi-column
  expectation that allows the printed rounding (`auditor.gx.expectations` when it is installed,
  else the one defined in this script);
* column sums: the 合计 row against the sum of the detail rows, per value column
  (`expect_column_sum_to_be_between` on a batch of the detail rows);
* non-null row labels, code formats (`^\\d{3}(\\d{2}){0,2}$`), non-negative amounts, unique codes;
* for tables with 分值 and 得分 columns: 得分 ≤ 分值 (`expect_column_pair_values_a_to_be_greater_than_b`).

It runs once per table (one batch per table and a second batch of its detail rows) and once over
a concatenated batch of all tables of a document (row-level expectations only: a column sum needs
one batch per table). A failing expectation is matched to the labels by the source lines of its
failing rows (column sums: the 合计 row and all detail rows), like `benchmarks/accuracy.py`
matches auditor findings. Prints recall per family for GE-only and for auditor, and the time per
document. Needs the `gx` extra (`great-expectations>=1.24,<2`); exits with a message without it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _generator import load_generator  # noqa: E402 - benchmarks/ is on sys.path when run as a script

FAMILIES = ["total", "crosstable", "narrative", "rate", "indicator", "score", "date", "text"]
CODE_RE = r"^\d{3}(\d{2}){0,2}$"


def require_gx() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    try:
        import great_expectations as gx
    except ImportError:
        sys.exit("benchmarks/peer_gx.py needs Great Expectations 1.x: pip install 'great-expectations>=1.24,<2' "
                 "(or the project's `gx` extra)")
    if not str(gx.__version__).startswith("1."):
        sys.exit(f"great_expectations {gx.__version__} found; 1.x is needed")
    return gx


def sum_expectation_factory() -> Any:
    """A callable (total, parts, tolerance) -> expectation: auditor.gx's when present, else our own."""
    try:
        from auditor.gx.expectations import ExpectMulticolumnSumToEqualWithTolerance  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        def make_auditor(total: str, parts: list[str], tolerance: float) -> Any:
            return ExpectMulticolumnSumToEqualWithTolerance(total=total, parts=parts, per_value_tolerance=tolerance)

        return make_auditor, "auditor.gx.expectations.ExpectMulticolumnSumToEqualWithTolerance"

    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import MulticolumnMapExpectation
    from great_expectations.expectations.metrics.map_metric_provider import (
        MulticolumnMapMetricProvider,
        multicolumn_condition_partial,
    )

    class TotalEqualsSumOfParts(MulticolumnMapMetricProvider):
        """First column = sum of the others, within `tolerance` per printed term."""

        condition_metric_name = "multicolumn_values.peer_total_equals_sum"
        condition_domain_keys = ("batch_id", "table", "column_list", "row_condition", "condition_parser",
                                 "ignore_row_if")
        condition_value_keys = ("tolerance",)

        @multicolumn_condition_partial(engine=PandasExecutionEngine)
        def _pandas(cls, column_list: Any, tolerance: float, **kwargs: Any) -> Any:  # noqa: N805
            total = column_list.iloc[:, 0]
            parts = column_list.iloc[:, 1:].fillna(0).sum(axis=1)
            slack = tolerance * column_list.shape[1] + 1e-9 * (total.abs() + parts.abs())
            return (total - parts).abs() <= slack

    class ExpectPeerTotalEqualsSumOfParts(MulticolumnMapExpectation):
        """The first listed column equals the sum of the others, within the printed rounding."""

        map_metric = "multicolumn_values.peer_total_equals_sum"
        success_keys = ("column_list", "tolerance", "mostly", "ignore_row_if")
        tolerance: float = 0.0
        ignore_row_if: str = "any_value_is_missing"

    def make_own(total: str, parts: list[str], tolerance: float) -> Any:
        return ExpectPeerTotalEqualsSumOfParts(column_list=[total, *parts], tolerance=tolerance)

    return make_own, "ExpectPeerTotalEqualsSumOfParts (defined in this script)"



def rounding(table: Any) -> float:
    """Half a unit of the last printed digit, in the table's own numbers."""
    decimals = max((c.number.decimals for r in table.rows for c in r.cells if c.number is not None), default=0)
    return 0.5 * 10 ** (-decimals) if decimals else 0.0


def frame(table: Any, tix: int) -> Any:
    import pandas as pd

    records = []
    for row in table.rows:
        if row.kind in ("header", "note"):
            continue
        rec: dict[str, Any] = {"table": tix, "line": row.line, "kind": row.kind, "label": row.label or None,
                               "code": row.code or None}
        for cell in row.cells:
            col = table.columns[cell.column] if cell.column < len(table.columns) else None
            if col is None or not col.is_value:
                continue
            value = cell.number.value if cell.number is not None else (Decimal(0) if cell.text.strip() in
                                                                       ("", "-", "—") else None)
            rec[f"v{cell.column}"] = float(value) if value is not None else float("nan")
        records.append(rec)
    return pd.DataFrame.from_records(records)


def suites_for(gx: Any, table: Any, df: Any, make_sum: Any) -> tuple[list[Any], list[Any]]:
    """(row-level expectations, column-sum expectations on the detail rows)."""
    E = gx.expectations
    tol = rounding(table)
    rows: list[Any] = []
    seen: set[tuple[str, ...]] = set()
    for rel in table.relations:
        if rel.kind != "row":
            continue
        total = f"v{rel.total[1]}"
        parts = [f"v{p[1]}" for p in rel.parts]
        key = (total, *parts)
        if key in seen or not all(c in df.columns for c in key):
            continue
        seen.add(key)
        rows.append(make_sum(total, parts, tol))
    rows.append(E.ExpectColumnValuesToNotBeNull(column="label"))
    value_cols = [c for c in df.columns if c.startswith("v")]
    for col in value_cols:
        rows.append(E.ExpectColumnValuesToBeBetween(column=col, min_value=0))
    if df["code"].notna().any():
        rows.append(E.ExpectColumnValuesToMatchRegex(column="code", regex=CODE_RE))
        rows.append(E.ExpectColumnValuesToBeUnique(column="code"))
    names = {f"v{c.index}": c.name for c in table.columns}
    weight = next((c for c, n in names.items() if "分值" in n and c in df.columns), None)
    score = next((c for c, n in names.items() if n.startswith("得分") and c in df.columns), None)
    if weight and score:
        rows.append(E.ExpectColumnPairValuesAToBeGreaterThanB(column_A=weight, column_B=score, or_equal=True,
                                                               ignore_row_if="either_value_is_missing"))
    columns: list[Any] = []
    totals = df[df["kind"] == "total"]
    details = df[df["kind"] == "detail"]
    if len(totals) and len(details) > 1:
        first = totals.iloc[0]
        for col in value_cols:
            if first[col] == first[col]:  # not NaN
                slack = tol * (len(details) + 1)
                columns.append(E.ExpectColumnSumToBeBetween(column=col, min_value=first[col] - slack - 1e-9,
                                                            max_value=first[col] + slack + 1e-9))
    return rows, columns


def failed_lines(result: Any, df: Any, details: Any) -> tuple[str, set[int]] | None:
    """(expectation type, source lines) of a failed expectation result, None when it passed."""
    if result.success:
        return None
    cfg = result.expectation_config
    kind = cfg.type
    res = result.result or {}
    if kind == "expect_column_sum_to_be_between":
        return kind, set(details["line"]) | set(df[df["kind"] == "total"]["line"])
    idx = res.get("unexpected_index_list") or []
    lines = set()
    for i in idx:
        if isinstance(i, dict):
            i = i.get("index", i.get("line"))
        if i in df.index:
            lines.add(int(df.loc[i, "line"]))
    return kind, lines


def family_of(kind: str) -> str:
    if "sum" in kind or "total_equals" in kind:
        return "total"
    if "pair_values" in kind:
        return "score"
    return "schema"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GE-only peer vs auditor on generated disclosures.")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    gx = require_gx()
    make_sum, sum_name = sum_expectation_factory()
    import logging

    import pandas as pd

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    from auditor.audit import audit_file
    from auditor.result import build_result

    gen = load_generator()
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("peer")
    asset = source.add_dataframe_asset("tables")
    batch_def = asset.add_batch_definition_whole_dataframe("whole")
    fmt = {"result_format": "COMPLETE"}

    labels_by_fam: Counter[str] = Counter()
    ge_found: Counter[str] = Counter()
    au_found: Counter[str] = Counter()
    ge_fail = Counter[str]()
    ge_true = Counter[str]()
    t_table = t_concat = t_audit = 0.0
    n_tables = 0
    with tempfile.TemporaryDirectory() as tmp:
        files = gen.generate(Path(tmp), args.seed, args.count, list(gen.KINDS))
        for path in files:
            import json

            labels = json.loads((path.parent / (path.stem + ".labels.json")).read_text(encoding="utf-8"))
            start = time.perf_counter()
            audited = audit_file(str(path))
            findings = build_result([audited])["findings"]
            t_audit += time.perf_counter() - start
            read = audited.read
            failures: list[tuple[str, set[int]]] = []
            frames = []
            start = time.perf_counter()
            for tix, table in enumerate(read.tables if read else []):
                df = frame(table, tix)
                if df.empty or not any(c.startswith("v") for c in df.columns):
                    continue
                n_tables += 1
                frames.append((table, df))
                rows, cols = suites_for(gx, table, df, make_sum)
                batch = batch_def.get_batch(batch_parameters={"dataframe": df})
                suite = gx.ExpectationSuite(name=f"t{tix}", expectations=rows)
                for r in batch.validate(suite, result_format=fmt).results:
                    if (hit := failed_lines(r, df, df)) is not None:
                        failures.append(hit)
                if cols:
                    details = df[df["kind"] == "detail"].reset_index(drop=True)
                    dbatch = batch_def.get_batch(batch_parameters={"dataframe": details})
                    dsuite = gx.ExpectationSuite(name=f"d{tix}", expectations=cols)
                    for r in dbatch.validate(dsuite, result_format=fmt).results:
                        if (hit := failed_lines(r, df, details)) is not None:
                            failures.append(hit)
            t_table += time.perf_counter() - start
            # once over a concatenated batch: the row-level expectations of every table
            start = time.perf_counter()
            if frames:
                big = pd.concat([df for _, df in frames], ignore_index=True)
                exps = []
                for table, df in frames:
                    rows, _ = suites_for(gx, table, df, make_sum)
                    exps += [e for e in rows if "Sum" in type(e).__name__ or "Peer" in type(e).__name__]
                batch = batch_def.get_batch(batch_parameters={"dataframe": big})
                batch.validate(gx.ExpectationSuite(name="concat", expectations=exps), result_format=fmt)
            t_concat += time.perf_counter() - start
            explained: set[int] = set()
            for label in labels:
                fam = label["family"]
                labels_by_fam[fam] += 1
                lines_ok = {label["line"]} | {a["line"] for a in label.get("also", [])}
                for i, (_kind, lines) in enumerate(failures):
                    if lines & lines_ok:
                        explained.add(i)
                if any(label["line"] in lines for _, lines in failures):
                    ge_found[fam] += 1
                if any(f["rule"].split(".")[0] == fam and (label["line"] == f["location"].get("line")
                       or label["line"] in {e["line"] for e in f["evidence"]}) for f in findings):
                    au_found[fam] += 1
            for i, (kind, _) in enumerate(failures):
                ge_fail[family_of(kind)] += 1
                if i in explained:
                    ge_true[family_of(kind)] += 1
    n = len(files)
    print(f"# GE-only peer vs auditor ({n} generated documents, seed {args.seed}, {n_tables} tables)\n")
    print(f"Row-sum expectation: {sum_name}; Great Expectations {gx.__version__}\n")
    print("| family | planted | GE-only recall | auditor recall |")
    print("|---|---|---|---|")
    for fam in FAMILIES:
        lab = labels_by_fam[fam]
        if lab:
            print(f"| {fam} | {lab} | {ge_found[fam] / lab:.1%} ({ge_found[fam]}) | {au_found[fam] / lab:.1%} "
                  f"({au_found[fam]}) |")
    total = sum(labels_by_fam.values())
    print(f"| **all** | {total} | {sum(ge_found.values()) / total:.1%} | {sum(au_found.values()) / total:.1%} |\n")
    print("GE failures by family (matching a label or its `also` lines / all): "
          + ", ".join(f"{f} {ge_true[f]}/{ge_fail[f]}" for f in sorted(ge_fail)) + "\n")
    print("| time per document | GE per table | GE concatenated batch | auditor (whole audit) |")
    print("|---|---|---|---|")
    print(f"| | {t_table / n * 1000:.0f} ms | {t_concat / n * 1000:.0f} ms | {t_audit / n * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
