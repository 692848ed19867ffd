"""The messages the tool prints for a user that are not findings about a workbook, in one place.

Findings about a workbook's cells have their catalogue in ``validate/findings.py``; this is the
other half: what a template, a wording file or an output can go wrong with. Each message is a
Python format string in Chinese; ``say(key, **facts)`` fills it. Keeping them here (and not in the
modules that raise them) keeps the rendering code free of prose, as the documents' own wording
lives in the templates.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Word templates (render/docx_render.py)
    "template.missing": "找不到模板文件 {path}",
    "template.field": "模板 {name} 引用了不存在的字段“{field}”{near}：请检查占位符的拼写，或改用工具提供的字段。",
    "template.near": "（附近文字：{text}）",
    "template.syntax": "模板 {name} 的占位符写法有误（{error}）{near}。占位符应写成 {{{{ 字段 }}}}、{{% if … %}}、"
                       "{{%p for … %}} 等形式。",
    "template.failed": "模板 {name} 无法生成：{error}",
    "template.locked": "无法写入 {path}：文件可能正在 Word/WPS 中打开，请关闭后重试",
    "template.definitions": "模板 {name} 的措辞定义有误：{error}",
    "template.shadowed": "上下文字段名“{field}”与字典方法同名，模板无法访问，请改名",
    "template.style": "基本信息中的文件样式“{style}”不可用，请选择：{choices}",
    "template.report": "未知的报告类型“{kind}”，可选：{choices}",
    # wording files (render/wording.py)
    "wording.missing": "找不到措辞文件 {path}",
    "wording.syntax": "措辞文件 {name} 格式有误（{error}）：请检查引号和方括号是否成对",
    "wording.key": "措辞文件 {name} 缺少“{key}”",
    "wording.list": "措辞文件 {name} 的“{key}”应为列表",
    "wording.text": "措辞文件 {name} 的“{key}”应为文字",
    "wording.failed": "措辞文件 {name} 的“{key}”无法生成：{error}",
    "wording.layout": "措辞文件 {name} 中“{sheet}”的 layout “{layout}”不可用",
    # Excel tables (render/xlsx_base.py)
    "table.row_too_wide": "表格第 {row} 行的单元格超出表格列数 {columns}：请检查措辞文件中该表的表头（colspan）",
    "table.header_too_wide": "表头“{text}”超出表格列数 {columns}：请检查措辞文件中该表表头的 colspan",
    "table.header_too_tall": "表头“{text}”超出表头行数 {rows}：请检查措辞文件中该表表头的 rowspan",
    "table.row_too_tall": "表格第 {row} 行的单元格向下超出表格末行 {rows}（rowspan）",
    # the annotated copy (app/pipeline.py)
    "annotated.too_large": "工作簿中有 {cells:,} 个单元格（多为带格式的空白行列），超过标注副本的上限 {limit:,}："
                           "未生成标注副本，问题见列表。删除多余的空行、空列后再检查即可生成。",
    # figures (compute/money.py)
    "number.bool": "布尔值不是金额",
    "number.invalid": "“{value}”不是数字",
}


class UserError(Exception):
    """A problem a user can fix (a template, a wording file, an output path); ``str(exc)`` is
    the Chinese message, shown as is instead of a traceback."""


def say(message: str, /, **facts: object) -> str:
    """The message ``message`` (a key of MESSAGES) with ``facts`` filled in."""
    return MESSAGES[message].format(**facts)
