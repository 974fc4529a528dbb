"""Text: a CJK-aligned table of ranked findings, grouped under their likely wrong number.

File names are printed whole. To a terminal the message column is wrapped to the terminal's
width (`width`), at spaces or between CJK characters, never inside a number or a word; to a pipe
or a file nothing is wrapped (`width=None`), so each finding's message is one line of the table.
"""

from __future__ import annotations

import re
from typing import Any

from reports._common import labels, labels_in, read_labels, shown, with_confirmed
from reports.display_width import display_width
from reports.simple_table import SEPARATOR, simple_table

GAP = len(SEPARATOR)  # the columns between two of the table's columns
MIN_MESSAGE = 24
MESSAGE_BELOW = 40  # a message column narrower than this goes under its row instead
INDENT = 5
# CJK punctuation that never starts a line (it stays with the text before it)
_CLOSING = set("，。、；：！？）」』”’》〉】,.;:!?)")
# What a line is never broken inside: a number as printed (1,234.50  -12%  3.5万元 keeps 3.5 whole),
# a Latin word or rule id; everything else (CJK characters, punctuation, spaces) is one token.
_TOKEN = re.compile(r"[-+]?\d[\d,.]*%?|[A-Za-z_][\w.\-]*|\s+|.", re.S)


def wrap(text: str, width: int | None) -> str:
    """Wrap by display width (CJK is two columns a character), never inside a number or a word.

    `width=None` leaves the text as it is. A token wider than the line stays whole on its own line.
    """
    if width is None:
        return text
    out: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _TOKEN.findall(paragraph):
            w = display_width(token)
            if used + w > width and line.strip() and token not in _CLOSING:
                out.append(line.rstrip())
                line, used = "", 0
                if token.isspace():
                    continue
            line += token
            used += w
        out.append(line.rstrip())
    return "\n".join(out)


def _table(rows: list[list[str]], headers: list[str], width: int | None) -> str:
    """The findings table. Unwrapped without a width; with one, the message column is wrapped to
    what the other columns leave, or, when that is under MESSAGE_BELOW columns (long file names),
    each message is printed under its row across the whole width."""
    others = sum(max(display_width(str(c)) for c in [headers[i], *(r[i] for r in rows)])
                 for i in range(len(headers)) if i != 4)
    room = (width or 0) - others - GAP * (len(headers) - 1)
    if width is None or room >= MESSAGE_BELOW:
        if width is not None:
            rows = [[*r[:4], wrap(r[4], room), *r[5:]] for r in rows]
        return simple_table(rows, headers)
    short = [[*r[:4], *r[5:]] for r in rows]
    lines = simple_table(short, [*headers[:4], *headers[5:]]).split("\n")
    out = lines[:2]
    for row, line in zip(rows, lines[2:], strict=True):
        out.append(line)
        indent = " " * (INDENT + (4 if row[0].startswith("└") else 0))
        out.extend(indent + text for text in wrap(row[4], max(MIN_MESSAGE, width - len(indent))).split("\n"))
    return "\n".join(out)


def _document_line(doc: dict[str, Any], t: dict[str, Any], kinds: dict[str, str]) -> str:
    if doc.get("error"):
        return f"{t['docs']}: {doc['path']}  [{t['error']}: {doc['error']}]"
    kind = kinds.get(str(doc.get("kind")), doc.get("kind"))
    year = doc.get("year") or "?"
    counts = {k: doc.get(k, 0) for k in ("tables", "facts", "prose_numbers", "rates", "paragraphs", "indicators")}
    line = f"{t['docs']}: {doc['path']}  ({kind}, {year}; {t['read'].format(**counts)})"
    coverage = doc.get("coverage") or {}
    status = coverage.get("status")
    if status in ("nothing_read", "nothing_checked"):
        line += f"\n    ! {t[status]}"
    elif status == "checked":
        line += f"\n    {t['checked'].format(**coverage)}"
    return line


def render(result: dict[str, Any], top: int | None = None, width: int | None = None) -> str:
    """The result as a text table; `width` is the terminal's (None: no wrapping, for pipes/files)."""
    t = labels_in(read_labels("text"), result)
    shared = labels(result)  # the marker of a finding several engines confirmed, shared by every format
    out: list[str] = []
    documents = result["documents"]
    for doc in documents:
        out.append(_document_line(doc, t, shared["kinds"]))
    out.append("")
    findings = result["findings"]
    visible = shown(result, top)
    if not findings:
        unaudited = sum(1 for d in documents if d.get("error"))
        unchecked = sum(1 for d in documents if not d.get("error")
                        and (d.get("coverage") or {}).get("status") in ("nothing_read", "nothing_checked"))
        if documents and unaudited == len(documents):
            out.append(t["none_audited"].format(n=unaudited))
        elif unaudited or unchecked:
            out.append(t["none_some"].format(n=unaudited + unchecked))
        else:
            out.append(t["none"])
    rows = []
    for f in visible:
        loc = f["location"]
        where = f"{loc['path']}:{loc['line']}" if loc.get("line") else str(loc["path"])
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
            message,
            f.get("expected") or "",
            f.get("actual") or "",
        ])
    if rows:
        headers = [t["rank"], t["severity"], t["rule"], t["where"], t["message"], t["expected"], t["actual"]]
        out.append(_table(rows, headers, width))
    if len(findings) > len(visible):
        out.append(t["more"].format(n=len(findings) - len(visible)))
    summary = result["summary"]
    line = t["summary"].format(**summary)
    if summary.get("suppressed"):
        line += t["suppressed"].format(n=summary["suppressed"])
    if unaudited := sum(1 for d in documents if d.get("error")):
        line += t["unaudited"].format(n=unaudited)
    cov = result["coverage"]
    out.append("")
    out.append(f"{line}. coverage: rules run {cov['rules_run']}, passed {cov['passed']}, failed {cov['failed']}, "
               f"n/a {cov['not_applicable']}, insufficient data {cov['insufficient_data']}, errors {cov['errors']}")
    return "\n".join(out) + "\n"
