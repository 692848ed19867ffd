"""The 部门预算信息公开说明, computed: every figure and choice its documents state, once.

``compute_disclosure(wb)`` turns a :class:`~generator.model.BudgetWorkbook` into a frozen
:class:`Disclosure`. The Word templates (``templates/部门预算信息公开说明.docx`` …) word it and the
Excel tables (``render/xlsx_tables.py``) lay it out; neither computes anything of its own, so a
total, a share or a merge span can never differ between the two.

What the model holds is facts and choices, never wording: an amount, a ``Rate``, a ``Change``
(up / down / same, amount, rate), which income sources changed and which did not, which fund
types have no money, which kind of running cost a unit publishes (机关 or 事业). The template
words each of them.

A blank cell stays blank (``None``): a figure whose year is blank has no comparison
(``Figure.change`` is None) and a template says "上年无可比数据" or leaves it out, never
"比上年增长" against a zero nobody typed.

Every field is documented by the string under it: ``docs/template-fields.md`` (the reference for
people who edit the templates) is generated from these strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.compute.money import ZERO, Change, Rate, change, rate
from generator.model import Amounts, BudgetWorkbook, DeptGoal, Indicator, Project, Purchase
from generator.model.items import split_items, strip_numbering
from generator.model.schema import (
    ASSET_ROWS,
    CAPITAL_INCOME,
    CARRIED_PROJECTS,
    CARRYOVER_INCOME,
    CHOICES,
    FUND_SOURCES,
    GOV_FUND_INCOME,
    OVERSEAS,
    OWN_PROJECTS,
    PERSONNEL,
    PUBLIC,
    RECEPTION,
    VEHICLE_PURCHASE,
    VEHICLE_RUNNING,
)

GENERAL_FUND, GOV_FUND, CAPITAL_FUND = FUND_SOURCES[:3]
INCOME_OF_FUND = {GOV_FUND: GOV_FUND_INCOME, CAPITAL_FUND: CAPITAL_INCOME}
# 采购类别 (货物/工程/服务) with the letter their 政府采购目录 codes start with.
PURCHASE_CATEGORIES = tuple(zip(CHOICES["采购类别"], "ABC", strict=True))
PURCHASE_METHODS = CHOICES["采购组织形式"]
# 单位性质 values that publish 机关运行经费 (行政, 参公事业); every other (事业) unit publishes 事业运行经费.
ADMINISTRATIVE = (*CHOICES["单位性质"][:2], "参公")
OPERATING_KINDS = ("机关", "事业")  # the words a template puts before 运行经费
MAIN_PROJECT_COUNT = 6  # projects named when 本级项目主要内容 is blank

# A spending-plan sentence typed into 资金用途 (copied from an old document) would duplicate the
# generated one and may contradict the plan columns: it is dropped, the plan columns win.
# The look-behinds start a match only where a run of punctuation/space begins (the leftmost match
# starts there anyway): otherwise every position of a long run rescans it (quadratic).
_TYPED_PLAN_SENTENCE = re.compile(
    r"(?:(?<![。，,；;])[。，,；;]+|(?<![。，,；;\s]))\s*以上(?:专项)?(?:经费|费用|资金)共(?:计)?")


# ================================================================================================
# The pieces
# ================================================================================================


@dataclass(frozen=True)
class Figure:
    """One amount of this year, compared with last year and shared of its whole."""

    name: str
    """名称，如“一般公共预算拨款”“人员经费”"""
    current: Decimal | None
    """本年数；工作簿空白时为空，文件不写"""
    previous: Decimal | None = None
    """上年数；空白时不与上年比较"""
    share: Rate | None = None
    """占比：占其合计的比例（如占本年收入、占总支出）"""
    note: str = ""
    """说明（工作簿“说明”列的文字）"""

    @property
    def change(self) -> Change | None:
        """与上年比较：amount 增减额、magnitude 增减额绝对值、rate 增减率、up 增加/down 减少/same 持平；
        本年或上年空白时为空（写“上年无可比数据”或不写）"""
        if self.current is None or self.previous is None:
            return None
        return change(self.current, self.previous)

    @property
    def given(self) -> bool:
        """本年数已填写"""
        return self.current is not None


@dataclass(frozen=True)
class Clause:
    """One clause of the 收入 paragraph: a changed source, the unchanged ones together, …"""

    kind: str
    """句子类型：changed（有增减）、uncompared（上年空白）、unchanged（无变化，合并为一句）、carryover（上年结转）"""
    figures: tuple[Figure, ...]
    """本句说到的收入来源"""


@dataclass(frozen=True)
class Income:
    """二（一）收入预算。"""

    total: Figure
    """本年收入总计（含上年结转）"""
    sources: tuple[Figure, ...]
    """已填写本年数的各项收入（不含上年结转），按工作簿顺序，share 为占本年收入总计的比例"""
    clauses: tuple[Clause, ...]
    """“其中：”之后的各分句：有增减的逐项写，无变化的合并写，上年结转最后"""
    carryover: Figure | None
    """上年结转（本年为空或为 0 时为空）"""


@dataclass(frozen=True)
class Spending:
    """二（二）支出预算 and 二（三）比上年增减。"""

    total: Figure
    """本年支出总计"""
    basic: Figure
    """基本支出 = 人员经费 + 日常公用经费；share 为占总支出"""
    personnel: Figure
    """人员经费"""
    public: Figure
    """日常公用经费"""
    project: Figure
    """项目支出 = 本级项目支出 + 上年结转项目支出；share 为占总支出"""
    project_own: Figure
    """本级项目支出"""
    project_carryover: Figure
    """上年结转项目支出"""
    main_projects: tuple[str, ...]
    """本级项目主要内容：工作簿填写的，或预算数最大的几个项目名称"""
    basic_reason: str
    """基本支出增减原因"""
    project_reason: str
    """项目支出增减原因"""


@dataclass(frozen=True)
class Operating:
    """三、机关运行经费 (行政、参公单位) or 事业运行经费 (事业单位)."""

    kind: str
    """“机关”或“事业”：模板写“{{ operating.kind }}运行经费”"""
    figure: Figure
    """运行经费本年、上年数"""
    basic: Decimal | None
    """其中基本支出（空白时不写）"""
    project: Decimal | None
    """其中项目支出（空白时不写）"""
    use: str
    """主要用途"""
    reason: str
    """增减原因"""


@dataclass(frozen=True)
class ThreePublic:
    """四、财政拨款“三公”经费 (and the Excel 三公 table)."""

    total: Figure
    """“三公”经费合计"""
    overseas: Figure
    """因公出国（境）费"""
    vehicle: Figure
    """公务用车购置及运行费 = 购置费 + 运行费"""
    vehicle_purchase: Figure
    """公务用车购置费"""
    vehicle_running: Figure
    """公务用车运行费"""
    reception: Figure
    """公务接待费"""


@dataclass(frozen=True)
class SubGoal:
    """One 分项绩效目标."""

    no: int
    """序号"""
    name: str
    """名称"""
    goal: str
    """绩效目标（原文）"""
    goal_items: tuple[str, ...]
    """绩效目标逐条（已去掉原编号）"""
    indicators: str
    """绩效指标（原文）"""
    indicator_items: tuple[str, ...]
    """绩效指标逐条（已去掉原编号）"""
    description: str
    """同名项目的资金用途（唐山样式在分项目标前引用）"""


@dataclass(frozen=True)
class OverallGoal:
    """One paragraph of the 总体绩效目标."""

    no: int
    """序号"""
    name: str
    """名称（可为空）"""
    text: str
    """目标"""


@dataclass(frozen=True)
class Goals:
    """五（一）（二）整体绩效目标."""

    overall: tuple[OverallGoal, ...]
    """总体绩效目标，每段一项"""
    sub: tuple[SubGoal, ...]
    """分项绩效目标"""


@dataclass(frozen=True)
class PlanPoint:
    """One time point of a project's cumulative spending plan."""

    label: str
    """时点，如“3月底”“第一季度”"""
    value: Rate | None
    """累计支出比例（空白时为空）"""
    quarterly: bool
    """按季度的计划（“第一季度末前”）"""


@dataclass(frozen=True)
class IndicatorRow:
    """One row of a 项目绩效目标表's indicator block, with the merges of its 一级/二级 cells."""

    level1: str
    """一级指标"""
    level2: str
    """二级指标"""
    level3: str
    """三级指标"""
    description: str
    """绩效指标描述"""
    target: str
    """指标值（如工作簿所写）"""
    basis: str
    """指标值确定依据"""
    l1_first: bool
    """本行是一级指标合并单元格的第一行"""
    l1_span: int
    """一级指标合并的行数（仅第一行有）"""
    l2_first: bool
    """本行是二级指标合并单元格的第一行"""
    l2_span: int
    """二级指标合并的行数（仅第一行有）"""

    @property
    def l1_merge(self) -> str:
        """一级指标单元格的纵向合并标记：restart 或 continue"""
        return "restart" if self.l1_first else "continue"

    @property
    def l2_merge(self) -> str:
        """二级指标单元格的纵向合并标记：restart 或 continue"""
        return "restart" if self.l2_first else "continue"


@dataclass(frozen=True)
class ProjectTable:
    """One 项目绩效目标表."""

    no: int
    """序号（第几个项目）"""
    code: str
    """项目编码"""
    name: str
    """项目名称"""
    budget: Decimal
    """预算数 = 财政资金 + 其他资金"""
    fiscal: Decimal
    """财政资金"""
    other: Decimal | None
    """其他资金（空白时为空）"""
    purpose: str
    """资金用途（去掉原文中的“以上专项经费共计…”一句，句末带句号）"""
    plan: tuple[PlanPoint, ...]
    """资金支出计划各时点"""
    goals: tuple[str, ...]
    """绩效目标逐条"""
    indicators: tuple[IndicatorRow, ...]
    """绩效指标各行"""
    area: str
    """所属领域"""


@dataclass(frozen=True)
class PurchaseRow:
    """One row of the 政府采购 table."""

    project: str
    """来源项目名称"""
    project_budget: Decimal | None
    """来源项目预算资金"""
    project_first: bool
    """本行是同一来源项目各行的第一行（项目名称单元格合并向下）"""
    project_span: int
    """同一来源项目的行数（仅第一行有）"""
    item: str
    """采购物品名称"""
    catalog_code: str
    """政府采购目录序号"""
    category: str
    """采购类别：货物/工程/服务"""
    unit: str
    """计量单位"""
    quantity: Decimal
    """数量"""
    price: Decimal
    """单价"""
    amount: Decimal
    """采购金额 = 数量 × 单价"""
    funds: tuple[Decimal | None, ...]
    """按资金来源分列的金额（顺序同 fund_names），非本来源为空"""
    method: str
    """组织形式（政府集中采购/部门集中采购/分散采购；未填为空）"""

    @property
    def project_merge(self) -> str:
        """来源项目单元格的纵向合并标记：restart 或 continue"""
        return "restart" if self.project_first else "continue"


@dataclass(frozen=True)
class PurchaseGroup:
    """Purchases of one category (货物/工程/服务) or one 组织形式."""

    name: str
    """名称：货物、工程、服务，或政府集中采购等"""
    count: int
    """采购项目个数"""
    amount: Decimal
    """金额"""
    share: Rate | None
    """占政府采购总额的比例"""
    note: str = ""
    """主要内容（基本信息中的采购说明）"""


@dataclass(frozen=True)
class Purchases:
    """六、政府采购预算."""

    count: int
    """采购项目个数"""
    total: Figure
    """政府采购预算总额，上年数取自“基本信息”的上年政府采购预算"""
    goods: PurchaseGroup
    """货物类"""
    works: PurchaseGroup
    """工程类"""
    services: PurchaseGroup
    """服务类"""
    methods: tuple[PurchaseGroup, ...]
    """按组织形式分列（每行都填了组织形式时才有）"""
    service_purchase: Decimal | None
    """政府购买服务预算（空白时不写）"""
    rows: tuple[PurchaseRow, ...]
    """表格各行"""
    fund_names: tuple[str, ...]
    """资金来源（表格金额列的顺序）"""
    fund_totals: tuple[Decimal, ...]
    """按资金来源的合计"""


@dataclass(frozen=True)
class AssetLine:
    """One row of the 国有资产占用情况 table."""

    item: str
    """项目，如“房屋（平方米）”"""
    number: int | None
    """表中序号（“其中：”行为空）"""
    quantity: Decimal | None
    """数量（空白为空）"""
    value: Decimal | None
    """价值（空白为空）"""


@dataclass(frozen=True)
class AssetClassShare:
    """One 资产类别 of the fixed assets."""

    category: str
    """资产类别，如“通用设备”"""
    value: Decimal
    """金额"""
    share: Rate | None
    """占固定资产总额的比例"""


@dataclass(frozen=True)
class Assets:
    """七、国有资产."""

    total: Decimal | None
    """资产总额 = 各类资产价值之和（“其中：”行不重复计算）；全部空白时为空"""
    rows: tuple[AssetLine, ...]
    """表格各行"""
    classes: tuple[AssetClassShare, ...]
    """资产构成"""
    purchase: Decimal | None
    """计划新购资产金额"""
    purchase_use: str
    """计划新购资产用途"""


@dataclass(frozen=True)
class Term:
    """One 名词解释."""

    no: int
    """序号"""
    term: str
    """名词"""
    text: str
    """解释"""


@dataclass(frozen=True)
class Institution:
    """One row of 机构设置."""

    name: str
    """单位名称"""
    nature: str
    """单位性质"""
    rank: str
    """单位规格"""
    funding: str
    """经费保障形式"""


@dataclass(frozen=True)
class Disclosure:
    """Everything the 部门预算信息公开说明 and its tables state."""

    year: int
    """预算年度"""
    prev_year: int
    """上一年度"""
    unit: str
    """金额单位：万元或元"""
    style: str
    """文件样式"""
    dept_name: str
    """部门名称（简称）"""
    org_full_name: str
    """单位全称"""
    dept_code: str
    """部门编码"""
    unit_code: str
    """单位编码"""
    unit_name: str
    """预算单位名称（空白时为单位全称+“本级”）"""
    duty_basis: str
    """职责依据（部门职责前的引导句）"""
    duties: tuple[str, ...]
    """部门职责逐条"""
    institutions: tuple[Institution, ...]
    """机构设置"""
    sub_units: str
    """二级预算单位说明"""
    income: Income
    """收入预算"""
    spending: Spending
    """支出预算"""
    operating: Operating
    """机关（事业）运行经费"""
    three_public: ThreePublic
    """“三公”经费"""
    goals: Goals
    """整体绩效目标"""
    measures: tuple[str, ...]
    """工作保障措施逐条"""
    plan_labels: tuple[str, ...]
    """资金支出计划的时点"""
    projects: tuple[ProjectTable, ...]
    """项目绩效目标表，每个项目一张"""
    project_total: Decimal
    """各项目预算数合计"""
    purchases: Purchases
    """政府采购"""
    assets: Assets
    """国有资产"""
    terms: tuple[Term, ...]
    """名词解释"""
    notes: tuple[str, ...]
    """其他需要说明的事项（工作簿填写的各条）"""
    empty_funds: tuple[str, ...]
    """没有收支的资金类型（政府性基金预算、国有资本经营预算），其财政拨款支出表空表列示"""


# ================================================================================================
# Computing it
# ================================================================================================


def compute_disclosure(wb: BudgetWorkbook, main_project_count: int = MAIN_PROJECT_COUNT) -> Disclosure:
    """Every figure and choice of ``wb``'s disclosure documents."""
    info = wb.info
    unit_name = info.unit_name or info.org_full_name + "本级"
    return Disclosure(
        year=info.year,
        prev_year=info.year - 1 if info.year else 0,
        unit=info.amount_unit,
        style=info.style,
        dept_name=info.dept_name,
        org_full_name=info.org_full_name,
        dept_code=info.dept_code,
        unit_code=info.unit_code,
        unit_name=unit_name,
        duty_basis=info.duty_basis,
        duties=tuple(strip_numbering(d) for d in wb.duties),
        institutions=tuple(Institution(i.name, i.nature, i.rank, i.funding) for i in wb.institutions),
        sub_units=info.sub_units,
        income=_income(wb),
        spending=_spending(wb, main_project_count),
        operating=_operating(wb),
        three_public=_three_public(wb),
        goals=_goals(wb.goals, wb.projects),
        measures=tuple(strip_numbering(m) for m in wb.measures),
        plan_labels=tuple(wb.plan_labels),
        projects=tuple(_project(i, p, wb.plan_labels) for i, p in enumerate(wb.projects, 1)),
        project_total=sum((p.budget for p in wb.projects), ZERO),
        purchases=_purchases(wb),
        assets=_assets(wb),
        terms=tuple(Term(n, t.term, t.text) for n, t in enumerate(wb.terms, 1)),
        notes=tuple(strip_numbering(n) for n in wb.notes),
        empty_funds=empty_funds(wb),
    )


def clause(text: str) -> str:
    """User text that a template embeds mid-sentence: no trailing full stop or semicolon."""
    return text.strip().rstrip("。；;，,.")


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the given values; None when none is given."""
    given = [v for v in values if v is not None]
    return sum(given, ZERO) if given else None


def _total(parts: Sequence[Amounts | Figure], name: str = "") -> Figure:
    """A total of ``parts``: 本年 over the given ones; 上年 only when every part given this year
    has last year's figure too (a blank 上年 makes the total's comparison unknown)."""
    current = _sum(p.current for p in parts)
    compared = all(p.previous is not None for p in parts if p.current is not None)
    previous = _sum(p.previous for p in parts) if compared else None
    return Figure(name, current, previous)


def _figure(name: str, a: Amounts | None, whole: Decimal | None = None, note: str = "") -> Figure:
    a = a or Amounts()
    return Figure(name, a.current, a.previous, rate(a.current, whole), note)


def _with_share(f: Figure, whole: Decimal | None) -> Figure:
    return Figure(f.name, f.current, f.previous, rate(f.current, whole), f.note)


def _income(wb: BudgetWorkbook) -> Income:
    total = _total(list(wb.income.values()))
    sources = tuple(_figure(name, a, total.current, clause(a.note)) for name, a in wb.income.items()
                    if name != CARRYOVER_INCOME and a.current is not None)
    carry_rows = wb.income.get(CARRYOVER_INCOME) or Amounts()
    carryover = None
    if carry_rows.current:
        carryover = _figure(CARRYOVER_INCOME, carry_rows, total.current,
                            clause(carry_rows.note or wb.info.carryover_note))
    clauses = [Clause("changed", (s,)) for s in sources if s.change is not None and not s.change.same]
    clauses += [Clause("uncompared", (s,)) for s in sources if s.change is None]
    unchanged = tuple(s for s in sources if s.change is not None and s.change.same)
    if unchanged:
        clauses.append(Clause("unchanged", unchanged))
    if carryover is not None:
        clauses.append(Clause("carryover", (carryover,)))
    return Income(total, sources, tuple(clauses), carryover)


def _spending(wb: BudgetWorkbook, main_project_count: int) -> Spending:
    s = wb.spending
    personnel = _figure(PERSONNEL, s.get(PERSONNEL))
    public = _figure(PUBLIC, s.get(PUBLIC))
    own = _figure(OWN_PROJECTS, s.get(OWN_PROJECTS))
    carry_amounts = s.get(CARRIED_PROJECTS) or Amounts()
    carry = _figure(CARRIED_PROJECTS, carry_amounts, note=clause(carry_amounts.note or wb.info.carryover_note))
    basic = _total((personnel, public))
    project = _total((own, carry))
    total = _total((basic, project))
    whole = total.current
    main = tuple(n.strip().removesuffix("等") for n in re.split(r"[、，,；;]", clause(wb.info.main_projects))
                 if n.strip())
    if not main:
        biggest = sorted(wb.projects, key=lambda p: p.budget, reverse=True)
        main = tuple(p.name for p in biggest[:main_project_count])
    return Spending(
        total=total,
        basic=_with_share(basic, whole),
        personnel=_with_share(personnel, whole),
        public=_with_share(public, whole),
        project=_with_share(project, whole),
        project_own=_with_share(own, whole),
        project_carryover=_with_share(carry, whole),
        main_projects=main,
        basic_reason=clause(wb.info.basic_change_reason),
        project_reason=clause(wb.info.project_change_reason),
    )


def unit_nature(wb: BudgetWorkbook) -> str:
    """单位性质: 基本信息, else the first 机构设置 row."""
    return wb.info.unit_nature or (wb.institutions[0].nature if wb.institutions else "")


def _operating(wb: BudgetWorkbook) -> Operating:
    op = wb.operating
    administrative, public_institution = OPERATING_KINDS
    kind = public_institution if unit_nature(wb) and unit_nature(wb) not in ADMINISTRATIVE else administrative
    return Operating(kind, _figure("", op), op.basic, op.project, clause(op.note), clause(op.reason))


def _three_public(wb: BudgetWorkbook) -> ThreePublic:
    t = wb.three_public
    overseas = _figure(OVERSEAS, t.get(OVERSEAS))
    purchase = _figure(VEHICLE_PURCHASE, t.get(VEHICLE_PURCHASE))
    running = _figure(VEHICLE_RUNNING, t.get(VEHICLE_RUNNING))
    reception = _figure(RECEPTION, t.get(RECEPTION))
    vehicle = _total((purchase, running))
    total = _total((overseas, vehicle, reception))
    whole = total.current
    return ThreePublic(total, _with_share(overseas, whole), _with_share(vehicle, whole),
                       _with_share(purchase, whole), _with_share(running, whole),
                       _with_share(reception, whole))


def _normalise_name(name: str) -> str:
    return re.sub(r"\s+", "", name).removesuffix("项目")


def _goals(goals: Sequence[DeptGoal], projects: Sequence[Project]) -> Goals:
    by_name = {_normalise_name(p.name): p for p in projects}
    overall = [g for g in goals if g.type == "总体"]
    parts = [g for g in goals if g.type != "总体"]
    sub = []
    for n, g in enumerate(parts, 1):
        project = by_name.get(_normalise_name(g.name))
        sub.append(SubGoal(n, g.name, g.goal, tuple(split_items(g.goal)), g.indicators,
                           tuple(split_items(g.indicators)), purpose_text(project.purpose) if project else ""))
    return Goals(tuple(OverallGoal(n, g.name, g.goal) for n, g in enumerate(overall, 1)), tuple(sub))


def purpose_text(text: str) -> str:
    """资金用途 without a typed plan sentence, ending with "。" (empty stays empty)."""
    m = _TYPED_PLAN_SENTENCE.search(text)
    kept = text[: m.start()] if m else text
    kept = kept.rstrip("。.， \n")
    return kept + "。" if kept.strip() else ""


def _project(no: int, p: Project, labels: Sequence[str]) -> ProjectTable:
    plan = tuple(PlanPoint(label, None if p.plan.get(label) is None else Rate(p.plan[label]),  # type: ignore[arg-type]
                           label.endswith("季度"))
                 for label in labels)
    return ProjectTable(no, p.code, p.name, p.budget, p.fiscal, p.other, purpose_text(p.purpose), plan,
                        tuple(p.goals), indicator_rows(p.indicators), p.area)


def indicator_rows(indicators: Iterable[Indicator]) -> tuple[IndicatorRow, ...]:
    """Indicator rows with the vertical merges of their 一级 and 二级 cells.

    Groups are *consecutive* runs (the order typed by the user is the published order): a 一级
    group merges its 一级 cell down its rows; inside it, a 二级 group merges its 二级 cell.
    """
    items = list(indicators)
    firsts: list[tuple[bool, bool]] = []
    for i, ind in enumerate(items):
        prev = items[i - 1] if i else None
        l1_first = prev is None or prev.level1 != ind.level1
        l2_first = l1_first or prev is None or prev.level2 != ind.level2
        firsts.append((l1_first, l2_first))
    spans = [[0, 0] for _ in items]
    for level in (0, 1):
        start = 0
        for i, first in enumerate(firsts):
            if first[level]:
                start = i
            spans[start][level] = i - start + 1
    return tuple(
        IndicatorRow(ind.level1, ind.level2, ind.level3, ind.description, ind.target.raw if ind.target else "",
                     ind.basis, l1_first, spans[i][0], l2_first, spans[i][1])
        for i, (ind, (l1_first, l2_first)) in enumerate(zip(items, firsts, strict=True)))


def purchase_category(p: Purchase) -> str:
    """采购类别 as typed, else from the 目录序号's letter (A 货物, B 工程, C 服务)."""
    if p.category:
        return p.category
    letter = p.catalog_code.strip().upper()[:1]
    return next((cat for cat, prefix in PURCHASE_CATEGORIES if prefix == letter), "")


def _purchases(wb: BudgetWorkbook) -> Purchases:
    items = wb.purchases
    funds = FUND_SOURCES
    rows: list[PurchaseRow] = []
    i = 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j + 1].project.strip() == items[i].project.strip():
            j += 1
        for k, p in enumerate(items[i:j + 1]):
            fund = p.fund if p.fund in funds else GENERAL_FUND  # a blank 资金来源 is 一般公共预算
            rows.append(PurchaseRow(
                p.project, p.project_budget, k == 0, j - i + 1 if k == 0 else 0, p.item, p.catalog_code,
                purchase_category(p), p.unit, p.quantity, p.price, p.amount,
                tuple(p.amount if f == fund else None for f in funds), p.method))
        i = j + 1
    total = sum((r.amount for r in rows), ZERO)
    info = wb.info

    def group(name: str, members: Sequence[PurchaseRow], note: str = "") -> PurchaseGroup:
        amount = sum((r.amount for r in members), ZERO)
        return PurchaseGroup(name, len(members), amount, rate(amount, total), clause(note))

    categories = {cat: group(cat, [r for r in rows if r.category == cat],
                             {"货物": info.goods_note, "工程": info.works_note, "服务": info.services_note}[cat])
                  for cat, _ in PURCHASE_CATEGORIES}
    methods: tuple[PurchaseGroup, ...] = ()
    if rows and all(r.method in PURCHASE_METHODS for r in rows):
        methods = tuple(group(m, [r for r in rows if r.method == m]) for m in PURCHASE_METHODS
                        if any(r.method == m for r in rows))
    return Purchases(
        count=len(rows),
        total=Figure("", total if rows else None, info.purchase_previous),
        goods=categories["货物"], works=categories["工程"], services=categories["服务"],
        methods=methods,
        service_purchase=info.service_purchase,
        rows=tuple(rows),
        fund_names=funds,
        fund_totals=tuple(sum((r.funds[k] or ZERO for r in rows), ZERO) for k in range(len(funds))),
    )


def _assets(wb: BudgetWorkbook) -> Assets:
    rows: list[AssetLine] = []
    number = 0
    for label in ASSET_ROWS:
        asset = wb.assets.get(label)
        part = label.startswith("其中")
        if not part:
            number += 1
        rows.append(AssetLine(label, None if part else number, asset.quantity if asset else None,
                              asset.value if asset else None))
    # 资产总额 = the classes, not the "其中" breakdown of one of them; unknown if one is blank.
    classes_values = [r.value for r in rows if r.number is not None]
    total = None if None in classes_values else _sum(classes_values)
    classes_total = sum((c.value for c in wb.asset_classes), ZERO)
    classes = tuple(AssetClassShare(c.category, c.value, rate(c.value, classes_total)) for c in wb.asset_classes)
    return Assets(total, tuple(rows), classes, wb.info.asset_purchase, clause(wb.info.asset_purchase_use))


def empty_funds(wb: BudgetWorkbook) -> tuple[str, ...]:
    """Fund types without income or spending: their 财政拨款支出表 are published empty."""
    out = []
    for fund in (CAPITAL_FUND, GOV_FUND):
        income = (wb.income.get(INCOME_OF_FUND[fund]) or Amounts()).current or ZERO
        spent = sum((f.total for f in wb.functions if f.fund == fund), ZERO)
        if income == 0 and spent == 0:
            out.append(fund)
    return tuple(out)
