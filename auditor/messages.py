"""The message catalogue (issue 21): every word a user reads about a rule, as data.

`checks/messages/<rule>.yaml` holds one rule's title, what it checks, its declared fields and one
template per finding variant and language; `_languages.yaml` lists the languages, `_families.yaml`
what each family's failures mean and tolerate. A rule passes structured arguments only (a
`Finding`'s `args` and `variant`); the text is made here, at render time. So a wording fix or a
new language is an edit of YAML, not of Python (checks/messages/README.md says how).

Field types: `text` (a string: a label, a printed amount, a name), `integer` (a count, a year,
a line number), `list` (strings, joined with the language's list separator), `localized` (a
name the rule took from catalogue data that holds it per language, e.g. a concept's name: a
mapping language -> text, rendered in the message's language), and three kinds of *parts*: a
list of records `{"part": name, field: value, ...}`, each rendered from the part's own template
(the rule file's `parts:`, else `_parts.yaml`, shared by rules: a table cell, a prose line, "and
N more"). `parts` are joined like a list, `clauses` with the language's clause separator, and a
`sentence` is clauses closed by the language's sentence end (nothing when there is no clause).
Parts are how a rule says "one to three of these things" without composing text: each part's
fields are declared and checked like a message's. `tests/test_messages.py` checks the catalogue
both ways: every template field is declared, every argument a rule passes is declared, of its
type, and used by its variant.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from auditor.catalog import CatalogError
from auditor.yaml_files import read_yaml_file

DEFAULT_VARIANT = "default"
FIELD_TYPES: dict[str, tuple[type, ...]] = {"text": (str,), "integer": (int,), "list": (list, tuple),
                                            "localized": (dict,), "parts": (list, tuple),
                                            "clauses": (list, tuple), "sentence": (list, tuple)}
PART_TYPES = frozenset({"parts", "clauses", "sentence"})
PART_KEY = "part"  # the record key that names a part's template
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class RuleMessages:
    """One rule's entry of the catalogue."""

    rule: str
    title: dict[str, str]  # language -> title
    checks: dict[str, str]  # language -> what the rule checks, in a sentence (may lack a language)
    fields: dict[str, str]  # field name -> type (FIELD_TYPES)
    templates: dict[str, dict[str, str]]  # variant -> language -> template
    parts: dict[str, Part] = field(default_factory=dict)  # the rule's own (the shared: `shared_parts()`)

    def template(self, lang: str, variant: str = "") -> str:
        return self.templates[variant or DEFAULT_VARIANT][lang]

    def part(self, name: str) -> Part | None:
        return self.parts.get(name) or shared_parts().get(name)

    def render(self, lang: str, args: dict[str, Any], variant: str = "") -> str:
        """The message of one finding; a field the rule did not pass renders as "?" (the tests make
        sure no rule leaves one out, a report must still be written when one does)."""
        return self.template(lang, variant).format_map(_Defaulting(self._in_language(args, self.fields, lang)))

    def _in_language(self, args: dict[str, Any], fields: dict[str, str], lang: str) -> dict[str, Any]:
        """List, localized and part arguments as text of one language; the others as they are."""
        if not any(isinstance(v, (list, tuple, dict)) for v in args.values()):
            return args
        out = dict(args)
        for key, value in args.items():
            kind = fields.get(key)
            if kind in PART_TYPES and isinstance(value, (list, tuple)):
                out[key] = self._join_parts(value, kind, lang)
            elif isinstance(value, (list, tuple)):
                out[key] = list_separator(lang).join(str(v) for v in value)
            elif isinstance(value, dict):
                out[key] = str(value.get(lang) or next(iter(value.values()), ""))
        return out

    def _join_parts(self, records: list[Any] | tuple[Any, ...], kind: str, lang: str) -> str:
        texts = [self._render_part(r, lang) for r in records]
        language = languages().get(lang)
        if kind == "parts":
            return list_separator(lang).join(texts)
        joined = (language.clause_separator if language else "; ").join(texts)
        if kind == "sentence" and texts:
            joined += language.sentence_end if language else "."
        return joined

    def _render_part(self, record: Any, lang: str) -> str:
        if not isinstance(record, dict):
            return str(record)
        part = self.part(str(record.get(PART_KEY, "")))
        if part is None:
            return "?"
        values = {k: v for k, v in record.items() if k != PART_KEY}
        return part.templates[lang].format_map(_Defaulting(self._in_language(values, part.fields, lang)))


@dataclass(frozen=True)
class Part:
    """A piece of a message a rule may use several times or not at all: its fields and templates."""

    name: str
    fields: dict[str, str]  # field name -> type
    templates: dict[str, str]  # language -> template


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def template_fields(template: str) -> list[str]:
    """The field names a template uses, in order, each once."""
    out: list[str] = []
    for _, name, _, _ in _FORMATTER.parse(template):
        if name and name not in out:
            out.append(name)
    return out


def _folder() -> Any:
    return files("checks") / "messages"


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    tag: str  # BCP 47, for a report's `lang` attribute and SARIF
    list_separator: str
    clause_separator: str  # joins `clauses` and `sentence` parts
    sentence_end: str  # closes a `sentence`


@cache
def languages() -> dict[str, Language]:
    """Language code -> its entry, in the order of `_languages.yaml` (the first is the default)."""
    data = read_yaml_file(_folder() / "_languages.yaml")
    if not isinstance(data, dict) or not data:
        raise CatalogError("messages/_languages.yaml: expected a mapping of language codes to entries")
    out = {}
    for code, entry in data.items():
        keys = ("name", "tag", "list_separator", "clause_separator", "sentence_end")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in keys):
            raise CatalogError(f"messages/_languages.yaml: {code} needs {', '.join(keys)}")
        out[str(code)] = Language(code=str(code), **{k: entry[k] for k in keys})
    return out


def language_codes() -> tuple[str, ...]:
    return tuple(languages())


def list_separator(lang: str) -> str:
    found = languages().get(lang)
    return found.list_separator if found else ", "


@cache
def catalogue() -> dict[str, RuleMessages]:
    """Every rule's messages, by rule id."""
    out: dict[str, RuleMessages] = {}
    for entry in sorted(_folder().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and not entry.name.startswith("_"):
            messages = _rule_messages(entry.name, read_yaml_file(entry))
            out[messages.rule] = messages
    return out


def _rule_messages(name: str, data: Any) -> RuleMessages:
    langs = language_codes()
    if not isinstance(data, dict) or not data.get("rule"):
        raise CatalogError(f"messages/{name}: expected a mapping with a `rule`")
    rule = str(data["rule"])
    if f"{rule}.yaml" != name:
        raise CatalogError(f"messages/{name}: holds rule {rule}; the file must be named {rule}.yaml")
    title = _by_language(name, "title", data.get("title"), langs)
    fields = _fields(name, "fields", data.get("fields"))
    raw = data.get("messages")
    if not isinstance(raw, dict) or DEFAULT_VARIANT not in raw:
        raise CatalogError(f"messages/{name}: `messages` needs a `{DEFAULT_VARIANT}` variant")
    templates = {str(v): _by_language(name, f"messages.{v}", t, langs) for v, t in raw.items()}
    checks = {str(k): str(v) for k, v in (data.get("checks") or {}).items()}
    return RuleMessages(rule=rule, title=title, checks=checks, fields=fields, templates=templates,
                        parts=_parts(name, data.get("parts")))


def _fields(name: str, key: str, value: Any) -> dict[str, str]:
    if value is not None and not isinstance(value, dict):
        raise CatalogError(f"messages/{name}: `{key}` must map each field to its type")
    fields = {str(k): str(v) for k, v in (value or {}).items()}
    for field_name, kind in fields.items():
        if kind not in FIELD_TYPES:
            raise CatalogError(f"messages/{name}: field {field_name} has type {kind!r}; known: {', '.join(FIELD_TYPES)}")
    return fields


def _parts(name: str, data: Any) -> dict[str, Part]:
    """`parts:` of a message file: part name -> {fields: {...}, <language>: template, ...}."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CatalogError(f"messages/{name}: `parts` must map each part's name to its fields and templates")
    out = {}
    for part_name, entry in data.items():
        if not isinstance(entry, dict):
            raise CatalogError(f"messages/{name}: part {part_name} must give its fields and a template per language")
        templates = {k: v for k, v in entry.items() if k != "fields"}
        out[str(part_name)] = Part(name=str(part_name), fields=_fields(name, f"parts.{part_name}.fields", entry.get("fields")),
                                   templates=_by_language(name, f"parts.{part_name}", templates, language_codes()))
    return out


@cache
def shared_parts() -> dict[str, Part]:
    """The parts any rule may use (`_parts.yaml`): how a table cell, a prose line, "and N more" read."""
    return _parts("_parts.yaml", read_yaml_file(_folder() / "_parts.yaml"))


def _by_language(name: str, key: str, value: Any, langs: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise CatalogError(f"messages/{name}: `{key}` must map each language to a text")
    missing = [lang for lang in langs if not isinstance(value.get(lang), str)]
    if missing:
        raise CatalogError(f"messages/{name}: `{key}` has no text in {', '.join(missing)}")
    return {lang: value[lang] for lang in langs}


@cache
def families() -> dict[str, dict[str, dict[str, str]]]:
    """Family -> "why" / "tolerance" -> language -> text."""
    data = read_yaml_file(_folder() / "_families.yaml") or {}
    return {str(f): {str(k): dict(v) for k, v in parts.items()} for f, parts in data.items()}


def messages_of(rule: str) -> RuleMessages:
    try:
        return catalogue()[rule]
    except KeyError:
        raise CatalogError(f"rule {rule} has no checks/messages/{rule}.yaml") from None


def argument_problems(rule: str, args: dict[str, Any], variant: str = "") -> list[str]:
    """What is wrong with the arguments a rule passed for one finding, against its catalogue entry:
    an argument not declared or not of its type, one the variant's template does not use in some
    language, a field the template uses that was not passed, a variant with no template. Empty
    when the finding renders fully in every language (the tests run it over every rule case)."""
    entry = messages_of(rule)
    name = variant or DEFAULT_VARIANT
    if name not in entry.templates:
        return [f"{rule}: no template for variant {name!r}"]
    return _field_problems(entry, f"{rule}/{name}", entry.fields, entry.templates[name], args)


def _field_problems(entry: RuleMessages, where: str, declared: dict[str, str], templates: dict[str, str],
                    args: dict[str, Any]) -> list[str]:
    """The problems of one message's (or one part's) arguments; parts are checked the same way."""
    rule = entry.rule
    problems = []
    used = {lang: set(template_fields(text)) for lang, text in templates.items()}
    for field_name, value in args.items():
        kind = declared.get(field_name)
        if kind is None:
            problems.append(f"{where}: argument {field_name!r} is not declared in checks/messages/{rule}.yaml")
        elif not isinstance(value, FIELD_TYPES[kind]):
            problems.append(f"{where}: argument {field_name!r} is a {type(value).__name__}, declared {kind}")
        elif kind == "localized" and set(value) != set(used):
            problems.append(f"{where}: argument {field_name!r} has no text in "
                            f"{', '.join(sorted(set(used) - set(value))) or '?'} (or one for an unknown language)")
        elif kind in PART_TYPES:
            for record in value:
                problems.extend(_part_problems(entry, where, field_name, record))
        problems.extend(f"{where}: argument {field_name!r} is not used in {lang}"
                        for lang, fields in used.items() if field_name not in fields)
    for lang, fields in used.items():
        problems.extend(f"{where}: the {lang} template uses {{{f}}}, which the rule did not pass"
                        for f in sorted(fields - set(args)))
    return problems


def _part_problems(entry: RuleMessages, where: str, field_name: str, record: Any) -> list[str]:
    if not isinstance(record, dict) or not isinstance(record.get(PART_KEY), str):
        return [f"{where}: argument {field_name!r} holds {record!r}, not a record naming its {PART_KEY!r}"]
    part = entry.part(record[PART_KEY])
    if part is None:
        return [f"{where}: argument {field_name!r} names part {record[PART_KEY]!r}, which neither "
                f"checks/messages/{entry.rule}.yaml nor _parts.yaml defines"]
    values = {k: v for k, v in record.items() if k != PART_KEY}
    return _field_problems(entry, f"{where}.{field_name}[{part.name}]", part.fields, part.templates, values)
