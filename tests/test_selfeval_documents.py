"""What the self-evaluation documents may and may not print (issues 9, 11 and 12, self-evaluation side).

* every section has an owner: an empty optional sheet leaves its heading (and table) out, an empty
  required one is refused at the sheet; headings renumber themselves;
* blank is not zero: a blank 年初预算数 prints blank cells, never a figure derived from it;
* the amount unit of the workbook (元 or 万元) is the unit of every document;
* a project-only self-evaluation (文件样式 项目支出绩效自评) needs no department sheet and writes
  the project's 自评表 and short report;
* numbered lists typed in one cell become items; an actual typed without its unit keeps the
  target's unit in the narrative;
* every total printed equals the sum of the scores printed beside it;
* the .docx templates are the wording: editing a sentence in a template changes exactly the
  paragraphs that use it.
"""

from __future__ import annotations

import ast
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from generator.app.cli import main
from generator.app.pipeline import OK, build_one
from generator.compute.selfeval_report import shown_actual
from generator.model.schema import SELF_EVAL_DEPT_SHEETS, SELF_EVAL_PROJECT_STYLE
from generator.read.values import parse_actual, parse_indicator_value
from generator.render.workbook_template import WorkbookData
from tests.factories import self_eval_data, write_self_eval

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
INPUTS = ROOT / "inputs"
SELF_EVAL_EXAMPLES = sorted(p for p in INPUTS.glob("*绩效自评.xlsx"))
D = Decimal


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _build(tmp_path: Path, data: WorkbookData, name: str = "w.xlsx") -> tuple[list[Path], list[dict[str, str]]]:
    """Check then build ``data``; return (files written, findings)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = write_self_eval(tmp_path / name, data)
    outcome = build_one(path, tmp_path / "out", TEMPLATES)
    return outcome.files, [f.as_dict() for f in outcome.findings]


def _docx(files: list[Path], kind: str) -> list[tuple[str, str]]:
    path = next(f for f in files if f.name.endswith(f"{kind}.docx"))
    document = docx.Document(str(path))
    return [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]


def _xlsx(files: list[Path]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(next(f for f in files if f.suffix == ".xlsx"))


def _headings(paragraphs: list[tuple[str, str]]) -> list[str]:
    return [text for style, text in paragraphs if style.startswith("Heading")]


def _errors(findings: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(f["code"], f["sheet"], f["cell"]) for f in findings if f["severity"] == "错误"]


# ---------------------------------------------------------------------------
# Every section has an owner
# ---------------------------------------------------------------------------


def test_an_empty_overview_leaves_its_heading_out_and_the_next_headings_renumber(tmp_path: Path) -> None:
    data = self_eval_data()
    data.tables["部门概况"] = []
    files, _ = _build(tmp_path, data)
    headings = _headings(_docx(files, "整体支出绩效自评报告"))
    assert not any("部门概况" in h for h in headings)
    assert headings[:3] == ["一、部门基本情况", "（一）部门收支预决算情况", "（二）部门整体支出绩效目标、指标"]


def test_an_empty_evaluation_group_prints_no_heading_and_no_signature_table(tmp_path: Path) -> None:
    data = self_eval_data()
    data.tables["评价工作组"] = []
    files, _ = _build(tmp_path, data)
    report = next(f for f in files if f.name.endswith("整体支出绩效自评报告.docx"))
    assert docx.Document(str(report)).tables == []
    assert not any("评价工作组" in h for h in _headings(_docx(files, "整体支出绩效自评报告")))


@pytest.mark.parametrize(("sheet", "rows"), [("问题与改进", []), ("整体绩效目标", []),
                                             ("问题与改进", [{"type": "存在问题", "text": "无。"}])])
def test_a_required_section_left_empty_is_refused_at_its_sheet(tmp_path: Path, sheet: str,
                                                               rows: list[dict[str, object]]) -> None:
    data = self_eval_data()
    data.tables[sheet] = rows
    files, findings = _build(tmp_path, data)
    assert files == []
    assert ("section-empty", sheet, "") in _errors(findings)


def test_funds_without_execution_are_refused_at_the_blank_cell(tmp_path: Path) -> None:
    data = self_eval_data()
    data.tables["收支情况"] = [{"source": "当年财政拨款", "budget": D("100")},
                              {"source": "上年结转资金", "budget": D("5"), "executed": D("5")}]
    files, findings = _build(tmp_path, data)
    assert files == []
    assert _errors(findings) == [("funds-missing", "收支情况", "D2")]


def test_funds_left_entirely_blank_are_refused_at_the_sheet(tmp_path: Path) -> None:
    data = self_eval_data()
    data.tables["收支情况"] = []
    files, findings = _build(tmp_path, data)
    assert files == []
    assert _errors(findings) == [("funds-missing", "收支情况", "D2")]


# ---------------------------------------------------------------------------
# Blank is not zero; the amount unit
# ---------------------------------------------------------------------------


def test_a_blank_initial_budget_prints_blank_cells_not_a_derived_figure(tmp_path: Path) -> None:
    data = self_eval_data()
    data.tables["项目"][0].update(initial=None, carry_budget=D("10"), carry_executed=D("10"))
    files, _ = _build(tmp_path, data)
    ws = _xlsx(files)["1.科技保险保费补贴"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1]}
    for name in ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"):
        assert rows[name][3] is None, name  # 年初预算数
    assert rows["其中：当年财政拨款"][4] == 70  # 全年预算数 80 − 上年结转 10


def test_a_workbook_in_yuan_publishes_every_amount_in_yuan(tmp_path: Path) -> None:
    data = self_eval_data()
    data.forms["基本信息"]["amount_unit"] = "元"
    data.tables["收支情况"] = [{"source": "当年财政拨款", "budget": D("1000000"), "executed": D("950000.5")}]
    data.tables["项目"][0].update(initial=D("800000"), budget=D("800000"), executed=D("760000"))
    files, findings = _build(tmp_path, data)
    assert _errors(findings) == []
    text = "\n".join(t for _, t in _docx(files, "整体支出绩效自评报告"))
    assert "全年预算安排1000000.00元，全年支出950000.50元" in text
    assert "万元" not in text
    work = "\n".join(t for _, t in _docx(files, "绩效自评工作报告"))
    assert "资金预算金额800000.00元，实际拨付760000.00元" in work
    forms = _xlsx(files)
    assert forms["部门整体支出绩效自评表"]["A4"].value == "预算资金（元）"
    assert forms["1.科技保险保费补贴"]["A5"].value == "项目资金（元）"


# ---------------------------------------------------------------------------
# A single project's self-evaluation
# ---------------------------------------------------------------------------


def _project_only() -> WorkbookData:
    data = self_eval_data()
    data.forms["基本信息"]["style"] = SELF_EVAL_PROJECT_STYLE
    data.forms["基本信息"]["supervisor"] = "测试市高新区管委会"
    data.tables["项目"][0]["unit"] = "测试市高新区科技服务中心"
    for sheet in SELF_EVAL_DEPT_SHEETS:
        data.tables.pop(sheet, None)
        data.forms.pop(sheet, None)
    return data


def test_a_project_self_evaluation_needs_no_department_sheet(tmp_path: Path) -> None:
    path = write_self_eval(tmp_path / "p.xlsx", _project_only())
    wb = openpyxl.load_workbook(path)
    for sheet in SELF_EVAL_DEPT_SHEETS:  # as a user would: the department's sheets deleted
        del wb[sheet]
    wb.save(path)
    outcome = build_one(path, tmp_path / "out", TEMPLATES)
    assert outcome.status == OK, outcome.findings
    assert [f.name for f in outcome.files] == ["2021年度项目支出绩效自评表.xlsx", "2021年度项目支出绩效自评报告.docx"]
    forms = _xlsx(outcome.files)
    assert forms.sheetnames == ["1.科技保险保费补贴", "评分说明"]
    ws = forms["1.科技保险保费补贴"]
    assert (ws["A1"].value, ws["B4"].value, ws["F4"].value) == ("项目支出绩效自评表", "测试市高新区管委会",
                                                                "测试市高新区科技服务中心")
    text = "\n".join(t for _, t in _docx(outcome.files, "项目支出绩效自评报告"))
    assert "科技保险保费补贴的主管部门为测试市高新区管委会，实施单位为测试市高新区科技服务中心。" in text
    assert "部门整体" not in text


def test_a_project_self_evaluation_without_projects_is_refused(tmp_path: Path) -> None:
    data = _project_only()
    data.tables["项目"] = []
    data.tables["绩效指标"] = []
    files, findings = _build(tmp_path, data)
    assert files == [] and ("section-empty", "项目", "") in _errors(findings)


def test_without_the_short_report_template_only_the_forms_are_written(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "项目支出绩效自评报告.docx").unlink()
    path = write_self_eval(tmp_path / "p.xlsx", _project_only())
    outcome = build_one(path, tmp_path / "out", templates)
    assert [f.name for f in outcome.files] == ["2021年度项目支出绩效自评表.xlsx"]


# ---------------------------------------------------------------------------
# Items, units, wording by scope
# ---------------------------------------------------------------------------


def test_inline_numbered_lists_become_items_everywhere(tmp_path: Path) -> None:
    data = self_eval_data()
    data.tables["部门概况"] = [{"text": "1.负责全区科技工作；2.负责科技金融工作；3.负责防范金融风险"}]
    data.tables["项目"][0]["goal"] = "（1）推广科技保险（2）降低企业研发风险"
    files, _ = _build(tmp_path, data)
    paragraphs = [t for style, t in _docx(files, "整体支出绩效自评报告") if style == "Normal"]
    assert ["1.负责全区科技工作。", "2.负责科技金融工作。", "3.负责防范金融风险。"] == [
        t for t in paragraphs if t[:2] in ("1.", "2.", "3.")]
    ws = _xlsx(files)["1.科技保险保费补贴"]
    assert ws["B11"].value == "1.推广科技保险。\n2.降低企业研发风险。"


def test_an_actual_typed_without_its_unit_keeps_the_targets_unit() -> None:
    assert shown_actual(parse_indicator_value("≥40个"), parse_actual("50")) == "50个"
    assert shown_actual(parse_indicator_value("≥90%"), parse_actual("0.95")) == "95%"
    assert shown_actual(parse_indicator_value("≥30单"), parse_actual("32单")) == "32单"
    assert shown_actual(parse_indicator_value("显著"), parse_actual("达成年度指标")) == "达成年度指标"


def test_the_narrative_says_the_unit_of_a_bare_actual(tmp_path: Path) -> None:
    data = self_eval_data()
    data.tables["绩效指标"][0]["actual"] = "32"
    files, _ = _build(tmp_path, data)
    work = "\n".join(t for _, t in _docx(files, "绩效自评工作报告"))
    assert "完成科技保险单数预期目标30单以上，实际完成32单" in work


def test_a_department_report_uses_department_wording_and_names_itself(tmp_path: Path) -> None:
    data = self_eval_data()
    files, _ = _build(tmp_path, data)
    text = "\n".join(t for _, t in _docx(files, "整体支出绩效自评报告"))
    assert "全年项目预算安排" not in text and "项目综合绩效评价等级" not in text
    assert "部门整体支出绩效评价等级为" in text
    assert "我局成立了以局长为组长的绩效评价工作领导小组" in text
    data.forms["基本信息"].update(dept_name="测试科技服务中心", self_name="")
    files, _ = _build(tmp_path / "c", data)
    assert "我中心成立了" in "\n".join(t for _, t in _docx(files, "整体支出绩效自评报告"))
    data.forms["基本信息"]["self_name"] = "本中心"
    files, _ = _build(tmp_path / "d", data)
    assert "本中心成立了" in "\n".join(t for _, t in _docx(files, "整体支出绩效自评报告"))


# ---------------------------------------------------------------------------
# Totals add up; typed scores explained
# ---------------------------------------------------------------------------


def _form_scores(ws: Any) -> tuple[list[Decimal], Decimal, Decimal | None]:
    """(scores shown in the 得分 column above 总分 incl. the execution score, 总分, execution score)."""
    rows = list(ws.iter_rows(values_only=True))
    execution = next(r[8] for r in rows if r[1] == "年度资金总额")
    start = next(i for i, r in enumerate(rows) if r[1] == "一级指标") if any(r[1] == "一级指标" for r in rows) else None
    total_row = next(r for r in rows if str(r[0] or "").startswith("总分"))
    scores = []
    if start is not None:
        for r in rows[start + 1:]:
            if str(r[0] or "").startswith("总分"):
                break
            scores.append(Decimal(str(r[7])))
    shown = None if execution == "—" else Decimal(str(execution))
    return scores, Decimal(str(total_row[7])), shown


@pytest.mark.parametrize("example", SELF_EVAL_EXAMPLES, ids=lambda p: p.stem)
def test_every_total_printed_is_the_sum_of_the_scores_beside_it(example: Path, tmp_path: Path) -> None:
    outcome = build_one(example, tmp_path, TEMPLATES)
    assert outcome.status == OK
    forms = _xlsx(outcome.files)
    checked = 0
    for ws in forms.worksheets[:-1]:  # the last sheet is 评分说明
        scores, total, execution = _form_scores(ws)
        if execution is None:  # a department averaged over its projects: labelled as a mean
            assert ws["A" + str(next(c.row for c in ws["A"] if str(c.value or "").startswith("总分")))].value \
                .startswith("总分（")
            continue
        assert total == execution + sum(scores, Decimal(0)), ws.title
        checked += 1
    assert checked >= 1


def test_the_department_execution_override_is_refused_without_a_reason_at_its_cell(tmp_path: Path) -> None:
    data = self_eval_data()
    data.forms["基本信息"]["exec_score"] = D("10")  # the rule gives 9.5 for 95%
    files, findings = _build(tmp_path, data)
    assert files == []
    path = tmp_path / "w.xlsx"
    ws = openpyxl.load_workbook(path)["基本信息"]
    reason_cell = next(f"B{r[0].row}" for r in ws.iter_rows(min_row=2) if r[0].value == "执行率评分理由")
    assert ("score-override-reason", "基本信息", reason_cell) in _errors(findings)


# ---------------------------------------------------------------------------
# The templates are the wording
# ---------------------------------------------------------------------------


def _edit_template(source: Path, target: Path, old: str, new: str) -> None:
    """Change ``old`` to ``new`` in the document text, as Word would save it."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert text.count(old) == 1, f"{old} occurs {text.count(old)} times in {source.name}"
                data = text.replace(old, new).encode("utf-8")
            zout.writestr(item, data)


def _paragraph_texts(folder: Path, name: str) -> list[str]:
    return [p.text for p in docx.Document(str(folder / name)).paragraphs]


@pytest.mark.parametrize(("template", "old", "new"), [
    ("绩效自评工作报告.docx", "绩效指标完成情况：", "各项指标完成情况："),
    ("整体支出绩效自评报告.docx", "预算执行率达到", "预算执行率为"),
    ("整体支出绩效自评报告.docx", "统筹推进绩效自评工作的有序开展", "推进绩效自评工作"),
])
def test_editing_a_sentence_in_a_template_changes_exactly_that_sentence(
        template: str, old: str, new: str, tmp_path: Path) -> None:
    example = INPUTS / "2020-科技局-绩效自评.xlsx"
    edited = tmp_path / "templates"
    shutil.copytree(TEMPLATES, edited)
    _edit_template(TEMPLATES / template, edited / template, old, new)
    assert main(["build", str(example), "-o", str(tmp_path / "a")]) == 0
    assert main(["build", str(example), "-o", str(tmp_path / "b"), "--templates", str(edited)]) == 0
    name = f"2020年度{template}"
    before = _paragraph_texts(tmp_path / "a" / "2020-科技局", name)
    after = _paragraph_texts(tmp_path / "b" / "2020-科技局", name)
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed, "the edit changed nothing"
    for b, a in changed:
        assert old in b and a == b.replace(old, new)


@pytest.mark.parametrize("template", ["整体支出绩效自评报告.docx", "绩效自评工作报告.docx", "项目支出绩效自评报告.docx"])
def test_wording_definitions_print_nothing(template: str, tmp_path: Path) -> None:
    """Definitions are lifted out of the document: no empty paragraph is left where they were."""
    example = INPUTS / ("2023-大英县司法局-项目支出绩效自评.xlsx" if template.startswith("项目")
                        else "2020-科技局-绩效自评.xlsx")
    outcome = build_one(example, tmp_path, TEMPLATES)
    report = next(f for f in outcome.files if f.name.endswith(template))
    document = docx.Document(str(report))
    assert document.paragraphs[0].text.strip(), "the document starts with an empty paragraph"
    assert not any("{%" in p.text or "{{" in p.text for p in document.paragraphs)


def test_the_forms_repeat_their_indicator_header_on_every_printed_page(tmp_path: Path) -> None:
    outcome = build_one(INPUTS / "2020-科技局-绩效自评.xlsx", tmp_path, TEMPLATES)
    forms = _xlsx(outcome.files)
    for ws in forms.worksheets[1:-1]:
        header = next(c.row for c in ws["B"] if c.value == "一级指标")
        assert ws.print_title_rows == f"${header}:${header}", ws.title


def test_no_self_evaluation_text_is_worded_in_python() -> None:
    """The wording is in the templates: the renderers and the report model hold no sentence."""
    cjk = re.compile(r"[\u4e00-\u9fff]{4,}")
    offenders = {}
    for module in ("generator/render/selfeval_docx.py", "generator/render/selfeval_xlsx.py",
                   "generator/compute/selfeval_report.py"):
        # Docstrings (the field reference) and comments may be Chinese; string literals may not.
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
        literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    and id(n) not in docs and cjk.search(n.value)]
        offenders[module] = literals
    # The renderers name templates and say what went wrong, nothing more.
    assert set(offenders["generator/render/selfeval_docx.py"]) <= {
        "整体支出绩效自评报告", "绩效自评工作报告", "项目支出绩效自评报告", "未知的报告类型“"}
    assert offenders["generator/render/selfeval_xlsx.py"] == []
    # The report model holds facts and data labels only (outcome values, a regex that reads typed text).
    assert len(offenders["generator/compute/selfeval_report.py"]) <= 8, offenders


def _kept_with_next(p: Any) -> bool:
    ppr = p.find(qn("w:pPr"))
    keep = None if ppr is None else ppr.find(qn("w:keepNext"))
    return keep is not None and keep.get(qn("w:val"), "true") not in ("false", "0", "off")


def test_the_project_report_keeps_each_indicator_group_on_one_page(tmp_path: Path) -> None:
    """In Word, a row whose paragraphs are kept with the next row never ends a page: every row of a
    一级 group but its last says so, so a merged group is never cut (LibreOffice ignores it)."""
    outcome = build_one(INPUTS / "2023-大英县司法局-项目支出绩效自评.xlsx", tmp_path, TEMPLATES)
    report = next(f for f in outcome.files if f.name.endswith("项目支出绩效自评报告.docx"))
    table = docx.Document(str(report)).tables[-1]
    keep = []
    for row in table.rows[1:-1]:  # the indicator rows, between the header and 总分
        # Each cell of the row itself (row.cells would give a merged cell's first row instead).
        flags = {_kept_with_next(p) for tc in row._tr.tc_lst for p in tc.p_lst}
        assert len(flags) == 1, flags
        keep.append(flags.pop())
    # 产出 ×4, 效益 ×1, 满意度 ×1: only the last row of each group may end a page.
    assert keep == [True, True, True, False, False, False]
