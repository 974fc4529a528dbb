"""Small hand-written 部门决算 and 部门预算 texts in the layouts real publications use, for the
cross-document fact tests (tests/test_crossdoc_facts.py).

Every department, name and amount is made up; the texts imitate the extracted-text style of the
seeds (tab-separated rows, blank cells, page footers, a "单位：元" / "金额单位：万元" line) without
copying any of them. Amounts are given in 元 (`Final`, `Budget`) and printed in each layout's own
unit and style, so one department can be written in one layout one year and another the next.

决算 layouts (`FINAL_LAYOUTS`):

* `central_wan`: 公开01 two-sided with 行次 columns and a 栏次 row, 金额单位：万元 with two
  decimals, numbered labels, 年初结转和结余 / 使用非财政拨款结余 / 结余分配 / 年末结转和结余; a
  公开04 财政拨款收入支出决算总表 with its own (smaller) 年初/年末财政拨款结转和结余; the 三公 table
  column-oriented (预算数 | 决算数 blocks, 小计/购置/运行 sub-columns) with a 栏次 row of 1…12.
* `local_split`: 元 with thousands separators, two-sided without 行次, cut by a page break (footer,
  repeated header) right before the carry-over rows, labels 上年结转 / 结转下年; the 三公 table
  row-oriented (预算数 | 决算数 columns, 其中 rows for 购置费 and 运行维护费); issuer with 机关.
* `prior_column`: two-sided, each side with 上年数 | 本年数 columns (上年数 first), 元 with two
  decimals and no separators; the 三公 table has 上年决算数 | 本年预算数 | 本年决算数 columns.
* `vertical_numbered`: one-sided (收入 rows then 支出 rows), 万元, every row numbered (一、…十二、),
  其中 rows under the carry-over rows; the 财政拨款收入支出决算总表 is printed first and uses the
  same plain labels 年初结转和结余 / 年末结转和结余; the 三公 table prints 年初预算数 | 全年预算数 | 决算数.
* `two_summaries`: two 收入支出决算总表 (部门汇总 and 机关本级) with different carry-over: the
  department's value is ambiguous, so no carry-over fact must be extracted.

预算 layouts (`BUDGET_LAYOUTS`), each with two 项目支出绩效目标表 (or as many as `Budget.projects`):

* `budget_prior_current`: 三公 table with 上年预算数 | 本年预算数 columns (no years printed), 元;
  project tables in 元.
* `budget_wan_blocks`: 三公 table column-oriented in 万元, one block per year ("2023年预算数" |
  "2024年预算数"), one data row; project tables under "金额单位：万元".
* `budget_plain_unit`: 三公 table row-oriented in 万元 with one 预算数 column; project tables under
  a plain "单位：万元" line.

Project tables carry one indicator per category the 2015 framework requires and a 成本 indicator
equal to the project's amount, so a misread unit shows up as an `indicator.cost_mismatch`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

# --------------------------------------------------------------------------- amounts


@dataclass(frozen=True)
class Sangong:
    """三公 amounts in 元: 因公出国（境）, 公务用车购置, 公务用车运行（维护）, 公务接待."""

    abroad: int
    buy: int
    run: int
    reception: int

    @property
    def vehicle(self) -> int:
        return self.buy + self.run

    @property
    def total(self) -> int:
        return self.abroad + self.vehicle + self.reception


@dataclass(frozen=True)
class Final:
    """One department-year of 决算, in 元. Every layout prints these same facts."""

    income: int = 18_500_000  # 本年收入合计
    other_income: int = 300_000  # 其他收入, part of income
    non_fiscal: int = 0  # 使用非财政拨款结余
    opening: int = 1_234_500  # 年初结转和结余 (all funds: 公开01)
    distribution: int = 0  # 结余分配
    closing: int = 987_600  # 年末结转和结余 (all funds: 公开01)
    prior_opening: int = 2_100_000  # printed in 上年数 columns only: never this year's value
    prior_closing: int = 1_234_500
    fiscal_opening: int = 1_100_000  # 公开04 年初财政拨款结转和结余 (财政拨款 only)
    fiscal_closing: int = 900_000  # 公开04 年末财政拨款结转和结余
    sangong_budget: Sangong = field(default_factory=lambda: Sangong(100_000, 0, 220_000, 60_000))
    sangong_final: Sangong = field(default_factory=lambda: Sangong(62_000, 0, 198_000, 45_000))
    sangong_prior_final: Sangong = field(default_factory=lambda: Sangong(80_000, 0, 205_000, 51_000))
    sangong_initial_budget: Sangong | None = None  # 年初预算数 when it differs from 全年预算数

    @property
    def spending(self) -> int:
        """本年支出合计: what the identity 总计 = 收入 + 结余 + 年初 = 支出 + 分配 + 年末 leaves."""
        return self.income + self.non_fiscal + self.opening - self.distribution - self.closing

    @property
    def grand(self) -> int:
        return self.income + self.non_fiscal + self.opening

    @property
    def prior_spending(self) -> int:
        return self.income - 500_000 + self.prior_opening - self.prior_closing


@dataclass(frozen=True)
class Budget:
    """One department-year of 部门预算, in 元: the 三公 totals and two projects' amounts."""

    sangong: Sangong = field(default_factory=lambda: Sangong(100_000, 0, 220_000, 60_000))
    sangong_prior: Sangong = field(default_factory=lambda: Sangong(120_000, 0, 230_000, 70_000))
    # project name -> (项目本年度金额, 项目上年度金额)
    projects: tuple[tuple[str, int, int], ...] = (
        ("农田水利设施维护经费", 1_850_000, 1_700_000),
        ("农产品质量安全监测经费", 1_260_000, 1_150_000),
    )


# --------------------------------------------------------------------------- printing


def yuan(amount: int) -> str:
    """元 as local tables print them: thousands separators, no decimals; blank for 0."""
    return f"{amount:,}" if amount else ""


def yuan2(amount: int) -> str:
    """元 with two decimals and no separators ("1234500.00"); blank for 0."""
    return f"{amount}.00" if amount else ""


def wan(amount: int, zero: str = "") -> str:
    """万元 with two decimals, rounded half up ("123.45"); `zero` for 0."""
    if not amount:
        return zero
    value = (Decimal(amount) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,}"


def _rows(*rows: tuple[str, ...]) -> list[str]:
    return ["\t".join(row) for row in rows]


# --------------------------------------------------------------------------- 决算 layouts


def central_wan(dept: str, year: int, f: Final) -> str:
    """公开01 two-sided with 行次, 万元; 公开04 with its own carry-over; column-oriented 三公."""
    general = f.income - f.other_income
    b, s = f.sangong_budget, f.sangong_final
    fiscal_spending = general + f.fiscal_opening - f.fiscal_closing
    return "\n".join([
        f"{dept}{year}年度部门决算",
        "",
        "第一部分 部门概况",
        "",
        f"{dept}主要负责全市农业农村发展规划的拟订和组织实施。本部门决算包括机关本级和所属事业单位。",
        "",
        f"第二部分 {year}年度部门决算表",
        "",
        "收入支出决算总表",
        "",
        "公开01表",
        f"部门：{dept}\t\t\t\t\t金额单位：万元",
        *_rows(
            ("收入", "", "", "支出", "", ""),
            ("项目", "行次", "金额", "项目", "行次", "金额"),
            ("栏次", "", "1", "栏次", "", "2"),
            ("一、一般公共预算财政拨款收入", "1", wan(general), "一、一般公共服务支出", "32", wan(900_000)),
            ("二、政府性基金预算财政拨款收入", "2", "", "二、农林水支出", "33", wan(f.spending - 1_500_000)),
            ("三、国有资本经营预算财政拨款收入", "3", "", "三、社会保障和就业支出", "34", wan(600_000)),
            ("四、上级补助收入", "4", "", "", "35", ""),
            ("五、事业收入", "5", "", "", "36", ""),
            ("六、经营收入", "6", "", "", "37", ""),
            ("七、附属单位上缴收入", "7", "", "", "38", ""),
            ("八、其他收入", "8", wan(f.other_income), "", "39", ""),
            ("本年收入合计", "9", wan(f.income), "本年支出合计", "40", wan(f.spending)),
            ("使用非财政拨款结余", "10", wan(f.non_fiscal), "结余分配", "41", wan(f.distribution)),
            ("年初结转和结余", "11", wan(f.opening), "年末结转和结余", "42", wan(f.closing)),
            ("总计", "12", wan(f.grand), "总计", "43", wan(f.grand)),
        ),
        "注：本表反映部门本年度的总收支和年末结转结余情况。",
        "",
        "— 7 —",
        "",
        "财政拨款收入支出决算总表",
        "",
        "公开04表",
        f"部门：{dept}\t\t\t\t\t\t\t\t金额单位：万元",
        *_rows(
            ("收入", "", "", "支出", "", "", "", "", ""),
            ("项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
             "国有资本经营预算财政拨款"),
            ("栏次", "", "1", "栏次", "", "2", "3", "4", "5"),
            ("一、一般公共预算财政拨款", "1", wan(general), "一、一般公共服务支出", "30", wan(900_000),
             wan(900_000), "", ""),
            ("二、政府性基金预算财政拨款", "2", "", "二、农林水支出", "31", wan(fiscal_spending - 1_500_000),
             wan(fiscal_spending - 1_500_000), "", ""),
            ("三、国有资本经营预算财政拨款", "3", "", "三、社会保障和就业支出", "32", wan(600_000),
             wan(600_000), "", ""),
            ("本年收入合计", "4", wan(general), "本年支出合计", "33", wan(fiscal_spending),
             wan(fiscal_spending), "", ""),
            ("年初财政拨款结转和结余", "5", wan(f.fiscal_opening), "年末财政拨款结转和结余", "34",
             wan(f.fiscal_closing), wan(f.fiscal_closing), "", ""),
            ("一般公共预算财政拨款", "6", wan(f.fiscal_opening), "", "35", "", "", "", ""),
            ("政府性基金预算财政拨款", "7", "", "", "36", "", "", "", ""),
            ("国有资本经营预算财政拨款", "8", "", "", "37", "", "", "", ""),
            ("总计", "9", wan(general + f.fiscal_opening), "总计", "38", wan(general + f.fiscal_opening),
             wan(general + f.fiscal_opening), "", ""),
        ),
        "",
        "— 8 —",
        "",
        "一般公共预算财政拨款“三公”经费支出决算表",
        "",
        "公开07表",
        f"部门：{dept}\t\t\t\t\t\t\t\t\t\t\t金额单位：万元",
        *_rows(
            ("预算数", "", "", "", "", "", "决算数", "", "", "", "", ""),
            ("合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费",
             "合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"),
            ("", "", "小计", "公务用车购置费", "公务用车运行费", "", "", "", "小计", "公务用车购置费",
             "公务用车运行费", ""),
            tuple(str(n) for n in range(1, 13)),
            (wan(b.total, "0.00"), wan(b.abroad, "0.00"), wan(b.vehicle, "0.00"), wan(b.buy, "0.00"),
             wan(b.run, "0.00"), wan(b.reception, "0.00"), wan(s.total, "0.00"), wan(s.abroad, "0.00"),
             wan(s.vehicle, "0.00"), wan(s.buy, "0.00"), wan(s.run, "0.00"), wan(s.reception, "0.00")),
        ),
        "",
        "— 9 —",
        "",
    ])


def local_split(dept: str, year: int, f: Final) -> str:
    """公开01 in 元 cut by a page break before its carry-over rows; row-oriented 三公 table."""
    general = f.income - f.other_income
    b, s = f.sangong_budget, f.sangong_final
    header = _rows(("收入", "", "支出", ""), ("项目", "决算数", "项目", "决算数"))
    return "\n".join([
        f"{dept}机关{year}年部门决算",
        "",
        "目 录",
        "一、收入支出决算总表",
        "二、一般公共预算财政拨款“三公”经费支出决算表",
        "",
        "第二部分 部门决算表",
        "",
        "一、收入支出决算总表",
        "",
        "单位：元",
        "",
        *header,
        *_rows(
            ("一、一般公共预算财政拨款收入", yuan(general), "一、教育支出", yuan(f.spending - 2_000_000)),
            ("二、政府性基金预算财政拨款收入", "", "二、社会保障和就业支出", yuan(1_200_000)),
            ("三、上级补助收入", "", "三、卫生健康支出", yuan(500_000)),
            ("四、事业收入", "", "四、住房保障支出", yuan(300_000)),
        ),
        "",
        "第 4 页 共 12 页",
        "",
        *header,
        *_rows(
            ("五、其他收入", yuan(f.other_income), "", ""),
            ("本年收入合计", yuan(f.income), "本年支出合计", yuan(f.spending)),
            ("用事业基金弥补收支差额", yuan(f.non_fiscal), "结余分配", yuan(f.distribution)),
            ("上年结转", yuan(f.opening), "结转下年", yuan(f.closing)),
            ("收入总计", yuan(f.grand), "支出总计", yuan(f.grand)),
        ),
        "",
        "第 5 页 共 12 页",
        "",
        f"二、{year}年一般公共预算财政拨款“三公”经费支出决算表",
        "",
        "单位：元",
        "",
        *_rows(
            ("项目", "预算数", "决算数"),
            ("合计", yuan(b.total), yuan(s.total)),
            ("1、因公出国（境）费", yuan(b.abroad), yuan(s.abroad)),
            ("2、公务用车购置及运行维护费", yuan(b.vehicle), yuan(s.vehicle)),
            ("其中：（1）公务用车购置费", yuan(b.buy), yuan(s.buy)),
            ("（2）公务用车运行维护费", yuan(b.run), yuan(s.run)),
            ("3、公务接待费", yuan(b.reception), yuan(s.reception)),
        ),
        "",
        "第 6 页 共 12 页",
        "",
    ])


def prior_column(dept: str, year: int, f: Final) -> str:
    """Two-sided 公开01 with 上年数 | 本年数 columns on each side; 三公 with last year's 决算数."""
    general = f.income - f.other_income
    prior_income = f.income - 500_000
    b, s, p = f.sangong_budget, f.sangong_final, f.sangong_prior_final
    return "\n".join([
        f"{dept}{year}年度部门决算公开",
        "",
        f"{year}年度收入支出决算总表",
        "",
        "单位：元",
        "",
        *_rows(
            ("项目", "上年数", "本年数", "项目", "上年数", "本年数"),
            ("财政拨款收入", yuan2(prior_income - f.other_income), yuan2(general),
             "一般公共服务支出", yuan2(f.prior_spending), yuan2(f.spending)),
            ("其他收入", yuan2(f.other_income), yuan2(f.other_income), "", "", ""),
            ("本年收入合计", yuan2(prior_income), yuan2(f.income), "本年支出合计", yuan2(f.prior_spending),
             yuan2(f.spending)),
            ("使用非财政拨款结余", "", yuan2(f.non_fiscal), "结余分配", "", yuan2(f.distribution)),
            ("年初结转和结余", yuan2(f.prior_opening), yuan2(f.opening), "年末结转和结余", yuan2(f.prior_closing),
             yuan2(f.closing)),
            ("总计", yuan2(prior_income + f.prior_opening), yuan2(f.grand), "总计",
             yuan2(prior_income + f.prior_opening), yuan2(f.grand)),
        ),
        "",
        "-1-",
        "",
        f"{year}年度“三公”经费支出决算表",
        "",
        "单位：元",
        "",
        *_rows(
            ("项目", "上年决算数", "本年预算数", "本年决算数"),
            ("合计", yuan2(p.total), yuan2(b.total), yuan2(s.total)),
            ("因公出国（境）费", yuan2(p.abroad), yuan2(b.abroad), yuan2(s.abroad)),
            ("公务用车购置及运行维护费", yuan2(p.vehicle), yuan2(b.vehicle), yuan2(s.vehicle)),
            ("其中：公务用车购置费", yuan2(p.buy), yuan2(b.buy), yuan2(s.buy)),
            ("公务用车运行维护费", yuan2(p.run), yuan2(b.run), yuan2(s.run)),
            ("公务接待费", yuan2(p.reception), yuan2(b.reception), yuan2(s.reception)),
        ),
        "",
        "-2-",
        "",
    ])


def vertical_numbered(dept: str, year: int, f: Final) -> str:
    """One-sided numbered 公开01 in 万元, printed after a 公开04 with the same carry-over labels."""
    general = f.income - f.other_income
    fiscal_spending = general + f.fiscal_opening - f.fiscal_closing
    initial = f.sangong_initial_budget or f.sangong_budget
    b, s = f.sangong_budget, f.sangong_final
    return "\n".join([
        f"{dept}本级{year}年部门决算",
        "",
        f"一、{year}年财政拨款收入支出决算总表",
        "",
        "金额单位：万元",
        "",
        *_rows(
            ("项目", "金额"),
            ("一、本年收入", wan(general)),
            ("（一）一般公共预算财政拨款", wan(general)),
            ("二、年初结转和结余", wan(f.fiscal_opening)),
            ("三、本年支出", wan(fiscal_spending)),
            ("四、年末结转和结余", wan(f.fiscal_closing)),
        ),
        "",
        "— 3 —",
        "",
        f"二、{year}年收入支出决算总表",
        "",
        "金额单位：万元",
        "",
        *_rows(
            ("项目", "金额"),
            ("收入", ""),
            ("一、一般公共预算财政拨款收入", wan(general)),
            ("二、其他收入", wan(f.other_income)),
            ("三、本年收入合计", wan(f.income)),
            ("四、使用非财政拨款结余", wan(f.non_fiscal, "0.00")),
            ("五、年初结转和结余", wan(f.opening, "0.00")),
            ("其中：财政拨款结转和结余", wan(f.fiscal_opening, "0.00")),
            ("六、收入总计", wan(f.grand)),
            ("支出", ""),
            ("七、本年支出合计", wan(f.spending)),
            ("八、结余分配", wan(f.distribution, "0.00")),
            ("九、年末结转和结余", wan(f.closing, "0.00")),
            ("其中：财政拨款结转和结余", wan(f.fiscal_closing, "0.00")),
            ("十、支出总计", wan(f.grand)),
        ),
        "",
        "— 4 —",
        "",
        f"三、{year}年一般公共预算财政拨款“三公”经费支出决算表",
        "",
        "金额单位：万元",
        "",
        *_rows(
            ("项目", "年初预算数", "全年预算数", "决算数"),
            ("合计", wan(initial.total, "0.00"), wan(b.total, "0.00"), wan(s.total, "0.00")),
            ("一、因公出国（境）费", wan(initial.abroad, "0.00"), wan(b.abroad, "0.00"), wan(s.abroad, "0.00")),
            ("二、公务用车购置及运行维护费", wan(initial.vehicle, "0.00"), wan(b.vehicle, "0.00"),
             wan(s.vehicle, "0.00")),
            ("（一）公务用车购置费", wan(initial.buy, "0.00"), wan(b.buy, "0.00"), wan(s.buy, "0.00")),
            ("（二）公务用车运行维护费", wan(initial.run, "0.00"), wan(b.run, "0.00"), wan(s.run, "0.00")),
            ("三、公务接待费", wan(initial.reception, "0.00"), wan(b.reception, "0.00"),
             wan(s.reception, "0.00")),
        ),
        "",
        "— 5 —",
        "",
    ])


def two_summaries(dept: str, year: int, f: Final) -> str:
    """Two 收入支出决算总表 (部门汇总, 机关本级) whose carry-over rows disagree."""
    def summary(scope: str, opening: int, closing: int) -> list[str]:
        grand = f.income + opening
        return [
            f"{year}年收入支出决算总表（{scope}）",
            "",
            "单位：元",
            "",
            *_rows(
                ("收入", "", "支出", ""),
                ("项目", "金额", "项目", "金额"),
                ("一、一般公共预算财政拨款收入", yuan(f.income), "一、一般公共服务支出", yuan(grand - closing)),
                ("本年收入合计", yuan(f.income), "本年支出合计", yuan(grand - closing)),
                ("年初结转和结余", yuan(opening), "年末结转和结余", yuan(closing)),
                ("总计", yuan(grand), "总计", yuan(grand)),
            ),
            "",
        ]
    return "\n".join([
        f"{dept}{year}年部门决算",
        "",
        *summary("部门汇总", f.opening, f.closing),
        "第 2 页",
        "",
        *summary("机关本级", f.opening - 200_000, f.closing - 150_000),
        "第 3 页",
        "",
    ])


FINAL_LAYOUTS: dict[str, Callable[[str, int, Final], str]] = {
    "central_wan": central_wan,
    "local_split": local_split,
    "prior_column": prior_column,
    "vertical_numbered": vertical_numbered,
    "two_summaries": two_summaries,
}


# --------------------------------------------------------------------------- 预算 layouts


def _project(dept: str, year: int, name: str, this: str, last: str, unit_line: str, cost: int) -> list[str]:
    """A 项目支出绩效目标表 with its amount fields and one indicator per required category of the
    2015 framework (产出 数量 / 质量 / 时效, 效益, 满意度) plus a 成本 indicator whose 总成本 is the
    project's amount for the year (`cost`, in 元), printed in 万元 as target tables do."""
    return [
        f"{dept}项目支出绩效目标表",
        "",
        f"({year}年)",
        *([unit_line] if unit_line else []),
        "",
        *_rows(
            ("项目名称", name, "", ""),
            ("开始时间", f"{year}-01-01", "结束时间", f"{year}-12-31"),
            ("项目总金额", this, "项目本年度金额", this),
            ("上年度项目总金额", last, "项目上年度金额", last),
            ("项目绩效目标", "", "", ""),
            ("年度绩效目标", "按期完成年度任务，资金使用合规。", "", ""),
            ("一级指标", "二级指标", "三级指标", "目标值"),
            ("产出指标", "数量指标", "完成任务数", "≥12项"),
            ("", "质量指标", "任务验收合格率", "≥95%"),
            ("", "时效指标", "完成时间", f"{year}年12月底前"),
            ("", "成本指标", "项目总成本", f"≤{wan(cost, '0')}万元"),
            ("效益指标", "社会效益指标", "服务对象覆盖率", "≥90%"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
        ),
        "",
    ]


def budget_prior_current(dept: str, year: int, b: Budget) -> str:
    """三公 with 上年预算数 | 本年预算数 columns (no years printed); project tables in 元."""
    now, prior = b.sangong, b.sangong_prior
    return "\n".join([
        f"{dept}{year}年部门预算",
        "",
        f"{year}年一般公共预算“三公”经费支出情况表",
        "",
        "单位：元",
        "",
        *_rows(
            ("项目", "上年预算数", "本年预算数"),
            ("合计", yuan(prior.total), yuan(now.total)),
            ("1、因公出国（境）费", yuan(prior.abroad), yuan(now.abroad)),
            ("2、公务用车购置及运行费", yuan(prior.vehicle), yuan(now.vehicle)),
            ("其中：（1）公务用车购置费", yuan(prior.buy) or "0", yuan(now.buy) or "0"),
            ("（2）公务用车运行费", yuan(prior.run), yuan(now.run)),
            ("3、公务接待费", yuan(prior.reception), yuan(now.reception)),
        ),
        "",
        "第 8 页 共 14 页",
        "",
        *[line for name, this, last in b.projects
          for line in _project(dept, year, name, yuan2(this) or "0.00", yuan2(last) or "0.00", "", this)],
    ])


def budget_wan_blocks(dept: str, year: int, b: Budget) -> str:
    """三公 column-oriented in 万元, one block per year; project tables under 金额单位：万元."""
    now, prior = b.sangong, b.sangong_prior

    def block(s: Sangong) -> tuple[str, ...]:
        return (wan(s.total, "0.00"), wan(s.abroad, "0.00"), wan(s.vehicle, "0.00"), wan(s.buy, "0.00"),
                wan(s.run, "0.00"), wan(s.reception, "0.00"))

    heads = ("合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费")
    subs = ("", "", "小计", "公务用车购置费", "公务用车运行费", "")
    return "\n".join([
        f"{dept}{year}年部门预算",
        "",
        "一般公共预算“三公”经费支出预算表",
        "",
        "单位：万元",
        "",
        *_rows(
            (f"{year - 1}年预算数", "", "", "", "", "", f"{year}年预算数", "", "", "", "", ""),
            heads + heads,
            subs + subs,
            block(prior) + block(now),
        ),
        "",
        "— 12 —",
        "",
        *[line for name, this, last in b.projects
          for line in _project(dept, year, name, wan(this, "0.00"), wan(last, "0.00"), "金额单位：万元", this)],
    ])


def budget_plain_unit(dept: str, year: int, b: Budget) -> str:
    """三公 row-oriented in 万元 with one 预算数 column; each project table's amounts in 万元 under
    a plain "单位：万元" line (no 金额) between its title and its first row."""
    now = b.sangong
    return "\n".join([
        f"{dept}{year}年部门预算",
        "",
        f"{year}年“三公”经费预算表",
        "",
        "单位：万元",
        "",
        *_rows(
            ("项目", "预算数"),
            ("合计", wan(now.total, "0.00")),
            ("因公出国（境）费", wan(now.abroad, "0.00")),
            ("公务用车购置及运行费", wan(now.vehicle, "0.00")),
            ("其中：公务用车购置费", wan(now.buy, "0.00")),
            ("公务用车运行费", wan(now.run, "0.00")),
            ("公务接待费", wan(now.reception, "0.00")),
        ),
        "",
        "— 9 —",
        "",
        *[line for name, this, last in b.projects
          for line in _project(dept, year, name, wan(this, "0.00"), wan(last, "0.00"), "单位：万元", this)],
    ])


BUDGET_LAYOUTS: dict[str, Callable[[str, int, Budget], str]] = {
    "budget_prior_current": budget_prior_current,
    "budget_wan_blocks": budget_wan_blocks,
    "budget_plain_unit": budget_plain_unit,
}


def chained(final: Final, closing: int) -> Final:
    """The next year of `final`: it opens with this year's closing balance."""
    return replace(final, opening=closing, prior_opening=final.opening, prior_closing=final.closing)
