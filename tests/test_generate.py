"""The disclosure generator (datasets/generate.py): deterministic, clean by construction, and its
planted anomalies are found by the rules on main at their labelled lines."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.engine import load_rules
from auditor.result import build_result
from tests.harness import audit_path

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> Any:
    name = "auditor_dataset_generator"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "datasets" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _generator()

# Planted kinds the rules on main are known not to see yet, with the reason (see the README's
# "Accuracy and speed" section). Everything else in the checked families must be found.
KNOWN_GAPS = {
    # the 合计 line of a seed-004 wide target table is not compared with its projects
    ("total", "total.column_sum", "total"),
    # "基本支出比上年增加 A 万元，增长 p%": the sentence prints no current amount of the subject, and
    # rate.change takes the current value only from the same sentence
    ("rate", "rate.change", "yoy_rate"),
    # column_sum evidence is capped at 8 lines, so a planted row below the 8th detail row is not named
    ("total", "total.column_sum", "wrong_column"),
}


def _lines(finding: dict[str, Any]) -> set[int]:
    return {e["line"] for e in finding["evidence"]} | {finding["location"]["line"]}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = gen.generate(tmp_path / "a", 3, 8, list(gen.KINDS))
    second = gen.generate(tmp_path / "b", 3, 8, list(gen.KINDS))
    assert [p.name for p in first] == [p.name for p in second]
    for a in sorted((tmp_path / "a").iterdir()):
        assert a.read_bytes() == (tmp_path / "b" / a.name).read_bytes(), a.name


def test_a_thousand_documents_generate() -> None:
    # Generation only (no audit): about 1,000 documents a second. Seed 21 includes budgets with no
    # procurement at all (index 304), whose reserved share used to be 0 / 0.
    names = [gen.make_document(21, i, list(gen.KINDS))[0] for i in range(1000)]
    assert len(set(names)) == 1000


def test_no_procurement_states_no_reserved_share() -> None:
    no_procurement = gen.make_document(21, 304, list(gen.KINDS))[1]
    assert "政府采购预算 0 万元" in no_procurement
    assert "无面向中小企业预留的采购份额" in no_procurement
    assert "占政府采购预算的" not in no_procurement
    with_procurement = gen.make_document(21, 0, list(gen.KINDS))[1]
    assert "占政府采购预算的 40.00%" in with_procurement


def test_rows_scale_the_tables() -> None:
    _, small, _ = gen.make_document(2, 0, ["budget"], 10, clean=True)
    _, big, _ = gen.make_document(2, 0, ["budget"], 1000, clean=True)
    rows = [sum(1 for line in text.split("\n") if "\t" in line) for text in (small, big)]
    assert rows[0] < 300 < 800 < rows[1]


@pytest.mark.parametrize("kind", gen.KINDS)
def test_clean_document_has_no_error(tmp_path: Path, kind: str) -> None:
    for index in range(2):
        name, text, labels = gen.make_document(5, index, [kind], clean=True)
        assert labels == []
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = build_result([audit_path(path)])
        assert result["documents"][0]["error"] is None
        errors = [f"{f['rule']}:{f['location']['line']} {f['message']}" for f in result["findings"]
                  if f["severity"] == "error"]
        assert errors == [], name


def test_planted_anomalies_are_found_at_their_line(tmp_path: Path) -> None:
    present = {spec.family for spec in load_rules().values()}
    checked = {"total", "rate", "score", "text", "date"} & present
    files = gen.generate(tmp_path, 1, 24, list(gen.KINDS))
    seen_kinds = set()
    missed = []
    for path in files:
        labels = json.loads((tmp_path / (path.stem + ".labels.json")).read_text(encoding="utf-8"))
        findings = build_result([audit_path(path)])["findings"]
        for label in labels:
            if label["family"] not in checked:
                continue
            seen_kinds.add(label["kind"])
            hit = any(f["rule"].split(".")[0] == label["family"] and label["line"] in _lines(f) for f in findings)
            if not hit and (label["family"], label["rule"], label["kind"]) not in KNOWN_GAPS:
                missed.append(f"{path.name}:{label['line']} {label['rule']} ({label['kind']})")
    assert len(seen_kinds) >= 8  # the sample covers many anomaly kinds
    assert missed == []


def test_labels_point_at_the_printed_value(tmp_path: Path) -> None:
    for path in gen.generate(tmp_path, 9, 16, list(gen.KINDS)):
        lines = path.read_text(encoding="utf-8").split("\n")
        for label in json.loads((tmp_path / (path.stem + ".labels.json")).read_text(encoding="utf-8")):
            assert label["printed"] in lines[label["line"] - 1], (path.name, label)
