"""The literal pieces a regular expression cannot match without: a cheap test before a slow scan.

A text holds no match of a pattern unless it holds one of the pattern's required literals: for
``增加\\s*[/／]\\s*减少`` one of "增加" (or "/" or "／", or "减少"); for ``……\\s*(?:万元|元|%)`` "……".
Most paragraphs and cells hold no template residue at all, and ``str.__contains__`` finds a
literal many times faster than the regex engine rejects a long alternation position by position
(a lookbehind or an optional group at the start of an alternative defeats its first-character
skip). `LiteralGate` is that test for a set of patterns; it only ever answers "may match" or "no
match", so it never changes what the patterns find.

The literals are read off the pattern's parse tree (CPython's ``re._parser``, the parser
``re.compile`` uses). A construct the walk does not know (a backreference, case-insensitive
matching, an unbounded class) makes a pattern's literals unknown, and the gate then lets every
text through: slower, never wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import product

try:  # the parser behind re.compile; private, so its absence only costs speed
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - a Python without them: every text passes the gate
    _parser = None  # type: ignore[assignment]
    _c = None  # type: ignore[assignment]

# Bounds that keep the literal sets small: a class of more characters than this, or a set of more
# strings, is "unknown" rather than enumerated.
_MAX_CLASS = 16
_MAX_STRINGS = 64
_MAX_LENGTH = 12


class _Unknown(Exception):
    pass


# A node's reading: `exact` — every string the node can match (None: too many or unbounded);
# `needs` — strings one of which every match contains (None: no such set known).
_Reading = tuple[frozenset[str] | None, frozenset[str] | None]
_EMPTY: frozenset[str] = frozenset({""})


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains, or None when none are known
    (then every text may match)."""
    if _parser is None or flags & re.IGNORECASE:
        return None
    try:
        tree = _parser.parse(pattern, flags)
        if tree.state.flags & re.IGNORECASE:
            return None
        exact, needs = _sequence(list(tree))
    except (_Unknown, re.error, RecursionError):
        return None
    chosen = _best([s for s in (exact, needs) if s is not None])
    return chosen


def _minimal(strings: frozenset[str]) -> frozenset[str]:
    """The strings that contain no other member: containing "字以内" implies containing "字"."""
    ordered = sorted(strings, key=len)
    kept: list[str] = []
    for s in ordered:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective usable set: longest shortest member, then fewest members."""
    usable = [_minimal(c) for c in candidates if c and "" not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _concat(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > _MAX_STRINGS:
        return None
    joined = frozenset(a + b for a, b in product(left, right))
    return joined if all(len(s) <= _MAX_LENGTH for s in joined) else None


def _sequence(items: list) -> _Reading:
    """A run of nodes matched one after another."""
    run: frozenset[str] | None = _EMPTY  # the exact strings of the nodes since the last break
    candidates: list[frozenset[str]] = []
    whole_exact: frozenset[str] | None = _EMPTY
    for op, av in items:
        edge = _repeat_edge(op, av)
        if edge is not None:
            # one or more repeats of a small set: a match starts and ends with a member of it, so
            # the run before joins its first repeat and the run after starts at its last
            joined = _concat(run, edge) if run is not None else None
            candidates.append(joined if joined is not None else edge)
            _, needs = _node(op, av)  # "X{2,}": the first two repeats, "XX"
            if needs is not None:
                candidates.append(needs)
            run, whole_exact = edge, None
            continue
        exact, needs = _node(op, av)
        if needs is not None:
            candidates.append(needs)
        if exact is None:
            if run is not None:
                candidates.append(run)
            run, whole_exact = _EMPTY, None
            continue
        joined = _concat(run, exact) if run is not None else None
        if joined is None:  # too many strings: what is known so far stands, a new run starts
            if run is not None:
                candidates.append(run)
            run = exact
            whole_exact = None
        else:
            run = joined
        if whole_exact is not None:
            whole_exact = run
    if run is not None:
        candidates.append(run)
    return whole_exact, _best(candidates)


def _repeat_edge(op, av) -> frozenset[str] | None:  # noqa: ANN001 - a parser node
    """For an unbounded repeat (at least once) of a node with few exact strings, those strings."""
    if op not in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return None
    low, high, body = av
    if low < 1 or low == high:
        return None
    exact, _ = _sequence(list(body))
    return exact if exact is not None and "" not in exact else None


def _node(op, av) -> _Reading:  # noqa: ANN001, C901, PLR0911, PLR0912 - a switch over the parser's node kinds
    if op is _c.LITERAL:
        return frozenset({chr(av)}), None
    if op is _c.IN:
        chars: set[str] = set()
        for item_op, item_av in av:
            if item_op is _c.LITERAL:
                chars.add(chr(item_av))
            elif item_op is _c.RANGE and item_av[1] - item_av[0] < _MAX_CLASS:
                chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
            else:  # a negated class, a category (\d, \s), a wide range
                return None, None
        return (frozenset(chars), None) if len(chars) <= _MAX_CLASS else (None, None)
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return _EMPTY, None  # zero width: matches the empty string, needs nothing
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        if add_flags & re.IGNORECASE:
            raise _Unknown
        return _sequence(list(body))
    if op is _c.BRANCH:
        _, alternatives = av
        readings = [_sequence(list(alt)) for alt in alternatives]
        exact: frozenset[str] | None = None
        if all(e is not None for e, _ in readings):
            union = frozenset().union(*(e for e, _ in readings))
            exact = union if len(union) <= _MAX_STRINGS else None
        needs: set[str] = set()
        for e, n in readings:
            one = _best([s for s in (e, n) if s is not None])
            if one is None:
                return exact, None  # an alternative that needs nothing: the branch needs nothing
            needs |= one
        return exact, frozenset(needs) if len(needs) <= _MAX_STRINGS else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        exact, needs = _sequence(list(body))
        if low == 0:
            if high == 1 and exact is not None:
                return exact | _EMPTY, None
            return None, None
        # at least `low` repeats: the first min(low, 2) of them are consecutive
        if exact is not None:
            first = exact
            for _ in range(min(low, 2) - 1):
                first = _concat(first, exact) or first
            if low == high and low == 1:
                return exact, None
            return None, first
        return None, needs
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    return None, None  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...


class LiteralGate:
    """One test for a set of patterns: False when a text can match none of them."""

    def __init__(self, patterns: Iterable[str | re.Pattern[str]]) -> None:
        literals: set[str] = set()
        self.open = False  # True: some pattern has no known literal, so every text may match
        for pattern in patterns:
            text, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, 0)
            found = required_literals(text, flags)
            if found is None:
                self.open = True
                break
            literals |= found
        self.literals = tuple(sorted(literals, key=lambda s: (-len(s), s)))
        # `test(text)` is truthy when a text may match: one scan of an alternation of the literals
        # (sre skips the positions no literal starts at), several times faster than a containment
        # test per literal; the rules call it directly, as it is asked of every paragraph and cell
        self.test: Callable[[str], object]
        if self.open:
            self.test = _always
        elif self.literals:
            self.test = re.compile("|".join(map(re.escape, self.literals))).search
        else:
            self.test = _never

    def may_match(self, text: str) -> bool:
        return bool(self.test(text))


def _always(text: str) -> bool:
    return True


def _never(text: str) -> bool:
    return False


class GatedPattern:
    """`pattern.finditer`, after one scan for the pattern's literals: a text holding none of them
    gets no match without the regex engine trying the pattern at every position. The gate is
    built on first use, so importing a reader compiles nothing more."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._test: Callable[[str], object] | None = None

    def finditer(self, text: str) -> Iterable[re.Match[str]]:
        test = self._test
        if test is None:
            test = self._test = LiteralGate([self.pattern]).test
        return self.pattern.finditer(text) if test(text) else ()
