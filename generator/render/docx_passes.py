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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from docx.oxml.parser import element_class_lookup
from docxtpl import DocxTemplate
from lxml import etree

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
    """A :class:`docxtpl.DocxTemplate` that skips its post-render passes where they are no-ops."""

    _column_loops: bool = True  # the template has {%tc loops (set per render by build_xml)
    _lean_body: Any = None  # the rendered body parsed inside its own document element

    def build_xml(self, context: Any, jinja_env: Any = None) -> Any:
        # fix_tables only changes tables that a {%tc loop (or a grid inconsistent with its rows)
        # made; the check on the template source is exact for the first, see fix_tables.
        self._column_loops = bool(_COLUMN_TAG.search(self.get_xml()))
        return super().build_xml(context, jinja_env)

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
        if self._column_loops or "<wp:docPr" in xml:
            return super().fix_tables(xml)
        body = self._parse_in_document(xml)
        if body is None or not _tables_consistent(body):
            return super().fix_tables(xml)
        return body

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's pass, when the document has drawings to renumber (a body with drawings never
        takes the lean path, see fix_tables)."""
        if next(tree.iter(f"{_WP}docPr"), None) is not None:
            super().fix_docpr_ids(tree)

    def map_tree(self, tree: Any) -> None:
        """docxtpl replaces the template's body with the rendered one; lxml then walks the whole
        rendered tree to move it into the document (a second of a 1,000-project build). A body
        parsed in its own copy of the document element takes that element's place instead."""
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


_NS = {"w": _W[1:-1]}
# A row with more cells than the grid has columns (fix_tables then widens the grid) …
_ROW_WIDER_THAN_GRID = etree.XPath("boolean(.//w:tr[count(w:tc) > $columns])", namespaces=_NS)
# … and a row spanning all columns (without one, fix_tables narrows the grid). docxtpl counts a
# cell as its w:gridSpan, else 1.
_ROW_SPANNING_GRID = etree.XPath(
    "boolean(.//w:tr[count(w:tc[not(w:tcPr/w:gridSpan)]) + sum(w:tc/w:tcPr/w:gridSpan/@w:val)"
    " >= $columns])", namespaces=_NS)


def _tables_consistent(body: Any) -> bool:
    """True when fix_tables would change no table: no row has more cells than its table's grid
    columns, and some row spans them all. Rows are counted as docxtpl counts them: every row
    under the table, nested tables' rows included."""
    for table in body.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            return False
        columns = len(grid.findall(f"{_W}gridCol"))
        if _ROW_WIDER_THAN_GRID(table, columns=columns) or not _ROW_SPANNING_GRID(table, columns=columns):
            return False
    return True
