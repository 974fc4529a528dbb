"""Cold start: heavy modules load only when the work needs them (no timing asserts here; the
time is measured in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

GROUPING = """
import json, sys
from auditor.model import Finding, Location
from auditor.rank import assign_groups
cells = sys.argv[1].split(",")
findings = [Finding(rule="total.row_sum", severity="error", location=Location("d", i), key=str(i),
                    culprit_candidates={cell: "5"}) for i, cell in enumerate(cells)]
assign_groups(findings)
print(json.dumps({"networkx": "networkx" in sys.modules, "groups": len({f.group for f in findings}),
                  "suggestions": [f.suggestion for f in findings]}))
"""


def _group(cells: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", GROUPING, cells], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout)


def test_no_shared_culprit_cell_builds_no_graph_and_imports_no_networkx() -> None:
    result = _group("x,y,z")
    assert result == {"networkx": False, "groups": 3, "suggestions": [None, None, None]}


def test_a_shared_culprit_cell_is_grouped_with_networkx() -> None:
    result = _group("x,x,z")
    assert result["networkx"] is True
    assert result["groups"] == 2
    assert result["suggestions"].count("5") == 1  # type: ignore[union-attr]


def test_catalog_yaml_parses_like_the_safe_loader() -> None:
    import yaml

    from auditor.catalog import safe_yaml

    text = "a: [1, 2.5, 'x']\nb: {c: null, d: 2024-01-01, e: yes}\n中文: 一\n"
    assert safe_yaml(text) == yaml.safe_load(text)
