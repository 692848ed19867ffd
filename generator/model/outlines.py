"""The documents a 部门预算 workbook can be published as (基本信息 → 文件样式), and what each needs.

An outline is a Word template (its sections and wording are in the template, not here), the name
of the file it writes, whether the standard tables (公开表) go with it, and the sheets whose
content it cannot do without: such a sheet left empty is a 错误 at the sheet, where an optional
one only removes its sentences and tables from the document.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outline:
    template: str
    """Word template file (in the templates folder)."""
    output: str
    """Output file name; ``{year}`` is the budget year."""
    tables: bool
    """The standard Excel tables (公开表) are published with it."""
    requires: tuple[str, ...]
    """Sheets that must not be empty for this outline."""


_FULL = ("部门职责", "收支预算", "机关运行经费", "三公经费", "整体绩效目标", "国有资产")

OUTLINES: dict[str, Outline] = {
    "信息公开说明": Outline("部门预算信息公开说明.docx", "{year}年部门预算信息公开情况说明.docx", True,
                        (*_FULL, "工作保障措施", "名词解释")),
    "信息公开说明（十部分）": Outline("部门预算公开说明（十部分）.docx", "{year}年部门预算公开说明.docx", True,
                             (*_FULL, "名词解释")),
    "绩效目标": Outline("部门整体绩效目标.docx", "{year}年部门整体绩效目标.docx", False,
                    ("整体绩效目标", "工作保障措施", "项目")),
}
DEFAULT_OUTLINE = "信息公开说明"
