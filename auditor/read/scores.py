"""Score sheets of evaluation reports (财预〔2020〕10号 style), read from `doc.lines`.

Two layouts (seed 002), space- or tab-separated:

* **summary** (绩效评价分值表): "一级指标 分值 得分 得分率" then "决策 18 16.8 93.33%" rows and a
  total row ("综合绩效 100 92.9 92.90%").
* **detail** (打分表): "一级指标 分值 二级指标 分值 三级指标 分值 扣分 得分 扣分原因 指标解释 指标说明".
  A line holds one or more (name, numbers) groups: "决策 18" (一级), "项目立项 6" (二级),
  "绩效指标明确性 3 1.2 1.8" (三级: 分值, 扣分, 得分), "产出数量 10 实际完成率 10 2.5 7.5" (二级 +
  三级), "整体评价 100 100 100 7.1 92.9" (the total, level 0). The 扣分原因 of a docked row is the
  text after its numbers plus the narrow wrapped lines below it (the 扣分原因 column is narrower
  than the 指标解释 column that follows). Page footers and a header repeated after a page break
  are skipped, and a 一级/二级 row repeated after the break does not open a new group.

Self-evaluation tables with 分值/得分 columns are indicator tables (auditor/read/indicators.py).
"""

from __future__ import annotations

import re
from decimal import Decimal

from auditor.model import Document, ScoreRow, ScoreSheet, SourceLine, Table
from auditor.numbers import normalize, parse_percent, parse_score
from auditor.read.indicator_taxonomy import load_taxonomy, norm

_NUM = re.compile(r"^\d+(?:\.\d+)?%?$")
_CJK_START = re.compile(r"^[\u4e00-\u9fff《“\"(（]")
_PUNCT = re.compile(r"[，。；：、,;:！？]")
_CHAPTER = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节部分])")
REASON_WIDTH = 15  # wrapped 扣分原因 lines are at most this many characters


def _tokens(line: SourceLine) -> list[str]:
    """The line's tokens as printed (full-width characters kept for the reason text)."""
    return line.text.replace("\t", " ").split()


def _is_num(token: str) -> bool:
    return bool(_NUM.match(normalize(token)))


def _is_name(token: str) -> bool:
    return bool(_CJK_START.match(token)) and not _PUNCT.search(token) and len(token) <= 20


def _header_kind(tokens: list[str]) -> str:
    """"summary" or "detail" for a score-sheet header line, else ""."""
    # norm() only drops whitespace (a token has none) and folds brackets (一级指标 has none): the
    # first token is 一级指标 as printed, or the line is no header
    if not tokens or tokens[0] != "一级指标":
        return ""
    keys = [norm(t) for t in tokens]
    if not keys or keys[0] != "一级指标" or "分值" not in keys or "得分" not in keys:
        return ""
    detail = "二级指标" in keys or "三级指标" in keys
    if detail and ("扣分" in keys or keys.count("分值") >= 2):
        return "detail"
    if not detail and ("得分率" in keys or len(keys) <= 5):
        return "summary"
    return ""


def parse_groups(tokens: list[str]) -> tuple[list[tuple[str, list[str]]], str]:
    """Split a row into (name, numbers) groups and the trailing text."""
    groups: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if _is_num(tok) and groups:
            groups[-1][1].append(tok)
        elif (_is_name(tok) and i + 1 < len(tokens) and _is_num(tokens[i + 1])
              and (not groups or len(groups[-1][1]) == 1)):
            groups.append((tok, []))
        else:
            break
        i += 1
    return groups, " ".join(tokens[i:])


def _decimal(token: str) -> Decimal | None:
    return None if normalize(token).endswith("%") else parse_score(token)


def _title_before(lines: list[SourceLine], index: int) -> str:
    """The table title: the nearest line above ending in 表, joined with its wrapped first half."""
    found: list[str] = []
    for line in reversed(lines[max(0, index - 6): index]):
        text = line.text.replace("\t", " ").strip()
        if not text or line.footer:
            continue
        if not found:
            if not text.endswith("表"):
                return ""
            found.append(text)
            continue
        if len(text) <= 40 and not text.endswith(("。", "；", "：", ":")):
            found.insert(0, text)
        break
    return "".join(found) if len(found) > 1 else (found[0] if found else "")


class _SheetReader:
    def __init__(self, doc: Document) -> None:
        self.lines = doc.lines
        self.tax = load_taxonomy()
        self.sheets: list[ScoreSheet] = []
        self.taken: set[int] = set()

    def _is_l1(self, name: str) -> bool:
        fw = self.tax.frameworks.get("eval2020")
        return bool(fw and fw.is_l1(name)) or self.tax.any_l1(name)

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            # a header's first token is 一级指标: a line without it is not tokenised
            kind = "" if line.footer or "一级指标" not in line.text else _header_kind(_tokens(line))
            if kind == "summary":
                i = self._summary(i)
            elif kind == "detail":
                i = self._detail(i)
            else:
                i += 1

    def _total_row(self, name: str, nums: list[str], line: int) -> ScoreRow:
        values = [v for v in (_decimal(t) for t in nums) if v is not None]
        rate = next((parse_percent(t) for t in nums if normalize(t).endswith("%")), None)
        return ScoreRow(level=0, name=name, line=line, weight=values[0] if values else None,
                        deduction=values[-2] if len(values) >= 3 else None,
                        score=values[-1] if len(values) >= 2 else None, rate=rate)

    def _summary(self, index: int) -> int:
        header = self.lines[index]
        sheet = ScoreSheet(title=_title_before(self.lines, index), line=header.number)
        self.taken.add(header.number)
        i = index + 1
        while i < len(self.lines):
            line = self.lines[i]
            if line.footer or not line.text.strip():
                i += 1
                continue
            groups, _tail = parse_groups(_tokens(line))
            if len(groups) != 1 or len(groups[0][1]) < 2:
                break
            name, nums = groups[0]
            self.taken.add(line.number)
            i += 1
            if self.tax.is_total(name):
                sheet.rows.append(self._total_row(name, nums, line.number))
                break
            values = [v for v in (_decimal(t) for t in nums) if v is not None]
            rate = next((parse_percent(t) for t in nums if normalize(t).endswith("%")), None)
            sheet.rows.append(ScoreRow(level=1, name=name, line=line.number,
                                       weight=values[0] if values else None,
                                       score=values[1] if len(values) > 1 else None, rate=rate))
        if sheet.rows:
            self.sheets.append(sheet)
        return i

    def _detail(self, index: int) -> int:
        header = self.lines[index]
        sheet = ScoreSheet(title=_title_before(self.lines, index), line=header.number)
        l1 = l2 = ""
        reason_row: ScoreRow | None = None
        reason_parts: list[str] = []
        i = index + 1
        end = len(self.lines)

        def close_reason() -> None:
            nonlocal reason_row, reason_parts
            if reason_row is not None and reason_parts:
                reason_row.reason = "".join(reason_parts)
            reason_row, reason_parts = None, []

        self.taken.add(header.number)
        while i < end:
            line = self.lines[i]
            i += 1
            text = line.text.replace("\t", " ").strip()
            if line.footer:
                continue
            if not text:
                continue
            tokens = _tokens(line)
            if _header_kind(tokens):
                close_reason()
                self.taken.add(line.number)
                continue
            if _CHAPTER.match(text):
                i -= 1
                break
            self.taken.add(line.number)
            groups, tail = parse_groups(tokens)
            if not groups or not groups[0][1]:
                if reason_row is not None:
                    if len(text) <= REASON_WIDTH:
                        reason_parts.append(text)
                        continue
                    close_reason()
                continue
            close_reason()
            if self.tax.is_total(groups[0][0]):
                sheet.rows.append(self._total_row(groups[0][0], groups[0][1], line.number))
                break
            for k, (name, nums) in enumerate(groups):
                last = k == len(groups) - 1
                values = [_decimal(t) for t in nums]
                values = [v for v in values if v is not None]
                if not values:  # only percentages ("决策 93.3%"): no weight or score to read
                    continue
                if len(values) == 1 and (self._is_l1(name) or (not last and k == 0 and len(groups) > 1
                                                                 and len(groups[1][1]) == 1)):
                    if name == l1:  # repeated after a page break
                        continue
                    l1, l2 = name, ""
                    sheet.rows.append(ScoreRow(level=1, name=name, line=line.number, weight=values[0]))
                elif len(values) == 1:
                    if name == l2:
                        continue
                    l2 = name
                    sheet.rows.append(ScoreRow(level=2, name=name, line=line.number, weight=values[0],
                                               parent=l1))
                else:
                    row = ScoreRow(level=3, name=name, line=line.number, weight=values[0],
                                   deduction=values[1] if len(values) >= 3 else None,
                                   score=values[-1], parent=l2 or l1)
                    sheet.rows.append(row)
                    docked = (row.deduction or Decimal(0)) > 0 or (
                        row.score is not None and row.weight is not None and row.score < row.weight)
                    if docked and last:
                        reason_row = row
                        reason_parts = [tail] if tail else []
        close_reason()
        if sheet.rows:
            self.sheets.append(sheet)
        return i


def read_score_sheets(doc: Document, tables: list[Table]) -> tuple[list[ScoreSheet], set[int]]:
    reader = _SheetReader(doc)
    reader.run()
    return reader.sheets, reader.taken
