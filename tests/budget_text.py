"""A small hand-written 部门预算 in the layout of the seeds (tab-separated tables, 单位：元, codes split
类/款/项, prose in 万元) for the observation, cross-table and narrative tests.

The department and every amount are made up. Everything reconciles as written; a test changes one
printed value with `budget(**{"T6_TOTAL": "1,450,000"})` and looks for the finding. The names of
the placeholders say which table and cell they are (T1 收支总体, T3 支出总体, T5 一般公共预算支出 by
function, T5B by economic class, T6 基本支出, T7 “三公”). Tests audit it with tests.harness.audit_text.
"""

from __future__ import annotations

VALUES = {
    # prose (万元)
    "P_INCOME_GRAND": "170.00", "P_EXPENSE": "170.00", "P_BASIC": "140.00", "P_PROJECT": "30.00",
    "P_CLASS_201": "150.00", "P_CLASS_208": "20.00", "P_PERSONNEL": "110.00", "P_PUBLIC": "30.00",
    "P_SANGONG": "10.00", "P_RECEPTION": "4.00", "P_VEHICLE_RUN": "6.00", "P_OFFICE": "20.00",
    "P_LABEL": "一般公共服务支出",
    # T1 部门收支总体情况表
    "T1_GENERAL": "1,700,000", "T1_FUND": "", "T1_BASIC": "1,400,000", "T1_SALARY": "1,050,000",
    "T1_INCOME_TOTAL": "1,700,000", "T1_EXPENSE_TOTAL": "1,700,000",
    # T3 部门支出总体情况表
    "T3_TOTAL": "1,700,000", "T3_TOTAL_BASIC": "1,400,000", "T3_RUN_TOTAL": "1,200,000",
    "T3_RUN_BASIC": "1,200,000", "T3_RUN_SALARY": "900,000",
    # T5 一般公共预算支出情况表 (function)
    "T5_TOTAL": "1,700,000", "T5_TOTAL_BASIC": "1,400,000", "T5_RUN_SALARY": "900,000",
    # T5B 一般公共预算支出情况表 (economic)
    "T5B_30101_A": "400,000", "T5B_30101_B": "200,000", "T5B_30217": "40,000", "T5B_30217_BASIC": "40,000",
    # T6 一般公共预算基本支出情况表
    "T6_TOTAL": "1,400,000", "T6_30101": "600,000", "T6_30201": "200,000", "T6_30217": "40,000",
    # T7 “三公”经费
    "T7_TOTAL": "100,000", "T7_RECEPTION": "40,000", "T7_VEHICLE": "60,000", "T7_RUN": "60,000",
    "T7_PRIOR_RECEPTION": "55,000",
}

PROSE = """2023年示例市档案局部门预算

第二部分 2023 年部门预算公开情况说明

一、收支预算总体情况说明

2023 年收入总计 {P_INCOME_GRAND} 万元，支出总计 {P_EXPENSE} 万元，与上年预算相比，收、支总计各减少 5.00 万元。

二、支出预算说明

2023 年支出预算 {P_EXPENSE} 万元，其中：基本支出 {P_BASIC} 万元，项目支出 {P_PROJECT} 万元。

（一）按功能科目分类，包括{P_LABEL} {P_CLASS_201} 万元、社会保障和就业支出 {P_CLASS_208} 万元。

三、一般公共预算基本支出预算情况说明

2023 年一般公共预算基本支出预算 {P_BASIC} 万元，其中：人员经费 {P_PERSONNEL} 万元；公用经费 {P_PUBLIC} 万元。

四、“三公”经费支出预算情况说明

2023 年“三公”经费预算 {P_SANGONG} 万元，比上年预算数减少 1.50 万元。其中：公务接待费 {P_RECEPTION} 万元；公务用车购置费 0 万元，公务用车运行维护费 {P_VEHICLE_RUN} 万元。

五、机关运行经费安排情况说明

2023 年运行经费安排 30.00 万元，其中：办公费 {P_OFFICE} 万元、公务接待费 {P_RECEPTION} 万元、公务用车运行维护费 {P_VEHICLE_RUN} 万元。

"""

T1 = """2023年部门收支总体情况表

单位：元

收入\t\t支出\t
项目\t金额\t项目\t金额
一、一般公共预算\t{T1_GENERAL}\t一、基本支出\t{T1_BASIC}
1、财政拨款\t{T1_GENERAL}\t1、工资福利支出\t{T1_SALARY}
二、政府性基金预算\t{T1_FUND}\t2、对个人和家庭的补助支出\t50,000
三、国有资本经营预算\t\t3、商品服务支出\t300,000
\t\t4、资本性支出\t
\t\t二、项目支出\t300,000
本年收入合计\t{T1_INCOME_TOTAL}\t本年支出合计\t{T1_EXPENSE_TOTAL}

"""

_EXPENSE_HEADER = """科目编码\t\t\t单位（科目名称）\t合计\t基本支出\t\t\t\t\t项目支出
类\t款\t项\t\t\t小计\t工资福利支出\t对个人和家庭的补助支出\t商品服务支出\t资本性支出\t
"""

T3 = """2023年部门支出总体情况表

单位：元

""" + _EXPENSE_HEADER + """\t\t\t合计\t{T3_TOTAL}\t{T3_TOTAL_BASIC}\t1,050,000\t50,000\t300,000\t0\t300,000
201\t03\t01\t行政运行（政府办公厅（室）及相关机构事务）\t{T3_RUN_TOTAL}\t{T3_RUN_BASIC}\t{T3_RUN_SALARY}\t0\t300,000\t0\t0
201\t03\t02\t一般行政管理事务（政府办公厅（室）及相关机构事务）\t300,000\t0\t0\t0\t0\t0\t300,000
208\t05\t01\t行政单位离退休\t50,000\t50,000\t0\t50,000\t0\t0\t0
208\t05\t05\t机关事业单位基本养老保险缴费支出\t150,000\t150,000\t150,000\t0\t0\t0\t0

"""

T5 = """2023年一般公共预算支出情况表

单位：元

""" + _EXPENSE_HEADER + """\t\t\t合计\t{T5_TOTAL}\t{T5_TOTAL_BASIC}\t1,050,000\t50,000\t300,000\t0\t300,000
201\t03\t01\t行政运行（政府办公厅（室）及相关机构事务）\t1,200,000\t1,200,000\t{T5_RUN_SALARY}\t0\t300,000\t0\t0
201\t03\t02\t一般行政管理事务（政府办公厅（室）及相关机构事务）\t300,000\t0\t0\t0\t0\t0\t300,000
208\t05\t01\t行政单位离退休\t50,000\t50,000\t0\t50,000\t0\t0\t0
208\t05\t05\t机关事业单位基本养老保险缴费支出\t150,000\t150,000\t150,000\t0\t0\t0\t0

"""

T5B = """2023年一般公共预算支出情况表

单位：元

部门预算经济分类\t\t\t政府预算经济分类\t\t\t合计\t基本支出\t\t\t\t\t项目支出
类\t款\t科目名称\t类\t款\t科目名称\t\t小计\t工资福利支出\t对个人和家庭的补助支出\t商品服务支出\t资本性支出\t
\t\t合计\t\t\t\t1,700,000\t1,400,000\t1,050,000\t50,000\t300,000\t0\t300,000
301\t01\t基本工资\t501\t01\t工资奖金津补贴_行政\t{T5B_30101_A}\t{T5B_30101_A}\t{T5B_30101_A}\t0\t0\t0\t0
301\t01\t基本工资\t505\t01\t工资福利支出_事业\t{T5B_30101_B}\t{T5B_30101_B}\t{T5B_30101_B}\t0\t0\t0\t0
301\t02\t津贴补贴\t501\t01\t工资奖金津补贴_行政\t300,000\t300,000\t300,000\t0\t0\t0\t0
301\t08\t机关事业单位基本养老保险缴费\t501\t02\t社会保障缴费_行政\t150,000\t150,000\t150,000\t0\t0\t0\t0
302\t01\t办公费\t502\t01\t办公经费_行政\t200,000\t200,000\t0\t0\t200,000\t0\t0
302\t17\t公务接待费\t502\t06\t公务接待费_行政\t{T5B_30217}\t{T5B_30217_BASIC}\t0\t0\t{T5B_30217_BASIC}\t0\t0
302\t27\t委托业务费\t502\t05\t委托业务费_行政\t300,000\t0\t0\t0\t0\t0\t300,000
302\t31\t公务用车运行维护费\t502\t08\t公务用车运行维护费_行政\t60,000\t60,000\t0\t0\t60,000\t0\t0
303\t02\t退休费\t509\t05\t离退休费_行政\t50,000\t50,000\t0\t50,000\t0\t0\t0

"""

T6 = """2023 年一般公共预算基本支出情况表

单位：元

部门预算经济分类\t\t\t一般公共预算\t
类\t款\t科目名称\t小计\t其中：财政拨款
\t\t合计\t{T6_TOTAL}\t{T6_TOTAL}
301\t01\t基本工资\t{T6_30101}\t{T6_30101}
301\t02\t津贴补贴\t300,000\t300,000
301\t08\t机关事业单位基本养老保险缴费\t150,000\t150,000
302\t01\t办公费\t{T6_30201}\t{T6_30201}
302\t17\t公务接待费\t{T6_30217}\t{T6_30217}
302\t31\t公务用车运行维护费\t60,000\t60,000
303\t02\t退休费\t50,000\t50,000

"""

T7 = """2023 年一般公共预算“三公”经费支出情况表

单位：元

项目\t2022年预算数\t2023年预算数
合计\t115,000\t{T7_TOTAL}
1、因公出国（境）费用\t0\t0
2、公务接待费\t{T7_PRIOR_RECEPTION}\t{T7_RECEPTION}
3、公务用车购置及运行费\t60,000\t{T7_VEHICLE}
其中：（1）公务用车运行维护费\t60,000\t{T7_RUN}
（2）公务用车购置费\t0\t0

"""

ALL_TABLES = ("T1", "T3", "T5", "T5B", "T6", "T7")
_TEMPLATES = {"T1": T1, "T3": T3, "T5": T5, "T5B": T5B, "T6": T6, "T7": T7}


def budget(tables: tuple[str, ...] = ALL_TABLES, prose: bool = True, **values: str) -> str:
    """The document text, with the given placeholders changed."""
    merged = {**VALUES, **values}
    parts = ([PROSE] if prose else []) + [_TEMPLATES[t] for t in tables]
    return "".join(parts).format(**merged)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line number of the `occurrence`-th line containing `fragment`."""
    seen = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if fragment in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{fragment!r} not in the text")
