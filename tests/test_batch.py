"""Deadline day: a folder of department workbooks, some broken, built in parallel in one command."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_departments  # noqa: E402
from generator.app.batch import collect_workbooks  # noqa: E402
from generator.app.cli import main  # noqa: E402


def test_a_batch_reports_the_broken_workbooks_and_builds_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "各部门"
    paths = write_departments(folder, 8, projects=3, broken_every=4)  # departments 4 and 8 broken
    (folder / "~$001-部门预算.xlsx").write_bytes(b"lock file")  # Excel's lock file: skipped
    out = tmp_path / "outputs"
    assert main(["build", str(folder), "-o", str(out), "--jobs", "2"]) == 1  # some failed
    built = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != "校验结果")
    assert built == [f"2021-合成第{i:03d}局-901001" for i in (1, 2, 3, 5, 6, 7)]
    for name in built:
        assert {p.suffix for p in (out / name).iterdir()} == {".docx", ".xlsx"}
    summary = openpyxl.load_workbook(out / "汇总.xlsx")["汇总"]
    rows = {r[6]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == len(paths)
    assert rows[str(paths[3])][2] == "校验未通过" and rows[str(paths[3])][3] >= 1
    assert rows[str(paths[0])][2] == "成功"


def test_folders_skip_lock_files_annotated_copies_and_outputs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_departments(folder, 2, projects=1, broken_every=0)
    (folder / "~$001-部门预算.xlsx").write_bytes(b"lock")
    shutil.copy(folder / "001-部门预算.xlsx", folder / "001-部门预算.校验结果.xlsx")
    (folder / "outputs").mkdir()
    shutil.copy(folder / "001-部门预算.xlsx", folder / "outputs" / "copy.xlsx")
    found = collect_workbooks([folder], folder / "outputs")
    assert [p.name for p in found] == ["001-部门预算.xlsx", "002-部门预算.xlsx"]


def test_one_file_named_twice_is_one_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.factories import write_budget

    folder = tmp_path / "in"
    folder.mkdir()
    workbook = write_budget(folder / "预算.xlsx")
    monkeypatch.chdir(tmp_path)
    named = [Path("in") / "预算.xlsx", workbook, folder]  # relative, absolute, and its folder
    assert collect_workbooks(named) == [Path("in") / "预算.xlsx"]
    assert main(["build", *map(str, named), "-o", str(tmp_path / "out")]) == 0
    assert len([p for p in (tmp_path / "out").iterdir() if p.is_dir() and p.name != "校验结果"]) == 1
