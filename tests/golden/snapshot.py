"""Readable text snapshots of generated documents, for golden tests.

A snapshot says what a reader of the document would see and what makes it look the way it does,
one line per paragraph, table row or cell, so a change to a document shows as a readable diff:

* ``.docx``: every section's page setup, then the body in order -- paragraphs with their style,
  alignment and text (``<br>`` for line breaks, ``<page>`` for page breaks), tables with their
  column widths and each row's cells (``<span=N>`` for merged columns, ``^`` for a cell merged with
  the one above), header rows and rows that may not split across pages; headers and footers last.
* ``.xlsx``: every sheet's print setup (paper, orientation, fit, repeated rows), column widths,
  merged ranges, then each non-empty cell with its value and number format, then the cell
  comments (``G7 # …``).

Volatile parts (document properties, timestamps) are not part of a snapshot.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length
from lxml import etree
from openpyxl import load_workbook

W_P, W_TBL, W_SECTPR = qn("w:p"), qn("w:tbl"), qn("w:sectPr")


def snapshot(path: Path) -> str:
    """The snapshot text of one generated file."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_snapshot(path)
    if suffix == ".xlsx":
        return xlsx_snapshot(path)
    raise ValueError(f"no snapshot for {path.name}")


# ---- Word ------------------------------------------------------------------------------------


def _cm(value: Length | None) -> str:
    return "-" if value is None else f"{value.cm:.2f}"


def _val(el: etree._Element | None, tag: str, attr: str = "w:val") -> str | None:
    if el is None:
        return None
    child = el.find(qn(tag))
    return None if child is None else child.get(qn(attr), "on")


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    for node in p.iter(qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:fldSimple"), qn("w:instrText")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:br"):
            parts.append("<page>" if node.get(qn("w:type")) == "page" else "<br>")
        elif node.tag == qn("w:tab"):
            parts.append("<tab>")
        else:
            instr = node.get(qn("w:instr")) if node.tag == qn("w:fldSimple") else node.text
            parts.append(f"<field {(instr or '').strip()}>")
    return "".join(parts)


def _paragraph_line(p: etree._Element, styles: dict[str, str]) -> str:
    ppr = p.find(qn("w:pPr"))
    style_id = _val(ppr, "w:pStyle") or ""
    style = styles.get(style_id, style_id) or "Normal"
    marks = [style]
    align = _val(ppr, "w:jc")
    if align:
        marks.append(align)
    for tag, mark in (("w:keepNext", "keep-next"), ("w:keepLines", "keep-lines"),
                      ("w:pageBreakBefore", "page-before")):
        if _val(ppr, tag) not in (None, "0", "false"):
            marks.append(mark)
    return f"P[{','.join(marks)}] {_paragraph_text(p)}"


def _cell_text(tc: etree._Element) -> str:
    return "<br>".join(_paragraph_text(p) for p in tc.findall(qn("w:p")))


def _table_lines(tbl: etree._Element, styles: dict[str, str], depth: int = 0) -> list[str]:
    pad = "  " * depth
    grid = [int(col.get(qn("w:w"), "0")) for col in tbl.iter(qn("w:gridCol"))]
    widths = " ".join(f"{w / 567:.2f}" for w in grid)  # twips -> cm
    lines = [f"{pad}TABLE cols={len(grid)} widths(cm)={widths}"]
    for tr in tbl.findall(qn("w:tr")):
        trpr = tr.find(qn("w:trPr"))
        flags = [name for tag, name in (("w:tblHeader", "header"), ("w:cantSplit", "cant-split"))
                 if _val(trpr, tag) not in (None, "0", "false")]
        cells = []
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = _val(tcpr, "w:gridSpan")
            vmerge = _val(tcpr, "w:vMerge")
            text = "^" if vmerge == "on" or vmerge == "continue" else _cell_text(tc)
            cells.append((f"<span={span}>" if span and span != "1" else "") + text)
        lines.append(f"{pad}  ROW{'[' + ','.join(flags) + ']' if flags else ''} | " + " | ".join(cells) + " |")
        for tc in tr.findall(qn("w:tc")):
            for inner in tc.findall(qn("w:tbl")):
                lines.extend(_table_lines(inner, styles, depth + 2))
    return lines


def docx_snapshot(path: Path) -> str:
    doc = Document(str(path))
    styles = {s.style_id: s.name for s in doc.styles}
    lines: list[str] = []
    for n, section in enumerate(doc.sections, 1):
        orientation = "landscape" if section.orientation == 1 else "portrait"
        lines.append(
            f"SECTION {n}: {orientation} page {_cm(section.page_width)}x{_cm(section.page_height)} cm, "
            f"margins top {_cm(section.top_margin)} bottom {_cm(section.bottom_margin)} "
            f"left {_cm(section.left_margin)} right {_cm(section.right_margin)}")
    for element in doc.element.body:
        if element.tag == W_P:
            lines.append(_paragraph_line(element, styles))
            if element.find(f"{qn('w:pPr')}/{W_SECTPR}") is not None:
                lines.append("--- section break ---")
        elif element.tag == W_TBL:
            lines.extend(_table_lines(element, styles))
    for n, section in enumerate(doc.sections, 1):
        for kind, part in (("header", section.header), ("footer", section.footer),
                           ("even-footer", section.even_page_footer)):
            if part.is_linked_to_previous and n > 1:
                continue
            text = " / ".join(_paragraph_line(p._p, styles) for p in part.paragraphs if _paragraph_text(p._p))
            if text:
                lines.append(f"{kind.upper()} {n}: {text}")
    return "\n".join(lines) + "\n"


# ---- Excel -----------------------------------------------------------------------------------


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (float, Decimal)):
        return repr(float(value))
    return str(value).replace("\n", "<br>")


def xlsx_snapshot(path: Path) -> str:
    wb = load_workbook(path)
    lines: list[str] = []
    for ws in wb.worksheets:
        setup = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr
        repeat = ws.print_title_rows or "-"
        fitted = f"{setup.fitToWidth}x{setup.fitToHeight}" if fit is not None and fit.fitToPage else "no"
        lines.append(
            f"SHEET {ws.title} [{ws.sheet_state}] paper={setup.paperSize} {setup.orientation or 'default'} "
            f"fit={fitted} repeat-rows={repeat} freeze={ws.freeze_panes or '-'}")
        if ws.oddFooter.center.text or ws.oddFooter.right.text:
            lines.append(f"  footer: {ws.oddFooter.center.text or ''} {ws.oddFooter.right.text or ''}".rstrip())
        widths = [f"{k}={d.width:g}" for k, d in sorted(ws.column_dimensions.items(), key=lambda kv: (len(kv[0]), kv[0]))
                  if d.width]
        if widths:
            lines.append("  widths: " + " ".join(widths))
        merged = sorted(str(r) for r in ws.merged_cells.ranges)
        if merged:
            lines.append("  merged: " + " ".join(merged))
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or cell.value == "":
                    continue
                fmt = cell.number_format
                fmt_note = "" if fmt == "General" else f" [{fmt}]"
                lines.append(f"  {cell.coordinate} = {_shown(cell.value)}{fmt_note}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    lines.append(f"  {cell.coordinate} # {_shown(cell.comment.text)}")
    return "\n".join(lines) + "\n"
