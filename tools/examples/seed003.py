"""Seed 003: 唐山高新区科技局 2021年部门整体绩效目标 + 预算项目绩效目标表 (部门预算 workbook).

The Tangshan variant (基本信息 文件样式 = 绩效目标): only the 部门整体绩效目标 (总体, 分项,
工作保障措施) and the project tables, with a quarterly cumulative spending plan. The seed
publishes no 收支/三公/采购/资产 figures, so those sheets stay empty.

Run: ``python -m tools.examples.seed003`` -> ``inputs/2021-唐山高新区科技局-部门预算.xlsx``.
"""

from __future__ import annotations

from generator.model.schema import WorkbookKind
from generator.render.workbook_template import WorkbookData

from .common import Builder, D, Fix, SeedDefect, apply_defects, illustrative, pct, print_summary, write

FILENAME = "2021-唐山高新区科技局-部门预算.xlsx"

P1 = "高新技术企业扶持资金"
P2 = "机器人产业扶持资金"
P3 = "创新券专家评审费"

HB = "河北省河北省"  # the duplicated province name the seed prints four times
DUP_HB = "“河北省”重复，应为《河北省省级科技创新券实施细则》"

P1_PURPOSE = (
    "2021年度计划100家申请高新技术企业,申请高企的企业补助5万元/家，通过高企申请的企业补助5万元/家，"
    "合计900万元；复审企业35家，每家补助10万元，合计350万元；引进高新技术企业11家，每家补助30万元，"
    "合计330万元，共计1580万。"
)
P2_PURPOSE = (
    "为推进机器人产业发展，根据唐山高新技术开发区科技局-唐山百川创新科技服务有限公司签订的场地租赁合同，"
    "以及减轻企业受疫情影响的有关要求，安排机器人产业扶持资金"
)
P3_PURPOSE_TMPL = (
    "按照《{hb}省级科技创新券实施细则》规定，每季度申请兑付一次。高级专业技术职称人员专家咨询费"
    "1500-2400元/人。每季度一次，一次七个专家，全年需资金4*7*2000元/人=5.6万元。"
)

MEASURES = (
    "完善制度建设。（包括制定完善预算绩效管理制度、资金管理办法、工作保障制度等，为全年预算绩效目标的实现"
    "奠定制度基础。）",
    "加强支出管理。（通过优化支出结构、编细编实预算、加快履行政府采购手续、尽快启动项目、及时支付资金、"
    "6月底前细化代编预算、按规定及时下达资金等多种措施，确保支出进度达标。）",
    "加强绩效运行监控。按要求开展绩效运行监控，发现问题及时采取措施，确保绩效目标如期保质实现。",
    "做好绩效自评。（按要求开展上年度部门预算绩效自评和重点评价工作，对评价中发现的问题及时整改，"
    "调整优化支出结构，提高财政资金使用效益。）",
    "规范财务资产管理。（完善财务管理制度，严格审批程序，加强固定资产登记、使用和报废处置管理，"
    "做到支出合理，物尽其用。）",
    "加强内部监督。（加强内部监督制度建设，对绩效运行情况、重大支出决策、对外投资、资产处置及其他重要经济"
    "业务事项的决策和执行进行督导，对会计资料进行内部审计，并配合做好审计、财政监督等外部监督工作，"
    "确保财政资金安全有效。）",
    "加强宣传培训调研等。加强人员培训，提高本部门职工业务素质；加强调研，提出优化财政资金配置、"
    "提高资金使用效益的意见{dup}；加大宣传力度，强化预算绩效管理意识，促进预算绩效管理水平进一步提升。",
)

# 时效/成本/效果/满意度 rows repeat in all three tables with the same defects.
TIMELY_PLACEHOLDER = "文字描述"
RATE_NO_UNIT = "≥90"


def _common_tail(
    b: Builder, project: str, effect: tuple[str, str, str], satisfaction_level1: object = "满意度指标"
) -> None:
    """The 质量/时效/成本/效果/满意度 rows shared by the three tables."""
    sheet = "绩效指标"
    b.row(
        sheet,
        project_name=project,
        level1="产出指标",
        level2="质量指标",
        level3="按照补贴标准下发资金",
        description="是否按照补贴标准下发资金",
        target="是",
        basis="文件要求",
    )
    b.row(
        sheet,
        project_name=project,
        level1="产出指标",
        level2="时效指标",
        level3="资金拨付是否及时",
        description="资金拨付是否及时",
        target=Fix(
            "及时",
            TIMELY_PLACEHOLDER,
            "指标值为模板占位文字，未填写实际指标值；按三级指标“资金拨付是否及时”改为“及时”",
        ),
        basis="工作经验",
    )
    b.row(
        sheet,
        project_name=project,
        level1="产出指标",
        level2="成本指标",
        level3="资金完成率",
        description="下发资金完成率",
        target=Fix("≥90%", RATE_NO_UNIT, "比率指标值缺少单位“%”"),
        basis="工作经验",
    )
    level3, description, target = effect
    b.row(
        sheet,
        project_name=project,
        level1=Fix("效益指标", "效果指标", "一级指标名称不规范，“效果指标”应为“效益指标”"),
        level2="社会效益指标",
        level3=level3,
        description=description,
        target=target,
        basis="工作经验",
    )
    b.row(
        sheet,
        project_name=project,
        level1=satisfaction_level1,
        level2="服务对象满意度指标",
        level3="被服务企业满意度",
        description="拨付资金企业满意度",
        target="≥90%",
        basis="工作经验",
    )


def _build() -> tuple[WorkbookData, list[SeedDefect]]:
    b = Builder(plan="quarter")

    b.form(
        "基本信息",
        dept_name="唐山高新区科技局",
        org_full_name=illustrative(
            "唐山高新技术产业开发区科学技术局",
            "原文未写单位全称（正文仅有“唐山高新技术开发区科技局”），按部门简称补全",
        ),
        unit_code=illustrative("000001", "原文未给出预算单位编码"),
        year=2021,
        style="绩效目标",
    )

    # ---- 部门整体绩效目标 ---------------------------------------------------------------
    t = "整体绩效目标"
    b.row(
        t,
        type="总体",
        name="科技创新项目支撑",
        goal="加强先进技术应用示范，提升企业转化成果、提升核心竞争力；完善技术转移服务体系，"
        "提高技术转移服务能力，加强技术市场管理，推动技术市场发展。",
    )
    b.row(
        t,
        type="总体",
        name="科技创新环境建设",
        goal="科技基础条件平台体系不断完善，创新企业培育和创新方法应用推广取得成效；服务政府决策能力增强，"
        "科技合作交流机制健全，科技信息服务能力不断增强。",
    )
    goal1 = "1.发挥财政资金引导作用，推动高新技术企业创新能力不断增强\n{n}加强园区建设，推动高新技术企业发展"
    b.row(
        t,
        type="分项",
        name="高新技术企业扶持资金项目",
        goal=Fix(
            goal1.format(n="2."),
            goal1.format(n="2、"),
            "同一列表序号格式不一致（“1.”与“2、”混用），统一为“2.”",
        ),
        indicators="1.2021年度高新技术企业新增15家以上\n2.2021年度企业研发资金占比比2020年度有所增加",
    )
    ind2 = "1.拨付企业数量1家\n2.2021年度高新技术企业新增15家以上"
    b.row(
        t,
        type="分项",
        name="机器人产业扶持资金",
        goal="1.增加一批具有较强影响力的双创平台和双创企业\n2.提高企业创新能力",
        indicators=Fix(ind2, "、\n" + ind2, "“绩效指标：”后多出标点“、”"),
    )
    ind3 = "1.按照《{hb}省级科技创新券实施细则》标准下发\n2.小微企业营业收入与基准年相比增加"
    b.row(
        t,
        type="分项",
        name="创新券专家评审费",
        goal="1.提高我区科技创新券认定规范\n2.提高对小微企业创业创新全方位服务支撑能力",
        indicators=Fix(ind3.format(hb="河北省"), ind3.format(hb=HB), DUP_HB),
    )

    for i, text in enumerate(MEASURES, start=1):
        if "{dup}" in text:
            b.row(
                "工作保障措施",
                no=i,
                text=Fix(
                    text.format(dup="建议"),
                    text.format(dup="意见"),
                    "“意见意见”重复，按通行表述改为“意见建议”",
                ),
            )
        else:
            b.row("工作保障措施", no=i, text=text)

    # ---- 项目 -----------------------------------------------------------------------------
    plan = {"plan_q1": pct("0"), "plan_q2": pct("0"), "plan_q3": pct("0"), "plan_q4": pct("100")}
    b.row(
        "项目",
        code=None,
        name=P1,
        budget=D("1580"),
        fiscal=D("1580"),
        other=D("0"),
        purpose=P1_PURPOSE,
        **plan,
        goals="发挥财政资金引导作用，推动高新技术企业创新能力不断增强\n加强科技园区建设，推动高新技术企业发展",
    )
    robot = illustrative(D("100"), "原文资金用途未写金额（按场地租赁合同安排），此为说明性金额")
    b.row(
        "项目",
        code=None,
        name=P2,
        budget=robot,
        fiscal=robot,
        other=D("0"),
        purpose=P2_PURPOSE,
        **plan,
        goals="增加一批具有较强影响力的双创平台和双创企业\n发挥财政资金引导作用，推动双创平台和双创企业不断增强",
    )
    b.row(
        "项目",
        code=None,
        name=P3,
        budget=D("5.6"),
        fiscal=D("5.6"),
        other=D("0"),
        purpose=Fix(P3_PURPOSE_TMPL.format(hb="河北省"), P3_PURPOSE_TMPL.format(hb=HB), DUP_HB),
        **plan,
        goals="提高我区科技创新券认定规范\n提高对小微企业创业创新全方位服务支撑能力",
    )

    # ---- 绩效指标 -------------------------------------------------------------------------
    s = "绩效指标"
    b.row(
        s,
        project_name=P1,
        level1="产出指标",
        level2="数量指标",
        level3="拨付高企数量",
        description="2021年度拨付高企数量",
        target=Fix("≥100家", "≥100", "数量指标值缺少计量单位，按三级指标“拨付高企数量”补“家”"),
        basis="文件要求",
    )
    _common_tail(b, P1, ("企业创新创业水平是否提升", "区内企业创新创业水平是否提升", "是"))

    b.row(
        s,
        project_name=P2,
        level1="产出指标",
        level2="数量指标",
        level3="专业性技术创新平台研发支撑作用",
        description="创新平台研发支撑作用是否有所提升",
        target="是",
        basis="工作经验",
    )
    _common_tail(b, P2, ("企业环境是否有所提升", "机器人产业企业环境是否有所提升", "是"))

    desc3 = "是否按照《{hb}省级科技创新券实施细则》标准下发"
    b.row(
        s,
        project_name=P3,
        level1="产出指标",
        level2="数量指标",
        level3="下发资金标准",
        description=Fix(desc3.format(hb="河北省"), desc3.format(hb=HB), DUP_HB),
        target="是",
        basis="文件要求",
    )
    _common_tail(
        b,
        P3,
        ("小微企业创业创新全方位服务支撑能力", "区内小微企业创业创新全方位服务支撑能力是否提高", "提高"),
        satisfaction_level1=Fix("满意度指标", "、满意度指标", "一级指标名称前多出标点“、”"),
    )
    return b.data, b.defects


DEFECTS: list[SeedDefect] = _build()[1]


def build(with_defects: bool = False) -> WorkbookData:
    """The seed as workbook data; ``with_defects`` puts the published originals back."""
    data, defects = _build()
    return apply_defects(data, defects) if with_defects else data


def main() -> None:
    data = build()
    write(WorkbookKind.BUDGET, FILENAME, data)
    print_summary(data, DEFECTS)


if __name__ == "__main__":
    main()
