"""Files committed as generated (the Word templates, the workbook guide) match their generators.

The templates are what users edit in Word/WPS, so they are committed; the generators are what
engineers edit. A change to one without the other would ship a stale file.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import make_docs, make_templates  # noqa: E402

# Parts that hold content and layout; docProps carry timestamps and are ignored.
PARTS = ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/settings.xml")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name in PARTS}


@pytest.mark.parametrize("build", [make_templates.build_all], ids=["disclosure"])
def test_committed_templates_are_what_the_generator_writes(build: object, tmp_path: Path) -> None:
    for fresh in build(tmp_path):  # type: ignore[operator]
        committed = ROOT / "templates" / fresh.name
        assert _parts(fresh) == _parts(committed), f"{fresh.name}: run python -m tools.{build.__module__.split('.')[-1]}"  # type: ignore[attr-defined]


def test_the_workbook_guide_is_current() -> None:
    assert (ROOT / "docs" / "workbooks.md").read_text(encoding="utf-8") == make_docs.render(), \
        "run python -m tools.make_docs"
