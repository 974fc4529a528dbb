"""HTML (`--format html`): one self-contained file for reading in a browser.

Summary at the top (documents, kind, year, counts by severity, coverage), then the ranked
findings grouped by root cause under the likely wrong number and its suggested value, each with
its source lines and the cited values highlighted with `<mark>`. A small inline script filters
by severity and rule family. No network: one inline stylesheet and one inline script, and a
Content-Security-Policy of `default-src 'none'` that allows only those two, by hash. Every piece of text that comes from a document or the result is
HTML-escaped, so nothing from a document can become markup or execute.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from functools import cache
from html import escape
from importlib import resources
from string import Template
from typing import Any

from reports._common import (
    clean,
    confirmed_note,
    confirming_engines,
    family,
    group_suggestion,
    grouped,
    labels,
    language_tag,
    no_findings,
    place,
    shown,
    where,
)
from reports.ocr_crop import ocr_figure  # OCR hook (issue 19): the crop of a cell read by OCR

# The badge's style, added to the stylesheet only when a badge is shown: the page of a run without
# `--gx` stays byte for byte what it was.
CONFIRMED_CSS = (".confirmed { font-size: .8rem; padding: 0 .45rem; border-radius: 4px; "
                 "border: 1px solid var(--info); color: var(--info); cursor: help; }\n")


@cache
def _template() -> Template:
    return Template(resources.files("reports").joinpath("templates/report.html").read_text(encoding="utf-8"))


def esc(value: Any) -> str:
    """Escape text for HTML content and quoted attribute values (control characters removed)."""
    return escape(clean(value), quote=True)


def _value_pattern(value: str) -> re.Pattern[str]:
    """`value` as printed, matched only as a whole number: "0" is not lit inside "86,412,027",
    nor "1,000" inside "21,000.50" (a digit, or a separator before a digit, must not touch it)."""
    body = re.escape(value)
    before = r"(?<!\d)(?<!\d[.,])" if value[:1].isdigit() else ""
    after = r"(?!\d)(?![.,]\d)" if value[-1:].isdigit() else ""
    return re.compile(before + body + after)


def highlight(text: str, values: list[str]) -> str:
    """`text` escaped, with every whole occurrence of each cited value wrapped in `<mark>`.

    Matching is done on the raw text and each piece is escaped on its own, so a cited value can
    never split an entity or a tag.
    """
    text = clean(text, keep_newlines=False)
    wanted = sorted({clean(v, keep_newlines=False) for v in values if v and clean(v).strip()}, key=len, reverse=True)
    if not wanted:
        return escape(text, quote=True)
    patterns = [_value_pattern(v) for v in wanted]
    out: list[str] = []
    pos = 0
    while pos < len(text):
        hits = [m for p in patterns if (m := p.search(text, pos))]
        if not hits:
            break
        match = min(hits, key=lambda m: (m.start(), -len(m.group(0))))
        out.append(escape(text[pos:match.start()], quote=True))
        out.append(f"<mark>{escape(match.group(0), quote=True)}</mark>")
        pos = match.end()
    out.append(escape(text[pos:], quote=True))
    return "".join(out)


def _csp(page: str) -> str:
    """The page's Content-Security-Policy: nothing at all (`default-src 'none'`) but its own one
    stylesheet and one script, each allowed by its SHA-256 hash (no 'unsafe-inline')."""
    head, _, rest = page.partition("<style>")
    style = rest.partition("</style>")[0]
    script = page.rpartition("<script>")[2].partition("</script>")[0]

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    return f"default-src 'none'; style-src {digest(style)}; script-src {digest(script)}; base-uri 'none'; form-action 'none'"


def _summary(result: dict[str, Any], t: dict[str, Any]) -> str:
    rows = []
    for doc in result.get("documents", []):
        error = doc.get("error")
        coverage = doc.get("coverage") or {}
        if error:
            status = esc(t["not_audited_because"].format(error=clean(error)))
        elif coverage.get("status") in ("nothing_read", "nothing_checked"):
            status = f'<b class="unchecked">{esc(t["coverage_status"][coverage["status"]])}</b>'
        elif coverage.get("status") == "checked":
            status = esc(t["checked_n"].format(**coverage))
        else:
            status = esc(t["ok"])
        kind = t["kinds"].get(doc.get("kind"), doc.get("kind"))
        # 数字 counts every number whose meaning was read (prose too) when the result says so
        counted = {**doc, "observations": doc.get("facts", doc.get("observations", ""))}
        nums = "".join(f'<td class="num">{esc(counted.get(k, ""))}</td>'
                       for k in ("tables", "observations", "indicators", "findings"))
        rows.append(
            f'<tr class="{"unreadable" if error else "ok"}"><td class="path">{esc(doc.get("path"))}</td>'
            f"<td>{esc(kind)}</td><td>{esc(doc.get('year') or '')}</td>{nums}<td>{status}</td></tr>"
        )
    head = "".join(f"<th>{esc(t[k])}</th>" for k in
                   ("path", "kind", "year", "tables", "observations", "indicators", "count", "status"))
    summary = result.get("summary", {})
    counts = "".join(
        f'<div class="count {s}"><b>{esc(summary.get(s, 0))}</b>{esc(t["sev"][s])}</div>'
        for s in ("error", "warning", "info")
    )
    if summary.get("suppressed"):
        counts += f'<div class="count suppressed"><b>{esc(summary["suppressed"])}</b>' \
                  f'{esc(t["suppressed"].format(n="").strip())}</div>'
    cov = result.get("coverage", {})
    coverage = " · ".join(f"{esc(t['cov'][k])} {esc(cov.get(k, 0))}" for k in t["cov"])
    return (
        f'<section id="summary"><h2>{esc(t["documents"])}</h2>'
        f'<table class="docs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f'<h2>{esc(t["summary"])}</h2><div class="counts">{counts}</div>'
        f'<p class="coverage">{esc(t["coverage"])}: {coverage}</p></section>'
    )


def _filters(findings: list[dict[str, Any]], t: dict[str, Any]) -> str:
    sev_counts = Counter(str(f.get("severity")) for f in findings)
    fam_counts = Counter(family(str(f.get("rule", ""))) for f in findings)
    sev = "".join(
        f'<label><input type="checkbox" name="severity" value="{esc(s)}" checked> '
        f'{esc(t["sev"].get(s, s))} ({n})</label>'
        for s in ("error", "warning", "info", *sorted(set(sev_counts) - {"error", "warning", "info"}))
        if (n := sev_counts.get(s, 0))
    )
    fam = "".join(
        f'<label><input type="checkbox" name="family" value="{esc(name)}" checked> {esc(name)} ({n})</label>'
        for name, n in sorted(fam_counts.items())
    )
    return (
        f'<div class="filters" role="search"><fieldset id="filter-severity"><legend>{esc(t["severity"])}</legend>{sev}'
        f'</fieldset><fieldset id="filter-family"><legend>{esc(t["family"])}</legend>{fam}</fieldset>'
        f'<span id="shown" data-template="{esc(t["showing"])}"></span></div>'
    )


def _finding(f: dict[str, Any], t: dict[str, Any], member: bool, in_group: bool) -> str:
    sev = str(f.get("severity", ""))
    loc = f.get("location", {})
    head = (
        f'<div class="head"><span class="rank">#{esc(f.get("rank"))}</span>'
        f'<span class="sev {esc(sev)}">{esc(t["sev"].get(sev, sev))}</span>'
        f'<span class="title">{esc(f.get("title"))}</span><span class="rule">{esc(f.get("rule"))}</span>'
        f'<span class="path">{esc(where(loc))}</span>{_badge(f, t)}</div>'
    )
    facts = [f'<span>{esc(t[k])} <b>{esc(f[k])}</b></span>' for k in ("expected", "actual", "difference") if f.get(k)]
    if place(loc):
        facts.insert(0, f"<span>{esc(place(loc))}</span>")
    if f.get("suggestion") and not in_group:
        facts.append(f'<span class="suggest">{esc(t["suggestion"])} <b>{esc(f["suggestion"])}</b></span>')
    lines = []
    for e in f.get("evidence") or []:
        cited = [e.get("value")] if e.get("value") else []
        if not cited and e.get("line") == loc.get("line") and f.get("actual"):
            cited = [f["actual"]]
        lines.append(f'<span class="ln">{esc(e.get("line", ""))}</span>{highlight(e.get("text", ""), cited)}')
    evidence = f'<pre class="evidence" aria-label="{esc(t["evidence"])}">' + "\n".join(lines) + "</pre>" if lines else ""
    return (
        f'<article class="finding{" member" if member else ""}" id="f-{esc(f.get("id"))}" '
        f'data-severity="{esc(sev)}" data-family="{esc(family(str(f.get("rule", ""))))}" '
        f'data-rule="{esc(f.get("rule"))}" data-rank="{esc(f.get("rank"))}">'
        f'{head}<p class="msg">{esc(f.get("message"))}</p>'
        f'<div class="facts">{"".join(facts)}</div>{evidence}{ocr_figure(loc)}</article>'
    )


def _badge(f: dict[str, Any], t: dict[str, Any]) -> str:
    """A small badge on a finding several engines confirmed; the title names them."""
    title = confirmed_note(f, t, "confirmed_title")
    if not title:
        return ""
    engines = " ".join(confirming_engines(f))
    return (f'<span class="confirmed" data-confirmed-by="{esc(engines)}" title="{esc(title)}">'
            f'{esc(t["confirmed_badge"])}</span>')


def _group(group: list[dict[str, Any]], t: dict[str, Any]) -> str:
    lead = group[0]
    suggestion = group_suggestion(group)
    multi = len(group) > 1
    parts = []
    if multi or suggestion:
        loc = lead.get("location", {})
        # The ranker names the likely wrong cell; without it, the lead finding's own cell stands in.
        culprit = lead.get("culprit")
        target = culprit or place(loc) or where(loc)
        head = f'{esc(t["likely"])}: <b>{esc(target)}</b>'
        if lead.get("actual") and not culprit:
            head += f' — {esc(t["actual"])} <b>{esc(lead["actual"])}</b>'
        if suggestion:
            head += f' → <span class="suggest">{esc(t["suggestion"])} <mark>{esc(suggestion)}</mark></span>'
        meta = f'{esc(t["group"])} {esc(lead.get("group"))} · {esc(t["group_count"].format(n=len(group)))}'
        parts.append(f'<header class="group-head">{head}<div class="meta">{meta}</div></header>')
    for index, f in enumerate(group):
        parts.append(_finding(f, t, member=multi and index > 0, in_group=bool(multi or suggestion)))
    return (f'<section class="group{" multi" if multi else ""}" data-group="{esc(lead.get("group"))}">'
            f'{"".join(parts)}</section>')


def render(result: dict[str, Any], top: int | None = None) -> str:
    """The result as one self-contained HTML page."""
    t = labels(result)
    findings = shown(result, top)
    body = [f"<header><h1>{esc(t['title'])}</h1></header>", _summary(result, t),
            f'<h2 id="findings">{esc(t["findings"])}</h2>']
    if findings:
        body.append(_filters(findings, t))
        body.append('<main id="list">' + "".join(_group(g, t) for g in grouped(findings)) + "</main>")
    else:
        body.append(f'<p class="none">{esc(no_findings(result, t))}</p>')
    total = len(result.get("findings", []))
    if len(findings) < total:
        body.append(f'<p class="none">{esc(t["more"].format(n=total - len(findings)))}</p>')
    tool = result.get("tool", {})
    # The CSP is filled last, from the page itself: the body is escaped text, so the only <style>
    # and <script> are the template's (the marker cannot occur in escaped text: it has no "<").
    page = _template().substitute(
        lang=language_tag(result),
        title=esc(t["title"]),
        generator=esc(f"{tool.get('name', 'auditor')} {tool.get('version', '')}".strip()),
        body="\n".join(body),
        extra_css=CONFIRMED_CSS if any(confirming_engines(f) for f in findings) else "",
        csp="<csp>",
    )
    return page.replace("<csp>", _csp(page), 1)
