"""Every error path of the command line honours --json and speaks Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.app.cli import main
from tests.factories import budget_data, write_budget

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          env=ENV, cwd=cwd, timeout=120)


def test_check_into_a_file_instead_of_a_folder_says_so_as_json(tmp_path: Path) -> None:
    """Was: nothing on stdout despite --json, and an English "Not a directory"."""
    blocked = tmp_path / "occupied"
    blocked.write_text("a file", encoding="utf-8")
    workbook = write_budget(tmp_path / "b.xlsx")
    for command in ("check", "build"):
        proc = _run(command, str(workbook), "--json", "-o", str(blocked), cwd=tmp_path)
        report = json.loads(proc.stdout)
        assert proc.returncode == 2 and report["exit_code"] == 2
        assert "不是文件夹" in report["error"] and "Not a directory" not in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [
    ["check", "--json"],  # missing file argument
    ["check", "--json", "--tree", "没有这种", "x.xlsx"],  # bad choice
    ["build", "--json", "--jobs", "很多", "x.xlsx"],  # not an integer
    ["check", "--json", "--no-such-option", "x.xlsx"],  # unknown option
    ["template", "--json", "部门预算"],  # a command without --json: still answered as JSON
])
def test_command_line_mistakes_with_json_are_one_json_object_in_chinese(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["exit_code"] == 2 and _chinese(report["error"])
    assert err == ""


def test_unreadable_workbooks_with_json_are_reported_in_the_json(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "假的.xlsx"
    fake.write_text("不是工作簿", encoding="utf-8")
    for command in ("check", "build"):
        assert main([command, str(fake), "--json", "-o", str(tmp_path / "o")]) == 2
        report = json.loads(capsys.readouterr().out)
        assert report[0]["status"] == "无法读取" and "不是有效的 .xlsx" in report[0]["message"]


def test_build_json_lists_the_files_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = write_budget(tmp_path / "b.xlsx")
    assert main(["build", str(workbook), "--json", "-o", str(tmp_path / "o")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report[0]["status"] == "成功"
    assert report[0]["output_dir"].endswith("2021-测试科技局-306001")
    assert all(Path(f).is_file() for f in report[0]["files"]) and len(report[0]["files"]) == 2


def test_an_internal_error_is_a_chinese_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:

    def broken(*_: object, **__: object) -> object:
        raise ZeroDivisionError("boom")

    from generator.app import pipeline

    monkeypatch.setattr(pipeline, "check_one", broken)  # cli imports it when the command runs
    assert main(["check", str(tmp_path / "x.xlsx"), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["error"].startswith("程序内部错误") and "ZeroDivisionError" in report["error"]


def test_os_errors_are_described_in_chinese_whatever_the_errno() -> None:
    import errno

    from generator.app.pipeline import describe_os_error

    for code in (errno.ENOTDIR, errno.EEXIST, errno.ENAMETOOLONG, errno.EXDEV, errno.ENOTEMPTY):
        text = describe_os_error(OSError(code, os.strerror(code), "/some/path"))
        assert _chinese(text) and os.strerror(code) not in text and "/some/path" in text


def test_check_of_two_workbooks_of_one_name_keeps_both_annotated_copies(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Was: a/预算.xlsx's annotated copy replaced by b/预算.xlsx's."""
    data = budget_data()
    data.tables["项目"][0]["purpose"] = "对企业给予支持。。"  # a 警告: each gets an annotated copy
    (tmp_path / "甲").mkdir()
    (tmp_path / "乙").mkdir()
    first, second = write_budget(tmp_path / "甲" / "预算.xlsx", data), write_budget(tmp_path / "乙" / "预算.xlsx", data)
    out = tmp_path / "out"
    assert main(["check", str(first), str(second), "--json", "-o", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    copies = [Path(r["annotated_copy"]).name for r in report]
    assert copies == ["甲-预算.校验结果.xlsx", "乙-预算.校验结果.xlsx"]
    assert sorted(p.name for p in (out / "校验结果").iterdir()) == sorted(copies)


def test_a_workbook_too_large_to_annotate_is_still_checked_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # A workbook the patcher does not handle is copied through a full openpyxl load: bounded by the
    # cells the file holds (a column formatted down to row 1,048,576 made a 743 MB check); the
    # findings are listed all the same. The patched copy needs no such bound.
    from generator.app import pipeline
    from generator.render import annotated_patch

    data = budget_data()
    data.tables["项目"][0]["purpose"] = "对企业给予支持。。"
    workbook = write_budget(tmp_path / "预算.xlsx", data)
    monkeypatch.setattr(pipeline, "ANNOTATE_MAX_CELLS", 50)
    assert main(["check", str(workbook), "--json", "-o", str(tmp_path / "patched")]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["annotated_copy"] and Path(report["annotated_copy"]).is_file()

    def unsupported(*_: object) -> None:
        raise annotated_patch.Unsupported("as a workbook with threaded comments")

    monkeypatch.setattr(annotated_patch, "write_patched_copy", unsupported)
    assert main(["check", str(workbook), "--json", "-o", str(tmp_path / "out")]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["annotated_copy"] is None and not list((tmp_path / "out" / "校验结果").glob("*"))
    assert "超过标注副本的上限 50" in report["message"]
    assert "repeated-punctuation" in {f["code"] for f in report["findings"]}
