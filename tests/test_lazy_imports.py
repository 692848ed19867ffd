"""Commands import only what they use: `--help` no workbook library, `check` neither openpyxl nor a renderer.

Imports were ~40% of a seed-size command; each library a command does not need is start-up
time paid by every user on every run. Checked in a fresh interpreter (sys.modules), not timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.resources import examples_dir

ROOT = Path(__file__).resolve().parents[1]
RENDERERS = ("docxtpl", "docx", "xlsxwriter", "jinja2")

_PROBE = """
import contextlib, io, json, sys
from generator.app.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))
"""


def _top_level_modules_after(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_help_loads_no_workbook_or_document_library() -> None:
    loaded = _top_level_modules_after("--help")
    assert loaded.isdisjoint({"openpyxl", *RENDERERS}), loaded & {"openpyxl", *RENDERERS}


def test_build_help_loads_no_workbook_or_document_library() -> None:
    loaded = _top_level_modules_after("build", "--help")
    assert loaded.isdisjoint({"openpyxl", *RENDERERS})


def test_check_reads_and_annotates_the_workbook_but_loads_no_workbook_library_or_renderer(tmp_path: Path) -> None:
    workbook = next(examples_dir().glob("*部门预算.xlsx"))  # 27 警告: an annotated copy is written
    loaded = _top_level_modules_after("check", str(workbook), "-o", str(tmp_path))
    assert any((tmp_path / "校验结果").glob("*.校验结果.xlsx"))  # it did annotate the workbook
    assert loaded.isdisjoint({"openpyxl", *RENDERERS}), loaded & {"openpyxl", *RENDERERS}
