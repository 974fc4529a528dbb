"""Parse suite: content that was seen but could not be understood, said out loud.

A reader that cannot place a row, or fails on a layout, would otherwise make the audit look
cleaner than it is. These findings are `info`: they are not errors in the document, but they
tell a reviewer which parts were not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument


@rule(
    "parse.unread",
    severity="info",
    applies_to="document",
    title_zh="有内容未能识别",
    title_en="Content could not be read",
    message_zh="{where}：{note}。此处内容未参与核对。",
    message_en="{where}: {note}. This content was not checked.",
    examples=[{"fails": "a table row with more values than its header has columns", "passes": "a regular table"}],
)
def unread(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Reports what the readers saw but could not place: a reader that failed on the layout, or
    a table row whose cells could not be aligned to the header.

    Why it matters: an audit is only as complete as its reading; a reviewer must know which
    parts were not checked instead of taking silence for a clean bill.
    """
    for line, note in read.notes:
        ctx.check()
        yield ctx.finding(ctx.location(line or None), args={"where": read.path, "note": note},
                          key=f"doc|{note[:60]}", evidence=[ctx.evidence(line)] if line else [])
    for table in read.tables:
        for line, note in table.notes:
            ctx.check()
            yield ctx.finding(ctx.location(line, table=table.name), args={"where": table.name, "note": note},
                              key=f"{table.kind}|{table.title}|{note[:60]}", evidence=[ctx.evidence(line)],
                              confidence=0.8)
