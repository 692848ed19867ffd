"""The annotated copy written by patching the xlsx package, not by an openpyxl round trip.

An openpyxl load and save of the user's workbook turns every cell into an object and writes every
part anew: ~0.25 s (plus ~0.1 s importing openpyxl) for the example, most of a ``check``. Here the
copy is the source zip with only the parts that change rewritten, every other member copied as its
compressed bytes:

- ``styles.xml``: three fills, a bold and a link font, one new ``<xf>`` per (cell style, fill)
  actually used, and the 校验结果 sheet's few styles;
- the sheets holding findings: the marked cells' ``s`` (cells and rows created where the workbook
  has none, in order), a comments part and its VML drawing (new, or the sheet's own extended);
- a new first sheet 校验结果 (inline strings, internal hyperlinks, frozen header), ``workbook.xml``
  (the sheet first and active, sheet-local defined names renumbered), its relationships and the
  content types; ``tabSelected`` taken off every other sheet; ``calcChain.xml`` dropped (as openpyxl
  does: Excel rebuilds it).

Anything unexpected -- strict OOXML, prefixed elements, rows or cells without ``r``, a legacy
drawing without comments, threaded comments, zip64 ... -- raises :class:`Unsupported` and the caller
writes the copy with openpyxl instead. Every XML part written is checked well-formed first.

Regular expressions work on single tags (``[^<>]*``), never across elements, so each is linear.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

from generator.read.a1 import cell_ref, column_index, column_letter, split_ref

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_OFFICE_DOCUMENT = REL_NS + "/officeDocument"
RT_WORKSHEET = REL_NS + "/worksheet"
RT_STYLES = REL_NS + "/styles"
RT_COMMENTS = REL_NS + "/comments"
RT_VML = REL_NS + "/vmlDrawing"
RT_HYPERLINK = REL_NS + "/hyperlink"
RT_CALC_CHAIN = REL_NS + "/calcChain"
RT_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
AUTHOR = "budget-report"
MAX_ROW, MAX_COL = 1_048_576, 16_384
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Comment boxes: 360 × 160 px, as the openpyxl copy made them (270 × 120 pt)
NOTE_STYLE = ("position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:270pt;height:120pt;"
              "z-index:{z};visibility:hidden")


class Unsupported(Exception):
    """A package this patcher does not take apart safely: the caller writes the copy with openpyxl."""


@dataclass(frozen=True)
class CellNote:
    """One marked cell: its fill (RRGGBB) and comment."""

    sheet: str
    row: int  # 1-based
    col: int  # 1-based
    fill: str
    text: str


@dataclass(frozen=True)
class ResultRow:
    values: tuple[str | int, ...]
    fill: str | None  # the severity column's fill (RRGGBB)
    link: tuple[str, int, int] | None  # (sheet, row, col): the link column points there if the sheet exists


@dataclass(frozen=True)
class ResultsSheet:
    name: str
    headers: tuple[str, ...]
    widths: tuple[float, ...]
    rows: tuple[ResultRow, ...]
    fill_column: int  # 0-based
    link_column: int  # 0-based


# ---- small XML helpers ------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")  # text Excel would read as an _xHHHH_ escape


def _text(value: str) -> str:
    """Element text: escaped, characters XML cannot hold written as Excel's _xHHHH_."""
    value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    value = _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    value = _ILLEGAL_XML.sub("", value)
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def _parse_ref(ref: str) -> tuple[int, int]:
    """(row, column) of an upper-case, unanchored reference such as the package writes."""
    try:
        letters, row = split_ref(ref)
        if letters + str(row) != ref:  # "$A$1" or "a1": not how a cell's r attribute is written
            raise ValueError(ref)
        return row, column_index(letters)
    except ValueError:
        raise Unsupported(f"cell reference {ref!r}") from None


def _decode(data: bytes, what: str) -> str:
    """A part as text: UTF-8 only, no DTD (the reader refuses those; this is a second guard)."""
    head = data[:200]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        raise Unsupported(f"{what}: not UTF-8")
    m = re.match(rb'(?:\xef\xbb\xbf)?<\?xml[^<>]*?encoding=["\']([A-Za-z0-9_.-]+)["\']', head)
    if m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise Unsupported(f"{what}: encoding {m.group(1)!r}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unsupported(f"{what}: not UTF-8") from exc
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise Unsupported(f"{what}: DTD")
    return text


def _well_formed(data: bytes, what: str) -> None:
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise Unsupported(f"{what} would not be well-formed: {exc}") from exc


def _parse(text: str, what: str) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise Unsupported(f"{what}: {exc}") from exc


_START_TAG = re.compile("<([A-Za-z_][A-Za-z0-9_.:-]*)(?=[\\s/>])[^<>]*>")


def _root_tag(text: str, name: str, what: str) -> re.Match[str]:
    """The root's start tag, which must be ``<name`` (unprefixed)."""
    m = _START_TAG.search(text, _prolog_end(text))
    if not m or m.group(1) != name:
        raise Unsupported(f"{what}: root element {m.group(1) if m else None!r}")
    return m


def _prolog_end(text: str) -> int:
    """Where the root element starts (declaration, processing instructions and comments skipped)."""
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            return len(text)
        if text.startswith("<?", lt):
            end = text.find("?>", lt)
            pos = end + 2
        elif text.startswith("<!--", lt):
            end = text.find("-->", lt)
            pos = end + 3
        else:
            return lt
        if end < 0:
            return len(text)


def _declares(tag: str, uri: str) -> str | None:
    """The prefix ``tag`` binds to ``uri`` ("" for the default namespace), or None."""
    for m in re.finditer('\\sxmlns(?::([A-Za-z_][A-Za-z0-9_.-]*))?=["\']([^"\'<>]*)["\']', tag):
        if m.group(2) == uri:
            return m.group(1) or ""
    return None


_ATTRS: dict[str, re.Pattern[str]] = {}


def _attr_pattern(name: str) -> re.Pattern[str]:
    pattern = _ATTRS.get(name)
    if pattern is None:
        pattern = _ATTRS[name] = re.compile(f'\\s{re.escape(name)}=(?:"([^"<>]*)"|\'([^\'<>]*)\')')
    return pattern


def _set_attr(tag: str, name: str, value: str | None) -> str:
    """``tag`` (a start tag) with attribute ``name`` set to ``value`` (or removed when None)."""
    tag = _attr_pattern(name).sub("", tag)
    if value is None:
        return tag
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end]} {name}="{value}"{tag[end:]}'


def _get_attr(tag: str, name: str) -> str | None:
    m = _attr_pattern(name).search(tag)
    if not m:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


def _element_end(text: str, start: int, name: str) -> int:
    """End (exclusive) of the element whose start tag begins at ``start`` (no nesting of itself)."""
    gt = text.find(">", start)
    if gt < 0:
        raise Unsupported(f"unterminated <{name}>")
    if text[gt - 1] == "/":
        return gt + 1
    close = text.find(f"</{name}>", gt)
    if close < 0:
        raise Unsupported(f"unterminated <{name}>")
    return close + len(name) + 3


def _children(text: str, start: int, end: int, name: str) -> list[tuple[int, int]]:
    """Extents of the ``<name>`` elements in ``text[start:end]`` (elements that never nest)."""
    out: list[tuple[int, int]] = []
    pattern = re.compile(f"<{name}[\\s/>]")
    pos = start
    while True:
        m = pattern.search(text, pos, end)
        if not m:
            return out
        stop = _element_end(text, m.start(), name)
        if stop > end:
            raise Unsupported(f"<{name}> runs past its parent")
        out.append((m.start(), stop))
        pos = stop


def _container(text: str, name: str) -> tuple[int, int, int, int] | None:
    """(start, open tag end, close start, end) of the single ``<name>`` element, or None.

    A self-closing ``<name/>`` has open tag end == close start == end.
    """
    m = re.search(f"<{name}(?=[\\s/>])[^<>]*>", text)
    if not m:
        return None
    if m.group().endswith("/>"):
        return m.start(), m.end(), m.end(), m.end()
    close = text.find(f"</{name}>", m.end())
    if close < 0:
        raise Unsupported(f"unterminated <{name}>")
    return m.start(), m.end(), close, close + len(name) + 3


def _apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) applied; edits must not overlap."""
    out = []
    pos = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            raise Unsupported("overlapping edits")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


# ---- the package --------------------------------------------------------------------------------

@dataclass
class _Rel:
    rid: str
    type: str
    target: str  # part name, resolved (no leading slash)
    external: bool


class _Package:
    """The source zip: parts by name (case-insensitive, as OPC says), read on demand."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.infos = self.zip.infolist()
        self.names: dict[str, zipfile.ZipInfo] = {}
        for info in self.infos:
            key = info.filename.lower()
            if key in self.names:
                raise Unsupported(f"duplicate member {info.filename}")
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unsupported(f"member {info.filename}: encrypted or unusual compression")
            self.names[key] = info

    def close(self) -> None:
        self.zip.close()

    def has(self, part: str) -> bool:
        return part.lower() in self.names

    def info(self, part: str) -> zipfile.ZipInfo:
        try:
            return self.names[part.lower()]
        except KeyError:
            raise Unsupported(f"missing part {part}") from None

    def read(self, part: str) -> bytes:
        return self.zip.read(self.info(part))

    def text(self, part: str) -> str:
        return _decode(self.read(part), part)

    def head(self, part: str, until: Sequence[str], limit: int = 1 << 20) -> str:
        """The start of a part, read until one of ``until`` appears (or ``limit`` bytes)."""
        data = bytearray()
        markers = [u.encode() for u in until]
        overlap = max(map(len, markers), default=1) - 1  # a marker split across two chunks
        with self.zip.open(self.info(part)) as stream:
            while len(data) < limit:
                chunk = stream.read(1 << 14)
                start = max(len(data) - overlap, 0)
                data += chunk
                # only the new bytes are searched: the whole buffer each time was quadratic
                if not chunk or any(data.find(m, start) >= 0 for m in markers):
                    break
        return data.decode("utf-8", errors="replace")

    def rels(self, part: str) -> list[_Rel]:
        """The relationships of ``part`` ("" for the package), targets resolved to part names."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
        if not self.has(rels_part):
            return []
        root = _parse(self.text(rels_part), rels_part)
        if root.tag != f"{{{PKG_REL_NS}}}Relationships":
            raise Unsupported(f"{rels_part}: root {root.tag}")
        out = []
        for el in root:
            if el.tag != f"{{{PKG_REL_NS}}}Relationship":
                continue
            external = el.get("TargetMode") == "External"
            target = el.get("Target", "")
            if not external:
                target = _resolve(folder, target)
            out.append(_Rel(el.get("Id", ""), el.get("Type", ""), target, external))
        return out


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")


def _relative(from_part: str, to_part: str) -> str:
    return posixpath.relpath(to_part, posixpath.dirname(from_part) or ".")


def _new_rid(taken: Iterable[str]) -> str:
    ids = set(taken)
    n = len(ids) + 1
    while f"rId{n}" in ids:
        n += 1
    return f"rId{n}"


def _rels_xml(rels: Iterable[tuple[str, str, str]]) -> str:
    items = "".join(f'<Relationship Id="{rid}" Type="{t}" Target="{_attr(target)}"/>' for rid, t, target in rels)
    return f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{items}</Relationships>'


def _rels_add(text: str, rels: Iterable[tuple[str, str, str]]) -> str:
    _root_tag(text, "Relationships", "relationships")
    close = text.rfind("</Relationships>")
    if close < 0:
        raise Unsupported("relationships: no closing tag")
    items = "".join(f'<Relationship Id="{rid}" Type="{t}" Target="{_attr(target)}"/>' for rid, t, target in rels)
    return text[:close] + items + text[close:]


def _rels_remove(text: str, rids: set[str]) -> str:
    edits = []
    for start, end in _children(text, 0, len(text), "Relationship"):
        if _get_attr(text[start:text.find(">", start) + 1], "Id") in rids:
            edits.append((start, end, ""))
    return _apply(text, edits)


# ---- styles -------------------------------------------------------------------------------------

class _Collection:
    """One list of ``styles.xml`` (fonts, fills, cellXfs): its children, and the ones added."""

    def __init__(self, text: str, container: str, child: str) -> None:
        found = _container(text, container)
        if found is None or found[1] == found[3]:
            raise Unsupported(f"styles: no <{container}>")
        self.start, self.open_end, self.close, self.end = found
        self.container = container
        self.open_tag = text[self.start:self.open_end]
        self.items = [text[a:b] for a, b in _children(text, self.open_end, self.close, child)]
        self.original = len(self.items)
        self.body = text[self.open_end:self.close]

    def add(self, element: str) -> int:
        self.items.append(element)
        return len(self.items) - 1

    def edit(self) -> tuple[int, int, str] | None:
        if len(self.items) == self.original:
            return None
        tag = _set_attr(self.open_tag, "count", str(len(self.items)))
        added = "".join(self.items[self.original:])
        return self.start, self.end, f"{tag}{self.body}{added}</{self.container}>"


class _Styles:
    def __init__(self, text: str) -> None:
        root = _root_tag(text, "styleSheet", "styles")
        if _declares(root.group(), MAIN_NS) != "":
            raise Unsupported("styles: not the transitional namespace")
        self.text = text
        self.fonts = _Collection(text, "fonts", "font")
        self.fills = _Collection(text, "fills", "fill")
        self.xfs = _Collection(text, "cellXfs", "xf")
        borders = _container(text, "borders")
        style_xfs = _container(text, "cellStyleXfs")
        if (len(self.fills.items) < 2 or not self.fonts.items or not self.xfs.items or borders is None
                or not _children(text, borders[1], borders[2], "border")):
            raise Unsupported("styles: too few fonts, fills, borders or cell formats")
        self.xf_id = ' xfId="0"' if style_xfs and _children(text, style_xfs[1], style_xfs[2], "xf") else ""
        self._fills: dict[str, int] = {}
        self._marked: dict[tuple[int, str], int] = {}
        self._fonts: dict[str, int] = {}

    @property
    def cell_formats(self) -> int:
        return self.xfs.original

    def fill(self, rgb: str) -> int:
        if rgb not in self._fills:
            self._fills[rgb] = self.fills.add(
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/>'
                f"</patternFill></fill>")
        return self._fills[rgb]

    def marked(self, xf: int, rgb: str) -> int:
        """The cell format ``xf`` with fill ``rgb``: a copy of the ``<xf>``, only its fill changed."""
        key = (xf, rgb)
        if key not in self._marked:
            element = self.xfs.items[xf]
            tag_end = element.find(">") + 1
            tag = _set_attr(_set_attr(element[:tag_end], "fillId", str(self.fill(rgb))), "applyFill", "1")
            self._marked[key] = self.xfs.add(tag + element[tag_end:])
        return self._marked[key]

    def _font(self, kind: str) -> int:
        """The workbook's default font (font 0) made bold, or a link (blue, underlined)."""
        if kind not in self._fonts:
            base = self.fonts.items[0]
            if base.endswith("/>"):
                base = base[:-2] + "></font>"
            open_end = base.find(">") + 1
            inner = base[open_end:base.rfind("</font>")]
            if kind == "bold":
                inner = "<b/>" + re.sub("<b(?=[\\s/>])[^<>]*>", "", inner)
            else:
                inner = re.sub("<(?:u|color)(?=[\\s/>])[^<>]*/>", "", inner) + '<u/><color rgb="FF0563C1"/>'
            self._fonts[kind] = self.fonts.add(f"{base[:open_end]}{inner}</font>")
        return self._fonts[kind]

    def results(self, fills: Iterable[str]) -> dict[str, int]:
        """Cell formats of the results sheet: header, body, link, and one per severity fill."""
        align = '<alignment vertical="top" wrapText="1"/>'
        common = f'numFmtId="0" borderId="0"{self.xf_id}'
        out = {
            "header": self.xfs.add(f'<xf {common} fontId="{self._font("bold")}" fillId="0" applyFont="1"/>'),
            "body": self.xfs.add(f'<xf {common} fontId="0" fillId="0" applyAlignment="1">{align}</xf>'),
            "link": self.xfs.add(f'<xf {common} fontId="{self._font("link")}" fillId="0" applyFont="1" '
                                 f'applyAlignment="1">{align}</xf>'),
        }
        for rgb in dict.fromkeys(fills):
            out[rgb] = self.xfs.add(f'<xf {common} fontId="0" fillId="{self.fill(rgb)}" applyFill="1" '
                                    f'applyAlignment="1">{align}</xf>')
        return out

    def render(self) -> str:
        edits = [e for e in (self.fonts.edit(), self.fills.edit(), self.xfs.edit()) if e is not None]
        return _apply(self.text, edits)


# ---- worksheets ---------------------------------------------------------------------------------

_ROW_TAG = re.compile("<row(?=[\\s/>])[^<>]*>")
_CELL_TAG = re.compile("<c(?=[\\s/>])[^<>]*>")
_TAB_SELECTED = re.compile("(<sheetView(?=[\\s/>])[^<>]*?)\\stabSelected=[\"'](?:1|true)[\"']")
_TAG = re.compile("<(/?)([A-Za-z_][A-Za-z0-9_.:-]*)(?=[\\s/>])[^<>]*>")
# What follows <legacyDrawing> in CT_Worksheet (an AlternateContent there wraps controls/oleObjects)
_AFTER_LEGACY_DRAWING = {"legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                         "tableParts", "extLst"}


def drop_tab_selected(text: str, stop: int) -> str:
    """``text`` with ``tabSelected`` removed from the sheet views before ``stop``."""
    return _TAB_SELECTED.sub("\\1", text[:stop]) + text[stop:]


@dataclass
class _Marked:
    row: int
    col: int
    fill: str
    text: str
    created: bool = False


@dataclass
class _SheetResult:
    text: str
    kept: list[_Marked] = field(default_factory=list)
    legacy_rid: str | None = None  # the existing <legacyDrawing>'s relationship


def _col_styles(head: str) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    found = _container(head, "cols")
    if found is None:
        return out
    for start, _end in _children(head, found[1], found[2], "col"):
        tag = head[start:head.find(">", start) + 1]
        style = _get_attr(tag, "style")
        lo, hi = _get_attr(tag, "min"), _get_attr(tag, "max")
        if style and lo and hi and style.isdigit() and lo.isdigit() and hi.isdigit():
            out.append((int(lo), int(hi), int(style)))
    return out


def _top_level(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(local name, start, start tag end) of the elements at depth 0 in ``text[start:end]``."""
    out = []
    depth = 0
    for m in _TAG.finditer(text, start, end):
        closing, name, selfclosing = m.group(1), m.group(2), m.group().endswith("/>")
        if closing:
            depth -= 1
            continue
        if depth == 0:
            out.append((name.rpartition(":")[2], m.start(), m.end()))
        if not selfclosing:
            depth += 1
    if depth != 0:
        raise Unsupported("unbalanced worksheet tail")
    return out


def _merged_away(tail: str, notes: list[_Marked]) -> set[tuple[int, int]]:
    """The notes' cells covered by a merged range without being its top-left cell."""
    by_row: dict[int, list[int]] = {}
    for n in notes:
        by_row.setdefault(n.row, []).append(n.col)
    rows = sorted(by_row)
    away: set[tuple[int, int]] = set()
    for m in re.finditer("<mergeCell(?=[\\s/>])[^<>]*>", tail):
        ref = _get_attr(m.group(), "ref") or ""
        first, _, last = ref.partition(":")
        r1, c1 = _parse_ref(first)
        r2, c2 = _parse_ref(last) if last else (r1, c1)
        if r2 - r1 + 1 <= len(rows):
            candidates: Iterable[int] = (r for r in range(r1, r2 + 1) if r in by_row)
        else:
            candidates = (r for r in rows if r1 <= r <= r2)
        for r in candidates:
            for c in by_row[r]:
                if c1 <= c <= c2 and (r, c) != (r1, c1):
                    away.add((r, c))
    return away


def patch_sheet(text: str, notes: Sequence[CellNote], styles: _Styles, legacy: Callable[[str | None], str | None]
                ) -> _SheetResult:
    """The worksheet with the notes' cells filled (created where missing), tabSelected dropped.

    ``legacy(existing_rid)`` is called with the sheet's ``<legacyDrawing>`` relationship id (or
    None) and returns the ``<legacyDrawing>`` element to add (or None).
    """
    if "<!--" in text or "<![CDATA[" in text:
        raise Unsupported("worksheet with XML comments or CDATA")
    root = _root_tag(text, "worksheet", "worksheet")
    if _declares(root.group(), MAIN_NS) != "":
        raise Unsupported("worksheet: not the transitional namespace")
    data = _container(text, "sheetData")
    if data is None:
        raise Unsupported("worksheet without sheetData")
    start, open_end, close, end = data
    if text.count("<sheetData", end) or text.count("</sheetData>", 0, start):
        raise Unsupported("worksheet with two sheetData")
    tail_stop = text.rfind("</worksheet>")
    if tail_stop < end:
        raise Unsupported("worksheet: no closing tag")
    tail = _top_level(text, end, tail_stop)

    wanted = [_Marked(n.row, n.col, n.fill, n.text) for n in notes]
    away = _merged_away(text[end:tail_stop], wanted)
    wanted = [n for n in wanted if (n.row, n.col) not in away]
    by_row: dict[int, dict[int, _Marked]] = {}
    for n in wanted:
        by_row.setdefault(n.row, {})[n.col] = n
    cols = _col_styles(text[:start])

    def base_style(row_tag: str | None, col: int) -> int:
        if row_tag is not None and re.search("\\scustomFormat=[\"'](?:1|true)[\"']", row_tag):
            s = _get_attr(row_tag, "s")
            if s and s.isdigit():
                return int(s)
        for lo, hi, style in cols:
            if lo <= col <= hi:
                return style
        return 0

    def xf(style: int, fill: str) -> int:
        if style >= styles.cell_formats:
            raise Unsupported(f"cell format {style} out of range")
        return styles.marked(style, fill)

    def new_cells(row: int, cols_: Iterable[int], row_tag: str | None) -> str:
        out = []
        for col in cols_:
            note = by_row[row][col]
            note.created = True
            out.append(f'<c r="{cell_ref(row, col)}" s="{xf(base_style(row_tag, col), note.fill)}"/>')
        return "".join(out)

    edits: list[tuple[int, int, str]] = []
    targets = sorted(by_row)
    ti = 0
    previous = 0
    if targets:
        if open_end == end:  # <sheetData/>
            rows = "".join(f'<row r="{r}">{new_cells(r, sorted(by_row[r]), None)}</row>' for r in targets)
            edits.append((start, end, f"<sheetData>{rows}</sheetData>"))
            ti = len(targets)
        for m in _ROW_TAG.finditer(text, open_end, close):
            if ti == len(targets):
                break
            tag = m.group()
            r_attr = _get_attr(tag, "r")
            if r_attr is None or not r_attr.isdigit() or int(r_attr) <= previous:
                raise Unsupported("row without r, or rows out of order")
            r = previous = int(r_attr)
            while ti < len(targets) and targets[ti] < r:
                row = targets[ti]
                edits.append((m.start(), m.start(), f'<row r="{row}">{new_cells(row, sorted(by_row[row]), None)}</row>'))
                ti += 1
            if ti < len(targets) and targets[ti] == r:
                edits.extend(_patch_row(text, m, close, by_row[r], xf, new_cells))
                ti += 1
        for row in targets[ti:]:
            edits.append((close, close, f'<row r="{row}">{new_cells(row, sorted(by_row[row]), None)}</row>'))

    legacy_rid = None
    drawing_at = tail_stop
    for name, t_start, t_end in tail:
        if name == "legacyDrawing":
            legacy_rid = next((v for k, v in re.findall('\\s([A-Za-z_][A-Za-z0-9_.-]*:id)="([^"<>]*)"',
                                                        text[t_start:t_end])), None)
            if legacy_rid is None:
                raise Unsupported("legacyDrawing without a relationship")
    for name, t_start, _ in tail:
        if name in _AFTER_LEGACY_DRAWING or name == "AlternateContent":
            drawing_at = t_start
            break
    element = legacy(legacy_rid) if wanted else None
    if element:
        edits.append((drawing_at, drawing_at, element))

    created = [n for n in wanted if n.created]
    dimension = re.search("<dimension(?=[\\s/>])[^<>]*>", text[:start])
    if created and dimension:
        ref = _get_attr(dimension.group(), "ref") or ""
        first, _, last = ref.partition(":")
        try:
            r1, c1 = _parse_ref(first)
            r2, c2 = _parse_ref(last) if last else (r1, c1)
        except Unsupported:
            r1 = c1 = r2 = c2 = 0
        if r1:
            r1, c1 = min([r1] + [n.row for n in created]), min([c1] + [n.col for n in created])
            r2, c2 = max([r2] + [n.row for n in created]), max([c2] + [n.col for n in created])
            new = _set_attr(dimension.group(), "ref", f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}")
            edits.append((dimension.start(), dimension.end(), new))
    tabs = [(m.start(), m.end(), m.group(1)) for m in _TAB_SELECTED.finditer(text, 0, start)]
    edits.extend(tabs)
    return _SheetResult(_apply(text, edits), wanted, legacy_rid)


def _patch_row(text: str, m: re.Match[str], close: int, wanted: dict[int, _Marked],
               xf: Callable[[int, str], int], new_cells: Callable[[int, Iterable[int], str | None], str]
               ) -> list[tuple[int, int, str]]:
    """Edits for one existing row: the wanted cells restyled, or created in column order."""
    tag = m.group()
    row = int(_get_attr(tag, "r") or 0)
    edits: list[tuple[int, int, str]] = []
    selfclosing = tag.endswith("/>")
    if selfclosing:
        content_end = m.end()
    else:
        content_end = text.find("</row>", m.end(), close)
        if content_end < 0:
            raise Unsupported("unterminated row")
        if "<extLst" in text[m.end():content_end]:
            raise Unsupported("row with extensions")
    pending = sorted(wanted)
    created: list[tuple[int, list[int]]] = []  # (insert position, columns)
    previous = 0
    if not selfclosing:
        for c in _CELL_TAG.finditer(text, m.end(), content_end):
            ref = _get_attr(c.group(), "r")
            if ref is None:
                raise Unsupported("cell without r")
            cell_row, col = _parse_ref(ref)
            if cell_row != row or col <= previous:
                raise Unsupported("cells out of order")
            previous = col
            before = [p for p in pending if p < col]
            if before:
                created.append((c.start(), before))
            pending = [p for p in pending if p >= col]
            if pending and pending[0] == col:
                s = _get_attr(c.group(), "s") or "0"
                if not s.isdigit():
                    raise Unsupported("cell style not a number")
                edits.append((c.start(), c.end(), _set_attr(c.group(), "s", str(xf(int(s), wanted[col].fill)))))
                pending = pending[1:]
            if not pending:
                break
    if pending:
        created.append((content_end, pending))
    if not created:
        return edits
    new_tag = _set_attr(tag, "spans", None)
    if selfclosing:
        cells = "".join(new_cells(row, cols, tag) for _, cols in created)
        return [(m.start(), m.end(), new_tag[:-2].rstrip() + ">" + cells + "</row>")]
    edits.append((m.start(), m.end(), new_tag))
    edits.extend((at, at, new_cells(row, cols, tag)) for at, cols in created)
    return edits


# ---- comments -----------------------------------------------------------------------------------

def _comment(ref: str, author: int, text: str) -> str:
    return (f'<comment ref="{ref}" authorId="{author}"><text><t xml:space="preserve">{_text(text)}</t></text>'
            f"</comment>")


def new_comments(notes: Sequence[_Marked]) -> str:
    items = "".join(_comment(cell_ref(n.row, n.col), 0, n.text) for n in sorted(notes, key=lambda n: (n.row, n.col)))
    return (f'{XML_DECL}<comments xmlns="{MAIN_NS}"><authors><author>{AUTHOR}</author></authors>'
            f"<commentList>{items}</commentList></comments>")


def patch_comments(text: str, notes: Sequence[_Marked]) -> str:
    """An existing comments part with the notes' comments added (or replacing a cell's own)."""
    root = _root_tag(text, "comments", "comments")
    if _declares(root.group(), MAIN_NS) != "" or "<!--" in text or "<![CDATA[" in text:
        raise Unsupported("comments: unexpected form")
    authors = _container(text, "authors")
    listed = _container(text, "commentList")
    if authors is None or listed is None or authors[3] > listed[0]:
        raise Unsupported("comments without authors or commentList")
    names = [text[a:b] for a, b in _children(text, authors[1], authors[2], "author")]
    mine = f"<author>{AUTHOR}</author>"
    edits = []
    if mine in names:
        author = names.index(mine)
    else:
        author = len(names)
        if authors[1] == authors[3]:
            edits.append((authors[0], authors[3], f"<authors>{mine}</authors>"))
        else:
            edits.append((authors[2], authors[2], mine))
    existing: dict[tuple[int, int], str] = {}
    for a, b in _children(text, listed[1], listed[2], "comment"):
        element = text[a:b]
        ref = _get_attr(element[:element.find(">") + 1], "ref") or ""
        existing[_parse_ref(ref)] = element
    for n in notes:
        existing[(n.row, n.col)] = _comment(cell_ref(n.row, n.col), author, n.text)
    items = "".join(existing[k] for k in sorted(existing))
    if listed[1] == listed[3]:
        edits.append((listed[0], listed[3], f"<commentList>{items}</commentList>"))
    else:
        edits.append((listed[1], listed[2], items))
    return _apply(text, edits)


_VML_NS = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
           "x": "urn:schemas-microsoft-com:office:excel"}
_VML_ROW_COLUMN = re.compile("<(?:[A-Za-z0-9_]+:)?Row>\\s*([0-9]+)\\s*</(?:[A-Za-z0-9_]+:)?Row>\\s*"
                             "<(?:[A-Za-z0-9_]+:)?Column>\\s*([0-9]+)\\s*</(?:[A-Za-z0-9_]+:)?Column>")
_VML_NOTE_TYPE = re.compile("<(?:[A-Za-z0-9_]+:)?shapetype(?=[\\s/>])[^<>]*\\sid=[\"']_x0000_t202[\"']")
_SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def _shape(shape_id: int, z: int, row: int, col: int) -> str:
    """A hidden note box beside the cell (0-based row/col in ClientData, as Excel writes it)."""
    r0, c0 = row - 1, col - 1
    top = max(r0 - 1, 0)
    left, right = min(c0 + 1, MAX_COL - 1), min(c0 + 6, MAX_COL - 1)
    anchor = f"{left}, 15, {top}, 10, {right}, 55, {min(top + 8, MAX_ROW - 1)}, 10"
    return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="{NOTE_STYLE.format(z=z)}" '
            f'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            f'<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            f'<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor>'
            f"<x:AutoFill>False</x:AutoFill><x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>")


def new_vml(notes: Sequence[_Marked], block: int) -> str:
    """A VML drawing for new comments; shape ids from ``block`` × 1024 (Excel's idmap blocks)."""
    count = len(notes)
    blocks = ",".join(str(b) for b in range(block, block + vml_blocks_needed(count)))
    shapes = "".join(_shape(block * 1024 + i, i, n.row, n.col) for i, n in enumerate(notes, start=1))
    return (f'<xml xmlns:v="{_VML_NS["v"]}" xmlns:o="{_VML_NS["o"]}" xmlns:x="{_VML_NS["x"]}">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{blocks}"/></o:shapelayout>'
            f"{_SHAPETYPE}{shapes}</xml>")


def vml_blocks_needed(count: int) -> int:
    return count // 1024 + 1


def patch_vml(text: str, notes: Sequence[_Marked]) -> str:
    """An existing VML drawing with a note shape for each note's cell that has none yet.

    The new shapes use the prefixes v, o and x; a root that does not bind them (openpyxl declares
    its namespaces on each element) gets them, one bound to another namespace is refused.
    """
    root = _root_tag(text, "xml", "vml")
    declare = []
    for prefix, uri in _VML_NS.items():
        if _declares(root.group(), uri) != prefix:
            if re.search(f"\\sxmlns:{prefix}=", root.group()):
                raise Unsupported("vml: unexpected namespace prefixes")
            declare.append(f' xmlns:{prefix}="{uri}"')
    close = text.rfind("</xml>")
    if close < 0:
        raise Unsupported("vml: no closing tag")
    shapes = set()
    for r, c in _VML_ROW_COLUMN.findall(text):
        shapes.add((int(r), int(c)))
    ids = [int(i) for i in re.findall("_x0000_s([0-9]{1,9})(?![0-9])", text)]
    next_id = max(ids, default=1024) + 1
    z = len(ids) + 1
    add = []
    if not _VML_NOTE_TYPE.search(text):
        add.append(_SHAPETYPE)
    for n in notes:
        if (n.row - 1, n.col - 1) not in shapes:
            add.append(_shape(next_id, z, n.row, n.col))
            next_id += 1
            z += 1
    at = root.end() - (2 if root.group().endswith("/>") else 1)
    return text[:at] + "".join(declare) + text[at:close] + "".join(add) + text[close:]


def vml_max_block(text: str) -> int:
    m = re.search("<(?:[A-Za-z0-9_]+:)?idmap(?=[\\s/>])[^<>]*>", text)
    data = _get_attr(m.group(), "data") if m else None
    return max((int(b) for b in re.findall("[0-9]{1,6}", data or "")), default=0)


# ---- the results sheet --------------------------------------------------------------------------

def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def results_xml(results: ResultsSheet, xfs: dict[str, int], sheets: set[str]) -> str:
    n_cols = len(results.headers)
    last = column_letter(n_cols)
    rows = []
    links = []

    def cell(ref: str, value: str | int, style: int) -> str:
        if isinstance(value, int):
            return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
        if value == "":
            return f'<c r="{ref}" s="{style}"/>'
        text = _text(value[:MAX_CELL_TEXT])
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'

    header = "".join(cell(cell_ref(1, i + 1), h, xfs["header"]) for i, h in enumerate(results.headers))
    rows.append(f'<row r="1">{header}</row>')
    for i, item in enumerate(results.rows, start=2):
        cells = []
        for j, value in enumerate(item.values):
            ref = cell_ref(i, j + 1)
            style = xfs["body"]
            if j == results.fill_column and item.fill:
                style = xfs[item.fill]
            if j == results.link_column and item.link and item.link[0] in sheets \
                    and 1 <= item.link[1] <= MAX_ROW and 1 <= item.link[2] <= MAX_COL:
                sheet, row, col = item.link
                style = xfs["link"]
                links.append(f'<hyperlink ref="{ref}" location="{_attr(_quote_sheet(sheet))}!{cell_ref(row, col)}" '
                             f'display="{_attr(str(value))}"/>')
            cells.append(cell(ref, value, style))
        rows.append(f'<row r="{i}">{"".join(cells)}</row>')
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                   for i, w in enumerate(results.widths, start=1))
    hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    return (f'{XML_DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'<dimension ref="A1:{last}{len(results.rows) + 1}"/>'
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{"".join(rows)}</sheetData>'
            f'{hyperlinks}<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
            "</worksheet>")


# ---- the workbook -------------------------------------------------------------------------------

@dataclass
class _Sheet:
    name: str
    sheet_id: int
    rid: str
    part: str | None  # None: not an internal part
    type: str


def _patch_workbook(text: str, sheets: list[_Sheet], removed: int | None, name: str, rid: str) -> str:
    root = _root_tag(text, "workbook", "workbook")
    if _declares(root.group(), MAIN_NS) != "":
        raise Unsupported("workbook: not the transitional namespace")
    prefix = _declares(root.group(), REL_NS)
    sheet_id = max((s.sheet_id for s in sheets), default=0) + 1
    if prefix:
        new = f'<sheet name="{_attr(name)}" sheetId="{sheet_id}" {prefix}:id="{rid}"/>'
    else:
        new = f'<sheet xmlns:r="{REL_NS}" name="{_attr(name)}" sheetId="{sheet_id}" r:id="{rid}"/>'
    container = _container(text, "sheets")
    if container is None or container[1] == container[3]:
        raise Unsupported("workbook without sheets")
    elements = _children(text, container[1], container[2], "sheet")
    if len(elements) != len(sheets):
        raise Unsupported("workbook: sheets not as parsed")
    edits = [(container[1], container[1], new)]
    if removed is not None:
        edits.append((elements[removed][0], elements[removed][1], ""))

    def new_index(old: int) -> int | None:
        if removed is None:
            return old + 1
        if old == removed:
            return None
        return old + 1 if old < removed else old

    names = _container(text, "definedNames")
    if names is not None:
        kept = 0
        listed = _children(text, names[1], names[2], "definedName")
        for a, b in listed:
            tag_end = text.find(">", a) + 1
            tag = text[a:tag_end]
            local = _get_attr(tag, "localSheetId")
            if local is None:
                kept += 1
                continue
            if not local.isdigit():
                raise Unsupported("localSheetId not a number")
            index = new_index(int(local))
            if index is None:
                edits.append((a, b, ""))
            else:
                kept += 1
                edits.append((a, tag_end, _set_attr(tag, "localSheetId", str(index))))
        if not kept and listed:
            edits = [e for e in edits if not names[0] <= e[0] < names[3]]
            edits.append((names[0], names[3], ""))  # an empty <definedNames/> is not allowed
    views = _container(text, "bookViews")
    if views is None:
        edits.append((container[0], container[0], "<bookViews><workbookView/></bookViews>"))
    else:
        for m in re.finditer("<workbookView(?=[\\s/>])[^<>]*>", text[:views[3]]):
            if m.start() >= views[0]:
                edits.append((m.start(), m.end(), _set_attr(_set_attr(m.group(), "activeTab", None), "firstSheet", None)))
    return _apply(text, edits)


def _patch_content_types(text: str, add: Sequence[tuple[str, str]], remove: set[str], vml_default: bool) -> str:
    """Overrides added for ``add`` and dropped for ``remove``; a Default for .vml when asked."""
    root = _root_tag(text, "Types", "content types")
    if _declares(root.group(), CT_NS) != "":
        raise Unsupported("content types: unexpected namespace")
    edits = []
    for a, b in _children(text, 0, len(text), "Override"):
        tag = text[a:text.find(">", a) + 1]
        if (_get_attr(tag, "PartName") or "").lstrip("/").lower() in remove:
            edits.append((a, b, ""))
    close = text.rfind("</Types>")
    if close < 0:
        raise Unsupported("content types: no closing tag")
    if vml_default:  # Defaults before Overrides, as Excel writes them
        first = re.search("<Override(?=[\\s/>])", text)
        at = first.start() if first else close
        edits.append((at, at, f'<Default Extension="vml" ContentType="{CT_VML}"/>'))
    items = "".join(f'<Override PartName="/{_attr(part)}" ContentType="{ct}"/>' for part, ct in add)
    edits.append((close, close, items))
    return _apply(text, edits)


# ---- writing the zip ----------------------------------------------------------------------------

def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    if y < 1980:
        y, mo, d, h, mi, s = 1980, 1, 1, 0, 0, 0
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


class _ZipWriter:
    """A plain zip (no zip64, no data descriptors): raw copies of members and new deflated ones."""

    def __init__(self, out: io.BufferedWriter) -> None:
        self.out = out
        self.central: list[bytes] = []
        self.offset = 0

    def _entry(self, name: str, flags: int, method: int, date_time: tuple[int, int, int, int, int, int],
               crc: int, csize: int, usize: int) -> None:
        try:
            raw_name = name.encode("ascii")
        except UnicodeEncodeError:
            raw_name = name.encode("utf-8")
            flags |= 0x800
        flags &= ~0x8
        if max(csize, usize, self.offset) >= 0xFFFFFFFF or len(self.central) >= 0xFFFF:
            raise Unsupported("the copy would need zip64")
        dtime, ddate = _dos_time(date_time)
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, dtime, ddate, crc, csize, usize,
                            len(raw_name), 0)
        self.central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, dtime, ddate, crc,
                                         csize, usize, len(raw_name), 0, 0, 0, 0, 0, self.offset) + raw_name)
        self.out.write(local + raw_name)
        self.offset += len(local) + len(raw_name) + csize

    def copy(self, source: io.BufferedReader, info: zipfile.ZipInfo) -> None:
        source.seek(info.header_offset)
        header = source.read(30)
        if header[:4] != b"PK\x03\x04":
            raise Unsupported(f"member {info.filename}: bad local header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        source.seek(info.header_offset + 30 + name_len + extra_len)
        self._entry(info.filename, info.flag_bits, info.compress_type, info.date_time, info.CRC,
                    info.compress_size, info.file_size)
        left = info.compress_size
        while left:
            chunk = source.read(min(left, 1 << 20))
            if not chunk:
                raise Unsupported(f"member {info.filename}: truncated")
            self.out.write(chunk)
            left -= len(chunk)

    def add(self, name: str, data: bytes, date_time: tuple[int, int, int, int, int, int]) -> None:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        self._entry(name, 0, zipfile.ZIP_DEFLATED, date_time, zlib.crc32(data), len(packed), len(data))
        self.out.write(packed)

    def finish(self) -> None:
        directory = b"".join(self.central)
        self.out.write(directory)
        self.out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(self.central), len(self.central),
                                   len(directory), self.offset, 0))


# ---- putting it together ------------------------------------------------------------------------

def _free_name(pattern: str, taken: set[str]) -> str:
    n = 1
    while pattern.format(n).lower() in taken:
        n += 1
    name = pattern.format(n)
    taken.add(name.lower())
    return name


def write_patched_copy(source: Path, notes: Sequence[CellNote], results: ResultsSheet, out: Path) -> None:
    """Write ``out``: ``source`` with the notes and the results sheet (raises Unsupported)."""
    pkg = _Package(source)
    try:
        parts = _patched_parts(pkg, notes, results)
        with open(source, "rb") as src, open(out, "wb") as dst:
            writer = _ZipWriter(dst)
            stamp = pkg.infos[0].date_time if pkg.infos else (1980, 1, 1, 0, 0, 0)
            for info in pkg.infos:
                key = info.filename.lower()
                if key in parts:
                    data = parts.pop(key)[1]
                    if data is not None:
                        writer.add(info.filename, data, info.date_time)
                else:
                    writer.copy(src, info)
            for name, data in parts.values():
                if data is not None:
                    writer.add(name, data, stamp)
            writer.finish()
    finally:
        pkg.close()


def _patched_parts(pkg: _Package, notes: Sequence[CellNote], results: ResultsSheet
                   ) -> dict[str, tuple[str, bytes | None]]:
    """The parts that change: lower-cased name -> (name, new bytes, or None to drop the part)."""
    out: dict[str, tuple[str, bytes | None]] = {}
    taken = set(pkg.names)

    def put(part: str, text: str | None, check: bool = True) -> None:
        data = None if text is None else text.encode("utf-8")
        if data is not None and check:
            _well_formed(data, part)
        out[part.lower()] = (part, data)
        taken.add(part.lower())

    ct_text = pkg.text("[Content_Types].xml")
    ct_root = _parse(ct_text, "[Content_Types].xml")
    overrides = {(el.get("PartName") or "").lstrip("/").lower() for el in ct_root
                 if el.tag == f"{{{CT_NS}}}Override"}
    taken |= overrides
    vml_default = any(el.tag == f"{{{CT_NS}}}Default" and (el.get("Extension") or "").lower() == "vml"
                      for el in ct_root)

    office = [r for r in pkg.rels("") if r.type == RT_OFFICE_DOCUMENT and not r.external]
    if len(office) != 1:
        raise Unsupported("no (transitional) workbook part")
    wb_part = office[0].target
    wb_text = pkg.text(wb_part)
    wb_root = _parse(wb_text, wb_part)
    if wb_root.tag != f"{{{MAIN_NS}}}workbook":
        raise Unsupported(f"workbook root {wb_root.tag}")
    wb_rels = pkg.rels(wb_part)
    by_rid = {r.rid: r for r in wb_rels}
    sheets_el = wb_root.find(f"{{{MAIN_NS}}}sheets")
    sheets: list[_Sheet] = []
    for el in sheets_el if sheets_el is not None else []:
        rid = el.get(f"{{{REL_NS}}}id", "")
        rel = by_rid.get(rid)
        if rel is None or not (el.get("sheetId") or "").isdigit():
            raise Unsupported("sheet without a relationship or id")
        sheets.append(_Sheet(el.get("name", ""), int(el.get("sheetId") or 0), rid,
                             None if rel.external else rel.target, rel.type))
    if not sheets:
        raise Unsupported("no sheets")

    removed_parts: set[str] = set()
    removed_rids: set[str] = set()
    removed = next((i for i, s in enumerate(sheets) if s.name == results.name), None)
    if removed is not None:
        old = sheets[removed]
        if old.type != RT_WORKSHEET or old.part is None:
            raise Unsupported("the existing results sheet is not a worksheet")
        if any(r.type != RT_HYPERLINK for r in pkg.rels(old.part)):
            raise Unsupported("the existing results sheet has drawings or other parts")
        removed_rids.add(old.rid)
        for part in (old.part, _rels_part(old.part)):
            if pkg.has(part):
                removed_parts.add(part.lower())
                put(pkg.info(part).filename, None)
    for rel in wb_rels:
        if rel.type == RT_CALC_CHAIN and not rel.external:
            removed_rids.add(rel.rid)
            if pkg.has(rel.target):
                removed_parts.add(rel.target.lower())
                put(pkg.info(rel.target).filename, None)

    styles_rel = [r for r in wb_rels if r.type == RT_STYLES and not r.external]
    if len(styles_rel) != 1:
        raise Unsupported("no styles part")
    styles_part = styles_rel[0].target
    styles = _Styles(pkg.text(styles_part))

    kept_sheets = [s for i, s in enumerate(sheets) if i != removed]
    worksheets = {s.name: s for s in kept_sheets if s.type == RT_WORKSHEET and s.part is not None}
    by_sheet: dict[str, list[CellNote]] = {}
    for n in notes:
        if n.sheet in worksheets and 1 <= n.row <= MAX_ROW and 1 <= n.col <= MAX_COL:
            by_sheet.setdefault(n.sheet, []).append(n)

    content_types: list[tuple[str, str]] = []
    need_vml_default = False
    vml_block = -1  # the last idmap block taken by a VML drawing; read when a drawing is added

    def next_block(count: int) -> int:
        nonlocal vml_block
        if vml_block < 0:
            vml_block = max((vml_max_block(pkg.head(info.filename, ["shapelayout>"], 1 << 16))
                             for key, info in pkg.names.items() if key.endswith(".vml")), default=0)
        block = vml_block + 1
        vml_block += vml_blocks_needed(count)
        return block

    for name, sheet_notes in by_sheet.items():
        sheet = worksheets[name]
        assert sheet.part is not None
        part = pkg.info(sheet.part).filename
        rels = pkg.rels(part)
        if any(r.type == RT_THREADED for r in rels):
            raise Unsupported(f"{name}: threaded comments")
        comments = [r for r in rels if r.type == RT_COMMENTS]
        vmls = [r for r in rels if r.type == RT_VML]
        if len(comments) > 1 or len(vmls) > 1 or any(r.external for r in comments + vmls):
            raise Unsupported(f"{name}: unusual comments")
        sheet_text = pkg.text(part)
        root_prefix = _declares(_root_tag(sheet_text, "worksheet", part).group(), REL_NS)
        new_links: list[tuple[str, str, str]] = []

        def legacy(existing: str | None, rels: list[_Rel] = rels, comments: list[_Rel] = comments,
                   vmls: list[_Rel] = vmls, part: str = part, root_prefix: str | None = root_prefix,
                   new_links: list[tuple[str, str, str]] = new_links) -> str | None:
            if existing is not None:
                if not vmls or vmls[0].rid != existing or not comments:
                    raise Unsupported("a legacy drawing that is not the comments'")
                return None
            if comments or vmls:
                raise Unsupported("comments without their drawing")
            taken_ids = [r.rid for r in rels]
            vml_rid = _new_rid(taken_ids)
            comments_rid = _new_rid([*taken_ids, vml_rid])
            new_links.append((vml_rid, RT_VML, ""))
            new_links.append((comments_rid, RT_COMMENTS, ""))
            if root_prefix:
                return f'<legacyDrawing {root_prefix}:id="{vml_rid}"/>'
            return f'<legacyDrawing xmlns:r="{REL_NS}" r:id="{vml_rid}"/>'

        patched = patch_sheet(sheet_text, sheet_notes, styles, legacy)
        put(part, patched.text)
        if not patched.kept:
            continue
        if new_links:
            folder = posixpath.dirname(posixpath.dirname(part)) or "xl"
            comments_part = _free_name(posixpath.join(folder, "comments{}.xml"), taken)
            vml_part = _free_name(posixpath.join(folder, "drawings", "vmlDrawing{}.vml"), taken)
            put(comments_part, new_comments(patched.kept))
            put(vml_part, new_vml(patched.kept, next_block(len(patched.kept))))
            content_types.append((comments_part, CT_COMMENTS))
            need_vml_default = not vml_default
            links = [(new_links[0][0], RT_VML, _relative(part, vml_part)),
                     (new_links[1][0], RT_COMMENTS, _relative(part, comments_part))]
            rels_part = _rels_part(part)
            if pkg.has(rels_part):
                put(pkg.info(rels_part).filename, _rels_add(pkg.text(rels_part), links))
            else:
                put(rels_part, _rels_xml(links))
        else:
            comments_part = pkg.info(comments[0].target).filename
            vml_part = pkg.info(vmls[0].target).filename
            put(comments_part, patch_comments(pkg.text(comments_part), patched.kept))
            put(vml_part, patch_vml(pkg.text(vml_part), patched.kept), check=False)

    for sheet in kept_sheets:  # only the results sheet is selected
        if sheet.part is None or sheet.name in by_sheet or not pkg.has(sheet.part):
            continue
        head = pkg.head(sheet.part, ["<sheetData", "</sheetViews>", "<sheetViews/>"])
        if _TAB_SELECTED.search(head):
            text = pkg.text(sheet.part)
            stop = text.find("<sheetData")
            put(pkg.info(sheet.part).filename, drop_tab_selected(text, stop if stop >= 0 else len(text)))

    new_rid = _new_rid(r.rid for r in wb_rels)
    results_part = _free_name(posixpath.join(posixpath.dirname(wb_part), "worksheets", "sheet{}.xml"), taken)
    xfs = styles.results(r.fill for r in results.rows if r.fill)
    linkable = {s.name for s in kept_sheets}
    put(results_part, results_xml(results, xfs, linkable))
    put(styles_part, styles.render())
    put(wb_part, _patch_workbook(wb_text, sheets, removed, results.name, new_rid))
    wb_rels_part = _rels_part(wb_part)
    rels_text = _rels_remove(pkg.text(wb_rels_part), removed_rids)
    put(wb_rels_part, _rels_add(rels_text, [(new_rid, RT_WORKSHEET, _relative(wb_part, results_part))]))
    content_types.insert(0, (results_part, CT_WORKSHEET))
    put("[Content_Types].xml", _patch_content_types(ct_text, content_types, removed_parts, need_vml_default))
    return out
