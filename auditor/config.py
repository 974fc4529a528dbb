"""Project configuration for `auditor check`: the `[tool.auditor]` table of `pyproject.toml`, or
an `auditor.toml` (top-level keys, or the same `[tool.auditor]` table).

The file is found by walking up from the working directory; in each directory `auditor.toml`
wins over `pyproject.toml`, and a `pyproject.toml` without `[tool.auditor]` is passed over.
Command-line options override the file. Keys:

```toml
[tool.auditor]
fail-on = "warning"            # error | warning | info | never
lang = "en"                    # zh | en
top = 20                       # text, md, html, xlsx: the N highest-ranked findings only
disable = ["text", "rate.rounding"]   # rule ids or whole families
ocr = "auto"                   # never (default) | auto: OCR pages without a text layer | always
ocr-max-pages = 50             # most pages OCR'd per document
ocr-page-timeout = 180         # seconds per page
[tool.auditor.severity]        # per-rule (or per-family) severity override
"indicator.boilerplate" = "info"
"narrative" = "warning"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.messages import language_codes
from auditor.model import SEVERITIES, Severity

FAIL_LEVELS = ("error", "warning", "info", "never")
KEYS = ("fail-on", "lang", "disable", "severity", "top", "ocr", "ocr-max-pages", "ocr-page-timeout")
OCR_MODES = ("never", "auto", "always")
FILENAMES = ("auditor.toml", "pyproject.toml")
# Families of DESIGN §7; rules that are not written yet may still be named in a config.
KNOWN_FAMILIES = frozenset({"total", "crosstable", "narrative", "rate", "indicator", "score", "date", "text",
                            "parse"})


class ConfigError(ValueError):
    """A configuration file that cannot be used (bad TOML, an unknown key, a bad value)."""


@dataclass
class Config:
    """Settings from a config file; None means "not set" (the CLI default applies)."""

    path: Path | None = None
    fail_on: str | None = None
    lang: str | None = None
    top: int | None = None
    disable: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    ocr: str | None = None
    ocr_max_pages: int | None = None
    ocr_page_timeout: float | None = None
    warnings: list[str] = field(default_factory=list)

    def selection(self) -> Any:
        """The engine Selection for these settings; family-level severities expand to rule ids."""
        from auditor.engine import Selection, load_rules

        specs = load_rules()
        severity: dict[str, Severity] = {}
        for key, level in self.severity.items():  # families first, so a rule's own entry wins
            if "." not in key:
                severity.update({rule_id: level for rule_id, spec in specs.items() if spec.family == key})
        severity.update({k: v for k, v in self.severity.items() if "." in k})
        return Selection(disabled=frozenset(self.disable), severity=severity)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file from `start` (default: the working directory) up to the root."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "auditor.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "auditor" in data["tool"]


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """Read the given config file, or the nearest one; no file found gives an empty Config."""
    if path is None:
        found = find_config(start)
        if found is None:
            return Config()
        path = found
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    tool = data.get("tool")
    if isinstance(tool, dict) and "auditor" in tool:
        table = tool["auditor"]
    elif path.name == "pyproject.toml":
        table = {}
    else:
        table = {k: v for k, v in data.items() if k != "tool"}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.auditor] must be a table")
    return parse_config(table, path)


def _known_rules() -> tuple[set[str], set[str]]:
    from auditor.engine import load_rules

    specs = load_rules()
    return set(specs), {s.family for s in specs.values()} | set(KNOWN_FAMILIES)


def _choice(table: dict[str, Any], key: str, allowed: tuple[str, ...], where: str, default: Any) -> Any:
    """table[key] when it is one of `allowed`; `default` when the key is absent."""
    if key not in table:
        return default
    if table[key] not in allowed:
        raise ConfigError(f"{where}{key} must be one of {', '.join(allowed)}, not {table[key]!r}")
    return table[key]


def _positive_int(table: dict[str, Any], key: str, where: str) -> int:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}{key} must be a positive integer, not {value!r}")
    return value


def parse_config(table: dict[str, Any], path: Path | None = None) -> Config:
    """Validate a `[tool.auditor]` table. Unknown keys and bad values raise ConfigError; a rule id
    that no registered rule has is kept, with a warning (it may belong to a newer version)."""
    where = f"{path}: " if path else ""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}unknown key(s) {', '.join(unknown)}; known keys: {', '.join(KEYS)}")
    config = Config(path=path)
    config.fail_on = _choice(table, "fail-on", FAIL_LEVELS, where, config.fail_on)
    config.lang = _choice(table, "lang", language_codes(), where, config.lang)
    config.ocr = _choice(table, "ocr", OCR_MODES, where, config.ocr)
    if "top" in table:
        config.top = _positive_int(table, "top", where)
    if "ocr-max-pages" in table:
        config.ocr_max_pages = _positive_int(table, "ocr-max-pages", where)
    if "ocr-page-timeout" in table:
        seconds = table["ocr-page-timeout"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
            raise ConfigError(f"{where}ocr-page-timeout must be a positive number of seconds, not {seconds!r}")
        config.ocr_page_timeout = float(seconds)
    rules, families = _known_rules()
    if "disable" in table:
        items = table["disable"]
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{where}disable must be a list of rule ids or families")
        config.disable = frozenset(i.strip() for i in items if i.strip())
        for item in sorted(config.disable):
            if item not in rules and item not in families:
                config.warnings.append(f"{where}disable: no rule or family {item!r}")
    if "severity" in table:
        overrides = table["severity"]
        if not isinstance(overrides, dict):
            raise ConfigError(f"{where}severity must be a table of rule id (or family) = level")
        for key, level in overrides.items():
            if level not in SEVERITIES:
                raise ConfigError(f"{where}severity.{key} must be one of {', '.join(SEVERITIES)}, not {level!r}")
            if key not in rules and key not in families:
                config.warnings.append(f"{where}severity: no rule or family {key!r}")
            config.severity[key] = level
    return config
