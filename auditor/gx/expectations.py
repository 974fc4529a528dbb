"""A custom GX expectation: a total column equals the sum of its part columns, within rounding.

GX's built-in `ExpectMulticolumnSumToEqual` compares the sum of *all* listed columns with one
constant, exactly. A disclosure's identity is different: in every row the total column (合计)
equals the sum of its part columns (基本支出 + 项目支出), and a printed number stands for an
interval (DESIGN §6), so equality holds within the printed precision.

Import this module before loading a suite that uses the expectation (the import registers it
with GX under the snake-case name `expect_multicolumn_sum_to_equal_with_tolerance`):

    from auditor.gx.expectations import ExpectMulticolumnSumToEqualWithTolerance

    suite.add_expectation(ExpectMulticolumnSumToEqualWithTolerance(
        total="total", parts=["basic", "project", "upper"], optional_parts=["upper"],
        per_value_tolerance=0.005))   # 万元 printed with 2 decimals

Semantics (the same as auditor's own `total.row_sum` on a schema relation; each row goes through
the same interval-sum evaluator, `auditor.tolerance.check_sum`):

- a relation whose total column or a required part column is absent from the batch is not
  applicable (the expectation succeeds and says so), as when the reader finds no such column;
- a row whose total or a required part is missing (NaN) is skipped; a missing optional part
  counts as 0; non-numeric text counts as missing;
- a row fails when |total − Σ parts| > tolerance + per-value tolerance × (number of printed
  terms) + 1e-12 × (|total| + Σ |parts|). `per_value_tolerance` is half a unit of the last printed
  digit (0.005 for two decimals; 0 for whole 元, which are exact); `per_value_tolerance_column`
  names a column giving it row by row (auditor's own batches mix 元 and 万元 tables). The last term
  only absorbs binary floating point (GX compares floats; whole 元 below 2**53 add up exactly, and
  1e-12 of the magnitude stays far below one printed cent of any disclosure amount).

Why a BatchExpectation over the table and not a MulticolumnMapExpectation: a map expectation
needs every listed column to exist, so a suite with optional parts (上缴上级支出? 经营支出?) would
error on every release that does not print them. The result still carries
`unexpected_index_list` (the DataFrame index of each failing row) like a map expectation does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from auditor.gx import require_gx
from auditor.gx.rowsum import FLOAT_SLACK, sum_gaps

require_gx()

from great_expectations.core.metric_domain_types import MetricDomainTypes  # noqa: E402
from great_expectations.execution_engine import ExecutionEngine, PandasExecutionEngine  # noqa: E402
from great_expectations.expectations.expectation import BatchExpectation  # noqa: E402
from great_expectations.expectations.metrics.metric_provider import metric_value  # noqa: E402
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider  # noqa: E402
from great_expectations.render import RenderedStringTemplateContent  # noqa: E402
from great_expectations.render.components import LegacyRendererType  # noqa: E402
from great_expectations.render.renderer.renderer import renderer  # noqa: E402
from great_expectations.render.renderer_configuration import (  # noqa: E402
    RendererConfiguration,
    RendererValueType,
)

METRIC = "auditor.multicolumn_sum_gaps"
_KEYS = ("total", "parts", "optional_parts", "tolerance", "per_value_tolerance", "per_value_tolerance_column")


class MulticolumnSumGaps(TableMetricProvider):
    """Rows where a total column differs from the sum of its part columns beyond rounding."""

    metric_name = METRIC
    value_keys = _KEYS

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine: PandasExecutionEngine, metric_domain_kwargs: dict,
                metric_value_kwargs: dict, metrics: dict[str, Any], runtime_configuration: dict) -> dict:
        df, _, _ = execution_engine.get_compute_domain(
            domain_kwargs=metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE
        )
        kwargs = {k: metric_value_kwargs.get(k) for k in _KEYS}
        return sum_gaps(
            df, kwargs["total"], list(kwargs["parts"] or []), list(kwargs["optional_parts"] or []),
            float(kwargs["tolerance"] or 0.0), float(kwargs["per_value_tolerance"] or 0.0),
            kwargs["per_value_tolerance_column"],
        )


class ExpectMulticolumnSumToEqualWithTolerance(BatchExpectation):
    """Expect each row's `total` column to equal the sum of its `parts` columns, within rounding.

    Args:
        total: the column holding the printed total (合计, 基本支出/小计 …).
        parts: the columns that add up to it.
        optional_parts: parts that may be absent from a release (counted as 0 when absent or blank).
        tolerance: an absolute slack for the whole row, in the data's unit (default 0).
        per_value_tolerance: half a unit of the last printed digit, allowed once per printed term
            (0.005 for amounts printed with two decimals; 0 for whole 元).
        per_value_tolerance_column: a column giving that half unit row by row (overrides
            `per_value_tolerance` when present).
    """

    total: str
    parts: list[str]
    optional_parts: list[str] = []
    tolerance: float = 0.0
    per_value_tolerance: float = 0.0
    per_value_tolerance_column: str | None = None

    library_metadata: ClassVar[dict[str, Any]] = {
        "maturity": "experimental",
        "tags": ["multi-column expectation", "public finance", "disclosure"],
        "contributors": ["disclosure-auditor"],
        "requirements": [],
    }
    metric_dependencies: ClassVar[tuple[str, ...]] = (METRIC,)
    domain_keys: ClassVar[tuple[str, ...]] = ("batch_id",)
    success_keys: ClassVar[tuple[str, ...]] = _KEYS
    args_keys: ClassVar[tuple[str, ...]] = ("total", "parts")

    class Config:
        title = "Expect multicolumn sum to equal with tolerance"

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None,
                  execution_engine: ExecutionEngine | None = None) -> dict[str, Any]:
        found = metrics[METRIC]
        if not found["applicable"]:
            return {"success": True, "result": {
                "observed_value": "not applicable: no column " + ", ".join(found["absent_columns"]),
                "element_count": found["element_count"], "unexpected_count": 0,
                "unexpected_index_list": [], "partial_unexpected_list": [],
            }}
        unexpected = found["unexpected_index_list"]
        checked = found["checked_count"]
        observed = f"{len(unexpected)} of {checked} rows do not add up" if checked else \
            "not applicable: no row prints the total and every required part"
        result = {
            "observed_value": observed,
            "element_count": found["element_count"],
            "missing_count": found["element_count"] - checked,
            "unexpected_count": len(unexpected),
            "unexpected_percent": (100.0 * len(unexpected) / checked) if checked else 0.0,
            "unexpected_index_list": unexpected,
            "partial_unexpected_list": found["partial_unexpected_list"],
        }
        return {"success": not unexpected, "result": result}

    @classmethod
    def _prescriptive_template(cls, renderer_configuration: RendererConfiguration) -> RendererConfiguration:
        renderer_configuration.add_param(name="total", param_type=RendererValueType.STRING)
        renderer_configuration.add_param(name="parts", param_type=RendererValueType.ARRAY)
        renderer_configuration.add_param(name="per_value_tolerance", param_type=RendererValueType.NUMBER)
        params = renderer_configuration.params
        template = "$total must equal the sum of "
        if params.parts:
            renderer_configuration = cls._add_array_params(
                array_param_name="parts", param_prefix="parts_", renderer_configuration=renderer_configuration)
            template += cls._get_array_string(
                array_param_name="parts", param_prefix="parts_", renderer_configuration=renderer_configuration)
        template += " in every row, within rounding"
        if params.per_value_tolerance and params.per_value_tolerance.value:
            template += " (± $per_value_tolerance per printed value)"
        renderer_configuration.template_str = template + "."
        return renderer_configuration

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(cls, configuration: Any = None, result: Any = None,
                               runtime_configuration: dict | None = None, **kwargs: Any) -> list:
        """The sentence Data Docs show: "total must equal the sum of basic, project … within rounding"."""
        styling = (runtime_configuration or {}).get("styling")
        found = dict(configuration.kwargs) if configuration else {}
        parts = list(found.get("parts") or [])
        optional = set(found.get("optional_parts") or [])
        params: dict[str, Any] = {"total": found.get("total", "?")}
        names = []
        for i, part in enumerate(parts):
            params[f"part_{i}"] = part + ("?" if part in optional else "")
            names.append(f"$part_{i}")
        template = "$total must equal the sum of " + " + ".join(names) + " in every row"
        if found.get("per_value_tolerance_column"):
            params["column"] = found["per_value_tolerance_column"]
            template += ", within half a printed unit per value (column $column)"
        elif found.get("per_value_tolerance"):
            params["per_value"] = found["per_value_tolerance"]
            template += ", within ± $per_value per printed value"
        if found.get("tolerance"):
            params["tolerance"] = found["tolerance"]
            template += " and ± $tolerance per row"
        if optional:
            template += " (? = optional column, 0 when absent)"
        return [RenderedStringTemplateContent(
            content_block_type="string_template",
            string_template={"template": template + ".", "params": params, "styling": styling},
        )]


__all__ = ["FLOAT_SLACK", "ExpectMulticolumnSumToEqualWithTolerance", "MulticolumnSumGaps", "sum_gaps"]
