"""Prose: hard-wrapped lines joined into paragraphs, keeping a map back to source lines.

PDF extraction wraps paragraphs at the page width and often puts a blank line between the
wrapped pieces (seed 002). A line continues the paragraph above when that one did not end a
sentence and the new line does not open a heading or a list item.
"""

from __future__ import annotations

import re

from auditor.model import Document, Paragraph

_SENTENCE_END = ("。", "；", "！", "？", "：", ":", ";", "!", "?")
_OPENS_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[①-⑳]|第[一二三四五六七八九十]+部分|附[:：件])"
)

_PUNCT = re.compile(r"[\s，,。．.；;：:、！!？?“”\"'‘’（）()《》〈〉【】\[\]—\-…·]")


def squash(text: str) -> str:
    """Text without whitespace and punctuation, for comparing phrases."""
    return _PUNCT.sub("", text)


def read_paragraphs(doc: Document, taken: set[int]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list[tuple[int, str]] = []
    blank_run = 0

    def flush() -> None:
        if current:
            text = ""
            offsets = []
            for _, piece in current:
                offsets.append(len(text))
                text += piece
            paragraphs.append(Paragraph(text=text, lines=[n for n, _ in current], offsets=offsets))
            current.clear()

    for line in doc.lines:
        if line.number in taken or line.footer:
            continue
        text = line.text.replace("\t", " ").strip()
        if not text:
            blank_run += 1
            if blank_run > 2:
                flush()
            continue
        if line.cells is not None and len([c for c in line.cells if c]) > 1:
            flush()
            blank_run = 0
            continue
        if current and _continues(current[-1][1], text):
            current.append((line.number, text))
        else:
            flush()
            current.append((line.number, text))
        blank_run = 0
    flush()
    return paragraphs


def _continues(previous: str, text: str) -> bool:
    if previous.endswith(_SENTENCE_END) or _OPENS_ITEM.match(text):
        return False
    # A wrapped line is long; a short line without punctuation is a heading of its own.
    return len(previous) >= 18
