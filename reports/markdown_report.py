"""Markdown (`--format md`): for issue trackers and newsroom notes.

A summary of the documents and counts, then the findings grouped under the likely wrong number
with its suggested value, each with its source lines as a fenced code block. Text from a
document is never trusted: inline text has HTML and Markdown syntax escaped, and code blocks use
a fence longer than any backtick run inside them, so a document cannot close the block, inject a
link, an image or raw HTML.
"""

from __future__ import annotations

import re
from typing import Any

from reports._common import (
    clean,
    group_suggestion,
    grouped,
    labels,
    no_findings,
    place,
    shown,
    where,
    with_confirmed,
)

# Inline syntax that can start anywhere in a line: emphasis, code, links/images, tables, strike.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Block syntax that only counts at the start of a line: headings, lists, quotes, rules, setext.
_MD_LEADING = re.compile(r"^(\s*\d*)([#+\-=.)])")


def inline(value: Any) -> str:
    """Escape text for a Markdown paragraph or table cell: one line, no HTML, no Markdown syntax.

    `< > &` become entities (so no tag, autolink or entity trick survives), inline syntax
    characters are backslash-escaped, and a leading block marker is escaped too.
    """
    text = clean(value, keep_newlines=False)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def code_block(lines: list[str], info: str = "text") -> str:
    """A fenced code block whose fence no line of `lines` can close."""
    body = [clean(line, keep_newlines=False) for line in lines]
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + info, *body, fence])


def _cell(value: Any) -> str:
    return inline(value) if value not in (None, "") else "—"


def _documents(result: dict[str, Any], t: dict[str, Any]) -> list[str]:
    out = [
        f"| {t['path']} | {t['kind']} | {t['year']} | {t['tables']} | {t['observations']} | "
        f"{t['indicators']} | {t['count']} | {t['status']} |",
        "|---|---|---|--:|--:|--:|--:|---|",
    ]
    for doc in result.get("documents", []):
        status = (t["not_audited_because"].format(error=inline(doc["error"]))
                  if doc.get("error") else t["coverage_status"].get((doc.get("coverage") or {}).get("status"), t["ok"])
                  if (doc.get("coverage") or {}).get("status") in ("nothing_read", "nothing_checked") else t["ok"])
        kind = t["kinds"].get(doc.get("kind"), doc.get("kind"))
        out.append(
            f"| {_cell(doc.get('path'))} | {_cell(kind)} | {_cell(doc.get('year'))} | {_cell(doc.get('tables'))} "
            f"| {_cell(doc.get('observations'))} | {_cell(doc.get('indicators'))} "
            f"| {_cell(doc.get('findings'))} | {status} |"
        )
    return out


def _summary(result: dict[str, Any], t: dict[str, Any]) -> list[str]:
    summary = result.get("summary", {})
    parts = [f"**{t['sev'][s]}** {summary.get(s, 0)}" for s in ("error", "warning", "info")]
    line = " · ".join(parts)
    if summary.get("suppressed"):
        line += " · " + t["suppressed"].format(n=summary["suppressed"])
    cov = result.get("coverage", {})
    cov_line = " · ".join(f"{t['cov'][k]} {cov.get(k, 0)}" for k in t["cov"])
    return [line, "", f"{t['coverage']}: {cov_line}"]


def _finding(f: dict[str, Any], t: dict[str, Any], in_group: bool) -> list[str]:
    sev = t["sev"].get(f.get("severity"), f.get("severity"))
    loc = f.get("location", {})
    head = f"- **#{f.get('rank')}** {inline(sev)} `{clean(f.get('rule'), keep_newlines=False).replace('`', '')}`"
    head += f" — {inline(where(loc))}"
    if place(loc):
        head += f" ({inline(place(loc))})"
    head += f" · id `{clean(f.get('id'), keep_newlines=False).replace('`', '')}`"
    out = [head, f"  {inline(with_confirmed(clean(f.get('message')), f, t))}"]
    facts = [f"{t[k]} **{inline(f[k])}**" for k in ("expected", "actual", "difference") if f.get(k)]
    if f.get("suggestion") and not in_group:
        facts.append(f"{t['suggestion']} **{inline(f['suggestion'])}**")
    if facts:
        out.append("  " + " · ".join(facts))
    evidence = f.get("evidence") or []
    if evidence:
        lines = [f"{e.get('line', '?'):>5}  {clean(e.get('text'), keep_newlines=False)}" for e in evidence]
        block = code_block(lines)
        out.append("")
        out.extend("  " + line for line in block.split("\n"))
    out.append("")
    return out


def render(result: dict[str, Any], top: int | None = None) -> str:
    """The result as GitHub-flavoured Markdown."""
    t = labels(result)
    out = [f"# {t['title']}", "", f"## {t['documents']}", "", *_documents(result, t), "",
           f"## {t['summary']}", "", *_summary(result, t), "", f"## {t['findings']}", ""]
    findings = shown(result, top)
    if not findings:
        out.append(no_findings(result, t))
    for group in grouped(findings):
        lead = group[0]
        suggestion = group_suggestion(group)
        if len(group) > 1 or suggestion:
            loc = lead.get("location", {})
            culprit = lead.get("culprit")
            target = inline(culprit or place(loc) or where(loc))
            heading = f"### {t['likely']}: {target}"
            if lead.get("actual") and not culprit:
                heading += f" — {t['actual']} {inline(lead['actual'])}"
            if suggestion:
                heading += f" → {t['suggestion']} **{inline(suggestion)}**"
            out.extend([heading, "", f"_{t['group']} `{clean(lead.get('group')).replace('`', '')}`, "
                                     f"{t['group_count'].format(n=len(group))}_", ""])
            for f in group:
                out.extend(_finding(f, t, in_group=True))
        else:
            out.extend(_finding(lead, t, in_group=False))
    total = len(result.get("findings", []))
    if len(findings) < total:
        out.append(f"_{t['more'].format(n=total - len(findings))}_")
    return "\n".join(out).rstrip("\n") + "\n"
