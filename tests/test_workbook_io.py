"""The reader's values equal openpyxl's (read-only, data-only) for every workbook we have, and the
cases openpyxl gets wrong or that only hand-made files contain are read as a user would expect."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from generator.read import workbook_io as W
from generator.resources import examples_dir
from tests.factories import budget_data, self_eval_data, write_budget, write_self_eval
from tests.hostile import corpus


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    out = [list(r) for r in rows]
    for row in out:
        while row and row[-1] is None:
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _openpyxl_rows(path: Path) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        # content right of MAX_COLUMNS is left out by design (a 警告 says so)
        return {ws.title: _trimmed([list(r)[:W.MAX_COLUMNS] for r in ws.iter_rows(values_only=True)])
                for ws in wb.worksheets}
    finally:
        wb.close()


def _our_rows(path: Path) -> dict[str, list[list[Any]]]:
    return {name: _trimmed(layout.rows) for name, layout in W.scan_layout(path).items()}


def _workbooks(folder: Path) -> list[Path]:
    made = [write_budget(folder / "budget.xlsx", budget_data()),
            write_self_eval(folder / "selfeval.xlsx", self_eval_data())]
    for case in corpus.CASES:
        if case.exit_code != 2 and case.max_mb <= 200:  # readable, and small enough for openpyxl
            own = folder / case.name
            own.mkdir()
            made.append(case.make(own))
    files = [f for p in made for f in ([p] if p.is_file() else sorted(p.glob("*.xlsx")))]
    return sorted(examples_dir().glob("*.xlsx")) + files


def test_values_equal_openpyxls_for_every_example_and_test_workbook(tmp_path: Path) -> None:
    checked = 0
    for path in _workbooks(tmp_path):
        expected, ours = _openpyxl_rows(path), _our_rows(path)
        assert ours.keys() == expected.keys(), path.name
        for sheet, rows in expected.items():
            assert ours[sheet] == rows, f"{path.name} / {sheet}"
            checked += sum(len(r) for r in rows)
    assert checked > 10_000  # the comparison did look at the workbooks' cells


def _special_workbook(path: Path, date_1904: bool = False) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    ws = wb.add_worksheet("表")
    ws.write_datetime(0, 0, dt.datetime(2021, 3, 5), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_number(1, 0, 44260, wb.add_format({"num_format": 31}))  # zh-CN built-in: yyyy"年"m"月"d"日"
    ws.write_number(2, 0, 0.5, wb.add_format({"num_format": "h:mm"}))
    ws.write_number(3, 0, 1.25, wb.add_format({"num_format": "[h]:mm:ss"}))
    ws.write_number(4, 0, 12.5, wb.add_format({"num_format": '0.00"元"'}))  # a quoted literal, not a date
    ws.write_number(5, 0, 7)
    ws.write_boolean(6, 0, True)
    ws.write_formula(7, 0, "=1/0", None, "#DIV/0!")
    ws.write_rich_string(8, 0, "项目", wb.add_format({"bold": True}), "名称")
    ws.write_string(9, 0, "科技")
    wb.close()
    return path


def _rewrite(path: Path, part: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    assert old in parts[part], parts[part][:2000]
    parts[part] = parts[part].replace(old, new, 1)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


@pytest.mark.parametrize("date_1904", [False, True])
def test_dates_times_durations_numbers_and_texts_are_read_by_their_format(tmp_path: Path, date_1904: bool) -> None:
    path = _special_workbook(tmp_path / "s.xlsx", date_1904)
    column = [row[0] if row else None for row in W.open_workbook(path)["表"].rows]
    assert column[0] == dt.datetime(2021, 3, 5)
    # 44260 days after the workbook's epoch: 2021-03-05, or four years and a day later in 1904 files
    assert column[1] == (dt.datetime(2025, 3, 6) if date_1904 else dt.datetime(2021, 3, 5))
    assert column[2:] == [dt.time(12, 0), dt.timedelta(days=1, hours=6), 12.5, 7, True, "#DIV/0!",
                          "项目名称", "科技"]


def test_phonetic_guides_and_inline_strings_are_read_as_the_visible_text(tmp_path: Path) -> None:
    path = _special_workbook(tmp_path / "s.xlsx")
    _rewrite(path, "xl/sharedStrings.xml", b"<t>\xe7\xa7\x91\xe6\x8a\x80</t>",  # 科技 + its reading
             "<t>科技</t><rPh sb=\"0\" eb=\"2\"><t>kē jì</t></rPh>".encode())
    _rewrite(path, "xl/worksheets/sheet1.xml", b'<c r="A6"><v>7</v></c>',
             "<c r=\"A6\" t=\"inlineStr\"><is><t>行内</t><rPh sb=\"0\" eb=\"1\"><t>xx</t></rPh></is></c>".encode())
    column = [row[0] if row else None for row in W.open_workbook(path)["表"].rows]
    assert column[5] == "行内" and column[9] == "科技"
    assert _our_rows(path) == _openpyxl_rows(path) | {"表": _our_rows(path)["表"]}  # sheets alike


def test_a_repeated_row_keeps_its_first_occurrence(tmp_path: Path) -> None:
    path = _special_workbook(tmp_path / "s.xlsx")
    _rewrite(path, "xl/worksheets/sheet1.xml", b"</sheetData>",
             b'<row r="2"><c r="A2"><v>99</v></c></row></sheetData>')
    ours, theirs = _our_rows(path)["表"], _openpyxl_rows(path)["表"]
    assert ours[1] == [dt.datetime(2021, 3, 5)]  # not 99 (openpyxl: 44260, it knows no zh-CN formats)
    assert ours[:1] + ours[2:] == theirs[:1] + theirs[2:]


def test_a_styles_part_with_more_formats_than_the_limit_is_refused(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = _special_workbook(tmp_path / "s.xlsx")
    monkeypatch.setattr(W, "MAX_STYLES", 2)
    with pytest.raises(W.UnreadableWorkbook, match="单元格样式超过 2 种"):
        W.open_workbook(path)
