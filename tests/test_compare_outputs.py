"""benchmarks/compare_outputs.py: equal folders compare identical, a changed finding is named."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ROOT


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("compare_outputs", ROOT / "benchmarks" / "compare_outputs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _output(rules: list[str], outcome: str = "failed") -> bytes:
    data = {"documents": [{"path": "x.txt", "outcomes": {"total.row_sum": outcome}}],
            "findings": [{"rule": rule, "message": "m"} for rule in rules], "summary": {"error": len(rules)}}
    return json.dumps(data, ensure_ascii=False).encode()


def test_identical_folders_exit_zero(tmp_path: Path, capsys: Any) -> None:
    compare = _script()
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "doc.txt.json").write_bytes(_output(["total.row_sum"]))
    assert compare.compare(tmp_path / "a", tmp_path / "b") == 0
    assert "identical  doc.txt.json" in capsys.readouterr().out


def test_changed_findings_are_summarised_and_exit_one(tmp_path: Path, capsys: Any) -> None:
    compare = _script()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "doc.txt.json").write_bytes(_output(["total.row_sum", "total.row_sum"]))
    (tmp_path / "b" / "doc.txt.json").write_bytes(_output(["total.row_sum", "rate.recompute"], "passed"))
    (tmp_path / "a" / "gone.txt.json").write_bytes(_output([]))
    assert compare.compare(tmp_path / "a", tmp_path / "b") == 1
    out = capsys.readouterr().out
    assert "added rate.recompute×1" in out
    assert "removed total.row_sum×1" in out
    assert "total.row_sum failed→passed" in out
    assert "different  gone.txt.json: only in" in out


def test_inputs_take_documents_not_notes() -> None:
    names = [name for name, _ in _script().inputs(ROOT / "no-such-shared")]
    assert all(name.startswith("datasets__") for name in names)
    assert not any(name.endswith((".py", ".md", ".yaml")) for name in names)
