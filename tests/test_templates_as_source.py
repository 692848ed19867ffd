"""The Word templates are the source of the wording: a person edits them in Word, and an edit
reaches the documents -- exactly that sentence, nothing else. ``template-check`` explains the
mistakes people make when they edit one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.text.paragraph import Paragraph

from generator.app.cli import main
from generator.app.pipeline import OK, build_one
from generator.app.template_check import check_template
from generator.resources import examples_dir, templates_dir
from tests.golden.snapshot import docx_snapshot

BUDGET = "2021-高新区科技局-部门预算.xlsx"
SELF_EVAL = "2024-科学技术局-绩效自评.xlsx"
WORK_REPORT_EVAL = "2020-科技局-绩效自评.xlsx"
DISCLOSURE = "部门预算信息公开说明.docx"


def _edit_like_word(template: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the one paragraph holding it, the way Word stores an edit: the
    changed words in a run of their own (Word splits runs wherever the user typed)."""
    doc = Document(str(template))
    hits = [p for p in doc.paragraphs if old in p.text]
    assert len(hits) == 1, f"“{old}”应在模板中恰好出现一次"
    paragraph: Paragraph = hits[0]
    for run in paragraph.runs:
        if old in run.text:
            before, _, after = run.text.partition(old)
            run.text = before
            inserted = paragraph.add_run(new)
            inserted._r.getparent().remove(inserted._r)
            run._r.addnext(inserted._r)
            tail = paragraph.add_run(after)
            tail._r.getparent().remove(tail._r)
            inserted._r.addnext(tail._r)
            break
    else:  # pragma: no cover - the test's own templates keep each sentence in one run
        raise AssertionError(f"“{old}”跨越了多个文字段")
    doc.save(str(template))


def _document(templates: Path, workbook: str, template: str, out: Path) -> list[str]:
    outcome = build_one(examples_dir() / workbook, out, templates)
    assert outcome.status == OK, outcome.message
    documents = [f for f in outcome.files if f.suffix == ".docx"]
    docx = next((f for f in documents if Path(template).stem in f.name), documents[0])
    return docx_snapshot(docx).splitlines()


@pytest.mark.parametrize(("workbook", "template", "old", "new"), [
    (BUDGET, DISCLOSURE, "运行经费支出预算", "运行经费预算安排"),
    (BUDGET, DISCLOSURE, "主要因为", "主要原因是"),
    (WORK_REPORT_EVAL, "绩效自评工作报告.docx", "绩效指标完成情况", "指标完成情况"),
    (SELF_EVAL, "整体支出绩效自评报告.docx", "预算执行率达到", "预算执行率为"),
])
def test_editing_a_sentence_in_word_changes_exactly_that_wording(
        workbook: str, template: str, old: str, new: str, tmp_path: Path) -> None:
    mine = tmp_path / "我的模板"
    shutil.copytree(templates_dir(), mine)
    _edit_like_word(mine / template, old, new)
    before = _document(templates_dir(), workbook, template, tmp_path / "before")
    after = _document(mine, workbook, template, tmp_path / "after")
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(before) == len(after) and changed, "the edit must reach the document"
    for b, a in changed:
        assert old in b and a == b.replace(old, new)


def test_a_wording_definition_edited_in_word_rewords_every_sentence_and_the_excel_table(tmp_path: Path) -> None:
    """与上年比较 is worded once (a definition at the top of the template): one edit rewords
    every comparison, and the phrases the Excel tables share with Word follow too."""
    mine = tmp_path / "我的模板"
    shutil.copytree(templates_dir(), mine)
    doc = Document(str(mine / DISCLOSURE))
    definition = next(p for p in doc.paragraphs if p.text.startswith("{% macro plan_sentence"))
    for run in definition.runs:
        run.text = run.text.replace("以上专项经费共计", "上述资金合计")
    doc.save(str(mine / DISCLOSURE))
    outcome = build_one(examples_dir() / BUDGET, tmp_path / "out", mine)
    assert outcome.status == OK, outcome.message
    import openpyxl

    tables = next(f for f in outcome.files if f.suffix == ".xlsx")
    sheet = openpyxl.load_workbook(tables)["项目绩效目标表"]
    excel_text = "".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    word_text = docx_snapshot(next(f for f in outcome.files if f.suffix == ".docx"))
    assert word_text.count("上述资金合计") == 35 and "以上专项经费共计" not in word_text
    assert excel_text.count("上述资金合计") == 35 and "以上专项经费共计" not in excel_text


# ---- template-check ----------------------------------------------------------------------------------


SHIPPED = sorted(p.name for p in templates_dir().glob("*.docx"))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_template_checks_clean(name: str, tmp_path: Path) -> None:
    sample = tmp_path / "样张.docx"
    report = check_template(templates_dir() / name, sample=sample)
    assert report.ok, [str(p) for p in report.problems]
    assert report.kind == ("绩效自评" if "自评" in name else "部门预算") and sample.is_file()


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "改过的模板.docx"
    shutil.copy(templates_dir() / DISCLOSURE, path)
    doc = Document(str(path))
    paragraph = next(p for p in doc.paragraphs if old in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace(old, new)
    doc.save(str(path))
    return path


def test_a_misspelt_field_is_named_with_its_paragraph_and_a_suggestion(tmp_path: Path) -> None:
    path = _broken(tmp_path, "operating.use", "operating.uses")
    report = check_template(path)
    messages = [str(p) for p in report.problems]
    assert len(messages) == 1 and "字段“uses”不存在" in messages[0] and "“use”" in messages[0]
    assert "第 " in messages[0] and "operating.kind" in messages[0]  # the paragraph, found again in Word


def test_full_width_braces_and_a_split_placeholder_are_explained(tmp_path: Path) -> None:
    path = _broken(tmp_path, "{{ duty_basis }}", "｛｛ duty_basis ｝｝")
    assert any("全角" in str(p) for p in check_template(path).problems)
    path = _broken(tmp_path, "{{ duty_basis }}", "{{ duty_basis ")
    assert any("拆到了两个段落" in str(p) for p in check_template(path).problems)


def test_a_missing_endif_is_a_syntax_problem_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _broken(tmp_path, "{% endif %}。", "。")
    assert main(["template-check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "占位符写法有误" in out and "endif" in out and "Traceback" not in out


def test_a_file_that_is_not_word_is_refused_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "模板.docx"
    path.write_text("不是 Word 文件", encoding="utf-8")
    assert main(["template-check", str(path), "--json"]) == 1
    assert "不是 Word" in capsys.readouterr().out
