"""The 绩效自评表 workbook: the national self-evaluation forms, laid out from the report model.

Sheets, in order:

* 部门整体支出绩效自评表 -- the department's form (整体支出绩效自评 only);
* one 项目支出绩效自评表 per project (sheet named from ``[sheets] project``, ≤ 31 characters);
* 评分说明 -- every score with its explanation (formula and inputs), so each figure of the
  forms can be checked by hand; the explanations are worded by ``[score]`` of the same file
  (``render.score_wording``).

Each form follows the layout of DOMAIN.md §4: 项目名称 / 主管部门 / 实施单位 header block,
the fund block (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 for 年度资金总额 and
其中：当年财政拨款 / 上年结转资金 / 其他资金), 年度总体目标 (预期目标 | 实际完成情况), the
indicator block (一级 and 二级 merged down their groups; its header row repeated on every printed
page), the 总分 row, and a note under it for every hand-typed score the rule does not allow
(rule score, typed score, reason). Each 得分 cell carries a comment with its explanation.

This module is layout only: the figures come from :class:`~generator.compute.selfeval_report.Form`
(the same objects the Word reports print) and every word from ``templates/自评表.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.compute.money import quantize
from generator.compute.selfeval_report import Form, Fund, IndicatorLine, Mark, SelfEvalReport
from generator.render.docx_render import TemplateError
from generator.render.score_wording import say
from generator.render.wording import Wording, WordingError
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

__all__ = ["WORDING", "form_rows", "project_sheet_names", "render_selfeval_tables", "sheet_name"]

WORDING = "自评表"
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

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
TITLE_ROWS = 2  # the title and the "（2024年度）" line above each form's table


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


def project_sheet_names(report: SelfEvalReport, words: Wording) -> list[str]:
    """The sheet name of each project's form, in project order."""
    taken = {words("sheets.dept"), words("sheets.explain")}
    return [sheet_name(words("sheets.project", no=f.no, name=f.name), taken) for f in report.projects]


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


def _rate(value: Decimal | None, dash: str) -> Cell:
    """A rate quantized to the 2 decimals of its percentage (98.72% → 0.9872), or a dash."""
    if value is None:
        return Cell(dash, kind="center")
    return Cell(quantize(value, 4), kind="percent")


def _money(value: Decimal | None) -> Cell:
    return Cell("" if value is None else value, kind="money")


def _head_rows(form: Form, words: Wording) -> list[Row]:
    label = Cell(words("form.project" if form.is_project else "form.dept"), kind="center")
    rows = [Row([label, Cell(form.name, colspan=NCOLS - 1)])]
    if form.is_project:
        rows.append(Row([
            Cell(words("form.supervisor"), kind="center"), Cell(form.supervisor, colspan=3),
            Cell(words("form.unit"), kind="center"), Cell(form.unit, colspan=4),
        ]))  # fmt: skip
    return rows


def _fund_rows(form: Form, words: Wording, unit: str) -> list[Row]:
    label = words("form.project_funds" if form.is_project else "form.dept_funds", unit=unit)
    headers = words.list("form.fund_headers")
    rows = [Row([Cell(label, rowspan=len(form.funds) + 1, kind="center"), Cell("", colspan=2, kind="center"),
                 *(Cell(h, kind="center") for h in headers)], style="section")]
    dash = words("form.dash")
    for i, fund in enumerate(form.funds):
        rows.append(_fund_row(form, fund, i == 0, words, dash))
    return rows


def _fund_row(form: Form, fund: Fund, is_total: bool, words: Wording, dash: str) -> Row:
    cells = [
        Cell(words("form.fund_row", name=fund.name), colspan=2, kind="text"),
        _money(fund.initial), _money(fund.budget), _money(fund.executed),
    ]  # fmt: skip
    if is_total:
        # The mean of project totals is not made of the execution score: no score to show here.
        score = Cell(dash if form.averaged else form.execution.score, kind="center")
        cells += [Cell(form.execution.weight, kind="center"), _rate(fund.rate, dash), score]
    else:
        cells += [Cell(dash, kind="center"), _rate(fund.rate, dash), Cell(dash, kind="center")]
    return Row(cells)


def _cell_text(items: Sequence[str], words: Wording) -> str:
    return "\n".join(words("form.goal_item", no=i, item=t, count=len(items)) for i, t in enumerate(items, 1))


def _goal_rows(form: Form, words: Wording) -> list[Row]:
    expected, actual = words.list("form.goal_headers")
    return [
        Row([Cell(words("form.goal"), rowspan=2, kind="center"),
             Cell(expected, colspan=4, kind="center"), Cell(actual, colspan=4, kind="center")], style="section"),
        Row([Cell(_cell_text(form.goals, words), colspan=4, kind="text"),
             Cell(_cell_text(form.results, words), colspan=4, kind="text")]),
    ]  # fmt: skip


def _indicator_rows(form: Form, words: Wording) -> list[Row]:
    lines = form.indicators
    header = Row([Cell(words("form.indicators"), rowspan=len(lines) + 1, kind="center"),
                  *(Cell(h, kind="center") for h in words.list("form.indicator_headers"))], style="section")
    rows = [header]
    for line in lines:
        cells: list[object] = []
        if line.level1_rows:
            cells.append(Cell(line.level1, rowspan=line.level1_rows, kind="center"))
        if line.level2_rows:
            cells.append(Cell(line.level2, rowspan=line.level2_rows, kind="center"))
        cells += _indicator_cells(line)
        rows.append(Row(cells))
    return rows


def _indicator_cells(line: IndicatorLine) -> list[object]:
    return [
        Cell(line.name, kind="text"),
        Cell(line.target.text, kind="center"),
        Cell(line.actual, kind="center"),
        Cell(line.mark.weight, kind="center"),
        Cell(line.mark.score, kind="center"),
        Cell(line.deviation, kind="text"),
    ]


def _total_rows(form: Form, words: Wording) -> list[Row]:
    rows = [Row([
        Cell(words("form.total", averaged=form.averaged), colspan=6, kind="center"),
        Cell(form.max_total, kind="center"),
        Cell(form.total, kind="center"),
        Cell(words("form.grade", grade=form.grade, grade_word=form.grade_word), kind="center"),
    ], style="total")]  # fmt: skip
    if form.adjusted:
        notes = "\n".join(words("form.adjusted", no=i, name=a.name, mark=a.mark)
                          for i, a in enumerate(form.adjusted, 1))
        rows.append(Row([Cell(words("form.adjusted_label"), kind="center"),
                         Cell(notes, colspan=NCOLS - 1, kind="text")]))
    return rows


def form_rows(form: Form, words: Wording, unit: str) -> tuple[list[Row], int | None]:
    """All rows of one form, top to bottom, and the index of the indicator header row."""
    rows = _head_rows(form, words) + _fund_rows(form, words, unit) + _goal_rows(form, words)
    header_at = None
    if form.indicators:
        header_at = len(rows)
        rows += _indicator_rows(form, words)
    return rows + _total_rows(form, words), header_at


def _write_form(book: Workbook, name: str, form: Form, report: SelfEvalReport, words: Wording,
                styles: _FormStyles) -> None:
    title = words("form.project_title" if form.is_project else "form.dept_title")
    spec = TableSpec(title=title, columns=FORM_COLUMNS, header=(), unit="", title_row=False)
    ws = book.add_worksheet(name)
    # Title and "（2024年度）" are written here, centred over the form, so the shared writer
    # only lays out the bordered body (the budget tables' left-aligned 部门 line does not fit).
    ws.merge_range(0, 0, 0, NCOLS - 1, title, styles.title)
    ws.set_row(0, TITLE_ROW_HEIGHT)
    ws.merge_range(1, 0, 1, NCOLS - 1, words("form.year_line", year=report.year), styles.year)
    ws.set_row(1, MIN_ROW_HEIGHT)
    rows, header_at = form_rows(form, words, report.unit)
    placed = write_table(ws, spec, rows, styles, first_row=TITLE_ROWS)
    _comment_scores(ws, form, rows, words)
    # A long indicator block continues on the next page under its own header row.
    header_rows = None if header_at is None else (TITLE_ROWS + header_at, TITLE_ROWS + header_at)
    setup_print(ws, landscape=True, header_rows=header_rows, last_col=NCOLS - 1,
                last_row=placed.next_row - 1)


def _comment_scores(ws: Worksheet, form: Form, rows: Sequence[Row], words: Wording) -> None:
    """A comment on each 得分 cell with the score's explanation (hover to see the formula).

    Positions follow ``form_rows``: the 年度资金总额 row follows the head rows and the fund
    header; the indicator rows end right before the 总分 row.
    """
    options = {"x_scale": 3, "y_scale": 2}
    head = 2 if form.is_project else 1
    ws.write_comment(TITLE_ROWS + head + 1, NCOLS - 1, _explained(form.execution, words), options)
    total_at = TITLE_ROWS + len(rows) - (2 if form.adjusted else 1)
    for i, line in enumerate(form.indicators):
        ws.write_comment(total_at - len(form.indicators) + i, SCORE_COL, _explained(line.mark, words), options)
    ws.write_comment(total_at, SCORE_COL, _total_explanation(form, words), options)


def _explained(mark: Mark, words: Wording) -> str:
    explanation = say(mark.explanation, words)
    if mark.adjusted:
        return f"{explanation}\n{words('form.adjusted_comment', mark=mark)}"
    return explanation


def _total_explanation(form: Form, words: Wording) -> str:
    return words("explain.total", averaged=form.averaged, parts=form.parts, total=form.total,
                 grade=form.grade, grade_word=form.grade_word)


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


def _notes(mark: Mark, words: Wording) -> str:
    notes = [say(note, words) for note in mark.notes]
    if mark.adjusted:
        notes.append(words("explain.adjusted", mark=mark))
    return "；".join(notes)


def _explain_rows(forms: Sequence[tuple[str, Form]], words: Wording) -> list[Row]:
    rows: list[Row] = []
    execution = words("explain.execution")
    for sheet, form in forms:
        e = form.execution
        rows.append(Row([sheet, execution, execution, e.weight, e.score, e.status, say(e.explanation, words),
                         _notes(e, words)]))
        for line in form.indicators:
            m = line.mark
            rows.append(Row([sheet, line.level1, line.name, m.weight, m.score, m.status, say(m.explanation, words),
                             _notes(m, words)]))
        rows.append(Row([sheet, words("explain.total_level"), words("explain.total_name", grade_word=form.grade_word),
                         form.max_total, form.total, form.grade, _total_explanation(form, words), ""],
                        style="subtotal"))
    return rows


def _write_explanations(book: Workbook, forms: Sequence[tuple[str, Form]], words: Wording,
                        styles: Styles) -> None:
    spec = TableSpec(
        title=words("explain.title"),
        columns=EXPLAIN_COLUMNS,
        header=(tuple(words.list("explain.headers")),),
        unit_line=words("explain.note"),
        unit="",
        landscape=True,
    )
    write_sheet(book, words("sheets.explain"), spec, _explain_rows(forms, words), styles)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def tables_name(report: SelfEvalReport, words: Wording) -> str:
    """The file name of the 自评表 workbook."""
    return words("project_file" if report.is_project else "file", year=report.year)


def render_selfeval_tables(report: SelfEvalReport, out_dir: Path, templates_dir: Path) -> Path:
    """Write the 绩效自评表 workbook of ``report`` into ``out_dir`` and return its path.

    A 项目支出绩效自评 holds only the project forms; otherwise the department's form comes first.
    """
    try:
        words = Wording.load(templates_dir, WORDING)
        out = Path(out_dir) / tables_name(report, words)
        names = project_sheet_names(report, words)
        forms = list(zip(names, report.projects, strict=True))
        if not report.is_project:
            forms.insert(0, (words("sheets.dept"), report.dept))
        out.parent.mkdir(parents=True, exist_ok=True)
        book = new_workbook(out)
        styles = _FormStyles(book)
        for name, form in forms:
            _write_form(book, name, form, report, words, styles)
        _write_explanations(book, forms, words, styles)
        book.close()
    except WordingError as exc:  # a user-edited wording file: say which phrase, in Chinese
        raise TemplateError(str(exc)) from exc
    return out
