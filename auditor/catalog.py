"""Classification-code catalog: loads the data in ``checks/catalog/`` (DESIGN §2, DOMAIN §2).

The data files are plain CSV/YAML with their source noted per row (see ``checks/catalog/SOURCES.md``):

* ``func_codes.csv``         支出功能分类 类/款/项, with validity years and historical names;
* ``econ_dept.csv``          部门预算支出经济分类 (3xx), 2018+;
* ``econ_dept_pre2018.csv``  the pre-2018 economic items whose codes meant something else;
* ``econ_gov.csv``           政府预算支出经济分类 (5xx);
* ``econ_map.csv``           3xx -> 5xx by unit type (行政 = 行政/参公/机关, 事业);
* ``econ_columns.yaml``      economic class -> column role, 人员/公用经费 groups, 三公 codes;
* ``cross_links.yaml``       soft function <-> economic links.

Use :func:`load_catalog` (loaded once, cached). Lookups accept codes as ``"2010301"``,
``"201 03 01"``, ``"201-03-01"`` or ints; only the digits are kept.

Year semantics: a row applies to a fiscal year when ``valid_from <= year <= valid_to`` (an empty
bound is open). ``year=None`` means "current": the open-ended row, else the latest one. Economic
(3xx) lookups use the pre-2018 list for years before 2018 and *do not* fall back to the 2018+ list,
because the same code meant different things (30212 出国费 vs 因公出国(境)费用); a code missing from
the partial pre-2018 list is therefore unknown for those years.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from auditor.yaml_files import read_yaml_file

Status = Literal["confirmed", "recalled", "unverified"]
UnitType = Literal["行政", "事业"]
NameMatch = Literal["match", "alias", "mismatch", "unknown"]

STATUSES: frozenset[str] = frozenset({"confirmed", "recalled", "unverified"})
FUNC_LEVELS: dict[str, int] = {"类": 3, "款": 5, "项": 7}
ECON_LEVELS: dict[str, int] = {"类": 3, "款": 5}
ECON_REFORM_YEAR = 2018  # 财预〔2017〕98号: the 3xx/5xx two-set system starts with fiscal 2018

CODE_COLUMNS = ("code", "level", "name", "parent", "valid_from", "valid_to", "aliases", "status", "source")
MAP_COLUMNS = ("dept_code", "unit_type", "gov_code", "status", "source")

_UNIT_TYPES: dict[str, UnitType] = {"行政": "行政", "参公": "行政", "机关": "行政", "事业": "事业"}


class CatalogError(ValueError):
    """A catalog data file is malformed (the message names the file and line)."""


@dataclass(frozen=True)
class CodeEntry:
    """One row of a code list: a code's name during [valid_from, valid_to]."""

    code: str
    level: str  # 类 | 款 | 项
    name: str
    parent: str | None
    valid_from: int | None
    valid_to: int | None
    aliases: tuple[str, ...]
    status: Status
    source: str

    def valid_in(self, year: int | None) -> bool:
        """True if this row applies to fiscal ``year`` (``None`` = any year)."""
        if year is None:
            return True
        if self.valid_from is not None and year < self.valid_from:
            return False
        return not (self.valid_to is not None and year > self.valid_to)


@dataclass(frozen=True)
class MapEntry:
    """One 部门预算 (3xx) -> 政府预算 (5xx) correspondence for a unit type."""

    dept_code: str
    unit_type: UnitType
    gov_code: str
    status: Status
    source: str


@dataclass(frozen=True)
class CrossLink:
    """A soft link: Σ economic codes usually equals Σ function codes (5-digit func = all its 项)."""

    econ: tuple[str, ...]
    func: tuple[str, ...]
    label: str
    strength: str
    seed_001: str | None


# --------------------------------------------------------------------------- normalisation

_BRACKETS = str.maketrans(
    {"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"}
)
_SPACE = re.compile(r"\s+")
_LEADING = re.compile(r"^(?:其中[:]?|\d+(?:[、.)]|(?=[^\d]))|\(\d+\)|[一二三四五六七八九十]+、)+")
_UNIT_SUFFIX = re.compile(r"[_\-－—](?:行政|事业|参公)$")
_PUNCT = re.compile(r"[_·•、,，。.:;；\"'“”‘’「」『』《》\-－—–~～]")


def normalize_code(code: str | int) -> str:
    """Keep only the digits of a printed code ("201 03 01" -> "2010301")."""
    return "".join(ch for ch in str(code) if ch.isdigit())


@functools.lru_cache(maxsize=8192)  # asked of every row label by several readers and rules
def normalize_name(name: str) -> str:
    """Canonical form of a printed name for comparison.

    NFKC (full-width -> ASCII, so （） become ()), other brackets -> (), whitespace removed, a
    leading "其中：", enumeration ("1、", "(1)", "一、") or printed code removed, a trailing unit-type
    suffix ("_行政", "_事业", "_参公") removed, then punctuation removed. Parentheses are kept:
    "资本性支出（一）" and "资本性支出（二）" are different names.
    """
    s = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    s = _SPACE.sub("", s)
    s = _LEADING.sub("", s)
    s = _UNIT_SUFFIX.sub("", s)
    return _PUNCT.sub("", s)


def strip_qualifier(norm: str) -> str | None:
    """Drop one trailing parenthesised qualifier from a normalised name, or None if there is none.

    "行政运行(政府办公厅(室)及相关机构事务)" -> "行政运行" (nested brackets are balanced).
    Returns None when the name does not end in ")" or the qualifier is the whole name.
    """
    if not norm.endswith(")"):
        return None
    depth = 0
    for i in range(len(norm) - 1, -1, -1):
        ch = norm[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                return norm[:i] or None
    return None


# --------------------------------------------------------------------------- file reading


def _catalog_dir() -> Path:
    """The ``checks/catalog`` directory (package data of the ``checks`` package)."""
    from importlib import resources  # local import: importlib.resources is slow to import

    return Path(str(resources.files("checks").joinpath("catalog")))


def _opt_int(text: str, where: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise CatalogError(f"{where}: year {text!r} is not an integer") from exc


def read_code_csv(path: Path, levels: dict[str, int]) -> list[CodeEntry]:
    """Read a code list CSV (columns ``CODE_COLUMNS``) and check each row's shape."""
    entries: list[CodeEntry] = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != CODE_COLUMNS:
            raise CatalogError(f"{path.name}: header {reader.fieldnames} != {list(CODE_COLUMNS)}")
        for lineno, row in enumerate(reader, start=2):
            where = f"{path.name}:{lineno}"
            code, level, status = row["code"].strip(), row["level"].strip(), row["status"].strip()
            if level not in levels or not code.isdigit() or len(code) != levels[level]:
                raise CatalogError(f"{where}: code {code!r} does not fit level {level!r}")
            if status not in STATUSES:
                raise CatalogError(f"{where}: status {status!r} not in {sorted(STATUSES)}")
            if not row["name"].strip():
                raise CatalogError(f"{where}: empty name")
            aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
            entries.append(
                CodeEntry(
                    code=code,
                    level=level,
                    name=row["name"].strip(),
                    parent=row["parent"].strip() or None,
                    valid_from=_opt_int(row["valid_from"], where),
                    valid_to=_opt_int(row["valid_to"], where),
                    aliases=aliases,
                    status=status,  # type: ignore[arg-type]
                    source=row["source"].strip(),
                )
            )
    return entries


def read_map_csv(path: Path) -> list[MapEntry]:
    """Read ``econ_map.csv`` (columns ``MAP_COLUMNS``)."""
    out: list[MapEntry] = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != MAP_COLUMNS:
            raise CatalogError(f"{path.name}: header {reader.fieldnames} != {list(MAP_COLUMNS)}")
        for lineno, row in enumerate(reader, start=2):
            unit = row["unit_type"].strip()
            status = row["status"].strip()
            if unit not in ("行政", "事业") or status not in STATUSES:
                raise CatalogError(f"{path.name}:{lineno}: bad unit_type {unit!r} or status {status!r}")
            out.append(
                MapEntry(
                    dept_code=row["dept_code"].strip(),
                    unit_type=unit,  # type: ignore[arg-type]
                    gov_code=row["gov_code"].strip(),
                    status=status,  # type: ignore[arg-type]
                    source=row["source"].strip(),
                )
            )
    return out


def safe_yaml(source: str | IO[str]) -> Any:
    """YAML text or stream parsed with the safe loader, in C when PyYAML has it (libyaml).

    Same safe semantics as ``yaml.safe_load``; the C parser is ~10x faster, which matters for a
    cold ``auditor check`` that loads every catalog file once.
    """
    import yaml  # local import keeps `import auditor.catalog` cheap

    return yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """A catalog YAML file whose top level is a mapping (CatalogError names the file otherwise)."""
    data = read_yaml_file(path)
    if not isinstance(data, dict):
        raise CatalogError(f"{path.name}: expected a mapping at the top level")
    return data


def _index(entries: Iterable[CodeEntry]) -> dict[str, tuple[CodeEntry, ...]]:
    out: dict[str, list[CodeEntry]] = {}
    for e in entries:
        out.setdefault(e.code, []).append(e)
    return {k: tuple(v) for k, v in out.items()}


def _pick(rows: tuple[CodeEntry, ...], year: int | None) -> CodeEntry | None:
    """The row for ``year``; for ``None`` the open-ended row with the latest start, else the latest."""
    if not rows:
        return None
    if year is not None:
        for e in rows:
            if e.valid_in(year):
                return e
        return None
    open_rows = [e for e in rows if e.valid_to is None]
    pool = open_rows or list(rows)
    return max(pool, key=lambda e: (e.valid_to or 10_000, e.valid_from or 0))


# --------------------------------------------------------------------------- the catalog


class Catalog:
    """Typed lookups over the classification data. Build with :func:`load_catalog`."""

    def __init__(self, directory: Path | None = None) -> None:
        d = directory or _catalog_dir()
        self.directory = d
        self.func: dict[str, tuple[CodeEntry, ...]] = _index(read_code_csv(d / "func_codes.csv", FUNC_LEVELS))
        self.econ_dept: dict[str, tuple[CodeEntry, ...]] = _index(
            read_code_csv(d / "econ_dept.csv", ECON_LEVELS)
        )
        self.econ_dept_pre2018: dict[str, tuple[CodeEntry, ...]] = _index(
            read_code_csv(d / "econ_dept_pre2018.csv", ECON_LEVELS)
        )
        self.econ_gov: dict[str, tuple[CodeEntry, ...]] = _index(
            read_code_csv(d / "econ_gov.csv", ECON_LEVELS)
        )
        self.econ_map: tuple[MapEntry, ...] = tuple(read_map_csv(d / "econ_map.csv"))
        self._name_index: dict[tuple[int, str], frozenset[str]] | None = None  # codes_named, built on first use
        self._map_index: dict[tuple[str, str], tuple[MapEntry, ...]] = {}
        for m in self.econ_map:
            key = (m.dept_code, m.unit_type)
            self._map_index[key] = (*self._map_index.get(key, ()), m)

        cols = read_yaml_mapping(d / "econ_columns.yaml")
        self._column_roles: dict[str, str] = {str(k): str(v) for k, v in cols["column_roles"].items()}
        self._column_labels: dict[str, tuple[str, ...]] = {
            str(k): tuple(str(x) for x in v) for k, v in cols.get("column_labels", {}).items()
        }
        self._personnel = frozenset(str(c) for c in cols["personnel"])
        self._public = frozenset(str(c) for c in cols["public"])
        self._sangong = {str(k): frozenset(str(c) for c in v) for k, v in cols["sangong"].items()}

        links = read_yaml_mapping(d / "cross_links.yaml")
        self._cross_links = tuple(
            CrossLink(
                econ=tuple(str(c) for c in item["econ"]),
                func=tuple(str(c) for c in item["func"]),
                label=str(item.get("label", "")),
                strength=str(item.get("strength", "usual")),
                seed_001=item.get("seed_001"),
            )
            for item in links["links"]
        )

    # ----------------------------------------------------------------- function classification

    def function_entry(self, code: str | int, year: int | None = None) -> CodeEntry | None:
        """The function-classification row of ``code`` valid in ``year`` (None if unknown then)."""
        return _pick(self.func.get(normalize_code(code), ()), year)

    def function_name(self, code: str | int, year: int | None = None) -> str | None:
        """Official function 类/款/项 name of ``code`` in ``year``, or None."""
        e = self.function_entry(code, year)
        return e.name if e else None

    # ----------------------------------------------------------------- economic classification

    def economic_entry(self, code: str | int, year: int | None = None) -> CodeEntry | None:
        """部门预算 economic (3xx) row for ``year``: pre-2018 list before 2018, else the 2018+ list.

        A 5xx code is looked up in the 政府预算 list instead (that list exists from 2018).
        """
        c = normalize_code(code)
        if c.startswith("5"):
            return self.gov_economic_entry(c, year)
        if year is not None and year < ECON_REFORM_YEAR:
            return _pick(self.econ_dept_pre2018.get(c, ()), year)
        return _pick(self.econ_dept.get(c, ()), year)

    def economic_name(self, code: str | int, year: int | None = None) -> str | None:
        """部门预算 economic name of ``code`` in ``year`` (see :meth:`economic_entry`)."""
        e = self.economic_entry(code, year)
        return e.name if e else None

    def gov_economic_entry(self, code: str | int, year: int | None = None) -> CodeEntry | None:
        """政府预算 economic (5xx) row of ``code`` (None for unknown codes or years before 2018)."""
        return _pick(self.econ_gov.get(normalize_code(code), ()), year)

    def gov_economic_name(self, code: str | int, year: int | None = None) -> str | None:
        """政府预算 economic (5xx) name of ``code``, or None."""
        e = self.gov_economic_entry(code, year)
        return e.name if e else None

    def map_entries(self, code: str | int, unit_type: str) -> tuple[MapEntry, ...]:
        """The 3xx -> 5xx rows of an economic 款 for a unit type (with their status and source)."""
        return self._map_index.get((normalize_code(code), _unit(unit_type)), ())

    def map_dept_to_gov(self, code: str | int, unit_type: str) -> set[str]:
        """政府预算 codes a 部门预算 economic code maps to for ``unit_type`` (行政/参公/机关 or 事业).

        For a 款 (30101) the result holds 5xx 款 (or a 5xx 类 where DOMAIN gives only the 类, e.g.
        311 -> 508). For a 类 (301) it holds the 5xx 类 its items map to ({"501"} for 行政,
        {"505"} for 事业). More than one element means alternatives (303 事业: 509xx or 50599).
        Empty set for unknown codes.
        """
        c, u = normalize_code(code), _unit(unit_type)
        if len(c) == 3:
            return {m.gov_code[:3] for m in self.econ_map if m.unit_type == u and m.dept_code.startswith(c)}
        return {m.gov_code for m in self._map_index.get((c, u), ())}

    # ----------------------------------------------------------------- names and structure

    def name_matches(self, code: str | int, printed_name: str, year: int | None = None) -> NameMatch:
        """Compare a printed name with the catalog name of ``code`` in ``year``.

        The code's kind comes from its first digit: 2 = function, 3 = 部门预算 economic (by year),
        5 = 政府预算 economic. Names are compared after :func:`normalize_name`; the printed name
        may also carry one trailing parenthesised qualifier ("行政运行（政府办公厅（室）及相关机构事务）").

        Returns "match" (the name for that year), "alias" (a historical name: the aliases column,
        and for function codes also the names the code had in other years), "mismatch", or
        "unknown" (code not in the catalog for that year, or an empty printed name). Economic
        codes do not treat other-era names as aliases: 30311 住房公积金 in 2020 is a mismatch.
        """
        c = normalize_code(code)
        if c.startswith("2"):
            entry = self.function_entry(c, year)
            others = self.func.get(c, ())
        elif c.startswith("3"):
            entry = self.economic_entry(c, year)
            others = (entry,) if entry else ()
        elif c.startswith("5"):
            entry = self.gov_economic_entry(c, year)
            others = (entry,) if entry else ()
        else:
            return "unknown"
        printed = normalize_name(printed_name or "")
        if entry is None or not printed:
            return "unknown"
        candidates = [printed]
        stripped = strip_qualifier(printed)
        if stripped:
            candidates.append(stripped)
        if normalize_name(entry.name) in candidates:
            return "match"
        alias_names = {normalize_name(a) for e in others for a in (e.name, *e.aliases)}
        if alias_names.intersection(candidates):
            return "alias"
        return "mismatch"

    def codes_named(self, name: str, digits: int) -> frozenset[str]:
        """The codes of `digits` digits (3 类, 5 款, 7 项) that carry `name` in any year, as their
        name or an alias, function (2xx) and department economic (3xx) lists both; compared after
        :func:`normalize_name`."""
        index = self._name_index
        if index is None:
            index = {}
            for table in (self.func, self.econ_dept, self.econ_dept_pre2018):
                for code, rows in table.items():
                    for row in rows:
                        for printed in (row.name, *row.aliases):
                            index.setdefault((len(code), normalize_name(printed)), set()).add(code)
            self._name_index = {k: frozenset(v) for k, v in index.items()}
            index = self._name_index
        return index.get((digits, normalize_name(name)), frozenset())

    def parent(self, code: str | int) -> str | None:
        """Parent code (类 of a 款, 款 of a 项) if ``code`` is in any list, else None."""
        c = normalize_code(code)
        for table in (self.func, self.econ_dept, self.econ_gov, self.econ_dept_pre2018):
            rows = table.get(c)
            if rows:
                return rows[0].parent
        return None

    # ----------------------------------------------------------------- table roles and groups

    def econ_column_role(self, code: str | int) -> str | None:
        """Column role of an economic code's 类 in the by-基本/项目 tables ("basic.salary", …)."""
        return self._column_roles.get(normalize_code(code)[:3])

    def column_labels(self, role: str) -> tuple[str, ...]:
        """Printed column headers known for a column role (e.g. 商品服务支出 for basic.goods)."""
        return self._column_labels.get(role, ())

    def personnel_codes(self) -> frozenset[str]:
        """Economic 类 that make up 人员经费 (301 + 303)."""
        return self._personnel

    def public_codes(self) -> frozenset[str]:
        """Economic 类 that make up 公用经费 (302 + 307 + 310 + 399, basic only)."""
        return self._public

    def sangong_codes(self) -> dict[str, frozenset[str]]:
        """三公 item -> economic 款: reception, vehicle_operation, overseas, vehicle_purchase."""
        return dict(self._sangong)

    def cross_links(self) -> tuple[CrossLink, ...]:
        """Soft function <-> economic links (DOMAIN §2.3)."""
        return self._cross_links


def _unit(unit_type: str) -> UnitType:
    u = _UNIT_TYPES.get(unit_type.strip())
    if u is None:
        raise ValueError(f"unit_type must be one of {sorted(_UNIT_TYPES)}, got {unit_type!r}")
    return u


@functools.lru_cache(maxsize=4)
def load_catalog(directory: str | Path | None = None) -> Catalog:
    """Load the catalog once (cached per directory); default is the packaged ``checks/catalog``."""
    return Catalog(Path(directory) if directory is not None else None)
