"""A grammar of disclosure-like text for fuzz tests: titles, units, table headers, data and
total rows with blank cells, indicator and score rows, prose with amounts and rates, page
footers, HTML fragments and plain noise. Every piece is generated from the small vocabularies
below (written for these tests, not copied from the seeds), so shapes recur while the content
varies: the readers see layouts they know, mangled in ways they may not.

`document(rng)` builds one document from a `random.Random`; tests draw the seed with
hypothesis (fixed by `derandomize=True`), which keeps generation cheap enough for tens of
thousands of inputs. `line_strategy()` is the same grammar as a hypothesis strategy (shrinkable)
for the slower whole-pipeline tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import strategies as st

YEARS = ["2019", "2020", "2021", "2022", "2023", "2024", "2025", "1999", "2099"]
ORGS = ["示例市财政局", "某县教育局", "样本区卫生健康委员会", "甲市文化中心", "乙县农业农村局本级", "丙镇人民政府"]
TABLE_TITLES = [
    "部门收支总体情况表", "部门收入总体情况表", "部门支出总体情况表", "财政拨款收支总体情况表",
    "一般公共预算支出情况表", "一般公共预算基本支出情况表", "一般公共预算“三公”经费支出情况表",
    "政府性基金预算支出情况表", "国有资本经营预算支出情况表", "政府采购预算表", "收入支出决算总表",
    "基本支出决算表", "项目支出绩效目标表", "绩效自评表", "评分表", "项目绩效自评结果表",
]
UNITS = ["元", "万元", "亿元", "千元", "个", "人", "次", "%", "％", "分", "场", "人次", "天"]
HEADER_WORDS = [
    "科目编码", "类", "款", "项", "科目名称", "项目", "合计", "基本支出", "项目支出", "人员经费", "公用经费",
    "本年收入", "本年支出", "上年结转", "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分",
    "一级指标", "二级指标", "三级指标", "指标值", "年度指标值", "实际完成值", "权重", "偏差原因", "金额",
    "收入", "支出", "预算数", "决算数", "比上年增减", "增减%", "单位名称", "小计", "备注", "功能分类科目",
    "经济分类科目", "财政拨款", "一般公共预算", "政府性基金预算", "其他收入", "事业收入",
]
NAMES = [
    "一般公共服务支出", "教育支出", "社会保障和就业支出", "卫生健康支出", "城乡社区支出", "农林水支出",
    "行政运行", "机关服务", "事业运行", "工资福利支出", "基本工资", "津贴补贴", "办公费", "差旅费",
    "因公出国（境）费用", "公务接待费", "公务用车购置及运行费", "其中：公务用车运行费", "其他支出",
    "合计", "总计", "小计", "本年收入合计", "本年支出合计", "年末结转和结余", "用事业基金弥补收支差额",
]
LEVEL1 = ["产出指标", "效益指标", "满意度指标", "成本指标", "决策", "过程", "产出", "效益"]
LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
          "可持续影响指标", "服务对象满意度指标", "经济成本指标"]
LEVEL3 = ["培训人次", "覆盖率", "完成及时率", "合格率", "群众满意度", "设备采购数量", "资金到位率",
          "项目完成时间", "单位成本", "受益人数", "公共服务水平", "长效管理机制"]
WORDS = ["及时", "明显提升", "健全", "有效", "达标", "逐步改善", "按时完成", "合格", "提高", "较好"]
LABELS = ["基本支出", "项目支出", "人员经费", "公用经费", "“三公”经费", "收入预算", "支出预算", "财政拨款收入",
          "一般公共预算支出", "政府采购预算", "公务接待费", "资金总额", "年度预算", "执行数", "预算执行率"]
VERBS = ["为", "共计", "合计", "安排", "比上年增加", "比上年减少", "增长", "下降", "占", "达到", "完成"]
HEADINGS = ["一、", "二、", "（一）", "（二）", "1.", "2、", "①", "第一部分", "第二部分", "附件："]
FOOTERS = ["第 {n} 页 共 {m} 页", "- {n} -", "{n}/{m}", "Page {n} of {m}", "第{n}页"]
TAGS = ["<p>", "</p>", "<h2>", "</h2>", '<ol style="list-style-type: decimal;">', "</ol>", "<li>", "<br>",
        "<br/>", "<span style=\"color:red\">", "</span>", "<p", "</", "<", ">", "<<", ">>", "<td>", "&amp;",
        "&lt;", "&#20013;", "&nbsp;", "<script>", "<img src=x onerror=1>", "<!--", "-->"]
NOISE = "\t\t \u3000\xa0\r\x0b\x0c\u2028\u200b\ufeff\ufffd`|*_[]()#>!&;\"'\\$"
OPS = ["", "", "≥", "≤", "=", ">", "<", "＞", "＜", "不低于", "不高于", "约", "$\\geq ", "$\\leq "]
DIGITS_FULL = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def number(rng: random.Random) -> str:
    """A number in one of the forms disclosures print: plain, grouped, full-width, signed,
    bracketed, with a unit or %, a target with operators, a range, or a dash."""
    form = rng.random()
    magnitude = rng.choice([1, 10, 100, 1000, 10**5, 10**8, 10**12, 10**30])
    decimals = rng.choice([0, 0, 1, 2, 2, 2, 4])
    value = rng.random() * magnitude * rng.choice([1, 1, 1, -1])
    text = f"{value:.{decimals}f}"
    if rng.random() < 0.3:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    if form < 0.05:
        return rng.choice(["—", "-", "－", "/", "——", "0", "0.00", "", " ", "--", "…", "NaN", "∞"])
    if form < 0.12:
        text = text.translate(DIGITS_FULL)
    elif form < 0.16:
        text = f"({text.lstrip('-')})"
    elif form < 0.19:
        text = rng.choice([f"{value:.3e}", "." + text.lstrip("-0."), text + ".", text.replace(".", ".."),
                           "1,2,3", "9" * rng.randint(20, 60), "0" * rng.randint(2, 9) + "1"])
    if rng.random() < 0.35:
        text += rng.choice(UNITS)
    if rng.random() < 0.2:
        text = rng.choice(OPS) + text
        if text.startswith("$"):
            text += "$"
    if rng.random() < 0.05:
        text = f"{text}-{number(rng)}" if rng.random() < 0.5 else f"≥{text}&&≤{number(rng)}"
    return text


def code(rng: random.Random) -> list[str]:
    """Classification code cells: joined (2010301), split into 类/款/项, or unit codes."""
    base = str(rng.choice([201, 205, 208, 210, 212, 213, 301, 302, 303, 501, 502]))
    parts = [base, f"{rng.randint(0, 99):02d}", f"{rng.randint(0, 99):02d}"][: rng.randint(1, 3)]
    if rng.random() < 0.5:
        return ["".join(parts)]
    return parts + [""] * (3 - len(parts))


def _cells(rng: random.Random, cells: list[str]) -> str:
    """Tab-join cells, sometimes dropping a blank, doubling a tab or padding with spaces."""
    out = []
    for cell in cells:
        roll = rng.random()
        if roll < 0.06:
            continue  # a lost cell
        if roll < 0.1:
            out.append("")
        if roll > 0.97:
            cell = f" {cell} "
        out.append(cell)
    return "\t".join(out)


def title(rng: random.Random) -> str:
    return rng.choice([f"{rng.choice(YEARS)}年", "", f"表{rng.randint(1, 12)} ", f"{rng.randint(1, 12)}."]) + \
        rng.choice(["", rng.choice(ORGS)]) + rng.choice(TABLE_TITLES)


def unit_line(rng: random.Random) -> str:
    return rng.choice(["单位：", "金额单位:", "单位:", "(单位：", "单位 ："]) + rng.choice(["元", "万元", "亿元", "千元", "个"]) + \
        rng.choice(["", ")", "）"])


def header(rng: random.Random, width: int) -> str:
    return _cells(rng, [rng.choice(HEADER_WORDS) for _ in range(width)])


def data_row(rng: random.Random, width: int) -> str:
    labels = code(rng) + [rng.choice(NAMES)] if rng.random() < 0.6 else [rng.choice(NAMES)]
    values = [number(rng) if rng.random() < 0.85 else "" for _ in range(max(1, width - len(labels)))]
    return _cells(rng, labels + values)


def total_row(rng: random.Random, width: int) -> str:
    return _cells(rng, [rng.choice(["合计", "总计", "小计", "本年支出合计", "收入总计"])] +
                  [number(rng) for _ in range(max(1, width - 1))])


def indicator_row(rng: random.Random) -> str:
    target = rng.choice([number(rng), rng.choice(WORDS), f"{rng.choice(YEARS)}年{rng.randint(1, 12)}月底前"])
    actual = rng.choice([number(rng), rng.choice(WORDS), ""])
    l1 = rng.choice(LEVEL1) + rng.choice(["", f" ({rng.randint(0, 60)}分)", f"（{rng.randint(0, 60)}分）"])
    cells = [rng.choice([l1, ""]), rng.choice([rng.choice(LEVEL2), ""]), rng.choice(LEVEL3), target, actual,
             str(rng.randint(0, 30)), number(rng), rng.choice(["", rng.choice(WORDS) + "。"])]
    return _cells(rng, cells[: rng.randint(3, len(cells))])


def indicator_header(rng: random.Random) -> str:
    cols = ["一级指标", "二级指标", "三级指标", rng.choice(["年度指标值", "指标值", "预期目标"]),
            rng.choice(["实际完成值", "全年实际值"]), "分值", "得分", "偏差原因分析及改进措施"]
    return _cells(rng, cols[: rng.randint(3, len(cols))])


def prose(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        parts.append(rng.choice([f"{rng.choice(YEARS)}年", "", "其中", "比上年"]) + rng.choice(LABELS) +
                     rng.choice(VERBS) + number(rng) + rng.choice(["万元", "元", "%", "", "亿元", "个百分点"]))
    return rng.choice(["", rng.choice(HEADINGS)]) + rng.choice(["，", "；", "、", ""]).join(parts) + \
        rng.choice(["。", "", "；", "：", "，"])


def section_title(rng: random.Random) -> str:
    return rng.choice(["", rng.choice(ORGS)]) + rng.choice(YEARS) + "年" + rng.choice(
        ["部门预算", "部门决算", "项目支出绩效自评报告", "绩效评价报告", "预算公开", "整体支出绩效自评报告"])


def footer(rng: random.Random) -> str:
    n = rng.randint(1, 99)
    return rng.choice(FOOTERS).format(n=n, m=n + rng.randint(0, 9))


def noise(rng: random.Random) -> str:
    pool = NOISE + "".join(rng.choice(NAMES)) + "0123456789.%万元"
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))


def html(rng: random.Random, text: str) -> str:
    """Wrap text (or its cells) in tags, or break it with a stray tag."""
    roll = rng.random()
    if roll < 0.4:
        tag = rng.choice(["p", "h2", "li", "span", "td"])
        return f"<{tag}>{text}</{tag}>"
    if roll < 0.6:
        return rng.choice(TAGS) + text + rng.choice(TAGS)
    cut = rng.randint(0, len(text))
    return text[:cut] + rng.choice(TAGS) + text[cut:]


def table(rng: random.Random) -> list[str]:
    width = rng.randint(2, 9)
    lines = [title(rng)]
    if rng.random() < 0.7:
        lines.append(unit_line(rng))
    for _ in range(rng.randint(0, 3)):
        lines.append(header(rng, width))
    for _ in range(rng.randint(0, 8)):
        lines.append(data_row(rng, width) if rng.random() < 0.8 else total_row(rng, width))
        if rng.random() < 0.05:
            lines.append(rng.choice(["", footer(rng), title(rng)]))
    return lines


def indicators(rng: random.Random) -> list[str]:
    lines = [rng.choice(["项目名称\t" + rng.choice(LEVEL3) + "项目", title(rng)]), indicator_header(rng)]
    lines += [indicator_row(rng) for _ in range(rng.randint(1, 10))]
    if rng.random() < 0.5:
        lines.append(_cells(rng, [rng.choice(["总分", "合计", "总分（预算执行率得分+绩效指标得分）"]), "", "", "", "",
                                  "100", number(rng)]))
    return lines


BLOCKS: list[Callable[[random.Random], list[str]]] = [
    table, indicators,
    lambda rng: [prose(rng) for _ in range(rng.randint(1, 4))],
    lambda rng: [section_title(rng)],
    lambda rng: [footer(rng)],
    lambda rng: [""] * rng.randint(1, 3),
    lambda rng: [noise(rng)],
]
WEIGHTS = [5, 3, 5, 1, 1, 2, 1]


def document_lines(rng: random.Random, max_blocks: int = 6) -> list[str]:
    """Lines of one document: grammar blocks, then HTML, shuffles and duplicates sprinkled in."""
    lines: list[str] = []
    for block in rng.choices(BLOCKS, WEIGHTS, k=rng.randint(1, max_blocks)):
        lines.extend(block(rng))
    lines = [html(rng, line) if rng.random() < 0.08 else line for line in lines]
    if lines and rng.random() < 0.15:  # duplicated lines (a page break repeating a header)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
    if len(lines) > 1 and rng.random() < 0.1:  # a few lines out of order
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def document(rng: random.Random, max_blocks: int = 6) -> str:
    ending = rng.choice(["\n", "\n", "\n", "\r\n"])
    text = ending.join(document_lines(rng, max_blocks))
    return text + (ending if rng.random() < 0.5 else "")


# ----------------------------------------------------------------------------- hypothesis form


def _from_rng(make: Callable[[random.Random], object]) -> st.SearchStrategy:
    return st.integers(min_value=0, max_value=2**32 - 1).map(lambda s: make(random.Random(s)))


cell_text = st.one_of(
    st.sampled_from(HEADER_WORDS + NAMES + LEVEL1 + LEVEL2 + LEVEL3 + WORDS + ["", "", "—", "-"]),
    _from_rng(number),
    st.text(alphabet="0123456789.,%-万元合计≥≤ \u3000<>p/", max_size=12),
)
tab_line = st.lists(cell_text, min_size=1, max_size=10).map("\t".join)
any_line = st.text(alphabet=st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=40)


def line_strategy() -> st.SearchStrategy[str]:
    """One line: a grammar line, a random tab row, an HTML-wrapped one, or any text."""
    grammar = _from_rng(lambda rng: rng.choice(
        [title, unit_line, prose, section_title, footer, noise, indicator_row, indicator_header]
        + [lambda r: data_row(r, r.randint(2, 9)), lambda r: total_row(r, r.randint(2, 9)),
           lambda r: header(r, r.randint(2, 9))])(rng))
    wrapped = st.tuples(st.sampled_from(TAGS), grammar, st.sampled_from(TAGS)).map("".join)
    return st.one_of(grammar, tab_line, wrapped, any_line, st.just(""))


# ----------------------------------------------------------------------------- hostile lines (issue 22)


def hostile_line(rng: random.Random) -> str:
    """One line of a class the independent fuzzer found costly: a long digit run, a sentence of
    many growth clauses, 合计 repeated, a row of many cells, a long run of one CJK character.
    Kept to a few thousand characters so that the fuzz tests stay quick."""
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice("0123456789") * rng.randint(500, 5_000)
    if kind == 1:
        return f"{rng.choice(LABELS)}{number(rng)}万元，比上年{rng.choice(['增长', '下降'])}{number(rng)}%，" \
            * rng.randint(20, 200) + "。"
    if kind == 2:
        return "合计" * rng.randint(200, 2_000)
    if kind == 3:
        return "\t".join(number(rng) for _ in range(rng.randint(100, 900)))
    return rng.choice(NAMES) * rng.randint(200, 1_500)
