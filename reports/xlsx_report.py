"""XLSX (`--format xlsx`): a workbook for reviewers who sort and annotate in a spreadsheet.

Sheets: 问题 (every finding, every field, Chinese headers), 文件 (the documents) and 汇总 (counts
and coverage). When engines agree on a finding (`auditor check --gx`), 问题 has a 确认引擎 column
naming them on those findings. Header rows are frozen and filtered, and columns are sized for CJK
text by display width. Document text is data, never a formula: a cell whose text starts with
`= + - @` (or a tab or carriage return) is stored as a string with Excel's quote prefix, and
control characters that XLSX cannot hold are removed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

from reports._common import clean, confirming_engines, engine_names, family, labels, place, shown, where
from reports.display_width import widest_line


class Amount:
    """A printed amount for a cell: its exact value and the Excel number format that shows it as
    printed (thousands separators, decimals, unit)."""

    def __init__(self, value: Decimal, number_format: str, text: str) -> None:
        self.value, self.number_format, self.text = value, number_format, text


def amount(text: Any) -> Amount | str | None:
    """`text` as an Amount when it is one printed number (with an optional unit), else as it is."""
    if text is None or not isinstance(text, str):
        return text
    m = _AMOUNT.match(text.strip())
    if not m:
        return text
    sign, whole, decimals, unit = m.groups()
    value = Decimal(sign + whole.replace(",", "") + (f".{decimals}" if decimals else ""))
    fmt = ("#,##0" if "," in whole or len(whole) > 3 else "0") + ("." + "0" * len(decimals) if decimals else "")
    if unit:
        fmt += f'"{" " if " " in text.strip() else ""}{unit}"'
    return Amount(value, fmt, text)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60
MIN_WIDTH = 6

FINDING_COLUMNS: list[tuple[str, str]] = [
    ("排名", "rank"), ("级别", "severity"), ("规则", "rule"), ("规则族", "family"), ("标题", "title"),
    ("说明", "message"), ("文件", "path"), ("行号", "line"), ("页码", "page"), ("表", "table"),
    ("行", "row"), ("列", "column"), ("单元格", "cell"), ("应为", "expected"), ("印为", "actual"),
    ("相差", "difference"), ("可能错误的数字", "culprit"), ("建议改为", "suggestion"), ("根因组", "group"), ("组首", "group_lead"),
    ("得分", "score"), ("置信度", "confidence"), ("原文", "evidence"), ("编号", "id"),
]
# Only in a workbook where some finding was confirmed by several engines (`--gx`): without it the
# sheet keeps today's columns, so reviewers' templates and a run without --gx are unchanged.
CONFIRMED_COLUMN: tuple[str, str] = ("确认引擎", "confirmed_by")
DOCUMENT_COLUMNS: list[tuple[str, str]] = [
    ("文件", "path"), ("类型", "kind"), ("年度", "year"), ("发布单位", "issuer"), ("表格数", "tables"),
    ("数字数", "observations"), ("指标数", "indicators"), ("问题数", "findings"), ("读取错误", "error"),
    ("耗时（秒）", "seconds"),
    # what was read and checked (after the columns earlier workbooks had, so templates still fit)
    ("检查情况", "coverage"), ("适用规则", "rules_checked"), ("核对处数", "checks"), ("已识别数字", "facts"),
    ("正文数字", "prose_numbers"), ("比率数", "rates"), ("段落数", "paragraphs"),
]
# documents[].coverage.status as a reviewer reads it
COVERAGE_NAMES = {"checked": "已检查", "nothing_checked": "已读取，无规则适用，未检查",
                  "nothing_read": "未能读取内容，未检查", "not_audited": "未审计（无法读取）"}
# An amount as the result prints it: "1,400,000", "-100.00", "150.00 万元", "12.5%". Stored as a
# number (Decimal, never float) with a number format that prints it the same way, unit included.
_AMOUNT = re.compile(r"^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(万元|亿元|元|%|％)?$")
AMOUNT_KEYS = ("expected", "actual", "difference", "suggestion")


def finding_columns(result: dict[str, Any]) -> list[tuple[str, str]]:
    """The columns of 问题: 确认引擎 after 置信度 when any finding of the result was confirmed by
    several engines (decided on all findings, so --top does not change the sheet's columns)."""
    if not any(confirming_engines(f) for f in result.get("findings", [])):
        return FINDING_COLUMNS
    at = [key for _, key in FINDING_COLUMNS].index("confidence") + 1
    return [*FINDING_COLUMNS[:at], CONFIRMED_COLUMN, *FINDING_COLUMNS[at:]]


def _finding_row(f: dict[str, Any], t: dict[str, Any], columns: list[tuple[str, str]]) -> list[Any]:
    loc = f.get("location", {})
    evidence = "\n".join(f"{e.get('line', '?')}: {clean(e.get('text'), keep_newlines=False)}"
                         for e in f.get("evidence") or [])
    values = {
        **{k: loc.get(k) for k in ("path", "line", "page", "table", "row", "column", "cell")},
        **{k: f.get(k) for k in ("rank", "rule", "title", "message", "expected", "actual", "difference",
                                 "suggestion", "group", "score", "confidence", "id")},
        "severity": t["sev"].get(str(f.get("severity")), f.get("severity")),
        "family": family(str(f.get("rule", ""))),
        "group_lead": "是" if f.get("group_lead") else "",
        # the cell to change: the ranker's likely wrong cell, else the finding's own cell when it
        # carries a suggested value (so "建议改为" always says where)
        "culprit": f.get("culprit") or ((place(loc, " ") or where(loc)) if f.get("suggestion") else ""),
        **{k: amount(f.get(k)) for k in AMOUNT_KEYS},
        "evidence": evidence,
        # a list to sort and filter on ("auditor、Great Expectations"); "" when one engine reported it
        "confirmed_by": t["engine_sep"].join(engine_names(confirming_engines(f), t)),
    }
    return [values[key] for _, key in columns]


def _document_row(doc: dict[str, Any], t: dict[str, Any]) -> list[Any]:
    coverage = doc.get("coverage") or {}
    values = {
        **doc,
        "kind": t["kinds"].get(str(doc.get("kind")), doc.get("kind")),  # 部门预算, as the HTML names it
        "coverage": COVERAGE_NAMES.get(str(coverage.get("status")), coverage.get("status")),
        "rules_checked": coverage.get("rules_checked"),
        "checks": coverage.get("checks"),
    }
    return [values.get(key) for _, key in DOCUMENT_COLUMNS]


def _write_sheet(ws: Any, headers: list[str], rows: list[list[Any]], wrap: set[int] | None = None) -> None:
    """Write a header and rows; text is sanitised and never a formula; freeze, filter, size."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    widths = [widest_line(h) for h in headers]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([None] * len(headers))
        r = ws.max_row
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                value = "是" if value else ""
            if isinstance(value, Amount):
                cell.value = value.value
                cell.number_format = value.number_format
                text = value.text
            elif isinstance(value, int | float):
                cell.value = value
                text = str(value)
            else:
                text = clean(value)
                cell.value = text
                cell.data_type = "s"  # a string, even when it starts with "=": never a formula
                if text.startswith(FORMULA_START):
                    cell.quotePrefix = True  # Excel keeps showing it as text when it is edited
            if wrap and c in wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[c - 1] = max(widths[c - 1], widest_line(text))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, ws.max_row)}"


def build(result: dict[str, Any], top: int | None = None) -> Any:
    """The openpyxl Workbook (for tests and callers that post-process it)."""
    from openpyxl import Workbook

    t = labels(result)
    wb = Workbook()
    ws = wb.active
    ws.title = "问题"
    columns = finding_columns(result)
    wrap = {i for i, (_, key) in enumerate(columns, start=1) if key in ("message", "evidence")}
    _write_sheet(ws, [h for h, _ in columns],
                 [_finding_row(f, t, columns) for f in shown(result, top)], wrap=wrap)
    docs = wb.create_sheet("文件")
    _write_sheet(docs, [h for h, _ in DOCUMENT_COLUMNS],
                 [_document_row(d, t) for d in result.get("documents", [])])
    summary = wb.create_sheet("汇总")
    sums = result.get("summary", {})
    cov = result.get("coverage", {})
    rows: list[list[Any]] = [[label, sums.get(key, 0)] for label, key in
                             (("错误", "error"), ("警告", "warning"), ("提示", "info"), ("基线屏蔽", "suppressed"))]
    rows += [[f"规则{label}", cov.get(key, 0)] for key, label in
             (("rules_run", "已运行"), ("passed", "通过"), ("failed", "未通过"), ("not_applicable", "不适用"),
              ("insufficient_data", "数据不足"), ("errors", "出错"))]
    tool = result.get("tool", {})
    rows.append(["工具版本", f"{clean(tool.get('name', 'auditor'))} {clean(tool.get('version', ''))}".strip()])
    _write_sheet(summary, ["项目", "数量"], rows)
    return wb


def render(result: dict[str, Any], top: int | None = None) -> bytes:
    """The result as an XLSX workbook (bytes)."""
    buffer = BytesIO()
    build(result, top).save(buffer)
    return buffer.getvalue()
