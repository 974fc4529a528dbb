"""The table kind files (checks/catalog/tables/): each valid against schema.json, a broken one
refused with its name, the kinds in their match order, and the loader's own validator agreeing
with jsonschema."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.catalog import CatalogError
from auditor.read.table_schema import (
    FORMAT_FILE,
    SHARED_FILE,
    TABLES_DIR,
    kind_files,
    load_kind_specs,
    load_schemas,
    match_kind,
    norm,
    read_kind_file,
    read_shared,
)
from auditor.schema_subset import SchemaViolation, validate

ROOT = Path(__file__).resolve().parents[1]
RULES: dict[str, Any] = json.loads((TABLES_DIR / FORMAT_FILE).read_text(encoding="utf-8"))

# The kinds in the order match_kind tries them, as they were in the single table_schemas.yaml.
# A new kind may go anywhere; these must keep their relative order.
KIND_ORDER = [
    "budget.fiscal_summary", "budget.summary", "budget.income", "budget.expense", "budget.basic_expense",
    "budget.sangong", "budget.gov_fund", "budget.state_capital", "budget.general_expense_econ",
    "budget.general_expense", "budget.procurement",
    "final.fiscal_summary", "final.gov_fund", "final.state_capital", "final.summary", "final.basic_expense",
    "final.sangong", "final.general_expense", "final.income", "final.expense",
]


def _jsonschema_validator(schema: dict[str, Any]) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


SHARED_SCHEMA = {"$defs": RULES["$defs"], "$ref": "#/$defs/shared"}


@pytest.mark.parametrize("path", kind_files(TABLES_DIR), ids=lambda p: p.name)
def test_every_kind_file_is_valid_against_schema_json(path: Path) -> None:
    validator = _jsonschema_validator(RULES)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(read_kind_file(path))]
    assert errors == []


def test_the_shared_sets_are_valid_against_schema_json() -> None:
    validator = _jsonschema_validator(SHARED_SCHEMA)
    assert [e.message for e in validator.iter_errors(read_shared(TABLES_DIR))] == []


def test_the_kinds_keep_their_match_order() -> None:
    kinds = [s.kind for s in load_schemas()]
    assert set(KIND_ORDER) <= set(kinds)
    assert [k for k in kinds if k in KIND_ORDER] == KIND_ORDER
    assert [path.stem for path in kind_files(TABLES_DIR)] == sorted(kinds)  # one file per kind, named after it


@pytest.mark.parametrize(("title", "header", "first", "second"), [
    ("2024年财政拨款收支总体情况表", "", "budget.fiscal_summary", "budget.summary"),
    ("2024年一般公共预算支出情况表", "部门预算经济分类/类", "budget.general_expense_econ", "budget.general_expense"),
    ("财政拨款收入支出决算总表", "", "final.fiscal_summary", "final.summary"),
    ("一般公共预算财政拨款基本支出决算表", "", "final.basic_expense", "final.general_expense"),
    ("一般公共预算财政拨款支出决算表", "", "final.general_expense", "final.expense"),
    ("“三公”经费支出决算表", "", "final.sangong", "final.expense"),
])
def test_a_title_two_kinds_match_goes_to_the_earlier_kind(title: str, header: str, first: str, second: str) -> None:
    """The pairs README.md (Order) lists: both kinds' titles match, so the order decides."""
    schemas = {s.kind: s for s in load_schemas()}
    assert all(any(p.search(norm(title)) for p in schemas[k].titles) for k in (first, second))
    assert match_kind(title, header).kind == first


def test_kinds_naming_a_shared_set_get_the_same_roles_and_relations() -> None:
    schemas = {s.kind: s for s in load_schemas()}
    expense = [k for k, spec in ((p.stem, read_kind_file(p)) for p in kind_files(TABLES_DIR))
               if spec["roles"] == "expense_roles"]
    assert len(expense) == 9
    shapes = {(tuple((role, tuple(p.pattern for p in pats)) for role, pats in schemas[k].roles),
               tuple(r.text for r in schemas[k].relations)) for k in expense}
    assert len(shapes) == 1
    roles, relations = shapes.pop()
    assert [role for role, _ in roles][:3] == ["total", "basic", "basic.salary"]
    assert relations[0] == "total = basic + project + upper? + operating? + subsidiary?"
    assert [r.on for r in schemas["final.summary"].relations] == ["columns"] * 3  # YAML's `on:` read as the word


# --------------------------------------------------------------------------- broken kind files


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    shutil.copytree(TABLES_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copied_folder_loads_like_the_real_one(tmp_path: Path) -> None:
    assert [k for k, _ in load_kind_specs(_copy(tmp_path))] == [s.kind for s in load_schemas()]


def test_a_typo_in_a_relation_role_is_refused_naming_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "budget.sangong.yaml", "total = abroad + vehicle", "total = abroda + vehicle")
    with pytest.raises(CatalogError, match=r"^budget\.sangong\.yaml: relations\[0\]: role 'abroda'"):
        load_kind_specs(folder)


def test_a_typo_in_a_shared_relation_is_refused_naming_a_kind_that_uses_it(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / SHARED_FILE, "rule: total = basic + project\n", "rule: total = basic + projcet\n")
    with pytest.raises(CatalogError, match=r"^budget\.summary\.yaml: relations\[0\]: role 'projcet'"):
        load_kind_specs(folder)


def test_a_missing_required_key_is_refused_naming_the_file_and_key(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "final.income.yaml", "titles: ['收入决算表']\n", "")
    with pytest.raises(CatalogError, match=r"^final\.income\.yaml: .*required key 'titles' is missing"):
        load_kind_specs(folder)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("orientation: columns", "orientation: column", r"orientation: 'column' is not one of"),
    ("titles: ['收入决算表']", "titles: ['收入(决算表']", r"titles\[0\]: .* is not a valid regex"),
    ("titles: ['收入决算表']", "title: ['收入决算表']", r"title: unknown key"),
    ("  other: ['^其他收入']", "  other: '^其他收入'", r"roles\.other: expected array"),
    ("  - total = appropriation +", "  - total == appropriation +", r"relations\[0\]: .* does not have the form"),
    ("match_order: 190", "match_order: '190'", r"match_order: expected integer"),
])
def test_a_malformed_key_is_refused_naming_the_file_and_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "final.income.yaml", old, new)
    with pytest.raises(CatalogError, match=r"^final\.income\.yaml: " + message):
        load_kind_specs(folder)


def test_an_unknown_shared_set_and_a_repeated_match_order_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "final.expense.yaml", "roles: expense_roles", "roles: expenses_roles")
    with pytest.raises(CatalogError, match=r"^final\.expense\.yaml: roles: _shared\.yaml has no roles set 'expenses_roles'"):
        load_kind_specs(folder)
    _edit(folder / "final.expense.yaml", "roles: expenses_roles", "roles: expense_roles")
    _edit(folder / "final.expense.yaml", "match_order: 200", "match_order: 190")
    with pytest.raises(CatalogError, match=r"^final\.\w+\.yaml: match_order: 190 is also the match_order of final\.\w+\.yaml"):
        load_kind_specs(folder)


# --------------------------------------------------------------------------- the loader's validator


BROKEN_KINDS: list[dict[str, Any]] = [
    {"source": "s", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": []},  # no match_order
    {"match_order": True, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": []},
    {"match_order": 1, "source": "", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": []},
    {"match_order": 1, "source": "s", "titles": [], "orientation": "rows", "roles": "r", "relations": []},
    {"match_order": 1, "source": "s", "titles": ["("], "orientation": "rows", "roles": "r", "relations": []},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": [],
     "sides": 3},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": [],
     "sides": True},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": {"Total": ["x"]},
     "relations": []},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": {}, "relations": []},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r",
     "relations": [{"on": "diagonal", "rule": "a = b"}]},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r",
     "relations": ["a = b +"]},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": "R-1"},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": [],
     "breakdown": {"wholes": ["x"]}},
    {"match_order": 1, "source": "s", "titles": ["x"], "orientation": "rows", "roles": "r", "relations": [],
     "outline": "yes"},
]


@pytest.mark.parametrize("doc", BROKEN_KINDS)
def test_the_loaders_validator_refuses_what_jsonschema_refuses(doc: dict[str, Any]) -> None:
    assert list(_jsonschema_validator(RULES).iter_errors(doc))
    with pytest.raises(SchemaViolation):
        validate(doc, RULES)


def test_the_loaders_validator_accepts_what_jsonschema_accepts() -> None:
    validator = _jsonschema_validator(RULES)
    for path in kind_files(TABLES_DIR):
        doc = read_kind_file(path)
        assert not list(validator.iter_errors(doc))
        validate(doc, RULES)
    validate(read_shared(TABLES_DIR), SHARED_SCHEMA)


def test_the_loaders_validator_refuses_a_schema_keyword_it_does_not_enforce() -> None:
    with pytest.raises(ValueError, match="maxItems"):
        validate([1, 2], {"type": "array", "maxItems": 1})


def test_loading_the_kinds_imports_no_jsonschema() -> None:
    code = ("import sys; from auditor.read.table_schema import load_schemas; load_schemas(); "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
