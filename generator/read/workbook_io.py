"""Opening a user's workbook safely, and turning each sheet into a plain grid of values.

This is the only module that reads the user's .xlsx. It never writes to it. Anything that makes a
file unreadable -- or larger than the limits below -- raises ``UnreadableWorkbook`` with a Chinese
message (exit code 2); everything else is left to the reader as findings.

Reading is one streaming pass: expat reads the shared-string table, the styles (which number
formats are dates) and every worksheet, checking each limit the moment it is crossed (rows, cells
with content, characters per cell, merged ranges, parts, entities -- a column filled down to row
1,048,576 is refused at row 100,001, in well under a second) while it collects the values of the
cells with content. Memory follows the content, never the sheet's declared size. Values are what
openpyxl reads in read-only, data-only mode (``tests/test_workbook_io.py`` holds the two equal over
every example and test workbook): numbers as int/float, dates by their number format, cached
formula results, shared and inline strings without phonetic runs. openpyxl itself is not imported:
it costs a tenth of a second before any work, and ``check`` needs none of it.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.parsers import expat

from generator.model.schema import INSTRUCTIONS_SHEET, KIND_TITLES, SHEETS, WorkbookKind
from generator.model.text import normalize_label
from generator.read.a1 import cell_ref, column_index, range_bounds
from generator.read.excel_dates import DateStyles, excel_date, iso_date

# ---- limits (README “限制” lists each with its message) ------------------------------------------
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # all parts together: a zip bomb inflates far beyond its size
MAX_PART_BYTES = 100 * 1024 * 1024  # one part (a worksheet, the shared strings) once unzipped
MAX_PARTS = 10_000  # entries in the zip
MAX_SHEETS = 100
MAX_ROWS = 100_000  # last row with content, per sheet: 10,000 projects × 7 indicators fit
MAX_COLUMNS = 200  # content further right is ignored, with a 警告
MAX_CELLS = 3_000_000  # grid cells held for the whole workbook (each row up to its last content column)
MAX_CELL_CHARS = 200_000  # characters in one cell (Excel itself stops at 32,767)
MAX_SHARED_STRINGS = 1_000_000
MAX_MERGED_RANGES = 100_000  # per sheet
# Cells covered by merged ranges, per sheet, as declared: openpyxl (the annotated copy) makes an
# object for each one, so "A1:XFD1048576" (17 billion) would never finish.
MAX_MERGED_CELLS = 1_000_000
MAX_STYLES = 200_000  # cellXfs entries (Excel itself allows 64,000)

EXCEL_ERRORS = frozenset({"#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})

_CHUNK = 1 << 16


class UnreadableWorkbook(Exception):
    """The file cannot be read as a workbook at all. ``str(exc)`` is the user-facing message."""


@dataclass
class Grid:
    """The values of one sheet, rows and columns 1-based as in Excel.

    Rows are as long as their last cell with content (a ragged list), so memory follows content.
    """

    name: str
    rows: list[list[Any]]  # rows[r-1][c-1]
    hidden_rows: set[int] = field(default_factory=set)  # hidden rows that hold content
    formulas_without_cache: set[tuple[int, int]] = field(default_factory=set)
    state: str = "visible"  # "hidden" / "veryHidden": the sheet tab is not shown
    hidden_columns: set[int] = field(default_factory=set)
    ignored_cells: int = 0  # content right of MAX_COLUMNS, not read
    first_ignored: str = ""  # A1 reference of the first of them
    elements: int = 0  # cell elements in the file, empty formatted ones included

    @property
    def max_row(self) -> int:
        return len(self.rows)

    @property
    def hidden(self) -> bool:
        return self.state != "visible"

    def value(self, row: int, col: int) -> Any:
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


def open_workbook(path: Path) -> dict[str, Grid]:
    """Read every sheet of ``path`` into grids (cached values of formulas, merged cells filled)."""
    _check_file(path)
    return {name: _grid(layout) for name, layout in scan_layout(path).items()}


def _unreadable(path: Path, exc: BaseException) -> UnreadableWorkbook:
    return UnreadableWorkbook(f"{path.name} 无法作为 Excel 工作簿读取（{type(exc).__name__}）："
                              "请在 Excel/WPS 中打开并另存为 .xlsx")


def _mb(n: int) -> int:
    return n // 1024 // 1024


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UnreadableWorkbook(f"找不到文件：{path}")
    if path.is_dir():
        raise UnreadableWorkbook(f"{path} 是文件夹，不是工作簿")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UnreadableWorkbook(f"{path.name} 是旧版 .xls 格式：请在 Excel/WPS 中“另存为”.xlsx 后再运行")
    if suffix not in (".xlsx", ".xlsm"):
        raise UnreadableWorkbook(f"{path.name} 不是 .xlsx 工作簿：请提供 Excel/WPS 保存的 .xlsx 文件")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableWorkbook(f"{path.name} 是空文件（0 字节）")
    if size > MAX_FILE_BYTES:
        raise UnreadableWorkbook(f"{path.name} 过大（{_mb(size)} MB，上限 {_mb(MAX_FILE_BYTES)} MB）："
                                 "请删除无关内容后再试")
    with path.open("rb") as fh:
        head = fh.read(8)
        entries = _zip_entry_count(fh, size)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE2: an encrypted .xlsx or an .xls renamed to .xlsx
        raise UnreadableWorkbook(f"{path.name} 设置了打开密码或是旧版 .xls 格式：请取消密码保护"
                                 "并另存为 .xlsx 后再运行")
    if entries is None or not zipfile.is_zipfile(path):
        raise UnreadableWorkbook(f"{path.name} 不是有效的 .xlsx 文件（可能已损坏或只是改了扩展名）："
                                 "请在 Excel/WPS 中打开并另存为 .xlsx")
    if entries > MAX_PARTS:  # checked before zipfile builds an object per entry
        raise UnreadableWorkbook(f"{path.name} 内部有 {entries} 个部件，超过上限 {MAX_PARTS}：疑似异常文件，已拒绝读取")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnreadableWorkbook(f"{path.name} 已损坏（{exc}）：请重新保存后再试") from exc
    # The declared sizes are upper bounds: zipfile never inflates a part beyond its declared size
    # (a part that lies fails its CRC check while it is read).
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise UnreadableWorkbook(f"{path.name} 中的部件“{info.filename}”解压后有 {_mb(info.file_size)} MB，"
                                     f"超过上限 {_mb(MAX_PART_BYTES)} MB：疑似异常文件，已拒绝读取")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableWorkbook(f"{path.name} 解压后过大（{_mb(total)} MB，上限 {_mb(MAX_UNCOMPRESSED_BYTES)} MB）："
                                 "疑似异常文件，已拒绝读取")


def _zip_entry_count(fh: IO[bytes], size: int) -> int | None:
    """Entries in the zip's central directory, from its end record (``None``: not a zip)."""
    tail_len = min(size, 22 + 0xFFFF)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    (entries,) = struct.unpack("<H", tail[at + 10:at + 12])
    return MAX_PARTS + 1 if entries == 0xFFFF else entries  # 0xFFFF: zip64, far beyond any workbook


# ---- the streaming read --------------------------------------------------------------------

@dataclass
class SheetLayout:
    """What the scan of one worksheet found (no values, only their positions)."""

    name: str
    state: str = "visible"
    last_row: int = 0  # last row with content
    last_col: int = 0  # last column with content (≤ MAX_COLUMNS)
    cells: int = 0  # grid cells held: Σ rows' last content column, merged fills included
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    formulas_without_cache: set[tuple[int, int]] = field(default_factory=set)
    ignored_cells: int = 0
    first_ignored: str = ""
    merged_cells: int = 0  # cells covered by merged ranges, as declared
    elements: int = 0  # <c> elements, empty formatted ones included (what a full load would build)
    rows: list[list[Any]] = field(default_factory=list)  # the values, as ``Grid.rows``


class _Refused(Exception):
    """A limit was crossed inside an expat callback; carries the message."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parse_stream(stream: IO[bytes], start: Callable[[str, dict[str, str]], None],
                  end: Callable[[str], None] | None = None,
                  text: Callable[[str], None] | None = None) -> None:
    """Feed ``stream`` to expat in chunks; DTDs (entity bombs, external entities) are refused.

    Handlers get qualified names as written ("c", or "x:c" in files that use a prefix): no
    namespace processing, which would cost a third of the scan. Handlers that care strip a
    prefix with ``_local``.
    """
    parser = expat.ParserCreate()

    def forbid(*_: object) -> None:
        raise _Refused("含有 XML 文档类型或实体声明（可能是“XML 炸弹”），已拒绝读取")

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid  # type: ignore[assignment]
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by local name, whatever its namespace prefix (``r:id``)."""
    if local in attrs:
        return attrs[local]
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _true(value: str | None) -> bool:
    return value in ("1", "true")


@dataclass
class _Part:
    sheet_name: str
    path: str
    state: str


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (PurePosixPath(base).parent / target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _relationships(zf: zipfile.ZipFile, source: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, resolved target) of ``source``'s relationships part."""
    folder, _, name = source.rpartition("/")
    rels_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    out: dict[str, tuple[str, str]] = {}
    if rels_path not in zf.NameToInfo:
        return out

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            out[attrs.get("Id", "")] = (attrs.get("Type", ""), _resolve(source, attrs.get("Target", "")))

    with zf.open(rels_path) as stream:
        _parse_stream(stream, start)
    return out


@dataclass
class _Package:
    sheets: list[_Part]
    shared_strings: str | None
    styles: str | None
    mac_epoch: bool  # workbookPr date1904: dates count from 1904-01-01


def _workbook_parts(zf: zipfile.ZipFile) -> _Package:
    """The worksheets in order (name, part, visibility), the shared-string and styles parts."""
    root = _relationships(zf, "")
    workbook = next((target for kind, target in root.values() if kind.endswith("/officeDocument")),
                    "xl/workbook.xml")
    if workbook not in zf.NameToInfo:
        raise _Refused("找不到工作簿内容（xl/workbook.xml）")
    rels = _relationships(zf, workbook)
    sheets: list[tuple[str, str, str]] = []
    mac_epoch = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal mac_epoch
        local = _local(name)
        if local == "sheet":
            sheets.append((attrs.get("name", ""), _attr(attrs, "id") or "", attrs.get("state", "visible")))
            if len(sheets) > MAX_SHEETS:
                raise _Refused(f"工作表超过 {MAX_SHEETS} 个（上限）：请删除无关的工作表后再试")
        elif local == "workbookPr":
            mac_epoch = _true(attrs.get("date1904"))

    with zf.open(workbook) as stream:
        _parse_stream(stream, start)
    parts = [_Part(name, rels[rid][1], state) for name, rid, state in sheets
             if rid in rels and rels[rid][0].endswith("/worksheet") and rels[rid][1] in zf.NameToInfo]

    def part(kind: str) -> str | None:
        target = next((t for k, t in rels.values() if k.endswith(kind)), None)
        return target if target in zf.NameToInfo else None

    return _Package(parts, part("/sharedStrings"), part("/styles"), mac_epoch)


def _read_date_styles(stream: IO[bytes], mac_epoch: bool) -> DateStyles:
    """Which cell styles show dates: the styles part's custom number formats and cellXfs."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    in_xfs = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_xfs
        local = _local(name)
        if local == "numFmt":
            custom[_int(attrs.get("numFmtId"), -1)] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            in_xfs = True
        elif local == "xf" and in_xfs:
            formats.append(_int(attrs.get("numFmtId"), 0))
            if len(formats) > MAX_STYLES:
                raise _Refused(f"单元格样式超过 {MAX_STYLES:,} 种（上限）：疑似异常文件，已拒绝读取")

    def end(name: str) -> None:
        nonlocal in_xfs
        if _local(name) == "cellXfs":
            in_xfs = False

    _parse_stream(stream, start, end)
    return DateStyles.of(custom, formats, mac_epoch)


def _read_shared_strings(stream: IO[bytes]) -> tuple[list[str], dict[int, int]]:
    """The shared strings, as openpyxl reads them (rich-text runs joined, phonetic guides left
    out), and index -> length of each over ``MAX_CELL_CHARS`` (counted, never held: its place in
    the list holds "")."""
    strings: list[str] = []
    pieces: list[str] = []
    length = 0
    in_text = False
    phonetic = 0  # inside <rPh>: the reading of the text, not the text
    oversized: dict[int, int] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal length, in_text, phonetic
        name = _local(name)
        if name == "si":
            length = 0
            pieces.clear()
        elif name == "t":
            in_text = not phonetic
        elif name == "rPh":
            phonetic += 1

    def end(name: str) -> None:
        nonlocal in_text, phonetic
        name = _local(name)
        if name == "t":
            in_text = False
        elif name == "rPh":
            phonetic -= 1
        elif name == "si":
            if length > MAX_CELL_CHARS:
                oversized[len(strings)] = length
                strings.append("")
            else:
                strings.append("".join(pieces).replace("x005F_", ""))  # as openpyxl does
            if len(strings) > MAX_SHARED_STRINGS:
                raise _Refused(f"工作簿中的文字超过 {MAX_SHARED_STRINGS:,} 条（上限）：请删除无关内容后再试")

    def text(data: str) -> None:
        nonlocal length
        if in_text:
            length += len(data)
            if length <= MAX_CELL_CHARS:  # an oversized string is counted, never held
                pieces.append(data)

    _parse_stream(stream, start, end, text)
    return strings, oversized


class _SheetScanner:
    """expat callbacks for one worksheet: every limit checked as the cells stream past, and the
    values of the cells with content collected row by row."""

    def __init__(self, layout: SheetLayout, strings: list[str], oversized_strings: dict[int, int],
                 dates: DateStyles, budget: list[int]) -> None:
        self.layout = layout
        self.strings = strings
        self.oversized = oversized_strings
        self.dates = dates
        self.budget = budget  # [cells left for the whole workbook], shared by every sheet
        self.row = 0
        self.row_hidden = False
        self.row_values: dict[int, Any] = {}
        self.row_width = 0  # last column with content in this row (a formula without a result counts)
        self.col = 0
        self.ref: str | None = None  # the current cell's reference; its column is worked out
        self.col_known = True  # only when needed (most cells of a big sheet are empty or short)
        self.cell_type: str | None = None
        self.style = 0
        self.has_formula = False
        self.value_chars = 0
        self.value: list[str] = []  # the text of <v>, or of the inline string's <t> elements
        self.counting = False
        self.phonetic = 0  # inside <rPh> of an inline string

    def refuse(self, message: str) -> None:
        raise _Refused(f"工作表“{self.layout.name}”{message}")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            self.layout.elements += 1
            ref = attrs.get("r")
            if ref is None:  # cells without a reference follow one another
                self.col = self.column() + 1
                self.col_known = True
            else:
                self.col_known = False
            self.ref = ref
            self.cell_type = attrs.get("t")
            style = attrs.get("s")
            self.style = _int(style, 0) if style else 0
            self.has_formula = False
            self.value_chars = 0
            self.value = []
        elif name == "v" or (name == "t" and not self.phonetic):  # <v> value, <is><t> inline string
            self.counting = True
        elif name == "f":
            self.has_formula = True
        elif name == "row":
            ref = attrs.get("r")
            self.row = int(ref) if ref and ref.isdigit() else self.row + 1
            self.col, self.col_known, self.ref = 0, True, None
            self.row_values = {}
            self.row_width = 0
            self.row_hidden = _true(attrs.get("hidden")) or (
                _true(attrs.get("customHeight")) and _is_zero(attrs.get("ht")))
        elif name == "rPh":
            self.phonetic += 1
        elif name == "col":
            if _true(attrs.get("hidden")) or _is_zero(attrs.get("width")):
                low, high = _int(attrs.get("min"), 1), _int(attrs.get("max"), 1)
                self.layout.hidden_columns.update(range(max(low, 1), min(high, MAX_COLUMNS) + 1))
        elif name == "mergeCell":
            self.merge(attrs.get("ref", ""))
        elif ":" in name:  # a prefixed file ("x:c"): same elements
            self.start(_local(name), attrs)

    def column(self) -> int:
        if not self.col_known:
            self.col = _column_of(self.ref) if self.ref else self.col
            self.col_known = True
        return self.col

    def text(self, data: str) -> None:
        if self.counting:
            self.value_chars += len(data)
            if self.value_chars > MAX_CELL_CHARS:
                self.refuse(f"单元格 {cell_ref(self.row, self.column())} 超过 {MAX_CELL_CHARS:,} 个字符（上限）："
                            "请精简该单元格的内容后再试")
            self.value.append(data)

    def end(self, name: str) -> None:
        if name == "c":
            self.end_cell()
        elif name in ("v", "t"):
            self.counting = False
        elif name == "row":
            self.end_row()
        elif name == "rPh":
            self.phonetic -= 1
        elif ":" in name:
            self.end(_local(name))

    def end_cell(self) -> None:
        if not (self.has_formula or self.value_chars):
            return
        col = self.column()
        if col > MAX_COLUMNS:
            if not self.layout.ignored_cells:
                self.layout.first_ignored = cell_ref(self.row, col)
            self.layout.ignored_cells += 1
            return
        if col > self.row_width:
            self.row_width = col
        # No cached result: no <v>, or an empty one on a non-text formula (openpyxl writes <v></v>).
        # Excel caches an empty text result as t="str" with an empty <v>: a blank, not a problem.
        if self.has_formula and self.value_chars == 0 and self.cell_type != "str":
            self.layout.formulas_without_cache.add((self.row, col))
        value = self.cell_value(col)
        if value is not None and col > 0:
            self.row_values[col] = value

    def cell_value(self, col: int) -> Any:
        """The cell's value as openpyxl reads it (read-only, data only)."""
        text = "".join(self.value)
        kind = self.cell_type or "n"
        if kind == "inlineStr":
            return text
        if not text:
            return None
        if kind == "n":
            try:
                number: int | float = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
            except ValueError:
                return text  # not a number after all: the reader reports the text
            if self.style in self.dates.dates:
                try:
                    return excel_date(number, self.dates, self.style)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # a "date" no calendar holds: an error value, as in openpyxl
            return number
        if kind == "s":
            index = _int(text.strip(), -1)
            if index in self.oversized:
                self.refuse(f"单元格 {cell_ref(self.row, col)} 有 {self.oversized[index]:,} 个字符，"
                            f"超过上限 {MAX_CELL_CHARS:,}：请精简该单元格的内容后再试")
            if not 0 <= index < len(self.strings):
                raise _Refused(f"工作表“{self.layout.name}”单元格 {cell_ref(self.row, col)} 引用的文字不存在")
            return self.strings[index]
        if kind == "b":
            return text.strip() not in ("0", "false", "")
        if kind == "d":
            return iso_date(text)
        return text  # "str" (a formula's text result), "e" (#N/A …)

    def end_row(self) -> None:
        width = self.row_width
        if not width:
            return
        layout = self.layout
        if self.row > MAX_ROWS:
            self.refuse(f"第 {self.row:,} 行仍有内容，超过上限 {MAX_ROWS:,} 行：请删除多余的行"
                        "（如整列下拉填充到表格末尾的内容）后再试")
        self.use(width)
        if self.row <= layout.last_row:  # a row repeated or out of order: openpyxl keeps the first
            return
        rows = layout.rows
        if len(rows) < self.row - 1:
            rows.extend([] for _ in range(self.row - 1 - len(rows)))
        row: list[Any] = [None] * width
        for col, value in self.row_values.items():
            row[col - 1] = value
        rows.append(row)
        layout.last_row = self.row
        layout.last_col = max(layout.last_col, width)
        if self.row_hidden:
            layout.hidden_rows.add(self.row)

    def use(self, cells: int) -> None:
        self.layout.cells += cells
        self.budget[0] -= cells
        if self.budget[0] < 0:
            self.refuse(f"的数据范围过大（整个工作簿超过 {MAX_CELLS:,} 个单元格）：请删除多余的行列后再试")

    def merge(self, ref: str) -> None:
        if len(self.layout.merged) >= MAX_MERGED_RANGES:
            self.refuse(f"的合并单元格超过 {MAX_MERGED_RANGES:,} 处（上限）：请取消多余的合并后再试")
        try:
            min_row, min_col, max_row, max_col = range_bounds(ref)
        except ValueError:
            return
        self.layout.merged_cells += (max_row - min_row + 1) * (max_col - min_col + 1)
        if self.layout.merged_cells > MAX_MERGED_CELLS:
            self.refuse(f"的合并单元格（如 {ref}）共覆盖超过 {MAX_MERGED_CELLS:,} 个单元格（上限）："
                        "请取消过大的合并后再试")
        self.layout.merged.append((min_row, min_col, max_row, max_col))

    def finish(self) -> None:
        """Merged ranges are filled within the content: their extra cells count against the budget."""
        layout = self.layout
        kept = []
        for min_row, min_col, max_row, max_col in layout.merged:
            if min_row > layout.last_row or min_col > MAX_COLUMNS:
                continue
            bottom, right = min(max_row, layout.last_row), min(max_col, MAX_COLUMNS)
            if bottom > min_row or right > min_col:
                self.use((bottom - min_row + 1) * (right - min_col + 1))
                kept.append((min_row, min_col, bottom, right))
        layout.merged = kept


_COLUMNS: dict[str, int] = {}


def _column_of(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None:
        try:
            col = column_index(letters)
        except ValueError:
            col = 0
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = col
    return col


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _is_zero(text: str | None) -> bool:
    try:
        return text is not None and float(text) == 0
    except ValueError:
        return False


def scan_layout(path: Path) -> dict[str, SheetLayout]:
    """Every worksheet's layout and values, every limit checked while streaming (see module doc)."""
    try:
        with zipfile.ZipFile(path) as zf:
            package = _workbook_parts(zf)
            strings: list[str] = []
            oversized: dict[int, int] = {}
            if package.shared_strings is not None:
                with zf.open(package.shared_strings) as stream:
                    strings, oversized = _read_shared_strings(stream)
            dates = DateStyles(mac_epoch=package.mac_epoch)
            if package.styles is not None:
                with zf.open(package.styles) as stream:
                    dates = _read_date_styles(stream, package.mac_epoch)
            budget = [MAX_CELLS]
            layouts: dict[str, SheetLayout] = {}
            for part in package.sheets:
                layout = SheetLayout(part.sheet_name, part.state)
                scanner = _SheetScanner(layout, strings, oversized, dates, budget)
                with zf.open(part.path) as stream:
                    _parse_stream(stream, scanner.start, scanner.end, scanner.text)
                scanner.finish()
                layouts[part.sheet_name] = layout
            if oversized:  # a string no cell uses: still refused, a full load would hold it
                index, length = next(iter(oversized.items()))
                raise _Refused(f"有一段文字长达 {length:,} 个字符，超过上限 {MAX_CELL_CHARS:,}：请精简过长的内容后再试")
            return layouts
    except _Refused as exc:
        raise UnreadableWorkbook(f"{path.name}：{exc}") from None
    except expat.ExpatError as exc:
        where = f"第 {exc.lineno} 行第 {exc.offset} 列"  # expat's own words are English
        raise UnreadableWorkbook(f"{path.name} 的内部 XML 已损坏（{where}）：请在 Excel/WPS 中打开并另存为 .xlsx") from exc
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, zlib.error) as exc:
        raise UnreadableWorkbook(f"{path.name} 已损坏（{exc}）：请重新保存后再试") from exc


# ---- grids ------------------------------------------------------------------------------------

def _grid(layout: SheetLayout) -> Grid:
    rows = layout.rows
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    # Merged cells hold their value in the top-left cell only: copy it to the whole range,
    # so a merged 项目名称 or 一级指标 reads the same on every row it spans.
    for min_row, min_col, max_row, max_col in layout.merged:
        if min_row > len(rows):
            continue
        top = rows[min_row - 1][min_col - 1] if min_col <= len(rows[min_row - 1]) else None
        for r in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[r - 1]
            if top is None:  # nothing to copy: the covered cells read blank, as Excel shows them
                for c in range(min_col, min(max_col, len(row)) + 1):
                    row[c - 1] = None
                continue
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            row[min_col - 1:max_col] = [top] * (max_col - min_col + 1)
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    hidden = {r for r in layout.hidden_rows if r <= len(rows)}
    no_cache = {(r, c) for (r, c) in layout.formulas_without_cache if r <= len(rows)}
    return Grid(layout.name, rows, hidden, no_cache, layout.state, set(layout.hidden_columns),
                layout.ignored_cells, layout.first_ignored, layout.elements)


def detect_kind(grids: dict[str, Grid]) -> WorkbookKind | None:
    """The kind written in 填表说明!A1 by the template, else the kind whose sheets fit best."""
    sheet = grids.get(INSTRUCTIONS_SHEET)
    if sheet is not None:
        title = normalize_label(sheet.value(1, 1))
        for kind, kind_title in KIND_TITLES.items():
            if normalize_label(kind_title) == title:
                return kind
    names = {normalize_label(n) for n in grids}
    best: tuple[int, WorkbookKind | None] = (0, None)
    for kind, sheets in SHEETS.items():
        distinctive = {normalize_label(s.name) for s in sheets} - {
            normalize_label(s.name) for other, ss in SHEETS.items() if other != kind for s in ss}
        score = len(distinctive & names)
        if score > best[0]:
            best = (score, kind)
    return best[1]


def file_fingerprint(path: Path) -> tuple[int, int]:
    """(size, mtime_ns): cheap evidence that the user's file was not touched."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def limits() -> Iterable[tuple[str, int]]:
    """(name, value) of every limit, for the README table and its test."""
    return [(name, value) for name, value in globals().items()
            if name.startswith("MAX_") and isinstance(value, int)]
