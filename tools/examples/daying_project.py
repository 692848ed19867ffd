"""A single project's self-evaluation: 大英县司法局 2023年全县安可替代补助资金项目 (Sichuan).

The source is the county's published 部门预算项目支出绩效自评表（2023年度） for this project: its
code and name, 主管部门 / 实施单位, the annual goal ("根据要求购买安可设备，并完成项目资金支付"),
what was done ("2023年购买13台安可电脑，并于12月前完成资金支付"), the funds (年初预算 0,
调整后预算 3.36 万元, 执行 3.36 万元, 100%, 10 分, all 财政资金) and one 质量指标
"完成安可产品购买并按要求支付资金 = 100". The published table is cut off after that indicator, so
the other indicators are illustrative, built from the stated facts where possible (13 台 from the
text, "12月前" from the text) and marked on their cells.

The workbook is a 项目支出绩效自评 (文件样式): no department sheets, producing the project's
项目支出绩效自评表 and its short report. It publishes in 元 (3.36 万元 = 33600 元) to exercise the
金额单位 of self-evaluations; the original table is in 万元.

Run: ``python -m tools.examples.daying_project`` -> ``inputs/2023-大英县司法局-项目支出绩效自评.xlsx``.
"""

from __future__ import annotations

from generator.model.schema import SELF_EVAL_PROJECT_STYLE, WorkbookKind
from generator.render.workbook_template import Noted, WorkbookData

from .common import Builder, D, Fix, SeedDefect, apply_defects, illustrative, print_summary, write

FILENAME = "2023-大英县司法局-项目支出绩效自评.xlsx"
PROJECT = "2023年全县安可替代补助资金项目"
CODE = "51092324T000010263357"
SOURCE_NOTE = "原表单位为万元（调整后预算 3.36 万元），本示例按元填写以演示金额单位"
CUT_OFF = "原表在第一个质量指标后截断，此指标为示意（说明性数据，非原文）"

PUBLISHED = "完成安可产品购买并按要求支付资金"  # the one indicator the published table shows

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, where an illustrative value comes from)
INDICATORS: tuple[tuple[str, str, str, str, str, int, str], ...] = (
    ("产出指标", "数量指标", "购置安可电脑台数", "≥13台", "13台", 20, "台数取自原表“2023年购买13台安可电脑”"),
    ("产出指标", "质量指标", PUBLISHED, "=100%", "100%", 15, ""),
    ("产出指标", "时效指标", "资金支付完成时间", "12月前", "12月", 10, "时间取自原表“于12月前完成资金支付”"),
    ("产出指标", "成本指标", "项目成本控制数", "≤33600元", "33600元", 5, "按调整后预算数示意"),
    ("效益指标", "社会效益指标", "政务办公终端安全可控水平", "明显提升", "达成年度指标", 30, "按项目目标示意"),
    ("满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%", "95%", 10, "常用满意度指标示意"),
)


def _build() -> tuple[WorkbookData, list[SeedDefect]]:
    b = Builder()
    b.form(
        "基本信息",
        dept_name="大英县司法局",
        org_full_name="大英县司法局",
        year=2023,
        amount_unit=Noted("元", SOURCE_NOTE),
        style=SELF_EVAL_PROJECT_STYLE,
        supervisor=Fix("大英县司法局", "大英县司法局部门", "“部门”二字为系统导出时附加，主管部门应为单位名称"),
    )
    b.row(
        "项目",
        code=CODE,
        name=Fix(PROJECT, f"{CODE}-{PROJECT}", "原表把项目编码写在项目名称前，拆为项目编码和项目名称两列"),
        unit="大英县司法局",
        initial=D("0"),
        budget=Noted(D("33600"), SOURCE_NOTE),
        executed=D("33600"),
        goal="根据要求购买安可设备，并完成项目资金支付。",
        result="2023年购买13台安可电脑，并于12月前完成资金支付。",
    )
    for level1, level2, level3, target, actual, weight, source in INDICATORS:
        published = level3 == PUBLISHED
        b.row(
            "绩效指标",
            project_code=CODE,
            project_name=PROJECT,
            level1=level1,
            level2=level2,
            level3=level3 if published else illustrative(level3, f"{CUT_OFF}；{source}"),
            target=Noted(target, "原表为“= 100”，单位栏截断，按百分比理解") if published else target,
            actual=actual,
            weight=D(weight),
        )
    return b.data, b.defects


DEFECTS: list[SeedDefect] = _build()[1]


def build(with_defects: bool = False) -> WorkbookData:
    """The project as workbook data; ``with_defects`` puts the published originals back."""
    data, defects = _build()
    return apply_defects(data, defects) if with_defects else data


def main() -> None:
    data = build()
    write(WorkbookKind.SELF_EVAL, FILENAME, data)
    print_summary(data, DEFECTS)


if __name__ == "__main__":
    main()
