"""Property tests: the parsers never raise, formatting round-trips, the loader only raises InputError.

Derandomized (fixed seed) and bounded so the file runs in a few seconds.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.load.errors import InputError
from auditor.load.text import decode, split_lines
from auditor.numbers import (
    find_amounts,
    format_decimal,
    parse_amount,
    parse_decimal,
    parse_percent,
    parse_score,
    parse_target,
    printed_precision,
)

FAST = settings(derandomize=True, max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Text drawn from what disclosures are made of, plus anything at all.
_ALPHABET = "0123456789０１２３４５６７８９.,，．-－+%％ ≥≤=<>&~～$\\万元亿个次天年月日第页及时满意\t\n\r　—/"
disclosure_text = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=30),
    st.text(max_size=30),
    st.sampled_from(["\\geq", "\\leq", "\\%", "&&", "以上", "以内", "等于", "不低于"]).flatmap(
        lambda word: st.text(alphabet=_ALPHABET, max_size=10).map(lambda t: word + t + word)
    ),
)


@FAST
@given(disclosure_text)
def test_parsers_never_raise(text: str) -> None:
    parse_amount(text)
    parse_amount(text, "万元")
    parse_percent(text)
    parse_score(text)
    parse_decimal(text)
    assert printed_precision(text) >= 0
    target = parse_target(text)
    assert target.kind in {"number", "range", "word", "date", "text", "empty"}
    if target.kind in ("number", "range"):
        assert target.number is not None
        assert isinstance(target.number.value, Decimal)
    for mention in find_amounts(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start: mention.end] == mention.number.text


decimals_st = st.integers(min_value=0, max_value=6)
values = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False)


@FAST
@given(values, decimals_st, st.booleans())
def test_format_then_parse_round_trips(value: Decimal, decimals: int, thousands: bool) -> None:
    text = format_decimal(value, decimals, thousands)
    parsed = parse_amount(text)
    assert parsed is not None, text
    assert parsed.decimals == decimals
    assert printed_precision(text) == decimals
    # the parsed value is the value rounded to the printed precision, within half an ulp
    assert abs(parsed.value - value) <= Decimal(5) * Decimal(10) ** (-(decimals + 1))
    assert format_decimal(parsed.value, decimals, thousands) == text
    percent = parse_percent(text + "%")
    assert percent is not None and percent.value == parsed.value and percent.decimals == decimals


@FAST
@given(values, decimals_st)
def test_formatted_amount_with_unit_round_trips(value: Decimal, decimals: int) -> None:
    text = format_decimal(value, decimals) + "万元"
    parsed = parse_amount(text)
    assert parsed is not None and parsed.unit == "万元" and parsed.decimals == decimals


@FAST
@given(st.binary(max_size=400))
def test_decode_and_split_raise_only_input_error(data: bytes) -> None:
    try:
        text, encoding = decode(data, "x")
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert isinstance(text, str) and encoding
    try:
        split_lines(text, "x")
    except InputError as err:
        assert "\n" not in str(err)


_LINE_TEXT = st.text(alphabet=st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=40)


@FAST
@given(st.lists(_LINE_TEXT, min_size=1, max_size=30), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_line_numbers_map_to_the_source(lines: list[str], ending: str, final: bool) -> None:
    text = ending.join(lines) + (ending if final else "")
    try:
        doc = split_lines(text, "x")
    except InputError:
        return
    source = text.split("\n")
    if len(source) > 1 and source[-1] == "":
        source.pop()  # a final line ending does not start another line
    assert len(doc.lines) == len(source)
    for line in doc.lines:
        assert line.raw == source[line.number - 1].removesuffix("\r")
        assert line.raw == lines[line.number - 1]


@FAST
@given(st.lists(st.text(alphabet="合计0123456789,. 万元\t", max_size=20), min_size=1, max_size=10))
def test_cells_count_tabs(lines: list[str]) -> None:
    try:
        doc = split_lines("\n".join(lines), "x")
    except InputError:
        return
    expected = "\n".join(lines).split("\n")
    if len(expected) > 1 and expected[-1] == "":
        expected.pop()
    for line, raw in zip(doc.lines, expected, strict=True):
        if "\t" in raw:
            assert line.cells is not None and len(line.cells) == raw.count("\t") + 1
        else:
            assert line.cells is None


_MAGIC_PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"%PDF", b"PK\x03\x04",
                   b"\x89PNG\r\n\x1a\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


@settings(derandomize=True, max_examples=150, deadline=None)
@given(st.sampled_from(_MAGIC_PREFIXES), st.binary(max_size=300), st.sampled_from([".txt", ".pdf", ".xlsx", ""]))
def test_load_raises_only_input_error(prefix: bytes, data: bytes, suffix: str) -> None:
    import tempfile
    from pathlib import Path

    from auditor.load import load

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(prefix + data)
        try:
            doc = load(path)
        except InputError as err:
            assert "\n" not in str(err)
            return
        assert doc.lines and all(line.number == i for i, line in enumerate(doc.lines, start=1))
