"""Rule `x.y` lives in `checks/x.py` or in a module of the package `checks/x/` (issue 21), so the
module of a rule is found from its id alone; discovery (auditor/engine.py) reaches the modules of
the subpackages too, in a fixed order."""

from __future__ import annotations

import pkgutil
import sys
from pathlib import Path

import pytest

from auditor import engine
from auditor.engine import load_rules, rule_module_names

# Rules the engine writes itself rather than runs (the cap on findings per rule and file).
ENGINE_RULES = {"parse.findings_capped"}


def _at_home(rule_id: str, module: str) -> bool:
    family = rule_id.split(".", 1)[0]
    return module == f"checks.{family}" or module.startswith(f"checks.{family}.")


def misplaced(modules: dict[str, str]) -> list[str]:
    """The rules of a {rule id: defining module} map whose module is not their family's."""
    return sorted(f"{rule_id} in {module}" for rule_id, module in modules.items() if not _at_home(rule_id, module))


def test_every_rule_lives_in_the_module_of_its_family() -> None:
    modules = {rule_id: spec.func.__module__ for rule_id, spec in load_rules().items() if rule_id not in ENGINE_RULES}
    assert misplaced(modules) == []


def test_only_the_engine_rules_are_defined_in_the_engine() -> None:
    assert {rule_id for rule_id, spec in load_rules().items() if not spec.func.__module__.startswith("checks.")} == (
        ENGINE_RULES)


def test_a_rule_in_another_family_s_module_is_caught() -> None:
    # The layout before issue 21, and names that only look alike (checks.rates is not checks.rate).
    old = {"crosstable.code_name": "checks.codes", "narrative.arithmetic": "checks.prose_arithmetic",
           "rate.same_metric": "checks.execution", "score.execution_points": "checks.execution",
           "rate.recompute": "checks.rates", "score.sum": "checks.scoring", "total.row_sum": "checks.totals",
           "date.year_mismatch": "checks.dates", "indicator.duplicate": "checks.indicators",
           "score.claim": "checks.score_sheet", "text.numbering": "checks.text",
           "crosstable.same_quantity": "checks.crosstable.same_quantity"}
    assert misplaced(old) == [
        "crosstable.code_name in checks.codes", "date.year_mismatch in checks.dates",
        "indicator.duplicate in checks.indicators", "narrative.arithmetic in checks.prose_arithmetic",
        "rate.recompute in checks.rates", "rate.same_metric in checks.execution",
        "score.claim in checks.score_sheet", "score.execution_points in checks.execution",
        "score.sum in checks.scoring", "total.row_sum in checks.totals"]


def test_discovery_reaches_every_rule_module_in_name_order() -> None:
    names = rule_module_names()
    assert names == sorted(names)
    root = Path(engine.__file__).resolve().parents[1]
    on_disk = {".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
               for path in (root / "checks").rglob("*.py")}
    public = {name for name in on_disk if not any(part.startswith("_") for part in name.split(".")[1:])}
    assert set(names) == public - {"checks"}
    assert {"checks.crosstable.codes", "checks.narrative.arithmetic", "checks.rate.execution",
            "checks.score.execution"} <= set(names)


def test_every_rule_module_that_is_not_a_package_registers_a_rule() -> None:
    # A module without rules belongs in a private helper (`checks/_name.py`), not among the suites.
    defining = {spec.func.__module__ for spec in load_rules().values()}
    modules = {info.name for info in pkgutil.walk_packages(sys.modules["checks"].__path__, prefix="checks.")
               if not info.ispkg and not any(part.startswith("_") for part in info.name.split("."))}
    assert modules - defining == set()


def test_a_rule_package_that_fails_to_import_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pkgutil.walk_packages swallows a subpackage's ImportError unless told otherwise; discovery
    # must not silently lose the rules of a broken package.
    package = tmp_path / "fake_checks"
    (package / "broken").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "broken" / "__init__.py").write_text("import no_such_module_for_this_test\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError):
        list(pkgutil.walk_packages([str(package)], prefix="fake_checks.", onerror=engine._reraise))
