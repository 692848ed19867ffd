"""docxtpl's post-render passes are skipped only where they change nothing.

``LeanDocxTemplate`` skips ``resolve_listing`` / ``fix_tables`` / ``fix_docpr_ids`` and the
cross-document move of ``map_tree`` when they are no-ops. The oracle is docxtpl itself: every
example workbook (and documents made to need each pass) is rendered with plain ``DocxTemplate``
and with ``LeanDocxTemplate``, and every part of the two .docx files must be byte-identical.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docxtpl import DocxTemplate

from generator.app.pipeline import check_one, render
from generator.render import docx_render
from generator.render.docx_passes import LeanDocxTemplate
from generator.resources import examples_dir, templates_dir


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _render_with(cls: type[DocxTemplate], template: Path, context: Mapping[str, Any], out: Path) -> dict[str, bytes]:
    doc = cls(str(template))
    doc.render(dict(context), jinja_env=docx_render.make_environment())
    doc.save(str(out))
    return _parts(out)


def _assert_same_as_docxtpl(template: Path, context: Mapping[str, Any], tmp_path: Path) -> dict[str, bytes]:
    plain = _render_with(DocxTemplate, template, context, tmp_path / "plain.docx")
    lean = _render_with(LeanDocxTemplate, template, context, tmp_path / "lean.docx")
    assert plain.keys() == lean.keys()
    for name in plain:
        assert lean[name] == plain[name], name
    return lean


@pytest.mark.parametrize("workbook", sorted(p.name for p in examples_dir().glob("*.xlsx")))
def test_every_example_renders_byte_identical_to_docxtpl(
    workbook: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = check_one(examples_dir() / workbook, tmp_path / "check", annotate=False)
    assert checked.outcome.errors == 0

    outputs = {}
    for name, cls in (("plain", DocxTemplate), ("lean", LeanDocxTemplate)):
        monkeypatch.setattr(docx_render, "LeanDocxTemplate", cls)
        folder = tmp_path / name
        folder.mkdir()
        outputs[name] = {p.name: _parts(p) for p in render(checked, folder, templates_dir())
                         if p.suffix == ".docx"}

    assert outputs["plain"].keys() == outputs["lean"].keys() and outputs["plain"]
    for document, parts in outputs["plain"].items():
        lean = outputs["lean"][document]
        assert parts.keys() == lean.keys()
        for part in parts:
            assert lean[part] == parts[part], f"{document}: {part}"


def _template(tmp_path: Path, rows: list[list[str]], grid_columns: int | None = None,
              paragraphs: tuple[str, ...] = ()) -> Path:
    document = Document(str(templates_dir() / "部门预算信息公开说明.docx"))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        if grid_columns is not None:  # a grid wider than the rows, as Word edits can leave
            grid = table._tbl.tblGrid
            while len(grid.gridCol_lst) < grid_columns:
                grid.add_gridCol().w = 500000
    path = tmp_path / "template.docx"
    document.save(str(path))
    return path


def test_line_breaks_and_tabs_in_text_are_still_resolved(tmp_path: Path) -> None:
    template = _template(tmp_path, [], paragraphs=("{{ a }}", "{{ b }}", "不变的段落"))
    parts = _assert_same_as_docxtpl(template, {"a": "第一行\n第二行", "b": "甲\t乙"}, tmp_path)
    xml = parts["word/document.xml"].decode("utf-8")
    assert "<w:br/>" in xml and "<w:tab/>" in xml


def test_column_loops_still_fix_the_table_grid(tmp_path: Path) -> None:
    template = _template(tmp_path, [["{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"]])
    parts = _assert_same_as_docxtpl(template, {"cols": ["一", "二", "三", "四", "五"]}, tmp_path)
    assert parts["word/document.xml"].count(b"<w:gridCol ") == 5


def test_a_grid_wider_than_its_rows_is_still_narrowed(tmp_path: Path) -> None:
    template = _template(tmp_path, [["{{ x }}", "乙"]], grid_columns=4)
    parts = _assert_same_as_docxtpl(template, {"x": "甲"}, tmp_path)
    assert parts["word/document.xml"].count(b"<w:gridCol ") == 2


def test_the_passes_are_skipped_for_plain_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The point of the class: none of docxtpl's passes runs for a template that needs none.
    ran: list[str] = []
    for name in ("resolve_listing", "fix_tables", "fix_docpr_ids", "map_tree"):
        original = getattr(DocxTemplate, name)

        def spy(self: Any, arg: Any, _name: str = name, _original: Any = original) -> Any:
            ran.append(_name)
            return _original(self, arg)

        monkeypatch.setattr(DocxTemplate, name, spy)
    template = _template(tmp_path, [["{{ x }}", "乙"], ["丙", "丁"]], paragraphs=("{{ x }}",))
    LeanDocxTemplate(str(template)).render({"x": "甲"}, jinja_env=docx_render.make_environment())
    assert ran == []


def test_paragraphs_inside_text_boxes_are_resolved_as_docxtpl_does(tmp_path: Path) -> None:
    # A VML text box holds paragraphs inside a paragraph: the one case where paragraphs nest.
    from docx.oxml import parse_xml

    template = _template(tmp_path, [], paragraphs=("{{ a }}",))
    document = Document(str(template))
    box = parse_xml(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:t>框前{{ a }}</w:t></w:r><w:r><w:pict><v:shape><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>{{ b }}</w:t></w:r></w:p></w:txbxContent>'
        '</v:textbox></v:shape></w:pict></w:r><w:r><w:t>框后{{ a }}</w:t></w:r></w:p>')
    document.element.body.insert(0, box)
    document.save(str(template))
    parts = _assert_same_as_docxtpl(template, {"a": "甲\n乙", "b": "丙\t丁"}, tmp_path)
    assert b"<w:txbxContent>" in parts["word/document.xml"]
