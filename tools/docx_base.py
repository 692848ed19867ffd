"""The official-document base for Word templates (GB/T 9704-2012 layout), built with python-docx.

Every generated template starts from :func:`new_document`, which fixes what python-docx's
built-in default template gets wrong for Chinese documents:

* its styles name Latin theme fonts and route East Asian text to a Japanese font (MS Mincho), and
  a theme attribute (``w:eastAsiaTheme``) overrides an explicit font name, so every style is reset
  and given explicit fonts in all four slots (``ascii``, ``hAnsi``, ``eastAsia``, ``cs``);
* its headings are blue, bold and spaced for English reports;
* its page is US Letter.

What a page looks like (DOMAIN.md §5): A4; margins 3.7 / 3.5 / 2.8 / 2.6 cm; body 3号 (16 pt)
仿宋_GB2312 with a two-character first-line indent and an exact ~28.9 pt line pitch; title 2号
方正小标宋简体 centred; headings "一、" 黑体, "（一）" 楷体_GB2312, "1." 仿宋 bold; page number
"— 1 —" in 4号 宋体, odd pages right and even pages left; tables 宋体 五号 (10.5 pt) with
borders, header rows repeated on every page and rows that never split across pages.

The fonts are usually not installed where the templates are built: they are only *named*, and
Word/WPS on the users' machines use them.

The helpers are deliberately small and generic so the self-evaluation report reuses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

# ---- fonts and sizes (Chinese type sizes: 2号 22 pt, 3号 16 pt, 4号 14 pt, 五号 10.5 pt) ----------
FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_TABLE = "宋体"
FONT_PAGE_NUMBER = "宋体"

SIZE_TITLE = Pt(22)
SIZE_BODY = Pt(16)
SIZE_PAGE_NUMBER = Pt(14)
SIZE_TABLE = Pt(10.5)
SIZE_TABLE_TITLE = Pt(14)

LINE_PITCH = Pt(28.9)  # 22 lines on the A4 type area of 22.5 cm
TWO_CHARS = 200  # w:firstLineChars is in hundredths of a character

# ---- page ----------------------------------------------------------------------------------------
PAGE_WIDTH = Cm(21)
PAGE_HEIGHT = Cm(29.7)
MARGIN_TOP = Cm(3.7)
MARGIN_BOTTOM = Cm(3.5)
MARGIN_LEFT = Cm(2.8)
MARGIN_RIGHT = Cm(2.6)
TEXT_WIDTH_CM = 21 - 2.8 - 2.6  # 15.6 cm
LANDSCAPE_TEXT_WIDTH_CM = 29.7 - 3.7 - 3.5  # 22.5 cm (margins turn with the page)

# Style names. The built-in heading names are kept so Word's navigation pane and WPS's outline
# still recognise the headings; the table and plain-text styles are ours.
STYLE_BODY = "Normal"
STYLE_TITLE = "Title"
STYLE_H1 = "Heading 1"
STYLE_H2 = "Heading 2"
STYLE_H3 = "Heading 3"
STYLE_SUBTITLE = "公文副标题"  # centred body-size line under the title / table titles
STYLE_PLAIN = "公文无缩进"  # body font without the first-line indent (units lines, lists)
STYLE_TABLE_CENTER = "表格居中"
STYLE_TABLE_LEFT = "表格左对齐"
STYLE_TABLE_SMALL = "表格小字"  # wide tables (政府采购: 13 columns on a portrait page)
STYLE_TABLE_TITLE = "表格标题"
STYLE_TINY = "表格间隔"
STYLE_TABLE_NOTE = "表格说明"  # "306001 某局本级" / "单位：万元" lines above a table

Align = Literal["center", "left", "right", "justify"]
_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# =================================================================================================
# Fonts
# =================================================================================================

def set_fonts(element_with_rpr: Any, east_asia: str, latin: str | None = None) -> None:
    """Name ``east_asia`` in every font slot of an rPr owner (style, run or docDefaults rPr).

    ``latin`` overrides the ascii/hAnsi slots. Theme attributes are removed because Word gives
    ``w:eastAsiaTheme`` precedence over ``w:eastAsia``.
    """
    rpr = _get_or_add_rpr(element_with_rpr)
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    latin_name = latin or east_asia
    rfonts.set(qn("w:ascii"), latin_name)
    rfonts.set(qn("w:hAnsi"), latin_name)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin_name)
    rfonts.set(qn("w:hint"), "eastAsia")


def _get_or_add_rpr(owner: Any) -> Any:
    """The ``w:rPr`` of a style, a run or a bare rPr element."""
    element = getattr(owner, "element", None)
    if element is None:
        element = getattr(owner, "_r", None)
    if element is None:
        element = owner
    if getattr(element, "tag", None) == qn("w:rPr"):
        return element
    return element.get_or_add_rPr()


def _set_lang(rpr: object) -> None:
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


# =================================================================================================
# Document and styles
# =================================================================================================

def new_document() -> DocumentObject:
    """A blank A4 document whose styles, page and footer follow the official layout."""
    doc = Document()
    _fix_doc_defaults(doc)
    _setup_styles(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(2.8)  # puts the page number 7 mm below the type area
    _add_page_number_footers(doc)
    # python-docx's template starts with one empty paragraph: remove it so the body is ours.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def _fix_doc_defaults(doc: DocumentObject) -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is not None:
        set_fonts(rpr_default, FONT_BODY)
        _set_lang(rpr_default)


def _reset_style(style: BaseStyle) -> None:
    """Drop a built-in style's run/paragraph properties (theme fonts, colours, borders)."""
    el = style.element
    for tag in ("w:rPr", "w:pPr"):
        for child in el.findall(qn(tag)):
            el.remove(child)


def _paragraph_style(doc: DocumentObject, name: str) -> ParagraphStyle:
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[STYLE_BODY]
        style.quick_style = True
    assert isinstance(style, ParagraphStyle)
    return style


def _configure(style: ParagraphStyle, *, font: str, size: Pt, bold: bool = False,
               align: Align = "justify", indent_chars: int = TWO_CHARS,
               exact: Pt | None = LINE_PITCH, keep_next: bool = False,
               outline_level: int | None = None) -> None:
    _reset_style(style)
    set_fonts(style, font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), str(int(size.pt * 2)))
    rpr.append(size_cs)
    _set_lang(rpr)
    pf = style.paragraph_format
    pf.alignment = _ALIGN[align]
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if exact is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = exact
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = keep_next
    pf.widow_control = True
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    # firstLineChars scales with the font size in Word and WPS; firstLine is the fallback
    # (in twips) for readers that ignore the *Chars attributes (LibreOffice).
    ind.set(qn("w:firstLineChars"), str(indent_chars))
    ind.set(qn("w:firstLine"), str(int(size.pt * 20 * indent_chars / 100)))
    if outline_level is not None:
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline_level))
        ppr.append(lvl)
    _sort_ppr(ppr)


# Schema order of pPr children: Word rejects a file whose elements are out of order.
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)


def _sort_ppr(ppr: object) -> None:
    children = list(ppr)  # type: ignore[call-overload]
    rank = {qn("w:" + name): i for i, name in enumerate(_PPR_ORDER)}
    children.sort(key=lambda c: rank.get(c.tag, len(rank)))
    for child in children:
        ppr.remove(child)  # type: ignore[attr-defined]
        ppr.append(child)  # type: ignore[attr-defined]


def _setup_styles(doc: DocumentObject) -> None:
    normal = doc.styles[STYLE_BODY]
    assert isinstance(normal, ParagraphStyle)
    _configure(normal, font=FONT_BODY, size=SIZE_BODY)

    title = _paragraph_style(doc, STYLE_TITLE)
    _configure(title, font=FONT_TITLE, size=SIZE_TITLE, align="center", indent_chars=0,
               exact=Pt(35), keep_next=True, outline_level=None)
    title.paragraph_format.space_after = Pt(28.9)

    subtitle = _paragraph_style(doc, STYLE_SUBTITLE)
    _configure(subtitle, font=FONT_BODY, size=SIZE_BODY, align="center", indent_chars=0,
               keep_next=True)

    for name, font, bold, level in ((STYLE_H1, FONT_H1, False, 0), (STYLE_H2, FONT_H2, False, 1),
                                    (STYLE_H3, FONT_BODY, True, 2)):
        heading = _paragraph_style(doc, name)
        _configure(heading, font=font, size=SIZE_BODY, bold=bold, keep_next=True,
                   outline_level=level)
        heading.base_style = normal

    plain = _paragraph_style(doc, STYLE_PLAIN)
    _configure(plain, font=FONT_BODY, size=SIZE_BODY, indent_chars=0, align="left")

    table_title = _paragraph_style(doc, STYLE_TABLE_TITLE)
    _configure(table_title, font=FONT_H1, size=SIZE_TABLE_TITLE, align="center", indent_chars=0,
               exact=None, keep_next=True)
    table_title.paragraph_format.space_before = Pt(12)
    table_title.paragraph_format.space_after = Pt(6)

    for name, align in ((STYLE_TABLE_CENTER, "center"), (STYLE_TABLE_LEFT, "justify")):
        cell_style = _paragraph_style(doc, name)
        _configure(cell_style, font=FONT_TABLE, size=SIZE_TABLE,
                   align=align,  # type: ignore[arg-type]
                   indent_chars=0, exact=None)

    note = _paragraph_style(doc, STYLE_TABLE_NOTE)
    _configure(note, font=FONT_TABLE, size=Pt(12), align="left", indent_chars=0, exact=None,
               keep_next=True)

    small = _paragraph_style(doc, STYLE_TABLE_SMALL)
    _configure(small, font=FONT_TABLE, size=Pt(9), align="center", indent_chars=0, exact=None)

    tiny = _paragraph_style(doc, STYLE_TINY)
    _configure(tiny, font=FONT_TABLE, size=Pt(1), indent_chars=0, exact=Pt(1))

    # Latent "Table Grid"-like look without depending on the built-in table style: borders are
    # written on every table by ``add_table``.


# =================================================================================================
# Footer: "— PAGE —", odd pages right, even pages left
# =================================================================================================

def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a complex field (e.g. ``PAGE``) to ``paragraph``; python-docx has no field API."""
    def run_with(child: object) -> None:
        run = paragraph.add_run()
        run._r.append(child)  # type: ignore[arg-type]

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_number_paragraph(paragraph: Paragraph, align: Align) -> None:
    pf = paragraph.paragraph_format
    pf.alignment = _ALIGN[align]
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # One character in from the margin, as GB/T 9704 asks (空一字).
    if align == "right":
        pf.right_indent = SIZE_PAGE_NUMBER
    elif align == "left":
        pf.left_indent = SIZE_PAGE_NUMBER
    paragraph.add_run("— ")
    add_field(paragraph, "PAGE")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        set_fonts(run, FONT_PAGE_NUMBER)
        run.font.size = SIZE_PAGE_NUMBER


def _add_page_number_footers(doc: DocumentObject) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    odd = section.footer
    odd.is_linked_to_previous = False
    _page_number_paragraph(odd.paragraphs[0], "right")
    even = section.even_page_footer
    even.is_linked_to_previous = False
    _page_number_paragraph(even.paragraphs[0], "left")


# =================================================================================================
# Paragraphs
# =================================================================================================

def add_paragraph(container: object, text: str = "", style: str = STYLE_BODY,
                  align: Align | None = None, bold: bool = False) -> Paragraph:
    """Append a paragraph in ``style`` (the document body, a cell, a footer …)."""
    paragraph: Paragraph = container.add_paragraph(style=style)  # type: ignore[attr-defined]
    if text:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
    if align is not None:
        paragraph.alignment = _ALIGN[align]
    return paragraph


def add_title(doc: DocumentObject, text: str) -> Paragraph:
    """The document title (2号 方正小标宋简体, centred)."""
    return add_paragraph(doc, text, STYLE_TITLE)


def add_heading(doc: DocumentObject, text: str, level: int) -> Paragraph:
    """A heading: level 1 "一、" 黑体, 2 "（一）" 楷体, 3 "1." 仿宋 bold."""
    return add_paragraph(doc, text, {1: STYLE_H1, 2: STYLE_H2, 3: STYLE_H3}[level])


def add_page_break(doc: DocumentObject) -> Paragraph:
    paragraph = doc.add_paragraph(style=STYLE_PLAIN)
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    return paragraph


# =================================================================================================
# Tables
# =================================================================================================

def add_table(doc: DocumentObject, widths_cm: Sequence[float], rows: int,
              header_rows: int = 0, cell_style: str = STYLE_TABLE_CENTER,
              no_border: Sequence[str] = ()) -> Table:
    """A bordered fixed-layout table whose grid and cell widths agree (WPS reads the grid).

    The first ``header_rows`` rows repeat on every page; no row splits across pages.
    ``no_border`` names outer edges to leave open ("bottom" for a table continued by another).
    """
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    _set_child(tbl_pr, "w:tblW", {"w:w": str(_twips(sum(widths_cm))), "w:type": "dxa"})
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{edge}")
        if edge in no_border:
            b.set(qn("w:val"), "nil")
            borders.append(b)
            continue
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), "000000")
        borders.append(b)
    _replace_child(tbl_pr, borders)
    _set_child(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
    margins = OxmlElement("w:tblCellMar")
    for edge, margin in (("left", 70), ("right", 70)):
        m = OxmlElement(f"w:{edge}")
        m.set(qn("w:w"), str(margin))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    _replace_child(tbl_pr, margins)
    _sort_tbl_pr(tbl_pr)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(_twips(width)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell.paragraphs[0].style = doc.styles[cell_style]
        cant_split(row)
    for row in table.rows[:header_rows]:
        mark_header(row)
    return table


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _sort_tbl_pr(tbl_pr: object) -> None:
    rank = {qn("w:" + name): i for i, name in enumerate(_TBLPR_ORDER)}
    children = sorted(list(tbl_pr), key=lambda c: rank.get(c.tag, len(rank)))  # type: ignore[call-overload]
    for child in children:
        tbl_pr.remove(child)  # type: ignore[attr-defined]
        tbl_pr.append(child)  # type: ignore[attr-defined]


def _set_child(parent: object, tag: str, attrs: dict[str, str]) -> None:
    child = parent.find(qn(tag))  # type: ignore[attr-defined]
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)  # type: ignore[attr-defined]
    for key, value in attrs.items():
        child.set(qn(key), value)


def _replace_child(parent: object, new: object) -> None:
    old = parent.find(new.tag)  # type: ignore[attr-defined]
    if old is not None:
        parent.remove(old)  # type: ignore[attr-defined]
    parent.append(new)  # type: ignore[attr-defined]


def keep_with_next(table: Table) -> None:
    """Keep the whole table on the page of what follows it (keep-with-next on every row).

    Used for the small info table of a project, so it never ends a page alone.
    """
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def start_landscape(doc: DocumentObject) -> None:
    """Start a landscape section (for wide tables); the footers continue from the previous one.

    The portrait margins turn with the page (the binding edge stays where it was), which gives
    a type area of 22.5 × 15.6 cm.
    """
    section = doc.add_section(WD_SECTION_START.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    section.top_margin, section.bottom_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.left_margin, section.right_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.footer_distance = Cm(1.5)


def end_landscape(doc: DocumentObject) -> None:
    """Return to portrait A4 on a new page."""
    section = doc.add_section(WD_SECTION_START.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = Cm(2.8)


def mark_header(row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table continues on (w:tblHeader)."""
    _tr_flag(row, "w:tblHeader")


def cant_split(row: _Row) -> None:
    """Keep ``row`` on one page (w:cantSplit)."""
    _tr_flag(row, "w:cantSplit")


def _tr_flag(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        flag = OxmlElement(tag)
        # trPr children order: cantSplit comes before tblHeader.
        if tag == "w:cantSplit":
            tr_pr.insert(0, flag)
        else:
            tr_pr.append(flag)


def set_cell(cell: _Cell, text: str, align: Align = "center", bold: bool = False,
             style: str | None = None) -> Paragraph:
    """Write ``text`` as the only paragraph of ``cell`` in the table font (or ``style``)."""
    style = style or (STYLE_TABLE_CENTER if align == "center" else STYLE_TABLE_LEFT)
    paragraph = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.style = paragraph.part.document.styles[style]
    if align not in ("center", "justify"):
        paragraph.alignment = _ALIGN[align]
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
    return paragraph


def add_cell_paragraph(cell: _Cell, text: str, align: Align = "left") -> Paragraph:
    """Append another paragraph to ``cell`` (e.g. the lines of a ``{%p for %}`` loop)."""
    style = STYLE_TABLE_CENTER if align == "center" else STYLE_TABLE_LEFT
    paragraph = cell.add_paragraph(text, style=style)
    return paragraph


def merge(table: Table, row0: int, col0: int, row1: int, col1: int) -> _Cell:
    """Merge the rectangle (row0, col0)–(row1, col1), keeping only the first cell's text."""
    return table.cell(row0, col0).merge(table.cell(row1, col1))


def set_vmerge_expression(cell: _Cell, expression: str) -> None:
    """Give ``cell`` a ``w:vMerge`` whose value a Jinja expression decides at render time.

    Used inside ``{%tr for %}`` loops: ``expression`` must render to "restart" on the first row
    of a group and "continue" on the others. docxtpl's own ``{% vm %}`` can only follow the
    innermost loop, which cannot merge two nested levels (一级 over several 二级 groups).
    """
    tc_pr = cell._tc.get_or_add_tcPr()
    vmerge = tc_pr.get_or_add_vMerge()
    vmerge.set(qn("w:val"), "{{ " + expression + " }}")
