"""Text: a CJK-aligned table of ranked findings, grouped under their likely wrong number."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate
from wcwidth import wcswidth

from reports._common import labels, shown, with_confirmed

LABELS = {
    "zh": {
        "rank": "#", "severity": "级别", "rule": "规则", "where": "位置", "message": "说明",
        "expected": "应为", "actual": "印为", "none": "未发现问题。", "group": "可能错误的数字",
        "suggest": "建议改为", "docs": "文件", "error": "无法读取",
        "sev": {"error": "错误", "warning": "警告", "info": "提示"},
        "summary": "共 {error} 个错误、{warning} 个警告、{info} 个提示",
        "suppressed": "（基线已屏蔽 {n} 个）",
        "more": "……另有 {n} 条，使用 --top 或 --format json 查看全部",
    },
    "en": {
        "rank": "#", "severity": "severity", "rule": "rule", "where": "where", "message": "message",
        "expected": "expected", "actual": "printed", "none": "No findings.", "group": "likely wrong number",
        "suggest": "suggested value", "docs": "file", "error": "cannot read",
        "sev": {"error": "error", "warning": "warning", "info": "info"},
        "summary": "{error} errors, {warning} warnings, {info} info",
        "suppressed": " ({n} suppressed by the baseline)",
        "more": "... {n} more; use --top or --format json to see all",
    },
}

MESSAGE_WIDTH = 64


def wrap(text: str, width: int = MESSAGE_WIDTH) -> str:
    """Wrap by display width, so CJK (two columns a character) lines up in a terminal."""
    lines, current, used = [], "", 0
    for ch in text:
        w = max(wcswidth(ch), 0)
        if used + w > width:
            lines.append(current)
            current, used = "", 0
        current += ch
        used += w
    if current:
        lines.append(current)
    return "\n".join(lines)


def render(result: dict[str, Any], top: int | None = None) -> str:
    lang = result.get("lang", "zh")
    t = LABELS.get(lang, LABELS["zh"])
    shared = labels(result)  # the marker of a finding several engines confirmed, shared by every format
    out: list[str] = []
    for doc in result["documents"]:
        if doc["error"]:
            out.append(f"{t['docs']}: {doc['path']}  [{t['error']}: {doc['error']}]")
        else:
            year = doc["year"] or "?"
            out.append(f"{t['docs']}: {doc['path']}  ({doc['kind']}, {year}; tables {doc['tables']}, "
                       f"numbers {doc['observations']}, indicators {doc['indicators']})")
    out.append("")
    findings = result["findings"]
    visible = shown(result, top)
    if not findings:
        out.append(t["none"])
    rows = []
    for f in visible:
        loc = f["location"]
        where = f"{_short(loc['path'])}:{loc['line']}" if loc.get("line") else _short(loc["path"])
        if loc.get("page"):
            where += f" p{loc['page']}"
        message = with_confirmed(f["message"], f, shared)
        if f.get("group_lead") and f.get("suggestion"):
            culprit = f" {f['culprit']}" if f.get("culprit") else ""
            message += f"\n▶ {t['group']}{culprit} → {t['suggest']} {f['suggestion']}"
        indent = "" if f.get("group_lead") else "  └ "
        rows.append([
            f"{indent}{f['rank']}",
            t["sev"].get(f["severity"], f["severity"]),
            f["rule"],
            where,
            wrap(message),
            f.get("expected") or "",
            f.get("actual") or "",
        ])
    if rows:
        headers = [t["rank"], t["severity"], t["rule"], t["where"], t["message"], t["expected"], t["actual"]]
        out.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    if len(findings) > len(visible):
        out.append(t["more"].format(n=len(findings) - len(visible)))
    summary = result["summary"]
    line = t["summary"].format(**summary)
    if summary.get("suppressed"):
        line += t["suppressed"].format(n=summary["suppressed"])
    cov = result["coverage"]
    out.append("")
    out.append(f"{line}. coverage: rules run {cov['rules_run']}, passed {cov['passed']}, failed {cov['failed']}, "
               f"n/a {cov['not_applicable']}, insufficient data {cov['insufficient_data']}, errors {cov['errors']}")
    return "\n".join(out) + "\n"


def _short(path: str) -> str:
    return path if len(path) <= 40 else "…" + path[-39:]
