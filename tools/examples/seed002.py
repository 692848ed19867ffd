"""Seed 002: 石家庄高新区科学技术局 2024年度整体支出绩效自评报告 (绩效自评 workbook).

The report publishes no indicator table, only the figures of section 三(二) and the verdict
"总得分100分 … 优秀". The 整体绩效指标 below are built from those figures; their targets are
illustrative (noted on each cell) and chosen so every one is met, which reproduces the
published 90 points for 产出/效益/满意度. 预算执行率 is 98.72 %, which the national rule scores
9.87; the report states 100 分 in total, so 基本信息 holds 执行率得分 = 10 as a noted override
with an illustrative 执行率评分理由 (a score the rule does not allow needs one; the documents
print the rule's 9.87, the typed 10 and the reason, and the tool's warning is expected).

Run: ``python -m tools.examples.seed002`` -> ``inputs/2024-科学技术局-绩效自评.xlsx``.
"""

from __future__ import annotations

from generator.model.schema import WorkbookKind
from generator.render.workbook_template import Noted, WorkbookData

from .common import Builder, D, Fix, SeedDefect, apply_defects, illustrative, write

FILENAME = "2024-科学技术局-绩效自评.xlsx"

PREAMBLE = (
    "贯彻落实市委市政府《关于全面落实预算绩效管理的实施意见》（石发{b}）文件精神，遵循“科学性、规范性、"
    "客观性和公正性”的原则，对科学技术局2024年整体支出情况实施了财政支出绩效自评价，形成本评价报告。"
)
BASIS = (
    "《石家庄高新区科技局关于印发预算绩效管理细则的通知》（石高科{b}）和"
    "《石家庄高新区科技局预算绩效管理细则》（2021修订版）"
)
BRACKETS = "文号年份应使用六角括号〔〕（GB/T 9704）"

OVERVIEW = (
    "我单位主要负责组织开展辖区内高新技术企业、科技型中小企业、科技创新平台、科技计划项目、科技成果转化、"
    "科技金融创新、组织协调防范和处置化解地方金融风险的工作。",
    "2024年我单位共安排项目32个，项目主要根据高新区制定的相关扶持政策进行安排。",
    "项目主要用于培育壮大科技企业、促进科技和金融创新、完善创新创业生态体系等。",
)

OVERALL_GOAL = (
    "2024年提高了技术市场管理水平，技术市场环境得到不断改善。高新技术企业和科技型中小企业培育，"
    "创新体系进一步完善，创新能力进一步提高，创新环境进一步优化，人才团队进一步壮大，创新创业服务机构对"
    "产业技术创新的支撑和服务能力进一步增强，园区产业聚集和示范作用进一步提升。科技金融创新，拓宽企业融资"
    "渠道，帮助企业解决融资问题，金融行业服务质量都有所提升，全区范围内开展非法集资宣传。保障科协对接工作"
    "顺利完成，各类科技工作综合管理谋划到位、开展有序，助推科技事业发展能力提升，保障机关工作正常运转。"
)
OVERALL_ACTUAL = (
    "提高了技术市场管理水平，继续完善了技术合同认定、登记和备案工作，加强业务及政策培训。推进科技型中小企业"
    "和高新技术企业发展，数量持续增长，创新能力增强。创新体系进一步完善，政策环境进一步优化，创新平台对产业"
    "技术创新的支撑和服务能力进一步增强；认真落实对科技企业孵化器、加速器、众创空间及创新型孵化器的扶持政策，"
    "促进孵化器健康发展。培养和储备一批上市后备企业，增强企业利用资本市场融资能力，创新发展多种科技金融产品，"
    "拓宽企业融资渠道，有效缓解区内企业融资难题。加强各类金融风险的防范和处置，有效防范系统性和区域性金融风险"
    "发生。保障科协对接工作顺利完成。各类科技管理工作谋划到位、开展有序，助推科技事业发展能力提升。"
)

# Section 三(二), one paragraph each; the names are short titles chosen for the example.
ITEMS = (
    (
        "科技企业培育",
        "2024年认定高新技术企业336家，占全市27%；认定科技型中小企业1881家（占全市14%）；其中，国家级898家"
        "（占全市21.6%）；积极落实研发投入后补助政策，争取省、市专项资金2786.974万元，惠及企业443家；"
        "研发投入强度在2024年度全国高新区综合评价单项排名第17位。",
    ),
    (
        "创新平台建设",
        "新建市级技术创新中心2家、产业技术研究院3家、重点实验室2家；市级以上各类创新平台达到318家，其中国家级"
        "21家（含全国重点实验室5家，占全市的100%）。",
    ),
    (
        "科技项目攻关",
        "围绕生物医药、电子信息、化工新材料等主导产业，鼓励各类创新主体承担或参与科技项目，协同攻克关键技术难题。"
        "2024年度获批省、市科技项目88项，争取项目专项资金4351万元，有力促进了企业创新发展。",
    ),
    (
        "技术市场与成果转化",
        "实现技术合同成交额达66.71亿元，占全市24.58%；引进、转化高校科研院所及京津等外地技术、成果62项。"
        "获市级引进国外智力项目立项16项。",
    ),
    (
        "科技金融与企业上市",
        "2024年，搭建的“一站式企业上市中介服务平台”入选省委深改办服务企业典型案例，无线传媒成功在创业板上市，"
        "成为年度内全市唯一新上市企业；轩竹生物在港交所递交上市申请；九易庄宸在河北证监局申请辅导。全区累计上市"
        "企业11家，全市占比33%、全省占比11%，居全省区县第一。优化“石家庄高新区企业创新积分信息平台”，为全区"
        "2700余家科技型企业绘制创新积分“精准画像”，区内企业已通过积分获得授信超10亿元；依托首贷续贷服务中心，"
        "打造“融易汇”银企对接品牌，常态化开展“1+2+N”银企对接活动，举办对接活动61场，对接融资5.88亿元；"
        "强化科技金融服务中心运营，获批科技部全国“科技金融创新服务中心培育机构”，采用“线上+线下”服务模式，"
        "累计服务企业9000余家。",
    ),
    (
        "防范化解金融风险",
        "建立“网格+警格+金融”三格预警监测体系，完成了覆盖全区的风险排查；全年开展宣传活动202场，其中防非短视频"
        "荣获省三等奖；3起存量案件均取得重大进展；开展地方金融组织规范整治专项行动，注销融资担保公司、典当行各1家，"
        "吊销融资担保公司1家，做到地方金融组织的提质减量。",
    ),
)

METHOD = (
    "评价过程中，评价小组各成员团结合作、相互配合、分工明确，掌握基础资料，了解项目整个实施环节和过程，"
    "对资料认真核查，对现场深入核实。\n"
    "自评采用业务处室填报，小组审核，小组组长审批的方式开展。由业务处室分别对各项指标进行打分，"
    "最终评价按综合得分计算。"
)
IMPROVEMENT = (
    "在今后的工作中,我局将严格按照新《中华人民共和国预算法》的要求，加大绩效管理工作力度，加强预算编制的"
    "科学性、合理性,以实现绩效目标为核心，严格项目执行进度，加大过程监控，提高财政资金的使用效益，保障财政"
    "资金发挥效用和安全。"
)

# name, post as published (line breaks and spaces of the PDF table joined)
PEOPLE = (
    ("曹风梅", "局长"),
    ("梁强梓", "副局长"),
    ("刘超", "副局长"),
    ("李玉飞", "科技创新科科长"),
    ("乔继明", "办公室主任"),
    ("宫策", "金融监管科科长"),
    ("纪博乐", "科技金融科副科长"),
    ("董瑞晗", "科技金融科副科长"),
)

_TARGET_NOTE = "报告未公布部门整体绩效指标表，年度指标值按第三部分（二）的实际完成数设定，均已完成"

# (一级, 二级, 三级, 指标值 (illustrative), 实际完成值 (published), 分值)
INDICATORS = (
    ("产出指标", "数量指标", "认定高新技术企业数量", "≥300家", "336家", 8),
    ("产出指标", "数量指标", "认定科技型中小企业数量", "≥1800家", "1881家", 8),
    ("产出指标", "数量指标", "市级以上各类创新平台数量", "≥300家", "318家", 6),
    ("产出指标", "数量指标", "获批省、市科技项目数量", "≥80项", "88项", 6),
    ("产出指标", "数量指标", "引进、转化技术成果数量", "≥60项", "62项", 6),
    ("产出指标", "数量指标", "开展防范非法集资宣传活动场次", "≥200场", "202场", 6),
    ("产出指标", "数量指标", "举办银企对接活动场次", "≥60场", "61场", 5),
    ("产出指标", "质量指标", "完成覆盖全区的金融风险排查", "是", "是", 5),
    ("效益指标", "经济效益指标", "技术合同成交额", "≥60亿元", "66.71亿元", 6),
    ("效益指标", "经济效益指标", "争取研发投入后补助省、市专项资金", "≥2500万元", "2786.974万元", 5),
    ("效益指标", "经济效益指标", "争取省、市科技项目专项资金", "≥4000万元", "4351万元", 5),
    ("效益指标", "经济效益指标", "银企对接融资额", "≥5亿元", "5.88亿元", 4),
    ("效益指标", "社会效益指标", "全区累计上市企业数量", "≥10家", "11家", 5),
    ("效益指标", "社会效益指标", "研发投入后补助惠及企业数量", "≥400家", "443家", 5),
)


def _build() -> tuple[WorkbookData, list[SeedDefect]]:
    b = Builder()
    b.form(
        "基本信息",
        dept_name="科学技术局",
        org_full_name="石家庄高新技术产业开发区科学技术局",
        year=2024,
        preamble=Fix(PREAMBLE.format(b="〔2019〕8号"), PREAMBLE.format(b="﹝2019﹞8号"), BRACKETS),
        fund_source_note="区本级财政和上级转移支付",
        project_count=32,
        attachment_no="附件4",
        exec_score=Noted(
            D("10"),
            (
                "人工评分：按国家规则预算执行率 98.72% 得 9.87 分；报告称“总得分100分”，"
                "即执行率按满分 10 分计，此处保留报告的评分（工具会提示超出规则，属预期）"
            ),
        ),
        exec_score_reason=illustrative(
            "未执行的256.9087万元为项目结余资金，已按规定收回财政，评价小组认定预算执行到位",
            "报告称总得分100分，未说明预算执行率98.72%为何按满分计；超出规则的人工得分须写明理由，此处为示意",
        ),
    )
    for i, text in enumerate(OVERVIEW, start=1):
        b.row("部门概况", no=i, text=text)
    b.row("收支情况", source="当年财政拨款", budget=D("20094.62746"), executed=D("19837.71876"))

    b.row("整体绩效目标", type="总体", name="总体绩效目标", goal=OVERALL_GOAL, actual=OVERALL_ACTUAL)
    for name, text in ITEMS:
        b.row("整体绩效目标", type="分项", name=name, actual=text)

    b.form(
        "自评组织",
        basis=Fix(BASIS.format(b="〔2019〕49号"), BASIS.format(b="[2019]49号"), BRACKETS),
        group="以曹风梅局长为组长，梁强梓、刘超、陈玉副局长为副组长，各处室负责人为成员的科技局绩效评价工作"
        "领导小组",
        method=METHOD,
    )

    for l1, l2, l3, target, actual, weight in INDICATORS:
        b.row(
            "整体绩效指标",
            level1=l1,
            level2=l2,
            level3=l3,
            target=illustrative(target, _TARGET_NOTE),
            actual=actual,
            weight=D(weight),
        )
    b.row(
        "整体绩效指标",
        level1="满意度指标",
        level2="服务对象满意度指标",
        level3="服务对象满意度",
        target=illustrative("≥90%", "报告未公布满意度指标"),
        actual=illustrative("95%", "报告未公布满意度调查结果；报告评定总得分100分，按已完成示意"),
        weight=D(10),
    )

    b.row("问题与改进", type="存在问题", text="无问题存在。")
    b.row("问题与改进", type="改进措施", text=IMPROVEMENT)

    for name, post in PEOPLE:
        b.row("评价工作组", name=name, org="科技局", post=post, title=None)
    return b.data, b.defects


DEFECTS: list[SeedDefect] = _build()[1]


def build(with_defects: bool = False) -> WorkbookData:
    """The seed as workbook data; ``with_defects`` puts the published originals back."""
    data, defects = _build()
    return apply_defects(data, defects) if with_defects else data


def main() -> None:
    data = build()
    write(WorkbookKind.SELF_EVAL, FILENAME, data)
    weights = sum(r["weight"] for r in data.tables["整体绩效指标"])  # type: ignore[misc]
    print(
        f"  整体绩效指标 {len(data.tables['整体绩效指标'])} 个（分值合计 {weights}），"
        f"评价工作组 {len(data.tables['评价工作组'])} 人，缺陷 {len(DEFECTS)} 处"
    )
    for d in DEFECTS:
        print(f"    {d.sheet}[{d.row}].{d.key}: {d.what}")


if __name__ == "__main__":
    main()
