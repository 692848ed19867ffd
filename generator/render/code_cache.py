"""Compiled Jinja templates kept across runs, in the user's cache folder.

Jinja compiles a template to Python code; for the big Word template that is about a sixth of a
one-workbook build, paid again by every run. Here the compiled code is stored (``marshal``) under
``$XDG_CACHE_HOME/budget-report/jinja`` (by default ``~/.cache/budget-report/jinja``), one file per
template, and loaded instead of compiling when the same template comes again.

Never stale: a file's name is a hash of everything the compiled code depends on -- the template's
source (the XML the user's .docx becomes, so a template edited in Word is a new entry), the Jinja
and Python versions, and the environment's settings, filters and tests (see ``_fingerprint``).
Never a failure: a folder that cannot be made, read or written, a file that is damaged or not the
user's, or a folder others may write to (the cache is code, run as the user) is simply not used,
and the template is compiled as before. Writes go through a temporary file and ``os.replace``, so
parallel runs (a batch) never see half a file. At most ``MAX_FILES`` entries are kept, the least
recently used removed first.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2

__all__ = ["MAX_FILES", "MIN_SOURCE_CHARS", "cache_dir", "compile_cached"]

MAX_FILES = 64
# Smaller templates (a wording snippet) compile in well under a millisecond: not worth a file.
MIN_SOURCE_CHARS = 500
_FORMAT = b"budget-report compiled jinja template 1\n"
_SUFFIX = ".jinja-code"


def cache_dir() -> Path:
    """Where compiled templates are kept (it may not exist, or not be usable)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budget-report" / "jinja"


def compile_cached(env: jinja2.Environment, source: str) -> CodeType:
    """``env.compile(source)``, from the cache when it holds it (and stored there when not)."""
    fingerprint = _fingerprint(env) if len(source) >= MIN_SOURCE_CHARS else None
    folder = _usable_folder() if fingerprint is not None else None
    if fingerprint is None or folder is None:
        return env.compile(source)
    key = hashlib.sha256(fingerprint + source.encode("utf-8", "surrogatepass")).hexdigest()
    path = folder / (key + _SUFFIX)
    code = _load(path)
    if code is None:
        code = env.compile(source)
        _store(folder, path, code)
    return code


def _fingerprint(env: jinja2.Environment) -> bytes | None:
    """What, besides the source, the compiled code depends on; None when it cannot be told (an
    autoescape function decides per template name)."""
    if not isinstance(env.autoescape, bool):
        return None

    def passes(functions: Any) -> list[tuple[str, str]]:
        # The compiler reads each filter's/test's pass_context & co. (jinja_pass_arg).
        return sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in functions.items())

    parts: list[object] = [
        _FORMAT, jinja2.__version__, sys.version, sys.implementation.cache_tag, marshal.version,
        type(env).__qualname__, env.code_generator_class.__qualname__, env.autoescape, env.optimized,
        env.is_async, env.finalize is not None, repr(getattr(env.finalize, "jinja_pass_arg", None)),
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
        env.newline_sequence, env.keep_trailing_newline, sorted(env.extensions),
        passes(env.filters), passes(env.tests),
    ]
    return repr(parts).encode("utf-8") + b"\0"


def _usable_folder() -> Path | None:
    """The cache folder, made if need be; None unless it is the user's alone."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or not _private(info):
        return None
    return folder


def _private(info: os.stat_result) -> bool:
    """Owned by the user and writable by no one else (POSIX; elsewhere the user's profile is)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(path: Path) -> CodeType | None:
    try:
        with open(path, "rb") as f:
            if not _private(os.fstat(f.fileno())):
                return None
            data = f.read()
    except OSError:
        return None
    header = len(_FORMAT) + hashlib.sha256().digest_size
    payload = data[header:]
    if data[:len(_FORMAT)] != _FORMAT or data[len(_FORMAT):header] != hashlib.sha256(payload).digest():
        return None  # damaged (or another format): compiled again and replaced
    try:
        code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(code, CodeType):
        return None
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return code


def _store(folder: Path, path: Path, code: CodeType) -> None:
    payload = marshal.dumps(code)
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_FORMAT + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the ``MAX_FILES`` most recently used entries (and no temporary file of a run that was
    killed while writing one, an hour on)."""
    try:
        files = [(p.stat().st_mtime, p) for p in folder.iterdir()]
    except OSError:
        return
    entries = sorted((t, p) for t, p in files if p.name.endswith(_SUFFIX))
    abandoned = [(t, p) for t, p in files if p.name.endswith(".tmp") and t < time.time() - 3600]
    for _, old in entries[:max(0, len(entries) - MAX_FILES)] + abandoned:
        try:
            old.unlink()
        except OSError:
            pass
