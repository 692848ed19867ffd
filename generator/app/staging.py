"""Staging folders: where a build renders before its files are moved into place.

A staging folder ``.building-*`` sits beside the department folders (same file system, so the
final ``os.replace`` is atomic). Its owner holds an exclusive OS lock on ``.owner.lock`` inside it
for as long as it exists; the lock dies with the process, however the process ends (Ctrl-C, kill,
power cut). So the next build into the same output folder can tell a dead build's leftovers (lock
free: removed at once) from a build running right now in another window (lock held: left alone) --
no age guess, no pid that may have been reused. On Windows ``msvcrt.locking`` plays ``flock``'s part.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

PREFIX = ".building-"
LOCK_NAME = ".owner.lock"
# A staging folder without a lock file is either being created right now (the lock follows within
# microseconds) or was left by an older version of the tool: removed once it is this old.
UNLOCKED_GRACE_SECONDS = 60


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


class Staging:
    """A locked staging folder in ``root``; removed (with anything left in it) on ``close``."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        remove_stale(root)
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
        self._fd: int | None = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(self._fd):  # pragma: no cover - a fresh file nobody else knows of
            raise OSError(f"无法锁定临时文件夹 {self.path}")
        os.write(self._fd, f"{os.getpid()}\n".encode())  # for a curious user; the lock decides

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock (Windows cannot delete a file still open)
            self._fd = None
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def remove_stale(root: Path) -> list[Path]:
    """Remove the staging folders in ``root`` whose owner is gone; return them."""
    removed = []
    for folder in root.glob(f"{PREFIX}*"):
        if folder.is_dir() and _is_stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _is_stale(folder: Path) -> bool:
    lock = folder / LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > UNLOCKED_GRACE_SECONDS
        except OSError:
            return False
    except OSError:
        return False  # cannot even open it: not ours to judge
    try:
        return _try_lock(fd)  # we got the lock: its owner is dead
    finally:
        os.close(fd)
