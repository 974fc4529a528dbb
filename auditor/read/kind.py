"""The document's kind, fiscal year and issuer, and the reports a document holds.

A file may bundle several reports (seed 003 holds five self-evaluations); each gets a Section
with its own title and fiscal year, so that year checks and findings refer to the right one.
"""

from __future__ import annotations

import re
from collections import Counter

from auditor.model import Document, ReadDocument, Section

_REPORT_TITLE = re.compile(r"(绩效自评报告|绩效评价报告|自评报告|部门预算|部门决算|预算公开|决算公开|绩效目标表)\s*$")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_HOME_SUFFIX = re.compile(r"(?:[（(](?:机关|本级)[)）]|机关|本级)$")


def _title_year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


# a line that ends like a report title, and a running header that names a report (every line is asked)
_SECTION_TITLE_END = re.compile(r"(绩效自评报告|绩效评价报告|自评报告)\s*$")
_RUNNING_REPORT_TITLE = re.compile(r"(评价|自评)报告$")


def detect_sections(doc: Document) -> list[Section]:
    """Reports inside the document: a line that ends like a report title opens a section."""
    titles: list[tuple[int, str]] = []
    for line in doc.lines:
        text = line.text.replace("\t", " ").strip()
        if not text or line.footer or len(text) > 80 or line.cells:
            continue
        if _SECTION_TITLE_END.search(text.replace(" ", "")):
            titles.append((line.number, text))
    if len(titles) < 2:
        first = next((ln for ln in doc.lines if ln.text and not ln.footer), None)
        # A report whose title survives only as its running header (seed-002 style) is named by it.
        running = next((ln.text for ln in doc.lines if ln.footer and _REPORT_TITLE.search(ln.text.replace(" ", ""))
                        or (ln.footer and _RUNNING_REPORT_TITLE.search(ln.text.replace(" ", "")))), "")
        title = titles[0][1] if titles else (running or (first.text.replace("\t", " ") if first else ""))
        issuer = _issuer_in_title(title) or _issuer_before(doc, titles[0][0] if titles else 1)
        return [Section(title=title, first_line=1, last_line=len(doc.lines), year=_title_year(title) or _first_year(doc),
                        issuer=issuer)]
    sections = []
    for index, (number, title) in enumerate(titles):
        start = _issuer_start(doc, number)
        end = (_issuer_start(doc, titles[index + 1][0]) - 1) if index + 1 < len(titles) else len(doc.lines)
        year = _title_year(title) or _title_year(_previous_text(doc, number))
        sections.append(Section(title=title, first_line=start, last_line=end, year=year,
                                issuer=_issuer_before(doc, number)))
    if sections and sections[0].first_line > 1:
        sections[0].first_line = 1
    return sections


def _previous_text(doc: Document, number: int) -> str:
    for line in reversed(doc.lines[max(0, number - 4): number - 1]):
        if line.text:
            return line.text
    return ""


def _issuer_start(doc: Document, title_line: int) -> int:
    """A report's issuer often stands on its own line(s) just above the title."""
    start = title_line
    for line in reversed(doc.lines[max(0, title_line - 8): title_line - 1]):
        if not line.text:
            continue
        if len(line.text) <= 30 and not re.search(r"[。，；：]", line.text):
            start = line.number
        else:
            break
    return start


def _issuer_before(doc: Document, title_line: int) -> str:
    for line in reversed(doc.lines[max(0, title_line - 8): title_line]):
        text = line.text.replace("\t", " ").strip()
        m = re.match(r"^([\u4e00-\u9fff（）()]{4,30}?(?:局|厅|委|办|中心|队|院|站|所|部|处|委员会|政府|办公室|学校|医院))", text)
        if m:
            return m.group(1)
    return ""


def _issuer_in_title(title: str) -> str:
    """"郑州市数字化城市管理监督中心 2022 年 …报告": the unit named at the start of a report title."""
    m = re.match(r"^\s*([\u4e00-\u9fff（）()]{4,30}?(?:局|厅|委|办|中心|队|院|站|所|部|处|委员会|政府|办公室|学校|医院))",
                 title)
    return m.group(1) if m else ""


def _first_year(doc: Document) -> int | None:
    for line in doc.lines[:15]:
        year = _title_year(line.text) or _paren_year(line.text)
        if year:
            return year
    years = Counter(int(m.group(1)) for line in doc.lines for m in _YEAR.finditer(line.text))
    return years.most_common(1)[0][0] if years else None


def _paren_year(text: str) -> int | None:
    m = re.search(r"[（(]\s*(20\d{2})\s*年?度?\s*[)）]", text)
    return int(m.group(1)) if m else None


def detect_kind(doc: Document, read: ReadDocument) -> tuple[str, int | None, str]:
    """budget | final_accounts | perf_targets | self_eval | evaluation | mixed | unknown."""
    head = " ".join(line.text for line in doc.lines[:40])
    kinds = []
    body = "".join(line.text.replace(" ", "") for line in doc.lines)
    self_eval = body.count("自评报告") + body.count("自评表")
    evaluation = body.count("绩效评价报告") + body.count("评价报告如下") + body.count("绩效评价打分表")
    if self_eval and self_eval >= evaluation:
        kinds.append("self_eval")
    elif evaluation:
        kinds.append("evaluation")
    if re.search(r"部门决算|决算公开|决算表", head):
        kinds.append("final_accounts")
    elif re.search(r"部门预算|预算公开", head) or any(t.kind.startswith("budget.") for t in read.tables):
        kinds.append("budget")
    if not kinds and (read.indicator_sets or "绩效目标表" in head):
        kinds.append("perf_targets")
    kind = kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "unknown")
    year = read.sections[0].year if read.sections and read.sections[0].year else _first_year(doc)
    issuer = next((s.issuer for s in read.sections if s.issuer), "")
    if not issuer:
        m = re.search(r"(?:\d{4}\s*年)?\s*([\u4e00-\u9fff]{4,24}?(?:局|厅|委|办|中心|队|政府办公厅))", head)
        issuer = m.group(1) if m else ""
    issuer = re.sub(r"^(?:按照|根据|对|关于)", "", issuer)
    return kind, year, issuer


def department(issuer: str) -> str:
    """The key that matches one department across its documents.

    Spaces go, and so does a trailing 机关 or 本级 (bracketed or not): a department's 决算 is
    often issued as "某局机关" or "某局（本级）" and its budget as "某局".
    """
    key = "".join((issuer or "").split())
    while True:
        stripped = _HOME_SUFFIX.sub("", key)
        if stripped == key or not stripped:
            return key
        key = stripped
