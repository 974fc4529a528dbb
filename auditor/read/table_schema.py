"""Table schemas (checks/catalog/table_schemas.yaml): title aliases, roles and sum relations.

A schema is data (DESIGN §10, pandera-like): which titles name a table kind, which header
paths or row labels play which role, and which roles sum to which. This module only loads and
matches; `auditor.read.tables` turns matched roles into `Relation`s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "checks" / "catalog" / "table_schemas.yaml"

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({'"': "“", "'": "“", "〝": "“", "〞": "”", "＂": "“", "「": "“", "」": "”"})
# Outline numbering in front of a row label: 一、 （一） 1、 1. （1） ① and a leading 其中：
_NUMBERING = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[①-⑳])\s*"
)


@lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """Header / label text without the spaces wrapping left inside cells ("合 计" -> "合计")."""
    return _SPACE.sub("", text or "").translate(_QUOTES).replace("（", "(").replace("）", ")")


def strip_numbering(label: str) -> str:
    s = norm(label)
    while True:
        m = _NUMBERING.match(s)
        if not m or not m.group(0):
            return s
        s = s[m.end():]


@dataclass(frozen=True)
class RelationSpec:
    whole: str
    parts: tuple[str, ...]
    optional: frozenset[str]
    on: str = ""  # "" (the kind's orientation), "rows" or "columns"
    text: str = ""


@dataclass
class Schema:
    kind: str
    source: str = ""
    titles: list[re.Pattern[str]] = field(default_factory=list)
    header_requires: list[re.Pattern[str]] = field(default_factory=list)
    header_excludes: list[re.Pattern[str]] = field(default_factory=list)
    orientation: str = "columns"
    sides: int = 1
    outline: bool = False
    balance: bool = False
    roles: list[tuple[str, list[re.Pattern[str]]]] = field(default_factory=list)
    relations: list[RelationSpec] = field(default_factory=list)
    # a balance row's per-fund split printed below it (公开04): labels of the balance, of its parts
    breakdown_wholes: list[re.Pattern[str]] = field(default_factory=list)
    breakdown_parts: list[re.Pattern[str]] = field(default_factory=list)

    def role_of(self, text: str) -> str:
        """The first role whose pattern matches `text` (a header path "a/b" or a row label)."""
        for role, patterns in self.roles:
            if any(p.search(text) for p in patterns):
                return role
        return ""


def parse_relation(text: str, on: str = "") -> RelationSpec:
    left, _, right = text.partition("=")
    parts: list[str] = []
    optional: set[str] = set()
    for raw in right.split("+"):
        name = raw.strip()
        if name.endswith("?"):
            name = name[:-1].strip()
            optional.add(name)
        if name:
            parts.append(name)
    return RelationSpec(left.strip(), tuple(parts), frozenset(optional), on, text.strip())


def _compile(items: list[str] | None) -> list[re.Pattern[str]]:
    return [re.compile(item) for item in items or []]


@lru_cache(maxsize=4)
def load_schemas(path: str = str(SCHEMA_PATH)) -> tuple[Schema, ...]:
    with open(path, encoding="utf-8") as handle:
        # The C loader when PyYAML has it (same safe semantics as yaml.safe_load, ~10x faster).
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(handle, Loader=loader) or {}  # noqa: S506 - a safe loader
    out: list[Schema] = []
    for kind, spec in (data.get("kinds") or {}).items():
        relations = []
        for item in spec.get("relations") or []:
            if isinstance(item, dict):
                # YAML 1.1 reads a bare `on:` key as the boolean True
                relations.append(parse_relation(item["rule"], str(item.get("on", item.get(True, "")))))
            else:
                relations.append(parse_relation(item))
        out.append(Schema(
            kind=kind,
            source=spec.get("source", ""),
            titles=_compile(spec.get("titles")),
            header_requires=_compile(spec.get("header_requires")),
            header_excludes=_compile(spec.get("header_excludes")),
            orientation=spec.get("orientation", "columns"),
            sides=int(spec.get("sides", 1)),
            outline=bool(spec.get("outline", False)),
            balance=bool(spec.get("balance", False)),
            roles=[(role, _compile(patterns)) for role, patterns in (spec.get("roles") or {}).items()],
            relations=relations,
            breakdown_wholes=_compile((spec.get("breakdown") or {}).get("wholes")),
            breakdown_parts=_compile((spec.get("breakdown") or {}).get("parts")),
        ))
    return tuple(out)


def schema_for(kind: str) -> Schema | None:
    for schema in load_schemas():
        if schema.kind == kind:
            return schema
    return None


def match_kind(title: str, header_text: str) -> Schema | None:
    """The schema whose title aliases match `title` (决算 titles only match final.* kinds)."""
    t = norm(title)
    if not t:
        return None
    final = "决算" in t
    for schema in load_schemas():
        if schema.kind.startswith("final.") != final:
            continue
        if not any(p.search(t) for p in schema.titles):
            continue
        if schema.header_requires and not all(p.search(header_text) for p in schema.header_requires):
            continue
        if any(p.search(header_text) or p.search(t) for p in schema.header_excludes):
            continue
        return schema
    return None
