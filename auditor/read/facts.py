"""Prose facts: "label … amount" pairs read from paragraphs, with the concept of the label.

Each amount printed with a unit in the prose ("基本支出 5052.35 万元") becomes a Fact whose
concept comes from the lexicon in checks/catalog/concepts.yaml, or — for a function-class
name such as "社会保障和就业支出" — whose `label` is kept for matching against table rows.

A label matches a lexicon word when it is that word, possibly after a year, the department's
name or a scope word ("2020 年一般公共预算基本支出预算" is 基本支出 in the 一般公共预算 scope, kept
in `Fact.scope`); "其他商品和服务支出" is not 商品和服务支出. An amount whose label says it is a
change ("比上年减少 27 万元"), a unit price or a threshold is not a level: `level` is False and
it has no concept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from auditor.model import Number, Paragraph
from auditor.read.prose_facts import ProseText, prose_text
from auditor.yaml_files import read_yaml_file

CATALOG = Path(__file__).resolve().parents[2] / "checks" / "catalog"
# A label ends where the clause ends; these characters separate clauses in running text.
_CLAUSE_BREAK = re.compile(r"[，。；：、,;:\n]|其中|包括|主要用于|以下方面")
_LABEL_TAIL = re.compile(r"(?:预算总额|预算数|预算|决算数|决算|安排|支出)?\s*(?:为|是|共|共计|合计|达)?\s*$")
# The account a label names by its last word: "…经费支出预算为 49.9 万元，支出决算为 7.69 万元"
# gives the budget, then the final account. 一般公共预算, 政府性基金预算 and 国有资本经营预算 name
# a fund, not an account.
_BUDGET_TAIL = re.compile(r"(?<!公共|基金|经营)(?:年初|调整后|全年)?预算(?:总额|数)?\s*(?:为|是|共|共计|合计|达)?\s*$")
_FINAL_TAIL = re.compile(r"决算数?\s*(?:为|是|共|共计|合计|达)?\s*$")
_SCOPE_WORD = re.compile(r"^(?:一般公共预算(?:财政拨款)?|财政拨款|政府性基金(?:预算)?|国有资本经营(?:预算)?)")
_OPEN = {"（": "）", "(": ")"}
_HEADING_GLUE = re.compile(r"^.*(?:说明|情况)(?=\s*\d{4}\s*年)")


@dataclass(frozen=True)
class Fact:
    concept: str  # lexicon concept, or "" when only the label is known
    label: str  # the label as printed, cleaned of its year prefix
    number: Number
    line: int
    paragraph: int  # index into ReadDocument.paragraphs
    start: int  # offset of the number inside the paragraph text
    scope: str = ""  # a scope word in front of the lexicon word ("一般公共预算"), "" when none
    core: str = ""  # the label without year, department and scope prefixes
    level: bool = True  # False for a change, a unit price or a threshold ("比上年减少 27 万元")
    parent: str = ""  # concept of the amount whose brackets hold this one ("一般公共预算 X（财政拨款 Y")
    end: int = 0  # offset just after the amount and its unit
    basis: str = ""  # "budget" / "final" when the label ends by naming the account ("…预算为"), else ""


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, str]  # label -> concept
    prefixes: tuple[re.Pattern[str], ...]
    contextual: dict[str, dict[str, str]]
    within: dict[str, dict[str, str]]
    not_a_level: tuple[str, ...]


@lru_cache(maxsize=1)
def _load() -> _Lexicon:
    data = read_yaml_file(CATALOG / "concepts.yaml")
    words: dict[str, str] = {}
    for concept, labels in data["concepts"].items():
        for label in labels:
            words.setdefault(label, concept)
    return _Lexicon(
        words=words,
        prefixes=tuple(re.compile(p) for p in data.get("prefixes") or []),
        contextual={k: dict(v) for k, v in (data.get("contextual") or {}).items()},
        within={k: dict(v) for k, v in (data.get("within") or {}).items()},
        not_a_level=tuple(data.get("not_a_level") or []),
    )


@lru_cache(maxsize=1)
def lexicon() -> list[tuple[str, str]]:
    """(label, concept) pairs, longest label first."""
    return sorted(_load().words.items(), key=lambda p: -len(p[0]))


def cut_unclosed_bracket(label: str) -> str:
    """"一般公共预算 8641.20 万元（财政拨款": an opening bracket never closed starts a new label."""
    for bracket, closing in (("（", "）"), ("(", ")")):
        cut = label.rfind(bracket)
        if cut >= 0 and closing not in label[cut:]:
            label = label[cut + 1:]
    return label


# a year or an item number opening a label (asked for every amount of every paragraph)
_LABEL_OPENER = re.compile(r"^\s*(?:\d{4}\s*年度?|[一二三四五六七八九十]+、|\d+[.、])\s*")


def _label_before(text: str, start: int) -> str:
    """The words between the previous clause break and the number."""
    window = text[max(0, start - 40): start]
    parts = _CLAUSE_BREAK.split(window)
    label = parts[-1] if parts else window
    label = cut_unclosed_bracket(label)
    # A heading glued to its first sentence ("（三）…情况说明2020 年一般公共预算…"): the label
    # starts after the heading.
    label = _HEADING_GLUE.sub("", label)
    label = _LABEL_OPENER.sub("", label)
    return label.strip()


def strip_prefixes(label: str) -> tuple[str, str]:
    """(the label without year / department / scope prefixes, the scope word found or "")."""
    rest, scope = label.strip(), ""
    changed = True
    while changed and rest:
        changed = False
        for pattern in _load().prefixes:
            m = pattern.match(rest)
            if m and m.end() and m.end() < len(rest):
                scope_match = _SCOPE_WORD.match(m.group(0))
                if scope_match and not scope:
                    scope = scope_match.group(0)
                rest = rest[m.end():].strip()
                changed = True
                break
    return rest, scope


def _tail(label: str) -> str:
    return _LABEL_TAIL.sub("", label).strip() or label


def concept_of(label: str) -> tuple[str, str, str]:
    """(concept, scope word, core label) of a prose label; concept "" when the lexicon has none."""
    words = _load().words
    for candidate in (label, _tail(label)):
        if candidate in words:
            return words[candidate], "", candidate
    rest, scope = strip_prefixes(label)
    for candidate in (rest, _tail(rest)):
        if candidate in words:
            return words[candidate], scope, candidate
    return "", scope, rest


def _concept(label: str) -> str:
    return concept_of(label)[0]


def basis_of(label: str) -> str:
    """ "budget" for a label that ends by naming the budget ("三公经费支出预算为"), "final" for
    one that names the final account ("支出决算为"), else ""."""
    if _BUDGET_TAIL.search(label):
        return "budget"
    if _FINAL_TAIL.search(label):
        return "final"
    return ""


def is_level(label: str) -> bool:
    """False when the label makes the amount a change, a unit price or a threshold."""
    return not any(word in label for word in _load().not_a_level)


class _Brackets:
    """The bracket still open at an offset of one text (in the same sentence), or -1, for
    increasing offsets in one pass: the scan resumes where the last call stopped (a sentence of
    2,800 amounts was quadratic when each call rescanned the sentence)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.depth: list[int] = []

    def open_at(self, start: int) -> int:
        if start < self.cursor:  # out of order: start again
            self.cursor, self.depth = 0, []
        text, depth = self.text, self.depth
        for i in range(self.cursor, start):
            ch = text[i]
            if ch in ("。", "；"):
                depth.clear()
            elif ch in _OPEN:
                depth.append(i)
            elif ch in ("）", ")") and depth:
                depth.pop()
        self.cursor = start
        return depth[-1] if depth else -1


_YEAR_IN = re.compile(r"\d{4}\s*年度?")


def _long_label_ok(label: str) -> bool:
    """A long label is kept when a department and year prefix make it long and the rest is a
    lexicon word ("九华山……局2019年度一般公共预算财政拨款“三公”经费支出预算为")."""
    if len(label) > 60:
        return False
    m = _YEAR_IN.search(label)
    return m is not None and len(label) - m.end() <= 30 and bool(concept_of(label[m.end():])[0])


def read_facts(paragraphs: list[Paragraph]) -> list[Fact]:
    prose = prose_text(paragraphs)  # the document's tokens, shared with the rate reader
    if prose.facts is None:  # the readers and rules that need labelled amounts share one reading
        prose.facts = _read_facts(paragraphs, prose)
    return list(prose.facts)


def _read_facts(paragraphs: list[Paragraph], prose: ProseText) -> list[Fact]:
    lex = _load()
    facts: list[Fact] = []
    for index, paragraph in enumerate(paragraphs):
        mine: list[Fact] = []
        family = ""  # income / expense: the family of the paragraph's first resolved amount
        brackets = _Brackets(paragraph.text)
        subjects = prose.subject_labels(index)  # "收、支总计各是 A,B 万元": each value named by its subject
        for mention in prose.mentions[index]:
            if mention.number.unit == "%":
                continue
            label = subjects.get(mention.start) or _label_before(paragraph.text, mention.start)
            if label and len(label) > 30 and _long_label_ok(label):
                label = re.sub(r"^度", "", label[_YEAR_IN.search(label).end():])  # type: ignore[union-attr]
            if not label or len(label) > 30:
                continue
            level = is_level(label)
            concept, scope, core = concept_of(label) if level else ("", "", label)
            if level and not concept and core in lex.contextual and family:
                concept = lex.contextual[core].get(family, "")
            parent = ""
            bracket = brackets.open_at(mention.start)
            if bracket >= 0:
                before = [f for f in mine if f.end <= bracket and not paragraph.text[f.end:bracket].strip()]
                if before:
                    parent = before[-1].concept
                    concept = lex.within.get(parent, {}).get(concept, concept)
            if concept and not family:
                family = concept.split(".", 1)[0] if concept.split(".", 1)[0] in ("income", "expense") else ""
            fact = Fact(concept, label, mention.number, paragraph.line_at(mention.start), index, mention.start,
                        scope=scope, core=core, level=level, parent=parent, end=mention.end,
                        basis=basis_of(label))
            mine.append(fact)
        facts.extend(mine)
    return facts
