"""Labels of economic-classification tables, read once so the code rules compare fields.

A 部门预算经济分类 table prints codes (类 / 款 / 科目编码 …), the 部门预算 name and, beside it, the
政府预算经济分类 code and name; the name may end in the unit type (_行政 / _事业 / _参公). Summary
rows name the two expense groups (人员经费 / 公用经费) without a code.
"""

from __future__ import annotations

import re

from auditor.model import Column

_GOV_GROUP = re.compile(r"政府(预算)?经济分类")
_CODE_HEADER = re.compile(r"^(类|款|项|科目编码|科目代码|功能分类科目编码|功能科目编码|编码|代码)$")
_NAME_HEADER = re.compile(r"科目名称|科目|名称")
_NOT_NAME = re.compile(r"单位名称|采购|项目名称")
_SUFFIX = re.compile(r"[_\-－—](行政|事业|参公)\s*$")
_PERSONNEL_ROW = re.compile(r"^(人员经费|人员经费合计|人员支出)$")
_PUBLIC_ROW = re.compile(r"^(日常)?公用经费(合计)?$")


def name_column_kind(column: Column) -> str:
    """What a text column of a classification table holds: "code" (类/款/项/编码), "gov_name" (under a
    政府预算经济分类 header), "name" (科目名称, not a unit or project name) or ""."""
    joined = "/".join(column.path)
    inner = column.path[-1] if column.path else column.name
    if _CODE_HEADER.match(inner):
        return "code"
    if _GOV_GROUP.search(joined):
        return "gov_name"
    if _NAME_HEADER.search(joined) and not _NOT_NAME.search(joined):
        return "name"
    return ""


def unit_type_suffix(name: str) -> str | None:
    """The unit type a 政府预算 name ends in ("工资奖金津补贴_行政" -> "行政"), else None."""
    m = _SUFFIX.search(name or "")
    return m.group(1) if m else None


def expense_group(label: str) -> str:
    """"personnel" for a 人员经费 summary row, "public" for 公用经费, else "" (a normalised label)."""
    if _PERSONNEL_ROW.match(label):
        return "personnel"
    if _PUBLIC_ROW.match(label):
        return "public"
    return ""
