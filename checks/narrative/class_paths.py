"""narrative.class_path: a 类（类）款（款）项（项） chain in the text must nest as the classification does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.catalog import normalize_name
from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.read.class_paths import ClassPath

DIGITS = {"类": 3, "款": 5, "项": 7}
LEVEL_OF = {digits: level for level, digits in DIGITS.items()}


@dataclass(frozen=True)
class Misplaced:
    """A level of a path whose name is no code of that level under the level above, but is the
    name of another code of the same 类."""

    index: int  # into ClassPath.names
    parent: str  # the code the level above resolved to
    code: str  # the code that does carry the name


@rule(
    "narrative.class_path",
    severity="warning",
    applies_to="prose",
)
def class_path(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A classification path the text prints ("卫生健康支出（类）计划生育事务（款）计划生育服务（项）")
    names a 类, a 款 of that 类 and a 项 of that 款. Each name is looked up among the codes of its
    level — the codes the document's own tables print with that name, and the catalog's names
    and aliases of any year — under the code found for the level above. A level is reported when
    its name is no code of that level under its parent but is the name of another code of the
    same 类 (of another level: the names are shifted by one; or, in the document's own tables,
    under another parent): positive evidence, because the catalog lists few 款 and 项 and a name
    nobody knows proves nothing. The
    finding gives the path the tables print for that 项 when they print one. A path whose 类 is
    no known 类 is not checked.

    Why it matters: the path is how a reader finds the amount in the tables; a shifted or wrong
    name sends them to another line, and usually means the sentence was copied from another item.
    """
    if not read.class_paths:
        return
    names = _table_names(read)
    for path in read.class_paths:
        ctx.check()
        misplaced = _misplaced(path, names, ctx.catalog)
        if misplaced:
            yield _finding(ctx, path, names, misplaced)


def _table_names(read: ReadDocument) -> dict[str, str]:
    """Code -> name as the document's tables print it (function and economic codes)."""
    out: dict[str, str] = {}
    for table in read.tables:
        for row in table.rows:
            if row.code and row.label and row.code[0] in "23":
                out.setdefault(row.code, row.label)
    return out


def _codes(name: str, level: str, names: dict[str, str], catalog: object) -> set[str]:
    """The codes of `level` named `name`, in the document's tables or the catalog."""
    digits = DIGITS[level]
    wanted = normalize_name(name)
    found = {code for code, label in names.items() if len(code) == digits and normalize_name(label) == wanted}
    if catalog is not None:
        found |= catalog.codes_named(name, digits)  # type: ignore[attr-defined]
    return found


def _misplaced(path: ClassPath, names: dict[str, str], catalog: object) -> list[Misplaced]:
    level, first = path.names[0]
    parents: set[str] = set()
    # the run before 类 may begin with words of the sentence ("用于卫生健康支出（类）"): its
    # longest ending that names a 类
    for start in range(len(first) - 1):
        parents = _codes(first[start:], level, names, catalog)
        if parents:
            break
    if not parents:
        return []
    out: list[Misplaced] = []
    for index in range(1, len(path.names)):
        level, name = path.names[index]
        size = len(next(iter(parents)))
        here = {code for code in _codes(name, level, names, catalog) if code[:size] in parents}
        if here:
            parents = here
            continue
        parent = min(parents)
        elsewhere = sorted(_elsewhere(name, level, parents, names, catalog))
        if elsewhere:
            out.append(Misplaced(index, parent, elsewhere[-1]))  # the deepest
        # the next level is looked for under the same parents
    return out


def _elsewhere(name: str, level: str, parents: set[str], names: dict[str, str], catalog: object) -> set[str]:
    """Other codes of the same 类 that carry `name`: the evidence that the path misplaces it.

    * of another level (the names are shifted by one), from the tables or the catalog — but not
      the parent's own name repeated by an 其他… child ("其他支出（款）其他支出（项）" is how the
      classification names them);
    * of this level under another parent, from the document's tables only and only when they
      print this level under the parent too: the catalog lists few 款 and 项, and generic 项 such
      as 行政运行 exist under every 款.
    """
    size = len(next(iter(parents)))
    family = next(iter(parents))[:3]
    out = set()
    for other, digits in DIGITS.items():
        if other == level:
            continue
        for code in _codes(name, other, names, catalog):
            ancestor = digits < DIGITS[level] and any(p.startswith(code) for p in parents)
            if code[:3] == family and not (ancestor and name.startswith("其他")):
                out.add(code)
    listed = {code for code in names if len(code) == DIGITS[level] and code[:size] in parents}
    if listed:
        wanted = normalize_name(name)
        out |= {code for code, label in names.items() if len(code) == DIGITS[level] and code[:3] == family
                and code[:size] not in parents and normalize_name(label) == wanted}
    return out


def _finding(ctx: RuleContext, path: ClassPath, names: dict[str, str], misplaced: list[Misplaced]) -> Finding:
    clauses: list[dict[str, object]] = []
    expected = None
    for m in misplaced:
        level, name = path.names[m.index]
        clauses.append({"part": "named_elsewhere", "parent": m.parent,
                        "parent_name": names.get(m.parent) or _catalog_name(ctx, m.parent), "name": name,
                        "level": [{"part": f"level.{level}"}], "code": m.code,
                        "code_level": [{"part": f"level.{LEVEL_OF[len(m.code)]}"}]})
        if level == "项":
            expected = _path_to(path, names, m.code) or expected
    return ctx.finding(
        ctx.location(path.line), args={"path": path.text, "problems": clauses},
        expected=expected, actual=path.text, evidence=[ctx.evidence(path.line, path.text)],
        key=f"class_path|{path.text}", confidence=0.8,
    )


def _path_to(path: ClassPath, names: dict[str, str], code: str) -> str | None:
    """The path the tables print for the 项 the text names (found as `code`): the 款 of a 项 code,
    or the single 项 the tables print under a 款 code."""
    if len(code) == 7:
        subclass, item = code[:5], code
    else:
        children = sorted(c for c in names if len(c) == 7 and c.startswith(code))
        if len(code) != 5 or len(children) != 1:
            return None
        subclass, item = code, children[0]
    if subclass not in names or item not in names:
        return None
    return f"{path.names[0][1]}（类）{names[subclass]}（款）{names[item]}（项）"


def _catalog_name(ctx: RuleContext, code: str) -> str:
    catalog = ctx.catalog
    if catalog is None:
        return ""
    year = ctx.read.year
    name = catalog.function_name(code, year) if code.startswith("2") else catalog.economic_name(code, year)
    return name or ""
