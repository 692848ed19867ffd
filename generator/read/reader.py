"""Read a filled workbook into the domain model, by header text, tolerant of what people type.

``read_workbook(path)`` → ``ReadResult(kind, model, findings)``. Columns are matched by header
text (or alias), not position; rows by label where the schema fixes them. Numbers typed as text,
"42.40万元", full-width digits, percentages as 0.6 / 60 / "60%", stray spaces and line breaks,
blank rows, merged cells and hand-typed totals rows are all accepted. What cannot be guessed (a
missing sheet or column, a value that is not a number) becomes a finding at its cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.model import (
    ZERO,
    Amounts,
    AssetClass,
    AssetRow,
    BudgetInfo,
    BudgetWorkbook,
    DeptGoal,
    EconomicLine,
    EvalInfo,
    EvalProject,
    Evaluator,
    FunctionLine,
    FundRow,
    Indicator,
    Institution,
    OperatingCost,
    Project,
    Purchase,
    SelfEvalWorkbook,
    Source,
    Term,
)
from generator.model.items import split_items
from generator.model.schema import (
    AMOUNT_UNITS,
    ASSET_ROWS,
    CHOICES,
    DEFAULT_AMOUNT_UNIT,
    EVAL_FUND_ROWS,
    FORM_LABEL_HEADER,
    FORM_VALUE_HEADER,
    INCOME_ROWS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    RESULTS_SHEET,
    SELF_EVAL_DEPT_SHEETS,
    SELF_EVAL_DEPT_STYLE,
    SELF_EVAL_PROJECT_STYLE,
    SHEETS,
    SPENDING_ROWS,
    THREE_PUBLIC_ROWS,
    Column,
    FormSheet,
    Kind,
    TableSheet,
    WorkbookKind,
)
from generator.model.text import normalize_label, normalize_text, strip_control_chars
from generator.model.values import IndicatorValue
from generator.read.amounts import parse_amount
from generator.read.catalog_file import choose_catalog
from generator.read.cell_text import BIDI_CONTROLS, date_text, remove_format_chars, remove_noncharacters, unescape_ooxml
from generator.read.values import ValueParseError, parse_actual, parse_decimal, parse_indicator_value, parse_int, parse_percent
from generator.read.workbook_io import (
    EXCEL_ERRORS,
    MAX_COLUMNS,
    Grid,
    UnreadableWorkbook,
    cell_ref,
    detect_kind,
    open_workbook,
)
from generator.validate import findings as F
from generator.validate.findings import Finding
from generator.validate.subject import TextCell

HEADER_SCAN_ROWS = 10
AMOUNT_UNIT_KEY = "amount_unit"
EXCEL_CELL_CHARS = 32_767  # what one Excel cell holds; XlsxWriter silently cuts the rest
_TEXT_KINDS = (Kind.TEXT, Kind.LONGTEXT, Kind.INDICATOR, Kind.ACTUAL, Kind.CODE)
TOTAL_LABELS = ("合计", "小计", "总计", "本年合计", "总合计")


@dataclass
class Cell:
    value: Any  # parsed (str, Decimal, int, IndicatorValue) or None when blank/invalid
    raw: Any
    ref: str
    header: str


@dataclass
class Record:
    sheet: str
    row: int
    cells: dict[str, Cell] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        cell = self.cells.get(key)
        return default if cell is None or cell.value is None else cell.value

    def text(self, key: str) -> str:
        value = self.get(key, "")
        return value if isinstance(value, str) else str(value)

    def money(self, key: str) -> Decimal:
        value = self.get(key)
        return value if isinstance(value, Decimal) else ZERO

    def refs(self) -> dict[str, str]:
        """Column key -> A1 reference of every cell read in this row."""
        return {key: cell.ref for key, cell in self.cells.items() if cell.ref}

    def src(self, key: str) -> Source:
        cell = self.cells.get(key)
        if cell is None:
            return Source(self.sheet, "", "")
        return Source(self.sheet, cell.ref, cell.header)


@dataclass
class ReadResult:
    kind: WorkbookKind
    model: BudgetWorkbook | SelfEvalWorkbook | None
    findings: list[Finding]
    texts: tuple[TextCell, ...] = ()  # every text cell read, for the proof-reading rule
    cell_elements: int = 0  # cells in the file, empty formatted ones included (a full load's size)
    normalised_for: str | None = None  # the indicator tree ``read.normalise`` applied, once


class SheetReader:
    """Schema-driven access to the grids of one workbook, collecting findings as it goes."""

    def __init__(self, grids: dict[str, Grid], kind: WorkbookKind) -> None:
        self.grids = grids
        self.kind = kind
        self.findings: list[Finding] = []
        self.texts: list[TextCell] = []
        self._by_label = {normalize_label(name): g for name, g in grids.items()}
        # 基本信息 → 金额单位; every MONEY cell is parsed in it (the form sets it first).
        self.amount_unit = DEFAULT_AMOUNT_UNIT
        self._noted: set[tuple[str, str, int]] = set()  # hidden sheet/row/column already reported

    # ---- sheets --------------------------------------------------------------------------
    def grid(self, spec: TableSheet | FormSheet) -> Grid | None:
        for name in (spec.name, *spec.aliases):
            grid = self.grids.get(name) or self._by_label.get(normalize_label(name))
            if grid is not None:
                return grid
        if spec.required:
            self.add("missing-sheet", spec.name, "", "", "",
                     f"工作簿缺少工作表“{spec.name}”",
                     "请使用 budget-report template 生成的模板，或按填表说明补上该工作表")
        return None

    def report_extra_sheets(self) -> None:
        known = {normalize_label(n) for s in SHEETS[self.kind] for n in (s.name, *s.aliases)}
        known |= {normalize_label(n) for n in (INSTRUCTIONS_SHEET, LISTS_SHEET, RESULTS_SHEET)}
        for name in self.grids:
            if normalize_label(name) not in known and self.grids[name].rows:
                self.add("extra-sheet", name, "", "", "",
                         f"工作表“{name}”不属于{self.kind.value}工作簿，已忽略",
                         "如果这是改过名的工作表，请改回模板中的名称")

    def report_ignored_cells(self) -> None:
        """Content right of the column limit is not read: say so, at the first such cell."""
        for name, grid in self.grids.items():
            if grid.ignored_cells:
                self.add("beyond-column-limit", name, grid.first_ignored, "", "",
                         f"工作表“{name}”第 {MAX_COLUMNS} 列之后还有 {grid.ignored_cells} 个单元格有内容"
                         f"（如 {grid.first_ignored}），超出读取范围，已忽略",
                         "请把需要的内容移到表格的列中，或删除这些内容")

    def add(self, code: str, sheet: str, cell: str, header: str, value: object, message: str,
            fix: str = "") -> None:
        self.findings.append(F.make(code, sheet, cell, header, value, message, fix))

    # ---- forms ---------------------------------------------------------------------------
    def form(self, spec: FormSheet) -> Record:
        record = Record(spec.name, 0)
        grid = self.grid(spec)
        if grid is None:
            return record
        label_col, value_col = 1, 2
        header_row = 0
        for r in range(1, min(HEADER_SCAN_ROWS, grid.max_row) + 1):
            labels = [normalize_label(grid.value(r, c)) for c in range(1, len(grid.rows[r - 1]) + 1)]
            if FORM_LABEL_HEADER in labels and FORM_VALUE_HEADER in labels:
                label_col = labels.index(FORM_LABEL_HEADER) + 1
                value_col = labels.index(FORM_VALUE_HEADER) + 1
                header_row = r
                break
        wanted = {normalize_label(n): f for f in spec.fields for n in f.names}
        rows = [(r, wanted[label]) for r in range(header_row + 1, grid.max_row + 1)
                if (label := normalize_label(grid.value(r, label_col))) in wanted]
        # The amount unit first: the form's own amounts (计划新购资产金额) are typed in it.
        rows.sort(key=lambda rc: rc[1].key != AMOUNT_UNIT_KEY)
        for r, column in rows:
            record.cells[column.key] = self._parse(grid, r, value_col, column)
            if column.key == AMOUNT_UNIT_KEY and record.cells[column.key].value in AMOUNT_UNITS:
                self.amount_unit = record.cells[column.key].value
        for f in spec.fields:
            if f.key not in record.cells:
                record.cells[f.key] = Cell(None, None, "", f.header)
                if f.required:
                    self.add("missing-row", spec.name, "", f.header, "",
                             f"工作表“{spec.name}”缺少“{f.header}”一行",
                             f"在“{FORM_LABEL_HEADER}”列加一行“{f.header}”并在“{FORM_VALUE_HEADER}”列填写")
            elif f.required and record.cells[f.key].value is None and \
                    record.cells[f.key].raw in (None, ""):
                cell = record.cells[f.key]
                self.add("required", spec.name, cell.ref, f.header, "",
                         f"“{f.header}”不能为空", f"请在 {cell.ref} 填写{f.header}"
                         + (f"，如：{f.example}" if f.example else ""))
        return record

    # ---- tables --------------------------------------------------------------------------
    def table(self, spec: TableSheet) -> list[Record]:
        grid = self.grid(spec)
        if grid is None:
            return []
        header_row, positions = self._find_header(grid, spec)
        columns = self._active_columns(spec, positions, grid, header_row)
        if columns is None:
            return []
        records: list[Record] = []
        first_key = columns[0].key
        for r in range(header_row + 1, grid.max_row + 1):
            raw_row = [grid.value(r, positions[c.key]) for c in columns if c.key in positions]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw_row):
                continue  # blank rows between blocks are fine
            if self._is_totals_row(grid, r, positions, spec):
                continue
            record = Record(spec.name, r)
            for col in columns:
                if col.key in positions:
                    record.cells[col.key] = self._parse(grid, r, positions[col.key], col)
            if spec.fixed_rows and all(
                    record.get(c.key) is None for c in columns if c.kind not in
                    (Kind.TEXT, Kind.LONGTEXT) or c.key in ("note",)):
                # a fixed row the user left empty: keep it (zeros), no required checks
                records.append(record)
                continue
            for col in columns:
                if col.required and col.key in record.cells and record.cells[col.key].raw in (None, ""):
                    if spec.fixed_rows and col.key == first_key:
                        continue
                    cell = record.cells[col.key]
                    self.add("required", spec.name, cell.ref, col.header, "",
                             f"“{col.header}”不能为空", f"请在 {cell.ref} 填写{col.header}"
                             + (f"，如：{col.example}" if col.example else ""))
            records.append(record)
        return records

    def fixed(self, spec: TableSheet, label_key: str) -> dict[str, Record]:
        """A fixed-row table keyed by its expected labels (missing rows reported)."""
        records = self.table(spec)
        wanted = {normalize_label(label): label for label in spec.fixed_rows}
        out: dict[str, Record] = {}
        for rec in records:
            label = wanted.get(normalize_label(rec.text(label_key)))
            if label is None:
                cell = rec.cells.get(label_key)
                self.add("unknown-row", spec.name, cell.ref if cell else "", "", rec.text(label_key),
                         f"“{rec.text(label_key)}”不是本表的固定项目，已忽略",
                         "固定项目有：" + "、".join(spec.fixed_rows))
                continue
            out[label] = rec
        if self.grid_exists(spec):
            for label in spec.fixed_rows:
                if label not in out:
                    self.add("missing-row", spec.name, "", "", label,
                             f"工作表“{spec.name}”缺少固定行“{label}”，按 0 处理",
                             "请从模板恢复该行")
        return out

    def grid_exists(self, spec: TableSheet) -> bool:
        return any(self.grids.get(n) is not None or normalize_label(n) in self._by_label
                   for n in (spec.name, *spec.aliases))

    def _find_header(self, grid: Grid, spec: TableSheet) -> tuple[int, dict[str, int]]:
        names = {normalize_label(n): c.key for c in spec.columns for n in c.names}
        best_row, best = 1, dict[str, int]()
        for r in range(1, min(HEADER_SCAN_ROWS, grid.max_row) + 1):
            found: dict[str, int] = {}
            for c in range(1, len(grid.rows[r - 1]) + 1):
                key = names.get(normalize_label(grid.value(r, c)))
                if key is not None and key not in found:
                    found[key] = c
            if len(found) > len(best):
                best_row, best = r, found
        return best_row, best

    def _active_columns(self, spec: TableSheet, positions: dict[str, int], grid: Grid,
                        header_row: int) -> list[Column] | None:
        columns = list(spec.columns)
        if spec.alternatives:
            present = [g for g in spec.alternatives if any(k in positions for k in g)]
            chosen = present[0] if present else spec.alternatives[0]
            excluded = {k for g in spec.alternatives if g is not chosen for k in g}
            columns = [c for c in columns if c.key not in excluded]
            missing = [spec.column(k).header for k in chosen if k not in positions]
            if missing:
                options = " / ".join("、".join(spec.column(k).header for k in g)
                                     for g in spec.alternatives)
                self.add("missing-column", spec.name, f"{header_row}", "", "、".join(missing),
                         f"工作表“{spec.name}”缺少资金支出计划列：{'、'.join(missing)}",
                         f"支出计划列二选一：{options}")
        if not positions:
            if grid.rows:
                self.add("missing-column", spec.name, "1", "", "",
                         f"工作表“{spec.name}”找不到表头行",
                         "第一行应为表头：" + "、".join(c.header for c in columns))
            return None
        for col in columns:
            if col.required and col.key not in positions:
                self.add("missing-column", spec.name, f"{header_row}", col.header, "",
                         f"工作表“{spec.name}”缺少“{col.header}”列",
                         f"在表头行加一列“{col.header}”（列的位置不限）")
        return columns

    def _is_totals_row(self, grid: Grid, r: int, positions: dict[str, int],
                       spec: TableSheet) -> bool:
        for col in spec.columns[:3]:
            if col.kind in (Kind.TEXT, Kind.CODE) and col.key in positions:
                label = normalize_label(grid.value(r, positions[col.key]))
                if label in TOTAL_LABELS or (label.endswith(("合计", "小计")) and len(label) <= 12):
                    self.add("totals-row-ignored", spec.name, cell_ref(r, positions[col.key]),
                             col.header, label, f"第 {r} 行是手工填写的合计行，已忽略（合计由工具计算）",
                             "可以删除该行")
                    return True
        return False

    # ---- cells ---------------------------------------------------------------------------
    def _parse(self, grid: Grid, r: int, c: int, col: Column) -> Cell:
        ref = cell_ref(r, c)
        raw = grid.value(r, c)
        cell = Cell(None, raw, ref, col.header)
        sheet = grid.name
        if (r, c) in grid.formulas_without_cache:
            self.add("formula-no-cache", sheet, ref, col.header, "",
                     f"{ref} 是公式，但文件中没有保存计算结果（可能由程序生成后未在 Excel 中打开保存）",
                     "请用 Excel 或 WPS 打开该文件并保存一次，或把公式改为数值")
            return cell
        if raw is None:
            if col.default is not None:
                cell.value = self._convert(col, col.default)
            return cell
        if grid.hidden or grid.hidden_rows or grid.hidden_columns:
            if not (isinstance(raw, str) and not raw.strip()):
                self._note_hidden(grid, r, c, ref, col)
        if isinstance(raw, str) and "#" in raw and raw.strip().upper() in EXCEL_ERRORS:
            self.add("excel-error", sheet, ref, col.header, raw,
                     f"{ref} 的值是 Excel 错误 {raw.strip()}", "请修正该单元格的公式或直接填写数值")
            return cell
        if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
            text = date_text(raw)
            if col.kind in _TEXT_KINDS:  # a number column reports its own error on the text
                self.add("date-as-text", sheet, ref, col.header, text,
                         f"{ref}“{col.header}”是 Excel 日期/时间格式，按“{text}”读取",
                         "如果这不是日期，请把单元格格式设为“文本”后重新填写")
            raw = text
        if isinstance(raw, str):
            raw = self._clean_text(raw, sheet, ref, col)
        if raw is None or (isinstance(raw, str) and not normalize_text(raw)):
            if col.default is not None:
                cell.value = self._convert(col, col.default)
            return cell
        try:
            cell.value = self._convert(col, raw)
        except ValueParseError as exc:
            code = {Kind.MONEY: "bad-number", Kind.NUMBER: "bad-number", Kind.SCORE: "bad-number",
                    Kind.PERCENT: "bad-percent", Kind.INT: "bad-int", Kind.YEAR: "bad-year",
                    Kind.INDICATOR: "bad-indicator-value", Kind.ACTUAL: "bad-actual-value"}.get(col.kind, "bad-number")
            self.add(code, sheet, ref, col.header, raw, f"{ref}“{col.header}”：{exc}",
                     f"请按示例填写{col.header}" + (f"，如：{col.example}" if col.example else ""))
            if col.kind in (Kind.INDICATOR, Kind.ACTUAL):  # kept as text: scored as such
                cell.value = IndicatorValue(raw=normalize_text(raw), kind="text")
            return cell
        if col.kind in (Kind.TEXT, Kind.LONGTEXT) and isinstance(cell.value, str):
            self.texts.append(TextCell(sheet, ref, col.header, cell.value))
        if col.choices and isinstance(cell.value, str):
            allowed = CHOICES.get(col.choices, ())
            if allowed and cell.value not in allowed:
                match = next((a for a in allowed if normalize_label(a) == normalize_label(cell.value)),
                             None)
                if match is not None:
                    cell.value = match
                else:
                    self.add("bad-choice", sheet, ref, col.header, cell.value,
                             f"{ref}“{col.header}”填写了“{cell.value}”，不在可选范围内",
                             "可选：" + "、".join(allowed))
        shown = cell.value.raw if isinstance(cell.value, IndicatorValue) else cell.value
        if isinstance(shown, str) and len(shown) > EXCEL_CELL_CHARS:
            self.add("too-long-for-excel", sheet, ref, col.header, shown,
                     f"{ref}“{col.header}”有 {len(shown):,} 个字符，超过 Excel 单元格上限 {EXCEL_CELL_CHARS:,}："
                     f"Word 文件中完整保留，Excel 表格中只能保留前 {EXCEL_CELL_CHARS:,} 个字符",
                     "请精简该单元格的内容")
        if col.kind is Kind.MONEY and isinstance(cell.value, Decimal) and cell.value < 0:
            self.add("negative-amount", sheet, ref, col.header, raw,
                     f"{ref}“{col.header}”为负数 {cell.value}", "预算金额应为非负数，请核对")
        return cell

    def _clean_text(self, raw: str, sheet: str, ref: str, col: Column) -> str:
        """Escapes decoded; non-characters, control and invisible format characters removed, each
        with a finding at the cell."""
        text, invalid = remove_noncharacters(unescape_ooxml(raw))
        if invalid:
            self.add("invalid-chars", sheet, ref, col.header, ascii(raw)[:60],
                     f"{ref} 含无效字符（{'、'.join(invalid[:3])}），不是文字，已删除",
                     "常见于程序生成或损坏的文件，请检查该单元格内容")
        text, changed = strip_control_chars(text)
        if changed:
            self.add("control-chars", sheet, ref, col.header, repr(raw)[:60],
                     f"{ref} 含不可见的控制字符，已删除", "通常来自复制粘贴，可检查一下该单元格内容")
        text, hidden = remove_format_chars(text)
        if hidden:
            codes = "、".join(hidden[:3])
            bidi = any(code in _BIDI_CODES for code in hidden)
            self.add("format-chars", sheet, ref, col.header, ascii(raw)[:60],
                     f"{ref} 含不可见的文字方向控制符（{codes}），会使文字显示的顺序与实际不同，已删除" if bidi
                     else f"{ref} 含不可见的格式字符（{codes}），已删除",
                     "通常来自复制粘贴，请检查该单元格内容；文件名和文件夹名中不会出现这些字符")
        return text

    def _note_hidden(self, grid: Grid, r: int, c: int, ref: str, col: Column) -> None:
        """Content read from a hidden sheet, row or column: one 警告 each, at its first cell."""
        sheet = grid.name
        if grid.hidden and (sheet, "sheet", 0) not in self._noted:
            self._noted.add((sheet, "sheet", 0))
            self.add("hidden-sheet", sheet, ref, col.header, "",
                     f"工作表“{sheet}”是隐藏的工作表，其中的数据已计入",
                     "如果这些数据不应计入，请删除该工作表；在 Excel 中右键工作表标签选“取消隐藏”可查看")
        if r in grid.hidden_rows and (sheet, "row", r) not in self._noted:
            self._noted.add((sheet, "row", r))
            self.add("hidden-row", sheet, ref, col.header, "",
                     f"第 {r} 行是隐藏行，但其中有数据，已计入",
                     "如果这些数据不应计入，请删除该行而不是隐藏")
        if c in grid.hidden_columns and (sheet, "column", c) not in self._noted:
            self._noted.add((sheet, "column", c))
            self.add("hidden-column", sheet, ref, col.header, "",
                     f"“{col.header}”所在的第 {ref.rstrip('0123456789')} 列是隐藏列，其中的数据已计入",
                     "如果这些数据不应计入，请删除该列而不是隐藏")

    def _convert(self, col: Column, raw: Any) -> Any:
        kind = col.kind
        if kind is Kind.MONEY:
            return parse_amount(raw, self.amount_unit)
        if kind in (Kind.NUMBER, Kind.SCORE):
            return parse_decimal(raw)
        if kind is Kind.PERCENT:
            return parse_percent(raw)
        if kind is Kind.INT:
            return parse_int(raw)
        if kind is Kind.YEAR:
            year = parse_int(raw)
            if year is None or not 2000 <= year <= 2100:
                raise ValueParseError(f"“{raw}”不是有效年度，请填写四位年份，如 2021")
            return year
        if kind is Kind.INDICATOR:
            return parse_indicator_value(raw)
        if kind is Kind.ACTUAL:
            return parse_actual(raw)
        if kind is Kind.CODE:
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            return normalize_label(raw)
        text = normalize_text(raw)
        return text if kind is Kind.LONGTEXT else join_lines(text)


_BIDI_CODES = frozenset(f"U+{ord(ch):04X}" for ch in BIDI_CONTROLS)
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def join_lines(text: str) -> str:
    """One-line fields: a line break between Chinese characters disappears, else becomes a space.

    A name typed as "科技保险⏎保费补贴" in a narrow cell means "科技保险保费补贴". Split and
    stripped, not a regex: ``\\s*\\n\\s*`` rescans a run of spaces from each of its positions
    (60,000 EN SPACEs took 15 s).
    """
    if "\n" not in text:
        return " ".join(text.split())
    lines = [line for line in (part.strip() for part in text.split("\n")) if line]
    if not lines:
        return ""
    out = [lines[0]]
    for before, after in zip(lines, lines[1:], strict=False):
        out.append("" if _CJK.match(before[-1]) or _CJK.match(after[0]) else " ")
        out.append(after)
    return " ".join("".join(out).split())


# ---- building the model ---------------------------------------------------------------------

def _spec(kind: WorkbookKind, name: str) -> Any:
    return next(s for s in SHEETS[kind] if s.name == name)


def read_budget(reader: SheetReader) -> BudgetWorkbook:
    k = WorkbookKind.BUDGET
    info_rec = reader.form(_spec(k, "基本信息"))
    info = BudgetInfo(
        dept_name=info_rec.text("dept_name"),
        org_full_name=info_rec.text("org_full_name"),
        dept_code=info_rec.text("dept_code"),
        unit_code=info_rec.text("unit_code"),
        unit_name=info_rec.text("unit_name") or (info_rec.text("org_full_name") + "本级"),
        year=info_rec.get("year", 0),
        amount_unit=reader.amount_unit,
        style=info_rec.text("style") or "信息公开说明",
        unit_nature=info_rec.text("unit_nature"),
        region=info_rec.text("region"),
        duty_basis=info_rec.text("duty_basis"),
        sub_units=info_rec.text("sub_units"),
        carryover_note=info_rec.text("carryover_note"),
        main_projects=info_rec.text("main_projects"),
        basic_change_reason=info_rec.text("basic_change_reason"),
        project_change_reason=info_rec.text("project_change_reason"),
        goods_note=info_rec.text("goods_note"),
        works_note=info_rec.text("works_note"),
        services_note=info_rec.text("services_note"),
        purchase_previous=info_rec.get("purchase_previous"),
        service_purchase=info_rec.get("service_purchase"),
        asset_purchase=info_rec.get("asset_purchase"),
        asset_purchase_use=info_rec.text("asset_purchase_use"),
        contact_email=info_rec.text("contact_email"),
        cells=info_rec.refs(),
    )
    wb = BudgetWorkbook(info=info)
    wb.duties = [r.text("text") for r in reader.table(_spec(k, "部门职责")) if r.text("text")]
    wb.institutions = [Institution(r.text("name"), r.text("nature"), r.text("rank"), r.text("funding"))
                       for r in reader.table(_spec(k, "机构设置"))]
    money_rows = reader.fixed(_spec(k, "收支预算"), "item")
    for label in INCOME_ROWS + SPENDING_ROWS:
        rec = money_rows.get(label)
        amounts = Amounts() if rec is None else Amounts(
            rec.get("current"), rec.get("previous"), rec.text("note"), rec.src("current"), rec.refs())
        (wb.income if label in INCOME_ROWS else wb.spending)[label] = amounts
    wb.functions = [FunctionLine(r.text("code"), r.text("name"), r.text("fund") or "一般公共预算",
                                 r.money("personnel"), r.money("public"), r.money("project"),
                                 r.src("code"), r.refs())
                    for r in reader.table(_spec(k, "功能分类支出"))]
    wb.economics = [EconomicLine(r.text("code"), r.text("name"), r.text("fund") or "一般公共预算",
                                 r.money("amount"), r.src("code"), r.refs())
                    for r in reader.table(_spec(k, "经济分类支出"))]
    op = reader.form(_spec(k, "机关运行经费"))
    wb.operating = OperatingCost(op.get("current"), op.get("previous"), op.text("use"), op.src("current"),
                                 op.refs(), basic=op.get("basic"), project=op.get("project"),
                                 reason=op.text("reason"))
    three = reader.fixed(_spec(k, "三公经费"), "item")
    for label in THREE_PUBLIC_ROWS:
        rec = three.get(label)
        wb.three_public[label] = Amounts() if rec is None else Amounts(
            rec.get("current"), rec.get("previous"), rec.text("note"), rec.src("current"), rec.refs())
    wb.goals = [DeptGoal(r.text("type"), r.text("name"), r.text("goal"), r.text("indicators"),
                         source=r.src("goal"))
                for r in reader.table(_spec(k, "整体绩效目标"))]
    wb.measures = [r.text("text") for r in reader.table(_spec(k, "工作保障措施")) if r.text("text")]
    project_spec: TableSheet = _spec(k, "项目")
    project_records = reader.table(project_spec)
    months = any("plan_m3" in r.cells or "plan_m12" in r.cells for r in project_records)
    quarters = any("plan_q1" in r.cells or "plan_q4" in r.cells for r in project_records)
    plan_keys = ("plan_q1", "plan_q2", "plan_q3", "plan_q4") if quarters and not months else \
        ("plan_m3", "plan_m6", "plan_m10", "plan_m12")
    wb.plan_labels = tuple(project_spec.column(key).header for key in plan_keys)
    for r in project_records:
        wb.projects.append(Project(
            code=r.text("code"), name=r.text("name"), fiscal=r.money("fiscal"),
            other=r.get("other"), purpose=r.text("purpose"),
            plan={project_spec.column(key).header: r.get(key) for key in plan_keys},
            goals=split_items(r.text("goals")), area=r.text("area"), typed_budget=r.get("budget"),
            source=r.src("name"), cells=r.refs()))
    wb.orphan_indicators = attach_indicators(wb.projects, map(_indicator, reader.table(_spec(k, "绩效指标"))))
    wb.purchases = [Purchase(r.text("project"), r.get("project_budget"), r.text("item"),
                             r.text("catalog_code"), r.text("category"), r.text("unit"),
                             r.money("quantity"), r.money("price"), r.text("fund") or "一般公共预算",
                             r.text("method"), r.src("item"), r.refs())
                    for r in reader.table(_spec(k, "政府采购"))]
    assets = reader.fixed(_spec(k, "国有资产"), "item")
    for label in ASSET_ROWS:
        rec = assets.get(label)
        wb.assets[label] = AssetRow(label, None if rec is None else rec.get("quantity"),
                                    None if rec is None else rec.get("value"),
                                    None if rec is None else rec.src("value"),
                                    {} if rec is None else rec.refs())
    wb.asset_classes = [AssetClass(r.text("category"), r.money("value"), r.refs())
                        for r in reader.table(_spec(k, "资产构成"))]
    wb.terms = [Term(r.text("term"), r.text("text")) for r in reader.table(_spec(k, "名词解释"))]
    wb.notes = [r.text("text") for r in reader.table(_spec(k, "其他说明")) if r.text("text")]
    return wb


def _indicator(r: Record) -> Indicator:
    target = r.get("target")
    if not isinstance(target, IndicatorValue):
        target = IndicatorValue(raw="", kind="text")
    actual = r.get("actual")
    if not isinstance(actual, IndicatorValue):
        actual = None
    return Indicator(
        project_code=r.text("project_code"), project_name=r.text("project_name"),
        level1=r.text("level1"), level2=r.text("level2"), level3=r.text("level3"),
        description=r.text("description"), target=target, basis=r.text("basis"),
        actual=actual, weight=r.get("weight"), user_score=r.get("score"), reason=r.text("reason"),
        score_reason=r.text("score_reason"),
        source=Source(r.sheet, r.cells["level3"].ref if "level3" in r.cells else "", "三级指标"),
        cells=r.refs())


def attach_indicators(projects: Sequence[Project | EvalProject], indicators: Iterable[Indicator]) -> list[Indicator]:
    """Attach each indicator to its project; return those naming no known project.

    By code when the indicator and the project both have one, else by name (projects without
    a code, like seed 003's, are referenced by name). Indexed once: a workbook of 1,000
    projects and 6,000 indicators must not compare every pair.
    """
    by_code = {normalize_label(p.code): p for p in projects if p.code}
    by_name: dict[str, Project | EvalProject] = {}
    for p in projects:
        by_name.setdefault(normalize_label(p.name), p)
    orphans: list[Indicator] = []
    for ind in indicators:
        code = normalize_label(ind.project_code)
        project = by_code.get(code) if code else None
        if project is None:
            named = by_name.get(normalize_label(ind.project_name))
            # An indicator with a code may still match by name a project that has none.
            project = named if named is not None and not (code and named.code) else None
        if project is None:
            orphans.append(ind)
        else:
            project.indicators.append(ind)
    return orphans


def _optional(spec: Any) -> Any:
    """``spec`` as an optional sheet: neither the sheet nor any of its fields is required."""
    if isinstance(spec, FormSheet):
        return replace(spec, required=False, fields=tuple(replace(f, required=False) for f in spec.fields))
    return replace(spec, required=False)


def read_self_eval(reader: SheetReader) -> SelfEvalWorkbook:
    k = WorkbookKind.SELF_EVAL
    rec = reader.form(_spec(k, "基本信息"))
    exec_weight = rec.get("exec_weight")
    info = EvalInfo(
        dept_name=rec.text("dept_name"), org_full_name=rec.text("org_full_name") or rec.text("dept_name"),
        year=rec.get("year", 0), amount_unit=reader.amount_unit,
        style=rec.text("style") or SELF_EVAL_DEPT_STYLE, supervisor=rec.text("supervisor"),
        self_name=rec.text("self_name"), preamble=rec.text("preamble"),
        fund_source_note=rec.text("fund_source_note"), project_count=rec.get("project_count"),
        attachment_no=rec.text("attachment_no"),
        exec_weight=exec_weight if isinstance(exec_weight, Decimal) else Decimal(10),
        exec_score=rec.get("exec_score"), exec_score_reason=rec.text("exec_score_reason"),
        contact_email=rec.text("contact_email"), cells=rec.refs())
    wb = SelfEvalWorkbook(info=info)

    def spec(name: str) -> Any:
        # A project-only self-evaluation does without the department's sheets.
        found = _spec(k, name)
        return _optional(found) if info.style == SELF_EVAL_PROJECT_STYLE and name in SELF_EVAL_DEPT_SHEETS \
            else found

    wb.overview = [r.text("text") for r in reader.table(spec("部门概况")) if r.text("text")]
    funds = reader.fixed(spec("收支情况"), "source")
    for label in EVAL_FUND_ROWS:
        fr = funds.get(label)
        wb.funds[label] = FundRow(label, None, None, None) if fr is None else FundRow(
            label, fr.get("initial"), fr.get("budget"), fr.get("executed"), fr.src("budget"), fr.refs())
    wb.goals = [DeptGoal(r.text("type"), r.text("name"), r.text("goal"), actual=r.text("actual"),
                         source=r.src("actual"))
                for r in reader.table(spec("整体绩效目标"))]
    org = reader.form(spec("自评组织"))
    wb.basis, wb.group, wb.method = org.text("basis"), org.text("group"), org.text("method")
    wb.org_cells = org.refs()
    for r in reader.table(_spec(k, "项目")):
        weight = r.get("exec_weight")
        wb.projects.append(EvalProject(
            code=r.text("code"), name=r.text("name"), area=r.text("area"), unit=r.text("unit"),
            initial=r.get("initial"), budget=r.get("budget"), executed=r.get("executed"),
            carry_budget=r.get("carry_budget"), carry_executed=r.get("carry_executed"),
            other_budget=r.get("other_budget"), other_executed=r.get("other_executed"),
            carry_initial=r.get("carry_initial"), other_initial=r.get("other_initial"),
            supervisor=r.text("supervisor"), goal=r.text("goal"), result=r.text("result"),
            exec_weight=weight if isinstance(weight, Decimal) else Decimal(10),
            exec_score=r.get("exec_score"), exec_score_reason=r.text("exec_score_reason"),
            summary=r.text("summary"), source=r.src("name"), cells=r.refs()))
    wb.orphan_indicators = attach_indicators(wb.projects, map(_indicator, reader.table(_spec(k, "绩效指标"))))
    wb.dept_indicators = [_indicator(r) for r in reader.table(spec("整体绩效指标"))]
    for r in reader.table(spec("问题与改进")):
        (wb.problems if r.text("type") == "存在问题" else wb.improvements).append(r.text("text"))
    wb.evaluators = [Evaluator(r.text("name"), r.text("org"), r.text("post"), r.text("title"))
                     for r in reader.table(spec("评价工作组"))]
    return wb


def read_workbook(path: Path, kind: WorkbookKind | None = None,
                  catalog_file: Path | None = None) -> ReadResult:
    """Read ``path``; raises ``UnreadableWorkbook`` when it is not a readable .xlsx at all.

    A budget's 科目表 is chosen here (``catalog_file``, else a 科目表 file beside ``path``)."""
    return read_grids(open_workbook(path), path, kind, catalog_file)


def read_grids(grids: dict[str, Grid], path: Path, kind: WorkbookKind | None = None,
               catalog_file: Path | None = None) -> ReadResult:
    """The model and findings of a workbook already opened into ``grids`` (``path`` names it)."""
    detected = kind or detect_kind(grids)
    if detected is None:
        raise UnreadableWorkbook(
            f"{path.name} 不像部门预算或绩效自评工作簿（找不到“填表说明”或对应的工作表）："
            "请用 budget-report template 生成模板后填写")
    reader = SheetReader(grids, detected)
    builders: dict[WorkbookKind, Callable[[SheetReader], BudgetWorkbook | SelfEvalWorkbook]] = {
        WorkbookKind.BUDGET: read_budget, WorkbookKind.SELF_EVAL: read_self_eval}
    model = builders[detected](reader)
    model.source_path = str(path)
    if isinstance(model, BudgetWorkbook):
        reader.findings += choose_catalog(model, path, catalog_file)
    reader.report_extra_sheets()
    reader.report_ignored_cells()
    return ReadResult(detected, model, reader.findings, tuple(reader.texts),
                      sum(g.elements for g in grids.values()))
