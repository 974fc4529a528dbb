"""The prose tokeniser (auditor/read/prose_facts.py) and the sentence forms and ties read from it:
repeated 同比 markers, 增/减 and 增幅/减幅, completion rates with their over/under amount, operands
named in one sentence and stated in another, and the changes of a total's parts. Every snippet is
fictional, written for these tests in the layout of published disclosures."""

from __future__ import annotations

from auditor.model import ReadDocument
from auditor.read.facts import read_facts
from auditor.read.prose_facts import TOKENISED, subject_names, tokenise
from tests.harness import audit_text, read_text


def read(text: str) -> ReadDocument:
    return read_text(text, "inline.txt")


def findings(text: str, rule: str) -> list:
    return audit_text(text, name="inline.txt", rule=rule).findings


def errors_or_warnings(text: str) -> list:
    return [f for f in audit_text(text, name="inline.txt").of("rate.") if f.severity in ("error", "warning")]


# --------------------------------------------------------------------------- the tokeniser


def test_sentences_clauses_and_tokens_keep_their_lines():
    doc = read("一、收入情况\n2020年本单位收入合计120.50万元，其中：财政拨款收入100.00万元，\n占83.0%。其他收入20.50万元。\n")
    prose = tokenise(doc.paragraphs)
    texts = [prose.texts[s.paragraph][s.start:s.end] for s in prose.sentences]
    assert any(t.startswith("2020年本单位收入合计") and t.endswith("。") for t in texts)
    by_text = {t.number.text: t for t in prose.tokens}
    assert by_text["83.0%"].line == 3 and by_text["83.0%"].is_percent
    assert by_text["100.00万元"].line == 2 and by_text["100.00万元"].number.decimals == 2
    sentence = prose.sentences[by_text["100.00万元"].sentence]
    assert len(sentence.clauses) >= 3


def test_prose_is_tokenised_once_per_document():
    text = ("一、支出情况\n2021年支出合计500.00万元，比上年增加50.00万元，增长11.11%。"
            "基本支出400.00万元，占本年支出合计的80.00%。\n")
    before = TOKENISED["documents"]
    audit_text(text, name="inline.txt")
    assert TOKENISED["documents"] == before + 1


def test_over_under_amount_is_read_with_its_sign():
    doc = read("一、支出\n本年支出总计120.00万元，完成年初预算120%，决算数大于预算数20.00万元。"
               "公用经费10.00万元，决算数小于预算数2.00万元。\n")
    prose = tokenise(doc.paragraphs)
    assert [(o.amount.text, o.sign) for o in prose.over_under] == [("20.00万元", 1), ("2.00万元", -1)]


# --------------------------------------------------------------------------- sentence forms


def test_repeated_marker_continues_the_change():
    wrong = "一、收入预算\n2019年收入总预算420.00万元，同比增加20.00万元，同比增长5.2%。\n"
    right = "一、收入预算\n2019年收入总预算420.00万元，同比增加20.00万元，同比增长5.0%。\n"
    found = findings(wrong, "rate.change")
    assert found and found[0].actual == "5.2%"
    assert not errors_or_warnings(right)


def test_short_direction_words_contradicting_each_other():
    wrong = "一、变化\n1.商品和服务支出较上年减0.30万元，增1.50%。主要原因是压减开支。\n"
    right = "一、变化\n1.商品和服务支出较上年减0.30万元，减1.50%。主要原因是压减开支。\n"
    found = [f for f in findings(wrong, "rate.change") if f.severity == "error"]
    assert found and found[0].args["amount"] == "0.30万元" and found[0].args["rate"] == "1.50%"
    assert not [f for f in findings(right, "rate.change") if f.severity == "error"]


def test_decrease_percentage_word_jianfu_is_read():
    wrong = "一、“三公”经费\n2019年“三公”经费预算总额为4.8万元。\n2019年“三公”经费预算数比2018年预算数减少0.20万元，减幅 0.04%。\n"
    right = "一、“三公”经费\n2019年“三公”经费预算总额为4.8万元。\n2019年“三公”经费预算数比2018年预算数减少0.20万元，减幅 4%。\n"
    found = findings(wrong, "rate.change")
    assert found and found[0].actual == "0.04%" and found[0].severity == "warning"
    assert not errors_or_warnings(right)


def test_completion_rate_of_a_printed_budget():
    wrong = "一、财政拨款支出\n2021年度财政拨款支出总计330.00万元。财政拨款支出年初预算数300.00万元，完成年初预算的30.00%。\n"
    right = "一、财政拨款支出\n2021年度财政拨款支出总计330.00万元。财政拨款支出年初预算数300.00万元，完成年初预算的110.00%。\n"
    found = findings(wrong, "rate.recompute")
    assert found and found[0].actual == "30.00%"
    assert not errors_or_warnings(right)


def test_completion_rate_against_the_stated_over_amount():
    wrong = "一、支出\n2019年度，本单位支出总计840.00万元，完成年初预算100%，决算数大于预算数40.00万元，主要原因是人员增加。\n"
    right = "一、支出\n2019年度，本单位支出总计840.00万元，完成年初预算105%，决算数大于预算数40.00万元，主要原因是人员增加。\n"
    found = findings(wrong, "rate.recompute")
    assert found and found[0].severity == "warning" and "800.00" in found[0].args["denominator"]
    assert not errors_or_warnings(right)


def test_completion_of_an_item_is_not_over_the_totals_budget():
    text = ("一、“三公”经费\n2020年度“三公”经费支出年初预算为30,000元，支出决算为27,000元，完成年初预算的90%。"
            "其中：公务接待费支出决算为5,000元，完成年初预算的100%。\n")
    assert not errors_or_warnings(text)


# --------------------------------------------------------------------------- respectively lists

RESPECTIVE = ("一、收入支出决算总体情况说明\n2023年度收、支总计各是{a},{b}万元。与2022年相比,收、支总计各增加120.50,"
              "300.00万元,各增长5.11%、{r}%。\n")


def test_subjects_of_a_respectively_list_share_their_head_noun():
    assert subject_names("2023年度收、支总计") == ("收入总计", "支出总计")
    assert subject_names("财政拨款收、支总计") == ("财政拨款收入总计", "财政拨款支出总计")
    assert subject_names("人员、公用经费") == ("人员经费", "公用经费")
    assert subject_names("基本支出、项目支出") == ("基本支出", "项目支出")
    assert subject_names("财政拨款收入、其他收入") == ("财政拨款收入", "其他收入")
    assert subject_names("公务接待费") == ()


def test_a_respectively_list_gives_each_subject_its_own_amount():
    doc = read(RESPECTIVE.format(a="2480.06", b="2512.73", r="13.56"))
    labelled = {(f.label, f.concept, f.number.text) for f in read_facts(doc.paragraphs)}
    assert {("收入总计", "income.grand_total", "2480.06万元"), ("支出总计", "expense.grand_total", "2512.73万元")} <= labelled
    changes = [(s.label, s.current.text if s.current else None, s.amount.text if s.amount else None,
                s.rate.text if s.rate else None) for s in doc.rates if s.kind == "change"]
    assert changes == [("收入总计", "2480.06万元", "120.50万元", "5.11%"), ("支出总计", "2512.73万元", "300.00万元", "13.56%")]
    # the two 总计 differ: the year's income and expenditure printed as totals
    (unequal,) = findings(RESPECTIVE.format(a="2480.06", b="2512.73", r="13.56"), "narrative.grand_totals")
    assert unequal.expected == "2480.06万元" and unequal.actual == "2512.73万元"
    assert not errors_or_warnings(RESPECTIVE.format(a="2480.06", b="2512.73", r="13.56"))


def test_the_percentages_of_a_respectively_list_are_each_subjects_change():
    # 300.00 ÷ (2512.73 − 300.00) = 13.5579%: printed 13.55 it is truncated, printed 15.56 it is wrong
    (cut,) = findings(RESPECTIVE.format(a="2480.06", b="2512.73", r="13.55"), "rate.rounding")
    assert cut.args["label"] == "支出总计" and cut.expected == "13.56%"
    (wrong,) = findings(RESPECTIVE.format(a="2480.06", b="2512.73", r="15.56"), "rate.change")
    assert wrong.args["label"] == "支出总计" and wrong.expected == "13.5579%"
    assert not findings(RESPECTIVE.format(a="2512.73", b="2512.73", r="13.56"), "narrative.grand_totals")


def test_one_amount_for_both_subjects_is_not_a_list():
    # "各是 1,234 万元" is one amount grouped by a comma; "各增加 310.22 万元" is one amount for both
    for text in ("2023年度收、支总计各是1,234万元。\n", "与2022年相比,收、支总计各增加 310.22 万元。\n"):
        doc = read(text)
        assert not any(f.concept for f in read_facts(doc.paragraphs))
        assert len(tokenise(doc.paragraphs).tokens) == 1


# --------------------------------------------------------------------------- operands across the document


def test_share_whole_named_and_stated_in_another_sentence():
    wrong = ("一、支出\n2021年财政拨款支出总计610.00万元，其中：2021年支出合计600.00万元，年末结转和结余10.00万元。\n"
             "2021年一般公共预算财政拨款支出597.00万元，占本年支出合计的99.90%。\n")
    right = wrong.replace("99.90%", "99.50%")
    found = findings(wrong, "rate.recompute")
    assert found and found[0].severity == "warning" and found[0].args["denominator"] == "600.00万元"
    assert not errors_or_warnings(right)


def test_named_whole_stated_twice_with_different_values_is_not_used():
    text = ("一、支出\n2021年支出合计600.00万元。\n二、说明\n本年支出合计650.00万元。\n"
            "2021年一般公共预算财政拨款支出597.00万元，占本年支出合计的99.90%。\n")
    doc = read(text)
    share = next(s for s in doc.rates if s.kind == "share")
    assert share.denominator is None
    assert audit_text(doc, rule="rate.recompute").status == "insufficient_data"


def test_named_whole_found_nowhere_is_unresolved():
    doc = read("一、支出\n2021年一般公共预算财政拨款支出597.00万元，占本年支出合计的99.90%。\n")
    share = next(s for s in doc.rates if s.kind == "share")
    assert share.denominator is None and share.unresolved == "本年支出合计"


# --------------------------------------------------------------------------- ties


def test_part_changes_must_add_up_to_the_total_change():
    wrong = ("一、“三公”经费情况说明\n2022年“三公”经费预算8.00万元，比上年减少0.60万元。其中：因公出国（境）费用0万元，"
             "较上年无增减；公务接待费1.00万元，较上年无增减；公务用车购置及运行维护费7.00万元，比上年减少1.20万元。\n")
    right = wrong.replace("减少1.20万元", "减少0.60万元")
    found = [f for f in findings(wrong, "rate.change") if f.variant == "parts"]
    assert found and found[0].severity == "warning" and found[0].expected == "-1.20万元"
    assert not [f for f in findings(right, "rate.change") if f.variant == "parts"]


def test_part_changes_of_basic_expenditure_listed_as_items():
    wrong = ("一、基本支出预算收支增减情况\n2019年基本支出预算较上年增 30.00万元，增幅10% 。主要变动原因如下：\n"
             "1.工资福利支出较上年增25.00万元，增12%。主要原因是增资。\n"
             "2.商品和服务支出较上年增10.00万元，增20%。主要原因是新增人员。\n"
             "3.对个人和家庭补助支出较上年减少1.00万元，减幅 5 %。主要原因是退休人员减少。\n")
    right = wrong.replace("减少1.00万元", "减少5.00万元")
    assert [f for f in findings(wrong, "rate.change") if f.variant == "parts"]
    assert not [f for f in findings(right, "rate.change") if f.variant == "parts"]


def test_over_under_amount_must_follow_from_spent_and_budget():
    wrong = ("一、支出\n2021年度财政拨款支出总计660.00万元，财政拨款支出年初预算数600.00万元，完成年初预算的110%，"
             "决算数大于预算数50.00万元。\n")
    right = wrong.replace("50.00万元", "60.00万元")
    found = findings(wrong, "rate.over_under")
    assert found and found[0].expected == "60.00万元" and found[0].severity == "warning"
    assert not findings(right, "rate.over_under") and not errors_or_warnings(right)


def test_complementary_shares_of_a_whole_stated_nowhere():
    wrong = ("（二）按支出结构分类\n1. 基本支出预算 750000 元，占一般公共预算支出的 75%，同比减少 1000 元，下降 0.13%。\n"
             "2. 项目支出 250000 元，占一般公共预算支出的 30%，同比增加 5000 元，增长 2.04%。\n")
    right = wrong.replace("30%", "25%")
    found = findings(wrong, "rate.recompute")
    assert [f.actual for f in found] == ["30%"] and found[0].severity == "warning"
    assert not findings(right, "rate.recompute")


LISTED = ("三、支出预算情况说明\n本单位支出预算按功能分类如下，其中：\n（一）教育支出类科目 50000.00 元，占支出总预算 50.00%。\n"
          "（二）科学技术支出类科目 40456.00 元，占支出总预\n算{b}%。\n（三）农林水支出类科目 9544.00 元，占支出总预算 {c}%。\n")


def test_shares_that_list_a_whole_stated_nowhere_are_shares_of_their_sum():
    # the shares add up to 100% within their precision: the three items are the whole, 100000.00 元
    doc = read(LISTED.format(b="40.46", c="9.54"))
    shares = [s for s in doc.rates if s.kind == "share"]
    assert len(shares) == 3 and all(s.implied == "listed_sum" and not s.unresolved for s in shares)
    assert {s.denominator.text for s in shares if s.denominator is not None} == {"100000.00元"}
    assert not audit_text(doc, name="inline.txt").of("rate.")
    # 40456.00 ÷ 100000.00 = 40.456% printed 40.45: truncated
    (cut,) = findings(LISTED.format(b="40.45", c="9.54"), "rate.rounding")
    assert cut.expected == "40.46%" and cut.actual == "40.45%"
    # 9544.00 ÷ 100000.00 = 9.544% printed 9.55 (to make the shares add up to 100%): a warning
    (slip,) = findings(LISTED.format(b="40.46", c="9.55"), "rate.recompute")
    assert slip.severity == "warning" and slip.expected == "9.54%" and slip.args["denominator"] == "100000.00元"
    assert {"part": "implied.listed_sum"} in slip.args["note"]


def test_shares_that_do_not_add_up_to_the_whole_do_not_list_it():
    doc = read("（一）教育支出类科目 50000.00 元，占支出总预算 50.00%。\n（二）科学技术支出类科目 10000.00 元，占支出总预算 10.00%。\n")
    shares = [s for s in doc.rates if s.kind == "share"]
    assert len(shares) == 2 and all(s.denominator is None for s in shares)
    # a share of another whole ends the list: 50% + 50% of two different wholes list neither
    doc = read("（一）教育支出类科目 50000.00 元，占支出总预算 50.00%。\n（二）科学技术支出类科目 10000.00 元，占项目支出 50.00%。\n")
    assert all(s.denominator is None for s in doc.rates if s.kind == "share")


def test_a_total_split_into_its_parts_in_the_next_sentences():
    wrong = ("六、一般公共预算基本支出情况说明\n2023年本年一般公共预算基本支出 930000.50 元，其中：\n"
             "人员经费 820000.30 元，主要包括：基本工资、津贴补贴。\n公用经费 80000.20 元，主要包括：办公费。\n")
    right = wrong.replace("930000.50", "900000.50")
    found = findings(wrong, "narrative.parts")
    assert found and found[0].expected == "900000.50元" and found[0].severity == "warning"
    assert not findings(right, "narrative.parts")


SANGONG_FINAL = (
    "示例办2021年度部门决算\n\n一、2021年度一般公共预算财政拨款“三公”经费支出决算表\n单位：万元\n"
    "项目\t预算数\t决算数\n合计\t30.5\t6.20\n因公出国（境）费\t10\t{abroad}\n公务接待费\t12.5\t4.20\n"
    "公务用车购置及运行维护费\t8\t2.00\n\n二、“三公”经费支出情况说明\n"
    "1.因公出国（境）费支出{abroad}万元，与2021年度预算相比{abroad_change}。\n"
    "2.公务接待费支出4.20万元，与2021年度预算相比，减少{reception}万元，下降{reception_rate}%。\n"
)


def test_changes_against_this_years_budget_read_the_tables_budget_column():
    wrong = SANGONG_FINAL.format(abroad="0", abroad_change="无增减", reception="0.3", reception_rate="0.02")
    right = SANGONG_FINAL.format(abroad="10", abroad_change="无增减", reception="8.3", reception_rate="66.4")
    found = {(f.args["label"], f.variant) for f in findings(wrong, "rate.change")}
    assert ("因公出国（境）费支出", "fell_on_budget") in found
    assert ("2.公务接待费支出", "amount") in found and ("2.公务接待费支出", "") in found
    assert all(f.severity == "warning" for f in findings(wrong, "rate.change"))
    assert not errors_or_warnings(right)


def test_a_comparison_with_another_years_budget_is_not_this_years_budget():
    text = SANGONG_FINAL.format(abroad="0", abroad_change="无增减", reception="0.3", reception_rate="0.02")
    text = text.replace("与2021年度预算相比", "与2020年度预算相比")
    assert not [f for f in findings(text, "rate.change") if f.variant in ("grew", "fell", "grew_on_budget", "fell_on_budget", "amount")]


def test_a_parts_percentage_implying_a_prior_above_the_totals():
    wrong = ("一、基本支出预算收支增减情况\n2019年基本支出预算较上年增 20.0万元，增幅20.00% 。主要变动原因如下：\n"
             "1.工资福利支出较上年增19.80万元，增25.00%。主要原因是增资。\n"
             "2.对个人和家庭补助支出较上年增加 0.20万元，增幅 0.02%。主要原因是职称变动。\n")
    right = wrong.replace("增幅 0.02%", "增幅 2.00%")
    found = [f for f in findings(wrong, "rate.change") if f.variant == "prior"]
    assert [f.args["label"] for f in found] == ["2.对个人和家庭补助支出"] and found[0].actual == "1000.00万元"
    assert not [f for f in findings(right, "rate.change") if f.variant == "prior"]


FUNCTION_LINE = ("四、一般公共预算支出功能分类说明\n1.“一般公共服务支出（类）行政运行（项）”科目，2023年当年预算执行数为"
                 "80.00万元，2024年预算安排92.00万元，比2023年预算执行数增加{rate}%，主要原因是人员增加。\n")


def test_execution_then_budget_per_function_code():
    doc = read(FUNCTION_LINE.format(rate="15.00"))
    (change,) = [s for s in doc.rates if s.kind == "change"]
    assert change.previous.text == "80.00万元" and change.current.text == "92.00万元"
    assert change.label.endswith("行政运行（项）”科目")
    assert not errors_or_warnings(FUNCTION_LINE.format(rate="15.00"))
    found = findings(FUNCTION_LINE.format(rate="12.00"), "rate.change")
    assert found and found[0].actual == "12.00%"


def test_a_comparison_year_that_dates_no_amount_keeps_the_plain_reading():
    text = "一、收入\n2021年度收入总计519.00万元，与2020年度相比，增加30.00万元，增长6.13%。\n"
    (change,) = [s for s in read(text).rates if s.kind == "change"]
    assert change.previous is None and change.amount.text == "30.00万元"
    assert not errors_or_warnings(text)


SANGONG_SHARES = (
    "二、“三公”经费支出情况说明\n"
    "示例县文化馆2020年度一般公共预算财政拨款“三公”经费支出预算为20万元，支出决算为8.00万元，完成预算的40.00%。\n"
    "示例县文化馆2020年度一般公共预算财政拨款“三公”经费支出决算中，因公出国（境）费支出决算0万元，占0%；"
    "公务接待费支出决算8.00万元，占{share}%。\n"
)


def test_share_of_the_whole_the_sentence_names_at_its_stage():
    found = findings(SANGONG_SHARES.format(share="40.00"), "rate.recompute")
    assert [f.actual for f in found] == ["40.00%"] and found[0].args["denominator"] == "8.00万元"
    assert not errors_or_warnings(SANGONG_SHARES.format(share="100"))


def test_the_whole_at_another_stage_is_not_taken():
    # only the budget (预算) of the 三公 total is stated: a 决算 whole stays unresolved
    text = SANGONG_SHARES.format(share="40.00").replace("，支出决算为8.00万元，完成预算的40.00%", "")
    share = next(s for s in read(text).rates if s.kind == "share" and s.rate.text == "40.00%")
    assert share.denominator is None and share.unresolved.endswith("“三公”经费支出决算")


def test_extract_shows_prose_facts_with_lines_and_words():
    from auditor.extract import extract_data

    data = extract_data(read(SANGONG_SHARES.format(share="40.00")))["prose"]
    share = next(s for s in data["statements"] if s["kind"] == "share" and s["rate"]["text"] == "40.00%")
    assert share["line"] == 3 and "公务接待费支出决算8.00万元" in share["words"]
    assert share["denominator"]["elsewhere"] is True and share["denominator"]["line"] == 2
    assert any(n["number"]["text"] == "20万元" and n["line"] == 2 for n in data["numbers"])
    assert any(a["concept"] == "sangong.total" for a in data["amounts"])


def test_a_label_that_ends_by_naming_the_account_gives_the_facts_basis() -> None:
    read = read_text("“三公”经费支出预算为31.50万元，支出决算为12.36万元。年初预算数为8.00万元。\n"
                     "一般公共预算为20.00万元，政府性基金预算为3.00万元，基本支出为5.00万元。\n")
    basis = {f.number.text: f.basis for f in read_facts(read.paragraphs)}
    assert basis == {"31.50万元": "budget", "12.36万元": "final", "8.00万元": "budget",
                     "20.00万元": "", "3.00万元": "", "5.00万元": ""}  # a fund named 预算 is no account
