"""政府收支分类科目 as data: the 功能分类 (类/款/项) and 经济分类 (类/款) catalogue in force for a
budget year and 地区, extendable by the user's own file.

Why data, not code: the 部门收支总表 lists every 功能分类 类 in the order of the catalogue in
force, empty ones included, and that list changes by year (234 from 2020, 235 from 2024) and by
province (a Hebei 2025 一体化 export ends with "三十一、人行科目"). Names users type are checked
against the same catalogue. A finance officer receives a new list from the 财政厅; adding it must
not need a programmer.

One file format for the shipped catalogues (``catalogs/全国.csv``, ``catalogs/<地区>.csv``) and the
user's own (CSV or XLSX, see docs/catalog.md)::

    分类 | 科目编码 | 科目名称 | 起始年度 | 终止年度 | 说明

Only 科目名称 is required. 分类 is 功能分类 or 经济分类 (blank: 经济分类 for codes starting with 3,
else 功能分类). Codes: 功能分类 类 3 digits, 款 5, 项 7; 经济分类 类 3, 款 5. A 功能分类 类 may have
no code (the Hebei "人行科目" is listed by name only): it is printed, no line can fall in it.
起始年度/终止年度 bound the years a row is in force (blank: unbounded).

Choosing (``choose``): three layers, each cut to the budget year -- 全国, then the 地区's file,
then the user's file. A layer that lists 功能分类 类 replaces the 类 list (its order is the
table's order); likewise for 经济分类 类. 款/项 are added, a later layer's name winning for the
same code. The 款/项 lists are not exhaustive (they cover science departments and the personnel
subjects every department has): a code missing there is not an error, a 类 missing is.

Sources of the national file: 财政部《政府收支分类科目》(2021 edition for the 款/项 listed); 209
and 235 are worth confirming against the year's 科目 book.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from generator.model.text import normalize_label

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from generator.model import BudgetWorkbook

FUNCTION = "功能分类"
ECONOMIC = "经济分类"
NATIONAL = "全国"
CATALOG_DIR = "catalogs"

MAX_ROWS = 20_000  # a catalogue has a few thousand rows at most
HEADER_SCAN_ROWS = 10  # a title line may sit above the header (as in exports)
MAX_PROBLEMS_SHOWN = 8


@dataclass(frozen=True)
class Subject:
    """One 科目: code, official name, and the budget years it is in force (None: unbounded)."""

    code: str
    name: str
    since: int | None = None
    until: int | None = None

    def in_force(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.since is None or self.since <= year) and (self.until is None or year <= self.until)


def _cut(subjects: tuple[Subject, ...], year: int | None) -> tuple[Subject, ...]:
    return tuple(s for s in subjects if s.in_force(year))


@dataclass(frozen=True)
class Layer:
    """What one catalogue file declares (全国, a 地区, or the user's own)."""

    name: str
    function_classes: tuple[Subject, ...] = ()
    function_details: tuple[Subject, ...] = ()
    economic_classes: tuple[Subject, ...] = ()
    economic_details: tuple[Subject, ...] = ()

    def in_force(self, year: int | None) -> Layer:
        return replace(self, function_classes=_cut(self.function_classes, year),
                       function_details=_cut(self.function_details, year),
                       economic_classes=_cut(self.economic_classes, year),
                       economic_details=_cut(self.economic_details, year))


class CatalogError(ValueError):
    """A catalogue file that cannot be used; ``str(exc)`` lists every problem, in Chinese."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        shown = list(self.problems[:MAX_PROBLEMS_SHOWN])
        if len(self.problems) > len(shown):
            shown.append(f"另有 {len(self.problems) - len(shown)} 处问题")
        super().__init__(f"科目表“{source}”有 {len(self.problems)} 处问题：" + "；".join(shown))


# --------------------------------------------------------------------------------------------
# Reading the file format
# --------------------------------------------------------------------------------------------

_HEADERS: dict[str, tuple[str, ...]] = {
    "kind": ("分类", "科目分类", "科目类型"),
    "code": ("科目编码", "编码", "科目代码", "代码"),
    "name": ("科目名称", "名称", "科目"),
    "since": ("起始年度", "开始年度", "起始年份"),
    "until": ("终止年度", "截止年度", "结束年度", "终止年份"),
}
_KINDS = {"功能分类": FUNCTION, "支出功能分类": FUNCTION, "功能": FUNCTION,
          "经济分类": ECONOMIC, "部门预算支出经济分类": ECONOMIC, "支出经济分类": ECONOMIC, "经济": ECONOMIC}
# "三十一、人行科目" as pasted from a 部门收支总表: the 序号 is the table's, not the name's.
_TABLE_NUMBER = re.compile(r"[一二三四五六七八九十]{1,4}\s?[、.]\s?")
_CODE_LENGTHS = {FUNCTION: (3, 5, 7), ECONOMIC: (3, 5)}
_CODE_FORMS = {FUNCTION: "3 位（类）、5 位（款）或 7 位（项）", ECONOMIC: "3 位（类）或 5 位（款）"}


def _cell_text(value: object) -> str:
    # Names keep their full-width brackets (the official form); codes and years are compared
    # after NFKC, see ``_clean_code``.
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in Excel: 201.0 -> "201"
    return "" if value is None else str(value).strip()


def _year(text: str, row: int, header: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if text.isdigit() and 1990 <= int(text) <= 2100:
        return int(text)
    problems.append(f"第 {row} 行：{header}“{text}”应为四位年份，如 2025")
    return None


def _find_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]]:
    """Index of the header row and the column of each known header (by text, any order)."""
    names = {normalize_label(n): key for key, aliases in _HEADERS.items() for n in aliases}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for col, value in enumerate(row):
            key = names.get(normalize_label(value))
            if key is not None and key not in found:
                found[key] = col
        if "name" in found:
            return index, found
    return -1, {}


def parse_rows(rows: Iterable[Sequence[object]], source: str) -> Layer:
    """A catalogue from table rows (header first, a title line above it allowed).

    Raises ``CatalogError`` listing every problem, each naming its row as the user sees it
    (1-based, header included), so the file can be fixed in one pass.
    """
    table: list[Sequence[object]] = []
    for row in rows:
        table.append(row)
        if len(table) > MAX_ROWS:
            raise CatalogError(source, [f"超过 {MAX_ROWS} 行，不像科目表：请只保留科目行"])
    header, columns = _find_header(table)
    if header < 0:
        raise CatalogError(source, ["找不到表头：第一行应包含“科目编码”“科目名称”两列（可加“分类”“起始年度”“终止年度”）"])
    problems: list[str] = []
    found: dict[tuple[str, int], list[Subject]] = {(k, n): [] for k in (FUNCTION, ECONOMIC) for n in (3, 5)}
    seen: dict[tuple[str, str], list[tuple[Subject, int]]] = {}

    def cell(row: Sequence[object], key: str) -> str:
        col = columns.get(key)
        return _cell_text(row[col]) if col is not None and col < len(row) else ""

    for index in range(header + 1, len(table)):
        row, line = table[index], index + 1
        if all(_cell_text(v) == "" for v in row):
            continue
        code = "".join(_clean_code(cell(row, "code")).split())
        name = cell(row, "name")
        numbered = _TABLE_NUMBER.match(name)
        name = name[numbered.end():].strip() if numbered else name
        kind_text = cell(row, "kind")
        kind = _KINDS.get(normalize_label(kind_text)) if kind_text else (ECONOMIC if code.startswith("3") else FUNCTION)
        since = _year(_clean_code(cell(row, "since")), line, "起始年度", problems)
        until = _year(_clean_code(cell(row, "until")), line, "终止年度", problems)
        if kind is None:
            problems.append(f"第 {line} 行：分类“{kind_text}”应为“功能分类”或“经济分类”")
            continue
        if not name:
            problems.append(f"第 {line} 行：科目名称为空")
            continue
        if code and not (code.isdigit() and len(code) in _CODE_LENGTHS[kind]):
            problems.append(f"第 {line} 行：{kind}科目编码“{code}”应为 {_CODE_FORMS[kind]}数字")
            continue
        if not code and kind == ECONOMIC:
            problems.append(f"第 {line} 行：经济分类科目“{name}”缺少科目编码")
            continue
        if since and until and since > until:
            problems.append(f"第 {line} 行：起始年度 {since} 晚于终止年度 {until}")
            continue
        subject = Subject(code, name, since, until)
        key = (kind, code or name)
        for other, other_line in seen.get(key, []):
            if _overlap(subject, other):
                problems.append(f"第 {line} 行：{kind}科目“{code or name}”与第 {other_line} 行重复（年度重叠）")
                break
        seen.setdefault(key, []).append((subject, line))
        found[(kind, 3 if len(code) <= 3 else 5)].append(subject)
    if problems:
        raise CatalogError(source, problems)
    if not any(found.values()):
        raise CatalogError(source, ["没有任何科目行：表头下每行填写一个科目"])
    return Layer(source, tuple(found[(FUNCTION, 3)]), tuple(found[(FUNCTION, 5)]),
                 tuple(found[(ECONOMIC, 3)]), tuple(found[(ECONOMIC, 5)]))


def _overlap(a: Subject, b: Subject) -> bool:
    low_a, high_a = a.since or 0, a.until or 9999
    low_b, high_b = b.since or 0, b.until or 9999
    return low_a <= high_b and low_b <= high_a


def rows_from_csv(data: bytes, source: str) -> list[list[str]]:
    """CSV rows from bytes: UTF-8 (with or without BOM, as "CSV UTF-8" saves) or GB18030 (as
    Excel/WPS on a Chinese Windows save plain "CSV"); comma- or tab-separated."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost any byte string
        raise CatalogError(source, ["无法识别文件编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”"])
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise CatalogError(source, [f"不是有效的 CSV 文件（{exc}）"]) from exc


# --------------------------------------------------------------------------------------------
# The shipped catalogues
# --------------------------------------------------------------------------------------------


@cache
def _shipped_files() -> dict[str, Traversable]:
    root = resources.files("generator.model").joinpath(CATALOG_DIR)
    return {entry.name[:-4]: entry for entry in root.iterdir() if entry.name.endswith(".csv")}


@cache
def shipped(name: str) -> Layer:
    """A catalogue shipped with the tool: ``全国`` or a 地区 (see ``regions``)."""
    entry = _shipped_files()[name]
    return parse_rows(rows_from_csv(entry.read_bytes(), entry.name), name)


def regions() -> tuple[str, ...]:
    """The 地区 with a catalogue of their own, e.g. ("河北",)."""
    return tuple(sorted(n for n in _shipped_files() if n != NATIONAL))


def region_key(region: str) -> str | None:
    """The shipped variant a typed 地区 means: "河北省", "河北省石家庄市" → "河北" (longest match)."""
    text = "".join(unicodedata.normalize("NFKC", region).split())
    matches = [key for key in regions() if text.startswith(key)]
    return max(matches, key=len) if matches else None


# --------------------------------------------------------------------------------------------
# The chosen catalogue
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """The catalogue in force for one workbook, with lookups and code/name checks.

    ``name`` says where the 类 list comes from ("河北科目表（2025年）"), for messages; ``notes``
    are what the user should know about the choice (shown as 提示 by validation).
    """

    name: str
    function_classes: tuple[Subject, ...]
    function_details: tuple[Subject, ...]
    economic_classes: tuple[Subject, ...]
    economic_details: tuple[Subject, ...]
    notes: tuple[str, ...] = field(default=(), compare=False)

    @cached_property
    def _function_names(self) -> dict[str, str]:
        return {s.code: s.name for s in self.function_classes + self.function_details if s.code}

    @cached_property
    def _economic_names(self) -> dict[str, str]:
        return {s.code: s.name for s in self.economic_classes + self.economic_details}

    def class_labels(self) -> list[tuple[str, str]]:
        """(code, label) per 类 for the 部门收支总表: ("201", "一、一般公共服务支出") …"""
        return [(s.code, f"{chinese_number(i)}、{s.name}")
                for i, s in enumerate(self.function_classes, start=1)]

    def function_name(self, code: str) -> str | None:
        """Name of a 功能分类 类/款/项 code, None when the catalogue does not list it."""
        return self._function_names.get(_clean_code(code))

    def function_class(self, code: str) -> tuple[str, str | None]:
        """The 类 of any 功能分类 code: ("2060101" → ("206", "科学技术支出")); None: not listed."""
        code3 = _clean_code(code)[:3]
        listed = len(code3) == 3 and any(s.code == code3 for s in self.function_classes)
        return code3, self._function_names.get(code3) if listed else None

    def economic_name(self, code: str) -> str | None:
        return self._economic_names.get(_clean_code(code))

    def economic_class(self, code: str) -> tuple[str, str | None]:
        code3 = _clean_code(code)[:3]
        listed = len(code3) == 3 and any(s.code == code3 for s in self.economic_classes)
        return code3, self._economic_names.get(code3) if listed else None

    def check_function_code_name(self, code: str, name: str) -> str | None:
        """None when ``code`` and ``name`` agree with this catalogue's 功能分类, else a message."""
        return _check(code, name, self._function_names, self.function_class(code)[1] is not None,
                      FUNCTION, self.name)

    def check_economic_code_name(self, code: str, name: str) -> str | None:
        """None when ``code`` and ``name`` agree with this catalogue's 经济分类, else a message."""
        if len(_clean_code(code)) == 7:
            return f"经济分类科目编码“{code}”应为 3 位（类）或 5 位（款）数字"
        return _check(code, name, self._economic_names, self.economic_class(code)[1] is not None,
                      ECONOMIC, self.name)


def _merge(layers: Sequence[Layer], name: str, notes: Sequence[str]) -> Catalog:
    function_classes: tuple[Subject, ...] = ()
    economic_classes: tuple[Subject, ...] = ()
    function_details: dict[str, Subject] = {}
    economic_details: dict[str, Subject] = {}
    for layer in layers:
        function_classes = layer.function_classes or function_classes
        economic_classes = layer.economic_classes or economic_classes
        function_details.update((s.code, s) for s in layer.function_details)
        economic_details.update((s.code, s) for s in layer.economic_details)
    return Catalog(name, function_classes, tuple(function_details.values()), economic_classes,
                   tuple(economic_details.values()), tuple(notes))


@lru_cache(maxsize=64)
def choose(year: int | None, region: str = "", own: Layer | None = None) -> Catalog:
    """The catalogue for budget ``year`` in ``region`` (blank: national), with the user's ``own``
    file on top. ``notes`` tell the user which list the 部门收支总表 follows and why."""
    year_text = f"{year}年" if year else ""
    layers = [shipped(NATIONAL).in_force(year)]
    source = "全国通用科目表"
    notes: list[str] = []
    region = region.strip()
    key = region_key(region) if region else None
    if region and key is None:
        notes.append(f"地区“{region}”没有随工具提供的专用科目表，部门收支总表按全国通用科目表列示{year_text}功能分类的类")
    elif key is not None:
        layer = shipped(key).in_force(year)
        if layer.function_classes:
            source = f"{key}科目表"
            notes.append(f"部门收支总表按{key}{year_text}功能分类科目表列示 {len(layer.function_classes)} 个类"
                         f"（末类为“{layer.function_classes[-1].name}”）")
        else:
            notes.append(f"{key}科目表没有{year_text}的类级科目，部门收支总表按全国通用科目表列示")
        layers.append(layer)
    if own is not None:
        layer = own.in_force(year)
        if layer.function_classes:
            source = f"自定义科目表“{own.name}”"
            notes.append(f"使用自定义科目表“{own.name}”：部门收支总表按其 {len(layer.function_classes)} 个类列示")
        elif own.function_classes:
            notes.append(f"自定义科目表“{own.name}”中的类级科目不适用于{year_text or '本年度'}，部门收支总表未采用")
        else:
            notes.append(f"使用自定义科目表“{own.name}”补充科目名称")
        layers.append(layer)
    return _merge(layers, f"{source}（{year_text}）" if year_text else source, notes)


def for_workbook(wb: BudgetWorkbook) -> Catalog:
    """The catalogue the reader chose for ``wb``; built from 预算年度 + 地区 for a model made in code."""
    return wb.catalog if wb.catalog is not None else choose(wb.info.year or None, wb.info.region)


# --------------------------------------------------------------------------------------------
# Checks and helpers
# --------------------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (the 序号 style of budget tables, 1–99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"序号超出范围：{n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def _clean_code(code: str) -> str:
    return unicodedata.normalize("NFKC", str(code)).strip()


# Characters that differ between how people type a name and the catalogue without changing
# its meaning: spaces, brackets of either width (NFKC maps full-width to ASCII), 、 and dots.
_NAME_NOISE = re.compile(r"[\s()\[\]【】、，,.。·:：\-—_/\\\"'“”‘’]")


def normalize_name(name: str) -> str:
    """Comparable form of a 科目 name: NFKC, no spaces, brackets or punctuation."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", str(name)))


def _check(code: str, name: str, names: dict[str, str], class_listed: bool, what: str,
           catalogue: str) -> str | None:
    clean = _clean_code(code)
    if not re.fullmatch(r"\d{3}|\d{5}|\d{7}", clean):
        return f"{what}科目编码“{code}”应为 3 位（类）、5 位（款）或 7 位（项）数字"
    if not class_listed:
        return f"{what}科目编码“{code}”的类级编码 {clean[:3]} 不在{catalogue}中"
    expected = names.get(clean)
    if expected is None:
        return None  # a 款/项 the (partial) catalogue does not list: nothing to compare with
    if normalize_name(name) != normalize_name(expected):
        return f"{what}科目 {clean} 的名称应为“{expected}”，填写的是“{name}”"
    return None


# The national catalogue, all years: the module-level API callers used before catalogues were
# chosen per workbook (tests, tools). Workbook code uses ``for_workbook(wb)``.
_ALL_YEARS = choose(None)
FUNCTION_CLASSES: tuple[Subject, ...] = _ALL_YEARS.function_classes
FUNCTION_DETAILS: tuple[Subject, ...] = _ALL_YEARS.function_details
ECONOMIC_CLASSES: tuple[Subject, ...] = _ALL_YEARS.economic_classes
ECONOMIC_DETAILS: tuple[Subject, ...] = _ALL_YEARS.economic_details


def function_classes(year: int | None = None) -> tuple[Subject, ...]:
    """The national 功能分类 类 in force in budget ``year`` (all of them when ``year`` is None)."""
    return choose(year).function_classes


def function_class_labels(year: int | None = None) -> list[tuple[str, str]]:
    """(code, label) per national 类 for the 部门收支总表: ("201", "一、一般公共服务支出") …"""
    return choose(year).class_labels()


def function_name(code: str) -> str | None:
    """Official name of a 功能分类 类/款/项 code, None when the catalogue does not list it."""
    return _ALL_YEARS.function_name(code)


def function_class(code: str) -> tuple[str, str | None]:
    """The 类 of any 功能分类 code: ("2060101" → ("206", "科学技术支出"))."""
    return _ALL_YEARS.function_class(code)


def economic_name(code: str) -> str | None:
    """Official name of a 经济分类 类/款 code, None when the catalogue does not list it."""
    return _ALL_YEARS.economic_name(code)


def economic_class(code: str) -> tuple[str, str | None]:
    """The 类 of any 经济分类 code: ("30201" → ("302", "商品和服务支出"))."""
    return _ALL_YEARS.economic_class(code)


def check_function_code_name(code: str, name: str) -> str | None:
    """None when ``code`` and ``name`` agree with the national 功能分类, else a message."""
    return _ALL_YEARS.check_function_code_name(code, name)


def check_economic_code_name(code: str, name: str) -> str | None:
    """None when ``code`` and ``name`` agree with the national 经济分类, else a message."""
    return _ALL_YEARS.check_economic_code_name(code, name)


def check_code_name(code: str, name: str) -> str | None:
    """Check a 功能分类 code/name pair (the common case); see ``check_economic_code_name``."""
    return check_function_code_name(code, name)
