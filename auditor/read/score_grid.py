"""Score grids glued into one run of text: a self-evaluation table whose cells lost every
separator, as document converters and OCR print a 部门整体绩效自评表:

    指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标
    财政供养人员控制率%定量指标100%92%100%22否…政府采购执行率%100%72.74%100%22是…

The header is a run of known column words (checks/catalog/score_grid.yaml). A row is read from
its right end, where the cells have a fixed form: the 是/否 flag (when the grid has that column),
the weight and the score glued together ("22", "1010", "107.6") and, before them, the score
coefficient ("100%"). The coefficient is the checksum that splits the weight from the score:
score = weight × coefficient, so "22" at 100% is 2 and 2, and "107.6" at 76% is 10 and 7.6; a
row whose run admits no split or more than one keeps no weight or score. The values before the
coefficient are the target(s) and the actual value, in header order (two printed values are the
first target column and the actual column). A grid rebuilt this way is a guess: its confidence
is below SURE_TABLE, so its findings are warnings, never errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from auditor.model import Document
from auditor.yaml_files import read_yaml_file

CATALOG = Path(__file__).resolve().parents[2] / "checks" / "catalog" / "score_grid.yaml"

GRID_CONFIDENCE = 0.5  # as glued grids (auditor.read.table_layouts.GLUED): warnings only
MIN_ROWS = 3
MIN_HEADER_WORDS = 5  # known column words in the header run
MAX_ROW_CHARS = 80  # a row's text before its value cells; longer is prose
MAX_CONTINUATION_LINES = 3  # lines after the header line that may continue the grid
_CHUNK_MARK = re.compile(r"^\s*\d{1,3}、")  # "3、": the page chunks of a document viewer's text
_NUMBER = re.compile(r"(?:0(?=\d)|\d+(?:\.\d+)?)")  # "0100%" is 0 then 100%: no leading zeros
_BRACKETS = str.maketrans("（）", "()")


@dataclass(frozen=True)
class GridCatalog:
    columns: tuple[tuple[str, str], ...]  # (word, role), longest word first
    actual_marks: tuple[str, ...]
    value_types: tuple[str, ...]
    flags: tuple[str, ...]


@lru_cache(maxsize=1)
def grid_catalog() -> GridCatalog:
    data = read_yaml_file(CATALOG)
    columns = tuple(sorted(((c["word"], c["role"]) for c in data["columns"]), key=lambda c: -len(c[0])))
    return GridCatalog(columns, tuple(data["actual_marks"]),
                       tuple(sorted(data["value_types"], key=len, reverse=True)), tuple(data["flags"]))


# Canonical header text per role: the cell the rebuilt grid prints for a column whose printed
# header was recognised by content (a scrambled OCR segment).
CANONICAL = {"actual": "全年完成值"}


@dataclass
class GridHeader:
    start: int  # offset of the header run in the line
    end: int
    words: list[str]  # the header cells as rebuilt
    roles: list[str]


def find_header(text: str) -> GridHeader | None:
    """The first run of glued column words in `text` with a name, a coefficient, a weight and a
    score column; None when there is none."""
    if "指标" not in text or "得分" not in text:  # asked of every prose line: before any folding
        return None
    cat = grid_catalog()
    flat = text.translate(_BRACKETS)
    for m in re.finditer("指标名称|三级指标", flat):
        words: list[str] = []
        roles: list[str] = []
        pos = m.start()
        gap = ""
        while pos < len(flat):
            hit = next(((w, r) for w, r in cat.columns if flat.startswith(w, pos)), None)
            if hit is None:
                gap += flat[pos]
                pos += 1
                if len(gap) > 8:
                    break
                continue
            if gap:
                if not any(mark in gap for mark in cat.actual_marks) or "actual" in roles:
                    break
                words.append(CANONICAL["actual"])
                roles.append("actual")
                gap = ""
            words.append(hit[0])
            roles.append(hit[1])
            pos += len(hit[0])
        end = pos - len(gap)
        if (len(words) >= MIN_HEADER_WORDS and roles[0] == "name"
                and {"coefficient", "weight", "score"} <= set(roles)
                and roles.index("coefficient") < roles.index("weight") < roles.index("score")):
            return GridHeader(m.start(), end, words, roles)
    return None


def split_weight_score(run: str, coefficient: Decimal) -> tuple[str, str] | None:
    """The one way to cut a glued weight+score run so that score = weight × coefficient (to the
    score's printed decimals, within half a unit), or None when no cut or several fit."""
    found = []
    for cut in range(1, len(run)):
        weight, score = run[:cut], run[cut:]
        if not _plain(weight) or not _plain(score) or "." in weight:
            continue
        w, s = Decimal(weight), Decimal(score)
        if s > w or w == 0:
            continue
        decimals = len(score.split(".")[1]) if "." in score else 0
        if abs(w * coefficient / 100 - s) <= Decimal(5) / Decimal(10) ** (decimals + 1):
            found.append((weight, score))
    return found[0] if len(found) == 1 else None


def _plain(piece: str) -> bool:
    return bool(re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", piece))


@dataclass
class GridRow:
    cells: list[str]  # one per header column
    line: int


def _row_end(flags: tuple[str, ...], has_flag: bool) -> re.Pattern[str]:
    flag = f"(?P<flag>[{''.join(flags)}])" if has_flag else r"(?=[^\d.%]|$)"
    return re.compile(r"(?P<coef>(?:0|[1-9]\d{0,2})(?:\.\d+)?)%(?P<run>\d+(?:\.\d+)?)" + flag)


def _values(segment: str) -> tuple[str, list[str]]:
    """The text before the first value and the value cells of a row's left part: each number with
    the unit printed after it ("26次12次" -> ["26次", "12次"]); a doubled word ("好好") is a
    qualitative target and actual."""
    numbers = list(_NUMBER.finditer(segment))
    if not numbers:
        doubled = re.fullmatch(r"(.+?)([\u4e00-\u9fff]{1,4})\2", segment)
        if doubled:
            return doubled.group(1), [doubled.group(2), doubled.group(2)]
        return segment, []
    head = segment[:numbers[0].start()]
    values = []
    for k, m in enumerate(numbers):
        stop = numbers[k + 1].start() if k + 1 < len(numbers) else len(segment)
        unit = segment[m.end():stop]
        values.append(m.group(0) + (unit if len(unit) <= 3 else ""))
    return head, values


def _name_and_unit(head: str, values: list[str], value_types: tuple[str, ...]) -> tuple[str, str, str]:
    """Indicator name, unit and 指标性质 from the text before a row's values."""
    vtype = next((v for v in value_types if v in head), "")
    name = head.replace(vtype, "") if vtype else head
    units = {re.sub(r"^[\d.]+", "", v) for v in values if v[:1].isdigit()}
    unit = next(iter(units)) if len(units) == 1 else ""
    if unit and name.endswith(unit):
        name = name[:-len(unit)]
    elif name.endswith("%"):
        name, unit = name[:-1], "%"
    return name.strip("“”\"'‘’,，、 "), unit, vtype


def read_grid(text: str, header: GridHeader, line_numbers: list[tuple[int, int]]) -> list[GridRow]:
    """The rows after `header` in `text` (the header line joined with its continuation lines;
    `line_numbers` gives (offset, source line) of each joined line)."""
    cat = grid_catalog()
    roles = header.roles
    has_flag = roles[-1] == "flag"
    value_roles = [r for r in roles[roles.index("name") + 1:roles.index("coefficient")]
                   if r in ("target", "target_adjusted", "actual")]
    pattern = _row_end(cat.flags, has_flag)
    rows: list[GridRow] = []
    pos = header.end
    for m in pattern.finditer(text, header.end):
        segment = text[pos:m.start()]
        if "\n" in segment:  # a row that starts a continuation line: the line's own text
            segment = segment.rsplit("\n", 1)[1] or segment.replace("\n", "")
        head, values = _values(segment)
        if not head.strip() or len(head) > MAX_ROW_CHARS or len(values) > len(value_roles):
            break
        coefficient = Decimal(m.group("coef"))
        split = split_weight_score(m.group("run"), coefficient)
        name, unit, vtype = _name_and_unit(head, values, cat.value_types)
        cell = dict.fromkeys(roles, "")
        cell.update(name=name, unit=unit, vtype=vtype, coefficient=m.group("coef") + "%")
        if has_flag:
            cell["flag"] = m.group("flag")
        if split:
            cell["weight"], cell["score"] = split
        if len(values) == len(value_roles):
            cell.update(zip(value_roles, values, strict=True))
        elif len(values) == 2 and "actual" in value_roles:
            cell[value_roles[0]], cell["actual"] = values
        line = next(n for offset, n in reversed(line_numbers) if offset <= m.start())
        rows.append(GridRow([cell[r] for r in roles], line))
        pos = m.end()
    return rows


def find_score_grid(doc: Document, i: int) -> tuple[list[GridRow], set[int], str] | None:
    """A glued score grid starting on line index `i`: (its rows, the header first; the source
    lines used; the title printed before the header), or None."""
    line = doc.lines[i]
    header = find_header(line.text)
    if header is None:
        return None
    text = line.text.translate(_BRACKETS)
    offsets = [(0, line.number)]
    for k in range(i + 1, min(i + 1 + MAX_CONTINUATION_LINES, len(doc.lines))):
        nxt = doc.lines[k]
        if nxt.cells is not None or not nxt.text.strip():
            break
        offsets.append((len(text) + 1, nxt.number))
        text += "\n" + _CHUNK_MARK.sub("", nxt.text.translate(_BRACKETS))
    rows = read_grid(text, header, offsets)
    if len(rows) < MIN_ROWS:
        return None
    used = {n for _, n in offsets if n <= rows[-1].line}
    out = [GridRow(header.words, line.number), *rows]
    before = " ".join(doc.lines[k].text for k in range(max(0, i - 2), i)) + " " + line.text[:header.start]
    titles = re.findall(r"[\u4e00-\u9fff]{2,30}?表", before)
    return out, used, (titles[-1] if titles else "")

