"""The boundary between the rules and the rest (issue 21): `auditor/` and `reports/` import nothing
from `checks/` except through rule discovery (auditor/engine.py), and no renderer imports the engine
— the result carries the rule descriptors the renderers need. Imports are read with `ast`, so a
function-level import counts as much as a module-level one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DISCOVERY = ROOT / "auditor" / "engine.py"


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, and of every importlib.import_module("…") call
    whose name is written out."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
            out.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args):
            name = node.args[0]
            text = name.value if isinstance(name, ast.Constant) else ast.unparse(name)
            out.append((node.lineno, str(text).strip("f\"'")))
    return out


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _is_checks(module: str) -> bool:
    return module == "checks" or module.startswith("checks.")


@pytest.mark.parametrize("folder", ["auditor", "reports"])
def test_nothing_imports_the_rule_modules_but_discovery(folder: str) -> None:
    offending = [f"{path.relative_to(ROOT)}:{line} {module}"
                 for path in _files(folder) if path != DISCOVERY
                 for line, module in _imports(path) if _is_checks(module)]
    assert offending == []


def test_no_renderer_imports_the_engine() -> None:
    offending = [f"{path.relative_to(ROOT)}:{line} {module}" for path in _files("reports")
                 for line, module in _imports(path) if module.startswith("auditor.engine")]
    assert offending == []


def test_the_import_reader_sees_each_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import checks.total\nfrom checks import schema\n"
                      "def f():\n    from checks._sums import cell_ref\n    import importlib\n"
                      "    importlib.import_module('checks.crossdoc')\n", encoding="utf-8")
    found = [module for _, module in _imports(sample) if _is_checks(module)]
    assert found == ["checks.total", "checks", "checks.schema", "checks._sums", "checks._sums.cell_ref",
                     "checks.crossdoc"]


def test_the_result_carries_every_rule_descriptor() -> None:
    from auditor.engine import load_rules
    from auditor.result import build_result

    rules = build_result([])["rules"]
    assert [r["id"] for r in rules] == sorted(load_rules())
    for r in rules:
        spec = load_rules()[r["id"]]
        assert (r["severity"], r["applies_to"], r["title_zh"], r["title_en"]) == (
            spec.severity, spec.applies_to, spec.title("zh"), spec.title("en"))
        assert r["summary"] and r["doc"].startswith(r["summary"])
