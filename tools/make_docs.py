"""Write docs/workbooks.md — the sheet-by-sheet guide to both input workbooks — from the schema.

The guide is generated so it can never disagree with what the reader expects:
``python -m tools.make_docs`` rewrites it, and a test fails when it is stale.
"""

from __future__ import annotations

from pathlib import Path

from generator.model.schema import CHOICES, SHEETS, FormSheet, WorkbookKind
from generator.validate.findings import CODES

TARGET = Path(__file__).resolve().parent.parent / "docs" / "workbooks.md"


def render() -> str:
    out = ["# 填报工作簿说明", "",
           "本页由 `python -m tools.make_docs` 根据 `generator/schema.py` 生成，请勿手工修改。", "",
           "两种工作簿都用 `budget-report template 部门预算|绩效自评 -o 文件.xlsx` 生成。"
           "工具按**表头文字**识别列（列的顺序可调整），固定行按第一列的文字识别。"
           "金额单位均为万元；比例可填 60%、60 或 0.6。合计、增减、占比、执行率、得分等由工具计算，表中不设这些列。", ""]
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


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"已写入 {TARGET}")


if __name__ == "__main__":
    main()
