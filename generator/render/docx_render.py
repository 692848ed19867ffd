"""Render Word documents from .docx templates with docxtpl, safely.

docxtpl's defaults are unsafe for user text (see ENGINEERING.md): without autoescape "财政局 &
教育局" loses the "&" and "a <b> c" silently drops later paragraphs; missing variables render as
blank. Every render here uses the strict, escaping environment of ``render.jinja_env`` (figures
print themselves: see its docstring for the filters), strips XML-illegal control characters from
the context, and turns a missing field into a Chinese ``TemplateFieldError`` naming the field and
the template, because the people who edit the templates (in Word/WPS) are not programmers.

**Wording definitions.** A paragraph of a template that holds only a Jinja macro --
``{% macro compare(x) %}{% if x.same %}与上年持平{% else %}比上年{{ x.word }}{{ x.amount }}万元{% endif %}{% endmacro %}``
-- is a definition, not document text: it is lifted out of the document (it never prints) and
its wording can then be used in any sentence, ``本年收入{{ income.total }}万元，{{ compare(income.change) }}。``
So a phrase the document repeats twenty times is worded once, in the template, where a user
edits it in Word.

**Big documents.** The body is rendered as a stream (``render.docx_stream``): a budget of 10,000
projects (about 180 MB of document XML) is never held whole, as a string or as a tree; the rendered
body waits in a temporary file beside the output until it is saved. Compiled templates are kept
across runs (``render.code_cache``).
"""

from __future__ import annotations

import functools
import html
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from generator.compute.disclosure import Disclosure, compute_disclosure
from generator.messages import UserError, say
from generator.model import BudgetWorkbook
from generator.model.outlines import DEFAULT_OUTLINE, OUTLINES
from generator.render.docx_passes import LeanDocxTemplate
from generator.render.jinja_env import make_environment, text_environment

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Names a dict key must not have: Jinja resolves ``x.items`` to the dict method, not the key.
_SHADOWED_KEYS = frozenset(name for name in dir(dict) if not name.startswith("_"))


class TemplateError(UserError):
    """A template cannot be rendered; the message is for the user, in Chinese."""


_MACRO_START = re.compile(r"\{%-?\s*macro\b")
_BODY_START = re.compile(r"<w:body\b[^>]*>")
# An XML element tag (every WordprocessingML name has a prefix, "w:r", "mc:AlternateContent"),
# not a "<" that docxtpl unescaped inside a Jinja tag ({% if t.sign == "<" %}).
_TAG = re.compile(r"</?[A-Za-z][\w.-]*:[\w.-]+(?:\s[^<>]*)?/?>")


def split_definitions(xml: str) -> tuple[list[str], str]:
    """The macro-definition paragraphs of a document's XML (as text) and the XML without them.

    A definition paragraph's runs are reduced to their text (the macro body is wording, and
    its output lands inside the ``<w:t>`` of the sentence that calls it). Linear in the XML:
    each definition is found once and cut once.
    """
    body = _BODY_START.search(xml)
    if body is None or "macro" not in xml:
        return [], xml
    definitions: list[str] = []
    pieces: list[str] = []
    pos = start_of_body = body.end()
    for m in _MACRO_START.finditer(xml, pos):
        if m.start() < pos:
            continue  # inside a paragraph already lifted
        start = max(xml.rfind("<w:p>", pos, m.start()), xml.rfind("<w:p ", pos, m.start()))
        end_macro = xml.find("endmacro", m.end())
        end = xml.find("</w:p>", end_macro) if end_macro >= 0 else -1
        if start < 0 or end < 0:
            continue  # not a definition paragraph: Jinja reports what is wrong with it
        end += len("</w:p>")
        pieces.append(xml[pos:start])
        definitions.append(_TAG.sub("", xml[start:end]))
        pos = end
    if not definitions:
        return [], xml
    return definitions, xml[:start_of_body] + "".join(pieces) + xml[pos:]


def lift_definitions(xml: str) -> str:
    """The document XML with its definition paragraphs moved, as plain text, before the body's
    content: defined once, usable by every sentence, printed nowhere."""
    definitions, rest = split_definitions(xml)
    body = _BODY_START.search(rest)
    if not definitions or body is None:
        return xml
    return rest[:body.end()] + "".join(definitions) + rest[body.end():]


class _WordTemplate(LeanDocxTemplate):
    """docxtpl's template (without the post-render passes it does not need) with wording
    definitions lifted out (see the module docstring)."""

    def patch_xml(self, src_xml: str) -> str:
        return lift_definitions(super().patch_xml(src_xml))


class TemplateFieldError(TemplateError):
    """The template names a field the context does not have."""

    def __init__(self, template: Path, field: str, near: str = "") -> None:
        self.template = template
        self.field = field
        super().__init__(say("template.field", name=template.name, field=field,
                             near=say("template.near", text=near) if near else ""))


def clean_context(value: Any, path: str = "") -> Any:
    """A copy of ``value`` with control characters removed from every string.

    The reader already reports such characters at their cells; here they are only removed so
    that python-docx/lxml never see them (docxtpl would drop them silently or fail). Also
    rejects dict keys that Jinja would shadow with dict methods (``items``, ``values`` …).
    """
    if isinstance(value, str):
        return _CONTROL_CHARS.sub("", value)
    if isinstance(value, Mapping):
        clean: dict[Any, Any] = {}
        for key, item in value.items():
            if key in _SHADOWED_KEYS:
                raise ValueError(say("template.shadowed", field=f"{path}{key}"))
            clean[key] = clean_context(item, f"{path}{key}.")
        return clean
    if isinstance(value, (list, tuple)):
        return type(value)(clean_context(item, path) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: clean_context(getattr(value, f.name), path)
                   for f in fields(value) if isinstance(getattr(value, f.name), str)}
        return replace(value, **changes) if changes else value
    return value


def _missing_field(message: str) -> str:
    for pattern in (r"has no attribute '([^']+)'", r"'([^']+)' is undefined",
                    r"has no element '?([^']+?)'?$"):
        m = re.search(pattern, message)
        if m:
            return m.group(1)
    return message


def _near(exc: BaseException) -> str:
    lines = getattr(exc, "docx_context", None)
    if not lines:
        return ""
    text = "".join(lines)
    text = re.sub(r"\s+", "", text)
    return text[:60]


def render_docx(template: Path, context: Mapping[str, Any], out: Path) -> None:
    """Render ``template`` with ``context`` to ``out`` (written atomically).

    Raises ``TemplateFieldError`` when the template names a missing field and ``TemplateError``
    for any other template problem, both with a Chinese message naming the template.
    """
    template = Path(template)
    if not template.is_file():
        raise TemplateError(say("template.missing", path=template))
    doc = _WordTemplate(str(template))
    if out.parent.is_dir():
        doc.spool_dir = str(out.parent)  # the rendered body waits there for save (see docx_stream)
    try:
        _render_and_save(doc, template, context, out)
    finally:
        doc.discard()


def _render_and_save(doc: _WordTemplate, template: Path, context: Mapping[str, Any], out: Path) -> None:
    try:
        doc.render(dict(clean_context(context)), jinja_env=make_environment())
    except jinja2.UndefinedError as exc:
        raise TemplateFieldError(template, _missing_field(str(exc)), _near(exc)) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(say("template.syntax", name=template.name, error=exc.message,
                                near=say("template.near", text=_near(exc)) if _near(exc) else "")) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(say("template.failed", name=template.name, error=exc)) from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and rename: a failed save never leaves half a document behind.
    fd, tmp_name = tempfile.mkstemp(suffix=".docx", dir=out.parent)
    os.close(fd)
    try:
        doc.save(tmp_name)
        # mkstemp creates the file private (0600); a document is meant to be shared.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, out)
    except PermissionError as exc:
        raise TemplateError(say("template.locked", path=out)) from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def template_macros(template: Path, facts: Mapping[str, Any]) -> Any:
    """The wording definitions of a Word template, callable from Python for plain text.

    The Excel tables say some things the Word document says too (the spending-plan sentence,
    the empty-table statements): they call the template's own definitions, so a user who
    rewords one in Word changes both documents. ``facts`` are the names the definitions use
    (``unit``, ``year``).
    """
    template = Path(template)
    if not template.is_file():
        raise TemplateError(say("template.missing", path=template))
    text = _definitions(template)
    try:
        return text_environment().from_string(text).make_module(dict(facts))
    except jinja2.TemplateError as exc:
        raise TemplateError(say("template.definitions", name=template.name, error=exc)) from exc


def _definitions(template: Path) -> str:
    """The template's definitions as text, read once per version of the file in a process (a
    batch renders 200 departments' tables with the same template)."""
    st = template.stat()
    return _definitions_of(str(template.resolve()), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=32)
def _definitions_of(path: str, _mtime_ns: int, _size: int) -> str:
    doc = _WordTemplate(path)
    doc.init_docx()
    definitions, _ = split_definitions(DocxTemplate.patch_xml(doc, doc.get_xml()))
    return html.unescape("".join(definitions))


def template_context(model: object) -> dict[str, Any]:
    """A typed document model as the names a template uses: its top-level fields."""
    if not is_dataclass(model) or isinstance(model, type):
        raise TypeError("a document model is a dataclass instance")
    return {f.name: getattr(model, f.name) for f in fields(model)}


def render_disclosure(wb: BudgetWorkbook, out_dir: Path, templates_dir: Path,
                      disclosure: Disclosure | None = None) -> list[Path]:
    """Write the disclosure document of ``wb`` into ``out_dir``; return the files written.

    基本信息 → 文件样式 picks the outline (``model.outlines.OUTLINES``): its template and its
    output name.
    """
    d = disclosure or compute_disclosure(wb)
    outline = OUTLINES.get(d.style or DEFAULT_OUTLINE)
    if outline is None:
        raise TemplateError(say("template.style", style=d.style, choices="、".join(OUTLINES)))
    out = Path(out_dir) / outline.output.format(year=d.year)
    render_docx(Path(templates_dir) / outline.template, template_context(d), out)
    return [out]
