"""Numbered lists typed into one cell become the same items, however they were numbered."""

from __future__ import annotations

import pytest

from generator.model.items import split_items, strip_numbering

ITEMS = ["推广科技保险产品", "降低企业风险", "提高风险保障水平"]


@pytest.mark.parametrize("typed", [
    "推广科技保险产品\n降低企业风险\n提高风险保障水平",
    "1.推广科技保险产品\n2.降低企业风险\n3.提高风险保障水平",
    "1、推广科技保险产品；\n2、降低企业风险；\n3、提高风险保障水平",
    "1.推广科技保险产品;2.降低企业风险;3.提高风险保障水平",
    "1.推广科技保险产品；2.降低企业风险；3.提高风险保障水平",
    "（1）推广科技保险产品（2）降低企业风险（3）提高风险保障水平",
    "(1)推广科技保险产品；(2)降低企业风险；(3)提高风险保障水平",
    "（一）推广科技保险产品；（二）降低企业风险；（三）提高风险保障水平",
    "一是推广科技保险产品，二是降低企业风险，三是提高风险保障水平",
    "目标1：推广科技保险产品\n目标2：降低企业风险\n目标3：提高风险保障水平",
])
def test_every_way_of_numbering_a_list_gives_the_same_items(typed: str) -> None:
    assert split_items(typed) == ITEMS


def test_numbers_inside_a_sentence_are_not_list_markers() -> None:
    text = "年技术合同认定登记额达到10亿元，增长1.5亿元，第2季度完成3.项"
    assert split_items(text) == [text]


def test_a_lead_in_before_the_first_number_is_kept_as_an_item() -> None:
    assert split_items("主要目标：1.推广科技保险产品；2.降低企业风险") == ["主要目标", "推广科技保险产品", "降低企业风险"]


def test_a_single_numbered_item_only_loses_its_number() -> None:
    assert split_items("1.推广科技保险产品") == ["推广科技保险产品"]
    assert strip_numbering("（十二）其他事项") == "其他事项"


def test_out_of_sequence_numbers_do_not_split() -> None:
    assert split_items("2.降低企业风险；5.提高水平") == ["降低企业风险；5.提高水平"]


def test_long_inputs_are_split_in_linear_time() -> None:
    text = "；".join(f"{i}.项目{i}" for i in range(1, 100)) + "数" * 100_000
    items = split_items(text)
    assert len(items) == 99
