"""A Word document's body rendered as a stream: never one string, never one tree.

docxtpl renders the body as one string (about 18 MB of XML per 1,000 projects), runs its text passes
over it (each pass a copy), parses it into one lxml tree (roughly ten times the text) and serializes
that tree into one more string when saving: a 10,000-project budget peaked near 2.9 GB.

:func:`stream_body` does the same work a piece at a time, with docxtpl's own functions:

1. the body is compiled exactly as docxtpl compiles it, and Jinja's output is taken piece by piece
   (``Template.generate``);
2. the pieces are cut, right before a paragraph starts, into segments of about a million
   characters; each goes through docxtpl's text passes (the ``\\n`` before ``<w:p``, the ``{_{``
   escapes, ``resolve_listing``): none of them looks across a paragraph's start, so the passes over
   the segments give the pass over the whole;
3. the segments are fed to one incremental parser that reads the document as docxtpl leaves it
   (the rendered body inside the template's document element);
4. each child of the body, complete once the next one has begun, goes through docxtpl's tree passes
   (``fix_tables`` table by table, ``fix_docpr_ids`` in document order: both work child by child),
   is serialized as lxml serializes it inside the whole document, written to a spool file and freed.

:meth:`StreamedBody.write_to` then writes ``document.xml``: the document element's serialization
around the spooled children. :func:`write_package` saves the package as python-docx does, with that
part streamed into the zip.

Documents where a step above would not be exact take docxtpl's path instead (:func:`stream_body`
returns None, or gives up and the body is rendered again the old way): a template with text boxes
(paragraphs inside paragraphs), rendered XML that is not well-formed (docxtpl's recovering parse
decides what it becomes), and a child of the body redeclaring a prefix of the document element
with another namespace (see ``without_declarations``).
``tests/test_docx_stream.py`` holds the output to docxtpl's, part by part, byte for byte.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docxtpl import DocxTemplate
from jinja2 import Environment, Template, TemplateError
from lxml import etree

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from docx.opc.part import Part

__all__ = ["StreamedBody", "stream_body", "tables_consistent", "write_package"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_BODY = f"{_W}body"
_TABLE = f"{_W}tbl"
_DOC_PR = f"{_WP}docPr"

_SEGMENT_CHARS = 1 << 20  # text handed to the passes and the parser at once
_PIECES = 4096  # Jinja output pieces joined at once
_SPOOL_BYTES = 1 << 20  # serialized children written to the spool at once
_COPY_BYTES = 1 << 20
# The look-behinds start a match only where a run of white space starts: linear under search.
_BODY_START = re.compile(r"(?<!\s)\s*<w:body\b([^<>]*)>")
_NAMESPACE = re.compile(r'(?<!\s)\s+xmlns(?::([\w.-]+))?="([^"]*)"')
_PARAGRAPH_TAG = re.compile(r"<w:p([ >])")
# Namespace declarations as lxml writes them (each starts with a literal: linear).
_DECLARATIONS = re.compile(rb'(?: xmlns(?::[\w.-]+)?="[^"]*")*')
# Stands for the body's children in the serialized document element (a private-use character
# never written by Word; the last occurrence is the one placed there).
_MARKER = "\ue000budget-report body\ue000"


class _NotStreamable(Exception):
    """The rendered document takes docxtpl's path (see the module docstring)."""


@dataclass
class StreamedBody:
    """``document.xml`` of a rendered document: ``head``, the spooled children, ``tail``."""

    head: bytes
    spool: IO[bytes]
    spooled: int
    tail: bytes

    @property
    def size(self) -> int:
        return len(self.head) + self.spooled + len(self.tail)

    def write_to(self, out: IO[bytes]) -> None:
        out.write(self.head)
        self.spool.seek(0)
        shutil.copyfileobj(self.spool, out, _COPY_BYTES)
        out.write(self.tail)

    def close(self) -> None:
        self.spool.close()


def stream_body(doc: DocxTemplate, src_xml: str, context: Mapping[str, Any],
                jinja_env: Environment | None, spool_dir: str | None = None) -> StreamedBody | None:
    """Render ``doc``'s body (``src_xml``: its XML as ``patch_xml`` left it) with ``context`` into
    a spool file in ``spool_dir``; None when the document must take docxtpl's path.

    Template errors propagate as docxtpl raises them (with ``docx_context``)."""
    body_tag = _BODY_START.match(src_xml)
    if body_tag is None or "<w:txbxContent" in src_xml:
        return None  # text boxes: paragraphs inside a paragraph, where no segment may be cut
    source = etree.tostring(doc.docx._element, encoding="unicode")
    start, end = source.find("<w:body"), source.rfind("</w:body>")
    if start < 0 or end < 0 or source.count("<w:body") != 1:
        return None
    head, tail = source[:start], source[end + len("</w:body>"):]
    # The rendered body inside the template's document element, as map_tree leaves it: lxml drops
    # the body's declarations that the document element already makes.
    declared = doc.docx._element.nsmap

    def redundant(match: re.Match[str]) -> str:
        return "" if declared.get(match.group(1)) == match.group(2) else match.group(0)

    opening = head + "<w:body" + _NAMESPACE.sub(redundant, body_tag.group(1)) + ">"
    try:
        declarations = _declarations(opening, tail)
    except _NotStreamable:
        return None
    # Elements of the body declaring namespaces themselves (pictures do): those are moved as docxtpl
    # moves its body, into a copy of the document element (see _BodyWriter.drain).
    carrier = (etree.fromstring(opening + "</w:body>" + tail).find(_BODY)
               if src_xml.find("xmlns", body_tag.end()) >= 0 else None)
    src_xml = _PARAGRAPH_TAG.sub(r"\n<w:p\1", src_xml)  # docxtpl's render_xml_part, up to the render
    writer = _BodyWriter(doc, body_tag.group(0), opening, declarations, tail, carrier, spool_dir)
    picture_ids = doc.docx_ids_index  # numbered again from here if docxtpl's path takes over
    try:
        doc.current_rendering_part = doc.docx._part
        template = jinja_env.from_string(src_xml) if jinja_env else Template(src_xml)
        writer.run(template.generate(dict(context)))
        return writer.finish()
    except _NotStreamable:
        writer.spool.close()
        doc.docx_ids_index = picture_ids
        return None
    except TemplateError as exc:
        writer.spool.close()
        lineno = getattr(exc, "lineno", None)
        if lineno is not None:  # as docxtpl tells where
            line = max(lineno - 4, 0)
            exc.docx_context = [_without_tags(x)  # type: ignore[attr-defined]
                                for x in src_xml.splitlines()[line:line + 7]]
        raise
    except BaseException:
        writer.spool.close()
        raise


def _without_tags(line: str) -> str:
    """docxtpl's ``re.sub(r"<[^>]+>", "", line)``, in one pass (that pattern rescans the rest of
    the line from every "<" that no ">" follows)."""
    pieces: list[str] = []
    done = 0
    while (opened := line.find("<", done)) >= 0:
        closed = line.find(">", opened + 1)
        if closed < 0:
            break  # no later "<" has a ">" after it either
        if closed == opened + 1:  # "<>": not a match, the next attempt is one further
            pieces.append(line[done:closed])
            done = closed
            continue
        pieces.append(line[done:opened])
        done = closed + 1
    pieces.append(line[done:])
    return "".join(pieces)


def _paragraph_start(text: str) -> int:
    """The last position in ``text`` where a paragraph starts (the ``\\n`` docxtpl puts before
    ``<w:p``), 0 when there is none past the beginning."""
    at = len(text)
    while (at := text.rfind("\n<w:p", 0, at)) > 0:
        if text[at + 5:at + 6] in (" ", ">"):
            return at
    return 0


class _BodyWriter:
    """Steps 2-4 of the module docstring for one rendering."""

    def __init__(self, doc: DocxTemplate, body_tag: str, opening: str, declarations: bytes, tail: str,
                 carrier: Any, spool_dir: str | None) -> None:
        self.doc = doc
        self.body_tag = body_tag  # the body's start tag, as the template (and the rendering) has it
        self.opening = opening  # the document up to the body's start tag, as it is parsed
        self.declared = declarations  # what lxml declares on a body child serialized alone
        self.tail = tail  # the document after the body
        self.carrier = carrier  # None, or the body of a copy of the document element (see stream_body)
        try:
            self.spool: IO[bytes] = tempfile.TemporaryFile(dir=spool_dir)
        except OSError:  # a folder we may not write to: the system's temporary folder
            self.spool = tempfile.TemporaryFile()
        self.spooled = 0
        self.pending: list[bytes] = []
        self.pending_bytes = 0
        # Not recovering: XML that is not well-formed stops the stream, and docxtpl's recovering
        # parser decides what it becomes (a feed parser keeps no error log to tell it afterwards).
        self.parser = etree.XMLPullParser(events=("start",), tag=_BODY)
        self.body: Any = None
        self.started = False
        self.streamed_children = 0

    # -- steps 2 and 3 -----------------------------------------------------------------------

    def run(self, pieces: Iterable[str]) -> None:
        """Steps 2 and 3: Jinja's output cut into segments at paragraph starts."""
        pieces = iter(pieces)
        blocks: list[str] = []
        size, limit = 0, _SEGMENT_CHARS
        while batch := list(islice(pieces, _PIECES)):
            block = "".join(batch)
            blocks.append(block)
            size += len(block)
            if size < limit:
                continue
            text = "".join(blocks)
            cut = _paragraph_start(text)
            if cut:
                self.segment(text[:cut])
                blocks, size, limit = [text[cut:]], len(text) - cut, _SEGMENT_CHARS
            else:  # one paragraph longer than a segment: wait for its end
                blocks, limit = [text], 2 * size
        self.segment("".join(blocks))
        self.feed(self.tail)

    def segment(self, text: str) -> None:
        """docxtpl's text passes (render_xml_part after the render) on one segment, then parsed."""
        text = text.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in text or "_}" in text:
            text = text.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        text = self.doc.resolve_listing(text)
        if not self.started:
            if not text.startswith(self.body_tag):
                raise _NotStreamable
            self.feed(self.opening)
            text = text[len(self.body_tag):]
            self.started = True
        self.feed(text)

    def feed(self, text: str) -> None:
        try:
            for at in range(0, len(text), _SEGMENT_CHARS):
                self.parser.feed(text[at:at + _SEGMENT_CHARS])
        except etree.XMLSyntaxError as exc:
            raise _NotStreamable from exc
        for _event, element in self.parser.read_events():
            if self.body is not None:
                raise _NotStreamable  # a second body
            self.body = element
        if self.body is not None:
            self.drain(keep_last=True)

    # -- step 4 ------------------------------------------------------------------------------

    def drain(self, keep_last: bool) -> None:
        """Serialize and free the body's complete children (all of them but the last, which the
        parser may still be adding to, unless the document has been read to its end)."""
        body, carrier = self.body, self.carrier
        while True:
            try:
                child = body[0]
            except IndexError:
                return
            if keep_last and child.getnext() is None:
                return
            tree, tail = self.fixed(child)
            for shape in tree.iter(_DOC_PR):  # docxtpl's fix_docpr_ids, in document order
                self.doc.docx_ids_index += 1
                shape.attrib["id"] = str(self.doc.docx_ids_index)
            data = self.serialized(tree, tail, settled=carrier is None)
            moved = data is None
            if moved:
                # Namespaces declared inside it: docxtpl moves its body into the document, and lxml
                # then drops every declaration of a namespace an ancestor already declares. Moved
                # likewise (with its tail), into a copy of the document element.
                carrier.append(tree)
                data = self.serialized(tree, tail, settled=True)
            in_body = not moved or tree is not child
            del tree, child  # no proxy left: what is deleted below is freed
            if moved:
                del carrier[0]
            if in_body:
                del body[0]  # with its tail
            self.write(data or b"")
            self.streamed_children += 1

    def fixed(self, child: Any) -> tuple[Any, bytes]:
        """``child``, or docxtpl's fix_tables of it (a tree of its own, and the child's tail as
        serialized) when one of its tables needs it: fix_tables fixes each table from its rows."""
        if isinstance(child.tag, str) and any(not tables_consistent(t) for t in child.iter(_TABLE)):
            alone = bytes(etree.tostring(child, encoding="UTF-8", with_tail=False))
            tail = bytes(etree.tostring(child, encoding="UTF-8"))[len(alone):]
            return DocxTemplate.fix_tables(self.doc, alone.decode("utf-8")), tail
        return child, b""

    def serialized(self, tree: Any, tail: bytes, settled: bool) -> bytes | None:
        """``tree`` as lxml writes it inside the document. Unless its namespaces are ``settled``
        (no declaration in the template's body, or moved as docxtpl moves them), None when it
        declares any itself."""
        data = bytes(etree.tostring(tree, encoding="UTF-8")) + tail
        if not isinstance(tree.tag, str):  # a comment or processing instruction
            return data
        try:
            data = self.without_declarations(data)
        except _NotStreamable:
            if settled:
                raise
            return None
        return data if settled or b"xmlns" not in data else None

    def without_declarations(self, data: bytes) -> bytes:
        """A child serialized alone, as it is serialized inside its document: lxml writes the
        child's own declarations, then declares every namespace of its ancestors (those of the
        body, then the document element's) whose prefix the child does not declare itself, then
        the attributes. Its own are never one of those (they would have been dropped as
        redundant, see stream_body), so the copies are ``declared`` whole, or the child redeclares
        a prefix and is not streamed."""
        name_end = len(data)
        for stop in (b" ", b">", b"/"):
            at = data.find(stop, 1)
            if 0 <= at < name_end:
                name_end = at
        if data.startswith(self.declared, name_end):
            return data[:name_end] + data[name_end + len(self.declared):]
        at = data.find(self.declared, name_end, data.find(b">", name_end))
        if at < 0 or _DECLARATIONS.fullmatch(data, name_end, at) is None:
            raise _NotStreamable
        return data[:at] + data[at + len(self.declared):]

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.pending_bytes += len(data)
        if self.pending_bytes >= _SPOOL_BYTES:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.pending)
        self.spool.write(data)
        self.spooled += len(data)
        self.pending.clear()
        self.pending_bytes = 0

    def finish(self) -> StreamedBody:
        try:
            root = self.parser.close()
        except etree.XMLSyntaxError as exc:
            raise _NotStreamable from exc
        if self.body is None or self.body.getparent() is not root:
            raise _NotStreamable
        if len(root) != len(self.doc.docx._element):
            raise _NotStreamable  # the rendered body ended early: the template's tail moved into it
        self.drain(keep_last=False)
        self.flush()
        if not self.streamed_children and not self.body.text:
            document = bytes(etree.tostring(root, encoding="UTF-8", standalone=True))
            return StreamedBody(document, self.spool, 0, b"")  # <w:body/>, as lxml writes it
        self.body.text = (self.body.text or "") + _MARKER
        document = bytes(etree.tostring(root, encoding="UTF-8", standalone=True))
        marker = _MARKER.encode("utf-8")
        at = document.rfind(marker)
        return StreamedBody(document[:at], self.spool, self.spooled, document[at + len(marker):])


def _declarations(opening: str, tail: str) -> bytes:
    """The namespace declarations lxml writes on a body child serialized alone: those of the body
    and of the document element (``opening``: the document up to the body's start tag)."""
    try:
        probe = etree.fromstring(opening + "<w:p/></w:body>" + tail)
    except etree.XMLSyntaxError as exc:
        raise _NotStreamable from exc
    child = probe.find(f"{_BODY}/{_W}p")
    if child is None:
        raise _NotStreamable
    data = bytes(etree.tostring(child, encoding="UTF-8"))
    if not data.startswith(b"<w:p") or not data.endswith(b"/>"):
        raise _NotStreamable
    return data[len(b"<w:p"):-len(b"/>")]


# -- saving ----------------------------------------------------------------------------------------

_ROW, _CELL, _SPAN = f"{_W}tr", f"{_W}tc", f"{_W}tcPr/{_W}gridSpan"


def tables_consistent(table: Any) -> bool:
    """True when docxtpl's fix_tables would not change ``table``: it widens the grid when a row
    has more cells than the grid has columns, and narrows it when no row spans them all. Rows are
    counted as docxtpl counts them: every row under the table, nested tables' rows included; a
    cell counts as its w:gridSpan, else 1."""
    grid = table.find(f"{_W}tblGrid")
    if grid is None:
        return False  # fix_tables fails on it: docxtpl's path says how
    columns = len(grid.findall(f"{_W}gridCol"))
    spanning = False
    for row in table.iter(_ROW):
        cells = row.findall(_CELL)
        if len(cells) > columns:
            return False
        if not spanning:
            width = 0
            for cell in cells:
                span = cell.find(_SPAN)
                if span is None:
                    width += 1
                    continue
                value = span.get(f"{_W}val")
                if value is None or not value.isdigit():
                    return False  # not a count docxtpl reads: its path says what becomes of it
                width += int(value)
            spanning = width >= columns
    return spanning


def write_package(package: OpcPackage, target: Any, streamed: Mapping[Part, StreamedBody]) -> None:
    """python-docx's ``OpcPackage.save`` (``PackageWriter.write``: same members, same order, same
    zip settings), with the parts in ``streamed`` written from their stream."""
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        archive.writestr(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            body = streamed.get(part)
            if body is None:
                archive.writestr(part.partname.membername, part.blob)
            else:
                # As ZipFile.writestr makes it, only fed in pieces.
                info = zipfile.ZipInfo(part.partname.membername, date_time=time.localtime(time.time())[:6])
                info.compress_type = archive.compression
                info.external_attr = 0o600 << 16
                info.file_size = body.size  # decides ZIP64 before writing, as writestr does
                with archive.open(info, "w") as member:
                    body.write_to(member)
            if len(part.rels):
                archive.writestr(part.partname.rels_uri.membername, part.rels.xml)
