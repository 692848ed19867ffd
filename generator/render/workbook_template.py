"""Write input workbooks: blank templates for users, and filled ones (examples, tests, --from).

The layout comes from ``schema``; this module only turns it into a workbook a person can fill
without a manual: a 填表说明 sheet first, frozen header rows, a comment on every header saying
what goes there with an example, drop-downs (long lists read from a hidden sheet), number
formats, and column widths that fit Chinese text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.model.indicator_tree import PRESETS
from generator.model.schema import (
    CHOICES,
    FORM_HELP_HEADER,
    FORM_LABEL_HEADER,
    FORM_VALUE_HEADER,
    INCOME_ROWS,
    INSTRUCTIONS_SHEET,
    KIND_TITLES,
    LEVEL1_LIST,
    LEVEL2_LIST,
    LISTS_SHEET,
    MONTH_PLAN,
    PREFILLED_NOTE,
    QUARTER_PLAN,
    SHEETS,
    STANDARD_TERMS,
    BudgetSheets,
    Column,
    FormSheet,
    Kind,
    TableSheet,
    WorkbookKind,
)
from generator.render.wording import Wording
from generator.resources import templates_dir

MAX_TEMPLATE_ROWS = 1000  # rows that get drop-downs and formats in a blank sheet

WORDING = "填报工作簿"  # templates/填报工作簿.toml: the instructions and comments of the workbooks


class Noted(NamedTuple):
    """A value with a cell comment, e.g. the corrected value of a seed defect and what it was."""

    value: object
    comment: str


@dataclass
class WorkbookData:
    """Content for a filled workbook. Keys are the schema's column keys."""

    forms: dict[str, dict[str, object]] = field(default_factory=dict)
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    plan: str = "month"  # "month" (3月底…12月底) or "quarter" (第一季度…第四季度)
    notes: list[str] = field(default_factory=list)  # lines for 填表说明, e.g. what --from carried


def text_width(text: str) -> int:
    """Display width counting CJK characters as two (XlsxWriter's autofit counts them as one)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def plan_columns_excluded(plan: str) -> frozenset[str]:
    return frozenset(QUARTER_PLAN if plan == "month" else MONTH_PLAN)


class _Formats:
    def __init__(self, wb: Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                     "text_wrap": True, "align": "center"})
        self.header_required = wb.add_format({**base, "bold": True, "bg_color": "#FCE4D6",
                                              "border": 1, "text_wrap": True, "align": "center"})
        self.text = wb.add_format({**base, "text_wrap": True, "num_format": "@"})
        self.money = wb.add_format({**base, "num_format": "#,##0.00####"})
        self.number = wb.add_format({**base, "num_format": "General"})
        self.percent = wb.add_format({**base, "num_format": "0.00%"})
        self.label = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "border": 1})
        self.title = wb.add_format({"font_name": "黑体", "font_size": 16, "bold": True})
        self.bold = wb.add_format({**base, "bold": True})
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})

    def for_kind(self, kind: Kind) -> Any:
        if kind is Kind.MONEY:
            return self.money
        if kind is Kind.PERCENT:
            return self.percent
        if kind in (Kind.NUMBER, Kind.INT, Kind.YEAR, Kind.SCORE):
            return self.number
        return self.text


def write_workbook(kind: WorkbookKind, path: Path, data: WorkbookData | None = None) -> None:
    """Write a workbook of ``kind`` to ``path``: blank when ``data`` is None, else filled."""
    data = data or WorkbookData()
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    fmt = _Formats(wb)
    all_lists = _all_lists()
    lists = _list_refs(all_lists)
    words = Wording.load(templates_dir(), WORDING)
    _write_instructions(wb, kind, fmt, words, data.notes)
    excluded = plan_columns_excluded(data.plan)
    for sheet in SHEETS[kind]:
        if isinstance(sheet, FormSheet):
            _write_form(wb, sheet, data.forms.get(sheet.name, {}), fmt, lists, words)
        else:
            rows = data.tables.get(sheet.name)
            if rows is None and sheet.name == BudgetSheets.TERMS:  # the standard terms, marked as pre-filled
                rows = [{"no": i, "term": t, "text": Noted(x, PREFILLED_NOTE)}
                        for i, (t, x) in enumerate(STANDARD_TERMS, 1)]
            _write_table(wb, sheet, rows or [], fmt, lists, excluded, words)
    _write_lists(wb, all_lists)  # last, so the sheets users fill come first
    wb.worksheets()[0].activate()  # the instructions are what a user should see first
    wb.close()


def _all_lists() -> dict[str, tuple[str, ...]]:
    """Every drop-down list by name; the indicator lists offer the names of every preset."""
    level1 = tuple(dict.fromkeys(n for t in PRESETS.values() for n in t.level1_names))
    level2 = tuple(dict.fromkeys(n for t in PRESETS.values() for n in t.level2_names))
    return {**CHOICES, LEVEL1_LIST: level1, LEVEL2_LIST: level2}


def _list_refs(lists: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Range references of the lists on the hidden sheet (written last, see ``_write_lists``).

    Data-validation lists typed inline are limited to 255 characters, so all lists point at
    ranges: one mechanism for short and long lists.
    """
    refs: dict[str, str] = {}
    for col, (name, values) in enumerate(lists.items()):
        letter = xlsxwriter.utility.xl_col_to_name(col)
        refs[name] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    return refs


def _write_lists(wb: Workbook, lists: Mapping[str, tuple[str, ...]]) -> None:
    ws = wb.add_worksheet(LISTS_SHEET)
    for col, (name, values) in enumerate(lists.items()):
        ws.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            ws.write_string(row, col, value)
    ws.hide()


def _write_instructions(wb: Workbook, kind: WorkbookKind, fmt: _Formats, words: Wording,
                        notes: Sequence[str] = ()) -> None:
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 100)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.write_string(0, 0, KIND_TITLES[kind], fmt.title)
    general = words.list("requirements")
    ws.write_string(2, 0, words("requirements_title"), fmt.bold)
    for row, line in enumerate(general, start=2):
        ws.write_string(row, 1, line, fmt.wrap)
    row = 2 + len(general)
    if notes:  # what a pre-filled workbook holds and what the user must review
        row += 1
        ws.write_string(row, 0, words("notes_title"), fmt.bold)
        for line in notes:
            ws.set_row(row, 15 * (-(-text_width(line) // 96) or 1))
            ws.write_string(row, 1, line, fmt.wrap)
            row += 1
    row += 1
    for col, header in enumerate(words.list("sheets_header")):
        ws.write_string(row, col, header, fmt.header)
    for sheet in SHEETS[kind]:
        row += 1
        ws.write_url(row, 0, f"internal:'{sheet.name}'!A1", string=sheet.name)
        cols = sheet.fields if isinstance(sheet, FormSheet) else sheet.columns
        names = "、".join(c.header + (words("required_mark") if c.required else "") for c in cols)
        text = f"{sheet.help}\n" + words("contents", names=names)
        # Spreadsheets do not grow rows for wrapped text written by a program: size them here
        # (column B is 100 characters wide, a CJK character counts two).
        lines = sum(-(-text_width(part) // 96) or 1 for part in text.split("\n"))
        ws.set_row(row, 15 * lines)
        ws.write_string(row, 1, text, fmt.wrap)


def _comment(col: Column, words: Wording) -> str:
    parts = [col.help or col.header]
    if col.required:
        parts.append(words("comment_required"))
    if col.choices:
        parts.append(words("comment_choices"))
    if col.default:
        parts.append(words("comment_default", default=col.default))
    if col.example:
        parts.append(words("comment_example", example=col.example))
    return "\n".join(parts)


def _write_value(ws: Worksheet, row: int, col: int, column: Column, value: object,
                 fmt: _Formats) -> None:
    comment: str | None = None
    if isinstance(value, Noted):
        comment = value.comment
        value = value.value
    cell_format = fmt.for_kind(column.kind)
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        ws.write_string(row, col, str(value), cell_format)
    elif isinstance(value, (int, float, Decimal)) and column.kind not in (Kind.CODE, Kind.TEXT,
                                                                          Kind.LONGTEXT):
        ws.write_number(row, col, float(value), cell_format)
    else:
        ws.write_string(row, col, str(value), cell_format)
    if comment:
        ws.write_comment(row, col, comment, {"x_scale": 2, "y_scale": 1.5})


def _write_form(wb: Workbook, sheet: FormSheet, values: Mapping[str, object], fmt: _Formats,
                lists: Mapping[str, str], words: Wording) -> None:
    ws = wb.add_worksheet(sheet.name)
    ws.write_string(0, 0, FORM_LABEL_HEADER, fmt.header)
    ws.write_string(0, 1, FORM_VALUE_HEADER, fmt.header)
    ws.write_string(0, 2, FORM_HELP_HEADER, fmt.header)
    ws.freeze_panes(1, 1)
    ws.set_column(0, 0, max(text_width(f.header) for f in sheet.fields) + 2)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 50)
    for i, f in enumerate(sheet.fields, start=1):
        ws.write_string(i, 0, f.header, fmt.header_required if f.required else fmt.label)
        ws.write_comment(i, 0, _comment(f, words), {"x_scale": 2, "y_scale": 1.5})
        note = (words("comment_required") if f.required else "") + (f.help or "")
        if f.example:
            note += words("form_example", example=f.example)
        ws.write_string(i, 2, note, fmt.wrap)
        _write_value(ws, i, 1, f, values.get(f.key), fmt)
        if f.choices:
            ws.data_validation(i, 1, i, 1, {"validate": "list", "source": lists[f.choices]})


def _write_table(wb: Workbook, sheet: TableSheet, rows: Sequence[Mapping[str, object]],
                 fmt: _Formats, lists: Mapping[str, str], excluded: frozenset[str], words: Wording) -> None:
    ws = wb.add_worksheet(sheet.name)
    columns = [c for c in sheet.columns if c.key not in excluded]
    for c, col in enumerate(columns):
        ws.write_string(0, c, col.header, fmt.header_required if col.required else fmt.header)
        ws.write_comment(0, c, _comment(col, words), {"x_scale": 2, "y_scale": 1.5})
        width = max(col.width, text_width(col.header) + 2)
        ws.set_column(c, c, width, fmt.for_kind(col.kind))
        last = max(MAX_TEMPLATE_ROWS, len(rows) + 1)
        if col.choices:
            ws.data_validation(1, c, last, c, {
                "validate": "list", "source": lists[col.choices],
                "error_type": "warning",  # a warning, not a stop: the validator explains later
                "error_message": words("choice_error", header=col.header),
            })
        elif col.kind in (Kind.MONEY, Kind.NUMBER):
            ws.data_validation(1, c, last, c, {
                "validate": "decimal", "criteria": ">=", "value": -1e12,
                "error_type": "warning", "error_message": words("number_error", header=col.header),
            })
    ws.freeze_panes(1, 0)
    ws.set_row(0, 30)
    for r, record in enumerate(_ordered_rows(sheet, rows), start=1):
        for c, col in enumerate(columns):
            _write_value(ws, r, c, col, record.get(col.key), fmt)


def _ordered_rows(sheet: TableSheet, rows: Sequence[Mapping[str, object]]
                  ) -> list[Mapping[str, object]]:
    """Fixed-row sheets list their labels in schema order, filled or blank."""
    if not sheet.fixed_rows:
        return list(rows)
    label_key = "item" if any(c.key == "item" for c in sheet.columns) else sheet.columns[0].key
    by_label = {}
    for r in rows:
        label = r.get(label_key)
        by_label[label.value if isinstance(label, Noted) else label] = r
    ordered: list[Mapping[str, object]] = []
    for label in sheet.fixed_rows:
        record = dict(by_label.pop(label, {}))
        record[label_key] = label
        if "side" in {c.key for c in sheet.columns} and "side" not in record:
            record["side"] = "收入" if label in INCOME_ROWS else "支出"
        ordered.append(record)
    ordered.extend(by_label.values())
    return ordered
