"""Shared helpers for the renderers: labels, grouping, paths and text sanitising.

Everything here reads the run result (DESIGN §5) and nothing else; no helper computes a check.
"""

from __future__ import annotations

import os
import re
from functools import cache
from importlib.resources import files
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from auditor.messages import languages
from auditor.yaml_files import read_yaml_file

SEVERITIES = ("error", "warning", "info")



def read_labels(part: str) -> dict[str, dict[str, Any]]:
    """One part ("report", "text") of reports/templates/labels.yaml: language -> labels."""
    return {lang: entry[part] for lang, entry in _all_labels().items()}


@cache
def _all_labels() -> dict[str, dict[str, Any]]:
    return read_yaml_file(files("reports") / "templates" / "labels.yaml")


# C0 controls except tab and newline, DEL, C1 controls, the noncharacters U+FFFE/U+FFFF and lone
# surrogates: never useful in a report, and illegal in XML, in XLSX cells or in UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def language_tag(result: dict[str, Any]) -> str:
    """The BCP 47 tag of the result's language (checks/messages/_languages.yaml), for a report's
    `lang` attribute and SARIF's `language`."""
    known = languages()
    entry = known.get(str(result.get("lang") or "")) or next(iter(known.values()))
    return entry.tag


def labels(result: dict[str, Any]) -> dict[str, Any]:
    """The label set for the result's language (the first language's when it has none)."""
    return labels_in(read_labels("report"), result)


def labels_in(by_language: dict[str, dict[str, Any]], result: dict[str, Any]) -> dict[str, Any]:
    """The labels of the result's language from one part of labels.yaml, else of its first language."""
    return by_language.get(str(result.get("lang") or ""), next(iter(by_language.values())))


def clean(value: Any, *, keep_newlines: bool = True) -> str:
    """`value` as text with control characters removed (None becomes "")."""
    if value is None:
        return ""
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    if not keep_newlines:
        text = " ".join(text.split("\n"))
    return text


def family(rule_id: str) -> str:
    """The rule family: the part of the id before the first dot (`total.row_sum` -> `total`)."""
    return rule_id.split(".", 1)[0]


def shown(result: dict[str, Any], top: int | None) -> list[dict[str, Any]]:
    """The findings a human-readable report shows: all of them, or the `top` highest-ranked
    findings (each finding counts once, as `--top` says; a group cut by the limit shows its
    higher-ranked members). Machine formats (json, sarif, junit) never call this with a limit."""
    findings = result["findings"]
    if top is None:
        return findings
    return findings[:top]


def unchecked_documents(result: dict[str, Any]) -> tuple[int, int]:
    """(documents not audited, documents audited but with nothing checked): with either, an empty
    finding list is not "clean"."""
    documents = result.get("documents", [])
    unaudited = sum(1 for d in documents if d.get("error"))
    unchecked = sum(1 for d in documents if not d.get("error")
                    and (d.get("coverage") or {}).get("status") in ("nothing_read", "nothing_checked"))
    return unaudited, unchecked


def no_findings(result: dict[str, Any], t: dict[str, Any]) -> str:
    """What a report says when it has no finding: "No findings." only when every document was
    audited and checked; otherwise how many were not."""
    unaudited, unchecked = unchecked_documents(result)
    documents = result.get("documents", [])
    if documents and unaudited == len(documents):
        return str(t["none_audited"].format(n=unaudited))
    if unaudited or unchecked:
        return str(t["none_some"].format(n=unaudited + unchecked))
    return str(t["none"])


def grouped(findings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Findings in rank order, gathered by root-cause group; each group's lead comes first.

    The ranker already lists a group's members together; this only makes the grouping explicit
    (and tolerates a result where they are not adjacent).
    """
    order: list[str] = []
    members: dict[str, list[dict[str, Any]]] = {}
    for index, finding in enumerate(findings):
        key = str(finding.get("group") or f"#{index}")
        if key not in members:
            order.append(key)
            members[key] = []
        members[key].append(finding)
    out = []
    for key in order:
        group = members[key]
        group.sort(key=lambda f: (not f.get("group_lead"), f.get("rank") or 0))
        out.append(group)
    return out


def group_suggestion(group: list[dict[str, Any]]) -> str | None:
    """The suggested value of a group: its lead's `suggestion`, if any member carries one."""
    for finding in group:
        if finding.get("suggestion"):
            return str(finding["suggestion"])
    return None


def place(location: dict[str, Any], sep: str = " › ") -> str:
    """The logical place of a finding: table › row › column (whatever of them is known)."""
    return sep.join(clean(location.get(k), keep_newlines=False) for k in ("table", "row", "column")
                    if location.get(k))


def where(location: dict[str, Any]) -> str:
    """`path:line` (and page) of a location."""
    text = clean(location.get("path"), keep_newlines=False)
    if location.get("line"):
        text += f":{location['line']}"
    if location.get("page"):
        text += f" p{location['page']}"
    return text


def relative_path(path: str) -> str:
    """A forward-slash path, relative to the working directory when it lies below it."""
    raw = str(path)
    if PureWindowsPath(raw).drive:
        return PureWindowsPath(raw).as_posix()
    if os.path.isabs(raw):
        try:
            rel = os.path.relpath(raw)
        except ValueError:
            return PurePosixPath(raw).as_posix()
        if not rel.startswith(".."):
            return PurePosixPath(rel).as_posix()
        return raw
    return raw.replace("\\", "/")


def uri(path: str) -> str:
    """A URI reference for a path: relative paths stay relative, percent-encoded (RFC 3986)."""
    rel = relative_path(path)
    if os.path.isabs(rel) and not PureWindowsPath(rel).drive:
        return "file://" + quote(rel, safe="/-_.~")
    if PureWindowsPath(rel).drive:
        return "file:///" + quote(rel, safe="/-_.~:")
    return quote(rel, safe="/-_.~")


def confirming_engines(finding: dict[str, Any]) -> list[str]:
    """The engines of `confirmed_by` when more than one of them reported the finding, else [].

    One engine is the ordinary case (auditor alone, or a `schema.*` finding of the GX suite alone)
    and gets no marker, so a report of a run without `--gx` stays exactly as it was.
    """
    engines = list(dict.fromkeys(str(e) for e in finding.get("confirmed_by") or []))
    return engines if len(engines) > 1 else []


def engine_names(engines: list[str], t: dict[str, Any]) -> list[str]:
    """How a reader knows each engine ("gx" is Great Expectations); an unknown id as it is."""
    return [clean(t["engines"].get(e, e), keep_newlines=False) for e in engines]


def engine_list(engines: list[str], t: dict[str, Any]) -> str:
    """Engine names as a phrase: "auditor 与 Great Expectations", "a, b and c"."""
    names = engine_names(engines, t)
    if len(names) < 2:
        return "".join(names)
    return t["engine_sep"].join(names[:-1]) + t["engine_and"] + names[-1]


def confirmed_note(finding: dict[str, Any], t: dict[str, Any], key: str = "confirmed") -> str:
    """The localized marker (label `key`) of a finding several engines confirmed, "" for any other."""
    engines = confirming_engines(finding)
    return t[key].format(engines=engine_list(engines, t)) if engines else ""


def with_confirmed(text: str, finding: dict[str, Any], t: dict[str, Any]) -> str:
    """`text` followed by the finding's confirmation marker (unchanged when there is none)."""
    note = confirmed_note(finding, t)
    return f"{text}{t['confirmed_sep']}{note}" if note else text
