"""The two input workbook kinds, declared once: sheets, columns, help texts, drop-downs.

Everything that knows the *layout* of a workbook reads this module: the blank-template writer
(``template_writer``), the reader (``reader``), the annotated copy and the docs. A column is found
by its header text (or an alias), never by its position, so users may reorder columns.

Two sheet shapes exist:

* ``FormSheet`` -- label / value pairs, one per row (column A label, column B value), for facts
  that occur once (部门名称, 预算年度 …).
* ``TableSheet`` -- a header row and one record per row. ``fixed_rows`` pre-fills the key column
  with the labels the tool expects (收支预算, 三公经费 …); the reader matches those rows by label.

Raw facts only: no column asks for a total, a rate, a share or a score the tool can compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from generator.model.outlines import DEFAULT_OUTLINE, OUTLINES


class Kind(Enum):
    """How a cell is parsed (see ``reader``)."""

    TEXT = "text"  # one line of text
    LONGTEXT = "longtext"  # may hold line breaks
    CODE = "code"  # identifiers typed as numbers stay text: 306001 -> "306001"
    MONEY = "money"  # Decimal, 万元
    NUMBER = "number"  # Decimal, not money (数量, 面积)
    PERCENT = "percent"  # Decimal fraction: 60%, 60, 0.6 -> 0.6
    INT = "int"
    YEAR = "year"
    INDICATOR = "indicator"  # 指标值, parsed into an IndicatorValue (docs/values.md)
    ACTUAL = "actual"  # 实际完成值, parsed the same way
    SCORE = "score"  # Decimal points (分值, 得分)


class WorkbookKind(Enum):
    """The two input workbook kinds; the value is the name users type on the command line."""

    BUDGET = "部门预算"
    SELF_EVAL = "绩效自评"


@dataclass(frozen=True)
class Column:
    """One column of a table sheet, or one field of a form sheet."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    required: bool = False
    help: str = ""
    example: str = ""
    choices: str | None = None  # name of a list in CHOICES
    aliases: tuple[str, ...] = ()
    width: int = 14  # in CJK-aware character units
    default: str | None = None  # value a blank cell means (documented in the help)

    @property
    def names(self) -> tuple[str, ...]:
        """Header text and aliases, as written."""
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class TableSheet:
    name: str
    columns: tuple[Column, ...]
    help: str
    aliases: tuple[str, ...] = ()
    fixed_rows: tuple[str, ...] = ()  # labels pre-filled in the first column
    required: bool = True
    # Alternative column groups: the workbook holds exactly one of them (e.g. month-end or
    # quarterly spending plans). Each group is a tuple of column keys.
    alternatives: tuple[tuple[str, ...], ...] = ()

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True)
class FormSheet:
    name: str
    fields: tuple[Column, ...]
    help: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def field(self, key: str) -> Column:
        for col in self.fields:
            if col.key == key:
                return col
        raise KeyError(key)


Sheet = TableSheet | FormSheet

FORM_LABEL_HEADER = "项目"
FORM_VALUE_HEADER = "内容"
FORM_HELP_HEADER = "填写说明"


# --------------------------------------------------------------------------------------------
# Drop-down lists
# --------------------------------------------------------------------------------------------

FUND_SOURCES = (
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
    "财政专户管理资金",
    "单位资金",
)

# 绩效自评 → 文件样式: the scope of the self-evaluation (DOMAIN.md §4). 整体: the department's
# form, every project's form and the reports; 项目: the projects' forms (and their short report)
# only, without the department sheets.
SELF_EVAL_DEPT_STYLE = "整体支出绩效自评"
SELF_EVAL_PROJECT_STYLE = "项目支出绩效自评"
SELF_EVAL_STYLES = (SELF_EVAL_DEPT_STYLE, SELF_EVAL_PROJECT_STYLE)

# The unit every amount of a workbook is typed in, and the unit its documents publish.
AMOUNT_UNITS = ("万元", "元")
DEFAULT_AMOUNT_UNIT = "万元"

CHOICES: dict[str, tuple[str, ...]] = {
    "单位性质": ("行政", "参公事业", "公益一类事业", "公益二类事业", "经营类事业", "其他"),
    "经费保障形式": ("财政拨款", "财政补助", "经费自理"),
    "资金来源": FUND_SOURCES,
    "收支": ("收入", "支出"),
    "目标类型": ("总体", "分项"),
    "采购类别": ("货物", "工程", "服务"),
    "问题类型": ("存在问题", "改进措施"),
    "文件样式": tuple(OUTLINES),
    "采购组织形式": ("政府集中采购", "部门集中采购", "分散采购"),
    "自评文件样式": SELF_EVAL_STYLES,
    "金额单位": AMOUNT_UNITS,
    # The indicator lists (LEVEL1_LIST, LEVEL2_LIST) are filled from indicator_tree at template
    # time (both presets).
    "一级指标": (),
    "二级指标": (),
}


# --------------------------------------------------------------------------------------------
# 部门预算 (budget disclosure input)
# --------------------------------------------------------------------------------------------

INCOME_ROWS = (
    "一般公共预算拨款",
    "政府性基金预算拨款",
    "国有资本经营预算拨款",
    "财政专户管理资金",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
    "上年结转",
)
SPENDING_ROWS = ("人员经费", "日常公用经费", "本级项目支出", "上年结转项目支出")
# The fixed rows by role, so code names them once (the labels are the workbook's, above).
GENERAL_INCOME, GOV_FUND_INCOME, CAPITAL_INCOME, SPECIAL_ACCOUNT_INCOME = INCOME_ROWS[:4]
UNIT_INCOME_ROWS = INCOME_ROWS[4:9]  # 单位资金: 上级补助, 事业, 经营, 附属单位上缴, 其他收入
CARRYOVER_INCOME = INCOME_ROWS[9]
PERSONNEL, PUBLIC, OWN_PROJECTS, CARRIED_PROJECTS = SPENDING_ROWS

THREE_PUBLIC_ROWS = ("因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费")
OVERSEAS, VEHICLE_PURCHASE, VEHICLE_RUNNING, RECEPTION = THREE_PUBLIC_ROWS

ASSET_ROWS = (
    "房屋（平方米）",
    "其中：办公用房（平方米）",
    "车辆（台、辆）",
    "单价在20万元以上的设备",
    "其他固定资产",
)

MONTH_PLAN = ("plan_m3", "plan_m6", "plan_m10", "plan_m12")
QUARTER_PLAN = ("plan_q1", "plan_q2", "plan_q3", "plan_q4")

_money = "按“基本信息”中的金额单位（默认万元）填写，只填数字；万元可保留到小数点后 6 位，元最多 2 位"


def _amount_unit_field() -> Column:
    return Column("amount_unit", "金额单位", choices="金额单位", default=DEFAULT_AMOUNT_UNIT, width=8,
                  help="本工作簿所有金额的单位：万元（默认）或元。生成的文件使用同一单位。"
                       "填错单位（如按元填写却选万元）会被校验发现", example="万元")

BUDGET_SHEETS: tuple[Sheet, ...] = (
    FormSheet(
        "基本信息",
        help="部门的基本事实，每行一项，在“内容”列填写。",
        fields=(
            Column("dept_name", "部门名称", required=True, help="文件标题使用的部门简称",
                   example="高新区科技局"),
            Column("org_full_name", "单位全称", required=True, help="部门（单位）全称",
                   example="石家庄高新技术产业开发区科学技术局"),
            Column("dept_code", "部门编码", Kind.CODE, help="主管部门编码", example="306"),
            Column("unit_code", "单位编码", Kind.CODE, required=True, help="预算单位编码",
                   example="306001"),
            Column("unit_name", "预算单位名称", help="项目绩效目标表表头的单位名称，空白时用单位全称+“本级”",
                   example="石家庄高新技术产业开发区科学技术局本级"),
            Column("year", "预算年度", Kind.YEAR, required=True, example="2021"),
            _amount_unit_field(),
            Column("region", "地区", help="省、市名称，用于选择功能分类科目表（部门收支总表列示的类）；"
                   "空白为全国通用科目表", example="河北省"),
            Column("style", "文件样式", choices="文件样式", default=DEFAULT_OUTLINE,
                   help="信息公开说明：九部分的部门预算信息公开情况说明（河北等地）；"
                        "信息公开说明（十部分）：部门主要职责、机构设置、收支增减、运行经费、三公、政府采购、"
                        "国有资产、重点项目绩效、其他、名词解释十部分（湖北、甘肃等地）；"
                        "绩效目标：只含部门整体绩效目标和项目绩效目标表（唐山样式）"),
            Column("unit_nature", "单位性质", choices="单位性质",
                   help="行政或参公事业单位公开“机关运行经费”，其他事业单位公开“事业运行经费”；"
                        "空白时取“机构设置”第一行的单位性质", example="行政"),
            Column("duty_basis", "职责依据", Kind.LONGTEXT,
                   help="部门职责前的引导句",
                   example="根据《…职能配置、内设机构和人员编制规定》，…的主要职责是："),
            Column("sub_units", "二级预算单位说明", Kind.LONGTEXT,
                   help="纳入部门预算编制范围的二级预算单位情况",
                   example="无二级预算单位纳入本部门年度部门预算编制范围。"),
            Column("carryover_note", "上年结转说明", help="上年结转资金的来源或用途",
                   example="为上级下达专款"),
            Column("main_projects", "本级项目主要内容", Kind.LONGTEXT,
                   help="空白时自动列出预算数最大的几个项目", example="生物医药产业发展专项支持资金、…"),
            Column("basic_change_reason", "基本支出增减原因", Kind.LONGTEXT,
                   example="金融监管职能及相关工作人员划入，增加了人员经费和日常公用经费"),
            Column("project_change_reason", "项目支出增减原因", Kind.LONGTEXT,
                   example="增加了鼓励企业研发经费投入补助资金"),
            Column("goods_note", "货物类采购说明", help="货物类采购主要内容", example="定点采购办公消耗用品及类似物品"),
            Column("works_note", "工程类采购说明", help="工程类采购主要内容", example=""),
            Column("services_note", "服务类采购说明", help="服务类采购主要内容", example="印刷服务 2 项，运营服务 2 项"),
            Column("purchase_previous", "上年政府采购预算", Kind.MONEY,
                   help="上年政府采购预算总额，用于与上年比较；空白则不比较。" + _money, example="250"),
            Column("service_purchase", "政府购买服务预算", Kind.MONEY,
                   help="本年政府购买服务预算（如本地要求公开）；空白则不写。" + _money, example="190"),
            Column("asset_purchase", "计划新购资产金额", Kind.MONEY, help=_money, example="2"),
            Column("asset_purchase_use", "计划新购资产用途", example="用于新增金融监管工作人员办公"),
            Column("contact_email", "联系人邮箱", help="发送文件时的默认收件人", example="kjj@example.gov.cn"),
        ),
    ),
    TableSheet(
        "部门职责",
        help="每行一条职责，按顺序排列；序号可不填。",
        columns=(
            Column("no", "序号", Kind.INT, width=6),
            Column("text", "职责内容", Kind.LONGTEXT, required=True, width=80,
                   example="负责高新技术企业的组织申报和科技型中小企业的认定工作。"),
        ),
    ),
    TableSheet(
        "机构设置",
        help="部门本级及所属预算单位，每行一个单位。",
        columns=(
            Column("name", "单位名称", required=True, width=36,
                   example="石家庄高新技术产业开发区科学技术局"),
            Column("nature", "单位性质", required=True, choices="单位性质", example="行政"),
            Column("rank", "单位规格", example="正科级"),
            Column("funding", "经费保障形式", choices="经费保障形式", example="财政拨款"),
        ),
    ),
    TableSheet(
        "收支预算",
        help="按收入来源和支出类别填写本年与上年预算数。合计、增减额和增减率由工具计算，不要填写。",
        fixed_rows=INCOME_ROWS + SPENDING_ROWS,
        columns=(
            Column("side", "收支", choices="收支", required=True, width=8),
            Column("item", "项目", required=True, width=22),
            Column("current", "本年预算数", Kind.MONEY, help=_money, example="44419"),
            Column("previous", "上年预算数", Kind.MONEY,
                   help="空白则不与上年比较（文件写“上年无可比数据”），上年为零请填 0；" + _money, example="40392.79"),
            Column("note", "说明", Kind.LONGTEXT, width=40, help="该项的来源或用途说明（可不填）",
                   example="为上级下达专款"),
        ),
    ),
    TableSheet(
        "功能分类支出",
        help="按支出功能分类科目（项级，7 位编码）填写本年支出，合计由工具计算。",
        columns=(
            Column("code", "科目编码", Kind.CODE, required=True, width=10, example="2060101"),
            Column("name", "科目名称", required=True, width=24, example="行政运行"),
            Column("fund", "资金来源", choices="资金来源", default="一般公共预算",
                   help="空白表示一般公共预算", width=16),
            Column("personnel", "人员经费", Kind.MONEY, help=_money, example="663.2"),
            Column("public", "公用经费", Kind.MONEY, help=_money, example="31.97"),
            Column("project", "项目支出", Kind.MONEY, help=_money, example="43723.83"),
        ),
    ),
    TableSheet(
        "经济分类支出",
        help="基本支出按部门预算支出经济分类科目（款级，5 位编码）填写。",
        aliases=("经济分类基本支出",),
        columns=(
            Column("code", "科目编码", Kind.CODE, required=True, width=10, example="30101"),
            Column("name", "科目名称", required=True, width=24, example="基本工资"),
            Column("fund", "资金来源", choices="资金来源", default="一般公共预算", width=16),
            Column("amount", "金额", Kind.MONEY, required=True, help=_money, example="120.5"),
        ),
    ),
    FormSheet(
        "机关运行经费",
        help="机关运行经费（行政、参公单位）或事业运行经费（事业单位）：本年、上年预算数，"
             "可按基本支出和项目支出分列。",
        aliases=("事业运行经费", "运行经费"),
        fields=(
            Column("current", "本年预算数", Kind.MONEY, help=_money, example="31.97"),
            Column("previous", "上年预算数", Kind.MONEY, help="空白则不与上年比较；" + _money, example="25.6"),
            Column("basic", "其中：基本支出", Kind.MONEY, help="本年预算数中基本支出的部分（可不填）；" + _money,
                   aliases=("其中基本支出", "基本支出")),
            Column("project", "其中：项目支出", Kind.MONEY, help="本年预算数中项目支出的部分（可不填）；" + _money,
                   aliases=("其中项目支出", "项目支出")),
            Column("use", "主要用途", example="日常办公、工会会费、公务交通及通讯补贴"),
            Column("reason", "增减原因", example="人员增加"),
        ),
    ),
    TableSheet(
        "三公经费",
        help="财政拨款“三公”经费，按项目填写本年与上年预算数；合计与公务用车小计由工具计算。",
        fixed_rows=THREE_PUBLIC_ROWS,
        columns=(
            Column("item", "项目", required=True, width=22),
            Column("current", "本年预算数", Kind.MONEY, help="没有该项经费请填 0；" + _money, example="2"),
            Column("previous", "上年预算数", Kind.MONEY, help="空白则不与上年比较，上年为零请填 0；" + _money,
                   example="2"),
            Column("note", "说明", Kind.LONGTEXT, width=30),
        ),
    ),
    TableSheet(
        "整体绩效目标",
        help="部门整体绩效目标：“总体”行为总体目标（可多段），“分项”行每行一个分项目标。",
        columns=(
            Column("type", "类型", required=True, choices="目标类型", width=8, example="分项"),
            Column("name", "名称", width=24, example="加强技术市场管理"),
            Column("goal", "绩效目标", Kind.LONGTEXT, required=True, width=60,
                   example="不断提高技术市场管理水平……"),
            Column("indicators", "绩效指标", Kind.LONGTEXT, width=60,
                   example="组织企业培训 1 次，规模 100 人……"),
        ),
    ),
    TableSheet(
        "工作保障措施",
        help="每行一条保障措施。",
        columns=(
            Column("no", "序号", Kind.INT, width=6),
            Column("text", "措施", Kind.LONGTEXT, required=True, width=80,
                   example="加大科技企业培育力度。……"),
        ),
    ),
    TableSheet(
        "项目",
        help=(
            "每行一个预算项目。资金支出计划填累计百分比：月末列（3月底/6月底/10月底/12月底）"
            "或季度列（第一季度…第四季度）二选一。预算数可不填（等于财政资金+其他资金）。"
        ),
        alternatives=(MONTH_PLAN, QUARTER_PLAN),
        columns=(
            Column("code", "项目编码", Kind.CODE, width=22, help="预算系统中的项目编码；没有编码时可不填",
                   example="1301902101PDD8ZPY4KBQ"),
            Column("name", "项目名称", required=True, width=28, example="科技保险保费补贴"),
            Column("budget", "预算数", Kind.MONEY, help="空白时等于财政资金+其他资金；" + _money,
                   example="42.4"),
            Column("fiscal", "财政资金", Kind.MONEY, required=True, help=_money, example="42.4"),
            Column("other", "其他资金", Kind.MONEY, help=_money, example="0"),
            Column("purpose", "资金用途", Kind.LONGTEXT, required=True, width=50,
                   help="依据和用途；“以上专项经费共计…”一句由工具根据支出计划生成",
                   example="依据《…》，对科技型企业投保给予保费支持。"),
            Column("plan_m3", "3月底", Kind.PERCENT, help="截至3月底累计支出比例", example="0%", width=8),
            Column("plan_m6", "6月底", Kind.PERCENT, help="截至6月底累计支出比例", example="60%", width=8),
            Column("plan_m10", "10月底", Kind.PERCENT, help="截至10月底累计支出比例", example="60%", width=8),
            Column("plan_m12", "12月底", Kind.PERCENT, help="截至12月底累计支出比例", example="100%", width=8),
            Column("plan_q1", "第一季度", Kind.PERCENT, help="截至第一季度末累计支出比例", example="25%", width=8),
            Column("plan_q2", "第二季度", Kind.PERCENT, help="截至第二季度末累计支出比例", example="50%", width=8),
            Column("plan_q3", "第三季度", Kind.PERCENT, help="截至第三季度末累计支出比例", example="75%", width=8),
            Column("plan_q4", "第四季度", Kind.PERCENT, help="截至第四季度末累计支出比例", example="100%", width=8),
            Column("goals", "绩效目标", Kind.LONGTEXT, required=True, width=50,
                   help="每行一条目标，序号可不写", example="通过政策引导，推广科技保险产品"),
            Column("area", "所属领域", width=14, help="自评报告按领域分组（可不填）", example="科技金融"),
        ),
    ),
    TableSheet(
        "绩效指标",
        help="每行一个三级指标；同一项目的指标连续排列。一级/二级指标从下拉列表选择。",
        columns=(
            Column("project_code", "项目编码", Kind.CODE, width=22,
                   help="与“项目”表的项目编码一致；项目没有编码时可不填", example="1301902101PDD8ZPY4KBQ"),
            Column("project_name", "项目名称", required=True, width=24,
                   help="与“项目”表的项目名称一致", example="科技保险保费补贴"),
            Column("level1", "一级指标", required=True, choices="一级指标", example="产出指标"),
            Column("level2", "二级指标", required=True, choices="二级指标", example="数量指标"),
            Column("level3", "三级指标", required=True, width=24, example="完成科技保险单数"),
            Column("description", "绩效指标描述", Kind.LONGTEXT, width=30, example="投保科技保险单数"),
            Column("target", "指标值", Kind.INDICATOR, required=True, width=14,
                   help="如 ≥30单、≤180天、≥90%、12月底前、显著提高", example="≥30单"),
            Column("basis", "指标值确定依据", Kind.LONGTEXT, width=36,
                   example="《石家庄高新区科技保险创新试点工作方案》"),
        ),
    ),
    TableSheet(
        "政府采购",
        help="每行一个采购品目；采购金额＝数量×单价，由工具计算。",
        columns=(
            Column("project", "项目名称", required=True, width=26, help="资金来源项目（公用经费或项目名称）",
                   example="科技金融服务平台运营服务"),
            Column("project_budget", "预算资金", Kind.MONEY, help="来源项目的预算资金；" + _money, example="150"),
            Column("item", "采购物品名称", required=True, width=24, example="平台运营服务"),
            Column("catalog_code", "政府采购目录序号", Kind.CODE, width=14, example="C020702",
                   help="A 开头为货物、B 为工程、C 为服务"),
            Column("category", "采购类别", required=True, choices="采购类别", width=10, example="服务"),
            Column("unit", "计量单位", width=8, example="年"),
            Column("quantity", "数量", Kind.NUMBER, required=True, width=8, example="1"),
            Column("price", "单价", Kind.MONEY, required=True, help=_money, width=10, example="150"),
            Column("fund", "资金来源", choices="资金来源", default="一般公共预算", width=16),
            Column("method", "组织形式", choices="采购组织形式", width=14,
                   help="政府集中采购、部门集中采购或分散采购；全部填写时文件按组织形式分列金额和占比"),
        ),
        required=False,
    ),
    TableSheet(
        "国有资产",
        help="国有资产占用情况（截至上年末）。资产总额由工具计算。",
        fixed_rows=ASSET_ROWS,
        columns=(
            Column("item", "项目", required=True, width=26),
            Column("quantity", "数量", Kind.NUMBER, width=10, example="576"),
            Column("value", "价值", Kind.MONEY, help=_money, example="111.91"),
        ),
        required=False,
    ),
    TableSheet(
        "资产构成",
        help="固定资产按资产类别的金额（截至上年末），用于说明文字。",
        columns=(
            Column("category", "资产类别", required=True, width=20, example="通用设备"),
            Column("value", "金额", Kind.MONEY, required=True, help=_money, example="71.36"),
        ),
        required=False,
    ),
    TableSheet(
        "名词解释",
        help="已预填标准解释，可增删修改。",
        columns=(
            Column("no", "序号", Kind.INT, width=6),
            Column("term", "名词", required=True, width=16, example="基本支出"),
            Column("text", "解释", Kind.LONGTEXT, required=True, width=70,
                   example="指为保障机构正常运转、完成日常工作而发生的人员和公用支出。"),
        ),
        required=False,
    ),
    TableSheet(
        "其他说明",
        help="其他需要说明的事项，每行一条。空表列示的说明由工具自动生成。",
        columns=(
            Column("no", "序号", Kind.INT, width=6),
            Column("text", "内容", Kind.LONGTEXT, required=True, width=80),
        ),
        required=False,
    ),
)

STANDARD_TERMS: tuple[tuple[str, str], ...] = (
    ("财政拨款收入", "是指财政部门核拨给单位的财政预算资金。"),
    ("其他收入", "是指除财政补助收入、上级补助收入、拨入专款、事业收入等以外的各项收入。"),
    ("基本支出", "指为保障机构正常运转、完成日常工作而发生的人员和公用支出。"),
    ("项目支出", "指基本支出外为完成任务和目标所发生的支出。"),
    ("机关运行费", "行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。"),
    ("“三公”经费", "指因公出国（境）费用、公务接待费、公务用车费用。"),
    ("上年结转", "指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。"),
)


# --------------------------------------------------------------------------------------------
# 绩效自评 (self-evaluation input)
# --------------------------------------------------------------------------------------------

EVAL_FUND_ROWS = ("当年财政拨款", "上年结转资金", "其他资金")
_SCORE_REASON_HELP = "人工得分与规则得分不同时必填：为什么不按规则计分（自评表和报告同时列出规则得分、人工得分和理由）"

_indicator_eval_columns = (
    Column("level1", "一级指标", required=True, choices="一级指标", example="产出指标"),
    Column("level2", "二级指标", required=True, choices="二级指标", example="数量指标"),
    Column("level3", "三级指标", required=True, width=24, example="补贴企业个数"),
    Column("target", "年度指标值", Kind.INDICATOR, required=True, width=14, aliases=("指标值",),
           example="≥20家"),
    Column("actual", "实际完成值", Kind.ACTUAL, width=16,
           help="数字带单位（如 32家、27205.9万元、95%）、完成月份（如 7月），或 达成年度指标 / "
                "部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差",
           example="32家"),
    Column("weight", "分值", Kind.SCORE, required=True, width=8, example="10"),
    Column("score", "得分", Kind.SCORE, width=8,
           help="留空由工具按规则计算；填写则作为人工评分：超出规则允许范围时须在“评分理由”说明理由"),
    Column("reason", "偏差原因分析及改进措施", Kind.LONGTEXT, width=36,
           help="未完成或大幅超额完成时必填"),
    Column("basis", "指标值确定依据", Kind.LONGTEXT, width=30, help="从预算表带入，可不填"),
    Column("description", "绩效指标描述", Kind.LONGTEXT, width=30,
           help="从预算表带入，可不填；同名指标靠它区分（如省级/市级补助标准）"),
    Column("score_reason", "评分理由", Kind.LONGTEXT, width=30,
           help=_SCORE_REASON_HELP,
           example="资金下达晚于目标1个月，系上级文件延期下达所致，评价小组认定得8分"),
)

_PART_HELP = "全年预算数/执行数中的{}部分；空白表示 0（全部为当年财政拨款）"

SELF_EVAL_SHEETS: tuple[Sheet, ...] = (
    FormSheet(
        "基本信息",
        help="评价部门和年度等基本事实。",
        fields=(
            Column("dept_name", "部门名称", required=True, example="科学技术局"),
            Column("org_full_name", "单位全称", example="石家庄高新技术产业开发区科学技术局"),
            Column("year", "评价年度", Kind.YEAR, required=True, example="2024"),
            _amount_unit_field(),
            Column("style", "文件样式", choices="自评文件样式", default=SELF_EVAL_DEPT_STYLE,
                   help="整体支出绩效自评：部门整体支出绩效自评表、各项目支出绩效自评表和自评报告（需填写部门各表）；"
                        "项目支出绩效自评：只生成各项目的项目支出绩效自评表和项目自评报告，部门各表可不填"),
            Column("supervisor", "主管部门", example="石家庄高新技术产业开发区管理委员会",
                   help="自评表的主管部门；各项目可在“项目”表单独填写，空白时用单位全称"),
            Column("self_name", "自称", help="报告中部门的自称；空白时按部门名称推断（…局→我局，…委→我委），"
                   "推断不出时为“我单位”", example="我局"),
            Column("preamble", "报告开头", Kind.LONGTEXT,
                   help="报告正文第一段（评价依据与原则）",
                   example="贯彻落实……文件精神，……形成本评价报告。"),
            Column("fund_source_note", "资金来源说明", example="区本级财政和上级转移支付"),
            Column("project_count", "项目个数", Kind.INT,
                   help="当年安排的项目个数；空白时按“项目”表行数计算", example="32"),
            Column("attachment_no", "附件序号", help="报告左上角的附件编号（可不填）", example="附件4"),
            Column("exec_weight", "执行率分值", Kind.SCORE, default="10",
                   help="部门整体自评表中预算执行率的分值，空白为 10 分"),
            Column("exec_score", "执行率得分", Kind.SCORE,
                   help="部门整体预算执行率得分，留空由工具按执行率计算；填写则作为人工评分，"
                        "与规则得分不同时须填写“执行率评分理由”"),
            Column("exec_score_reason", "执行率评分理由", Kind.LONGTEXT, help=_SCORE_REASON_HELP),
            Column("contact_email", "联系人邮箱", example="kjj@example.gov.cn"),
        ),
    ),
    TableSheet(
        "部门概况",
        help="部门职能、项目安排等概况，每行一段（可不填：不填时报告不列“部门概况”）。",
        columns=(
            Column("no", "序号", Kind.INT, width=6),
            Column("text", "内容", Kind.LONGTEXT, required=True, width=80),
        ),
    ),
    TableSheet(
        "收支情况",
        help="部门整体资金，按来源填写年初预算数、全年预算数（调整后）和全年执行数；没有的来源整行留空。"
             "年度资金总额和执行率由工具计算。整体支出绩效自评必填。",
        fixed_rows=EVAL_FUND_ROWS,
        columns=(
            Column("source", "资金来源", required=True, width=16),
            Column("initial", "年初预算数", Kind.MONEY, help=_money),
            Column("budget", "全年预算数", Kind.MONEY, help=_money, example="20094.62746"),
            Column("executed", "全年执行数", Kind.MONEY, help=_money, example="19837.71876"),
        ),
    ),
    TableSheet(
        "整体绩效目标",
        help="“总体”行：年度总体目标及实际完成情况；“分项”行：各分项目标的完成情况。整体支出绩效自评必填。",
        columns=(
            Column("type", "类型", required=True, choices="目标类型", width=8),
            Column("name", "名称", width=24),
            Column("goal", "年度目标", Kind.LONGTEXT, width=50),
            Column("actual", "实际完成情况", Kind.LONGTEXT, required=True, width=60),
        ),
    ),
    FormSheet(
        "自评组织",
        help="自评工作的依据、组织和方法。整体支出绩效自评必填。",
        fields=(
            Column("basis", "依据文件", Kind.LONGTEXT, required=True,
                   example="《……预算绩效管理细则》（石高科[2019]49号）"),
            Column("group", "领导小组", Kind.LONGTEXT, required=True,
                   example="以××局长为组长，……为成员的绩效评价工作领导小组"),
            Column("method", "方法过程", Kind.LONGTEXT, required=True,
                   example="自评采用业务处室填报、小组审核、组长审批的方式开展。"),
        ),
    ),
    TableSheet(
        "项目",
        help="每行一个项目的预算与执行。年度资金总额按来源拆分（当年财政拨款 = 总额 − 上年结转 − 其他资金），"
             "执行率、得分由工具计算。项目支出绩效自评必填。",
        columns=(
            Column("code", "项目编码", Kind.CODE, width=22),
            Column("name", "项目名称", required=True, width=28),
            Column("area", "所属领域", width=14, example="科技金融"),
            Column("unit", "实施单位", width=20, help="空白时用基本信息的部门名称"),
            Column("initial", "年初预算数", Kind.MONEY, help=_money + "（年度资金总额）"),
            Column("budget", "全年预算数", Kind.MONEY, required=True, help=_money + "（年度资金总额）",
                   example="80.28"),
            Column("executed", "全年执行数", Kind.MONEY, required=True, help=_money + "（年度资金总额）",
                   example="60.36"),
            Column("carry_budget", "其中上年结转预算数", Kind.MONEY, default="0",
                   help=_PART_HELP.format("上年结转资金")),
            Column("carry_executed", "其中上年结转执行数", Kind.MONEY, default="0"),
            Column("other_budget", "其中其他资金预算数", Kind.MONEY, default="0",
                   help=_PART_HELP.format("其他资金")),
            Column("other_executed", "其中其他资金执行数", Kind.MONEY, default="0"),
            Column("goal", "年度总体目标", Kind.LONGTEXT, width=40),
            Column("result", "实际完成情况", Kind.LONGTEXT, width=40),
            Column("exec_weight", "执行率分值", Kind.SCORE, default="10", help="空白为 10 分"),
            Column("exec_score", "执行率得分", Kind.SCORE,
                   help="留空由工具计算；填写则作为人工评分，与规则得分不同时须填写“执行率评分理由”"),
            Column("summary", "补充说明", Kind.LONGTEXT, width=40, help="报告中该项目段落末尾的补充文字"),
            Column("supervisor", "主管部门", width=20, help="空白时用基本信息的主管部门"),
            Column("carry_initial", "其中上年结转年初预算数", Kind.MONEY, default="0",
                   help="年初预算数中的上年结转资金部分；空白表示 0"),
            Column("other_initial", "其中其他资金年初预算数", Kind.MONEY, default="0",
                   help="年初预算数中的其他资金部分；空白表示 0"),
            Column("exec_score_reason", "执行率评分理由", Kind.LONGTEXT, width=30, help=_SCORE_REASON_HELP),
        ),
        required=False,
    ),
    TableSheet(
        "绩效指标",
        help="项目绩效指标：年度指标值（从预算带入）、实际完成值、分值。得分留空由工具计算。",
        columns=(
            Column("project_code", "项目编码", Kind.CODE, width=22),
            Column("project_name", "项目名称", required=True, width=24),
            *_indicator_eval_columns,
        ),
        required=False,
    ),
    TableSheet(
        "整体绩效指标",
        help="部门整体绩效指标（部门整体支出绩效自评表），可不填。",
        columns=_indicator_eval_columns,
        required=False,
    ),
    TableSheet(
        "问题与改进",
        help="存在的问题与改进措施，每行一条。整体支出绩效自评两类都必填（没有问题时写明，如“无问题存在。”）。",
        columns=(
            Column("type", "类型", required=True, choices="问题类型", width=10),
            Column("text", "内容", Kind.LONGTEXT, required=True, width=80),
        ),
    ),
    TableSheet(
        "评价工作组",
        help="评价工作组人员名单（可不填：不填时报告不列名单和签字表）。",
        columns=(
            Column("name", "姓名", required=True, width=10),
            Column("org", "工作单位", width=16),
            Column("post", "职务", width=16),
            Column("title", "职称", width=12),
        ),
    ),
)

# Wording `template 绩效自评 --from` pre-fills for the user to adjust (自评组织 field -> text;
# {org} is the department's full name). Marked with a comment in the workbook; `check` lists
# those left unchanged as 提示.
SELF_EVAL_PREFILLED: dict[str, str] = {
    "basis": "《项目支出绩效评价管理办法》（财预〔2020〕10号）",
    "group": "以{org}主要负责人为组长、各处室负责人为成员的绩效评价工作领导小组",
    "method": "自评采用业务处室填报、评价小组审核、组长审批的方式开展，由业务处室对各项指标逐项打分，"
              "最终评价按综合得分计算。",
}
PREFILLED_NOTE = "预填内容，请按本部门实际情况修改（未修改时校验会提示）"

# The sheets only a department-wide self-evaluation needs: a 项目支出绩效自评 workbook may leave
# them out (or empty). Required-and-empty is checked by validate/selfeval.py per 文件样式.
SELF_EVAL_DEPT_SHEETS = ("部门概况", "收支情况", "整体绩效目标", "自评组织", "整体绩效指标", "问题与改进",
                         "评价工作组")

class BudgetSheets:
    """The 部门预算 sheet names, for code that fills or reads workbooks by name."""

    (INFO, DUTIES, INSTITUTIONS, MONEY, FUNCTIONS, ECONOMICS, OPERATING, THREE_PUBLIC, GOALS, MEASURES,
     PROJECTS, INDICATORS, PURCHASES, ASSETS, ASSET_CLASSES, TERMS, NOTES) = (s.name for s in BUDGET_SHEETS)


class SelfEvalSheets:
    """The 绩效自评 sheet names, for code that fills or reads workbooks by name."""

    (INFO, OVERVIEW, FUNDS, GOALS, ORGANISATION, PROJECTS, INDICATORS, DEPT_INDICATORS, PROBLEMS,
     EVALUATORS) = (s.name for s in SELF_EVAL_SHEETS)


# The drop-down lists of indicator levels (filled from the indicator tree presets).
LEVEL1_LIST, LEVEL2_LIST = "一级指标", "二级指标"


SHEETS: dict[WorkbookKind, tuple[Sheet, ...]] = {
    WorkbookKind.BUDGET: BUDGET_SHEETS,
    WorkbookKind.SELF_EVAL: SELF_EVAL_SHEETS,
}

# The marker cell that tells a workbook's kind without guessing: 填表说明!A1 holds the title.
KIND_TITLES: dict[WorkbookKind, str] = {
    WorkbookKind.BUDGET: "部门预算信息公开 填报工作簿",
    WorkbookKind.SELF_EVAL: "整体支出绩效自评 填报工作簿",
}
INSTRUCTIONS_SHEET = "填表说明"
LISTS_SHEET = "_lists"
RESULTS_SHEET = "校验结果"
