"""The 政府收支分类 catalogue: complete 类 list in official order, and code/name agreement."""

from __future__ import annotations

import pytest

from generator.model import catalog

# Written out here, independently of the module, so a reordering there is caught.
OFFICIAL_CLASSES = [
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("209", "社会保险基金支出"), ("210", "卫生健康支出"),
    ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"), ("229", "其他支出"), ("230", "转移性支出"), ("231", "债务还本支出"),
    ("232", "债务付息支出"), ("233", "债务发行费用支出"), ("234", "抗疫特别国债安排的支出"),
    ("235", "超长期特别国债安排的支出"),
]


def test_it_lists_all_31_function_classes_in_official_order() -> None:
    assert [(s.code, s.name) for s in catalog.FUNCTION_CLASSES] == OFFICIAL_CLASSES
    assert len(catalog.function_classes()) == 31


def test_it_leaves_out_classes_that_did_not_exist_in_the_budget_year() -> None:
    codes_2021 = [s.code for s in catalog.function_classes(2021)]
    assert "235" not in codes_2021 and "234" in codes_2021
    assert len(codes_2021) == 30
    assert [s.code for s in catalog.function_classes(2025)][-1] == "235"


def test_it_labels_classes_with_chinese_numbers_for_the_summary_table() -> None:
    labels = catalog.function_class_labels(2025)
    assert labels[0] == ("201", "一、一般公共服务支出")
    assert labels[9] == ("210", "十、卫生健康支出")
    assert labels[-1] == ("235", "三十一、超长期特别国债安排的支出")


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"),
                                         (31, "三十一"), (99, "九十九")])
def test_it_writes_chinese_numbers(n: int, text: str) -> None:
    assert catalog.chinese_number(n) == text


def test_it_knows_the_science_subjects_by_code() -> None:
    assert catalog.function_name("2060101") == "行政运行"
    assert catalog.function_name("20601") == "科学技术管理事务"
    assert catalog.function_name("2069999") == "其他科学技术支出"
    assert catalog.function_name("2210201") == "住房公积金"
    assert catalog.function_name("9999999") is None
    assert catalog.function_class("2060499") == ("206", "科学技术支出")
    assert catalog.function_class(" 2101101 ") == ("210", "卫生健康支出")


def test_it_knows_the_economic_classes_and_sections() -> None:
    assert [s.code for s in catalog.ECONOMIC_CLASSES][:3] == ["301", "302", "303"]
    assert catalog.economic_name("30201") == "办公费"
    assert catalog.economic_class("30113") == ("301", "工资福利支出")
    assert catalog.economic_class("31002") == ("310", "资本性支出")


def test_matching_code_and_name_pass_despite_spacing_and_bracket_width() -> None:
    assert catalog.check_code_name("2060101", "行政运行") is None
    assert catalog.check_code_name("2060101", " 行政 运行\n") is None
    assert catalog.check_economic_code_name("30212", "因公出国(境)费用") is None
    assert catalog.check_economic_code_name("30213", "维修(护)费") is None


def test_a_wrong_name_gets_a_chinese_message_naming_the_right_one() -> None:
    message = catalog.check_code_name("2060101", "一般行政管理事务")
    assert message is not None and "行政运行" in message and "2060101" in message
    message = catalog.check_economic_code_name("30201", "印刷费")
    assert message is not None and "办公费" in message


def test_bad_codes_are_reported_but_unlisted_items_are_not() -> None:
    assert "3 位" in (catalog.check_code_name("20601011", "行政运行") or "")
    assert "218" in (catalog.check_code_name("2180101", "行政运行") or "")
    # 2060601's 款 is listed but e.g. 2089901 is not in the (partial) item list: no complaint.
    assert catalog.check_code_name("2089901", "随便什么") is None
    assert catalog.check_economic_code_name("3010101", "基本工资") is not None
