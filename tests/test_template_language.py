"""The template language users edit: figures print themselves, wording definitions never print."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx import Document

from generator.compute.money import change, rate
from generator.render.docx_render import render_docx
from generator.render.jinja_env import make_environment
from tools.docx_base import add_paragraph, new_document

COMPARE = ("{% macro compare(x) %}{% if x.same %}与上年持平{% else %}比上年{% if x.up %}增加{% else %}减少{% endif %}"
           "{{ x.magnitude }}万元，{% if x.up %}增长{% else %}下降{% endif %}{{ x.rate_magnitude }}{% endif %}{% endmacro %}")


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text]


def _render(tmp_path: Path, lines: list[str], context: dict[str, object]) -> list[str]:
    doc = new_document()
    for line in lines:
        add_paragraph(doc, line)
    template = tmp_path / "t.docx"
    doc.save(str(template))
    out = tmp_path / "out.docx"
    render_docx(template, context, out)
    return _texts(out)


def test_amounts_rates_and_blanks_print_as_the_documents_write_them() -> None:
    env = make_environment()
    text = env.from_string("{{ a }}|{{ b }}|{{ r }}|{{ n }}|{{ a|fixed }}|{{ r|pct(2, trim=False) }}").render(
        a=Decimal("44999.00"), b=Decimal("2.0083"), r=rate(Decimal("4606.21"), Decimal("40392.79")), n=None)
    assert text == "44999|2.01|11.4%||44999.00|11.40%"


def test_a_wording_definition_never_prints_and_words_every_sentence_that_uses_it(tmp_path: Path) -> None:
    texts = _render(tmp_path, [COMPARE, "本年收入{{ total }}万元，{{ compare(income) }}。",
                               "三公经费{{ three.current }}万元，{{ compare(three) }}。"],
                    {"total": Decimal("44999"), "income": change(Decimal("44999"), Decimal("40392.79")),
                     "three": change(Decimal(2), Decimal(2))})
    assert texts == ["本年收入44999万元，比上年增加4606.21万元，增长11.4%。", "三公经费2万元，与上年持平。"]


def test_user_text_inside_a_definition_stays_literal(tmp_path: Path) -> None:
    texts = _render(tmp_path, ["{% macro quoted(x) %}“{{ x }}”{% endmacro %}", "名称：{{ quoted(name) }}"],
                    {"name": "财政局 & 教育局 <b>"})
    assert texts == ["名称：“财政局 & 教育局 <b>”"]
