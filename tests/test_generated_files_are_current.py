"""Files committed as generated (the workbook guide, the template field reference) match their generators.

The Word templates are not generated: they are the source of the wording, edited directly in
Word/WPS (tests/test_templates_as_source.py checks that an edit reaches the documents).
"""

from __future__ import annotations

from pathlib import Path

from tools import make_docs

ROOT = Path(__file__).resolve().parent.parent


def test_the_workbook_guide_is_current() -> None:
    assert (ROOT / "docs" / "workbooks.md").read_text(encoding="utf-8") == make_docs.render(), \
        "run python -m tools.make_docs"


def test_the_template_field_reference_is_current() -> None:
    assert (ROOT / "docs" / "template-fields.md").read_text(encoding="utf-8") == make_docs.render_fields(), \
        "run python -m tools.make_docs"
