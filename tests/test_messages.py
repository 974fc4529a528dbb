"""The message catalogue (checks/messages/, auditor/messages.py, issue 21): every rule's wording
is data, complete in every language, and agrees with what the rule passes.

Both ways: every template field is declared (statically, here), and every argument a rule passes
is declared, of its type and used by its variant's template in every language — checked on every
finding made while the rule cases run (tests/test_rule_cases.py calls `assert_arguments_render`)
and on the bundled datasets (here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.catalog import CatalogError
from auditor.engine import load_rules
from auditor.messages import (
    FIELD_TYPES,
    _rule_messages,
    argument_problems,
    catalogue,
    families,
    language_codes,
    template_fields,
)
from auditor.model import Finding

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules()

def assert_arguments_render(findings: list[Finding]) -> None:
    """Every finding's arguments fit its rule's catalogue entry (see `argument_problems`)."""
    problems = sorted({p for f in findings if f.rule in RULES
                       for p in argument_problems(f.rule, f.args, f.variant)})
    assert not problems, "\n".join(problems)


def test_every_rule_has_one_entry_and_every_entry_a_rule() -> None:
    assert set(catalogue()) == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_template_field_is_declared_and_every_field_used(rule_id: str) -> None:
    entry = catalogue()[rule_id]
    used: set[str] = set()
    for variant, templates in entry.templates.items():
        assert set(templates) == set(language_codes()), variant
        for lang, text in templates.items():
            fields = set(template_fields(text))
            assert fields <= set(entry.fields), (variant, lang, fields - set(entry.fields))
            used |= fields
    assert not set(entry.fields) - used, set(entry.fields) - used
    assert set(entry.title) == set(language_codes()) and all(entry.title.values())
    assert set(entry.fields.values()) <= set(FIELD_TYPES)


def test_every_family_says_why_and_tolerance_in_every_language() -> None:
    for family in {spec.family for spec in RULES.values()}:
        parts = families()[family]
        for key in ("why", "tolerance"):
            assert all(parts[key].get(lang) for lang in language_codes()), (family, key)


def test_the_datasets_render_fully(made_findings: list[Finding]) -> None:
    from tests.harness import audit_path

    for path in sorted((ROOT / "datasets").rglob("*")):
        if path.suffix in (".txt", ".csv", ".xlsx", ".html"):
            audit_path(path)
    assert made_findings
    assert_arguments_render(made_findings)


def test_a_problem_is_found_both_ways() -> None:
    """argument_problems itself: an undeclared or mistyped argument, one the template does not use,
    a field left out, an unknown variant."""
    args = {"table": "表", "row": "行", "column": "合计", "actual": "1", "parts": "各栏", "expected": "2",
            "difference": "1"}
    assert argument_problems("total.row_sum", args) == []
    assert any("'extra' is not declared" in p for p in argument_problems("total.row_sum", {**args, "extra": "x"}))
    assert any("is a int, declared text" in p for p in argument_problems("total.row_sum", {**args, "row": 3}))
    missing = dict(args)
    missing.pop("row")
    assert any("uses {row}, which the rule did not pass" in p for p in argument_problems("total.row_sum", missing))
    assert argument_problems("total.row_sum", args, "no_such_variant") == [
        "total.row_sum: no template for variant 'no_such_variant'"]


def test_a_variant_selects_its_template() -> None:
    spec = RULES["parse.unread"]
    assert spec.message("zh", {"where": "表1", "reader": "甲", "error": "E"}).endswith("此处内容未参与核对。")
    assert spec.message("zh", {"where": "表1", "missing": 2}, "short_row") == (
        "表1：此行比表格少 2 个单元格；已在行末补空。此处按推测读入，请对照原文核实。")


@pytest.mark.parametrize(("text", "error"), [
    ("rule: total.row_sum\ntitle: {zh: 甲}\nmessages: {default: {zh: a, en: b}}\n", "`title` has no text in en"),
    ("rule: total.row_sum\ntitle: {zh: 甲, en: a}\nmessages: {other: {zh: a, en: b}}\n", "needs a `default` variant"),
    ("rule: total.row_sum\ntitle: {zh: 甲, en: a}\nfields: {row: money}\nmessages: {default: {zh: a, en: b}}\n",
     "field row has type 'money'"),
    ("rule: total.col_sum\ntitle: {zh: 甲, en: a}\nmessages: {default: {zh: a, en: b}}\n", "must be named"),
])
def test_a_broken_entry_is_refused_with_the_reason(text: str, error: str) -> None:
    import yaml

    with pytest.raises(CatalogError, match=error.replace("`", ".").replace("(", ".").replace(")", ".")):
        _rule_messages("total.row_sum.yaml", yaml.safe_load(text))


def test_lang_offers_the_catalogue_languages() -> None:
    from auditor.cli import main

    result = CliRunner().invoke(main, ["check", "--help"])
    assert "[" + "|".join(language_codes()) + "]" in result.output
    refused = CliRunner().invoke(main, ["check", "x.txt", "--lang", "xx"])
    assert refused.exit_code == 2 and "'xx' is not one of" in refused.output


def test_list_and_localized_fields_render_in_the_message_language() -> None:
    from auditor.messages import RuleMessages

    entry = RuleMessages(rule="x.y", title={"zh": "甲", "en": "a"}, checks={},
                         fields={"names": "list", "concept": "localized"},
                         templates={"default": {"zh": "{concept}：{names}", "en": "{concept}: {names}"}})
    args = {"names": ["表一", "表二"], "concept": {"zh": "基本支出", "en": "basic expenditure"}}
    assert entry.render("zh", args) == "基本支出：表一、表二"
    assert entry.render("en", args) == "basic expenditure: 表一, 表二"


def test_a_localized_argument_needs_every_language() -> None:
    from auditor import messages

    entry = messages.RuleMessages(rule="x.y", title={"zh": "甲", "en": "a"}, checks={}, fields={"concept": "localized"},
                                  templates={"default": {"zh": "{concept}", "en": "{concept}"}})
    original = messages.messages_of
    try:
        messages.messages_of = lambda rule: entry  # type: ignore[assignment]
        assert messages.argument_problems("x.y", {"concept": {"zh": "基本支出", "en": "basic"}}) == []
        assert "has no text in en" in messages.argument_problems("x.y", {"concept": {"zh": "基本支出"}})[0]
    finally:
        messages.messages_of = original  # type: ignore[assignment]


def _entry_with_parts() -> Any:
    from auditor import messages

    part = messages.Part
    return messages.RuleMessages(
        rule="x.y", title={"zh": "甲", "en": "a"}, checks={},
        fields={"where": "parts", "why": "clauses", "note": "sentence"},
        templates={"default": {"zh": "{where}：{why}。{note}", "en": "{where}: {why}. {note}"}},
        parts={"cell": part("cell", {"row": "text"}, {"zh": "「{row}」", "en": "“{row}”"}),
               "low": part("low", {"rate": "text", "rows": "parts"},
                           {"zh": "仅 {rate}（{rows}）", "en": "only {rate} ({rows})"}),
               "late": part("late", {}, {"zh": "延期", "en": "late"})})


def test_parts_render_from_their_own_templates_joined_per_language() -> None:
    entry = _entry_with_parts()
    args = {"where": [{"part": "cell", "row": "甲"}, {"part": "cell", "row": "乙"}, {"part": "more_places", "count": 2}],
            "why": [{"part": "low", "rate": "80%", "rows": [{"part": "cell", "row": "丙"}]}, {"part": "late"}],
            "note": [{"part": "late"}]}
    # `more_places` is not the rule's own: it comes from _parts.yaml
    assert entry.render("zh", args) == "「甲」、「乙」、等 2 处：仅 80%（「丙」）；延期。延期。"
    assert entry.render("en", args) == "“甲”, “乙”, and 2 more: only 80% (“丙”); late. late."
    # an empty sentence is no text at all, not a lone full stop
    assert entry.render("zh", {**args, "note": []}) == "「甲」、「乙」、等 2 处：仅 80%（「丙」）；延期。"


def test_part_arguments_are_checked_like_a_message() -> None:
    from auditor import messages

    entry = _entry_with_parts()
    original = messages.messages_of
    try:
        messages.messages_of = lambda rule: entry  # type: ignore[assignment]
        good = {"where": [{"part": "cell", "row": "甲"}], "why": [{"part": "late"}], "note": []}
        assert messages.argument_problems("x.y", good) == []
        unknown = messages.argument_problems("x.y", {**good, "why": [{"part": "early"}]})
        assert len(unknown) == 1 and "names part 'early'" in unknown[0]
        not_record = messages.argument_problems("x.y", {**good, "why": ["延期"]})
        assert len(not_record) == 1 and "not a record" in not_record[0]
        nested = messages.argument_problems("x.y", {**good, "why": [{"part": "low", "rate": 80, "rows": [{"part": "cell"}]}]})
        assert any("'rate' is a int, declared text" in p for p in nested)
        assert any("why[low].rows[cell]" in p and "uses {row}" in p for p in nested)
    finally:
        messages.messages_of = original  # type: ignore[assignment]


def test_a_part_without_a_language_is_refused() -> None:
    with pytest.raises(CatalogError, match=r"parts\.late` has no text in en"):
        _rule_messages("x.y.yaml", {"rule": "x.y", "title": {"zh": "甲", "en": "a"},
                                    "messages": {"default": {"zh": "甲", "en": "a"}},
                                    "parts": {"late": {"zh": "延期"}}})


def test_every_part_has_every_language_and_declares_its_fields() -> None:
    from auditor.messages import shared_parts

    for owner, parts in [("_parts.yaml", shared_parts()), *((rule, e.parts) for rule, e in catalogue().items())]:
        for name, part in parts.items():
            assert set(part.templates) == set(language_codes()), (owner, name)
            for lang, text in part.templates.items():
                assert set(template_fields(text)) == set(part.fields), (owner, name, lang)
            assert set(part.fields.values()) <= set(FIELD_TYPES), (owner, name)


def test_every_language_has_every_report_label() -> None:
    from reports._common import read_labels

    def keys(value: Any, prefix: str = "") -> set[str]:
        if not isinstance(value, dict):
            return {prefix}
        return {k for key, sub in value.items() for k in keys(sub, f"{prefix}.{key}")}

    for part in ("report", "text"):
        labels = read_labels(part)
        assert set(labels) == set(language_codes()), part
        first = keys(labels[language_codes()[0]])
        for lang in language_codes():
            assert keys(labels[lang]) == first, (part, lang, keys(labels[lang]) ^ first)


def test_reports_declare_the_language_of_the_result() -> None:
    from reports._common import language_tag

    assert language_tag({"lang": "zh"}) == "zh-CN" and language_tag({"lang": "en"}) == "en-US"
    assert language_tag({}) == "zh-CN"


def test_a_new_language_is_a_yaml_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Add a language "xx" the way a translator would — an entry in _languages.yaml and a text in
    every catalogue file and label block (here: copies of the English, marked) — and audit in it,
    with no Python changed: --lang offers it, every message and label is the new language's."""
    import shutil

    import yaml

    from auditor import messages
    from auditor.cli import main
    from reports import _common

    folder = tmp_path / "messages"
    shutil.copytree(ROOT / "checks" / "messages", folder)

    def add_xx(value: Any) -> Any:
        if isinstance(value, dict):
            value = {k: add_xx(v) for k, v in value.items()}
            if "en" in value and isinstance(value["en"], str):
                value["xx"] = "XX " + value["en"]
        return value

    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "_languages.yaml":
            data["xx"] = {"name": "Test language", "tag": "x-test", "list_separator": " / ",
                          "clause_separator": " // ", "sentence_end": " ."}
        else:
            data = add_xx(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    labels = yaml.safe_load((ROOT / "reports" / "templates" / "labels.yaml").read_text(encoding="utf-8"))
    labels["xx"] = labels["en"]
    labels_file = tmp_path / "labels.yaml"
    labels_file.write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")

    for cached in (messages.languages, messages.catalogue, messages.families, messages.shared_parts,
                   _common._all_labels):
        cached.cache_clear()
    monkeypatch.setattr(messages, "_folder", lambda: folder)
    monkeypatch.setattr(_common, "_all_labels", lambda: yaml.safe_load(labels_file.read_text(encoding="utf-8")))
    try:
        assert "xx" in messages.language_codes()
        result = CliRunner().invoke(main, ["check", str(ROOT / "datasets"), "--lang", "xx", "--format", "json",
                                           "--fail-on", "never"])
        assert result.exit_code == 0, result.output
        import json

        data = json.loads(result.output)
        assert data["findings"] and all(f["message"].startswith("XX ") and f["title"].startswith("XX ")
                                        for f in data["findings"])
        assert all(spec["title_xx"].startswith("XX ") for spec in data["rules"])
        text = CliRunner().invoke(main, ["check", str(ROOT / "datasets"), "--lang", "xx", "--fail-on", "never"])
        assert "XX " in text.output and "printed" in text.output  # messages in xx, labels from the xx block
    finally:
        for cached in (messages.languages, messages.catalogue, messages.families, messages.shared_parts):
            cached.cache_clear()
