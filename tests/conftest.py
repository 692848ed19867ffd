"""Shared fixtures: where the repository, its templates, inputs and the shared seeds are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def templates_dir() -> Path:
    return REPO_ROOT / "templates"


@pytest.fixture(scope="session")
def inputs_dir() -> Path:
    return REPO_ROOT / "inputs"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds`` next to the repository (or /work/shared/seeds); skip when absent."""
    for candidate in (REPO_ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")):
        if candidate.is_dir():
            return candidate
    pytest.skip("共享样本目录 ../shared/seeds 不存在")
