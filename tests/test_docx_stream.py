"""The Word body rendered as a stream (``render/docx_stream.py``) is docxtpl's document, held in pieces.

The oracle is plain docxtpl: each document here is rendered with ``DocxTemplate`` and with the
streaming ``LeanDocxTemplate``, and every part of the two .docx files must be byte-identical. The
segments are made small, so that every document is cut into many pieces; the body must then never
be held whole (that is the point: 2.9 GB at 10,000 projects before, a few hundred MB now).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Cm
from docxtpl import DocxTemplate
from hypothesis import given
from hypothesis import strategies as st

from generator.app.pipeline import check_one, render
from generator.render import docx_render, docx_stream
from generator.render.docx_passes import LeanDocxTemplate
from generator.render.docx_render import TemplateFieldError, render_docx
from generator.resources import examples_dir, templates_dir


@pytest.fixture(autouse=True)
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments of a few paragraphs: every document below is streamed in many pieces."""
    monkeypatch.setattr(docx_stream, "_SEGMENT_CHARS", 3000)
    monkeypatch.setattr(docx_stream, "_PIECES", 16)
    monkeypatch.setattr(docx_stream, "_SPOOL_BYTES", 5000)


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for each body rendered, whether it took the streamed path."""
    taken: list[bool] = []
    original = docx_stream.stream_body

    def spy(*args: Any, **kwargs: Any) -> Any:
        body = original(*args, **kwargs)
        taken.append(body is not None)
        return body

    monkeypatch.setattr("generator.render.docx_passes.stream_body", spy)
    return taken


@pytest.fixture
def body_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many children the parsed body held each time it was drained."""
    sizes: list[int] = []
    original = docx_stream._BodyWriter.drain

    def drain(self: Any, keep_last: bool) -> None:
        sizes.append(len(self.body))
        original(self, keep_last)

    monkeypatch.setattr(docx_stream._BodyWriter, "drain", drain)
    return sizes


def _parts(data: bytes | Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _render(cls: type[DocxTemplate], template: Path, context: Mapping[str, Any]) -> dict[str, bytes]:
    doc = cls(str(template))
    doc.render(dict(context), jinja_env=docx_render.make_environment())
    out = io.BytesIO()
    doc.save(out)
    return _parts(out.getvalue())


def _same_as_docxtpl(template: Path, context: Mapping[str, Any]) -> dict[str, bytes]:
    plain = _render(DocxTemplate, template, context)
    lean = _render(LeanDocxTemplate, template, context)
    assert list(lean) == list(plain)  # same members, same order
    for name in plain:
        assert lean[name] == plain[name], name
    return lean


def _png() -> bytes:
    """A 1×1 PNG (python-docx reads its header for the picture's size)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _template(tmp_path: Path, *blocks: Any, name: str = "template.docx") -> Path:
    """A template of the shipped one's styles and section, its body made of ``blocks``: a string
    is a paragraph, a list of rows a table (``("grid", n, rows)``: with a grid of n columns),
    ``"<picture>"`` a paragraph holding a picture."""
    document = Document(str(templates_dir() / "部门预算信息公开说明.docx"))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    for block in blocks:
        if block == "<picture>":
            document.add_paragraph().add_run().add_picture(io.BytesIO(_png()), width=Cm(1))
        elif isinstance(block, str):
            document.add_paragraph(block)
        else:
            grid, rows = (block[1], block[2]) if isinstance(block, tuple) else (None, block)
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            while grid is not None and len(table._tbl.tblGrid.gridCol_lst) < grid:
                table._tbl.tblGrid.add_gridCol().w = 500000
    path = tmp_path / name
    document.save(str(path))
    return path


ITEMS = [{"n": i, "text": f"第{i}行\n换行\t制表 & <符号> “引号” {{_{{ 不是字段 }}_}}"} for i in range(120)]
ROWS = [{"a": f"甲{i}", "b": f"乙{i}"} for i in range(60)]


def test_a_long_document_is_streamed_in_pieces_and_is_docxtpls(
        tmp_path: Path, streamed: list[bool], body_sizes: list[int]) -> None:
    template = _template(
        tmp_path, "标题 {{ title }}",
        "{%p for i in lines %}", "第{{ i.n }}段：{{ i.text }}", "{%p endfor %}",
        [["{%tr for r in rows %}", ""], ["{{ r.a }}", "{{ r.b }}"], ["{%tr endfor %}", ""]],
        "{%p for i in lines[:30] %}", "表{{ i.n }}", [["项目", "{{ i.n }}"], ["说明", "{{ i.text }}"]],
        "{%p endfor %}", "结尾")
    parts = _same_as_docxtpl(template, {"title": "测试", "lines": ITEMS, "rows": ROWS})
    assert streamed == [True]
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count("<w:br/>") == 150 and "<w:tab/>" in xml and "{{ 不是字段 }}" in xml
    assert "&amp; &lt;符号&gt;" in xml
    # 120 + 30×2 paragraphs and 31 tables went through a body that never held more than a few.
    assert xml.count("<w:tbl>") == 31 and len(body_sizes) > 10 and max(body_sizes) < 40


def test_every_shipped_template_is_streamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: list[bool]) -> None:
    # Byte-identity with docxtpl for every example: tests/test_docx_passes.py. Here: none of them
    # falls back to holding the whole document.
    monkeypatch.setattr(docx_stream, "_SEGMENT_CHARS", 1 << 20)
    for workbook in sorted(examples_dir().glob("*.xlsx")):
        checked = check_one(workbook, tmp_path / "check", annotate=False)
        folder = tmp_path / workbook.stem
        folder.mkdir()
        render(checked, folder, templates_dir())
    assert streamed and all(streamed)


def test_column_loops_and_odd_grids_are_fixed_child_by_child(tmp_path: Path, streamed: list[bool]) -> None:
    template = _template(
        tmp_path, "前文",
        [["{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"]],
        "{%p for i in lines[:20] %}", "{{ i.n }}", ("grid", 4, [["{{ i.n }}", "乙"]]), "{%p endfor %}",
        [["表中表", "{{ cols[0] }}"]])
    parts = _same_as_docxtpl(template, {"cols": ["一", "二", "三", "四", "五"], "lines": ITEMS})
    assert streamed[-1]
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count("<w:gridCol ") == 5 + 20 * 2 + 2  # widened to 5; each 4-column grid narrowed to 2


def test_pictures_are_numbered_in_document_order(tmp_path: Path, streamed: list[bool]) -> None:
    template = _template(tmp_path, "{%p for i in lines[:25] %}", "图{{ i.n }}", "<picture>",
                         "{%p endfor %}", "<picture>")
    parts = _same_as_docxtpl(template, {"lines": ITEMS})
    assert streamed[-1]
    xml = parts["word/document.xml"].decode("utf-8")
    assert 'id="1001"' in xml and 'id="1026"' in xml and 'id="1027"' not in xml


@pytest.mark.parametrize("blocks", [
    # {% if %} in a paragraph, {% endif %} in a table cell: left false, it cuts out the table's
    # opening markup, and its closing tags end the body early ...
    ("甲{% if broken %}", [["{% endif %}乙", "丙"]], "丁"),
    # ... or the other way round: the table is never closed.
    ([["甲{% if broken %}", "丙"]], "{% endif %}乙", "丁"),
], ids=["body-closed-early", "table-left-open"])
def test_xml_that_needs_recovering_takes_docxtpls_path(tmp_path: Path, streamed: list[bool], blocks: Any) -> None:
    # lxml's recovery (docxtpl's parser) decides what the broken XML becomes -- as before, although
    # by the time it shows, much of the document has been streamed.
    template = _template(tmp_path, "{%p for i in lines %}", "{{ i.n }}", "{%p endfor %}", *blocks,
                         "{%p for i in lines %}", "{{ i.n }}", "{%p endfor %}")
    _same_as_docxtpl(template, {"lines": ITEMS, "broken": False})
    assert streamed[-1] is False


def _declare_on_paragraphs(template: Path, declaration: str) -> None:
    """Puts ``declaration`` (`` xmlns:p="…"``) on every paragraph of the template's body, as a tool
    other than Word might write it (python-docx would drop a redundant one when inserting)."""
    with zipfile.ZipFile(template) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members["word/document.xml"].decode("utf-8")
    members["word/document.xml"] = xml.replace("<w:p>", f"<w:p{declaration}>").encode("utf-8")
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _root_declarations(template: Path) -> list[str]:
    with zipfile.ZipFile(template) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    root = xml[xml.index("<w:document"):xml.index(">", xml.index("<w:document"))]
    return re.findall(r' xmlns:[\w.-]+="[^"]*"', root)


@pytest.mark.parametrize("which", ["first", "second", "new"])
def test_namespaces_declared_inside_the_body_are_as_docxtpl_leaves_them(tmp_path: Path, streamed: list[bool], which: str) -> None:
    template = _template(tmp_path, "{%p for i in lines[:40] %}", "{{ i.n }}", "{%p endfor %}", [["表", "{{ lines[0].n }}"]])
    declarations = _root_declarations(template)
    assert len(declarations) > 2
    declaration = {"first": declarations[0], "second": declarations[1], "new": ' xmlns:x="urn:budget-report:test"'}[which]
    _declare_on_paragraphs(template, declaration)
    parts = _same_as_docxtpl(template, {"lines": ITEMS})
    # docxtpl drops a declaration an ancestor already makes (lxml does, moving the body) and keeps
    # a new one.
    assert parts["word/document.xml"].decode("utf-8").count(f"<w:p{declaration}>") == (42 if which == "new" else 0)
    assert streamed == [True]


def test_text_boxes_take_docxtpls_path(tmp_path: Path, streamed: list[bool]) -> None:
    from docx.oxml import parse_xml

    template = _template(tmp_path, "{{ a }}")
    document = Document(str(template))
    document.element.body.insert(0, parse_xml(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p></w:txbxContent>'
        '</v:textbox></v:shape></w:pict></w:r></w:p>'))
    document.save(str(template))
    _same_as_docxtpl(template, {"a": "甲\n乙"})
    assert streamed[-1] is False


def test_a_missing_field_late_in_the_document_is_reported_and_nothing_is_left(tmp_path: Path) -> None:
    template = _template(tmp_path, "{%p for i in lines %}", "{{ i.n }}：{{ i.text }}", "{%p endfor %}",
                         "{{ lines[0].missing }}")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(TemplateFieldError) as info:
        render_docx(template, {"lines": ITEMS}, out_dir / "文档.docx")
    assert info.value.field == "missing"
    assert list(out_dir.iterdir()) == []


def test_render_docx_spools_beside_the_output_and_frees_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bodies: list[docx_stream.StreamedBody | None] = []
    original = docx_stream.stream_body

    def keep(doc: Any, src: str, context: Any, env: Any, spool_dir: str | None = None) -> Any:
        assert spool_dir == str(tmp_path / "out")
        body = original(doc, src, context, env, spool_dir)
        bodies.append(body)
        return body

    monkeypatch.setattr("generator.render.docx_passes.stream_body", keep)
    template = _template(tmp_path, "{%p for i in lines %}", "{{ i.text }}", "{%p endfor %}")
    (tmp_path / "out").mkdir()
    render_docx(template, {"lines": ITEMS}, tmp_path / "out" / "文档.docx")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["文档.docx"]
    assert bodies and bodies[0] is not None and bodies[0].spool.closed
    assert "第119行" in _parts(tmp_path / "out" / "文档.docx")["word/document.xml"].decode("utf-8")


def test_a_document_rendered_twice_is_saved_twice_alike(tmp_path: Path) -> None:
    template = _template(tmp_path, "{%p for i in lines %}", "{{ i.text }}", "{%p endfor %}")
    doc = LeanDocxTemplate(str(template))
    doc.render({"lines": ITEMS}, jinja_env=docx_render.make_environment())
    first, second = io.BytesIO(), io.BytesIO()
    doc.save(first)
    doc.save(second)
    assert _parts(first.getvalue()) == _parts(second.getvalue())
    doc.render({"lines": ITEMS[:3]}, jinja_env=docx_render.make_environment())  # a new render replaces it
    third = io.BytesIO()
    doc.save(third)
    assert "第2行" in _parts(third.getvalue())["word/document.xml"].decode("utf-8")
    assert "第3行" not in _parts(third.getvalue())["word/document.xml"].decode("utf-8")
    doc.discard()


@given(st.text(alphabet="<>a/ 甲", max_size=30))
def test_tags_are_stripped_from_error_context_as_docxtpl_strips_them(line: str) -> None:
    assert docx_stream._without_tags(line) == re.sub(r"<[^>]+>", "", line)


def test_a_syntax_error_says_where(tmp_path: Path) -> None:
    from generator.render.docx_render import TemplateError

    template = _template(tmp_path, "{%p for i in lines %}", "{{ i.n }}", "{%p endfor %}", "错误之前的文字",
                         "{% if lines %}没有结束")
    with pytest.raises(TemplateError) as info:
        render_docx(template, {"lines": ITEMS}, tmp_path / "文档.docx")
    assert "错误之前的文字" in str(info.value)
