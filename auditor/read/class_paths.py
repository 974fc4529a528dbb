"""Classification paths in prose: "卫生健康支出（类）计划生育事务（款）计划生育服务（项）".

Budget explanations (the Shanghai style among others) name each function code they explain by
its 类, 款 and 项 names, each followed by its level in brackets. This reader finds those chains
of two or three levels in order; `narrative.class_path` checks that the names nest as the
classification says. A name may hold a bracketed part of its own ("党委办公厅（室）及相关机构事务"):
only 类 / 款 / 项 in brackets close a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model import Paragraph

LEVELS = ("类", "款", "项")

# one name and its level: a run of name characters (and brackets that are not a level), then the
# level in full- or half-width brackets; a name is at most 40 pieces long, so a long run of text
# without a level costs linear time, not quadratic
_UNIT = re.compile(
    r"(?P<name>(?:[\u4e00-\u9fff、]|[（(](?![类款项][）)])[\u4e00-\u9fff、]{1,6}[）)]){1,40}?)"
    r"[（(](?P<level>[类款项])[）)]"
)


@dataclass(frozen=True)
class ClassPath:
    """One chain of names with their levels, as printed."""

    line: int
    text: str  # the chain as printed
    names: tuple[tuple[str, str], ...]  # (level, name), in order: 类 before 款 before 项


def read_class_paths(paragraphs: list[Paragraph]) -> list[ClassPath]:
    out: list[ClassPath] = []
    for paragraph in paragraphs:
        text = paragraph.text
        if "（类）" not in text and "(类)" not in text:
            continue
        chain: list[re.Match[str]] = []
        for m in _UNIT.finditer(text):
            if chain and (m.start() != chain[-1].end() or
                          LEVELS.index(m["level"]) <= LEVELS.index(chain[-1]["level"])):
                _close(out, paragraph, text, chain)
                chain = []
            chain.append(m)
        _close(out, paragraph, text, chain)
    return out


def _close(out: list[ClassPath], paragraph: Paragraph, text: str, chain: list[re.Match[str]]) -> None:
    """Keep a chain of two or more levels that starts at a 类."""
    if len(chain) < 2 or chain[0]["level"] != "类":
        return
    start, end = chain[0].start(), chain[-1].end()
    while text[start] == "、":  # a list separator before the path ("…；、教育支出（类）…")
        start += 1
    out.append(ClassPath(line=paragraph.line_at(start), text=text[start:end],
                         names=tuple((m["level"], m["name"].lstrip("、")) for m in chain)))
