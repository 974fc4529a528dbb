"""The reading copy of each line: traditional characters, letter spacing and inline pinyin undone.

Real disclosures are published in traditional characters ("一般公共預算"), with letters spaced
out by a PDF converter ("同 比 增 加"), or with the pinyin of a character printed after it
("經(jīng)費"). The readers and rules know the words of simplified text, so every loader passes its
lines through `normalize_document` once, before any reader sees them:

* `SourceLine.raw` stays the line exactly as printed (evidence quotes it);
* `SourceLine.text` and `SourceLine.cells` become the reading copy.

Conversion uses OpenCC's maintained t2s dictionaries (no table of our own); simplified text passes
through unchanged. Letter spacing is undone only between CJK ideographs: in a run of three or more
single characters separated by spaces ("同 比 增 加"), in a cell that is one spaced word ("合 计"),
or at every ideograph gap of a line that is spaced out as a whole (most of its Chinese tokens are
one character long). Two single words beside numbers ("第 11 页 共 13 页") are left alone. Inline pinyin is dropped only when it carries
a tone mark, so "(a)" or "(GDP)" stay.

`printed_form(raw, value)` maps a piece of the reading copy back to the characters of the printed
line, so a finding can quote its value as the source prints it.
"""

from __future__ import annotations

import functools
import re

from auditor.model import Document

_IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# Both patterns start with the bracket or space they look for, the ideograph before it checked by
# a lookbehind: the regex engine then skips to those characters instead of trying every one.
# a tone-marked syllable (or two) in brackets right after an ideograph: 經(jīng)費 -> 經費
_PINYIN = re.compile(rf"[(（](?<=[{_IDEO}][(（])(?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,12}}[)）]")
# a space (or run of spaces) between two ideographs
_IDEO_GAP = re.compile(rf"[ \u3000](?<=[{_IDEO}][ \u3000])[ \u3000]*(?=[{_IDEO}])")
_SINGLE_TOKEN = re.compile(rf"(?<![{_IDEO}])[{_IDEO}](?![{_IDEO}])")
_TOKEN = re.compile(r"\S+")
_HAS_IDEO = re.compile(rf"[{_IDEO}]")
_IDEO_CHARS = re.compile(rf"[{_IDEO}]+")

# A line is spaced out as a whole when at least this many of its Chinese tokens are one ideograph
# long and they make up at least this share of them ("经 费 总预 算 安 排 …").
_SPACED_MIN_SINGLES = 4
_SPACED_SHARE = 0.6
_SPACED_MIN_GAPS = 3
# a run of spaced single ideographs is letter spacing from this many gaps on (3 letters)
_RUN_MIN_GAPS = 2


@functools.cache
def _converter():  # noqa: ANN202 - opencc has no type hints
    import opencc

    return opencc.OpenCC("t2s")


def _dropped(text: str) -> set[int]:
    """Offsets of the characters inline pinyin and letter spacing put into `text`."""
    drop: set[int] = set()
    if "(" in text or "（" in text:  # pinyin is bracketed: most lines have no bracket to scan
        for m in _PINYIN.finditer(text):
            drop.update(range(m.start(), m.end()))
    drop.update(_spacing_gaps(text))
    return drop


def _kept(text: str) -> tuple[str, list[int]]:
    """`text` without inline pinyin and letter spacing, with the index of each kept character."""
    drop = _dropped(text)
    if not drop:
        return text, list(range(len(text)))
    index = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in index), index


def _spacing_gaps(text: str) -> list[int]:
    """Offsets of the spaces that letter spacing put between ideographs."""
    if " " not in text and "\u3000" not in text:
        return []
    gaps = list(_IDEO_GAP.finditer(text))
    if not gaps:
        return []
    tokens = [t.group(0) for t in _TOKEN.finditer(text)]
    cjk = [t for t in tokens if _HAS_IDEO.search(t)]
    singles = sum(1 for t in cjk if len(t) == 1)
    # a line spaced out as a whole ("经 费 总预 算 安 排 …"), or a cell that is one spaced word ("合 计")
    spaced_line = (singles >= _SPACED_MIN_SINGLES and singles >= _SPACED_SHARE * len(cjk)
                   and len(gaps) >= _SPACED_MIN_GAPS)
    spaced_word = len(tokens) >= 2 and singles == len(tokens)
    if spaced_line or spaced_word:
        return [i for gap in gaps for i in range(gap.start(), gap.end())]
    # otherwise only a run of at least three spaced single ideographs ("同 比 增 加"): two single
    # words beside numbers ("第 11 页 共 13 页") are words, not letters
    out: list[int] = []
    run: list[re.Match[str]] = []
    for gap in [*gaps, None]:
        if gap is not None and _single_at(text, gap.start() - 1) and _single_at(text, gap.end()) and \
                (not run or run[-1].end() + 1 == gap.start()):
            run.append(gap)
            continue
        if len(run) >= _RUN_MIN_GAPS:
            out.extend(i for g in run for i in range(g.start(), g.end()))
        run = [gap] if gap is not None and _single_at(text, gap.start() - 1) and _single_at(text, gap.end()) else []
    return out


def _single_at(text: str, i: int) -> bool:
    """Whether the ideograph at i stands alone (no ideograph touching it on either side)."""
    return bool(_SINGLE_TOKEN.match(text, i))


def _simplified_only(text: str) -> bool:
    """Text whose ideographs the GB2312 codec can encode holds no traditional character (GB2312 is
    the simplified character set), so OpenCC need not be loaded for it: most documents never load
    it."""
    try:
        text.encode("gb2312")  # the whole text at once first: it usually encodes (a per-character codec)
        return True
    except UnicodeEncodeError:
        pass
    try:
        "".join(_IDEO_CHARS.findall(text)).encode("gb2312")  # ideographs only: GB2312 lacks some dashes
    except UnicodeEncodeError:
        return False
    return True


def _convert(text: str) -> str:
    if text.isascii() or _simplified_only(text):
        return text
    return _converter().convert(text)


def normalize_text(text: str, simplified: bool = False) -> str:
    """The reading copy of one line or cell (`simplified`: the caller knows the text holds no
    traditional character, so the conversion is skipped)."""
    if not text or text.isascii():
        return text
    drop = _dropped(text)
    kept = "".join(ch for i, ch in enumerate(text) if i not in drop) if drop else text
    if simplified:
        return kept
    converted = _convert(kept)
    # t2s maps character for character on disclosure text; keep the unconverted text if a phrase
    # rule ever changed the length, so that offsets stay meaningful
    return converted if len(converted) == len(kept) else kept


# Table cells repeat within a document (three in four are copies: amounts printed in several
# tables, the same labels): the reading copy of each distinct cell is made once.
_normalize_cell = functools.lru_cache(maxsize=8192)(normalize_text)


def normalize_document(doc: Document) -> Document:
    """Give every line of `doc` its reading copy (in place); `raw` is left as printed."""
    # Most documents are simplified throughout: asked once of the whole text, not once per line.
    simplified = _simplified_only("\n".join(line.text for line in doc.lines if line.cells is None))
    for line in doc.lines:
        if line.cells is not None:
            cells = [_normalize_cell(cell) for cell in line.cells]
            if cells != line.cells:
                line.cells = cells
                line.text = "\t".join(cells)
        elif line.text:
            line.text = normalize_text(line.text, simplified)
    return doc


def printed_form(raw: str, value: str) -> str | None:
    """The characters of the printed line `raw` whose reading copy is `value`, or None."""
    if not value or value in raw:
        return value if value else None
    kept, index = _kept(raw)
    converted = _convert(kept)
    if len(converted) != len(kept):
        return None
    at = converted.find(value)
    if at < 0:
        return None
    return raw[index[at]: index[at + len(value) - 1] + 1]
