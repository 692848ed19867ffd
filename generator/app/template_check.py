"""``budget-report template-check MY.docx``: what is wrong with a template someone edited in Word.

People edit the Word templates in Word or WPS, and the mistakes they make are always the same:
a field name mistyped, a placeholder split over two paragraphs by an Enter key or typed with
full-width braces, a ``{% if %}`` without its ``{% endif %}``. This command renders the template
once against an example workbook and reports every such problem, by paragraph, in Chinese,
instead of the first one as a build would. It can also write the rendered sample (``-o``).
"""

from __future__ import annotations

import difflib
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.document import Document as DocumentObject
from docx.text.paragraph import Paragraph

from generator.render.fields import walk
from generator.render.jinja_env import FILTERS, finalize
from generator.resources import examples_dir

_OPEN_CLOSE = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
_FULL_WIDTH = re.compile(r"｛[｛%％]|[%％]｝|｝｝")
_PARAGRAPH_TAG = re.compile(r"\{%p\s|\{#p\s")


@dataclass(frozen=True)
class Problem:
    paragraph: int  # 1-based, in reading order (body, table cells, headers and footers)
    text: str  # the paragraph's text, shortened
    message: str

    def __str__(self) -> str:
        where = f"第 {self.paragraph} 段（“{self.text}”）" if self.paragraph else "模板"
        return f"{where}：{self.message}"


@dataclass
class Report:
    template: Path
    kind: str = ""
    problems: list[Problem] = field(default_factory=list)
    sample: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- the documents a template can be checked against --------------------------------------------


def _budget_context(workbook: Path) -> dict[str, Any] | None:
    from generator.compute.disclosure import compute_disclosure
    from generator.model import BudgetWorkbook
    from generator.read.reader import read_workbook
    from generator.render.docx_render import template_context

    model = read_workbook(workbook).model
    if not isinstance(model, BudgetWorkbook):
        return None
    return template_context(compute_disclosure(model))


def _budget_fields() -> list[str]:
    from generator.compute.disclosure import Disclosure

    return [f.path for f in walk(Disclosure)]


def _self_eval_context(workbook: Path) -> dict[str, Any] | None:
    from generator.compute.selfeval import evaluate
    from generator.compute.selfeval_report import build_report
    from generator.model import SelfEvalWorkbook
    from generator.read.reader import read_workbook
    from generator.render.docx_render import template_context

    model = read_workbook(workbook).model
    if not isinstance(model, SelfEvalWorkbook):
        return None
    return template_context(build_report(model, evaluate(model)))


def _self_eval_fields() -> list[str]:
    from generator.compute.selfeval_report import SelfEvalReport

    return [f.path for f in walk(SelfEvalReport)]


# kind -> (example workbooks, context from a workbook, every field path)
KINDS: dict[str, tuple[tuple[str, ...], Callable[[Path], dict[str, Any] | None], Callable[[], list[str]]]] = {
    "部门预算": (("2021-高新区科技局-部门预算.xlsx", "2025-市科技情报所-部门预算.xlsx"), _budget_context,
              _budget_fields),
    "绩效自评": (("2024-科学技术局-绩效自评.xlsx", "2020-科技局-绩效自评.xlsx", "2023-大英县司法局-项目支出绩效自评.xlsx"),
              _self_eval_context, _self_eval_fields),
}


# ---- paragraphs ------------------------------------------------------------------------------------


def _paragraphs(doc: DocumentObject) -> Iterator[Paragraph]:
    """Every paragraph in reading order: body (with table cells), then headers and footers."""
    def of(container: Any) -> Iterator[Paragraph]:
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                yield block
            else:
                for row in block.rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue  # a merged cell appears once per grid column it spans
                        seen.add(id(cell._tc))
                        yield from of(cell)

    yield from of(doc)
    for section in doc.sections:
        for part in (section.header, section.footer, section.even_page_footer, section.first_page_footer):
            if not part.is_linked_to_previous:
                yield from part.paragraphs


def _short(text: str, n: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _paragraph_problems(index: int, text: str) -> Iterator[Problem]:
    if _FULL_WIDTH.search(text):
        yield Problem(index, _short(text), "占位符用了全角的花括号或百分号（｛｛ ｝｝ ％），应为半角的 {{ }} 和 {% %}")
    for opening, closing in _OPEN_CLOSE:
        if text.count(opening) != text.count(closing):
            yield Problem(index, _short(text), f"“{opening}”和“{closing}”数目不同：一个占位符被拆到了两个段落"
                                               "（可能在 Word 中按了回车），或少打了一半")
            break
    if _PARAGRAPH_TAG.search(text) and _without_tags(text).strip():
        yield Problem(index, _short(text), "“{%p …%}”所在的段落整段会被删除，同一段落中的文字也会一起消失："
                                           "请把它单独放在一段")


def _without_tags(text: str) -> str:
    """``text`` with its {{ }}, {% %} and {# #} tags removed, in one pass (a lazy pattern from
    "{{" to "}}" rescans the rest of the text from every unclosed "{{": quadratic)."""
    kept: list[str] = []
    i = 0
    next_open = {o: text.find(o) for o, _ in _OPEN_CLOSE}  # each opener's next position, kept
    while True:
        for o in next_open:  # refresh the ones the scan has passed (found ones stay valid)
            if 0 <= next_open[o] < i:
                next_open[o] = text.find(o, i)
        found = [(at, o) for o, at in next_open.items() if at >= 0]
        if not found:
            break
        at, opening = min(found)
        end = text.find(dict(_OPEN_CLOSE)[opening], at + 2)
        if end < 0:
            break
        kept.append(text[i:at])
        i = end + 2
    kept.append(text[i:])
    return "".join(kept)


# ---- rendering against the example data ----------------------------------------------------------


class _Recording(jinja2.ChainableUndefined):
    """An unknown field: recorded where it is first looked up (printed as nothing, false in an
    ``{% if %}``), so that every one is found in one pass."""

    seen: list[str] = []

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: type[jinja2.exceptions.TemplateRuntimeError] = jinja2.UndefinedError) -> None:
        super().__init__(hint, obj, name, exc)
        if name and not isinstance(obj, jinja2.Undefined):
            _Recording.seen.append(name)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(undefined=_Recording, autoescape=True, finalize=finalize)
    env.filters.update(FILTERS)
    return env


def _render(template: Path, context: dict[str, Any], out: Path) -> tuple[list[str], Problem | None]:
    """Render once; return the unknown fields and a syntax problem, if any."""
    from generator.render.docx_render import _WordTemplate, clean_context

    _Recording.seen = []
    doc = _WordTemplate(str(template))
    try:
        doc.render(dict(clean_context(context)), jinja_env=_environment())
    except jinja2.TemplateSyntaxError as exc:
        near = "".join(getattr(exc, "docx_context", []) or [])
        return [], Problem(0, "", f"占位符写法有误（{exc.message}），附近文字：“{_short(near, 40)}”。"
                                  "常见原因：{% if %} 或 {% for %} 缺少对应的 {% endif %}、{% endfor %}")
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
        return [], Problem(0, "", f"无法生成：{exc}")
    doc.save(str(out))
    return list(dict.fromkeys(_Recording.seen)), None


def _locate(name: str, texts: list[str]) -> int:
    pattern = re.compile(r"[.\s{(]" + re.escape(name) + r"\b")
    return next((i for i, t in enumerate(texts, 1) if pattern.search(t)), 0)


def check_template(template: Path, example: Path | None = None, sample: Path | None = None) -> Report:
    """Every problem of ``template`` (a .docx someone edited), rendered against ``example`` or,
    by default, the shipped example workbooks of the document kind that fits it best."""
    report = Report(template)
    if not template.is_file() or not zipfile.is_zipfile(template):
        report.problems.append(Problem(0, "", f"{template.name} 不是 Word（.docx）文件"))
        return report
    try:
        texts = [p.text for p in _paragraphs(Document(str(template)))]
    except Exception as exc:  # python-docx raises many types on a broken file
        report.problems.append(Problem(0, "", f"{template.name} 无法作为 Word 文件打开（{type(exc).__name__}）"))
        return report
    for i, text in enumerate(texts, 1):
        report.problems.extend(_paragraph_problems(i, text))
    best: tuple[int, str, list[str], Problem | None, Path] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for kind, (names, build_context, _fields) in KINDS.items():
            workbooks = [example] if example else [examples_dir() / n for n in names]
            unknown: list[str] = []
            syntax: Problem | None = None
            usable = True
            rendered = Path(tmp) / f"{kind}.docx"
            for workbook in workbooks:
                context = build_context(workbook)
                if context is None:
                    usable = False  # the example is of the other kind
                    break
                names_missing, syntax = _render(template, context, rendered)
                unknown += [n for n in names_missing if n not in unknown]
                if syntax:
                    break
            score = len(unknown) + (1000 if syntax else 0)
            if usable and (best is None or score < best[0]):
                best = (score, kind, unknown, syntax, rendered)
        if best is None:
            report.problems.append(Problem(0, "", "示例工作簿无法用于检查这个模板：请用 --example 指定一个对应的工作簿"))
            return report
        _, report.kind, unknown, syntax, rendered = best
        if syntax:
            report.problems.append(syntax)
        known = KINDS[report.kind][2]()
        leaves = sorted({p.rsplit(".", 1)[-1].removesuffix("[]") for p in known})
        for name in unknown:
            close = difflib.get_close_matches(name, leaves, n=1, cutoff=0.6)
            hint = f"，是否应为“{close[0]}”？" if close else "。"
            where = _locate(name, texts)
            report.problems.append(Problem(where, _short(texts[where - 1]) if where else "",
                                           f"字段“{name}”不存在{hint}可用字段见 docs/template-fields.md"))
        if sample is not None and rendered.exists() and not syntax:
            sample.parent.mkdir(parents=True, exist_ok=True)
            sample.write_bytes(rendered.read_bytes())
            report.sample = sample
    report.problems.sort(key=lambda p: p.paragraph)
    return report
