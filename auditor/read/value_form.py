"""Value forms of indicator targets and actual values, and name cues (DOMAIN §3.2).

A target such as "≥98%" is a *rate*, "3个" a *count*, "≤0.6万元" *money*, "≤2小时" a *duration*,
"2023年12月" a *date*, "及时" a *timeliness* word, "合格" a *qualitative* word, "≥95%" under a name
with 满意 a *satisfaction* rate, "1" a bare *number*, and a sentence is *text*. The category rule
(checks/indicator.py) compares the form with what the indicator's 二级 expects; `auditor extract`
prints it for every indicator.

The word lists (cues per category, timeliness words) are data in
checks/catalog/indicator_taxonomy.yaml; this module only reads them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from auditor.model import Target
from auditor.numbers import COUNT_UNITS, MONEY_UNITS, TIME_UNITS, normalize
from auditor.read.indicator_taxonomy import norm, taxonomy_data  # noqa: F401 - taxonomy_data is this module's API too

_ENUMERATED = re.compile(r"[0-9][、.]")  # "1、…2、…" or "1.…": a list of work items
_DATE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?")
_OPERATORS = "≥≤=<>"
NEGATIONS = ("未", "没有", "尚未")  # an outcome word opening with these states a miss ("未完成", "尚未验收")
RATE_NAME_ENDINGS = ("率", "满意度")  # a name that measures a rate ("完成率", "群众满意度")

FORMS = ("count", "rate", "satisfaction", "money", "date", "duration", "timeliness", "qualitative", "number",
         "text", "empty")


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, tuple[str, ...]]:
    """Category -> cue words (normalised), longest first."""
    cues = taxonomy_data().get("cues") or {}
    return {cat: tuple(sorted((norm(w) for w in words), key=len, reverse=True))
            for cat, words in cues.items() if cat != "source" and isinstance(words, list)}


@lru_cache(maxsize=1)
def _timeliness_words() -> frozenset[str]:
    return frozenset(norm(w) for w in taxonomy_data().get("timeliness_words") or [])


def find_cue(label: str, category: str) -> str:
    """The first cue of `category` found in `label` ("" when none)."""
    text = norm(label)
    if not text:
        return ""
    return next((w for w in cue_lexicon().get(category, ()) if w and w in text), "")


@lru_cache(maxsize=1)
def _cues_by_first_character() -> dict[str, tuple[tuple[int, int, str], ...]]:
    """First character -> (category's place in cue_lexicon(), word's place in its category, word)
    of every cue word: a label holds a word only when it holds the word's first character."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    for place, words in enumerate(cue_lexicon().values()):
        for rank, word in enumerate(words):
            if word:
                out.setdefault(word[0], []).append((place, rank, word))
    return {first: tuple(entries) for first, entries in out.items()}


def find_cues(label: str) -> dict[str, str]:
    """Every category with a cue in `label`: category -> the cue word found (as find_cue finds it:
    the first of its category's words in `label`). Only the words opening with one of the label's
    characters are tried, where asking every category tries a hundred words per label."""
    text = norm(label)
    if not text:
        return {}
    by_first = _cues_by_first_character()
    found: dict[int, tuple[int, str]] = {}  # category's place -> (word's place, word)
    for character in set(text):
        for place, rank, word in by_first.get(character, ()):
            if word in text and (place not in found or rank < found[place][0]):
                found[place] = (rank, word)
    if not found:
        return {}
    categories = list(cue_lexicon())
    return {categories[place]: found[place][1] for place in sorted(found)}


def target_unit(target: Target) -> str:
    if target.unit:
        return target.unit
    return target.number.unit if target.number is not None else ""


def value_form(target: Target | None, name: str = "") -> str:
    """The form of a target or actual value (one of FORMS); `name` is the indicator's name, used
    only to tell a satisfaction rate from another rate."""
    if target is None or target.kind == "empty":
        return "empty"
    if target.kind == "date":
        return "date"
    if target.kind == "text":
        return "text"
    if target.kind == "word":
        word = norm(target.word or target.text)
        if word in _timeliness_words() or any(word.startswith(w) for w in _timeliness_words() if len(w) >= 2):
            return "timeliness"
        return "qualitative"
    unit = target_unit(target)
    base = unit.split("/", 1)[0]
    if unit == "%":
        return "satisfaction" if find_cue(name, "satisfaction") else "rate"
    if base in MONEY_UNITS:
        return "money"
    if base in TIME_UNITS:
        return "duration"
    if base in COUNT_UNITS:
        return "count"
    if not unit and target.word and norm(target.word).endswith("率"):
        return "rate"  # "≥95接通率": a rate written with its name instead of %
    return "number"


def lists_items(text: str) -> bool:
    """Whether an 指标值内容 enumerates work items ("1、包车牌发放…2、…") rather than naming a measure."""
    return _ENUMERATED.search(text) is not None


def names_rate(name: str) -> bool:
    """Whether a (normalised) indicator name measures a rate: it ends in 率 or 满意度."""
    return name.endswith(RATE_NAME_ENDINGS)


def outcome_word(t: Target) -> str:
    """A word target or actual value as compared: normalised, without whitespace ("按 时" -> "按时")."""
    return "".join(normalize(t.word or t.text).split())


def negated(word: str) -> bool:
    """Whether an outcome word states a miss by negation ("未完成", "没有达到")."""
    return word.startswith(NEGATIONS)


def date_key(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date target or value; a missing month or day means the period's end
    ("2023年" -> (2023, 12, 31)); None without a year."""
    m = _DATE.search(normalize(text))
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or 12), int(m.group(3) or 31)


def bare_number_text(target: Target) -> str:
    """A target's number as printed, without its operator ("≥ 95%" -> "95%")."""
    assert target.number is not None
    return (target.number.text or target.text).lstrip(_OPERATORS).strip()
