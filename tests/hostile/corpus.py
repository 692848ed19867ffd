"""The hostile corpus: workbooks made to hang, exhaust or fool the tool, generated on demand.

Each case starts from a small valid workbook (``tests.factories``) and breaks it the way a careless
or hostile file does: through openpyxl for cell content, or by rewriting the zip's XML directly
(streamed, so a million-row sheet never sits in this process's memory either) for what no
spreadsheet program would write. Nothing is committed: the files are made at test time.

    python -m tests.hostile.corpus DIR          # write every case into DIR
    python -m tests.hostile.corpus --measure    # time and peak memory of `check` on each case

``tests/test_hostile_corpus.py`` runs every case through ``budget-report`` in a child process and
checks the outcome, the findings, and the case's bounds on time and peak memory.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from generator.read.workbook_io import _workbook_parts
from tests.factories import budget_data, write_budget

ROOT = Path(__file__).resolve().parents[2]
EXCEL_LAST_ROW = 1_048_576

# Runs the CLI in-process and reports its peak memory (the whole process: interpreter, imports,
# work). VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child of a big
# pytest process would report the parent's peak.
_PEAK = """
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
_WRAPPER = _PEAK + """
import json, sys, time
t = time.perf_counter()
try:
    from generator.app.cli import main
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
wall = time.perf_counter() - t
print("BENCH" + json.dumps({"code": code, "wall": wall, "peak_mb": peak_mb()}))
"""


@dataclass(frozen=True)
class Case:
    """One hostile workbook and what the tool must do with it."""

    name: str
    make: Callable[[Path], Path]  # writes the workbook(s) into a folder, returns what to pass
    exit_code: int  # of `check`
    codes: frozenset[str] = frozenset()  # finding codes that must be reported
    message: str = ""  # text the output must contain (refusals)
    max_seconds: float = 30.0  # generous: a bound, not a measurement (benchmark-style)
    max_mb: float = 200.0  # peak RSS of the whole `check` process
    build: bool = False  # also build, and run ``verify`` on the outputs
    verify: Callable[[Path], None] | None = field(default=None, compare=False)


# ---- helpers --------------------------------------------------------------------------------------

def _col(ws: Worksheet, header: str) -> int:
    for c in ws[1]:
        if c.value == header:
            return c.column
    raise KeyError(header)


def _form_row(ws: Worksheet, label: str) -> int:
    for row in ws.iter_rows(min_row=1):
        if row[0].value == label:
            return row[0].row
    raise KeyError(label)


def _edit(folder: Path, name: str, change: Callable[[openpyxl.Workbook], None]) -> Path:
    path = write_budget(folder / name)
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def _set(sheet: str, header: str, value: object, row: int = 2) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        ws.cell(row, _col(ws, header)).value = value
    return change


def _set_form(label: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["基本信息"]
        ws.cell(_form_row(ws, label), 2).value = value
    return change


def _rewrite(source: Path, target: Path, sheet: str | None,
             rewrite: Callable[[str, zipfile.ZipFile, Callable[[str], None]], None] | None = None,
             extra: dict[str, Callable[[Callable[[str], None]], None]] | None = None) -> Path:
    """Copy ``source`` to ``target`` part by part; the part of ``sheet`` goes through ``rewrite``
    (which writes the new text through the callback it is given, in pieces), other parts named in
    ``extra`` are written by their function."""
    with zipfile.ZipFile(source) as zf:
        parts = _workbook_parts(zf).sheets
        wanted = next((p.path for p in parts if p.sheet_name == sheet), None)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                writer = (extra or {}).get(info.filename)
                if info.filename == wanted and rewrite is not None:
                    with out.open(info.filename, "w", force_zip64=True) as dst:
                        rewrite(zf.read(info.filename).decode("utf-8"), zf, _writer(dst))
                elif writer is not None:
                    with out.open(info.filename, "w", force_zip64=True) as dst:
                        writer(_writer(dst))
                else:
                    out.writestr(info, zf.read(info.filename))
    return target


def _writer(dst: IO[bytes]) -> Callable[[str], None]:
    def write(text: str) -> None:
        dst.write(text.encode("utf-8"))
    return write


def _split_sheet_data(xml: str) -> tuple[str, str]:
    head, _, tail = xml.partition("</sheetData>")
    if not tail:  # an empty <sheetData/>
        head, _, tail = xml.partition("<sheetData/>")
        head += "<sheetData>"
    return head, "</sheetData>" + tail


def _last_row(xml: str) -> int:
    rows = re.findall(r'<row r="(\d+)"', xml)
    return int(rows[-1]) if rows else 0


def _rows(first: int, last: int, cell: Callable[[int], str], chunk: int = 20_000) -> Iterator[str]:
    for start in range(first, last + 1, chunk):
        yield "".join(f'<row r="{r}">{cell(r)}</row>' for r in range(start, min(start + chunk, last + 1)))


# ---- the cases ------------------------------------------------------------------------------------

def _down_to_the_last_row(folder: Path, name: str, cell: Callable[[int], str]) -> Path:
    """The example's 绩效指标 with ``cell(r)`` in every row after its content, down to row 1,048,576."""
    base = write_budget(folder / "base.xlsx")

    def rewrite(xml: str, _: zipfile.ZipFile, write: Callable[[str], None]) -> None:
        head, tail = _split_sheet_data(xml)
        write(head)
        for piece in _rows(_last_row(xml) + 1, EXCEL_LAST_ROW, cell):
            write(piece)
        write(tail)

    path = _rewrite(base, folder / name, "绩效指标", rewrite)
    base.unlink()
    return path


def fill_down(folder: Path) -> Path:
    """A column of 绩效指标 filled down to Excel's last row (Ctrl+Shift+↓, Ctrl+D)."""
    return _down_to_the_last_row(folder, "fill-down.xlsx", lambda r: f'<c r="H{r}" t="s"><v>0</v></c>')


def empty_styled_rows(folder: Path) -> Path:
    """A million formatted but empty rows (borders drawn down a whole column): nothing to refuse."""
    return _down_to_the_last_row(folder, "empty-rows.xlsx", lambda r: f'<c r="H{r}" s="1"/>')


def far_cell(folder: Path) -> Path:
    """One cell in Excel's last row (and one at XFD1048576): refused at the row limit, not by
    building a grid of a million rows."""
    base = write_budget(folder / "base.xlsx")

    def rewrite(xml: str, _: zipfile.ZipFile, write: Callable[[str], None]) -> None:
        head, tail = _split_sheet_data(xml)
        write(head + f'<row r="{EXCEL_LAST_ROW}"><c r="A{EXCEL_LAST_ROW}" t="s"><v>0</v></c>'
              f'<c r="XFD{EXCEL_LAST_ROW}" t="s"><v>0</v></c></row>' + tail)

    path = _rewrite(base, folder / "far-cell.xlsx", "项目", rewrite)
    base.unlink()
    return path


def giant_merge(folder: Path) -> Path:
    """A merged range over the whole sheet, and 5,000 more merges: filled only within the content."""
    base = write_budget(folder / "base.xlsx")

    def rewrite(xml: str, _: zipfile.ZipFile, write: Callable[[str], None]) -> None:
        head, tail = _split_sheet_data(xml)
        merges = "".join(f'<mergeCell ref="A{r}:XFD{r}"/>' for r in range(100, 5_100))
        tail = tail.replace("</sheetData>", f'</sheetData><mergeCells count="5001"><mergeCell ref="A1:XFD{EXCEL_LAST_ROW}"/>'
                            f"{merges}</mergeCells>", 1)
        write(head + tail)

    path = _rewrite(base, folder / "giant-merge.xlsx", "其他说明", rewrite)
    base.unlink()
    return path


def many_merges(folder: Path) -> Path:
    """20,000 merged ranges of two cells each, most of them below the content: filled where needed."""
    base = write_budget(folder / "base.xlsx")

    def rewrite(xml: str, _: zipfile.ZipFile, write: Callable[[str], None]) -> None:
        head, tail = _split_sheet_data(xml)
        merges = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(2, 20_002))
        write(head + tail.replace("</sheetData>", f'</sheetData><mergeCells count="20000">{merges}</mergeCells>', 1))

    path = _rewrite(base, folder / "many-merges.xlsx", "其他说明", rewrite)
    base.unlink()
    return path


def huge_shared_string(folder: Path) -> Path:
    """A 450 MB shared string (the file itself stays small: it compresses to almost nothing)."""
    base = write_budget(folder / "base.xlsx")

    def strings(write: Callable[[str], None]) -> None:
        write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
        block = "资" * (1 << 20)  # 3 MB of UTF-8
        for _ in range(150):
            write(block)
        write("</t></si></sst>")

    path = _rewrite(base, folder / "huge-string.xlsx", None, extra={"xl/sharedStrings.xml": strings})
    base.unlink()
    return path


def long_shared_string(folder: Path) -> Path:
    """One shared string of 300,000 characters, used by a cell: refused naming the cell."""
    path = write_budget(folder / "long-string.xlsx")
    text = "资金" * 150_000
    with zipfile.ZipFile(path) as zf:
        strings = zf.read("xl/sharedStrings.xml").decode("utf-8")
    # Replace the first string (index 0) by the long one.
    first = strings.index("<si>")
    end = strings.index("</si>", first) + len("</si>")
    strings = strings[:first] + f"<si><t>{text}</t></si>" + strings[end:]
    target = folder / "long-shared-string.xlsx"
    _rewrite(path, target, None, extra={"xl/sharedStrings.xml": lambda write: write(strings)})
    path.unlink()
    return target


def many_parts(folder: Path) -> Path:
    """A zip of 20,000 tiny entries: refused before an object is made for each."""
    path = write_budget(folder / "many-parts.xlsx")
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(20_000):
            zf.writestr(f"xl/media/junk{i}.bin", b"")
    return path


def entity_bomb(folder: Path) -> Path:
    """Billion laughs in sharedStrings."""
    base = write_budget(folder / "base.xlsx")
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    with zipfile.ZipFile(base) as zf:
        text = zf.read("xl/sharedStrings.xml").decode("utf-8")
    head, _, rest = text.partition("?>")
    text = f"{head}?><!DOCTYPE sst [{entities}]>" + rest.replace("<t>", "<t>&i;", 1)
    path = _rewrite(base, folder / "entity-bomb.xlsx", None, extra={"xl/sharedStrings.xml": lambda write: write(text)})
    base.unlink()
    return path


def _with_long_text(folder: Path, name: str, marker: str, text: str,
                    change: Callable[[openpyxl.Workbook], None]) -> Path:
    """A workbook where ``marker`` (set by ``change``) becomes ``text`` in the shared strings:
    openpyxl and XlsxWriter both cut a cell at Excel's 32,767 characters, a file need not."""
    base = _edit(folder, "base.xlsx", change)
    with zipfile.ZipFile(base) as zf:  # openpyxl writes inline strings, Excel a shared table
        parts = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml")}
    changed = {n: xml.replace(marker, text) for n, xml in parts.items() if marker in xml}
    assert changed, marker
    writers = {n: (lambda write, xml=xml: write(xml)) for n, xml in changed.items()}
    path = _rewrite(base, folder / name, None, extra=writers)  # type: ignore[arg-type]
    base.unlink()
    return path


def digits_purpose(folder: Path) -> Path:
    """资金用途 of 100,000 digits: every text rule must stay linear (was: killed after 120 s)."""
    return _with_long_text(folder, "digits.xlsx", "LONGTEXT", "1" * 100_000, _set("项目", "资金用途", "LONGTEXT"))


LONG_PURPOSE = ("本项目用于支持企业开展科技创新活动，" * 6_000)[:99_999] + "。"


def long_purpose(folder: Path) -> Path:
    """资金用途 of 100,000 ordinary characters: Excel's cell holds 32,767 of them."""
    return _with_long_text(folder, "long-purpose.xlsx", "LONGTEXT", LONG_PURPOSE, _set("项目", "资金用途", "LONGTEXT"))


def spaces_name(folder: Path) -> Path:
    """A project name holding 60,000 EN SPACEs (was: 15 s in one regex)."""
    def change(wb: openpyxl.Workbook) -> None:
        _set("项目", "项目名称", "LONGNAME")(wb)
        ws = wb["绩效指标"]
        for r in range(2, ws.max_row + 1):
            ws.cell(r, _col(ws, "项目名称")).value = "LONGNAME"
    return _with_long_text(folder, "spaces.xlsx", "LONGNAME", "科技保险" + "\u2002" * 60_000 + "保费补贴", change)


def date_in_text(folder: Path) -> Path:
    """An Excel date in 三级指标 (was published as "2021-03-05 00:00:00")."""
    return _edit(folder, "date.xlsx", _set("绩效指标", "三级指标", dt.datetime(2021, 3, 5)))


def hidden_sheet(folder: Path) -> Path:
    """三公经费 hidden: its figures are still read, and the user is told."""
    def change(wb: openpyxl.Workbook) -> None:
        wb["三公经费"].sheet_state = "hidden"
    return _edit(folder, "hidden-sheet.xlsx", change)


def hidden_column(folder: Path) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["项目"]
        ws.column_dimensions[ws.cell(1, _col(ws, "财政资金")).column_letter].hidden = True
    return _edit(folder, "hidden-column.xlsx", change)


def hidden_row(folder: Path) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        wb["绩效指标"].row_dimensions[3].hidden = True
    return _edit(folder, "hidden-row.xlsx", change)


def ooxml_escapes(folder: Path) -> Path:
    """Escape sequences of a lone surrogate and a non-character (were printed literally)."""
    return _edit(folder, "escapes.xlsx", _set("项目", "资金用途", "对企业_xD800_给予支持_xFFFF_。"))


def bidi_name(folder: Path) -> Path:
    """A right-to-left override in 部门名称: the folder would display as "…exe.docx"."""
    return _edit(folder, "bidi.xlsx", _set_form("部门名称", "测试科技局\u202excod.exe"))


def beyond_columns(folder: Path) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        wb["项目"].cell(2, 250).value = "表格右边很远处的备注"
    return _edit(folder, "beyond-columns.xlsx", change)


def titles_5000(folder: Path) -> Path:
    """5,000 projects each citing its own 《…实施方案》 (was: killed after 120 s)."""
    from benchmarks.synthetic import budget_data as synthetic

    data = synthetic(5000)
    for row in data.tables["绩效指标"]:
        row["basis"] = f"《合成市{row['project_name']}实施方案》"
    path = folder / "titles-5000.xlsx"
    from generator.model.schema import WorkbookKind
    from generator.render.workbook_template import write_workbook

    write_workbook(WorkbookKind.BUDGET, path, data)
    return path


def same_department_twice(folder: Path) -> Path:
    """One department's workbook put into the batch twice (two copies): both refused, none written."""
    batch = folder / "batch"
    batch.mkdir()
    data = budget_data()
    data.tables["项目"][0]["purpose"] = "对企业给予支持。。"  # a 警告, so each gets an annotated copy
    write_budget(batch / "科技局.xlsx", data)
    (batch / "副本").mkdir()
    write_budget(batch / "副本" / "科技局.xlsx", data)
    other = budget_data()
    other.forms["基本信息"].update(dept_name="教育局", unit_code="307001")
    write_budget(batch / "教育局.xlsx", other)
    return batch


def two_districts(folder: Path) -> Path:
    """Two districts' 科技局: the same name, different 单位编码 -- two folders."""
    batch = folder / "batch"
    batch.mkdir()
    write_budget(batch / "甲区.xlsx")
    other = budget_data()
    other.forms["基本信息"].update(unit_code="406001")
    write_budget(batch / "乙区.xlsx", other)
    return batch


# ---- what each case must give --------------------------------------------------------------------

def _word_text(folder: Path) -> str:
    from docx import Document

    parts = []
    for path in folder.rglob("*.docx"):
        doc = Document(str(path))
        parts += [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _excel_cells(folder: Path) -> list[str]:
    out = []
    for path in folder.rglob("*.xlsx"):
        if "校验结果" in path.parts:
            continue
        wb = openpyxl.load_workbook(path, read_only=True)
        out += [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        wb.close()
    return out


def _verify_long_purpose(out: Path) -> None:
    assert LONG_PURPOSE in _word_text(out)  # Word keeps it whole
    assert max(len(v) for v in _excel_cells(out)) == 32_767  # the Excel cell holds what it can


def _verify_date(out: Path) -> None:
    text = _word_text(out)
    assert "2021年3月5日" in text and "2021-03-05" not in text


def _verify_escapes(out: Path) -> None:
    text = _word_text(out)
    assert "对企业给予支持。" in text and "_xD800_" not in text and "_xFFFF_" not in text


def _verify_bidi(out: Path) -> None:
    folders = [p.name for p in out.iterdir() if p.is_dir() and p.name != "校验结果"]
    assert folders == ["2021-测试科技局xcod.exe-306001"], folders
    assert not any("\u202e" in str(p) for p in out.rglob("*"))


def _verify_collision(out: Path) -> None:
    built = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != "校验结果")
    assert built == ["2021-教育局-307001"], built  # neither copy of 科技局 was written
    # build annotates a workbook only when its own findings refuse it; `check` of the same batch
    # keeps the two copies' annotated copies apart (tests/test_hostile_cli.py)
    assert not (out / "校验结果").exists()


def _verify_two_districts(out: Path) -> None:
    built = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != "校验结果")
    assert built == ["2021-测试科技局-306001", "2021-测试科技局-406001"], built


CASES = [
    Case("fill-down", fill_down, 2, message="第 100,001 行仍有内容", max_seconds=20, max_mb=200),
    Case("empty-styled-rows", empty_styled_rows, 0, max_seconds=30, max_mb=200),
    Case("far-cell", far_cell, 2, message="1,048,576 行仍有内容", max_seconds=20),
    Case("giant-merge", giant_merge, 2, message="合并单元格", max_seconds=20),
    Case("many-merges", many_merges, 0, max_seconds=30),
    Case("huge-shared-string", huge_shared_string, 2, message="超过上限 100 MB", max_seconds=20),
    Case("long-shared-string", long_shared_string, 2, message="300,000 个字符", max_seconds=20),
    Case("many-parts", many_parts, 2, message="超过上限 10000", max_seconds=20),
    Case("entity-bomb", entity_bomb, 2, message="XML 炸弹", max_seconds=20),
    Case("digits-purpose", digits_purpose, 0, max_seconds=30),
    Case("long-purpose", long_purpose, 0, frozenset({"too-long-for-excel"}), build=True,
         verify=_verify_long_purpose, max_seconds=60),
    Case("spaces-name", spaces_name, 0, max_seconds=30),
    Case("date-in-text", date_in_text, 0, frozenset({"date-as-text"}), build=True, verify=_verify_date),
    Case("hidden-sheet", hidden_sheet, 0, frozenset({"hidden-sheet"})),
    Case("hidden-column", hidden_column, 0, frozenset({"hidden-column"})),
    Case("hidden-row", hidden_row, 0, frozenset({"hidden-row"})),
    Case("ooxml-escapes", ooxml_escapes, 0, frozenset({"invalid-chars"}), build=True, verify=_verify_escapes),
    Case("bidi-name", bidi_name, 0, frozenset({"format-chars"}), build=True, verify=_verify_bidi),
    Case("beyond-columns", beyond_columns, 0, frozenset({"beyond-column-limit"})),
    Case("titles-5000", titles_5000, 0, max_seconds=120, max_mb=600),
    Case("same-department-twice", same_department_twice, 1, frozenset({"output-collision"}), build=True,
         verify=_verify_collision, max_seconds=60),
    Case("two-districts", two_districts, 0, build=True, verify=_verify_two_districts, max_seconds=60),
]


# ---- running --------------------------------------------------------------------------------------

@dataclass
class Run:
    code: int
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str

    def json(self) -> list[dict[str, object]]:
        start = self.stdout.index("[")
        end = self.stdout.rindex("]") + 1
        return json.loads(self.stdout[start:end])  # type: ignore[no-any-return]


def run_cli(args: list[str], timeout: float = 600) -> Run:
    """``budget-report ARGS`` in a child process: exit code, wall time, peak memory, output."""
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH")), None)
    if line is None:
        raise RuntimeError(f"the command did not finish: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    data = json.loads(line[5:])
    stdout = proc.stdout.replace(line, "")
    return Run(int(data["code"]), float(data["wall"]), float(data["peak_mb"]), stdout, proc.stderr)


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--measure":
        print("| 情形 | 退出码 | 用时 (s) | 峰值内存 (MB) |\n|---|---:|---:|---:|")
        for case in CASES:
            with tempfile.TemporaryDirectory() as tmp:
                target = case.make(Path(tmp))
                run = run_cli(["check", str(target), "--json", "--no-annotate", "-o", str(Path(tmp) / "out")])
                print(f"| {case.name} | {run.code} | {run.seconds:.2f} | {run.peak_mb:.0f} |", flush=True)
        return
    folder = Path(argv[0]) if argv else Path("hostile-corpus")
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        sub = folder / case.name
        sub.mkdir(exist_ok=True)
        print(case.make(sub))


if __name__ == "__main__":
    main(sys.argv[1:])
