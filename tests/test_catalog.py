"""Tests for the classification catalog data (checks/catalog/) and its loader (auditor/catalog.py)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

from auditor.catalog import (
    CODE_COLUMNS,
    ECON_LEVELS,
    FUNC_LEVELS,
    MAP_COLUMNS,
    STATUSES,
    Catalog,
    load_catalog,
    normalize_name,
    read_code_csv,
    strip_qualifier,
)

CATALOG_DIR = Path(__file__).resolve().parents[1] / "checks" / "catalog"
CODE_FILES = {
    "func_codes.csv": FUNC_LEVELS,
    "econ_dept.csv": ECON_LEVELS,
    "econ_dept_pre2018.csv": ECON_LEVELS,
    "econ_gov.csv": ECON_LEVELS,
}


def _rows(name: str) -> list[dict[str, str]]:
    with (CATALOG_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


# --------------------------------------------------------------------------- data files


@pytest.mark.parametrize("name", sorted(CODE_FILES))
def test_code_csv_well_formed(name: str) -> None:
    with (CATALOG_DIR / name).open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert tuple(header) == CODE_COLUMNS
    rows = _rows(name)
    assert rows
    levels = CODE_FILES[name]
    codes = {r["code"] for r in rows}
    for r in rows:
        code, level = r["code"], r["level"]
        assert code.isdigit() and len(code) == levels[level], r
        assert r["status"] in STATUSES, r
        assert r["name"].strip() and r["source"].strip(), r
        assert r["name"] == r["name"].strip()
        if level == "类":
            assert r["parent"] == "", r
        else:
            assert r["parent"] == code[:-2], r
            assert r["parent"] in codes, f"{name}: parent of {code} missing"
        lo, hi = r["valid_from"], r["valid_to"]
        if lo and hi:
            assert int(lo) <= int(hi), r
    dups = [k for k, n in Counter((r["code"], r["valid_from"]) for r in rows).items() if n > 1]
    assert not dups, dups


@pytest.mark.parametrize("name", sorted(CODE_FILES))
def test_validity_ranges_of_a_code_do_not_overlap(name: str) -> None:
    entries = read_code_csv(CATALOG_DIR / name, CODE_FILES[name])
    by_code: dict[str, list[tuple[int, int]]] = {}
    for e in entries:
        by_code.setdefault(e.code, []).append((e.valid_from or 0, e.valid_to or 9999))
    for code, spans in by_code.items():
        spans.sort()
        for (_, hi), (lo, _) in zip(spans, spans[1:], strict=False):
            assert hi < lo, f"{name}: overlapping rows for {code}"


def test_code_prefixes_per_file() -> None:
    assert all(r["code"].startswith("2") for r in _rows("func_codes.csv"))
    assert all(r["code"].startswith("3") for r in _rows("econ_dept.csv"))
    assert all(r["code"].startswith("3") for r in _rows("econ_dept_pre2018.csv"))
    assert all(r["code"].startswith("5") for r in _rows("econ_gov.csv"))
    assert all(r["valid_from"] == "2018" for r in _rows("econ_dept.csv"))
    assert all(r["valid_to"] == "2017" for r in _rows("econ_dept_pre2018.csv"))


def test_func_codes_cover_domain_lists() -> None:
    rows = _rows("func_codes.csv")
    classes = {r["code"] for r in rows if r["level"] == "类"}
    expected = {str(c) for c in (*range(201, 225), 227, *range(229, 235))}
    assert classes == expected
    codes = {r["code"] for r in rows}
    for c in (
        "20101",
        "20199",
        "2010399",
        "20599",
        "2050899",
        "20899",
        "2080599",
        "21099",
        "2101199",
        "22103",
        "2210203",
    ):
        assert c in codes


def test_econ_map_well_formed() -> None:
    with (CATALOG_DIR / "econ_map.csv").open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == MAP_COLUMNS
    dept = {r["code"] for r in _rows("econ_dept.csv")}
    gov = {r["code"] for r in _rows("econ_gov.csv")}
    rows = _rows("econ_map.csv")
    for r in rows:
        assert r["dept_code"] in dept and len(r["dept_code"]) == 5, r
        assert r["gov_code"] in gov, r
        assert r["unit_type"] in ("行政", "事业") and r["status"] in STATUSES, r
    assert len({(r["dept_code"], r["unit_type"], r["gov_code"]) for r in rows}) == len(rows)
    # every 2018+ economic 款 has a mapping for both unit types
    items = {r["code"] for r in _rows("econ_dept.csv") if r["level"] == "款"}
    for unit in ("行政", "事业"):
        assert items == {r["dept_code"] for r in rows if r["unit_type"] == unit}


def test_yaml_codes_exist() -> None:
    dept = {r["code"] for r in _rows("econ_dept.csv")}
    func = {r["code"] for r in _rows("func_codes.csv")}
    cols = yaml.safe_load((CATALOG_DIR / "econ_columns.yaml").read_text(encoding="utf-8"))
    for code in [*cols["column_roles"], *cols["personnel"], *cols["public"]]:
        assert code in dept, code
    for codes in cols["sangong"].values():
        assert set(codes) <= dept
    links = yaml.safe_load((CATALOG_DIR / "cross_links.yaml").read_text(encoding="utf-8"))["links"]
    for link in links:
        assert set(link["econ"]) <= dept, link
        assert set(link["func"]) <= func, link


def test_confirmed_only_where_a_seed_is_cited() -> None:
    for name in (*CODE_FILES, "econ_map.csv"):
        for r in _rows(name):
            if r["status"] == "confirmed":
                assert "seed-001" in r["source"], (name, r)


# --------------------------------------------------------------------------- loader


def test_load_is_cached(cat: Catalog) -> None:
    assert load_catalog() is cat


@pytest.mark.parametrize(
    ("code", "printed"),
    [
        ("2010301", "行政运行（政府办公厅（室）及相关机构事务）"),
        ("201 03 01", "行政运行"),
        ("2010302", "一般行政管理事务（政府办公厅（室）及相关机构事务）"),
        ("2010305", "专项业务活动"),
        ("2050803", "培训支出"),
        ("2080501", "行政单位离退休"),
        ("2080505", "机关事业单位基本养老保险缴费支出"),
        ("2101101", "行政单位医疗"),
        ("2210201", "住房公积金"),
        ("30101", "基本工资"),
        ("30213", "维修(护)费"),
        ("30213", "维修（护）费"),
        ("50101", "工资奖金津补贴_行政"),
        ("50501", "工资福利支出_事业"),
        ("50209", "维修(护)费_行政"),
        ("50905", "离退休费"),
        ("50306", "设备购置_行政"),
    ],
)
def test_seed_001_names_match(cat: Catalog, code: str, printed: str) -> None:
    assert cat.name_matches(code, printed, 2020) == "match"


def test_seed_001_function_names(cat: Catalog) -> None:
    assert cat.function_name("2010301", 2020) == "行政运行"
    assert cat.function_name("2050803", 2020) == "培训支出"
    assert cat.function_name("2080501", 2020) == "行政单位离退休"
    assert cat.function_name("2080505", 2020) == "机关事业单位基本养老保险缴费支出"
    assert cat.function_name("2101101", 2020) == "行政单位医疗"
    assert cat.function_name("2210201", 2020) == "住房公积金"
    entry = cat.function_entry(2010301, 2020)
    assert entry is not None and entry.status == "confirmed" and entry.parent == "20103"
    assert cat.function_entry("20140").status == "unverified"  # type: ignore[union-attr]
    assert cat.function_entry("2010303").status == "recalled"  # type: ignore[union-attr]


def test_function_names_by_year(cat: Catalog) -> None:
    assert cat.function_name("207", 2017) == "文化体育与传媒支出"
    assert cat.function_name("207", 2020) == "文化旅游体育与传媒支出"
    assert cat.function_name("207") == "文化旅游体育与传媒支出"
    assert cat.function_name("210", 2018) == "医疗卫生与计划生育支出"
    assert cat.function_name("210", 2019) == "卫生健康支出"
    assert cat.function_name("20138", 2018) is None  # 2019+
    assert cat.function_name("20115", 2018) == "工商行政管理事务"
    assert cat.function_name("20115", 2020) is None
    assert cat.function_name("234", 2022) is None


def test_economic_names_by_year(cat: Catalog) -> None:
    assert cat.economic_name("30101", 2020) == "基本工资"
    assert cat.economic_name("30212", 2017) == "出国费"
    assert cat.economic_name("30212", 2020) == "因公出国(境)费用"
    assert cat.economic_name("30212", 2017) != cat.economic_name("30212", 2020)
    assert cat.economic_name("30311", 2017) == "住房公积金"
    assert cat.economic_name("30311", 2020) == "代缴社会保险费"
    # the pre-2018 list is partial and does not fall back to the 2018+ meaning
    assert cat.economic_name("30101", 2017) is None
    assert cat.gov_economic_name("50101") == "工资奖金津补贴"
    assert cat.gov_economic_name("50101", 2017) is None
    assert cat.economic_name("50905", 2020) == "离退休费"


def test_map_dept_to_gov(cat: Catalog) -> None:
    assert cat.map_dept_to_gov("301", "行政") == {"501"}
    assert cat.map_dept_to_gov("301", "事业") == {"505"}
    assert cat.map_dept_to_gov("30101", "行政") == {"50101"}
    assert cat.map_dept_to_gov("30101", "事业") == {"50501"}
    assert cat.map_dept_to_gov("30101", "参公") == {"50101"}
    assert cat.map_dept_to_gov("30201", "行政") == {"50201"}
    assert cat.map_dept_to_gov("30201", "事业") == {"50502"}
    assert cat.map_dept_to_gov("31002", "行政") == {"50306"}
    assert cat.map_dept_to_gov("31002", "事业") == {"50601"}
    assert cat.map_dept_to_gov("30913", "行政") == {"50403"}
    assert cat.map_dept_to_gov("30301", "事业") == {"50905", "50599"}  # unverified alternatives
    assert cat.map_dept_to_gov("39999", "事业") == {"59999"}
    assert cat.map_dept_to_gov("39801", "行政") == set()
    assert {m.status for m in cat.map_entries("30101", "行政")} == {"confirmed"}
    with pytest.raises(ValueError):
        cat.map_dept_to_gov("30101", "企业")


def test_name_match_outcomes(cat: Catalog) -> None:
    assert cat.name_matches("9999999", "行政运行", 2020) == "unknown"
    assert cat.name_matches("2010399", "", 2020) == "unknown"
    assert cat.name_matches("2050803", "干部教育", 2020) == "mismatch"
    assert cat.name_matches("30101", "津贴补贴", 2020) == "mismatch"
    assert cat.name_matches("207", "文化体育与传媒支出", 2020) == "alias"
    assert cat.name_matches("207", "文化体育与传媒支出", 2017) == "match"
    assert cat.name_matches("210", "医疗卫生支出", 2020) == "alias"
    assert cat.name_matches("20805", "行政事业单位离退休", 2020) == "alias"
    assert cat.name_matches("50999", "其他对个人和家庭的补助", 2020) == "alias"
    # a changed meaning is not an alias
    assert cat.name_matches("30311", "住房公积金", 2020) == "mismatch"
    assert cat.name_matches("30212", "出国费", 2017) == "match"
    # a qualifier that is part of the name is not stripped away
    assert cat.name_matches("50602", "资本性支出（一）", 2020) == "mismatch"
    assert cat.name_matches("50601", "资本性支出（一）_事业", 2020) == "match"


def test_normalisation_helpers() -> None:
    assert normalize_name(" 其中：维修（护）费 _行政") == "维修(护)费"
    assert normalize_name("1、一般公共服务支出") == "一般公共服务支出"
    assert strip_qualifier("行政运行(政府办公厅(室)及相关机构事务)") == "行政运行"
    assert strip_qualifier("维修(护)费") is None
    assert strip_qualifier("(一)") is None


def test_structure_and_groups(cat: Catalog) -> None:
    assert cat.parent("2080505") == "20805"
    assert cat.parent("20805") == "208"
    assert cat.parent("208") is None
    assert cat.parent("30101") == "301"
    assert cat.parent("50101") == "501"
    assert cat.parent("9999999") is None
    assert cat.econ_column_role("30101") == "basic.salary"
    assert cat.econ_column_role("303") == "basic.family"
    assert cat.econ_column_role("30201") == "basic.goods"
    assert cat.econ_column_role("31002") == cat.econ_column_role("30913") == "basic.capital"
    assert cat.econ_column_role("50101") is None
    assert "商品服务支出" in cat.column_labels("basic.goods")
    assert cat.personnel_codes() == {"301", "303"}
    assert cat.public_codes() == {"302", "307", "310", "399"}
    assert cat.sangong_codes() == {
        "reception": {"30217"},
        "vehicle_operation": {"30231"},
        "overseas": {"30212"},
        "vehicle_purchase": {"31013", "30913"},
    }
    links = cat.cross_links()
    assert any(link.econ == ("30113",) and link.func == ("2210201",) for link in links)
