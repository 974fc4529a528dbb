"""`auditor explain RULE`: one rule in full, readable without any other document.

What the rule checks (its doc), why it matters and its tolerance (from the doc's own "Why it
matters:" / "Tolerance:" paragraphs, else the family's, in zh and en), its zh and en messages, and
each case of checks/cases/<rule>.yaml: those that fail and those that pass.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from auditor.cases import fragment_lines, rule_cases
from auditor.messages import families

WIDTH = 100
_LIST_ITEM = re.compile(r"^\s*(?:[*\-•]|\d+[.)])\s+")


def _paragraphs(doc: str) -> list[str]:
    """The doc's paragraphs; a list item stays its own line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", doc.strip()):
        items: list[str] = []
        for line in block.split("\n"):
            if _LIST_ITEM.match(line) or not items:
                items.append(line.strip())
            else:
                items[-1] += " " + line.strip()
        out.append("\n".join(" ".join(i.split()) for i in items))
    return [p for p in out if p]


def _fill(text: str, indent: str = "  ") -> str:
    lines = []
    for item in text.split("\n"):
        hang = indent + " " * (len(m.group(0)) if (m := _LIST_ITEM.match(item)) else 0)
        lines.append(textwrap.fill(item, WIDTH, initial_indent=indent, subsequent_indent=hang,
                                   break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines)


def sections(spec: Any) -> dict[str, Any]:
    """The parts of a rule's explanation: checks (paragraphs), why/tolerance in zh and en (the
    family's wording from checks/messages/_families.yaml, the rule's own English paragraphs first)."""
    family = families().get(spec.family, {})
    checks: list[str] = []
    why_en, tol_en = "", ""
    for paragraph in _paragraphs(spec.doc):
        if paragraph.lower().startswith("why it matters"):
            why_en = paragraph.split(":", 1)[-1].strip()
        elif paragraph.lower().startswith("tolerance"):
            tol_en = paragraph.split(":", 1)[-1].strip()
        else:
            checks.append(paragraph)
    why, tolerance = family.get("why", {}), family.get("tolerance", {})
    return {
        "checks": checks,
        "checks_zh": spec.messages.checks.get("zh") or spec.title("zh"),
        "why_zh": why.get("zh", ""), "why_en": _sentence(why_en) or why.get("en", ""),
        "tol_zh": tolerance.get("zh", ""), "tol_en": tol_en or tolerance.get("en", ""),
    }


def explain_text(spec: Any) -> str:
    """The full explanation of one rule, as `auditor explain` prints it."""
    part = sections(spec)
    out = [f"{spec.id}  [{spec.severity}]  applies to: {spec.applies_to}", spec.title("zh"), spec.title("en"), ""]
    out.append("检查内容 / What it checks")
    out.append(_fill("zh: " + part["checks_zh"]))
    out.append(_fill("en: " + part["checks"][0]) if part["checks"] else "")
    out.extend(_fill(p, "      ") for p in part["checks"][1:])
    out += ["", "为什么重要 / Why it matters", _fill("zh: " + part["why_zh"]), _fill("en: " + part["why_en"])]
    out += ["", "容差 / Tolerance", _fill("zh: " + part["tol_zh"]), _fill("en: " + part["tol_en"])]
    out += ["", f"提示信息 / Messages  (checks/messages/{spec.id}.yaml)"]
    for variant, templates in spec.messages.templates.items():
        label = "message" if variant == "default" else f"message {variant}"
        out += [f"  {label} ({lang}): {text}" for lang, text in templates.items()]
    for name, part in spec.messages.parts.items():  # the pieces a message holds none, one or several of
        out += [f"  part {name} ({lang}): {text}" for lang, text in part.templates.items()]
    cases = shown_cases(spec.id)
    if cases:
        out += ["", f"例子 / Examples  (checks/cases/{spec.id}.yaml; → separates the cells of a table row)"]
    for number, case in enumerate(cases, start=1):
        verdict = "不通过 / fails" if case["expect"] == "fail" else "通过 / passes"
        out.append(f"  {number}. {verdict}: {case['name']}")
        out.extend(("       " + line.replace("\t", "→")).rstrip() for line in fragment_lines(case))
        if case["expect"] == "fail":
            found = [f"line {case['line']}"] if case.get("line") is not None else []
            found += [f"{key} {case[key]}" for key in ("expected", "actual") if case.get(key) is not None]
            if found:
                out.append("       ⇒ " + ", ".join(found))
        if case.get("known_gap"):
            out.append(_fill("not yet: " + " ".join(str(case["known_gap"]).split()), "       "))
    return "\n".join(out) + "\n"


def shown_cases(rule_id: str) -> list[dict[str, Any]]:
    """The cases `explain` prints: all of them; one the pipeline does not yet handle as written
    (`known_gap`) is printed with the reason."""
    return rule_cases(rule_id)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""
