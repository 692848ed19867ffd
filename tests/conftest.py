"""Shared fixtures: where the repository, its templates, inputs and the shared seeds are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# The published seeds: ../shared/seeds beside the repository (as in CI), or where
# BUDGET_REPORT_SEEDS points (a clone elsewhere). Golden tests skip, saying why, without them.
SEEDS_DIR = Path(os.environ.get("BUDGET_REPORT_SEEDS", REPO_ROOT.parent / "shared" / "seeds"))


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
    """The seeds folder (``SEEDS_DIR``); skip when absent."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"共享样本目录 {SEEDS_DIR} 不存在")
    return SEEDS_DIR


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--all-cells", action="store_true", default=False,
                     help="test_blank_cells: clear every filled cell of the examples, not a sample")
