"""Issue 10's numbers: ``python benchmarks/limits.py`` prints one table.

- A column filled down to row 1,048,576 must be refused within 5 s and 200 MB (the whole process:
  interpreter, imports, scan).
- 5,000 projects must build within 1 GB, and within 2× the 1,000-project time per project.
- Reading alone (the streaming scan + openpyxl read-only) for 1,000 / 5,000 / 10,000 projects.

Each case runs in a fresh process, measured as in ``benchmarks/run.py`` (wall time, peak RSS).
The workbooks are written by separate processes too: Linux carries a process's peak RSS over
fork and exec, so a parent that had just written a 5,000-project workbook would inflate every
child's figure.
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

from tests.hostile.corpus import _PEAK  # noqa: E402  -- the same measure as the corpus test

_MAKE = """
import sys
from pathlib import Path
sys.path.insert(0, ".")
if sys.argv[1] == "fill-down":
    from tests.hostile.corpus import fill_down
    fill_down(Path(sys.argv[2])).rename(Path(sys.argv[2]) / "fill-down-case.xlsx")
else:
    from benchmarks.synthetic import budget_data
    from generator.model.schema import WorkbookKind
    from generator.render.workbook_template import write_workbook
    write_workbook(WorkbookKind.BUDGET, Path(sys.argv[2]), budget_data(int(sys.argv[1])))
"""


def _make(what: str, target: Path) -> None:
    subprocess.run([sys.executable, "-c", _MAKE, what, str(target)], check=True, cwd=ROOT)

_CLI = _PEAK + """
import json, sys, time
t = time.perf_counter()
from generator.app.cli import main
code = main(sys.argv[1:])
print("BENCH" + json.dumps({"code": code, "inner": time.perf_counter() - t, "peak_mb": peak_mb()}))
"""

_READ = _PEAK + """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from generator.read.workbook_io import open_workbook
grids = open_workbook(Path(sys.argv[1]))
print("BENCH" + json.dumps({"code": 0, "inner": time.perf_counter() - t, "peak_mb": peak_mb()}))
"""


def _run(code: str, args: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH")), None)
    if line is None:
        raise RuntimeError(f"benchmark case failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    data = json.loads(line[5:])
    return {"wall": wall, "code": data["code"], "peak_mb": data["peak_mb"]}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-limits-"))
    rows: list[tuple[str, str, float, float]] = []
    _make("fill-down", work)
    fill = work / "fill-down-case.xlsx"
    r = _run(_CLI, ["check", str(fill), "--no-annotate", "-o", str(work / "out-fill")])
    rows.append(("整列填充到第 1,048,576 行：check 拒绝", f"退出码 {r['code']:.0f}", r["wall"], r["peak_mb"]))
    per_project: dict[int, float] = {}
    for n in (1000, 5000):
        path = work / f"{n}.xlsx"
        _make(str(n), path)
        r = _run(_CLI, ["build", str(path), "-o", str(work / f"out-{n}")])
        per_project[n] = r["wall"] / n
        rows.append((f"合成 {n:,} 个项目：build", f"{r['wall'] / n * 1000:.1f} ms/项目", r["wall"], r["peak_mb"]))
    for n in (1000, 5000, 10000):
        path = work / f"{n}.xlsx"
        if not path.exists():
            _make(str(n), path)
        r = _run(_READ, [str(path)])
        rows.append((f"合成 {n:,} 个项目：只读取（扫描 + openpyxl 只读）", "", r["wall"], r["peak_mb"]))
    print("| 场景 | 说明 | 用时 (s) | 峰值内存 (MB) |")
    print("|---|---|---:|---:|")
    for name, note, wall, peak in rows:
        print(f"| {name} | {note} | {wall:.2f} | {peak:.0f} |")
    print(f"\n每个项目用时之比（5,000 ÷ 1,000）：{per_project[5000] / per_project[1000]:.2f}×")


if __name__ == "__main__":
    main()
