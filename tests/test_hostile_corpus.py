"""The hostile corpus, case by case: each workbook of ``tests/hostile/corpus.py`` goes through
``budget-report`` in a child process. Every case ends as it must (refused with a Chinese message,
or read with the finding that says what happened), within its bounds on time and peak memory --
generous bounds on fixed inputs, not measurements -- without a traceback and without touching the
input."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.corpus import CASES, Case, run_cli


def _digests(target: Path) -> dict[Path, str]:
    files = [target] if target.is_file() else sorted(target.rglob("*.xlsx"))
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    target = case.make(tmp_path)
    before = _digests(target)
    out = tmp_path / "out"
    batch = target.is_dir()
    command = ["build", str(target), "--json", "-o", str(out), "-j", "2"] if batch else \
        ["check", str(target), "--json", "-o", str(out)]
    run = run_cli(command)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-3000:]
    assert run.code == case.exit_code, run.stdout[-3000:]
    assert run.seconds <= case.max_seconds, f"{case.name}: {run.seconds:.1f} s"
    assert run.peak_mb <= case.max_mb, f"{case.name}: {run.peak_mb:.0f} MB"
    results: list[dict[str, Any]] = run.json()
    if case.message:
        assert case.message in results[0]["message"], results[0]["message"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in results[0]["message"])
    codes = {f["code"] for r in results for f in r["findings"]}
    assert case.codes <= codes, codes
    if case.build and not batch:
        built = run_cli(["build", str(target), "--json", "-o", str(out)])
        assert built.code == 0, built.stdout[-3000:]
    if case.verify is not None:
        case.verify(out)
    if case.exit_code == 2:  # refused: nothing written but (at most) the annotated copies folder
        assert not out.exists() or {p.name for p in out.iterdir()} <= {"校验结果"}
    assert _digests(target) == before  # the user's files are only read
