"""Build the two self-evaluation report templates (docxtpl) on the official layout of docx_base.

* ``templates/整体支出绩效自评报告.docx`` -- seed 002's structure: title "<部门>" /
  "<年度>年度整体支出绩效自评报告" (附件序号 above it when given), preamble, sections 一 … 六,
  with 三（三）项目绩效目标完成情况 (seed-000-style project paragraphs grouped by 所属领域) only
  when the workbook has projects, and the 评价工作组 table.
* ``templates/绩效自评工作报告.docx`` -- seed 000's structure: 一、绩效自评工作组织开展情况,
  二、绩效目标实现情况 (（一）… per 所属领域, numbered project paragraphs), 三、绩效目标设定质量情况,
  四、整改措施及结果应用.

Fixed wording lives in the templates, so a department can edit it in Word/WPS; figures come from
the context built by ``generator.render.selfeval_docx`` and are formatted by the Jinja filters of
``generator.render.docx_render`` (``amount``, ``pct``, ``cn``), so the template decides the
precision (amounts as typed up to 6 decimals, rates with 2).

Run: ``python -m tools.make_selfeval_template`` (writes both into ``templates/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.shared import Pt

if __package__ in (None, ""):  # run as a script: make the project root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.docx_base import (  # noqa: E402
    FONT_H1,
    STYLE_BODY,
    STYLE_H2,
    STYLE_H3,
    STYLE_PLAIN,
    STYLE_TITLE,
    add_heading,
    add_paragraph,
    add_table,
    new_document,
    set_cell,
    set_fonts,
)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
OVERALL_TEMPLATE = "整体支出绩效自评报告.docx"
WORK_TEMPLATE = "绩效自评工作报告.docx"

# 姓名 | 工作单位 | 职务 | 职称 | 签字 on the 15.6 cm type area.
EVALUATOR_WIDTHS_CM = (2.6, 3.6, 3.6, 2.8, 3.0)
EVALUATOR_HEADERS = ("姓名", "工作单位", "职务", "职称", "签字")


def _tag(doc: DocumentObject, tag: str) -> None:
    """A paragraph holding only a docxtpl ``{%p … %}`` tag (removed when rendered)."""
    add_paragraph(doc, tag, STYLE_PLAIN)


def _body(doc: DocumentObject, text: str) -> None:
    add_paragraph(doc, text, STYLE_BODY)


def _loop(doc: DocumentObject, head: str, line: str, style: str = STYLE_BODY) -> None:
    """``{%p for … %}`` / one paragraph per item / ``{%p endfor %}``."""
    _tag(doc, f"{{%p for {head} %}}")
    add_paragraph(doc, line, style)
    _tag(doc, "{%p endfor %}")


def _attachment_and_title(doc: DocumentObject, lines: tuple[str, ...]) -> None:
    """附件序号 (黑体 3号, flush left, only when given) and the title lines."""
    _tag(doc, "{%p if attachment_no %}")
    attachment = add_paragraph(doc, "{{ attachment_no }}", STYLE_PLAIN)
    for run in attachment.runs:
        set_fonts(run, FONT_H1)
    _tag(doc, "{%p endif %}")
    title = add_paragraph(doc, "", STYLE_TITLE)
    for i, line in enumerate(lines):
        run = title.add_run(line)
        if i < len(lines) - 1:
            run.add_break()


def _project_paragraphs(doc: DocumentObject, number: str, heading_style: str,
                        heading: str) -> None:  # fmt: skip
    """Projects grouped by 所属领域: a heading per group (omitted for an unnamed single group)
    and one paragraph per project. ``number`` is the project numbering expression."""
    _tag(doc, "{%p for g in areas %}")
    _tag(doc, "{%p if g.heading %}")
    add_paragraph(doc, heading, heading_style)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for p in g.projects %}")
    _body(
        doc,
        number + "{{ p.name }}。资金预算金额{{ p.budget|amount(6) }}万元，"
        "实际拨付{{ p.executed|amount(6) }}万元，实际拨付率{{ p.rate|pct|dash('—') }}。"
        "{{ p.indicator_text }}{{ p.outcome_text }}{{ p.reason_text }}"
        "项目自评得分{{ p.total|amount }}分，评价等级为{{ p.grade_word }}。"
        "{{ p.result_text }}",
    )
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")


def _evaluator_table(doc: DocumentObject) -> None:
    # header row, {%tr for %} row, the data row, {%tr endfor %} row
    table = add_table(doc, EVALUATOR_WIDTHS_CM, rows=4, header_rows=1)
    for cell, text in zip(table.rows[0].cells, EVALUATOR_HEADERS, strict=True):
        set_cell(cell, text, bold=True)
    set_cell(table.rows[1].cells[0], "{%tr for e in evaluators %}")
    for cell, text in zip(table.rows[2].cells,
                          ("{{ e.name }}", "{{ e.org }}", "{{ e.post }}", "{{ e.title }}", ""),
                          strict=True):  # fmt: skip
        set_cell(cell, text)
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    # Signature rows need room for a handwritten name.
    table.rows[2].height = Pt(30)


def build_overall() -> DocumentObject:
    """The 整体支出绩效自评报告 template (seed 002)."""
    doc = new_document()
    _attachment_and_title(doc, ("{{ dept_name }}", "{{ year }}年度整体支出绩效自评报告"))
    _loop(doc, "t in preamble", "{{ t }}")

    add_heading(doc, "一、部门基本情况", 1)
    add_heading(doc, "（一）部门概况", 2)
    _loop(doc, "t in overview", "{{ loop.index }}.{{ t }}")
    add_heading(doc, "（二）部门收支预决算情况", 2)
    _body(
        doc,
        "{{ year }}年全年项目预算安排{{ budget|amount(6) }}万元，全年支出{{ executed|amount(6) }}万元，"
        "预算执行率达到{{ rate|pct|dash('—') }}"
        "{% if fund_source_note %}，资金主要来源于{{ fund_source_note }}{% endif %}。",
    )
    add_heading(doc, "（三）部门整体支出绩效目标、指标", 2)
    _loop(doc, "t in goal_texts", "{{ t }}")

    add_heading(doc, "二、自评工作开展情况", 1)
    add_heading(doc, "（一）自评的组织工作", 2)
    _body(doc, "按照{{ basis }}要求，{{ we }}成立了{{ group }}，统筹推进绩效自评工作的有序开展。")
    add_heading(doc, "（二）自评的方法和过程", 2)
    _loop(doc, "t in method", "{{ t }}")

    add_heading(doc, "三、部门整体支出绩效目标实现情况及指标分析", 1)
    add_heading(doc, "（一）总体绩效目标实现情况", 2)
    _loop(doc, "t in overall_actual", "{{ t }}")
    add_heading(doc, "（二）分项绩效目标实现情况及指标分析", 2)
    _loop(doc, "t in sub_actual", "{{ t }}")
    _tag(doc, "{%p if dept_indicator_text %}")
    _body(doc, "{{ dept_indicator_text }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if areas %}")
    add_heading(doc, "（三）项目绩效目标完成情况", 2)
    _body(doc, "{{ projects_summary }}")
    _project_paragraphs(doc, "（{{ loop.index }}）", STYLE_H3, "{{ g.no }}.{{ g.heading }}")
    _tag(doc, "{%p endif %}")

    add_heading(doc, "四、评价结论和评价等级", 1)
    _body(
        doc,
        "根据项目执行情况和项目绩效情况，总得分{{ total|amount }}分，"
        "得出综合评价结论和项目综合绩效评价等级为{{ grade_word }}。",
    )

    add_heading(doc, "五、存在的问题及改进措施", 1)
    add_heading(doc, "（一）存在的主要问题", 2)
    _loop(doc, "t in problems", "{{ t }}")
    add_heading(doc, "（二）针对问题提出具体的改进措施或建议", 2)
    _loop(doc, "t in improvements", "{{ t }}")

    add_heading(doc, "六、评价工作组人员名单及签字（姓名、工作单位、职务、职称）", 1)
    _evaluator_table(doc)
    return doc


def build_work() -> DocumentObject:
    """The 绩效自评工作报告 template (seed 000)."""
    doc = new_document()
    _attachment_and_title(doc, ("{{ dept_name }}{{ year }}年度绩效自评工作报告",))

    add_heading(doc, "一、绩效自评工作组织开展情况", 1)
    _body(
        doc,
        "按照绩效评价工作安排，{{ we }}高度重视，安排专人负责，积极主动开展本部门绩效自评工作。"
        "{{ year }}年{{ we }}安排预算项目{{ project_count }}个，安排预算资金{{ budget|amount(6) }}万元，"
        "拨付{{ executed|amount(6) }}万元，支出率达到{{ rate|pct|dash('—') }}。{{ projects_summary }}",
    )
    _loop(doc, "t in method", "{{ t }}")

    add_heading(doc, "二、绩效目标实现情况", 1)
    _project_paragraphs(doc, "{{ loop.index }}. ", STYLE_H2, "（{{ g.no|cn }}）{{ g.heading }}")

    add_heading(doc, "三、绩效目标设定质量情况", 1)
    _body(doc, "{{ target_quality }}")

    add_heading(doc, "四、整改措施及结果应用", 1)
    _loop(doc, "t in measures", "{{ t }}")
    return doc


def main(out_dir: Path = TEMPLATES) -> list[Path]:
    """Write both templates into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in ((OVERALL_TEMPLATE, build_overall), (WORK_TEMPLATE, build_work)):
        path = out_dir / name
        build().save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in main():
        print(written_path)
