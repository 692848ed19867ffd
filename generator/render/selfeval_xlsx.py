"""The 绩效自评表 workbook: the national self-evaluation forms, filled from an Evaluation.

Sheets, in order:

* 部门整体支出绩效自评表 -- the department's form (部门 on top, 预算资金（万元）);
* one 项目支出绩效自评表 per project (sheet named "<n>.<项目名称>", ≤ 31 characters);
* 评分说明 -- every score with its explanation (formula and inputs), so each figure of the
  forms can be checked by hand.

Each form follows the layout of DOMAIN.md §4: 项目名称 / 主管部门 / 实施单位 header block,
the fund block (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 for 年度资金总额 and
其中：当年财政拨款 / 上年结转资金 / 其他资金), 年度总体目标 (预期目标 | 实际完成情况), the
indicator block (一级 and 二级 merged down their groups) and the 总分 row. Each 得分 cell
carries a comment with its explanation too. The form is one table written with the shared
generic writer (``xlsx_base.write_table``) so borders, merges,
row heights and formats are the same as every other published table.

Scores are written rounded by ``scoring.round_score`` and rates quantized to the two decimals
of the percentage shown, so the stored cell value is the value a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.compute.money import quantize
from generator.compute.scoring import round_score
from generator.compute.selfeval import (
    EXECUTION_LEVEL,
    TOTAL_FUND_ROW,
    Evaluation,
    FundLine,
    IndicatorResult,
    Scorecard,
)
from generator.model import SelfEvalWorkbook
from generator.render.xlsx_base import (
    BODY_FONT,
    MIN_ROW_HEIGHT,
    TITLE_ROW_HEIGHT,
    Cell,
    Column,
    Row,
    Styles,
    TableSpec,
    new_workbook,
    setup_print,
    write_sheet,
    write_table,
)

__all__ = [
    "DEPT_SHEET",
    "EXPLAIN_SHEET",
    "project_sheet_names",
    "render_selfeval_tables",
    "sheet_name",
]

DEPT_SHEET = "部门整体支出绩效自评表"
EXPLAIN_SHEET = "评分说明"
PROJECT_TITLE = "项目支出绩效自评表"
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
DASH = "—"

# The form's nine columns: A label | B 一级 | C 二级 | D 三级 | E 年度指标值 | F 实际完成值 |
# G 分值 | H 得分 | I 偏差原因. Fixed widths make every form look the same whatever its content
# (the fund block reuses the columns: B:C row label, D 年初 E 全年预算 F 执行 G 分值 H 执行率 I 得分).
FORM_COLUMNS: tuple[Column, ...] = (
    Column("center", width=12),
    Column("center", width=10),
    Column("center", width=12),
    Column("text", width=26),
    Column("center", width=14),
    Column("center", width=14),
    Column("center", width=8),
    Column("center", width=9),
    Column("text", width=28),
)
NCOLS = len(FORM_COLUMNS)
SCORE_COL = 7  # H: 得分 of the indicator block and of the 总分 row


# ---------------------------------------------------------------------------
# Sheet names
# ---------------------------------------------------------------------------


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name from ``text`` (≤ 31 chars, no []:*?/\\, no edge ')."""
    base = _BAD_SHEET_CHARS.sub("_", " ".join(text.split())).strip("'") or "Sheet"
    candidate = base[:MAX_SHEET_NAME]
    n = 2
    # Excel compares sheet names case-insensitively.
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def project_sheet_names(evaluation: Evaluation) -> list[str]:
    """The sheet name of each project's form, in project order."""
    taken = {DEPT_SHEET, EXPLAIN_SHEET}
    return [sheet_name(f"{i}.{card.name}", taken) for i, card in enumerate(evaluation.projects, 1)]


# ---------------------------------------------------------------------------
# Value helpers
# ---------------------------------------------------------------------------


def _score(value: Decimal) -> Decimal:
    """A score as displayed (2 decimals, half up; the engine's one rounding)."""
    return round_score(value)


def _rate(value: Decimal | None) -> Decimal | str:
    """A rate fraction quantized to the 2 decimals of its percentage (98.72% → 0.9872)."""
    return DASH if value is None else quantize(value, 4)


def _money(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


def _text(value: str) -> str:
    return value.strip()


# ---------------------------------------------------------------------------
# One form
# ---------------------------------------------------------------------------


class _FormStyles(Styles):
    """The shared styles plus the centred, borderless year line under a form's title."""

    def __init__(self, wb: Workbook) -> None:
        super().__init__(wb)
        self.year = wb.add_format(
            {"font_name": BODY_FONT, "font_size": 11, "align": "center", "valign": "vcenter"}
        )


def _head_rows(card: Scorecard, wb: SelfEvalWorkbook) -> list[Row]:
    if card.project is None:
        return [Row([Cell("部门", kind="center"), Cell(card.name, colspan=NCOLS - 1)])]
    p = card.project
    return [
        Row([Cell("项目名称", kind="center"), Cell(p.name, colspan=NCOLS - 1)]),
        Row([
            Cell("主管部门", kind="center"),
            Cell(wb.info.supervisor or wb.info.org_full_name or wb.info.dept_name, colspan=3),
            Cell("实施单位", kind="center"),
            Cell(p.unit or wb.info.dept_name, colspan=4),
        ]),
    ]  # fmt: skip


def _fund_rows(card: Scorecard) -> list[Row]:
    label = "预算资金（万元）" if card.project is None else "项目资金（万元）"
    rows = [
        Row(
            [
                Cell(label, rowspan=len(card.funds) + 1, kind="center"),
                Cell("", colspan=2, kind="center"),
                *(Cell(h, kind="center") for h in
                  ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")),
            ],
            style="section",
        )
    ]  # fmt: skip
    for line in card.funds:
        rows.append(_fund_row(card, line))
    return rows


def _fund_row(card: Scorecard, line: FundLine) -> Row:
    is_total = line.name == TOTAL_FUND_ROW
    name = line.name if is_total or line.name != "当年财政拨款" else "其中：当年财政拨款"
    cells: list[object] = [
        Cell(name, colspan=2, kind="text"),
        Cell(_money(line.initial), kind="money"),
        Cell(line.budget, kind="money"),
        Cell(line.executed, kind="money"),
    ]
    if is_total:
        cells += [
            Cell(card.execution.weight, kind="center"),
            Cell(_rate(card.rate), kind="percent" if card.rate is not None else "center"),
            Cell(_score(card.execution.score), kind="center"),
        ]
    else:
        cells += [
            Cell(DASH, kind="center"),
            Cell(_rate(line.rate), kind="percent" if line.rate is not None else "center"),
            Cell(DASH, kind="center"),
        ]
    return Row(cells)


def _goal_rows(card: Scorecard, wb: SelfEvalWorkbook) -> list[Row]:
    if card.project is not None:
        goal, result = card.project.goal, card.project.result
    else:
        overall = [g for g in wb.goals if g.type == "总体"]
        goal = "\n".join(g.goal for g in overall if g.goal)
        result = "\n".join(g.actual for g in overall if g.actual)
    return [
        Row([Cell("年度总体目标", rowspan=2, kind="center"),
             Cell("预期目标", colspan=4, kind="center"),
             Cell("实际完成情况", colspan=4, kind="center")], style="section"),
        Row([Cell(_text(goal), colspan=4, kind="text"),
             Cell(_text(result), colspan=4, kind="text")]),
    ]  # fmt: skip


def _spans(values: Sequence[str]) -> list[int]:
    """For each position, the length of the run of equal values starting there (0 inside a run)."""
    spans = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        spans[i] = j - i + 1
        i = j + 1
    return spans


def _indicator_rows(card: Scorecard) -> list[Row]:
    results = card.indicators
    header = Row(
        [Cell("绩效指标", rowspan=len(results) + 1, kind="center"),
         *(Cell(h, kind="center") for h in
           ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
            "偏差原因分析及改进措施"))],
        style="section",
    )  # fmt: skip
    rows = [header]
    # 一级 merges over its consecutive rows; 二级 merges within its 一级 group only.
    level1 = [r.indicator.level1 for r in results]
    level2 = [f"{r.indicator.level1}\x00{r.indicator.level2}" for r in results]
    span1, span2 = _spans(level1), _spans(level2)
    for i, r in enumerate(results):
        cells: list[object] = []
        if span1[i]:
            cells.append(Cell(r.indicator.level1, rowspan=span1[i], kind="center"))
        if span2[i]:
            cells.append(Cell(r.indicator.level2, rowspan=span2[i], kind="center"))
        cells += _indicator_cells(r)
        rows.append(Row(cells))
    return rows


def _indicator_cells(r: IndicatorResult) -> list[object]:
    ind = r.indicator
    return [
        Cell(ind.level3, kind="text"),
        Cell(ind.target.raw, kind="center"),
        Cell(ind.actual.raw if ind.actual else "", kind="center"),
        Cell(r.weight, kind="center"),
        Cell(_score(r.score.score), kind="center"),
        Cell(ind.reason, kind="text"),
    ]


def _total_row(card: Scorecard) -> Row:
    return Row(
        [
            Cell("总分（未填写整体绩效指标，取各项目总分的平均值）" if card.averaged else "总分",
                 colspan=6, kind="center"),
            Cell(card.max_total, kind="center"),
            Cell(_score(card.total), kind="center"),
            Cell(f"自评等级：{card.grade}（{card.grade_word}）", kind="center"),
        ],
        style="total",
    )


def form_rows(card: Scorecard, wb: SelfEvalWorkbook) -> list[Row]:
    """All rows of one form, top to bottom."""
    rows = _head_rows(card, wb) + _fund_rows(card) + _goal_rows(card, wb)
    if card.indicators:
        rows += _indicator_rows(card)
    return rows + [_total_row(card)]


def _write_form(
    wb_out: Workbook, name: str, card: Scorecard, evaluation: Evaluation, styles: _FormStyles
) -> None:
    title = DEPT_SHEET if card.project is None else PROJECT_TITLE
    year = evaluation.workbook.info.year
    spec = TableSpec(title=title, columns=FORM_COLUMNS, header=(), unit="", title_row=False)
    ws = wb_out.add_worksheet(name)
    # Title and "（2024年度）" are written here, centred over the form, so the shared writer
    # only lays out the bordered body (the budget tables' left-aligned 部门 line does not fit).
    ws.merge_range(0, 0, 0, NCOLS - 1, title, styles.title)
    ws.set_row(0, TITLE_ROW_HEIGHT)
    ws.merge_range(1, 0, 1, NCOLS - 1, f"（{year}年度）", styles.year)
    ws.set_row(1, MIN_ROW_HEIGHT)
    first_row = 2
    rows = form_rows(card, evaluation.workbook)
    placed = write_table(ws, spec, rows, styles, first_row=first_row)
    _comment_scores(ws, card, len(rows), first_row)
    setup_print(ws, landscape=True, last_col=NCOLS - 1, last_row=placed.next_row - 1)


def _comment_scores(ws: Worksheet, card: Scorecard, nrows: int, first_row: int) -> None:
    """A comment on each 得分 cell with the score's explanation (hover to see the formula).

    Positions follow ``form_rows``: the fund block's total row is the 年度资金总额 row; the
    indicator rows are the last ``len(indicators)`` rows before the 总分 row.
    """
    options = {"x_scale": 3, "y_scale": 2}
    head = 1 if card.project is None else 2
    total_fund_row = first_row + head + 1  # after the head rows and the fund header row
    ws.write_comment(total_fund_row, NCOLS - 1, card.execution.explanation, options)
    last = first_row + nrows - 1  # the 总分 row
    for i, r in enumerate(card.indicators):
        row = last - len(card.indicators) + i
        ws.write_comment(row, SCORE_COL, r.score.explanation, options)
    ws.write_comment(last, SCORE_COL, card.total_explanation, options)


# ---------------------------------------------------------------------------
# 评分说明
# ---------------------------------------------------------------------------

EXPLAIN_COLUMNS: tuple[Column, ...] = (
    Column("text", max_width=22),
    Column("center", max_width=12),
    Column("text", max_width=24),
    Column("number", width=7),
    Column("number", width=8),
    Column("center", width=10),
    Column("text", width=60),
    Column("text", width=36),
)


def _explain_rows(evaluation: Evaluation, names: Sequence[str]) -> list[Row]:
    rows: list[Row] = []
    cards = [(DEPT_SHEET, evaluation.department), *zip(names, evaluation.projects, strict=True)]
    for sheet, card in cards:
        label = f"{sheet}"
        e = card.execution
        rows.append(Row([label, EXECUTION_LEVEL, "预算执行率", e.weight, _score(e.score), e.status,
                         e.explanation, "；".join(e.notes)]))  # fmt: skip
        for r in card.indicators:
            s = r.score
            rows.append(Row([label, r.indicator.level1, r.indicator.level3, s.weight,
                             _score(s.score), s.status, s.explanation, "；".join(s.notes)]))  # fmt: skip
        rows.append(Row([label, "总分", f"总分（{card.grade_word}）", card.max_total,
                         _score(card.total), card.grade, card.total_explanation, ""],
                        style="subtotal"))  # fmt: skip
    return rows


def _write_explanations(
    wb_out: Workbook, evaluation: Evaluation, names: Sequence[str], styles: Styles
) -> None:
    spec = TableSpec(
        title="评分说明",
        columns=EXPLAIN_COLUMNS,
        header=(("自评表", "一级指标", "三级指标", "分值", "得分", "完成情况", "计分说明", "提示"),),
        unit_line="每个得分的计算公式与依据（得分按四舍五入保留两位小数显示）",
        unit="",
        landscape=True,
    )
    write_sheet(wb_out, EXPLAIN_SHEET, spec, _explain_rows(evaluation, names), styles)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def render_selfeval_tables(wb: SelfEvalWorkbook, evaluation: Evaluation, out: Path) -> Path:
    """Write the 绩效自评表 workbook to ``out`` and return it.

    ``wb`` is the workbook the evaluation was computed from (its header facts: 主管部门, goals).
    """
    if evaluation.workbook is not wb:
        raise ValueError("evaluation 不是由该工作簿计算得到的")
    out.parent.mkdir(parents=True, exist_ok=True)
    book = new_workbook(out)
    styles = _FormStyles(book)
    names = project_sheet_names(evaluation)
    _write_form(book, DEPT_SHEET, evaluation.department, evaluation, styles)
    for name, card in zip(names, evaluation.projects, strict=True):
        _write_form(book, name, card, evaluation, styles)
    _write_explanations(book, evaluation, names, styles)
    book.close()
    return out
