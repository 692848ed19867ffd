"""The limits table in the README names every limit of the reader, with its value and message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.read import workbook_io as W
from tests.factories import write_budget

README = Path(__file__).resolve().parent.parent / "README.md"


def _limits_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## 限制", 1)[1].split("\n## ", 1)[0]


def _shown(value: int) -> str:
    return f"{value // 1024 // 1024} MB" if value >= 1024 * 1024 and value % (1024 * 1024) == 0 else f"{value:,}"


@pytest.mark.parametrize(("name", "value"), list(W.limits()))
def test_every_limit_is_in_the_readme_with_its_value_and_a_chinese_message(name: str, value: int) -> None:
    rows = [line for line in _limits_section().splitlines() if f"`{name}`" in line]
    assert len(rows) == 1, f"{name} is not in the README's 限制 table"
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert cells[1] == _shown(value)
    assert re.search(r"[\u4e00-\u9fff]", cells[2])


def test_the_section_sits_right_before_performance() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.index("## 限制") < text.index("## 性能")
    assert re.search(r"## 限制\n(?:.*\n)*?## 性能", text)


def test_the_row_limit_message_is_the_one_the_readme_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(W, "MAX_ROWS", 3)
    path = write_budget(tmp_path / "b.xlsx")
    with pytest.raises(W.UnreadableWorkbook) as exc:
        W.open_workbook(path)
    shown = re.sub(r"\d[\d,]*", "N", str(exc.value).split("：", 1)[1])
    row = next(line for line in _limits_section().splitlines() if "`MAX_ROWS`" in line)
    documented = re.sub(r"\d[\d,]*", "N", row.split("|")[3].strip().strip("`").split("：", 1)[1])
    assert re.sub(r"“[^”]*”", "“<工作表>”", shown) == documented
