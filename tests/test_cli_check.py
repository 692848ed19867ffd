"""`budget-report template` and `check` as a user runs them: files, exit codes, annotated copy."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from generator.app.cli import main
from generator.model import SelfEvalWorkbook
from generator.model.schema import INSTRUCTIONS_SHEET, RESULTS_SHEET
from generator.read.reader import read_workbook
from generator.validate import validate
from tests.factories import write_budget

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "inputs").glob("*.xlsx"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_blank_templates_have_instructions_dropdowns_comments_and_frozen_headers(tmp_path: Path) -> None:
    for kind in ("部门预算", "绩效自评"):
        out = tmp_path / f"{kind}.xlsx"
        assert main(["template", kind, "-o", str(out)]) == 0
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames[0] == INSTRUCTIONS_SHEET
        assert wb.sheetnames[-1] == "_lists"
        assert wb["_lists"].sheet_state == "hidden"
        ws = wb["绩效指标"]
        assert ws.freeze_panes == "A2"
        assert all(c.comment is not None for c in ws[1] if c.value)  # every header explains itself
        assert "示例" in ws["G1"].comment.text
        ranges = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert any("_lists" in (dv.formula1 or "") for dv in ranges)
        assert ws.column_dimensions["E"].width >= 14  # wide enough for Chinese text


def test_a_template_filled_through_openpyxl_validates_clean(tmp_path: Path) -> None:
    out = tmp_path / "budget.xlsx"
    assert main(["template", "部门预算", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    info = wb["基本信息"]
    values = {"部门名称": "测试局", "单位全称": "测试市测试局", "单位编码": "001001", "预算年度": 2022}
    for row in info.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb["部门职责"].append([1, "负责测试工作。"])
    money = wb["收支预算"]
    amounts = {"一般公共预算拨款": (50, 40), "人员经费": (20, 20), "日常公用经费": (5, 4), "本级项目支出": (25, 16)}
    for row in money.iter_rows(min_row=2):
        if row[1].value in amounts:
            row[2].value, row[3].value = amounts[row[1].value]
    for row in wb["三公经费"].iter_rows(min_row=2):  # every "三公" item is published: 0 when none
        row[1].value, row[2].value = (1, 1) if row[0].value == "公务接待费" else (0, 0)
    for row in wb["机关运行经费"].iter_rows(min_row=2):
        if row[0].value in ("本年预算数", "上年预算数"):
            row[1].value = 5 if row[0].value == "本年预算数" else 4
    for row in wb["国有资产"].iter_rows(min_row=2):
        row[2].value = 10 if row[0].value == "其他固定资产" else 0
    wb["整体绩效目标"].append(["总体", None, "完成测试工作。"])
    wb["工作保障措施"].append([1, "加强管理。"])
    header = [c.value for c in wb["项目"][1]]
    project = dict.fromkeys(header)
    project.update({"项目名称": "测试项目", "财政资金": 25, "资金用途": "用于测试", "3月底": 0, "6月底": 0.5,
                    "10月底": 0.8, "12月底": 1, "绩效目标": "完成测试"})
    wb["项目"].append([project[h] for h in header])
    for level1, level2, level3, target in (("产出指标", "数量指标", "测试次数", "≥3次"),
                                           ("效益指标", "社会效益指标", "测试效果", "显著"),
                                           ("满意度指标", "服务对象满意度指标", "满意度", "≥90%")):
        header = [c.value for c in wb["绩效指标"][1]]
        row = dict.fromkeys(header)
        row.update({"项目名称": "测试项目", "一级指标": level1, "二级指标": level2, "三级指标": level3,
                    "指标值": target})
        wb["绩效指标"].append([row[h] for h in header])
    wb.save(out)
    found = validate(read_workbook(out))
    assert [f.message for f in found if f.is_error] == []


# The warnings each example is expected to raise, and why. They are the seeds' own, kept
# because the published document leaves no way to know the right value.
EXPECTED_WARNINGS: dict[str, dict[str, int]] = {
    # Seed 001 cites one policy as 《…关于培育发展高新技术企业的实施方案》 and elsewhere as
    # 《…关于培育高新技术企业的实施方案》; which title is right cannot be known from the document.
    # Both seeds also write many targets without a comparator ("4次", "90万元"): each gets a
    # direction-assumed warning stating the reading (issue 15).
    "2021-高新区科技局-部门预算.xlsx": {"doc-number-variant": 1, "direction-assumed": 26},
    # Seed 003 files two yes/no indicators under 数量指标, and one 资金用途 ends without a full stop.
    "2021-唐山高新区科技局-部门预算.xlsx": {"qualitative-on-quantity": 2, "missing-final-punctuation": 1},
    # Seed 002 states 总得分 100 although 98.72% execution gives 9.87 of 10: the example keeps
    # the published 10 as an override, which the rules flag.
    "2024-科学技术局-绩效自评.xlsx": {"score-override-range": 1},
    # Seed 000 reports only some indicators per project (no 效益/满意度 for most), with weights
    # re-spread accordingly, and many results far above targets set too low, unexplained.
    "2020-科技局-绩效自评.xlsx": {"missing-level1": 41, "weights-nonstandard": 27, "over-achievement-reason": 14,
                                  "direction-assumed": 30},
    # The illustrative 事业单位 in 元 (tools/examples/shiye_yuan.py) is complete and consistent.
    "2025-市科技情报所-部门预算.xlsx": {},
    # A single project's self-evaluation (大英县司法局): nothing to warn about.
    "2023-大英县司法局-项目支出绩效自评.xlsx": {},
}


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_every_example_workbook_checks_without_errors_and_is_not_modified(
        path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(path)
    assert main(["check", str(path), "--json", "-o", str(tmp_path)]) == 0
    findings = json.loads(capsys.readouterr().out)[0]["findings"]
    codes: dict[str, int] = {}
    for f in findings:
        assert f["severity"] in ("警告", "提示")
        codes[f["code"]] = codes.get(f["code"], 0) + 1
    assert codes == EXPECTED_WARNINGS[path.name]
    assert _digest(path) == before


def test_check_exits_1_on_errors_and_annotates_a_copy_with_links(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["绩效指标"]["C2"] = "效果指标X"  # not an indicator level
    wb.save(path)
    before = _digest(path)
    assert main(["check", str(path), "-o", str(tmp_path / "out")]) == 1
    assert _digest(path) == before
    copy = tmp_path / "out" / "校验结果" / "b.校验结果.xlsx"
    annotated = openpyxl.load_workbook(copy)
    assert annotated.sheetnames[0] == RESULTS_SHEET
    results = annotated[RESULTS_SHEET]
    codes = [results.cell(r, 3).value for r in range(2, results.max_row + 1)]
    assert "level1-unknown" in codes
    row = codes.index("level1-unknown") + 2
    assert results.cell(row, 5).hyperlink.location == "'绩效指标'!C2" or \
        results.cell(row, 5).hyperlink.target == "#'绩效指标'!C2" or \
        "绩效指标" in str(results.cell(row, 5).hyperlink.location or results.cell(row, 5).hyperlink.target)
    marked = annotated["绩效指标"]["C2"]
    assert marked.comment is not None and "一级指标" in marked.comment.text
    assert marked.fill.fgColor.rgb.endswith("FFC7CE")


def test_check_json_lists_findings_with_code_sheet_cell_and_severity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["绩效指标"]["G2"] = "文字描述"
    wb.save(path)
    assert main(["check", str(path), "--json", "--no-annotate"]) == 1
    report = json.loads(capsys.readouterr().out)
    hit = [f for f in report[0]["findings"] if f["code"] == "placeholder"]
    assert hit and hit[0]["sheet"] == "绩效指标" and hit[0]["cell"] == "G2" and hit[0]["severity"] == "错误"


def test_a_text_file_renamed_xlsx_exits_2_with_chinese_and_no_traceback(tmp_path: Path) -> None:
    fake = tmp_path / "假的.xlsx"
    fake.write_text("这不是工作簿", encoding="utf-8")
    before = _digest(fake)
    proc = subprocess.run([sys.executable, "-m", "generator", "check", str(fake)], capture_output=True,
                          text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert "不是有效的 .xlsx" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert _digest(fake) == before


def test_from_budget_carries_projects_and_targets_into_a_self_evaluation(tmp_path: Path) -> None:
    budget = ROOT / "inputs" / "2021-高新区科技局-部门预算.xlsx"
    if not budget.exists():
        pytest.skip("seed-001 example workbook not present")
    out = tmp_path / "自评.xlsx"
    assert main(["template", "绩效自评", "--from", str(budget), "-o", str(out)]) == 0
    source = read_workbook(budget).model
    carried = read_workbook(out).model
    assert isinstance(carried, SelfEvalWorkbook)
    assert carried.info.year == 2021
    assert [p.name for p in carried.projects] == [p.name for p in source.projects]  # type: ignore[union-attr]
    for before, after in zip(source.projects, carried.projects, strict=True):  # type: ignore[union-attr]
        assert after.budget == before.budget
        assert [i.target.raw for i in after.indicators] == [i.target.raw for i in before.indicators]
        assert sum(i.weight or 0 for i in after.indicators) == 90  # 产出 50 + 效益 30 + 满意度 10
        assert all(i.actual is None for i in after.indicators)  # left for the user


def test_the_chosen_indicator_tree_sets_the_expected_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Under 财预2021, 成本指标 is a 一级 of 10 points and 产出 has 40: no warning for that split."""
    from decimal import Decimal

    from tests.factories import self_eval_data, write_self_eval

    data = self_eval_data()
    for sheet in ("绩效指标", "整体绩效指标"):  # the project's scorecard and the department's
        rows = data.tables[sheet]
        rows[0]["weight"] = Decimal(40)
        rows.append(dict(rows[0], level1="成本指标", level2="经济成本指标", level3="单位成本", target="≤5万元",
                         actual="4万元", weight=Decimal(10)))
    path = write_self_eval(tmp_path / "s.xlsx", data)

    def warned(tree: str) -> set[str]:
        main(["check", str(path), "--json", "--no-annotate", "--tree", tree])
        return {f["code"] for f in json.loads(capsys.readouterr().out)[0]["findings"]}

    assert "weights-nonstandard" not in warned("财预2021")
    # Under 默认 the 财预2021 row is read as 产出指标—成本指标 (issue 15): 产出 totals 50 again.
    assert warned("默认") == {"level-other-preset"}


def test_unwritable_outputs_get_a_chinese_message_not_a_traceback(tmp_path: Path) -> None:
    blocked = tmp_path / "occupied"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    workbook = write_budget(tmp_path / "b.xlsx")
    for args, code in ((["template", "部门预算", "-o", str(blocked / "x.xlsx")], 2),
                       (["build", str(workbook), "-o", str(blocked)], 2)):
        proc = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        output = proc.stdout + proc.stderr
        assert proc.returncode == code, output
        assert "Traceback" not in output
        assert "无法写入" in output or "文件操作失败" in output or "不是文件夹" in output


def test_command_line_mistakes_are_explained_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "预算", "-o", "x.xlsx"]) == 2
    err = capsys.readouterr().err
    assert "无效的选项" in err and "可选" in err
    assert err.count("用法：") == 1 and "invalid choice" not in err
