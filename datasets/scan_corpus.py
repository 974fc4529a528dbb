"""Build a corpus for `auditor scan` tests and benchmarks from the two samples in this folder.

Each department gets a chain of years. A year's documents are copies of the samples with the
department name and the years changed (2024 -> Y, 2023 -> Y-1, so every in-document finding
of the samples recurs), plus a small 部门决算 written here (收入支出决算总表 with 年初/年末结转和结余,
and a 三公 决算表 with 预算数/决算数). Cross-document facts are chained so that they agree:
a project's 上年度金额 in year Y is its 本年度金额 of Y-1, this year's 年初结转 is last year's
年末结转, and the 决算's 三公 预算数 is the budget's 三公 total. `plant` breaks some of them.

    python datasets/scan_corpus.py OUT --departments 10 --years 2
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUDGET = HERE / "budget_2024_sample.txt"
SELF_EVAL = HERE / "self_eval_2024_sample.txt"
DEPARTMENT = "示例市文化广电和旅游局"
CITIES = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]
# The sample's projects: 上年度 amount as printed -> its 本年度 amount (what year Y-1 prints)
PROJECT_LAST_YEAR = {"1700000.00": "1850000.00", "1150000.00": "1260000.00", "0.00": "735000.00"}
SANGONG_BUDGET = 393_000


def department(index: int) -> str:
    """A made-up department name, distinct per index."""
    city = ""
    while True:  # base 10 in 天干 characters: 甲, 乙, …, 乙甲, 乙乙, … (no digits: issuers are read as CJK runs)
        city = CITIES[index % len(CITIES)] + city
        index //= len(CITIES)
        if not index:
            break
    return f"示例{city}市文化广电和旅游局"


def _shift_years(text: str, year: int) -> str:
    mapping = {"2024": str(year), "2023": str(year - 1), "2025": str(year + 1)}
    return re.sub(r"(?<!\d)(2023|2024|2025)(?!\d)", lambda m: mapping[m.group(1)], text)


def _fmt(amount: int) -> str:
    return f"{amount:,}"


def final_accounts(dept: str, year: int, opening: int, closing: int, sangong_budget: int) -> str:
    """A small 部门决算 that reconciles: 收入支出决算总表 and the 三公 决算表."""
    income = 20_000_000
    spending = income + opening - closing
    spent = sangong_budget - 13_000
    abroad, reception = 170_000, 40_000
    vehicle = spent - abroad - reception
    return "\n".join([
        "",
        f"{year} 年{dept} 部门决算",
        "",
        f"{year}年收入支出决算总表",
        "",
        "单位：元",
        "",
        "收入\t\t支出\t",
        "项目\t金额\t项目\t金额",
        f"一、一般公共预算财政拨款收入\t{_fmt(income)}\t一、文化旅游体育与传媒支出\t{_fmt(spending)}",
        f"本年收入合计\t{_fmt(income)}\t本年支出合计\t{_fmt(spending)}",
        f"年初结转和结余\t{_fmt(opening)}\t年末结转和结余\t{_fmt(closing)}",
        f"总计\t{_fmt(income + opening)}\t总计\t{_fmt(income + opening)}",
        "",
        f"{year}年一般公共预算财政拨款“三公”经费支出决算表",
        "",
        "单位：元",
        "",
        "项目\t预算数\t决算数",
        f"合计\t{_fmt(sangong_budget)}\t{_fmt(spent)}",
        f"1、因公出国（境）费用\t180,000\t{_fmt(abroad)}",
        f"2、公务接待费\t45,000\t{_fmt(reception)}",
        f"3、公务用车购置及运行费\t{_fmt(sangong_budget - 225_000)}\t{_fmt(vehicle)}",
        f"其中：（1）公务用车运行维护费\t{_fmt(sangong_budget - 225_000)}\t{_fmt(vehicle)}",
        "（2）公务用车购置费\t0\t0",
        "",
    ])


def carried(dept_index: int, year: int) -> int:
    """The 年末结转和结余 of a department at the end of `year` (so year+1 opens with it)."""
    return 100_000 * (dept_index + 1) + 1_000 * (year % 100)


@dataclass
class Plan:
    """Which cross-document facts to break, by (department index, year)."""

    project: set[tuple[int, int]] = field(default_factory=set)  # 上年度金额 ≠ last year's 本年度金额
    carryover: set[tuple[int, int]] = field(default_factory=set)  # 年初结转 ≠ last year's 年末结转
    budget_final: set[tuple[int, int]] = field(default_factory=set)  # 决算 三公 预算数 ≠ budget's


def write_department(out: Path, index: int, years: list[int], plan: Plan | None = None,
                     kinds: tuple[str, ...] = ("budget", "self_eval", "final")) -> list[Path]:
    """Write one department's documents for the given years; returns the files written."""
    plan = plan or Plan()
    dept = department(index)
    budget = BUDGET.read_text(encoding="utf-8").replace(DEPARTMENT, dept)
    self_eval = SELF_EVAL.read_text(encoding="utf-8").replace(DEPARTMENT, dept)
    folder = out / f"dept{index:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year in years:
        text = _shift_years(budget, year)
        for last, this in PROJECT_LAST_YEAR.items():
            value = this if (index, year) not in plan.project else f"{int(float(this)) + 50000}.00"
            text = text.replace(f"上年度项目总金额\t{last}\t项目上年度金额\t{last}\n",
                                f"上年度项目总金额\t{value}\t项目上年度金额\t{value}\n")
        if "budget" in kinds:
            written.append(folder / f"{year}_budget.txt")
            written[-1].write_text(text, encoding="utf-8")
        if "self_eval" in kinds:
            written.append(folder / f"{year}_self_eval.txt")
            written[-1].write_text(_shift_years(self_eval, year), encoding="utf-8")
        if "final" in kinds:
            opening = carried(index, year - 1) + (7_000 if (index, year) in plan.carryover else 0)
            sangong = SANGONG_BUDGET + (20_000 if (index, year) in plan.budget_final else 0)
            written.append(folder / f"{year}_final.txt")
            written[-1].write_text(final_accounts(dept, year, opening, carried(index, year), sangong),
                                   encoding="utf-8")
    return written


def make_corpus(out: Path, departments: int, years: list[int], plan: Plan | None = None) -> list[Path]:
    files: list[Path] = []
    for index in range(departments):
        files.extend(write_department(out, index, years, plan))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--years", type=int, default=2, help="consecutive years ending in 2024")
    args = parser.parse_args()
    files = make_corpus(args.out, args.departments, list(range(2025 - args.years, 2025)))
    print(f"wrote {len(files)} documents to {args.out}")


if __name__ == "__main__":
    main()
