"""The domain model: what a filled workbook says, as typed Python objects.

Only raw facts live here; every derived figure (totals, 增减, rates, shares, scores) is computed
in ``compute`` / ``scoring``. Each object remembers where it came from (``Source``), so a finding
about it can point at the cell.

Glossary (Chinese term → identifier)
------------------------------------
部门预算 BudgetWorkbook · 绩效自评 SelfEvalWorkbook · 部门名称 dept_name · 单位全称 org_full_name ·
金额单位 amount_unit (万元 / 元) ·
单位编码 unit_code · 预算年度/评价年度 year · 部门职责 duties · 机构设置 institutions ·
收入 income · 支出 spending · 本年 current · 上年 previous · 上年结转 carryover ·
基本支出 basic spending = 人员经费 personnel + 日常公用经费 public (公用经费) ·
项目支出 project spending = 本级 own + 上年结转 carryover ·
功能分类 functional classification (类/款/项 = class/section/item) FunctionLine ·
经济分类 economic classification EconomicLine · 机关运行经费 OperatingCost ·
事业运行经费 (事业单位) also OperatingCost · 单位性质 unit_nature ·
组织形式 method (政府集中采购 / 部门集中采购 / 分散采购) · 政府购买服务 service_purchase ·
"三公"经费 three public expenses ThreePublic (因公出国（境）费 overseas trips, 公务用车购置费
vehicle purchase, 公务用车运行费 vehicle running, 公务接待费 reception) ·
整体绩效目标 department goals DeptGoal (总体 overall / 分项 sub-goal) · 工作保障措施 measures ·
项目 Project · 项目编码 code · 预算数 budget · 财政资金 fiscal · 其他资金 other · 资金用途 purpose ·
资金支出计划 spending plan (cumulative) · 绩效目标 goals · 绩效指标 Indicator ·
一级/二级/三级指标 level1/level2/level3 · 绩效指标描述 description · 指标值 target ·
指标值确定依据 basis · 政府采购 Purchase (货物/工程/服务 goods/works/services) ·
国有资产 AssetRow · 资产构成 AssetClass · 名词解释 Term · 其他说明 notes ·
年初预算数 initial · 全年预算数 budget · 全年执行数 executed · 执行率 execution rate ·
实际完成值 actual · 分值 weight · 得分 score · 偏差原因分析及改进措施 reason ·
存在问题 problems · 改进措施 improvements · 评价工作组 evaluators · 文件样式 style ·
主管部门 supervisor · 实施单位 unit · 自称 self_name · 评分理由 score_reason (why a hand-typed 得分
differs from the rule's)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from generator.model.catalog import Catalog
from generator.model.values import IndicatorValue

ZERO = Decimal(0)


@dataclass(frozen=True)
class Source:
    """Where a fact was read: sheet name and A1 cell (row/column of the workbook)."""

    sheet: str
    cell: str = ""
    header: str = ""


@dataclass
class Institution:
    name: str
    nature: str
    rank: str
    funding: str


@dataclass
class Amounts:
    """A this-year / last-year pair of amounts (in the workbook's 金额单位); None = left blank."""

    current: Decimal | None = None
    previous: Decimal | None = None
    note: str = ""
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings


@dataclass
class OperatingCost(Amounts):
    """机关运行经费 (行政、参公) or 事业运行经费 (事业单位), with its 基本/项目 split when given."""

    basic: Decimal | None = None
    project: Decimal | None = None
    reason: str = ""


@dataclass
class FunctionLine:
    code: str
    name: str
    fund: str
    personnel: Decimal
    public: Decimal
    project: Decimal
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings

    @property
    def total(self) -> Decimal:
        return self.personnel + self.public + self.project


@dataclass
class EconomicLine:
    code: str
    name: str
    fund: str
    amount: Decimal
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings


@dataclass
class DeptGoal:
    type: str  # 总体 / 分项
    name: str
    goal: str
    indicators: str = ""  # budget: 绩效指标 text
    actual: str = ""  # self-evaluation: 实际完成情况
    source: Source | None = None


@dataclass
class Indicator:
    project_code: str
    project_name: str
    level1: str
    level2: str
    level3: str
    description: str
    target: IndicatorValue
    basis: str = ""
    # self-evaluation only
    actual: IndicatorValue | None = None
    weight: Decimal | None = None
    user_score: Decimal | None = None
    reason: str = ""
    score_reason: str = ""  # why a hand-typed 得分 differs from the rule's (评分理由)
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings


@dataclass
class Project:
    code: str
    name: str
    fiscal: Decimal
    other: Decimal | None
    purpose: str
    plan: dict[str, Decimal | None]  # ordered label -> cumulative fraction ("3月底" / "第一季度")
    goals: list[str]
    area: str = ""
    typed_budget: Decimal | None = None  # 预算数 as typed (checked against fiscal + other)
    indicators: list[Indicator] = field(default_factory=list)
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings

    @property
    def budget(self) -> Decimal:
        """预算数 = 财政资金 + 其他资金 (the typed figure is only checked, never trusted)."""
        return self.fiscal + (self.other or ZERO)


@dataclass
class Purchase:
    project: str
    project_budget: Decimal | None
    item: str
    catalog_code: str
    category: str  # 货物 / 工程 / 服务
    unit: str
    quantity: Decimal
    price: Decimal
    fund: str
    method: str = ""  # 组织形式: 政府集中采购 / 部门集中采购 / 分散采购 ("" = not given)
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.price


@dataclass
class AssetRow:
    item: str
    quantity: Decimal | None
    value: Decimal | None  # 价值; None = left blank
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings


@dataclass
class AssetClass:
    category: str
    value: Decimal
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings


@dataclass
class Term:
    term: str
    text: str


@dataclass
class BudgetInfo:
    dept_name: str
    org_full_name: str
    dept_code: str
    unit_code: str
    unit_name: str
    year: int
    amount_unit: str = "万元"  # 金额单位 of every amount (and of the published documents): 万元 / 元
    style: str = "信息公开说明"
    unit_nature: str = ""  # 单位性质 (行政 / 参公事业 / …事业): 机关 or 事业 运行经费
    region: str = ""  # 地区 (省/市): chooses the 功能分类 catalogue variant; blank = national
    duty_basis: str = ""
    sub_units: str = ""
    carryover_note: str = ""
    main_projects: str = ""
    basic_change_reason: str = ""
    project_change_reason: str = ""
    goods_note: str = ""
    works_note: str = ""
    services_note: str = ""
    purchase_previous: Decimal | None = None  # 上年政府采购预算
    service_purchase: Decimal | None = None  # 政府购买服务预算
    asset_purchase: Decimal | None = None
    asset_purchase_use: str = ""
    contact_email: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # field key -> A1 ref, for findings


@dataclass
class BudgetWorkbook:
    """Everything a 部门预算 workbook says."""

    info: BudgetInfo
    duties: list[str] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    income: dict[str, Amounts] = field(default_factory=dict)  # keyed by schema.INCOME_ROWS
    spending: dict[str, Amounts] = field(default_factory=dict)  # keyed by schema.SPENDING_ROWS
    functions: list[FunctionLine] = field(default_factory=list)
    economics: list[EconomicLine] = field(default_factory=list)
    operating: OperatingCost = field(default_factory=OperatingCost)  # 运行经费 (note = 主要用途)
    three_public: dict[str, Amounts] = field(default_factory=dict)  # schema.THREE_PUBLIC_ROWS
    goals: list[DeptGoal] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    purchases: list[Purchase] = field(default_factory=list)
    assets: dict[str, AssetRow] = field(default_factory=dict)  # schema.ASSET_ROWS
    asset_classes: list[AssetClass] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    plan_labels: tuple[str, ...] = ("3月底", "6月底", "10月底", "12月底")
    orphan_indicators: list[Indicator] = field(default_factory=list)  # naming no known project
    source_path: str = ""
    # The 政府收支分类 catalogue chosen by the reader (year + 地区 + the user's file); None for a
    # model made in code: ``catalog.for_workbook`` then chooses by year and 地区.
    catalog: Catalog | None = None


@dataclass
class EvalInfo:
    dept_name: str
    org_full_name: str
    year: int
    amount_unit: str = "万元"  # 金额单位 of every amount (and of the published documents): 万元 / 元
    style: str = ""  # 文件样式: schema.SELF_EVAL_STYLES (blank = the department-wide default)
    supervisor: str = ""
    self_name: str = ""  # 自称 (我局), blank = inferred from the name
    preamble: str = ""
    fund_source_note: str = ""
    project_count: int | None = None
    attachment_no: str = ""
    exec_weight: Decimal = Decimal(10)
    exec_score: Decimal | None = None
    exec_score_reason: str = ""
    contact_email: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # field key -> A1 ref, for findings


@dataclass
class FundRow:
    """One funding-source row of the self-evaluation (当年财政拨款 / 上年结转资金 / 其他资金).

    A blank cell stays ``None``: a source the department does not have is left blank, never
    read as 0 (a blank 全年执行数 cannot be scored).
    """

    source_name: str
    initial: Decimal | None
    budget: Decimal | None
    executed: Decimal | None
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings

    @property
    def blank(self) -> bool:
        return self.initial is None and self.budget is None and self.executed is None


@dataclass
class EvalProject:
    """One row of 项目: the 年度资金总额 as typed and the parts of it from other sources.

    Amounts stay ``None`` when blank. The 其中 parts (上年结转, 其他资金) have a documented
    default of 0 (schema), applied when the funds are computed.
    """

    code: str
    name: str
    area: str
    unit: str
    initial: Decimal | None
    budget: Decimal | None
    executed: Decimal | None
    carry_budget: Decimal | None = None
    carry_executed: Decimal | None = None
    other_budget: Decimal | None = None
    other_executed: Decimal | None = None
    carry_initial: Decimal | None = None
    other_initial: Decimal | None = None
    supervisor: str = ""
    goal: str = ""
    result: str = ""
    exec_weight: Decimal = Decimal(10)
    exec_score: Decimal | None = None
    exec_score_reason: str = ""
    summary: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    source: Source | None = None
    cells: dict[str, str] = field(default_factory=dict)  # column key -> A1 ref, for findings


@dataclass
class Evaluator:
    name: str
    org: str
    post: str
    title: str


@dataclass
class SelfEvalWorkbook:
    """Everything a 绩效自评 workbook says."""

    info: EvalInfo
    overview: list[str] = field(default_factory=list)
    funds: dict[str, FundRow] = field(default_factory=dict)  # keyed by schema.EVAL_FUND_ROWS
    goals: list[DeptGoal] = field(default_factory=list)
    basis: str = ""
    group: str = ""
    method: str = ""
    org_cells: dict[str, str] = field(default_factory=dict)  # 自评组织 field key -> A1 ref
    projects: list[EvalProject] = field(default_factory=list)
    dept_indicators: list[Indicator] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    evaluators: list[Evaluator] = field(default_factory=list)
    orphan_indicators: list[Indicator] = field(default_factory=list)  # naming no known project
    source_path: str = ""
