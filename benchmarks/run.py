"""Benchmarks: ``python benchmarks/run.py`` prints one table, each figure beside its floor.

Each case runs ``budget-report`` in a fresh process (the whole process: interpreter start,
imports, read, validate, compute, render, write) and reports wall time (the median of several
runs, interleaved with the floor's runs so that both see the same machine load) and peak memory
(max RSS of the process and of its worker processes). The *floor*, measured in the same run:
openpyxl loading the same workbook + one docxtpl render + one XlsxWriter write of the same
content, without validation -- what any tool doing this job must at least spend. For PDFs the
floor adds one LibreOffice, already running, converting one department's two documents.

The machine is shared: the load average is printed before and after, and only the ratios of
figures measured side by side are meant to be compared between runs.

``--readme`` also writes the table into README.md between the ``<!-- benchmark -->`` markers.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import budget_data, write_departments  # noqa: E402
from generator.model.schema import WorkbookKind  # noqa: E402
from generator.render.workbook_template import write_workbook  # noqa: E402

INPUTS = ROOT / "inputs"
SEED_001 = INPUTS / "2021-高新区科技局-部门预算.xlsx"
SEED_002 = INPUTS / "2024-科学技术局-绩效自评.xlsx"
README = ROOT / "README.md"
BATCH = 200
BATCH_BROKEN_EVERY = 50  # 4 of 200 have errors
PDF_COMPARE = 40  # departments converted both ways (service vs one LibreOffice per workbook)

# Runs the CLI in-process and reports its own and its children's peak RSS (KiB on Linux).
_WRAPPER = """
import resource, sys, json, time
from generator.app.cli import main
t = time.perf_counter()
code = main(sys.argv[1:])
wall = time.perf_counter() - t
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("BENCH" + json.dumps({"code": code, "inner": wall, "own_kb": own, "kids_kb": kids}))
"""

# The floor: same workbook and template, no validation, no derived figures.
_FLOOR = """
import resource, sys, json, time
from pathlib import Path
t = time.perf_counter()
import openpyxl, xlsxwriter
from docxtpl import DocxTemplate
src, template, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
wb = openpyxl.load_workbook(src, data_only=True)
rows = [[c for c in row] for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
doc = DocxTemplate(str(template))
doc.render({"rows": rows})
doc.save(str(out / "floor.docx"))
x = xlsxwriter.Workbook(str(out / "floor.xlsx"))
ws = x.add_worksheet()
for r, row in enumerate(rows):
    for c, v in enumerate(row):
        if v is not None:
            ws.write(r, c, v)
x.close()
wall = time.perf_counter() - t
print("BENCH" + json.dumps({"code": 0, "inner": wall,
      "own_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "kids_kb": 0}))
"""

# The PDF floor: one LibreOffice, started beforehand, converting a department's two documents.
_PDF_FLOOR = """
import json, sys, time, tempfile
from pathlib import Path
from generator.deliver import pdf
files = [Path(p) for p in sys.argv[1:]]
out = Path(tempfile.mkdtemp())
pdf.convert_to_pdf(files, out)  # starts LibreOffice
walls = []
for _ in range(3):
    t = time.perf_counter()
    pdf.convert_to_pdf(files, out)
    walls.append(time.perf_counter() - t)
pdf.shutdown_service()
print("BENCH" + json.dumps({"code": 0, "inner": sorted(walls)[1], "own_kb": 0, "kids_kb": 0}))
"""


@dataclass
class Measured:
    wall: float
    peak_mb: float
    code: int = 0
    note: str = ""


@dataclass
class Row:
    name: str
    result: Measured
    floor: Measured

    def cells(self) -> str:
        ratio = self.result.wall / self.floor.wall if self.floor.wall else float("nan")
        note = f"（{self.result.note}）" if self.result.note else ""
        return (f"| {self.name}{note} | {self.result.wall:.2f} | {self.result.peak_mb:.0f} | "
                f"{self.floor.wall:.2f} | {self.floor.peak_mb:.0f} | {ratio:.2f}× |")


def _child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every measured process: as on a user's machine, Python keeps the
    bytecode of what it imports (pip compiles installed packages; an editable checkout compiles
    on first use). Some sandboxes set PYTHONDONTWRITEBYTECODE, which would time the compiler."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **(extra or {})}


def _compile_package() -> None:
    import compileall

    compileall.compile_dir(str(ROOT / "generator"), quiet=1)


def _run(code: str, args: list[str], env: dict[str, str] | None = None) -> Measured:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          env=_child_env(env))
    wall = time.perf_counter() - start
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH")), None)
    if line is None:
        raise RuntimeError(f"benchmark case failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    data = json.loads(line[5:])
    if code is _PDF_FLOOR:
        wall = data["inner"]
    return Measured(wall, max(data["own_kb"], data["kids_kb"]) / 1024, data["code"])


def _median(measure: Callable[[], Measured], runs: int) -> Measured:
    return _median_of([measure() for _ in range(runs)])


def _paired(case: Callable[[], Measured], floor: Callable[[], Measured], runs: int) -> tuple[Measured, Measured]:
    """Medians of ``runs`` case/floor pairs, run alternately (both see the same load)."""
    cases, floors = [], []
    for _ in range(runs):
        cases.append(case())
        floors.append(floor())
    return _median_of(cases), _median_of(floors)


def _median_of(items: list[Measured]) -> Measured:
    return Measured(statistics.median(m.wall for m in items), max(m.peak_mb for m in items), items[-1].code)


def _floor_template(folder: Path) -> Path:
    """A docx template with one table row per input row (same volume as the real document)."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=1)
    table.cell(0, 0).text = "{%tr for r in rows %}"
    table.cell(1, 0).text = "{{ r|join(' ') }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    path = folder / "floor.docx"
    doc.save(str(path))
    return path


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _check_built(out: Path, expected: int, name: str) -> None:
    built = [p for p in out.iterdir() if p.is_dir() and p.name != "校验结果"]
    if len(built) != expected:
        raise RuntimeError(f"{name}: {len(built)} departments built, expected {expected}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="budget-report benchmarks (prints a Markdown table)")
    parser.add_argument("--runs", type=int, default=5, help="runs per small case (median), default 5")
    parser.add_argument("--large-runs", type=int, default=3, help="runs of the 1,000-project case, default 3")
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice cases")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)

    started = datetime.date.today().isoformat()
    _compile_package()
    load_before = _load()
    print(f"负载（1/5/15 分钟平均）开始时：{load_before}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    template = _floor_template(work)
    counter = iter(range(10_000))

    def build(args_: list[str], env: dict[str, str] | None = None) -> Callable[[], Measured]:
        def run() -> Measured:
            return _run(_WRAPPER, ["build", *args_, "-o", str(work / f"out-{next(counter)}")], env)
        return run

    def check(path: Path) -> Callable[[], Measured]:
        return lambda: _run(_WRAPPER, ["check", str(path), "-o", str(work / f"out-{next(counter)}")])

    def floor(path: Path) -> Callable[[], Measured]:
        def run() -> Measured:
            folder = work / f"floor-{next(counter)}"
            folder.mkdir()
            return _run(_FLOOR, [str(path), str(template), str(folder)])
        return run

    rows: list[Row] = []

    def add(name: str, result: Measured, floor_result: Measured, expected_code: int = 0) -> None:
        if result.code != expected_code and not result.note:
            raise RuntimeError(f"{name}: exit code {result.code}, expected {expected_code}")
        rows.append(Row(name, result, floor_result))
        print(rows[-1].cells(), flush=True)

    print("| 场景 | 用时 (s) | 峰值内存 (MB) | 下限用时 (s) | 下限内存 (MB) | 用时/下限 |")
    print("|---|---:|---:|---:|---:|---:|", flush=True)
    for name, path in (("seed-001 build（35 个项目）", SEED_001), ("seed-002 build（自评报告）", SEED_002)):
        result, floor_result = _paired(build([str(path)]), floor(path), args.runs)
        add(name, result, floor_result)
        if path == SEED_001:
            result, floor_result = _paired(check(path), floor(path), args.runs)
            add("seed-001 check", result, floor_result)

    big = work / "1000项目-部门预算.xlsx"
    write_workbook(WorkbookKind.BUDGET, big, budget_data(1000))
    result, floor_result = _paired(build([str(big)]), floor(big), args.large_runs)
    add("合成 1,000 个项目", result, floor_result)

    huge = work / "10000项目-部门预算.xlsx"
    write_workbook(WorkbookKind.BUDGET, huge, budget_data(10_000))
    result, floor_result = _paired(build([str(huge)]), floor(huge), 1)
    if result.code == 2:
        result.note = "被拒绝：超出行数上限"
    add("合成 10,000 个项目", result, floor_result)

    batch = work / "batch"
    write_departments(batch, BATCH, projects=20, broken_every=BATCH_BROKEN_EVERY)
    one_floor = _median(floor(next(batch.glob("*.xlsx"))), args.runs)
    batch_floor = Measured(one_floor.wall * BATCH / 2, one_floor.peak_mb)
    out = work / "batch-out"
    result = _run(_WRAPPER, ["build", str(batch), "--jobs", "2", "-o", str(out)])
    _check_built(out, BATCH - BATCH // BATCH_BROKEN_EVERY, "batch")
    add(f"批量 {BATCH} 个部门 --jobs 2（{BATCH // BATCH_BROKEN_EVERY} 个有错）", result, batch_floor, 1)

    summary: list[str] = []
    if not args.no_pdf:
        sample = next(out.glob("2021-合成第001局*"))  # <年度>-<部门>-<单位编码>
        documents = sorted(sample.glob("*.docx")) + sorted(sample.glob("*.xlsx"))
        if len(documents) < 2:
            raise RuntimeError(f"PDF floor: no documents in {sample}")
        pdf_floor_one = _run(_PDF_FLOOR, [str(p) for p in documents])
        pdf_floor = Measured((one_floor.wall + pdf_floor_one.wall) * BATCH / 2, one_floor.peak_mb)
        out_pdf = work / "batch-pdf"
        result = _run(_WRAPPER, ["build", str(batch), "--jobs", "2", "--pdf", "-o", str(out_pdf)])
        _check_built(out_pdf, BATCH - BATCH // BATCH_BROKEN_EVERY, "batch --pdf")
        add(f"批量 {BATCH} 个部门 --jobs 2 --pdf", result, pdf_floor, 1)

        # Per workbook, the PDF path as it was (one LibreOffice started per workbook) and as it
        # is, on the same departments, one after the other.
        compare = work / "compare"
        write_departments(compare, PDF_COMPARE, projects=20, broken_every=0)
        legacy = _run(_WRAPPER, ["build", str(compare), "--jobs", "2", "--pdf", "-o", str(work / "cmp-legacy")],
                      {"BUDGET_REPORT_PDF_SERVICE": "0"})
        service = _run(_WRAPPER, ["build", str(compare), "--jobs", "2", "--pdf", "-o", str(work / "cmp-service")])
        per_legacy, per_service = legacy.wall / PDF_COMPARE, service.wall / PDF_COMPARE
        summary.append(f"--pdf 每个工作簿（{PDF_COMPARE} 个部门 --jobs 2，同一次运行）：每个工作簿启动一次 "
                       f"LibreOffice {per_legacy:.2f} s，常驻 LibreOffice {per_service:.2f} s，"
                       f"快 {per_legacy / per_service:.1f} 倍。")
        print(summary[-1], flush=True)

    load_after = _load()
    print(f"负载（1/5/15 分钟平均）结束时：{load_after}")
    if args.readme:
        _write_readme(rows, summary, started, load_before, load_after)


def _write_readme(rows: list[Row], summary: list[str], day: str, load_before: str, load_after: str) -> None:
    intro = (
        f"2 核 / 24 GB 共用机器，{day} 测得（`python benchmarks/run.py --readme`），负载（1/5/15 分钟平均）"
        f"开始 {load_before}、结束 {load_after}。“用时”是整个进程（启动、读取、校验、计算、生成、写文件）"
        "的中位数；“下限”是同一次运行中与之交替测得的只做 openpyxl 读取 + 一次 docxtpl 渲染 + 一次 XlsxWriter "
        "写出、不做校验的用时；每个进程都像用户安装后那样使用已编译的字节码（__pycache__）；"
        "批量的下限按单个工作簿的下限 × 200 ÷ 2 个进程估算，--pdf 的下限再加上已启动的 "
        "LibreOffice 转换一个部门两个文件的用时。峰值内存取主进程与工作进程中的最大值。")
    table = "\n".join([
        *re.sub(r"([；。])", "\\1\n", intro).strip().splitlines(),  # one sentence a line
        "",
        "| 场景 | 用时 (s) | 峰值内存 (MB) | 下限用时 (s) | 下限内存 (MB) | 用时/下限 |",
        "|---|---:|---:|---:|---:|---:|",
        *(row.cells() for row in rows),
        *([""] + summary if summary else []),
    ])
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- benchmark -->\n).*?(\n<!-- /benchmark -->)", re.S)
    if not pattern.search(text):
        raise RuntimeError("README.md has no <!-- benchmark --> … <!-- /benchmark --> section")
    README.write_text(pattern.sub(lambda m: m.group(1) + table + m.group(2), text), encoding="utf-8")
    print("已写入 README.md")


if __name__ == "__main__":
    main()
