"""Benchmarks: ``python benchmarks/run.py`` prints one table.

Each case runs ``budget-report build`` in a fresh process (the whole process: interpreter
start, imports, read, validate, compute, render, write) and reports wall time and peak memory
(max RSS of the process and of its worker processes). Beside it, the *floor* measured in the
same run: openpyxl loading the same workbook + one docxtpl render + one XlsxWriter write of the
same content, without validation — what any tool doing this job must at least spend.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import budget_data, write_departments  # noqa: E402
from generator.model.schema import WorkbookKind  # noqa: E402
from generator.render.workbook_template import write_workbook  # noqa: E402

INPUTS = ROOT / "inputs"

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


def _run(code: str, args: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH")), None)
    if line is None:
        raise RuntimeError(f"benchmark case failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    data = json.loads(line[5:])
    return {"wall": wall, "code": data["code"], "peak_mb": max(data["own_kb"], data["kids_kb"]) / 1024}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    template = _floor_template(work)
    big = work / "1000项目-部门预算.xlsx"
    write_workbook(WorkbookKind.BUDGET, big, budget_data(1000))
    batch = work / "batch"
    write_departments(batch, 200, projects=20, broken_every=50)  # 4 broken of 200
    cases = [
        ("seed-001 build（35 个项目）", [str(INPUTS / "2021-高新区科技局-部门预算.xlsx")],
         INPUTS / "2021-高新区科技局-部门预算.xlsx", 0),
        ("seed-002 build（自评报告）", [str(INPUTS / "2024-科学技术局-绩效自评.xlsx")],
         INPUTS / "2024-科学技术局-绩效自评.xlsx", 0),
        ("合成 1,000 个项目", [str(big)], big, 0),
        ("批量 200 个部门 --jobs 2（4 个有错）", [str(batch), "--jobs", "2"], None, 1),
    ]
    rows: list[tuple[str, float, float, float, float]] = []
    for name, args, floor_input, expected in cases:
        out = work / f"out-{len(rows)}"
        result = _run(_WRAPPER, ["build", *args, "-o", str(out)])
        if result["code"] != expected:
            raise RuntimeError(f"{name}: exit code {result['code']}, expected {expected}")
        if floor_input is None:  # the batch: the broken ones reported, every other one built
            built = [p for p in out.iterdir() if p.is_dir() and p.name != "校验结果"]
            if len(built) != 196:
                raise RuntimeError(f"{name}: {len(built)} departments built, expected 196")
        floor_out = work / f"floor-{len(rows)}"
        floor_out.mkdir()
        if floor_input is not None:
            floor = _run(_FLOOR, [str(floor_input), str(template), str(floor_out)])
        else:  # the batch floor: the per-workbook floor times the number of workbooks, over 2 jobs
            one = _run(_FLOOR, [str(next(batch.glob("*.xlsx"))), str(template), str(floor_out)])
            floor = {"wall": one["wall"] * 200 / 2, "peak_mb": one["peak_mb"]}
        rows.append((name, result["wall"], result["peak_mb"], floor["wall"], floor["peak_mb"]))
    print("| 场景 | 用时 (s) | 峰值内存 (MB) | 下限用时 (s) | 下限内存 (MB) | 用时/下限 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, wall, peak, fwall, fpeak in rows:
        print(f"| {name} | {wall:.2f} | {peak:.0f} | {fwall:.2f} | {fpeak:.0f} | {wall / fwall:.1f}× |")


if __name__ == "__main__":
    main()
