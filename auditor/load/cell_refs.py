"""Spreadsheet column letters (A … XFD) and their 1-based numbers, for A1-style cell references."""

from __future__ import annotations


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def column_number(letters: str) -> int:
    """A -> 1, AA -> 27, XFD -> 16384 (case-insensitive)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number
