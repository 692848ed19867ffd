"""Every example's outputs, pinned: a change to any document shows as a readable diff.

Each workbook in ``inputs/`` is built once; each generated file is turned into its text snapshot
(``tests/golden/snapshot.py``) and compared with ``tests/golden/<workbook>/<file>.txt``.

When a change to a document is intended, regenerate the snapshots and commit them with the change,
saying in the commit message why the document changed::

    UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from generator.app.pipeline import OK, build_one
from generator.resources import examples_dir, templates_dir
from tests.golden.snapshot import snapshot

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
EXAMPLES = sorted(examples_dir().glob("*.xlsx"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """{workbook stem: {output file name: snapshot}} for every example."""
    out_root = tmp_path_factory.mktemp("golden")
    result: dict[str, dict[str, str]] = {}
    for workbook in EXAMPLES:
        outcome = build_one(workbook, out_root, templates_dir())
        assert outcome.status == OK, f"{workbook.name}: {outcome.status} {outcome.message}"
        result[workbook.stem] = {f.name: snapshot(f) for f in outcome.files}
    return result


def _diff(expected: str, actual: str, name: str, limit: int = 120) -> str:
    lines = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                      f"golden/{name}", "generated", lineterm="", n=1))
    more = f"\n… {len(lines) - limit} more diff lines" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


@pytest.mark.parametrize("workbook", EXAMPLES, ids=lambda p: p.stem)
def test_outputs_match_their_golden_snapshots(workbook: Path, built: dict[str, dict[str, str]]) -> None:
    folder = GOLDEN / workbook.stem
    generated = built[workbook.stem]
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            if old.stem not in generated:
                old.unlink()
        for name, text in generated.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        return
    pinned = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}
    assert sorted(generated) == sorted(pinned), "the set of generated files changed (UPDATE_GOLDEN=1 to accept)"
    for name, text in generated.items():
        assert text == pinned[name], f"{workbook.stem}/{name} changed:\n" + _diff(pinned[name], text, name)


def test_every_example_has_a_snapshot_folder() -> None:
    assert EXAMPLES, "no example workbooks found"
    stale = {p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name != "__pycache__"} - {w.stem for w in EXAMPLES}
    assert not stale, f"snapshot folders without an example: {sorted(stale)}"
