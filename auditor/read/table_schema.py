"""Table schemas (checks/catalog/tables/, one file per kind): title aliases, roles and sum relations.

A schema is data (DESIGN §10, pandera-like): which titles name a table kind, which header
paths or row labels play which role, and which roles sum to which. This module loads the kind
files (checks/catalog/tables/README.md describes them) and matches titles; `auditor.read.tables`
turns matched roles into `Relation`s.

Loading refuses a broken kind file with its name and key (CatalogError): a file that breaks a
rule of `schema.json`, names a shared set `_shared.yaml` lacks, has a relation whose role is not
a role of the kind, or repeats another kind's `match_order`. A typo then fails loudly instead of
silently dropping a check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.catalog import CatalogError, read_yaml_mapping
from auditor.numbers import translator
from auditor.schema_subset import SchemaViolation, validate

TABLES_DIR = Path(__file__).resolve().parents[2] / "checks" / "catalog" / "tables"
SHARED_FILE = "_shared.yaml"
FORMAT_FILE = "schema.json"
# kind-file key -> the section of _shared.yaml a string value names
_SHARED_SECTIONS = {"roles": "roles", "relations": "relations", "breakdown": "breakdowns"}

_QUOTES = str.maketrans({'"': "“", "'": "“", "〝": "“", "〞": "”", "＂": "“", "「": "“", "」": "”"})
# most labels hold no quote: one regex scan instead of a dict lookup per character
_fold_quotes = translator(_QUOTES)
# Outline numbering in front of a row label: 一、 （一） 1、 1. （1） ① and a leading 其中：
_NUMBERING = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[①-⑳])\s*"
)


@lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """Header / label text without the spaces wrapping left inside cells ("合 计" -> "合计")."""
    # "".join(split()) drops the same characters as re.sub(r"\s+", "") (both test str.isspace),
    # without the regex engine trying a match at every character of a label that has no space
    return _fold_quotes("".join((text or "").split())).replace("（", "(").replace("）", ")")


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


def _fix_on_keys(relations: Any) -> Any:
    """YAML 1.1 reads a bare `on:` key as the boolean True; the files mean the word."""
    if not isinstance(relations, list):
        return relations
    return [{("on" if key is True else key): value for key, value in item.items()} if isinstance(item, dict)
            else item for item in relations]


def read_kind_file(path: Path) -> dict[str, Any]:
    """One kind file as written (shared set names unresolved), `on:` keys read as the word."""
    data = read_yaml_mapping(path)
    if "relations" in data:
        data["relations"] = _fix_on_keys(data["relations"])
    return data


def read_shared(folder: Path) -> dict[str, Any]:
    """`_shared.yaml` of `folder`: roles / relations / breakdowns sets by name (none if absent)."""
    path = folder / SHARED_FILE
    if not path.exists():
        return {}
    data = read_yaml_mapping(path)
    data["relations"] = {name: _fix_on_keys(rels) for name, rels in (data.get("relations") or {}).items()}
    return data


def kind_files(folder: Path) -> list[Path]:
    """The kind files of `folder` (every *.yaml but the `_`-prefixed shared ones), by name."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> None:
    try:
        validate(value, schema, root)
    except SchemaViolation as exc:
        raise CatalogError(f"{where}: {exc}") from None


def _relation_roles(spec: dict[str, Any], where: str) -> None:
    roles = set(spec["roles"])
    for i, item in enumerate(spec["relations"]):
        relation = parse_relation(item["rule"] if isinstance(item, dict) else item)
        for role in (relation.whole, *relation.parts):
            if role not in roles:
                raise CatalogError(f"{where}: relations[{i}]: role {role!r} of {relation.text!r} is not a role "
                                   f"of this kind ({', '.join(roles)})")


def load_kind_specs(folder: Path = TABLES_DIR) -> list[tuple[str, dict[str, Any]]]:
    """(kind, spec) of every kind file in `folder`, checked and with shared sets resolved, in
    ascending `match_order` (the order `match_kind` tries them)."""
    with (folder / FORMAT_FILE).open(encoding="utf-8") as handle:
        rules = json.load(handle)
    shared = read_shared(folder)
    _check(shared, rules["$defs"]["shared"], rules, SHARED_FILE)
    specs: list[tuple[int, str, dict[str, Any]]] = []
    seen: dict[int, str] = {}
    for path in kind_files(folder):
        spec = read_kind_file(path)
        _check(spec, rules, rules, path.name)
        for key, section in _SHARED_SECTIONS.items():
            name = spec.get(key)
            if isinstance(name, str):
                if name not in (shared.get(section) or {}):
                    raise CatalogError(f"{path.name}: {key}: {SHARED_FILE} has no {section} set {name!r}")
                spec[key] = shared[section][name]
        _relation_roles(spec, path.name)
        order = spec["match_order"]
        if order in seen:
            raise CatalogError(f"{path.name}: match_order: {order} is also the match_order of {seen[order]}")
        seen[order] = path.name
        specs.append((order, path.stem, spec))
    if not specs:
        raise CatalogError(f"{folder}: no table kind files")
    return [(kind, spec) for _, kind, spec in sorted(specs, key=lambda item: item[0])]


@lru_cache(maxsize=4)
def load_schemas(folder: str = str(TABLES_DIR)) -> tuple[Schema, ...]:
    """The table kinds of `folder`, compiled, in match order (CatalogError names a broken file)."""
    out: list[Schema] = []
    for kind, spec in load_kind_specs(Path(folder)):
        relations = []
        for item in spec["relations"]:
            if isinstance(item, dict):
                relations.append(parse_relation(item["rule"], str(item.get("on", ""))))
            else:
                relations.append(parse_relation(item))
        breakdown = spec.get("breakdown") or {}
        out.append(Schema(
            kind=kind,
            source=spec["source"],
            titles=_compile(spec["titles"]),
            header_requires=_compile(spec.get("header_requires")),
            header_excludes=_compile(spec.get("header_excludes")),
            orientation=spec["orientation"],
            sides=int(spec.get("sides", 1)),
            outline=bool(spec.get("outline", False)),
            balance=bool(spec.get("balance", False)),
            roles=[(role, _compile(patterns)) for role, patterns in spec["roles"].items()],
            relations=relations,
            breakdown_wholes=_compile(breakdown.get("wholes")),
            breakdown_parts=_compile(breakdown.get("parts")),
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
