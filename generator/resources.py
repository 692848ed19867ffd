"""Where the shipped files are: the Word templates and the example workbooks.

In the repository they are ``templates/`` and ``inputs/`` (the folders users and engineers edit);
an installed package carries the same files as ``generator.templates`` / ``generator.examples``
(``pyproject.toml`` maps one onto the other), so ``pip install .`` builds documents from any folder.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def _package_dir(package: str, repo_folder: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    return _REPO / repo_folder


def templates_dir() -> Path:
    """The shipped Word templates (``templates/`` in the repository)."""
    return _package_dir("generator.templates", "templates")


def examples_dir() -> Path:
    """The example workbooks (``inputs/`` in the repository)."""
    return _package_dir("generator.examples", "inputs")
