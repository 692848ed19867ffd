"""Shared helpers for the seed example scripts (``tools/examples/seedNNN.py``).

Each seed script encodes one real published document as raw workbook data. The published text
has defects (a rate that does not match its amounts, a placeholder 指标值, a non-standard level
name …). The example holds the corrected value as ``Noted(value, "原文为“…”，…")`` and records a
:class:`SeedDefect`, so ``build(with_defects=True)`` can put every published original back (the
validator's tests use that variant). Values the seed does not give but a sheet needs are held
as illustrative values with a ``Noted`` comment that says so.

The helpers here:

* :class:`Fix` -- a corrected value plus the published original; :class:`Builder` turns it into
  a ``Noted`` cell and a :class:`SeedDefect` pointing at the cell's sheet/row/key.
* :func:`illustrative` -- a value the seed lacks, with the comment "示例值…".
* :func:`assign_weights` -- 分值 per indicator so a project's indicators sum to 90
  (产出 50 / 效益 30 / 满意度 10; missing 一级 shares go to 产出, with a note).
* :func:`write` -- write the workbook and print sanity counts read back with openpyxl.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.model.schema import FORM_LABEL_HEADER, SHEETS, FormSheet, WorkbookKind
from generator.render.workbook_template import Noted, WorkbookData, write_workbook

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "inputs"


@dataclass(frozen=True)
class SeedDefect:
    """A defect of the published seed and where the example holds its corrected value."""

    sheet: str
    row: int  # 0-based index into data.tables[sheet]; -1 for a form field
    key: str
    original: object  # the published value, put back by build(with_defects=True)
    what: str  # what is wrong, in Chinese


@dataclass(frozen=True)
class Fix:
    """A corrected value; ``original`` is what the seed published."""

    value: object
    original: object
    what: str

    @property
    def comment(self) -> str:
        shown = "空" if self.original in (None, "") else f"“{self.original}”"
        return f"原文为{shown}，{self.what}"


def D(text: str | int) -> Decimal:  # noqa: N802 - short name for many literals
    """Decimal from a string literal (never from a float)."""
    return Decimal(str(text))


def pct(text: str) -> Decimal:
    """A percentage literal ("100", "75.19") as a Decimal fraction."""
    return Decimal(text) / 100


def illustrative(value: object, why: str = "原文未给出") -> Noted:
    """A value the seed does not state, held so the sheet is complete."""
    return Noted(value, f"示例值（说明性数据，非原文）：{why}")


class Builder:
    """Collects forms and table rows; turns :class:`Fix` values into Noted cells + defects."""

    def __init__(self, plan: str = "month") -> None:
        self.data = WorkbookData(plan=plan)
        self.defects: list[SeedDefect] = []

    def _convert(self, sheet: str, row: int, values: dict[str, object]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in values.items():
            if isinstance(value, Fix):
                self.defects.append(SeedDefect(sheet, row, key, value.original, value.what))
                value = Noted(value.value, value.comment)
            out[key] = value
        return out

    def form(self, sheet: str, **values: object) -> None:
        self.data.forms.setdefault(sheet, {}).update(self._convert(sheet, -1, values))

    def row(self, sheet: str, **values: object) -> int:
        rows = self.data.tables.setdefault(sheet, [])
        rows.append(self._convert(sheet, len(rows), values))
        return len(rows) - 1


def apply_defects(data: WorkbookData, defects: list[SeedDefect]) -> WorkbookData:
    """Put every published original back (in place); returns ``data``."""
    for d in defects:
        if d.row < 0:
            data.forms[d.sheet][d.key] = d.original
        else:
            data.tables[d.sheet][d.row][d.key] = d.original
    return data


# --------------------------------------------------------------------------------------------
# Indicator weights
# --------------------------------------------------------------------------------------------

DEFAULT_SHARES = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
INDICATOR_TOTAL = 90  # 100 minus the 10 points of 预算执行率


def _plain(value: object) -> object:
    if isinstance(value, (Noted, Fix)):
        return value.value
    return value


def assign_weights(rows: list[dict[str, Any]], note: str = "") -> list[dict[str, Any]]:
    """Set ``weight`` on each indicator row so the rows sum to 90.

    Each 一级 present gets its default share (产出 50 / 效益 30 / 满意度 10); the shares of
    absent 一级 go to 产出 (or to the first 一级 present), and the first row of that 一级 gets a
    comment saying so. Within a 一级 the share is split evenly in whole points, the first rows
    taking the remainder.
    """
    levels = [str(_plain(r["level1"])) for r in rows]
    present = list(dict.fromkeys(levels))
    shares = {lvl: DEFAULT_SHARES.get(lvl, 0) for lvl in present}
    missing = INDICATOR_TOTAL - sum(shares.values())
    receiver = "产出指标" if "产出指标" in shares else present[0]
    shares[receiver] += missing
    counts = Counter(levels)
    seen: Counter[str] = Counter()
    for r, lvl in zip(rows, levels, strict=True):
        n, share = counts[lvl], shares[lvl]
        base, rest = divmod(share, n)
        w = base + (1 if seen[lvl] < rest else 0)
        seen[lvl] += 1
        weight: object = Decimal(w)
        if missing and lvl == receiver and seen[lvl] == 1:
            absent = "、".join(x for x in DEFAULT_SHARES if x not in shares)
            weight = Noted(
                Decimal(w),
                (
                    f"报告未列{absent}，其分值并入{receiver}（{receiver}合计{share}分），"
                    f"使本项目指标合计 {INDICATOR_TOTAL} 分。{note}"
                ).strip(),
            )
        r["weight"] = weight
    return rows


# --------------------------------------------------------------------------------------------
# Writing and sanity check
# --------------------------------------------------------------------------------------------


def write(kind: WorkbookKind, filename: str, data: WorkbookData) -> Path:
    """Write ``data`` to ``inputs/<filename>`` and print counts read back with openpyxl."""
    INPUTS.mkdir(exist_ok=True)
    path = INPUTS / filename
    write_workbook(kind, path, data)
    print_sanity(kind, path)
    return path


def print_sanity(kind: WorkbookKind, path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    print(f"{path.relative_to(ROOT)}")
    for sheet in SHEETS[kind]:
        ws = wb[sheet.name]
        if isinstance(sheet, FormSheet):
            filled = sum(
                1 for r in ws.iter_rows(min_row=2, values_only=True) if r[0] and r[1] not in (None, "")
            )
            print(f"  {sheet.name}: {filled}/{len(sheet.fields)} 项已填")
            assert ws.cell(1, 1).value == FORM_LABEL_HEADER
        else:
            rows = [
                r for r in ws.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)
            ]
            comments = sum(1 for row in ws.iter_rows(min_row=2) for c in row if c.comment)
            print(f"  {sheet.name}: {len(rows)} 行" + (f"，{comments} 条批注" if comments else ""))
    wb.close()


def print_summary(data: WorkbookData, defects: list[SeedDefect]) -> None:
    """What a seed script wrote: counts and one line per recorded defect."""
    print(
        f"  项目 {len(data.tables.get('项目', []))} 个，绩效指标 {len(data.tables.get('绩效指标', []))} 个，"
        f"缺陷 {len(defects)} 处"
    )
    for d in defects:
        print(f"    {d.sheet}[{d.row}].{d.key}: {d.what}")
