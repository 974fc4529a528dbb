"""Prose facts: "label … amount" pairs read from paragraphs, with the concept of the label.

Each amount printed with a unit in the prose ("基本支出 5052.35 万元") becomes a Fact whose
concept comes from the lexicon in checks/catalog/concepts.yaml, or — for a function-class
name such as "社会保障和就业支出" — whose `label` is kept for matching against table rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from auditor.model import Number, Paragraph
from auditor.numbers import find_amounts

CATALOG = Path(__file__).resolve().parents[2] / "checks" / "catalog"
# A label ends where the clause ends; these characters separate clauses in running text.
_CLAUSE_BREAK = re.compile(r"[，。；：、,;:\n]|其中|包括|主要用于|以下方面")
_LABEL_TAIL = re.compile(r"(?:预算数|预算|决算数|决算|安排|支出)?\s*(?:为|是|共|共计|合计|达)?\s*$")


@dataclass(frozen=True)
class Fact:
    concept: str  # lexicon concept, or "" when only the label is known
    label: str  # the label as printed, cleaned of its year prefix
    number: Number
    line: int
    paragraph: int  # index into ReadDocument.paragraphs
    start: int  # offset of the number inside the paragraph text


@lru_cache(maxsize=1)
def lexicon() -> list[tuple[str, str]]:
    """(label, concept) pairs, longest label first."""
    data = yaml.safe_load((CATALOG / "concepts.yaml").read_text(encoding="utf-8"))
    pairs = [(label, concept) for concept, labels in data["concepts"].items() for label in labels]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _label_before(text: str, start: int) -> str:
    """The words between the previous clause break and the number."""
    window = text[max(0, start - 40): start]
    parts = _CLAUSE_BREAK.split(window)
    label = parts[-1] if parts else window
    # "一般公共预算 8641.20 万元（财政拨款": an opening bracket never closed starts a new label.
    for bracket, closing in (("（", "）"), ("(", ")")):
        cut = label.rfind(bracket)
        if cut >= 0 and closing not in label[cut:]:
            label = label[cut + 1:]
    label = re.sub(r"^\s*(?:\d{4}\s*年度?|[一二三四五六七八九十]+、|\d+[.、])\s*", "", label)
    return label.strip()


def _concept(label: str) -> str:
    core = _LABEL_TAIL.sub("", label).strip() or label
    for candidate in (label, core):
        for word, concept in lexicon():
            if candidate.endswith(word) or candidate == word:
                return concept
    return ""


def read_facts(paragraphs: list[Paragraph]) -> list[Fact]:
    facts: list[Fact] = []
    for index, paragraph in enumerate(paragraphs):
        for mention in find_amounts(paragraph.text):
            if mention.number.unit == "%":
                continue
            label = _label_before(paragraph.text, mention.start)
            if not label or len(label) > 30:
                continue
            facts.append(Fact(_concept(label), label, mention.number, paragraph.line_at(mention.start), index,
                              mention.start))
    return facts
