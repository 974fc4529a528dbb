"""Indicator frameworks as data (checks/catalog/indicator_taxonomy.yaml) and framework detection.

A framework knows its 一级 names, its 二级 names with their parent 一级, and (for the evaluation
framework) fixed 三级 names, each with aliases. Names are compared after removing whitespace
and markup, so "满意 度指 标" (a PDF cell wrapped inside a word) is "满意度指标".

Detection looks at the names a set prints and where it prints them (一级 column, 二级 column, or
unknown) and picks the framework that explains them best; with no evidence it returns "".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from auditor.yaml_files import read_yaml_file

TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "checks" / "catalog" / "indicator_taxonomy.yaml"
# Tie-break order: the more general framework first.
ORDER = ("std2015", "mof2021", "henan", "dept", "eval2020")

_SPACE = re.compile(r"[\s\u3000]+")


@lru_cache(maxsize=16384)
def norm(name: str) -> str:
    """The comparison key of a printed name: no whitespace, full-width brackets folded."""
    return _SPACE.sub("", name or "").replace("（", "(").replace("）", ")")


@dataclass
class Framework:
    key: str
    title: str
    source: str
    title_zh: str = ""  # the framework's name in Chinese messages
    level1: dict[str, str] = field(default_factory=dict)  # norm name/alias -> canonical 一级
    level2: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # alias -> [(二级, 一级)]
    level3: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias -> (二级, 一级)
    structure: dict[str, list[str]] = field(default_factory=dict)  # canonical 一级 -> canonical 二级s
    # printed 二级 -> parent_of(): asked for every 二级 row of a set
    _parents: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def l1(self, name: str) -> str:
        """Canonical 一级 for a printed name, or ""."""
        return self.level1.get(norm(name), "")

    def l2(self, name: str, parent: str = "") -> str:
        """Canonical 二级 for a printed name (under `parent` when given and known), or ""."""
        options = self.level2.get(norm(name), [])
        if not options:
            return ""
        if parent:
            p = self.l1(parent) or parent
            for l2, l1 in options:
                if l1 == p:
                    return l2
        return options[0][0]

    def parent_of(self, level2: str) -> str:
        """The canonical 一级 of a 二级 name when it has exactly one parent, else ""."""
        parent = self._parents.get(level2)
        if parent is None:
            parents = {l1 for _, l1 in self.level2.get(norm(level2), [])}
            parent = self._parents[level2] = next(iter(parents)) if len(parents) == 1 else ""
        return parent

    def is_l1(self, name: str) -> bool:
        return norm(name) in self.level1

    def is_l2(self, name: str) -> bool:
        return norm(name) in self.level2


@dataclass
class Taxonomy:
    frameworks: dict[str, Framework]
    total_labels: tuple[str, ...]
    lower_is_better: tuple[str, ...] = ()  # name endings of 反向 indicators

    def lower_better(self, name: str) -> bool:
        """A 反向 indicator: less is better, so a bare target is an upper bound."""
        return norm(name).endswith(self.lower_is_better) if self.lower_is_better else False

    # The level names of all frameworks together: one set lookup where asking each framework costs
    # a normalisation and a lookup per framework (asked for most cells of an indicator table).
    @cached_property
    def level1_names(self) -> frozenset[str]:
        return frozenset(name for fw in self.frameworks.values() for name in fw.level1)

    @cached_property
    def level2_names(self) -> frozenset[str]:
        return frozenset(name for fw in self.frameworks.values() for name in fw.level2)

    def any_l1(self, name: str) -> bool:
        return norm(name) in self.level1_names

    def any_l2(self, name: str) -> bool:
        return norm(name) in self.level2_names

    def is_total(self, name: str) -> bool:
        return norm(name).startswith(self.total_labels)

    def detect(self, names: Iterable[tuple[str, int | None]], pairs: Iterable[tuple[str, str]] = ()) -> str:
        """The framework that best explains the printed names.

        `names`: (name, slot) with slot 1 (printed in the 一级 column), 2 (二级 column) or None
        (position unknown). `pairs`: (一级, 二级) printed side by side. A name in the 一级 column
        scores 2 when the framework has it as 一级 and -1 when only as 二级 (and the reverse for
        the 二级 column); a name of unknown position scores 2 as 一级, 1 as 二级; a known pair
        scores 1; a level name that another framework knows but this one does not costs 1. Returns "" when no framework explains at least one 一级 name.
        """
        level1_names, level2_names = self.level1_names, self.level2_names
        # A name no framework knows, or a pair whose 一级 no framework knows, scores 0 in every
        # framework: only the rest are weighed (most cells of a table are indicator names and values).
        distinct = {(key, slot) for n, slot in names
                    if n and n.strip() and ((key := norm(n)) in level1_names or key in level2_names)}
        pair_set = {(key, norm(b)) for a, b in pairs if a and b and (key := norm(a)) in level1_names}
        # level names some framework knows: a framework that does not know one of them loses a point
        known_somewhere = {name for name, _ in distinct}
        best, best_score = "", 0
        for key in ORDER:
            fw = self.frameworks.get(key)
            if fw is None:
                continue
            score = 0
            l1_hits = 0
            for name, slot in distinct:
                in1, in2 = name in fw.level1, name in fw.level2
                if slot == 1:
                    score += 2 if in1 else (-1 if in2 else 0)
                elif slot == 2:
                    score += 1 if in2 else (-1 if in1 else 0)
                else:
                    score += 2 if in1 else (1 if in2 else 0)
                l1_hits += in1 and slot != 2
            score -= sum(1 for name in known_somewhere if name not in fw.level1 and name not in fw.level2)
            for a, b in pair_set:
                if a in fw.level1 and any(l1 == fw.level1[a] for _, l1 in fw.level2.get(b, [])):
                    score += 1
            if l1_hits == 0 and not any(slot == 2 and name in fw.level2 for name, slot in distinct):
                continue
            if score > best_score:
                best, best_score = key, score
        return best


def taxonomy_data(path: str | None = None) -> dict[str, Any]:
    """The raw taxonomy YAML (frameworks plus the indicator-rule data: slots, cues, required …),
    parsed once for both its readers (the frameworks below and auditor.read.value_form's cues)."""
    # keyed by the resolved path: taxonomy_data() and taxonomy_data(None) are one cache entry
    return _parsed(str(path or TAXONOMY_PATH))


@lru_cache(maxsize=2)
def _parsed(path: str) -> dict[str, Any]:
    return read_yaml_file(path) or {}


@lru_cache(maxsize=4)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    data = taxonomy_data(path)
    frameworks: dict[str, Framework] = {}
    for key, spec in (data.get("frameworks") or {}).items():
        fw = Framework(key=key, title=spec.get("title", ""), source=spec.get("source", ""),
                       title_zh=spec.get("title_zh", spec.get("title", "")))
        for one in spec.get("level1") or []:
            l1 = one["name"]
            fw.structure[l1] = []
            for alias in [l1, *(one.get("aliases") or [])]:
                fw.level1.setdefault(norm(alias), l1)
            for two in one.get("level2") or []:
                l2 = two["name"]
                fw.structure[l1].append(l2)
                for alias in [l2, *(two.get("aliases") or [])]:
                    options = fw.level2.setdefault(norm(alias), [])
                    if (l2, l1) not in options:
                        options.append((l2, l1))
                for three in two.get("level3") or []:
                    fw.level3.setdefault(norm(three), (l2, l1))
        frameworks[key] = fw
    return Taxonomy(frameworks=frameworks, total_labels=tuple(data.get("total_labels") or ()),
                    lower_is_better=tuple(data.get("lower_is_better") or ()))
