"""Text suite: typing slips and template leftovers in the prose of a disclosure.

These are the low-level errors checkers list beside the arithmetic (DOMAIN §5 classes 6, 12, 14;
rule ideas C34, C36): a word typed twice (减少减少), a placeholder or a template instruction left
in the published text, and an amount written with 元 where the same item is given in 万元 elsewhere.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.numbers import Mention, find_amounts, to_base
from auditor.read.literal_gate import LiteralGate
from checks._scope import catalog_yaml, squash

_CJK = "\u4e00-\u9fff"


@functools.cache
def _reduplication() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], tuple[re.Pattern[str], ...]]:
    data = catalog_yaml("reduplication.yaml")
    return (frozenset(data.get("particles", [])), tuple(data.get("particle_exceptions", [])),
            frozenset(data.get("phrases", [])), tuple(re.compile(p) for p in data.get("patterns", [])))


def _compounds() -> tuple[str, ...]:
    return tuple(catalog_yaml("reduplication.yaml").get("compounds", []))


@functools.cache
def _suffixes() -> tuple[frozenset[str], tuple[str, ...]]:
    data = catalog_yaml("reduplication.yaml")
    return frozenset(data.get("suffixes", [])), tuple(data.get("suffix_compounds", []))


_REPEAT = re.compile(rf"([{_CJK}]{{2,4}})\1")
_PUNCT_REPEAT = re.compile(r"([，。、；：！？])\1+")
_ELLIPSIS_MARKS = "。！？"


@functools.cache
def _doubled_single(chars: frozenset[str]) -> re.Pattern[str]:
    """Every offset (overlapping) where one of the single characters `chars` is typed twice."""
    singles = sorted(c for c in chars if len(c) == 1)
    if not singles:
        return re.compile(r"(?!)")
    return re.compile(f"(?=([{''.join(map(re.escape, singles))}])\\1)")


@functools.cache
def _doubled_particle_or_suffix() -> re.Pattern[str]:
    # asked for every paragraph and cell: the union (a new frozenset, hashed anew for the cache
    # of _doubled_single) is built once
    return _doubled_single(_reduplication()[0] | _suffixes()[0])


@functools.cache
def _ascii_cannot_repeat() -> bool:
    """True when no slip can be all ASCII: the doubled units are CJK, the punctuation full-width,
    and so (checked, the lists are data) is every particle and suffix."""
    particles, _, _, _ = _reduplication()
    return not any(c.isascii() for c in particles | _suffixes()[0])


def repeated_words(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, the doubled text, the unit that was doubled) for each slip in `text`."""
    if text.isascii() and _ascii_cannot_repeat():
        return  # most table cells are numbers: three scans that cannot match
    if len(text) <= 24 and len(set(text)) == len(text):
        return  # every slip types some character twice: most labels hold none twice
    particles, exceptions, phrases, patterns = _reduplication()
    taken: list[tuple[int, int]] = []
    for m in _REPEAT.finditer(text):
        doubled = m.group(0)
        if doubled in phrases or any(p.match(doubled) for p in patterns):
            continue
        # AABB (方方面面, 认认真真) is two single-character doubles, not an ABAB repetition
        unit = m.group(1)
        if len(set(unit)) == 1:
            continue
        # "…提升项目" + "项目支出…": the second copy opens a compound, so the doubling is a boundary.
        second = m.start() + len(unit)
        if any(text.startswith(c, second) for c in _compounds() if c.startswith(unit)):
            continue
        taken.append((m.start(), m.end()))
        yield m.start(), doubled, unit
    suffixes, suffix_compounds = _suffixes()
    for found in _doubled_particle_or_suffix().finditer(text):
        index = found.start()
        ch = text[index]
        if ch in suffixes and (index == 0 or not re.match(rf"[{_CJK}]", text[index - 1])
                               or text.startswith(suffix_compounds, index + 1)):
            continue  # a suffix doubles only after the word it ends ("经费费"), not before 费用
        if index > 0 and text[index - 1] == ch:
            continue  # a run of three is something else (a list marker, an ellipsis of sorts)
        if any(a <= index < b for a, b in taken):
            continue
        window = text[max(0, index - 3): index + 5]
        if any(e in window for e in exceptions):
            continue
        yield index, ch + ch, ch
    for m in _PUNCT_REPEAT.finditer(text):
        if m.group(1) in _ELLIPSIS_MARKS and len(m.group(0)) >= 3:
            continue  # "。。。" is an ellipsis typed with full stops (a template's blank), not a slip
        yield m.start(), m.group(0), m.group(1)


# A document's table cells repeat (three in four are copies: 0.00, one amount in several tables,
# the same row labels), so each distinct cell text is scanned once; paragraphs rarely repeat.
@functools.lru_cache(maxsize=4096)
def _cell_repeats(text: str) -> tuple[tuple[int, str, str], ...]:
    return tuple(repeated_words(text))


@dataclass
class _DocTexts:
    """A document's prose paragraphs and table cells, in that order. A cell is kept as its text
    and line only: the tuple a rule walks is built for the few cells a rule asks about."""

    paragraphs: list[tuple[str, list[int], list[int], str]]
    cells: list[tuple[str, int]]
    distinct: set[str]  # the cells' texts (one distinct text in three)

    def __len__(self) -> int:
        return len(self.paragraphs) + len(self.cells)


# The texts of the last documents read: two rules (repeated words, template residue) walk them.
_TEXTS: list[tuple[ReadDocument, _DocTexts]] = []


def _texts(read: ReadDocument) -> _DocTexts:
    """Prose paragraphs and the cells of table lines, collected once per document."""
    for held, texts in _TEXTS:
        if held is read:
            return texts
    texts = _collect_texts(read)
    _TEXTS.append((read, texts))
    del _TEXTS[:-2]  # a directory run reads its documents one by one
    return texts


def _collect_texts(read: ReadDocument) -> _DocTexts:
    in_prose: set[int] = set()
    paragraphs = []
    for p in read.paragraphs:
        in_prose.update(p.lines)
        paragraphs.append((p.text, p.lines, p.offsets, "paragraph"))
    cells: list[tuple[str, int]] = []
    for line in read.doc.lines:
        if line.cells is not None and not line.footer and line.number not in in_prose:
            number = line.number
            for cell in line.cells:
                cell = cell.strip()
                if cell:
                    cells.append((cell, number))
    return _DocTexts(paragraphs, cells, {text for text, _ in cells})


def _texts_with(read: ReadDocument, cell_has: Callable[[str], object]) -> list[tuple[int, tuple[str, list[int], list[int], str]]]:
    """(position, (text, lines, offsets, kind)) of the paragraphs, and of the cells whose text
    `cell_has` something in: a document's cells repeat (one distinct text in three), so each
    distinct text is asked once and the others are passed over without a rule's per-text work."""
    texts = _texts(read)
    out = list(enumerate(texts.paragraphs))
    wanted = {text for text in texts.distinct if cell_has(text)}
    if wanted:  # most documents: no cell has any
        first = len(texts.paragraphs)
        out += [(first + i, (text, [number], [0], "cell"))
                for i, (text, number) in enumerate(texts.cells) if text in wanted]
    return out


def _line_at(lines: list[int], offsets: list[int], offset: int) -> int:
    line = lines[0]
    for start, number in zip(offsets, lines, strict=False):
        if start <= offset:
            line = number
    return line


@rule(
    "text.repeated_word",
    severity="info",
    applies_to="all",
)
def repeated_word(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A word or phrase of 2–4 characters typed twice in a row (减少减少), a doubled function word
    (的的, 在在) or doubled punctuation (，，). Legitimate reduplication (AABB such as 方方面面,
    一A一A such as 一步一步, verb forms such as 研究研究) is listed in catalog/reduplication.yaml;
    single characters are only flagged for the function words and noun suffixes (经费费) listed
    there, because most doubled characters straddle two words (项目目标, 工作作风).

    Why it matters: low severity on its own, but it shows the text was not proofread, and a
    doubled word next to a number (减少减少 27 万元) makes the sentence ambiguous.
    """
    seen: Counter[str] = Counter()
    visited = 0  # every text counts as checked, those passed over too, in the order they come
    for position, (text, lines, offsets, kind) in _texts_with(read, _cell_repeats):
        ctx.check(position + 1 - visited)
        visited = position + 1
        for offset, doubled, unit in _cell_repeats(text) if kind == "cell" else repeated_words(text):
            context = text[max(0, offset - 8): offset + len(doubled) + 8]
            line = _line_at(lines, offsets, offset)
            seen[context] += 1
            yield ctx.finding(
                ctx.location(line), args={"context": context, "unit": unit, "doubled": doubled},
                expected=unit, actual=doubled, evidence=[ctx.evidence(line, doubled)],
                key=f"{context}|{seen[context]}",
            )
    ctx.check(len(_texts(read)) - visited)


# --------------------------------------------------------------------------- template residue


@functools.cache
def _templates() -> tuple[tuple[tuple[str, str], ...], tuple[re.Pattern[str], ...]]:
    data = catalog_yaml("template_phrases.yaml")
    instructions = tuple((e["heading"], squash(e["text"])) for e in data.get("instructions", []))
    placeholders = tuple(re.compile(p, re.MULTILINE) for p in data.get("placeholders", []))
    return instructions, placeholders


def _form_gates(patterns: list[re.Pattern[str]]) -> tuple[tuple[Callable[[str], object], re.Pattern[str]], ...]:
    """(literal test, pattern) of each pattern: a text holds a match of some pattern only if one
    of them finds one, and a pattern is searched only in a text holding one of its own literals.
    Most texts that pass the literals of all the forms (a common 增 or %) hold those of one or two
    only; one search of the alternation of all the patterns was several times slower, a lookbehind
    or an optional group at the start of an alternative defeating its first-character skip."""
    return tuple((LiteralGate([p]).test, p) for p in patterns)


def _any_form(gates: tuple[tuple[Callable[[str], object], re.Pattern[str]], ...], text: str) -> bool:
    return any(test(text) and pattern.search(text) for test, pattern in gates)


@functools.cache
def _placeholder_gates() -> tuple[tuple[Callable[[str], object], re.Pattern[str]], ...]:
    return _form_gates(list(_templates()[1]))


@functools.cache
def _placeholder_literals() -> Callable[[str], object]:
    return LiteralGate(catalog_yaml("template_phrases.yaml").get("placeholders", [])).test


_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))\s*")


@dataclass(frozen=True)
class _Residue:
    """The catalogue's other forms of template residue, compiled (see template_phrases.yaml)."""

    limits: tuple[re.Pattern[str], ...]
    phrases: tuple[str, ...]
    choice: re.Pattern[str] | None
    merged: tuple[str, ...]
    blanks: tuple[re.Pattern[str], ...]
    unit_words: tuple[str, ...]
    generated: tuple[str, ...]  # a text generator's phrases (prose)
    gates: tuple[tuple[Callable[[str], object], re.Pattern[str]], ...]  # any form at all (prose)
    cell_gates: tuple[tuple[Callable[[str], object], re.Pattern[str]], ...]  # the forms looked for outside prose
    literals: Callable[[str], object]  # the literals some prose form needs: asked before `gates` (faster)
    cell_literals: Callable[[str], object]


# Each form of residue in running text (and "placeholder"): its message variant, and the label its
# findings' keys have always used (a finding's id hashes its key: the label stays, so ids do not
# change with the wording). In this order residues of one line are listed in a blank template's
# evidence, as they always were.
_RESIDUE_FORMS = {
    "merged": ("alternatives_merged", "both alternatives were typed together"),
    "placeholder": ("", "an unfilled placeholder"),
    "choice": ("unchosen_alternatives", "the template's alternatives were left unchosen"),
    "phrase": ("template_note", "the template's note to its users was left in"),
    "limit": ("filler_instruction", "the form's instruction to the filler was left in"),
    "blank": ("blank_amount", "an amount was left blank"),
    "generated": ("generated_text", "the text reads as a text generator's answer"),
}
# Forms reported below the rule's severity: a generator's phrase says how the text was written,
# not that a number is wrong.
_INFO_FORMS = frozenset({"generated"})
_FORM_RANK = {form: rank for rank, form in enumerate(_RESIDUE_FORMS)}
_FORMS = list(_RESIDUE_FORMS)


def _choice_pattern(pairs: list[list[str]]) -> re.Pattern[str] | None:
    """"A/B" or "B/A"; "A（B）" or "（B）" right before a number (or 幅/率 and a number)."""
    alternatives: list[str] = []
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            alternatives.append(f"{re.escape(x)}\\s*[/／]\\s*{re.escape(y)}")
    words = sorted({w for pair in pairs for w in pair}, key=len, reverse=True)
    either = "|".join(map(re.escape, words))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    bracketed = f"(?:{either})?[（(](?:{either})[)）](?=(?:幅|率)?\\s*[为是]?\\s*[-－]?\\d)"
    return re.compile("|".join([*alternatives, bracketed]))


@functools.cache
def _residue() -> _Residue:
    data = catalog_yaml("template_phrases.yaml")
    choice = _choice_pattern(data.get("choices", []))
    cell_forms = [*data.get("length_limits", []), *map(re.escape, data.get("instruction_phrases", []))]
    prose_forms = [*cell_forms, *([choice.pattern] if choice else []), *map(re.escape, data.get("merged_choices", [])),
                   *data.get("blank_amounts", []), *map(re.escape, data.get("generated_text", []))]
    return _Residue(
        limits=tuple(re.compile(p) for p in data.get("length_limits", [])),
        phrases=tuple(data.get("instruction_phrases", [])),
        choice=choice,
        merged=tuple(data.get("merged_choices", [])),
        blanks=tuple(re.compile(p) for p in data.get("blank_amounts", [])),
        unit_words=tuple(data.get("unit_words", [])),
        generated=tuple(data.get("generated_text", [])),
        gates=_form_gates([re.compile(p) for p in prose_forms]),
        cell_gates=_form_gates([re.compile(p) for p in cell_forms]),
        literals=LiteralGate(prose_forms).test,
        cell_literals=LiteralGate(cell_forms).test,
    )


def residue_spans(text: str, prose: bool) -> list[tuple[int, int, str]]:
    """(start, end, form) of each piece of template residue in `text` other than placeholders and
    copied section instructions: a form's length limit, a note to the template's users, and in
    prose (`prose`) alternatives left unchosen or typed together and an amount left blank."""
    r = _residue()
    if not (r.literals if prose else r.cell_literals)(text):
        return []
    if not _any_form(r.gates if prose else r.cell_gates, text):
        return []
    out: list[tuple[int, int, str]] = []
    for pattern in r.limits:
        out += [(m.start(), m.end(), "limit") for m in pattern.finditer(text)]
    for phrase in r.phrases:
        at = text.find(phrase)
        if at >= 0:
            out.append((at, at + len(phrase), "phrase"))
    if prose:
        if r.choice is not None:
            out += [(m.start(), m.end(), "choice") for m in r.choice.finditer(text)]
        for word in r.merged:
            at = text.find(word)
            if at >= 0:
                out.append((at, at + len(word), "merged"))
        for pattern in r.blanks:
            for m in pattern.finditer(text):
                before = text[max(0, m.start() - 6): m.start()]
                if not before.endswith(r.unit_words):
                    out.append((m.start(), m.end(), "blank"))
        for phrase in r.generated:
            at = text.find(phrase)
            if at >= 0:
                out.append((at, at + len(phrase), "generated"))
    return sorted(out)


@functools.cache
def _squashed_instructions() -> tuple[tuple[str, str, str, Counter[str]], ...]:
    """(heading, heading squashed, instruction squashed, the instruction's characters counted):
    made once, not once per paragraph and heading."""
    instructions, _ = _templates()
    return tuple((heading, squash(heading), phrase, Counter(phrase)) for heading, phrase in instructions)


def _shared_ratio(body: Counter[str], body_length: int, phrase: Counter[str], phrase_length: int) -> float:
    """difflib's quick_ratio of the two texts (2 × the characters they share, counted with
    multiplicity, ÷ their total length), from their character counts: it bounds ratio() from
    above, and most paragraphs fail it without a SequenceMatcher being built."""
    # Σ min(count in body, count in phrase): Counter's & would build the intersection first
    shared = 0
    counts = body.get
    for ch, n in phrase.items():
        m = counts(ch)
        if m:
            shared += m if m < n else n
    return 2.0 * shared / (body_length + phrase_length) if body_length + phrase_length else 1.0


def instruction_match(text: str) -> str | None:
    """The heading whose template instruction `text` merely restates, or None. The paragraph may
    begin with its own heading (the prose reader joins a long heading with the line below it)."""
    return _instruction_match(squash(_NUMBERING.sub("", text)))


def _instruction_match(squashed: str) -> str | None:
    """instruction_match of a paragraph already squashed, its numbering removed."""
    counted: dict[str, Counter[str]] = {}
    for heading, head, phrase, phrase_chars in _squashed_instructions():
        body = squashed
        if body.startswith(head) and len(body) > len(head):
            body = body[len(head):]
        if len(body) < 8:
            continue
        if body == phrase or (phrase in body and len(body) <= len(phrase) * 1.3):
            return heading
        if abs(len(body) - len(phrase)) <= len(phrase) * 0.2:
            body_chars = counted.get(body)
            if body_chars is None:
                body_chars = counted[body] = Counter(body)
            if (_shared_ratio(body_chars, len(body), phrase_chars, len(phrase)) >= 0.85
                    and difflib.SequenceMatcher(None, body, phrase).ratio() >= 0.85):
                return heading
    return None


def _placeholder_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each unfilled placeholder in `text`, overlapping matches ("计……" and
    "……万元") merged into one."""
    if not _placeholder_literals()(text):
        return []
    if not _any_form(_placeholder_gates(), text):
        return []
    _, placeholders = _templates()
    spans = sorted((m.start(), m.end()) for pattern in placeholders for m in pattern.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


@functools.lru_cache(maxsize=4096)
def _cell_residue(text: str) -> tuple[tuple[tuple[int, int, str], ...], tuple[tuple[int, int], ...]]:
    """residue_spans and _placeholder_spans of a table cell, once per distinct cell text (see
    _cell_repeats)."""
    return tuple(residue_spans(text, prose=False)), tuple(_placeholder_spans(text))


_NO_RESIDUE: tuple[tuple, tuple] = ((), ())

# More placeholders than this in one document: it is a blank template, reported once.
_TEMPLATE_PLACEHOLDERS = 20


@rule(
    "text.template_residue",
    severity="warning",
    applies_to="all",
)
def template_residue(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Placeholders left unfilled (XX, ××, 待填写, 请填写, {单位}, ____, "为……万元", "≥**株") and section
    bodies that only restate what the section should contain — the template's instruction
    ("包括总体绩效目标和绩效指标未完成原因，下一步改进措施…" under 偏离绩效目标的原因和下一步改进措施)
    or the heading itself; a form's instruction to the filler closing a cell ("…的完成情况
    (100字以内)"), a template's note to its users ("各地请根据实际情况…"), and in prose the
    template's alternatives left unchosen ("增加/减少 0 万元", "较上年（减少）16.23 万元"), typed
    together ("大小于") or an amount left blank ("一般公共预算财政拨款 万元，"), and the phrases of a
    text generator's answer ("根据提供的数据，…", info). Every form is data in
    catalog/template_phrases.yaml.

    Why it matters: the section the template asks for was never written; a reader learns nothing
    about why targets were missed, and the report looks unreviewed.
    """
    seen: Counter[str] = Counter()

    def emit(line: int, variant: str, key_label: str, text: str, value: str, severity: str | None = None,
             **more: str) -> Finding:
        seen[value] += 1
        return ctx.finding(
            ctx.location(line), severity=severity, args={**more, "text": text}, variant=variant,  # type: ignore[arg-type]
            actual=value, evidence=[ctx.evidence(line, value)], key=f"{key_label}|{value}|{seen[value]}",
        )

    # A body that only repeats its own numbered heading ("五、其他需要说明的问题" then "其他需要说明的
    # 问题。"): each paragraph's text without its numbering is squashed once, for instruction_match,
    # and kept as the next paragraph's heading (None when it is unnumbered or in a table).
    previous_head: str | None = None
    table_lines = {line.number for line in read.doc.lines if line.cells is not None}
    for p in read.paragraphs:
        if table_lines.intersection(p.lines):
            previous_head = None
            continue
        ctx.check()
        text = p.text
        numbered = _NUMBERING.match(text)  # anchored at the start: the one match sub() would remove
        squashed = squash(text[numbered.end():] if numbered else text)
        heading = _instruction_match(squashed)
        if heading:
            start = text.find("包括") if "包括" in text else 0
            body = text[start:].strip()
            yield emit(p.line_at(start), "copied_instruction", "a section body copies the template instruction",
                       body, body, heading=heading)
        elif (previous_head is not None and len(previous_head) >= 6
              and (squash(text) if numbered else squashed) == previous_head):
            yield emit(p.lines[0], "heading_restated", "the body only repeats its heading", text.strip(),
                       text.strip())
        previous_head = squashed if numbered else None
    # (line, rank of the form, context, residue): collected first, so that a blank template is one finding
    found: list[tuple[int, int, str, str]] = []
    for _, (text, lines, offsets, kind) in _texts_with(read, lambda cell: _cell_residue(cell) != _NO_RESIDUE):
        if kind == "cell":
            spans, placeheld = _cell_residue(text)
        else:
            spans = residue_spans(text, prose=not table_lines.intersection(lines))
            placeheld = _placeholder_spans(text)
        for start, end, form in spans:
            line = _line_at(lines, offsets, start)
            # the clause (for a length limit: the whole cell it closes) for the reader; the
            # residue itself is the value
            stops = "|｜" if form == "limit" else "。；;|｜"
            clause_start = max(text.rfind(ch, 0, start) for ch in stops) + 1
            context = re.split(r"[|｜]", text[max(clause_start, start - 60): end + 12])[0].strip()
            found.append((line, _FORM_RANK[form], context, text[start:end].strip(" |")))
        for start, end in placeheld:
            line = _line_at(lines, offsets, start)
            context = text[max(0, start - 10): end + 10].strip()
            found.append((line, _FORM_RANK["placeholder"], context, text[start:end].strip()))
    if len(found) > _TEMPLATE_PLACEHOLDERS:
        # A blank template (placeholders on every page): one finding for the document, not one
        # per placeholder — the reader needs to know the file was never filled in.
        first = min(found)
        n = len(found)
        yield ctx.finding(
            ctx.location(first[0]),
            args={"count": n, "text": first[2]}, variant="unfilled_template",
            actual=first[3], evidence=[ctx.evidence(line, value) for line, *_, value in sorted(found)[:5]],
            key=f"unfilled template|{n}",
        )
        return
    for line, rank, context, value in found:
        variant, key_label = _RESIDUE_FORMS[_FORMS[rank]]
        yield emit(line, variant, key_label, context, value, "info" if _FORMS[rank] in _INFO_FORMS else None)


# --------------------------------------------------------------------------- unit slip


@dataclass(frozen=True)
class _Amount:
    label: str
    base: Decimal  # in 元
    tolerance: Decimal  # half a printed unit, in 元
    printed: str
    unit: str
    line: int
    where: str  # "text" | table title


_LABEL_TRIM = re.compile(r"(?:预算数|预算|支出|金额|资金|合计|共计|总计|为|是|共|计|达到|达|约|安排|拨付|下达|全年|"
                         r"实际|累计|总额|数)+$")
_LABEL = re.compile(rf"([{_CJK}“”\"（）()]{{2,16}})\s*$")


_CLAUSE_END = re.compile(r"[，。；：、,;:！？\n\d]")


def _last_clause(before: str) -> str:
    """The text after the last separator of `before`, looked for in growing windows from the end
    (splitting the whole prefix per amount was quadratic on a sentence of thousands of amounts)."""
    window = 64
    while True:
        parts = _CLAUSE_END.split(before[-window:])
        if len(parts) > 1 or window >= len(before):
            return parts[-1]
        window *= 4


_QUOTES_AND_BRACKETS = re.compile(r"[“”\"（）()]")


def _label(before: str) -> str:
    clause = _last_clause(before)
    m = _LABEL.search(clause)
    if not m:
        return ""
    label = _QUOTES_AND_BRACKETS.sub("", m.group(1))
    trimmed = _LABEL_TRIM.sub("", label)
    return trimmed if len(trimmed) >= 3 else ""


def _prose_amounts(read: ReadDocument, mentions: list[list[Mention]] | None = None) -> list[_Amount]:
    """The labelled money amounts of the prose; `mentions`: each paragraph's find_amounts, when
    already found."""
    out: list[_Amount] = []
    for k, p in enumerate(read.paragraphs):
        for mention in (mentions[k] if mentions is not None else find_amounts(p.text)):
            if mention.number.unit not in ("元", "万元", "亿元"):
                continue
            label = _label(p.text[: mention.start])
            if not label:
                continue
            number = mention.number
            scale = to_base(number) / number.value if number.value else Decimal(1)
            out.append(_Amount(label, to_base(number), number.half_ulp * scale, number.text.strip(), number.unit,
                               p.line_at(mention.start), "text"))
    return out


def _table_amounts(read: ReadDocument) -> list[_Amount]:
    out: list[_Amount] = []
    for table in read.tables:
        unit = table.unit or ""
        if unit not in ("元", "万元", "亿元"):
            continue
        for row in table.rows:
            label = _LABEL_TRIM.sub("", re.sub(r"\s+", "", row.label))
            if len(label) < 3:
                continue
            for cell in row.cells:
                number = cell.number
                if number is None or number.unit not in ("", unit):
                    continue
                real = type(number)(number.value, number.decimals, unit, number.text)
                scale = to_base(real) / real.value if real.value else Decimal(1)
                out.append(_Amount(label, to_base(real), real.half_ulp * scale, f"{number.text.strip()}（{unit}）",
                                   unit, row.line, table.name))
    return out


def _slip_candidate(amount: _Amount) -> bool:
    """A prose amount in 元 small enough to be a 万元 amount typed with the wrong unit."""
    return amount.unit == "元" and amount.where == "text" and 0 < amount.base < 10000


def _same_label(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 3 and (a.endswith(b) or b.endswith(a)))


@rule(
    "text.unit_slip",
    severity="warning",
    applies_to="all",
)
def unit_slip(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """An amount written with 元 whose value × 10,000 equals another amount of the same label in the
    same document (in 万元 prose or a table) — a 万元 amount mistyped as 元.
    Narrow on purpose: the label must be the same (or one ends with the other, at least 3
    characters), and nothing else with that label may agree with the 元 amount as printed.

    Why it matters: a unit slip understates the item ten-thousand-fold, and a reader quoting it
    reports a wrong figure.
    """
    mentions = [list(find_amounts(p.text)) for p in read.paragraphs]
    if not any(m.number.unit == "元" and 0 < to_base(m.number) < 10000 for found in mentions for m in found):
        return  # no amount can be a slip candidate (most documents): no label is needed
    prose = _prose_amounts(read, mentions)
    if not any(_slip_candidate(a) for a in prose):
        return  # nothing to compare (most documents): the tables' amounts are not needed
    amounts = prose + _table_amounts(read)
    for small in amounts:
        if not _slip_candidate(small):
            continue
        same = [a for a in amounts if a is not small and _same_label(a.label, small.label)]
        if not same:
            continue
        ctx.check()
        if any(abs(a.base - small.base) <= a.tolerance + small.tolerance for a in same):
            continue
        target = small.base * 10000
        match = next((a for a in same if abs(a.base - target) <= a.tolerance + small.tolerance * 10000), None)
        if match is None:
            continue
        in_text = match.where == "text"  # the other amount is in the prose, else in the table it names
        yield ctx.finding(
            ctx.location(small.line),
            args={"label": small.label, "printed": small.printed, "other": match.printed,
                  **({} if in_text else {"table": match.where})},
            variant="" if in_text else "in_table", expected=f"{small.printed[:-1]}万元" if small.printed.endswith("元") else None, actual=small.printed,
            evidence=[ctx.evidence(small.line, small.printed), ctx.evidence(match.line, match.printed)],
            key=f"{small.label}|{small.printed}",
        )


# --------------------------------------------------------------------------- list numbering


# a list number at the start of a paragraph or right after a sentence end: "1.", "2、", "3．"
_ITEM_NUMBER = re.compile(r"(?:^|(?<=[。；;！？!?]))\s*(\d{1,2})[.．、](?!\d)")


def repeated_numbers(numbers: list[int]) -> list[int]:
    """Indexes i where a list numbered 1, 2, … repeats the number before it and then goes on from
    it (1, 2, 3, 4, 4, 5): the second copy is a slip. A list that skips (1, 2, 4) or restarts
    (1, 2, 1, 2) is not flagged: an item may have been left out, or a second list begun."""
    out = []
    for i in range(1, len(numbers) - 1):
        head = numbers[:i]
        if head != list(range(1, i + 1)):
            break
        if numbers[i] == numbers[i - 1] and numbers[i + 1] == numbers[i] + 1:
            out.append(i)
    return out


def _numbered_lists(read: ReadDocument) -> Iterator[list[tuple[int, int, str]]]:
    """Each list of the prose as (number, line, text after the number): the items numbered inline in
    one paragraph, and runs of paragraphs that each open with a number."""
    run: list[tuple[int, int, str]] = []
    for p in read.paragraphs:
        marks = list(_ITEM_NUMBER.finditer(p.text))
        inline = [(int(m.group(1)), p.line_at(m.start(1)), p.text[m.end(): m.end() + 16]) for m in marks]
        if len(inline) >= 3:
            yield inline
        opens = bool(marks) and not p.text[: marks[0].start()].strip()
        if opens and len(inline) == 1:  # a paragraph that is one numbered item
            run.append(inline[0])
            continue
        if len(run) >= 3:
            yield run
        run = []
    if len(run) >= 3:
        yield run


@rule(
    "text.numbering",
    severity="info",
    applies_to="all",
)
def numbering(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A list numbered 1, 2, 3, 4, 4, 5: a number repeated and the list then going on from it — one
    of the two items carries the wrong number. Lists that skip or restart are not flagged.

    Why it matters: a reader citing "item 4" cannot tell which one is meant, and it shows the list
    was edited (an item inserted or deleted) without renumbering.
    """
    for items in _numbered_lists(read):
        ctx.check()
        numbers = [n for n, _, _ in items]
        for i in repeated_numbers(numbers):
            number, line, after = items[i]
            sequence = ",".join(str(n) for n in numbers)
            yield ctx.finding(
                ctx.location(line), args={"sequence": sequence, "number": number, "item": after.strip()},
                expected=str(number + 1), actual=f"{number}.", evidence=[ctx.evidence(line, f"{number}")],
                key=f"{sequence}|{i}|{after.strip()}",
            )
