"""Build the Word templates of the budget disclosure: ``python -m tools.make_templates``.

The generated .docx files are committed: they are what users open and edit in Word/WPS (change a
sentence, reorder sections). This script only regenerates the shipped versions.

Conventions inside the templates (docxtpl + Jinja, rendered by ``generator.render.docx_render``):

* the wording is here, the figures come from ``generator.compute.disclosure.disclosure_context``;
  filters choose precision: ``|amount`` (narrative, trailing zeros dropped), ``|fixed`` (tables,
  two decimals), ``|pct`` (percentages);
* every Jinja expression stays inside one run and one paragraph; Chinese quotes stay outside tags
  (docxtpl rewrites curly quotes inside tags);
* ``{%p …%}`` paragraphs wrap loops of paragraphs and of whole tables (one table per project),
  ``{%tr …%}`` rows loop table rows;
* 一级/二级 indicator cells merge down their groups through a ``w:vMerge`` whose value is a Jinja
  expression (see ``docx_base.set_vmerge_expression``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.table import Table

from tools.docx_base import (
    STYLE_BODY,
    STYLE_PLAIN,
    STYLE_SUBTITLE,
    STYLE_TABLE_NOTE,
    STYLE_TABLE_TITLE,
    STYLE_TINY,
    add_heading,
    add_page_break,
    add_paragraph,
    add_table,
    add_title,
    end_landscape,
    keep_with_next,
    mark_header,
    merge,
    new_document,
    set_cell,
    set_vmerge_expression,
    start_landscape,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
DISCLOSURE_TEMPLATE = "部门预算信息公开说明.docx"
GOALS_TEMPLATE = "部门整体绩效目标.docx"

# Column widths (cm) of the 项目绩效目标表; the two tables of one project share their borders.
INDICATOR_WIDTHS = (1.9, 2.2, 2.8, 3.2, 2.1, 3.4)  # 一级 二级 三级 描述 指标值 依据 = 15.6
INFO_WIDTHS = (1.9, 2.2, 2.8, 3.2, 2.1, 1.7, 1.7)  # the 依据 column split for 其他资金 | value
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")

NL = "{{ '\\n' }}"  # a line break inside a cell (docxtpl turns "\n" into <w:br/>)


# ---- Jinja snippets ------------------------------------------------------------------------------

def vs_last_year(fig: str, same: str = "较上年无变化", verb: str = "较上年") -> str:
    """"较上年增加6.37万元" / "较上年无变化" for a ``figure`` dict at ``fig``."""
    return (f"{{% if {fig}.change.same %}}{same}{{% else %}}{verb}{{{{ {fig}.change.delta_word }}}}"
            f"{{{{ {fig}.change.magnitude|amount }}}}万元{{% endif %}}")


def growth(c: str) -> str:
    """"比上年增长4606.21万元，增长11.4%" for a ``money.Change`` at ``c``."""
    return (f"{{% if {c}.same %}}较上年无变化{{% else %}}比上年{{{{ {c}.direction }}}}"
            f"{{{{ {c}.magnitude|amount }}}}万元{{% if {c}.rate is not none %}}，"
            f"{{{{ {c}.direction }}}}{{{{ {c}.rate_magnitude|pct }}}}{{% endif %}}{{% endif %}}")


def loop_paragraphs(doc: DocumentObject, loop: str, lines: Sequence[tuple[str, str]]) -> None:
    """``{%p for …%}`` + one paragraph per (text, style) + ``{%p endfor %}``."""
    add_paragraph(doc, "{%p " + loop + " %}", STYLE_PLAIN)
    for text, style in lines:
        add_paragraph(doc, text, style)
    add_paragraph(doc, "{%p endfor %}", STYLE_PLAIN)


def if_paragraph(doc: DocumentObject, condition: str, text: str, style: str = STYLE_BODY) -> None:
    add_paragraph(doc, "{%p if " + condition + " %}", STYLE_PLAIN)
    add_paragraph(doc, text, style)
    add_paragraph(doc, "{%p endif %}", STYLE_PLAIN)


def loop_table(doc: DocumentObject, widths: Sequence[float], header: Sequence[str],
               loop: str, cells: Sequence[str], aligns: Sequence[str] | None = None,
               fixed_rows: Sequence[Sequence[str]] = (), header_rows: int = 1,
               style: str | None = None) -> Table:
    """A table: header row(s), optional fixed rows, then one row per item of a ``{%tr for %}``."""
    n_rows = header_rows + len(fixed_rows) + 3
    table = add_table(doc, widths, n_rows, header_rows=header_rows,
                      **({"cell_style": style} if style else {}))
    if header_rows == 1:
        for c, text in enumerate(header):
            set_cell(table.cell(0, c), text, bold=True, style=style)
    r = header_rows
    for row in fixed_rows:
        for c, text in enumerate(row):
            set_cell(table.cell(r, c), text, style=style)
        r += 1
    set_cell(table.cell(r, 0), "{%tr " + loop + " %}", style=style)
    for c, text in enumerate(cells):
        align = (aligns[c] if aligns else "center")
        set_cell(table.cell(r + 1, c), text, align=align, style=style)  # type: ignore[arg-type]
    set_cell(table.cell(r + 2, 0), "{%tr endfor %}", style=style)
    return table


# ---- the project tables (both styles) -------------------------------------------------------------

def indicator_table(doc: DocumentObject) -> Table:
    """一级|二级|三级|描述|指标值|依据, header repeated on every page, 一级/二级 merged by group."""
    table = loop_table(
        doc, INDICATOR_WIDTHS, INDICATOR_HEADER, "for r in p.indicator_rows",
        ("{% if r.l1_first %}{{ r.level1 }}{% endif %}",
         "{% if r.l2_first %}{{ r.level2 }}{% endif %}",
         "{{ r.level3 }}", "{{ r.description }}", "{{ r.target }}", "{{ r.basis }}"),
        aligns=("center", "center", "left", "left", "center", "left"))
    data_row = table.rows[2]
    set_vmerge_expression(data_row.cells[0], "r.l1_merge")
    set_vmerge_expression(data_row.cells[1], "r.l2_merge")
    return table


def spacer(doc: DocumentObject) -> None:
    """A 1 pt paragraph: keeps two tables apart (Word would fuse them) while looking joined."""
    add_paragraph(doc, "", STYLE_TINY)


def project_table_hebei(doc: DocumentObject) -> None:
    """Seed 001's 项目绩效目标表 (info table + indicator table)."""
    t = add_table(doc, INFO_WIDTHS, 6, no_border=("bottom",))
    merge(t, 0, 1, 0, 2)
    merge(t, 0, 4, 0, 6)
    set_cell(t.cell(0, 0), "项目编码")
    set_cell(t.cell(0, 1), "{{ p.code }}")
    set_cell(t.cell(0, 3), "项目名称")
    set_cell(t.cell(0, 4), "{{ p.name }}")
    merge(t, 1, 0, 2, 0)
    set_cell(t.cell(1, 0), "预算规模及资金用途")
    for c, text in enumerate(("预算数", "{{ p.budget|fixed }}", "其中：财政资金",
                              "{{ p.fiscal|fixed }}", "其他资金", "{{ p.other|fixed }}"), 1):
        set_cell(t.cell(1, c), text)
    merge(t, 2, 1, 2, 6)
    plan_sentence = ("以上专项经费共计{{ p.budget|amount(6) }}万元，其中"
                     "{% for s in p.plan %}{{ s.when }}支出{{ (s.value or 0)|pct }}"
                     "{% if not loop.last %}，{% endif %}{% endfor %}。")
    set_cell(t.cell(2, 1), "{{ p.purpose }}" + plan_sentence, align="left")
    plan_block(t, 3, "资金支出计划（%）", ((1, 2), (3, 3), (4, 4), (5, 6)),
               "{{{{ p.plan[{i}].value|pct(2, trim=False) }}}}")
    merge(t, 5, 1, 5, 6)
    set_cell(t.cell(5, 0), "绩效目标")
    # Left-aligned: a justified line ending in a manual break would be spread over the width.
    set_cell(t.cell(5, 1), "{% for g in p.goals %}{{ loop.index }}.{{ g }}"
                           "{% if not loop.last %}" + NL + "{% endif %}{% endfor %}",
             align="left")
    keep_with_next(t)
    spacer(doc)
    indicator_table(doc)


def plan_block(t: Table, row: int, title: str, spans: Sequence[tuple[int, int]], value_expr: str) -> None:
    """The spending-plan rows: ``title`` merged over two rows, the workbook's plan labels above
    their cumulative percentages, each label spanning ``spans`` columns (``value_expr`` takes
    ``{i}``, the plan column's index)."""
    merge(t, row, 0, row + 1, 0)
    set_cell(t.cell(row, 0), title)
    for r, expr in ((row, "{{{{ plan_labels[{i}] }}}}"), (row + 1, value_expr)):
        for i, (c0, c1) in enumerate(spans):
            if c1 > c0:
                merge(t, r, c0, r, c1)
            set_cell(t.cell(r, c0), expr.format(i=i))


def project_table_tangshan(doc: DocumentObject) -> None:
    """Seed 003's 项目绩效目标表: 项目资金主要用途, quarterly 累进进度, 目标1：…"""
    t = add_table(doc, INDICATOR_WIDTHS, 5, no_border=("bottom",))
    merge(t, 0, 1, 0, 2)
    merge(t, 0, 4, 0, 5)
    set_cell(t.cell(0, 0), "项目编码")
    set_cell(t.cell(0, 1), "{{ p.code }}")
    set_cell(t.cell(0, 3), "项目名称")
    set_cell(t.cell(0, 4), "{{ p.name }}")
    merge(t, 1, 1, 1, 5)
    set_cell(t.cell(1, 0), "项目资金主要用途")
    set_cell(t.cell(1, 1), "{{ p.purpose }}", align="left")
    plan_block(t, 2, "资金支出计划（累进进度%）", ((1, 1), (2, 2), (3, 3), (4, 5)),
               "{{{{ (p.plan[{i}].value or 0)|pct(2, sign='') }}}}")
    merge(t, 4, 1, 4, 5)
    set_cell(t.cell(4, 0), "绩效目标")
    set_cell(t.cell(4, 1), "{% for g in p.goals %}目标{{ loop.index }}：{{ g }}"
                           "{% if not loop.last %}" + NL + "{% endif %}{% endfor %}",
             align="left")
    keep_with_next(t)
    spacer(doc)
    indicator_table(doc)


# ---- 部门预算信息公开说明 (seed 001) ---------------------------------------------------------------

def build_disclosure() -> DocumentObject:
    doc = new_document()
    add_title(doc, "{{ dept_name }}{{ year }}年部门预算信息公开情况说明")

    add_heading(doc, "一、部门职责、机构设置等基本信息", 1)
    add_heading(doc, "（一）部门职责", 2)
    if_paragraph(doc, "duty_basis", "{{ duty_basis }}")
    loop_paragraphs(doc, "for d in duties", [("{{ loop.index }}. {{ d }}", STYLE_BODY)])
    add_heading(doc, "（二）部门机构设置情况", 2)
    if_paragraph(doc, "sub_units", "{{ sub_units }}")
    loop_table(doc, (6.6, 2.6, 2.8, 3.6), ("单位名称", "单位性质", "单位规格", "经费保障形式"),
               "for i in institutions",
               ("{{ i.name }}", "{{ i.nature }}", "{{ i.rank }}", "{{ i.funding }}"))

    add_heading(doc, "二、部门预算安排总体情况", 1)
    add_heading(doc, "（一）{{ year }}年度收入预算情况说明", 2)
    income_clause = (
        "{% for c in income.clauses %}"
        "{% if c.kind == 'changed' %}{% for s in c.sources %}{{ s.name }}{{ s.current|amount }}万元，"
        "比上年{{ s.change.direction }}{{ s.change.magnitude|amount }}万元"
        "{% if s.change.rate is not none %}，{{ s.change.direction }}"
        "{{ s.change.rate_magnitude|pct }}{% endif %}"
        "{% if s.share %}，占全年预算{{ s.share|pct }}{% endif %}{% endfor %}"
        "{% elif c.kind == 'unchanged' %}{% for s in c.sources %}{{ s.name }}{{ s.current|amount }}"
        "万元，{% endfor %}较上年无变化"
        "{% else %}{% for s in c.sources %}上年结转{{ s.current|amount }}万元"
        "{% if s.note %}，{{ s.note }}{% endif %}{% endfor %}{% endif %}"
        "{% if not loop.last %}；{% endif %}{% endfor %}")
    add_paragraph(doc, "本年收入总计{{ income.total|amount }}万元，" + growth("income.change")
                  + "。{% if income.clauses %}其中：" + income_clause + "。{% endif %}")
    add_heading(doc, "（二）{{ year }}年度支出预算情况说明", 2)
    add_paragraph(doc, (
        "本年支出总计{{ spending.total|amount }}万元，其中：基本支出{{ spending.basic.current|amount }}"
        "万元{% if spending.basic.share is not none %}，占总支出{{ spending.basic.share|pct }}{% endif %}"
        "，其中人员经费{{ spending.personnel.current|amount }}万元，日常公用经费"
        "{{ spending.public.current|amount }}万元；项目支出{{ spending.project.current|amount }}万元"
        "{% if spending.project.share is not none %}，占总支出{{ spending.project.share|pct }}{% endif %}"
        "，其中：本级支出{{ spending.project_own.current|amount }}万元"
        "{% if spending.project_own.main_projects %}，主要包括"
        "{{ spending.project_own.main_projects }}等{% endif %}"
        "{% if spending.project_carryover.current %}；上年结转"
        "{{ spending.project_carryover.current|amount }}万元{% if spending.project_carryover.note %}"
        "，{{ spending.project_carryover.note }}{% endif %}{% endif %}。"))
    add_heading(doc, "（三）比上年增减情况说明", 2)
    add_paragraph(doc, (
        "{{ year }}年预算收支安排{{ income.total|amount }}万元，"
        "{% if budget_change.same %}与上年持平{% else %}比上年{{ budget_change.direction }}"
        "{{ budget_change.magnitude|amount }}万元{% endif %}，其中基本支出"
        "{{ spending.basic.current|amount }}万元，" + vs_last_year("spending.basic", "与上年持平")
        + "{% if spending.basic.reason %}，主要因为{{ spending.basic.reason }}{% endif %}；项目支出"
        "{{ spending.project.current|amount }}万元，" + vs_last_year("spending.project", "与上年持平")
        + "{% if spending.project.reason %}，主要为{{ spending.project.reason }}{% endif %}。"))

    add_heading(doc, "三、机关运行经费安排情况", 1)
    add_paragraph(doc, (
        "{{ year }}年机关运行经费支出预算{{ operating.current|amount }}万元，"
        + vs_last_year("operating", "与上年持平")
        + "{% if operating.use %}，主要用于{{ operating.use }}{% endif %}"
        "{% if operating.reason and not operating.change.same %}，"
        "{{ operating.change.delta_word }}的主要原因：{{ operating.reason }}{% endif %}。"))

    add_heading(doc, "四、财政拨款“三公”经费预算情况", 1)
    tp = "three_public"
    add_paragraph(doc, (
        "{{ year }}年度“三公”经费预算安排{{ " + tp + ".total.current|amount }}万元，"
        + vs_last_year(tp + ".total", "较上年预算无增减变化", "较上年预算")
        + "。其中：因公出国（境）费支出{{ " + tp + ".overseas.current|amount }}万元，"
        + vs_last_year(tp + ".overseas")
        + "；公务用车购置及运行费支出预算{{ " + tp + ".vehicle.current|amount }}万元（其中公务用车运行费"
        "支出预算{{ " + tp + ".vehicle_running.current|amount }}万元，"
        + vs_last_year(tp + ".vehicle_running")
        + "；公务用车购置费支出预算{{ " + tp + ".vehicle_purchase.current|amount }}万元，"
        + vs_last_year(tp + ".vehicle_purchase")
        + "）；公务接待费{{ " + tp + ".reception.current|amount }}万元，"
        + vs_last_year(tp + ".reception") + "。"))

    add_heading(doc, "五、预算绩效信息情况", 1)
    add_heading(doc, "（一）{{ year }}年总体绩效目标", 2)
    loop_paragraphs(doc, "for g in goals.overall", [("{{ g.text }}", STYLE_BODY)])
    add_heading(doc, "（二）分项绩效目标", 2)
    add_paragraph(doc, "{%p for g in goals.sub %}", STYLE_PLAIN)
    add_heading(doc, "{{ g.no }}. {{ g.name }}", 3)
    add_paragraph(doc, "绩效目标：{{ g.goal }}")
    if_paragraph(doc, "g.indicators_text", "绩效指标：{{ g.indicators_text }}")
    add_paragraph(doc, "{%p endfor %}", STYLE_PLAIN)
    add_heading(doc, "（三）工作保障措施", 2)
    loop_paragraphs(doc, "for m in measures", [("{{ loop.index }}. {{ m }}", STYLE_BODY)])
    add_heading(doc, "（四）预算项目绩效目标", 2)
    add_paragraph(doc, "{%p for p in projects %}", STYLE_PLAIN)
    add_paragraph(doc, "{{ p.no }}、{{ p.name }}绩效目标表", STYLE_TABLE_TITLE)
    add_paragraph(doc, "{{ unit_code }} {{ unit_name }}", STYLE_TABLE_NOTE)
    add_paragraph(doc, "单位：万元", STYLE_TABLE_NOTE, align="right")
    project_table_hebei(doc)
    add_paragraph(doc, "{%p endfor %}", STYLE_PLAIN)

    add_heading(doc, "六、政府采购预算情况", 1)
    pur = "purchases"
    add_paragraph(doc, (
        "{{ year }}年度部门预算共计安排政府采购项目为{{ " + pur + ".count }}个，涉及金额"
        "{{ " + pur + ".amount|amount }}万元"
        "{% for k in ['goods', 'works', 'services'] %}{% set c = " + pur + "[k] %}"
        "{{ '，其中，' if loop.first else '；' }}{{ c.name }}类{{ c.count }}个，涉及金额"
        "{{ c.amount|amount }}万元{% if c.note %}，主要包括{{ c.note }}{% endif %}{% endfor %}。"))
    # 13 columns do not fit a portrait page without wrapping every amount: a landscape page.
    start_landscape(doc)
    add_paragraph(doc, "部门政府采购预算", STYLE_TABLE_TITLE)
    add_paragraph(doc, "{{ dept_code }} {{ org_full_name }}", STYLE_TABLE_NOTE)
    add_paragraph(doc, "单位：万元", STYLE_TABLE_NOTE, align="right")
    purchase_table(doc)
    end_landscape(doc)

    add_heading(doc, "七、国有资产信息情况", 1)
    add_paragraph(doc, (
        "截止到{{ prev_year }}年末固定资产总额{{ assets.total|amount }}万元"
        "{% if assets.classes %}，包括{% for c in assets.classes %}{{ c.category }}"
        "{{ c.value|amount }}万元{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}。"))
    if_paragraph(doc, "assets.purchase", (
        "{{ year }}年计划新购资产{{ assets.purchase|amount }}万元"
        "{% if assets.purchase_use %}，{{ assets.purchase_use }}{% endif %}。"))
    assets_table = loop_table(doc, (8.0, 3.0, 4.6), ("项目", "数量", "价值（金额单位：万元）"),
                              "for r in assets.rows",
               ("{{ r.item }}", "{{ r.quantity|amount|dash }}", "{{ r.value|fixed }}"),
               aligns=("left", "center", "center"),
               fixed_rows=(("资产总额", "-", "{{ assets.total|fixed }}"),))
    set_cell(assets_table.cell(1, 0), "资产总额", align="left")

    add_heading(doc, "八、专业名词解释", 1)
    loop_paragraphs(doc, "for t in terms", [("{{ t.no }}、{{ t.term }}：{{ t.text }}", STYLE_BODY)])

    add_heading(doc, "九、其他需要说明的事项", 1)
    loop_paragraphs(doc, "for n in notes", [("{{ n }}", STYLE_BODY)])
    if_paragraph(doc, "not notes", "无。")
    return doc


# Landscape type area: 22.5 cm.
PURCHASE_WIDTHS = (2.9, 1.6, 2.6, 2.5, 1.0, 1.0, 1.6, 1.7, 1.7, 1.4, 1.7, 1.3, 1.5)


def purchase_table(doc: DocumentObject) -> None:
    """The 部门政府采购预算 table (13 columns, two header rows, 合计 and 小计 rows)."""
    rows = 2 + 2 + 3
    t = add_table(doc, PURCHASE_WIDTHS, rows, header_rows=2)
    s: str | None = None  # the default table style; kept as a name for the many cells below
    merge(t, 0, 0, 0, 1)
    set_cell(t.cell(0, 0), "政府采购项目来源", style=s)
    for c, text in ((2, "采购物品名称"), (3, "政府采购目录序号"), (4, "计量单位"), (5, "数量"),
                    (6, "单价")):
        merge(t, 0, c, 1, c)
        set_cell(t.cell(0, c), text, style=s)
    merge(t, 0, 7, 0, 12)
    set_cell(t.cell(0, 7), "政府采购金额（当年部门预算安排资金）", style=s)
    for c, text in enumerate(("项目名称", "预算资金"), 0):
        set_cell(t.cell(1, c), text, style=s)
    set_cell(t.cell(1, 7), "合计", style=s)
    for k in range(5):
        set_cell(t.cell(1, 8 + k), "{{ purchases.fund_headers[" + str(k) + "] }}", style=s)
    for r, label in ((2, "合计"), (3, "{{ purchases.unit_name }}小计")):
        merge(t, r, 0, r, 6)
        set_cell(t.cell(r, 0), label, style=s)
        set_cell(t.cell(r, 7), "{{ purchases.amount|fixed }}", style=s)
        for k in range(5):
            v = f"purchases.fund_totals[{k}]"
            set_cell(t.cell(r, 8 + k), "{% if " + v + " %}{{ " + v + "|fixed }}{% endif %}", style=s)
    set_cell(t.cell(4, 0), "{%tr for r in purchases.rows %}", style=s)
    cells = ["{% if r.first_of_project %}{{ r.project }}{% endif %}",
             "{% if r.first_of_project %}{{ r.project_budget|fixed }}{% endif %}",
             "{{ r.item }}", "{{ r.catalog_code }}", "{{ r.unit }}", "{{ r.quantity|amount }}",
             "{{ r.price|fixed }}", "{{ r.amount|fixed }}"]
    cells += ["{% if r.funds[" + str(k) + "] %}{{ r.funds[" + str(k) + "]|fixed }}{% endif %}"
              for k in range(5)]
    for c, text in enumerate(cells):
        set_cell(t.cell(5, c), text, style=s)
    set_vmerge_expression(t.cell(5, 0), "r.project_merge")
    set_vmerge_expression(t.cell(5, 1), "r.project_merge")
    set_cell(t.cell(6, 0), "{%tr endfor %}", style=s)
    mark_header(t.rows[1])


# ---- 部门整体绩效目标 (seed 003, Tangshan) ---------------------------------------------------------

def build_goals() -> DocumentObject:
    doc = new_document()
    add_paragraph(doc, "第一部分", STYLE_SUBTITLE)
    add_title(doc, "{{ year }}年部门整体绩效目标")
    add_heading(doc, "一、总体绩效目标", 1)
    loop_paragraphs(doc, "for g in goals.overall", [(
        "{{ g.no }}．{% if g.name %}{{ g.name }}。{% endif %}{{ g.text }}", STYLE_BODY)])
    add_heading(doc, "二、分项绩效目标", 1)
    add_paragraph(doc, "{%p for g in goals.sub %}", STYLE_PLAIN)
    add_paragraph(doc, "（{{ g.cn_no }}）{{ g.name }}{% if g.description %}：{{ g.description }}"
                       "{% endif %}")
    add_paragraph(doc, "绩效目标：")
    loop_paragraphs(doc, "for x in g.goal_lines", [("{{ loop.index }}.{{ x }}", STYLE_BODY)])
    add_paragraph(doc, "{%p if g.indicator_lines %}", STYLE_PLAIN)
    add_paragraph(doc, "绩效指标：")
    loop_paragraphs(doc, "for x in g.indicator_lines", [("{{ loop.index }}.{{ x }}", STYLE_BODY)])
    add_paragraph(doc, "{%p endif %}", STYLE_PLAIN)
    add_paragraph(doc, "{%p endfor %}", STYLE_PLAIN)
    add_heading(doc, "三、工作保障措施", 1)
    loop_paragraphs(doc, "for m in measures", [("{{ loop.index }}.{{ m }}", STYLE_BODY)])

    add_page_break(doc)
    add_paragraph(doc, "第二部分", STYLE_SUBTITLE)
    add_title(doc, "预算项目绩效目标")
    add_paragraph(doc, "{%p for p in projects %}", STYLE_PLAIN)
    add_paragraph(doc, "（{{ p.cn_no }}）{{ p.name }}{% if not p.name.endswith('项目') %}项目"
                       "{% endif %}绩效目标表", STYLE_TABLE_TITLE)
    add_paragraph(doc, "单位：万元", STYLE_TABLE_NOTE, align="right")
    project_table_tangshan(doc)
    add_paragraph(doc, "{%p endfor %}", STYLE_PLAIN)
    return doc


def build_all(out_dir: Path = TEMPLATES_DIR) -> list[Path]:
    """Write both templates into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in ((DISCLOSURE_TEMPLATE, build_disclosure), (GOALS_TEMPLATE, build_goals)):
        path = out_dir / name
        builder().save(str(path))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out_dir = Path(args[0]) if args else TEMPLATES_DIR
    for path in build_all(out_dir):
        print(f"已生成模板 {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
