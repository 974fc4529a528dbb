"""How many terminal columns a text takes: CJK characters two, combining marks none.

The text report aligns its table and wraps its messages by this width, and the XLSX report sizes
its columns by it. It follows the East Asian Width property of Unicode (UAX #11): wide (W) and
full-width (F) characters take two columns; ambiguous ones (≥, ×, ①, “) one, as terminals
outside East Asian locales draw them; combining marks, format characters (zero-width space and
joiners, directional marks, the byte-order mark) none. A text holding a control character (a
tab, say), which a terminal does not draw predictably, counts one column per character. The
character properties are those of Python's Unicode database.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_ZERO_CATEGORIES = frozenset({"Mn", "Me", "Mc", "Cf", "Zl", "Zp"})


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns of one character: 0, 1 or 2."""
    if " " <= ch <= "~":  # printable ASCII, nearly every character of a report
        return 1
    category = unicodedata.category(ch)
    if category in _ZERO_CATEGORIES and ch != "\u00ad":  # a soft hyphen shows
        return 0
    if category == "Cn":  # unassigned (the property reads F for them): one column, as terminals do
        return 1
    if "\u1160" <= ch <= "\u11ff":  # Hangul medial vowels and final consonants join the syllable
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns a one-line text takes."""
    if text.isascii() and text.isprintable():
        return len(text)
    if any(ch < " " or "\x7f" <= ch < "\xa0" for ch in text):
        return len(text)
    return sum(char_width(ch) for ch in text)


def widest_line(text: str) -> int:
    """Columns of the widest line of a text."""
    return max(display_width(line) for line in text.split("\n"))
