"""auditor.read.literal_gate: the literals a pattern needs, and a gate that never hides a match."""

from __future__ import annotations

import random
import re

import pytest

from auditor.read.literal_gate import LiteralGate, required_literals
from checks._scope import catalog_yaml


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"增加\s*[/／]\s*减少", {"增加"}),
    (r"X{2,}|×{2,}", {"XX", "××"}),
    (r"(?<=[\u4e00-\u9fff])[ \u3000]+(?:万元|元)(?=[，。])", {" 万元", " 元", "\u3000万元", "\u3000元"}),
    (r"[（(]\s*\d+\s*字(?:以内|以下)?", {"字"}),
    (r"待填写|请填写", {"待填写", "请填写"}),
    (r"……\s*(?:万元|元)", {"……"}),
])
def test_required_literals(pattern: str, expected: set[str]) -> None:
    assert required_literals(pattern) == expected


@pytest.mark.parametrize("pattern", [
    r"\d+", r"[^，]+", r"(\d)\1", r".{3}", r"(?i)abc", r"a*", r"a|\d",
])
def test_unknown_literals_leave_the_gate_open(pattern: str) -> None:
    assert required_literals(pattern) is None
    assert LiteralGate([pattern, "abc"]).may_match("zzz")


def test_a_text_without_the_literals_is_refused() -> None:
    gate = LiteralGate([r"增加\s*[/／]\s*减少", r"_{3,}"])
    assert not gate.may_match("本年收入合计1000万元。")
    assert gate.may_match("较上年增加/减少 10 万元")
    assert gate.may_match("名称：____")


def _random_texts(pieces: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(n)]


def test_the_gate_never_hides_a_match_of_the_template_patterns() -> None:
    """Soundness on the catalogue's own patterns: every text one of them matches passes the gate."""
    data = catalog_yaml("template_phrases.yaml")
    patterns = [*data["placeholders"], *data["length_limits"], *data["blank_amounts"]]
    pieces = [*"X×_＿*%％元万 \u3000为计：:字(（)）1230【】{}｛｝增减/／≥，。数项年个", "……", "名称", "单位", "待填写",
              "请补充", "XX", "___", "**", "限", "以内", "万元", "字）", "|"]
    compiled = [re.compile(p, re.MULTILINE) for p in patterns]
    matched = 0
    for pattern, regex in zip(patterns, compiled, strict=True):
        gate = LiteralGate([pattern])
        assert not gate.open, pattern  # every catalogue pattern has literals (else no speed-up)
        for text in _random_texts(pieces, 3000, seed=len(pattern)):
            if regex.search(text):
                matched += 1
                assert gate.may_match(text), (pattern, text)
    # the sample exercised the patterns (the rule's own cases, checks/cases, fire each form)
    assert matched >= 1000


def test_a_gated_pattern_finds_what_the_pattern_finds() -> None:
    """GatedPattern on the grade, band, count, admission and rate patterns it serves: the same
    matches as finditer on texts that hold their words and texts that do not."""
    from auditor.read import grades, score_prose
    from auditor.read.literal_gate import GatedPattern

    pieces = [*"，。：:为是“”\"分以上含(（)）-—至优良中差个级指标一二三0123456789 %", "等级", "评级", "评定为", "自评结果",
              "评价结论", "预算执行率", "执行率", "资金", "延期", "未达到", "部分完成", "得分", "总分", "三级指标", "优秀", "合格"]
    patterns = [grades._STATED, grades._BAND_RANGE, score_prose._DECLARED, score_prose._ADMISSION, score_prose._RATE]
    matched = 0
    for pattern in patterns:
        gated = GatedPattern(pattern)
        for text in _random_texts(pieces, 2000, seed=len(pattern.pattern)):
            expected = [(m.start(), m.group(0)) for m in pattern.finditer(text)]
            assert [(m.start(), m.group(0)) for m in gated.finditer(text)] == expected, (pattern.pattern, text)
            matched += bool(expected)
    assert matched >= 200  # the sample exercised the patterns
    assert list(GatedPattern(grades._STATED).finditer("本年收入合计1000万元。")) == []
