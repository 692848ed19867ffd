"""A real package: the wheel carries everything ``build`` needs.

The wheel is built from a copy of the source (so the checkout gets no build/ or egg-info), installed
into a fresh virtualenv, and its ``budget-report`` command builds an example from another folder. Its
outputs must equal the golden snapshots: a template, catalogue, wording file or font map the wheel
forgot would fail the build or change a document.

The fresh virtualenv borrows this environment's third-party libraries through a path entry (no
network needed); ``generator`` itself can only come from the wheel, which the test checks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.golden.snapshot import snapshot

GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = "2021-高新区科技局-部门预算"
# What a source distribution holds; everything else (virtualenvs, outputs, caches) stays behind.
SOURCE = ("pyproject.toml", "README.md", "generator", "templates", "inputs")


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)
    assert done.returncode == 0, f"{args[:3]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """The bin/ folder of a fresh virtualenv holding the wheel."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    for name in SOURCE:
        src = repo_root / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "~$*"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(src, source / name)
    dist = root / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist, source],
         cwd=root)
    (wheel,) = dist.glob("budget_report-*.whl")

    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=root)
    _run([sys.executable, "-m", "pip", "--python", _python(venv), "install", "-q", "--no-deps", wheel], cwd=root)
    # This environment's libraries, as a plain path: its .pth files (among them the editable
    # install of this checkout) are not processed, so ``generator`` resolves to the wheel only.
    site = Path(_run([_python(venv), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                     cwd=root).strip())
    (site / "borrowed-libraries.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return _python(venv).parent


def _python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONUTF8"] = "1"
    return env


def test_the_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = _run([installed / "python", "-c", "import generator; print(generator.__file__)"], cwd=tmp_path,
                 env=_clean_env())
    assert Path(where.strip()).is_relative_to(installed.parent)


def test_the_wheel_builds_an_example_from_another_folder(installed: Path, repo_root: Path,
                                                         tmp_path: Path) -> None:
    elsewhere = tmp_path / "某单位"
    elsewhere.mkdir()
    workbook = shutil.copy2(repo_root / "inputs" / f"{EXAMPLE}.xlsx", elsewhere / "预算.xlsx")
    _run([installed / "budget-report", "build", workbook, "-o", elsewhere / "生成"], cwd=elsewhere,
         env=_clean_env())

    (folder,) = (elsewhere / "生成").iterdir()
    made = {p.name: snapshot(p) for p in folder.iterdir() if p.suffix in (".docx", ".xlsx")}
    pinned = {p.stem: p.read_text(encoding="utf-8") for p in (GOLDEN / EXAMPLE).glob("*.txt")}
    assert made.keys() == pinned.keys()
    for name, text in made.items():
        assert text == pinned[name], f"{name} from the wheel differs from its golden snapshot"


def test_the_wheel_holds_every_data_file_of_the_source(installed: Path, repo_root: Path, tmp_path: Path) -> None:
    # package-data names files by pattern: a new catalogue, wording file or web asset that no
    # pattern matches would be missing only from installed copies.
    package = Path(_run([installed / "python", "-c", "import generator; print(generator.__file__)"],
                        cwd=tmp_path, env=_clean_env()).strip()).parent
    shipped = {p.relative_to(package).as_posix() for p in package.rglob("*")
               if p.is_file() and p.suffix not in (".py", ".pyc")}
    # The wheel maps templates/ to generator/templates and inputs/ to generator/examples.
    folders = {"generator": ".", "templates": "templates", "inputs": "examples"}
    expected = {(Path(inside) / p.relative_to(repo_root / folder)).as_posix()
                for folder, inside in folders.items() for p in (repo_root / folder).rglob("*")
                if p.is_file() and p.suffix not in (".py", ".pyc") and not p.name.startswith("~$")}
    assert expected - shipped == set()
