"""Project config: [tool.auditor] in pyproject.toml or auditor.toml, found by walking up."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import Config, ConfigError, find_config, load_config, parse_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_is_an_empty_config(tmp_path: Path) -> None:
    if find_config(tmp_path) is not None:
        pytest.skip(f"a config file above the temporary directory: {find_config(tmp_path)}")
    assert load_config(start=tmp_path) == Config()


def test_found_by_walking_up_from_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.auditor]\nfail-on = "warning"\n')
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == project.resolve()
    config = load_config()
    assert config.fail_on == "warning" and config.path == project.resolve()


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    outer = write(tmp_path / "auditor.toml", 'lang = "en"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n')
    assert find_config(tmp_path / "sub") == outer.resolve()
    assert load_config(start=tmp_path / "sub").lang == "en"


def test_auditor_toml_wins_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.auditor]\nlang = "zh"\n')
    write(tmp_path / "auditor.toml", 'lang = "en"\n')
    assert find_config(tmp_path).name == "auditor.toml"
    assert load_config(start=tmp_path).lang == "en"


def test_auditor_toml_may_use_the_tool_table(tmp_path: Path) -> None:
    path = write(tmp_path / "auditor.toml", '[tool.auditor]\ntop = 5\n')
    assert load_config(path).top == 5


def test_all_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", """
[tool.auditor]
fail-on = "info"
lang = "en"
top = 20
disable = ["text", "total.subitem_exceeds"]

[tool.auditor.severity]
"total.row_sum" = "warning"
"total" = "info"
""")
    config = load_config(path)
    assert (config.fail_on, config.lang, config.top) == ("info", "en", 20)
    assert config.disable == frozenset({"text", "total.subitem_exceeds"})
    assert config.warnings == []
    selection = config.selection()
    # the family entry reaches every rule of it; the rule's own entry wins
    assert selection.severity["total.row_sum"] == "warning"
    assert selection.severity["total.column_sum"] == "info"
    from auditor.engine import load_rules

    specs = load_rules()
    assert not selection.enabled(specs["total.subitem_exceeds"])
    assert selection.enabled(specs["total.row_sum"])


def test_explicit_file_that_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(("table", "message"), [
    ({"fail_on": "error"}, "unknown key"),
    ({"fail-on": "fatal"}, "fail-on must be"),
    ({"lang": "fr"}, "lang must be"),
    ({"top": 0}, "top must be"),
    ({"top": True}, "top must be"),
    ({"disable": [1]}, "disable must be"),
    ({"severity": {"total.row_sum": "fatal"}}, "severity.total.row_sum"),
    ({"severity": "error"}, "severity must be"),
])
def test_bad_values_are_errors(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(table)


def test_bad_toml_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "auditor.toml", "fail-on = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_unknown_rule_names_warn_but_load() -> None:
    config = parse_config({"disable": ["total.no_such_rule", "indicator.boilerplate", "nosuchfamily"],
                           "severity": {"score.sum": "info"}})
    assert any("total.no_such_rule" in w for w in config.warnings)
    assert any("nosuchfamily" in w for w in config.warnings)
    assert "total.no_such_rule" in config.disable
