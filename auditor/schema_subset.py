"""A small JSON Schema validator for the catalog's own schema files (a subset of draft 2020-12).

Why not jsonschema: it is not a runtime dependency, and importing it costs ~77 ms, which a cold
`auditor check` would pay to validate twenty small table kind files. This validator knows only
the keywords the catalog's schemas use and refuses a schema with any other keyword, so a rule
added to a schema file is either enforced here or fails loudly, never silently skipped. The
tests validate the same files with jsonschema as well.
"""

from __future__ import annotations

import re
from typing import Any

# Keywords that describe and never constrain.
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description"})
_KEYWORDS = frozenset({
    "type", "enum", "minimum", "minLength", "pattern", "format", "minItems", "items", "minProperties",
    "propertyNames", "properties", "required", "additionalProperties", "anyOf", "$ref",
})
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "boolean": (bool,),
}


class SchemaViolation(ValueError):
    """An instance breaks a rule of its schema; `path` is where ("roles.total[0]")."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '(top level)'}: {message}")
        self.path = path
        self.message = message


def _has_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name != "boolean":
        return False  # JSON has no bool-as-integer
    return isinstance(value, _TYPES[name])


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported, not {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        schema = target
    return schema


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "") -> None:
    """Raise SchemaViolation at the first rule of `schema` (a JSON Schema subset) `value` breaks."""
    root = schema if root is None else root
    schema = _resolve(schema, root)
    unknown = set(schema) - _KEYWORDS - _ANNOTATIONS
    if unknown:
        raise ValueError(f"schema keyword(s) {sorted(unknown)} are not supported by auditor.schema_subset")
    if "anyOf" in schema:
        _any_of(value, schema["anyOf"], root, path)
    if "type" in schema and not _has_type(value, schema["type"]):
        raise SchemaViolation(path, f"expected {schema['type']}, got {type(value).__name__} {value!r}")
    if "enum" in schema and not any(
            value == e and isinstance(value, bool) == isinstance(e, bool) for e in schema["enum"]):
        raise SchemaViolation(path, f"{value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        _string(value, schema, path)
    elif isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise SchemaViolation(path, f"{value} is less than {schema['minimum']}")
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise SchemaViolation(path, f"needs at least {schema['minItems']} item(s)")
        if "items" in schema:
            for i, item in enumerate(value):
                validate(item, schema["items"], root, f"{path}[{i}]")
    elif isinstance(value, dict):
        _object(value, schema, root, path)


def _string(value: str, schema: dict[str, Any], path: str) -> None:
    if len(value) < schema.get("minLength", 0):
        raise SchemaViolation(path, "must not be empty")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise SchemaViolation(path, f"{value!r} does not have the form {schema['pattern']}")
    if schema.get("format") == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            raise SchemaViolation(path, f"{value!r} is not a valid regex ({exc})") from exc


def _object(value: dict[Any, Any], schema: dict[str, Any], root: dict[str, Any], path: str) -> None:
    if len(value) < schema.get("minProperties", 0):
        raise SchemaViolation(path, f"needs at least {schema['minProperties']} entr(y/ies)")
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        where = _join(path, str(key))
        if not isinstance(key, str):
            raise SchemaViolation(where, f"key {key!r} is not a string")
        if "propertyNames" in schema:
            validate(key, schema["propertyNames"], root, where)
        if key in properties:
            validate(item, properties[key], root, where)
        elif extra is False:
            raise SchemaViolation(where, f"unknown key (allowed: {', '.join(properties)})")
        elif isinstance(extra, dict):
            validate(item, extra, root, where)
    # after the keys present, so that a misspelt key is named as such, not as a missing one
    for key in schema.get("required", ()):
        if key not in value:
            raise SchemaViolation(path, f"required key {key!r} is missing")


def _any_of(value: Any, branches: list[dict[str, Any]], root: dict[str, Any], path: str) -> None:
    errors: list[SchemaViolation] = []
    for branch in branches:
        try:
            validate(value, branch, root, path)
            return
        except SchemaViolation as exc:
            errors.append(exc)
    # Report the branch of the value's own type: its message says what is wrong inside it.
    for branch, error in zip(branches, errors, strict=True):
        wanted = _resolve(branch, root).get("type")
        if wanted is not None and _has_type(value, wanted):
            raise error
    kinds = [str(_resolve(b, root).get("type", "?")) for b in branches]
    raise SchemaViolation(path, f"expected {' or '.join(kinds)}, got {type(value).__name__} {value!r}")
