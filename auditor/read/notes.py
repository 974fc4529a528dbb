"""A reader's note on content it saw but could not place, in both languages.

`Note` is the English text (a `str`, so notes stay sortable, sliceable keys) carrying its Chinese
text in `.zh`; `parse.unread` renders whichever the report's language asks for, so a Chinese
report never shows an English reader message.
"""

from __future__ import annotations


class Note(str):
    """English text of a reader note, with the Chinese text in `zh`."""

    zh: str

    def __new__(cls, en: str, zh: str | None = None) -> Note:
        # zh may be absent while unpickling (str's __getnewargs__ gives the text only; the
        # instance's __dict__ with zh is restored right after)
        note = super().__new__(cls, en)
        note.zh = en if zh is None else zh
        return note


def zh_of(note: str) -> str:
    """The Chinese text of a note (a plain string note has only its own text)."""
    return getattr(note, "zh", note)


# what each guarded reader reads, for "… reader failed"
READER_ZH = {
    "section": "章节", "table": "表格", "indicator": "绩效指标", "score sheet": "评分表", "prose": "正文",
    "kind": "文件类型", "column period": "栏目年度", "rate": "比率", "enumeration": "列举",
    "observation": "数值", "rate operand": "比率运算数",
}


def reader_failed(what: str, exc: BaseException) -> Note:
    detail = f"{type(exc).__name__}: {exc}"
    return Note(f"{what} reader failed: {detail}", f"{READER_ZH.get(what, what)}读取出错（{detail}）")


def short_row(missing: int, why: str) -> Note:
    """A table row with fewer cells than its table, padded at the end; `why` names the reason."""
    reasons = {
        "": ("", ""),
        "no_arithmetic": (" and no arithmetic to place them", "，且无可用于定位的算术关系"),
        "too_wide": (", which is too wide to place them by its arithmetic", "，表太宽，无法按算术关系定位"),
        "no_placement": (" and no placement satisfies its relations", "，且没有任何位置能满足其算术关系"),
    }
    en, zh = reasons[why]
    return Note(f"row has {missing} cell(s) fewer than the table{en}; padded at the end",
                f"此行比表格少 {missing} 个单元格{zh}；已在行末补空")


def lost_cell_ambiguous() -> Note:
    return Note("lost cell has several valid places; the first was kept", "缺失的单元格有多个可能位置，采用了第一个")


def header_guessed(cells: int, width: int) -> Note:
    return Note(f"header has {cells} cell(s) for {width} columns; column count guessed",
                f"表头只有 {cells} 个单元格而表格有 {width} 列，列数为推测")


def row_break_guessed(cells: int, width: int) -> Note:
    return Note(f"row has {cells} cell(s) for {width} columns; rebuilt row break guessed",
                f"此行有 {cells} 个单元格而表格有 {width} 列，行的分界为推测")


def score_grid_glued() -> Note:
    return Note("cells glued without separators; each weight and score split where score = weight × 得分系数",
                "单元格之间没有分隔符，权重与得分按「得分 = 权重 × 得分系数」拆分")


def cells_glued() -> Note:
    return Note("cells glued without separators; numbers split where the columns add up",
                "单元格之间没有分隔符，数字按各列合计能对上的位置拆分")
