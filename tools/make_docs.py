"""Write the generated guides: docs/workbooks.md (both input workbooks, from the schema) and
docs/template-fields.md (every field a Word template may use, from the typed document models).

They are generated so they can never disagree with the code: ``python -m tools.make_docs``
rewrites both, and a test fails when either is stale.
"""

from __future__ import annotations

from pathlib import Path

from generator.model.schema import CHOICES, SHEETS, FormSheet, WorkbookKind
from generator.validate.findings import CODES

DOCS = Path(__file__).resolve().parent.parent / "docs"
TARGET = DOCS / "workbooks.md"
FIELDS_TARGET = DOCS / "template-fields.md"
EXAMPLE_BUDGET = "2021-高新区科技局-部门预算.xlsx"
EXAMPLE_SELF_EVAL = "2024-科学技术局-绩效自评.xlsx"


def render() -> str:
    out = ["# 填报工作簿说明", "",
           "本页由 `python -m tools.make_docs` 根据 `generator/schema.py` 生成，请勿手工修改。", "",
           "两种工作簿都用 `budget-report template 部门预算|绩效自评 -o 文件.xlsx` 生成。"
           "工具按**表头文字**识别列（列的顺序可调整），固定行按第一列的文字识别。"
           "金额按“基本信息”的金额单位（万元或元）填写；比例可填 60%、60 或 0.6。"
           "合计、增减、占比、执行率、得分等由工具计算，表中不设这些列。", ""]
    for kind in WorkbookKind:
        out += [f"## {kind.value}工作簿", ""]
        for sheet in SHEETS[kind]:
            shape = "表单（项目 | 内容）" if isinstance(sheet, FormSheet) else "表格（首行为表头）"
            optional = "" if sheet.required else "（可选工作表）"
            out += [f"### {sheet.name}{optional}", "", f"{sheet.help} 形式：{shape}。", ""]
            cols = sheet.fields if isinstance(sheet, FormSheet) else sheet.columns
            out += ["| 列/项目 | 必填 | 说明 | 示例 |", "|---|---|---|---|"]
            for c in cols:
                note = c.help or ""
                if c.choices and CHOICES.get(c.choices):
                    note += f" 可选：{'、'.join(CHOICES[c.choices])}。"
                elif c.choices:
                    note += " 从下拉列表选择。"
                out.append(f"| {c.header} | {'是' if c.required else ''} | {note.strip()} | {c.example} |")
            fixed = getattr(sheet, "fixed_rows", ())
            if fixed:
                out += ["", "固定行：" + "、".join(fixed) + "。"]
            out.append("")
    out += ["## 校验结果代码", "", "| 代码 | 级别 | 含义 |", "|---|---|---|"]
    out += [f"| `{code}` | {sev.value} | {title} |" for code, (sev, title) in CODES.items()]
    return "\n".join(out) + "\n"


def render_fields() -> str:
    """docs/template-fields.md: the template fields of each document, with example values."""
    from generator.compute.disclosure import Disclosure, compute_disclosure
    from generator.model import BudgetWorkbook
    from generator.read.reader import read_workbook
    from generator.render.fields import reference
    from generator.resources import examples_dir

    budget = read_workbook(examples_dir() / EXAMPLE_BUDGET).model
    assert isinstance(budget, BudgetWorkbook)
    out = ["# 模板字段参考", "",
           "本页由 `python -m tools.make_docs` 根据计算模型生成，请勿手工修改。", "",
           "Word 模板（`templates/*.docx`）中的 `{{ 字段 }}` 写的是下表中的字段名，用“.”进入下一层，"
           "如 `{{ income.total.current }}`（本年收入总计）。列表用 `{%p for p in projects %}` … `{%p endfor %}`"
           "逐项写出，项内字段写作 `p.name`。金额直接写 `{{ 字段 }}` 即按正文习惯显示（最多两位小数、去掉末尾的 0），"
           "比例显示为百分数；要改变精度用过滤器：`|fixed`（两位小数）、`|amount(6)`（最多六位）、`|pct(2)`。"
           "空白的数字不显示任何内容，用 `{% if 字段 is not none %}` 决定写不写。"
           "“示例”列取自示例工作簿。", "",
           "改过的模板可以用 `budget-report template-check 模板.docx` 检查：它用示例数据生成一次，"
           "按段落列出写错的字段、被拆开的占位符和语法错误。", ""]
    out += [f"示例取自 {EXAMPLE_BUDGET}。", ""]
    out += reference("部门预算信息公开说明", Disclosure, compute_disclosure(budget))
    from generator.compute.selfeval import evaluate
    from generator.compute.selfeval_report import SelfEvalReport, build_report
    from generator.model import SelfEvalWorkbook

    self_eval = read_workbook(examples_dir() / EXAMPLE_SELF_EVAL).model
    assert isinstance(self_eval, SelfEvalWorkbook)
    out += [f"示例取自 {EXAMPLE_SELF_EVAL}。", ""]
    out += reference("绩效自评报告与自评表", SelfEvalReport, build_report(self_eval, evaluate(self_eval)))
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    FIELDS_TARGET.write_text(render_fields(), encoding="utf-8")
    print(f"已写入 {TARGET}、{FIELDS_TARGET}")


if __name__ == "__main__":
    main()
