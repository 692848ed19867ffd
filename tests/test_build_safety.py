"""Building is safe: hostile text comes out literally, names cannot escape the output folder,
an interrupted build leaves the previous outputs intact, the input is never modified."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
from docx import Document

from generator.app.cli import main
from tests.factories import budget_data, write_budget

HOSTILE = {
    "name": '=HYPERLINK("http://example.com","点我")',
    "purpose": "财政局 & 教育局 <w:p> 金额<100万 “引号” 'single'。",
    "goals": "{{ 7*7 }}\n{% if true %}不应执行{% endif %}",
}


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_hostile_text_builds_and_appears_literally_in_word_and_excel(tmp_path: Path) -> None:
    data = budget_data()
    project = data.tables["项目"][0]
    project.update(name=HOSTILE["name"], purpose=HOSTILE["purpose"] + "\x0b", goals=HOSTILE["goals"])
    for row in data.tables["绩效指标"]:
        row["project_name"] = HOSTILE["name"]
    path = write_budget(tmp_path / "hostile.xlsx", data)
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out)]) == 0
    folder = out / "2021-测试科技局-306001"
    text = _docx_text(next(folder.glob("*.docx")))
    for value in (HOSTILE["name"], "财政局 & 教育局 <w:p> 金额<100万 “引号” 'single'", "{{ 7*7 }}",
                  "{% if true %}不应执行{% endif %}"):
        assert value in text, value
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]  # the expression was not evaluated
    assert "\x0b" not in text
    workbook = openpyxl.load_workbook(next(folder.glob("*.xlsx")))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value == HOSTILE["name"]]
    assert cells, "the project name should be in the tables"
    assert all(c.data_type == "s" for c in cells)  # stored as text, never as a formula


def test_the_control_character_is_removed_with_a_warning_naming_the_cell(tmp_path: Path,
                                                                      capsys: object) -> None:
    data = budget_data()
    data.tables["项目"][0]["purpose"] = "对企业\x0b给予支持。"
    path = write_budget(tmp_path / "cc.xlsx", data)
    from generator.read.reader import read_workbook

    result = read_workbook(path)
    hits = [f for f in result.findings if f.code == "control-chars"]
    assert hits and hits[0].sheet == "项目" and hits[0].cell.endswith("2")
    assert result.model.projects[0].purpose == "对企业给予支持。"  # type: ignore[union-attr]


def test_a_department_name_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    data = budget_data()
    data.forms["基本信息"]["dept_name"] = "../../逃逸/..\\局:*?"
    path = write_budget(tmp_path / "b.xlsx", data)
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out)]) == 0
    made = [p for p in out.iterdir() if p.is_dir() and p.name != "校验结果"]
    assert len(made) == 1 and made[0].parent == out
    assert ".." not in made[0].name and "/" not in made[0].name and "\\" not in made[0].name
    assert not (tmp_path / "逃逸").exists()


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def test_killing_a_build_halfway_leaves_the_previous_outputs_intact(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parent.parent / "inputs" / "2021-高新区科技局-部门预算.xlsx"
    source = tmp_path / "b.xlsx"
    source.write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out)]) == 0
    folder = out / "2021-高新区科技局-306001"
    before = _digests(folder)
    # A second version of the workbook, so a completed replacement would differ.
    wb = openpyxl.load_workbook(source)
    wb["项目"]["B2"] = "科技保险保费补贴（新）"
    wb.save(source)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for delay in (0.3, 0.8, 1.3):
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(source), "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        after = _digests(folder)
        assert set(after) == set(before)  # no partial or temporary file among the outputs
        for name in after:
            with zipfile.ZipFile(folder / name) as zf:  # every file is complete (old or new)
                assert zf.testzip() is None
        if after != before:
            break  # the kill came after a file was replaced: it is the complete new one
