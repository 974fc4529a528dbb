"""Prose tokens and facts: every sentence, clause and number of the prose, read once per document.

`auditor/read/prose.py` joins wrapped lines into paragraphs; this module cuts each paragraph
into sentences and clauses and finds every printed amount and percentage once (`tokenise`).
The rate reader (`auditor/read/rates.py`) and the label reader (`auditor/read/facts.py`) read
these tokens instead of searching the text again, and the facts built from them — amounts with
a concept, rates with operands, changes, completion rates — form one model (`ProseFacts`) that
the rules read and `auditor extract` prints, each with its source line and the words that made it.

Besides the tokens, this module reads the two statement forms that are stated about a rate
elsewhere in its clause:

* **over / under** — "决算数大于预算数 42.10 万元", "超出年初预算 3 万元", "小于预算数": the
  difference between what was spent and the budget, with its sign (`OverUnder`);
* **completion** — "完成年初预算的 31.40%", "完成预算 100%": the rate whose operands are the
  amount spent and the budget (read by `auditor/read/rates.py` as a named rate);
* **respectively** — "收、支总计各是 4125.49,4143.91 万元", "…各减少 A、B 万元，各下降 p%、q%",
  "基本支出、项目支出分别为 A 万元、B 万元": one value for each subject named in front of 各 /
  分别, in order, the unit printed once after the last (`Respective`). Each value becomes a token
  of its own, and the label readers name it by its subject ("收入总计", "支出总计").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from auditor.model import Number, Paragraph
from auditor.numbers import Mention, find_amounts, parse_decimal, translator

# Full-width digits and signs to ASCII, one character for one, so offsets stay valid.
FOLD = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", "％": "%"})
_fold = translator(FOLD)
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^，,；;：:。！？!?]+[，,；;：:。！？!?]?")
MONEY = ("万元", "元", "亿元")

# "决算数大于预算数 42.10 万元" / "超出预算 3 万元" / "比年初预算节约 2 万元"
_OVER_UNDER = re.compile(
    r"(?:决算数?|支出数?|执行数?|实际支出)?\s*(?P<word>大于|多于|超出|超过|高于|小于|少于|低于|节约|结余)\s*"
    r"(?P<base>(?:年初|全年|调整后)?预算数?)的?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)")
_OVER_WORDS = ("大于", "多于", "超出", "超过", "高于")

# "各是 A,B 万元" / "分别为 A 万元、B 万元" / "各下降 p%、q%": a list of numbers after 各 / 分别, the unit
# printed after the last (and possibly after each)
_LIST_NUM = r"\d+(?:\.\d+)?"
_LIST_UNIT = r"(?:亿元|万元|元|%)"
_LEVEL_VERBS = ("是", "为")
_RESPECTIVE = re.compile(
    rf"(?P<each>各|分别)\s*(?P<verb>{'|'.join(('增加', '增长', '上升', '提高', '减少', '下降', '降低')+_LEVEL_VERBS)})?\s*"
    rf"(?P<list>{_LIST_NUM}\s*{_LIST_UNIT}?(?:\s*[,，、和及与]\s*{_LIST_NUM}\s*{_LIST_UNIT}?)+)")
_LIST_ITEM = re.compile(rf"(?P<num>{_LIST_NUM})\s*(?P<unit>{_LIST_UNIT})?")
# The head noun a coordination shares ("收、支总计", "人员、公用经费"), longest first; and the one-word
# abbreviations of "收、支总计"
_HEADS = ("总计", "合计", "总额", "经费", "支出", "收入", "预算", "决算")
_SHORT = {"收": "收入", "支": "支出"}

# How many times a document's prose was tokenised (a test checks it is once per document).
TOKENISED: Counter[str] = Counter()


@dataclass(frozen=True, slots=True)
class Token:
    """One number printed in the prose: an amount (万元/元/亿元) or a percentage."""

    number: Number
    paragraph: int
    start: int
    end: int
    line: int
    sentence: int  # index into ProseText.sentences

    @property
    def is_money(self) -> bool:
        return self.number.unit in MONEY

    @property
    def is_percent(self) -> bool:
        return self.number.unit == "%"


@dataclass(frozen=True, slots=True)
class Sentence:
    paragraph: int
    start: int
    end: int
    clauses: tuple[tuple[int, int], ...]  # (start, end) of each clause, offsets in the paragraph

    def clause_at(self, offset: int) -> tuple[int, int]:
        for start, end in self.clauses:
            if start <= offset < end:
                return start, end
        return self.start, self.end


@dataclass(frozen=True)
class OverUnder:
    """ "决算数大于预算数 42.10 万元": spent − budget = sign × amount."""

    amount: Number
    sign: int  # +1 over the budget, −1 under it
    base: str  # the budget named: "预算数", "年初预算"
    line: int
    paragraph: int
    start: int
    end: int
    words: str


@dataclass(frozen=True)
class Respective:
    """ "收、支总计各是 4125.49,4143.91 万元": one value for each subject, in order."""

    names: tuple[str, ...]  # each subject's full name ("收入总计", "支出总计")
    values: tuple[Mention, ...]  # in the order printed, each with the unit printed after the last
    verb: str  # 是 / 为 for levels; 增加 / 减少 / 下降 … for changes
    paragraph: int
    start: int  # offset of 各 / 分别
    verb_start: int  # offset of the verb (of the first number when there is none)
    end: int

    @property
    def is_level(self) -> bool:
        return self.verb in _LEVEL_VERBS or not self.verb


def subject_names(words: str) -> tuple[str, ...]:
    """ "收、支总计" -> ("收入总计", "支出总计"); "基本支出、项目支出" -> as listed; a prefix of the first
    name (a scope word, "财政拨款收、支总计") is every name's when the head noun is shared too;
    () when the words name one subject."""
    from auditor.read.facts import strip_prefixes  # the lexicon's prefixes; facts reads these tokens

    words = re.sub(r"\s+", "", words)
    words = re.sub(r"^(?:\d{4}年度?|与\S*?相比|同比)", "", words)
    rest, _ = strip_prefixes(words)
    prefix = words[:len(words) - len(rest)] if words.endswith(rest) else ""
    items = rest.split("、") if "、" in rest else re.split(r"[和与及]", rest)
    if len(items) < 2 or any(not item for item in items):
        return ()
    head = next((h for h in _HEADS if items[-1].endswith(h) and items[-1] != h), "")
    shared = bool(head) and not items[0].endswith(head)  # "收、支总计": the words before 、 are modifiers
    names = []
    for i, item in enumerate(items):
        if head and not item.endswith(head):
            item = _SHORT.get(item, item) + head
        elif head and item[:-len(head)] in _SHORT:
            item = _SHORT[item[:-len(head)]] + head
        # the first name's prefix is every name's only when the head noun is shared too
        names.append(prefix + item if i == 0 or shared else item)
    return tuple(names)


def _respective(text: str, index: int, found: list[Mention], sentences: list[Sentence]) -> list[Respective]:
    """The respectively lists of one paragraph; a list with no subject of its own ("，各下降 p%、q%")
    continues the list before it in the sentence. `found` gets a Mention for each number the list
    prints without its unit."""
    out: list[Respective] = []
    known = {m.start: m for m in found}
    for m in _RESPECTIVE.finditer(text):
        items = list(_LIST_ITEM.finditer(text, m.start("list"), m.end("list")))
        unit = items[-1].group("unit")
        if unit is None or any(i.group("unit") not in (None, unit) for i in items):
            continue
        gaps = [text[a.end():b.start()] for a, b in zip(items, items[1:], strict=False)]
        if any("," in g and "." not in a.group("num") and len(a.group("num")) <= 3 and re.fullmatch(r"\d{3}", b.group("num"))
               for g, a, b in zip(gaps, items, items[1:], strict=False)):
            continue  # "各是 1,234 万元": one number grouped by a comma, not a list
        sentence_start = next((s.start for s in sentences if s.start <= m.start() < s.end), 0)
        clause_start = max([text.rfind(ch, sentence_start, m.start()) for ch in "，,；;：:"] + [sentence_start - 1]) + 1
        words = text[clause_start:m.start()]
        names = subject_names(words) if words.strip() and not re.search(r"\d[\d.]*\s*(?:亿元|万元|元|%)", words) else ()
        if not names and not words.strip() and out and out[-1].start >= sentence_start:
            names = out[-1].names  # "…各减少 A、B 万元，各下降 p%、q%"
        if len(names) != len(items):
            continue
        values = []
        for item in items:
            mention = known.get(item.start())
            if mention is None or mention.number.unit != unit:
                parsed = parse_decimal(item.group("num"))
                if parsed is None:  # pragma: no cover - the regex admits only well-formed numbers
                    break
                shown = text[item.start():item.end()] if item.group("unit") else item.group("num") + unit
                mention = Mention(Number(parsed[0], parsed[1], unit, shown), item.start(), item.end())
                if unit != "%":  # an amount becomes a token; a percentage stays the list's own
                    found.append(mention)
            values.append(mention)
        else:
            verb_start = m.start("verb") if m.group("verb") else m.start("list")
            out.append(Respective(names, tuple(values), m.group("verb") or "", index, m.start(), verb_start, m.end()))
    found.sort(key=lambda mention: mention.start)
    return out


@dataclass
class ProseText:
    """The tokens of one document's prose: folded paragraph texts, sentences, numbers."""

    texts: list[str]  # each paragraph's text, full-width digits folded
    sentences: list[Sentence]
    tokens: list[Token]
    by_paragraph: list[list[Token]]
    mentions: list[list[Mention]]  # find_amounts of each paragraph, as found
    over_under: list[OverUnder] = field(default_factory=list)
    respective: list[list[Respective]] = field(default_factory=list)  # the respectively lists of each paragraph
    facts: list | None = None  # the labelled amounts (auditor.read.facts.Fact), read once on first use

    def sentences_of(self, paragraph: int) -> list[Sentence]:
        return [s for s in self.sentences if s.paragraph == paragraph]

    def respectively(self, paragraph: int) -> list[Respective]:
        """The respectively lists of one paragraph ([] for a ProseText built without them)."""
        return self.respective[paragraph] if paragraph < len(self.respective) else []

    def subject_labels(self, paragraph: int) -> dict[int, str]:
        """Offset of each value of the paragraph's respectively lists -> the label it is read
        under: its subject ("收、支总计各是 A,B 万元": 收入总计, 支出总计), with the verb of a change
        ("…各减少 A、B 万元": 收入总计减少)."""
        return {value.start: name if listed.is_level else f"{name}{listed.verb}"
                for listed in self.respectively(paragraph)
                for name, value in zip(listed.names, listed.values, strict=True)}


# a decimal digit, found in C; the character loop after it is only for the digits \d does not
# cover (superscripts, circled numbers), in the paragraphs that have no decimal digit
_DECIMAL_DIGIT = re.compile(r"\d")


def _clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    # a match is never empty, so "not only spaces" is not isspace() (no stripped copy made)
    return tuple(m.span() for m in _CLAUSE.finditer(text, start, end) if not m.group(0).isspace())


def tokenise(paragraphs: list[Paragraph]) -> ProseText:
    """Cut every paragraph into sentences and clauses and find every number, once."""
    TOKENISED["documents"] += 1
    texts = [_fold(p.text) for p in paragraphs]
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    by_paragraph: list[list[Token]] = []
    mentions: list[list[Mention]] = []
    over_under: list[OverUnder] = []
    respective: list[list[Respective]] = []
    for index, (paragraph, text) in enumerate(zip(paragraphs, texts, strict=True)):
        first = len(sentences)
        for m in _SENTENCE.finditer(text):
            if not m.group(0).isspace():
                start, end = m.span()
                sentences.append(Sentence(index, start, end, _clauses(text, start, end)))
        has_digit = bool(_DECIMAL_DIGIT.search(text)) or any(ch.isdigit() for ch in text)
        found = list(find_amounts(text)) if has_digit else []
        respective.append(_respective(text, index, found, sentences[first:])
                          if ("各" in text or "分别" in text) and has_digit else [])
        mentions.append(found)
        mine: list[Token] = []
        s = first
        for mention in found:
            while s + 1 < len(sentences) and sentences[s + 1].start <= mention.start:
                s += 1
            mine.append(Token(mention.number, index, mention.start, mention.end,
                              paragraph.line_at(mention.start), s))
        by_paragraph.append(mine)
        tokens.extend(mine)
        if "预算" in text:
            for m in _OVER_UNDER.finditer(text):
                number = next((t.number for t in mine if t.start == m.start("num")), None)
                if number is None:
                    continue
                sign = 1 if m.group("word") in _OVER_WORDS else -1
                over_under.append(OverUnder(number, sign, m.group("base"), paragraph.line_at(m.start("num")),
                                            index, m.start(), m.end(), m.group(0)))
    return ProseText(texts, sentences, tokens, by_paragraph, mentions, over_under, respective)


# One tokenisation per paragraph list: the readers and rules that read prose share it.
_CACHE: list[tuple[list[Paragraph], ProseText]] = []


def prose_text(paragraphs: list[Paragraph]) -> ProseText:
    """The tokens of `paragraphs`, tokenised on first use and shared afterwards."""
    for held, prose in _CACHE:
        if held is paragraphs:
            return prose
    prose = tokenise(paragraphs)
    _CACHE.append((paragraphs, prose))
    del _CACHE[:-4]  # a few documents at a time: a directory run reads them one by one
    return prose
