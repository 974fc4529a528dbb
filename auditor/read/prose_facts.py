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
  amount spent and the budget (read by `auditor/read/rates.py` as a named rate).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from auditor.model import Number, Paragraph
from auditor.numbers import Mention, find_amounts

# Full-width digits and signs to ASCII, one character for one, so offsets stay valid.
FOLD = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", "％": "%"})
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^，,；;：:。！？!?]+[，,；;：:。！？!?]?")
MONEY = ("万元", "元", "亿元")

# "决算数大于预算数 42.10 万元" / "超出预算 3 万元" / "比年初预算节约 2 万元"
_OVER_UNDER = re.compile(
    r"(?:决算数?|支出数?|执行数?|实际支出)?\s*(?P<word>大于|多于|超出|超过|高于|小于|少于|低于|节约|结余)\s*"
    r"(?P<base>(?:年初|全年|调整后)?预算数?)的?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)")
_OVER_WORDS = ("大于", "多于", "超出", "超过", "高于")

# How many times a document's prose was tokenised (a test checks it is once per document).
TOKENISED: Counter[str] = Counter()


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass
class ProseText:
    """The tokens of one document's prose: folded paragraph texts, sentences, numbers."""

    texts: list[str]  # each paragraph's text, full-width digits folded
    sentences: list[Sentence]
    tokens: list[Token]
    by_paragraph: list[list[Token]]
    mentions: list[list[Mention]]  # find_amounts of each paragraph, as found
    over_under: list[OverUnder] = field(default_factory=list)
    facts: list | None = None  # the labelled amounts (auditor.read.facts.Fact), read once on first use

    def sentences_of(self, paragraph: int) -> list[Sentence]:
        return [s for s in self.sentences if s.paragraph == paragraph]


# a decimal digit, found in C; the character loop after it is only for the digits \d does not
# cover (superscripts, circled numbers), in the paragraphs that have no decimal digit
_DECIMAL_DIGIT = re.compile(r"\d")


def _clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in _CLAUSE.finditer(text, start, end) if m.group(0).strip())


def tokenise(paragraphs: list[Paragraph]) -> ProseText:
    """Cut every paragraph into sentences and clauses and find every number, once."""
    TOKENISED["documents"] += 1
    texts = [p.text.translate(FOLD) for p in paragraphs]
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    by_paragraph: list[list[Token]] = []
    mentions: list[list[Mention]] = []
    over_under: list[OverUnder] = []
    for index, (paragraph, text) in enumerate(zip(paragraphs, texts, strict=True)):
        first = len(sentences)
        for m in _SENTENCE.finditer(text):
            if m.group(0).strip():
                sentences.append(Sentence(index, m.start(), m.end(), _clauses(text, m.start(), m.end())))
        found = list(find_amounts(text)) if _DECIMAL_DIGIT.search(text) or any(ch.isdigit() for ch in text) else []
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
    return ProseText(texts, sentences, tokens, by_paragraph, mentions, over_under)


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
