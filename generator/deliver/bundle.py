"""Zip a department's output folder into ``<folder name>.zip`` beside it.

Member names keep their Chinese characters: Python's zipfile sets the UTF-8 flag (general
purpose bit 11) for every non-ASCII name, which Windows 10+ Explorer, WinRAR, 7-Zip, Bandizip
and macOS all honour. Members are stored under the folder name (``2025-科技局/…``) so that
"extract here" recreates the folder instead of scattering files.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

__all__ = ["BundleError", "bundle", "bundle_members", "is_deliverable"]

# Drafts written by a dry run, lock files of Word/WPS/LibreOffice, and partial files
# from an interrupted write are never part of what a department publishes.
_SKIPPED_SUFFIXES = frozenset({".eml", ".tmp", ".part", ".zip"})
_SKIPPED_PREFIXES = (".", "~$", ".~lock")

# The UTF-8 flag in a zip entry's general purpose bits (APPNOTE.TXT 4.4.4, bit 11).
UTF8_FLAG = 0x800


class BundleError(RuntimeError):
    """The folder cannot be bundled; ``str(err)`` is a Chinese message for the user."""


def is_deliverable(path: Path) -> bool:
    """True for files that belong in a delivery (not drafts, lock files or leftovers)."""
    name = path.name
    return (
        path.is_file()
        and not name.startswith(_SKIPPED_PREFIXES)
        and path.suffix.lower() not in _SKIPPED_SUFFIXES
    )


def bundle_members(dept_dir: Path) -> list[Path]:
    """The files :func:`bundle` puts in the zip, sorted, recursively."""
    return sorted(
        (p for p in dept_dir.rglob("*") if is_deliverable(p)),
        key=lambda p: p.relative_to(dept_dir).as_posix(),
    )


def bundle(dept_dir: Path) -> Path:
    """Zip ``dept_dir`` into ``<dept_dir.name>.zip`` in its parent folder; return the zip path.

    The zip is written to a temporary file in the same folder and then renamed over the
    target, so an existing bundle is replaced atomically and a crash never leaves a truncated
    zip that could be mailed. Raises :class:`BundleError` when the folder is missing or empty.
    """
    dept_dir = Path(dept_dir)
    if not dept_dir.is_dir():
        raise BundleError(f"找不到输出文件夹：{dept_dir}")
    members = bundle_members(dept_dir)
    if not members:
        raise BundleError(f"输出文件夹中没有可打包的文件：{dept_dir}")

    target = dept_dir.parent / f"{dept_dir.name}.zip"
    handle, temp_name = tempfile.mkstemp(prefix=f".{dept_dir.name}.", suffix=".zip.part",
                                         dir=dept_dir.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        with zipfile.ZipFile(temp_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member in members:
                arcname = f"{dept_dir.name}/{member.relative_to(dept_dir).as_posix()}"
                # from_file keeps each file's modification time (clamped to 1980, the zip
                # epoch); zipfile itself sets the UTF-8 flag for non-ASCII arcnames.
                info = zipfile.ZipInfo.from_file(member, arcname, strict_timestamps=False)
                info.compress_type = zipfile.ZIP_DEFLATED
                with member.open("rb") as source, archive.open(info, "w") as sink:
                    while chunk := source.read(1 << 20):
                        sink.write(chunk)
        os.replace(temp_path, target)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return target
