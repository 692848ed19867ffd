"""docxtpl's post-render passes, run only when the rendered document needs them.

After Jinja renders a part, docxtpl always runs three passes over the whole XML:

* ``resolve_listing`` turns ``\\n`` ``\\t`` ``\\a`` ``\\f`` inside ``<w:t>`` text into Word breaks,
  tabs, paragraphs and page breaks -- three nested regex substitutions with a Python callback for
  every paragraph, run and text of the document;
* ``fix_tables`` walks every table row to widen the grid when a ``{%tc`` column loop produced more
  cells than grid columns, or narrow it when fewer;
* ``fix_docpr_ids`` renumbers the ids of drawings (``wp:docPr``).

Measured at 1,000 projects they took about a quarter of a build and changed nothing: our
templates have no ``{%tc`` loops and no drawings, and most texts have no line breaks.
:class:`LeanDocxTemplate` checks for each pass, on the XML it would work on, whether it can change
anything, and runs docxtpl's own code when it can -- so the output is the same byte for byte
(``tests/test_docx_passes.py`` renders every example both ways and compares every part).

Most documents do not come here at all: :class:`LeanDocxTemplate` renders the body as a stream
(``render.docx_stream``: the same passes, a segment or a body child at a time, never the whole
document in memory), and only a document the stream cannot take exactly -- text boxes, rendered
XML that is not well-formed -- is rendered whole, with the passes as described above.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from docx.oxml.parser import element_class_lookup
from docxtpl import DocxTemplate
from lxml import etree

from generator.render.docx_stream import StreamedBody, stream_body, tables_consistent, write_package

__all__ = ["LeanDocxTemplate"]

# A {%tc …%} column loop in the template source (docxtpl's own tag syntax, spaces allowed).
_COLUMN_TAG = re.compile(r"\{%-?\s*tc\b")
# A <w:t> text holding a character docxtpl's resolve_listing turns into Word markup (\t, \a,
# \n, \f); rendered text is escaped XML, so it holds no "<". Every part stops at the next "<",
# so no match attempt reads past the next tag (linear, whatever the text).
_LISTING_TEXT = re.compile(r"<w:t(?: [^<>]*)?>[^<\t\a\n\f]*[\t\a\n\f][^<]*</w:t>")
_FEED_CHARS = 1 << 20
# The look-behinds start a match only where a run of white space starts: linear under search.
_BODY_START = re.compile(r"(?<!\s)\s*<w:body\b([^<>]*)>")
_NAMESPACE = re.compile(r'(?<!\s)\s+xmlns(?::([\w.-]+))?="([^"]*)"')


def _each_paragraph(xml: str, change: Callable[[str], str]) -> str:
    """``xml`` with ``change`` applied to each paragraph as docxtpl 0.20's resolve_listing finds
    them (``<w:p(?: [^>]*)?>.*?</w:p>``, DOTALL, left to right), in one pass: that pattern rescans
    the rest of the text from every unclosed ``<w:p>`` (quadratic)."""
    pieces: list[str] = []
    done = at = 0
    while (at := xml.find("<w:p", at)) >= 0:
        if xml[at + 4:at + 5] not in (" ", ">"):  # <w:pPr>, <w:proofErr …>: not a paragraph
            at += 4
            continue
        opened = xml.find(">", at)
        closed = xml.find("</w:p>", opened + 1) if opened >= 0 else -1
        if closed < 0:  # no paragraph ends after this one starts: none after it either
            break
        end = closed + len("</w:p>")
        pieces += [xml[done:at], change(xml[at:end])]
        done = at = end
    pieces.append(xml[done:])
    return "".join(pieces)


class LeanDocxTemplate(DocxTemplate):
    """A :class:`docxtpl.DocxTemplate` that renders the body as a stream where it can
    (``render.docx_stream``) and otherwise skips its post-render passes where they are no-ops.

    After a streamed render, the python-docx document still holds the template's body: the rendered
    body is in a spool file (in ``spool_dir``, by default the system's temporary folder) until
    :meth:`save` writes it; :meth:`discard` frees it sooner."""

    spool_dir: str | None = None  # where a streamed body is spooled
    _streamed: StreamedBody | None = None
    _column_loops: bool = True  # the template has {%tc loops (set per render by build_xml)
    _lean_body: Any = None  # the rendered body parsed inside its own document element

    def render_init(self) -> None:
        self.discard()
        super().render_init()

    def discard(self) -> None:
        """Free a streamed body (its spool file)."""
        if self._streamed is not None:
            self._streamed.close()
            self._streamed = None

    def build_xml(self, context: Any, jinja_env: Any = None) -> Any:
        raw = self.get_xml()
        # fix_tables only changes tables that a {%tc loop (or a grid inconsistent with its rows)
        # made; the check on the template source (before patch_xml rewrites {%tc) is exact for the
        # first, see fix_tables.
        self._column_loops = bool(_COLUMN_TAG.search(raw))
        xml = self.patch_xml(raw)
        streamed = stream_body(self, xml, context, jinja_env, self.spool_dir)
        if streamed is not None:
            self._streamed = streamed
            return streamed
        return self.render_xml_part(xml, self.docx._part, context, jinja_env)  # docxtpl's build_xml

    def save(self, filename: Any, *args: Any, **kwargs: Any) -> None:
        if self._streamed is None or not self.is_rendered:
            super().save(filename, *args, **kwargs)
            return
        self.pre_processing()
        write_package(self.docx.part.package, filename, {self.docx.part: self._streamed})
        self.post_processing(filename)
        self.is_saved = True

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's pass, on the paragraphs whose text holds a character it resolves.

        docxtpl rewrites every paragraph (``_PARAGRAPH``, left to right); a paragraph whose texts
        hold none of those characters comes out unchanged. Here only the paragraph around each
        such text goes through docxtpl's own pass. Paragraphs do not nest, except inside text
        boxes: a document with text boxes has every paragraph matched as docxtpl matches them.
        """
        if _LISTING_TEXT.search(xml) is None:
            return xml
        resolve = super().resolve_listing
        if "<w:txbxContent" in xml:
            def paragraph(text: str) -> str:
                return text if _LISTING_TEXT.search(text) is None else str(resolve(text))

            return _each_paragraph(xml, paragraph)
        pieces: list[str] = []
        done = 0
        for text in _LISTING_TEXT.finditer(xml):
            if text.start() < done:
                continue  # in the paragraph just resolved
            start = max(xml.rfind("<w:p>", done, text.start()), xml.rfind("<w:p ", done, text.start()))
            end = xml.find("</w:p>", text.end())
            if start < 0 or end < 0:  # a text outside any paragraph: let docxtpl decide
                return str(resolve(xml))
            end += len("</w:p>")
            pieces += [xml[done:start], str(resolve(xml[start:end]))]
            done = end
        pieces.append(xml[done:])
        return "".join(pieces)

    def fix_tables(self, xml: str) -> Any:
        """docxtpl's pass, when a table can need it: a {%tc loop in the template, or a table
        whose rows do not span exactly its grid columns.

        When it is skipped, the body is parsed inside a copy of the document element instead of
        on its own, so that :meth:`map_tree` need not move a large tree between documents."""
        if isinstance(xml, StreamedBody):
            return xml  # its tables were fixed child by child
        if self._column_loops or "<wp:docPr" in xml:
            return super().fix_tables(xml)
        body = self._parse_in_document(xml)
        if body is None or not _tables_consistent(body):
            return super().fix_tables(xml)
        return body

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's pass, when the document has drawings to renumber (a body with drawings never
        takes the lean path, see fix_tables)."""
        if not isinstance(tree, StreamedBody) and next(tree.iter(f"{_WP}docPr"), None) is not None:
            super().fix_docpr_ids(tree)

    def map_tree(self, tree: Any) -> None:
        """docxtpl replaces the template's body with the rendered one; lxml then walks the whole
        rendered tree to move it into the document (a second of a 1,000-project build). A body
        parsed in its own copy of the document element takes that element's place instead."""
        if isinstance(tree, StreamedBody):
            return  # written by save
        if tree is not None and tree is self._lean_body:
            root = self._lean_body.getparent()
            self._lean_body = None
            self.docx._element = root
            self.docx.part._element = root
            return
        super().map_tree(tree)

    def _parse_in_document(self, xml: str) -> Any:
        """The rendered body parsed inside the template's document element, as docxtpl's
        map_tree would leave it; None when the document is not shaped as expected."""
        root = self.docx._element
        source = etree.tostring(root, encoding="unicode")
        start, end = source.find("<w:body"), source.rfind("</w:body>")
        tag = _BODY_START.match(xml)
        if start < 0 or end < 0 or source.count("<w:body") != 1 or tag is None:
            return None
        declared = root.nsmap

        def redundant(match: re.Match[str]) -> str:
            # lxml drops the moved body's declarations that the document element already makes.
            return "" if declared.get(match.group(1)) == match.group(2) else match.group(0)

        parser = etree.XMLParser(recover=True)  # docxtpl's parser, with python-docx's classes
        parser.set_element_class_lookup(element_class_lookup)
        # Fed in slices: the rendered body is the largest string of a build (tens of MB at
        # 1,000 projects) and is not copied whole once more.
        parser.feed(source[:start] + "<w:body" + _NAMESPACE.sub(redundant, tag.group(1)) + ">")
        for at in range(tag.end(), len(xml), _FEED_CHARS):
            parser.feed(xml[at:at + _FEED_CHARS])
        parser.feed(source[end + len("</w:body>"):])
        new_root = parser.close()
        bodies = new_root.findall(f"{_W}body")
        if len(new_root) != len(root) or len(bodies) != 1:
            return None
        self._lean_body = bodies[0]
        return self._lean_body


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _tables_consistent(body: Any) -> bool:
    """True when fix_tables would change no table of ``body`` (see ``tables_consistent``)."""
    return all(tables_consistent(table) for table in body.iter(f"{_W}tbl"))
