"""One LibreOffice kept running for many conversions (the client side of ``uno_server.py``).

Starting LibreOffice costs about 1.4 s of CPU, more than converting a department's two
documents. :class:`OfficeService` starts it once, through the small ``uno_server.py`` script
run by a Python that can ``import uno``, and sends it one document at a time over a pipe.

The service is owned by one process: a batch's worker processes each start their own (one
conversion at a time per worker, as LibreOffice is single-threaded anyway). It runs in its own
process group, so :meth:`OfficeService.stop` (or a timeout) ends the script, the ``soffice``
launcher and ``soffice.bin`` together; and the script exits by itself when its standard input
closes, so a worker that dies takes its LibreOffice with it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["OfficeService", "ServiceDied", "ServiceTimeout", "ServiceUnavailable", "uno_python"]

SERVER_SCRIPT = Path(__file__).with_name("uno_server.py")
# Interpreters tried for the server after the running one: Debian's python3 with python3-uno,
# then the Python bundled inside LibreOffice (Windows: program/python.exe; macOS: Resources/python).
_SYSTEM_PYTHONS = ("/usr/bin/python3",)
_QUIT_SECONDS = 15.0  # how long a graceful stop waits for LibreOffice to quit


class ServiceUnavailable(Exception):
    """The service cannot run here (no Python with ``uno``, or LibreOffice refused to start)."""


class ServiceTimeout(Exception):
    """The service did not answer before the deadline; it has been stopped."""


class ServiceDied(Exception):
    """LibreOffice (or the script driving it) exited while working; it has been stopped."""


_UNO_PYTHON: str | None | bool = False  # False: not looked for yet in this process


def uno_python(soffice: str) -> str | None:
    """A Python interpreter that can ``import uno``, or None (looked up once per process)."""
    global _UNO_PYTHON
    if _UNO_PYTHON is not False:
        return _UNO_PYTHON  # type: ignore[return-value]
    found: str | None = None
    override = os.environ.get("BUDGET_REPORT_UNO_PYTHON")
    if override:
        found = override if _imports_uno(override) else None
    elif importlib.util.find_spec("uno") is not None:
        found = sys.executable
    else:
        program = Path(soffice).resolve().parent
        bundled = (program / "python.exe", program / "python", program.parent / "Resources" / "python")
        for candidate in (*(str(p) for p in bundled), *_SYSTEM_PYTHONS, shutil.which("python3") or ""):
            if candidate and os.path.isfile(candidate) and _imports_uno(candidate):
                found = candidate
                break
    _UNO_PYTHON = found
    return found


def _imports_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class OfficeService:
    """A running LibreOffice that converts documents to PDF, one at a time."""

    def __init__(self, soffice: str, python: str, env: dict[str, str]) -> None:
        self._soffice = soffice
        self._python = python
        self._env = env
        self._process: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._profile: Path | None = None
        self.owner_pid = os.getpid()
        self.conversions = 0

    # -- life cycle -------------------------------------------------------------------------

    def start(self, deadline: float) -> None:
        """Start LibreOffice and wait until it accepts documents.

        Raises :class:`ServiceTimeout` when ``deadline`` (``time.monotonic()``) passes first,
        :class:`ServiceUnavailable` when it cannot start at all.
        """
        self._profile = Path(tempfile.mkdtemp(prefix="budget-report-office-"))
        try:
            self._process = subprocess.Popen(
                [self._python, str(SERVER_SCRIPT), self._soffice, (self._profile / "profile").as_uri()],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=self._env, start_new_session=(os.name == "posix"))
        except OSError as exc:
            self.stop()
            raise ServiceUnavailable(str(exc)) from exc
        reader = threading.Thread(target=self._read_lines, args=(self._process,), daemon=True)
        reader.start()
        answer = self._answer(deadline)
        if not answer.get("ready"):
            self.stop()
            raise ServiceUnavailable(str(answer.get("error", "")))

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, graceful: bool = False) -> None:
        """End the script and LibreOffice. ``graceful``: let LibreOffice quit by itself first
        (a few hundred ms; its CPU time is then accounted to this process tree); otherwise, or
        when it does not quit within seconds, kill the whole process group."""
        process, self._process = self._process, None
        if process is not None:
            if os.getpid() == self.owner_pid:
                if graceful and process.poll() is None:
                    try:
                        if process.stdin is not None:
                            process.stdin.close()  # the script's cue to terminate LibreOffice
                        process.wait(timeout=_QUIT_SECONDS)
                    except (OSError, subprocess.TimeoutExpired):
                        pass
                kill_group(process)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:  # pragma: no cover - killed processes exit
                    pass
            for stream in (process.stdin, process.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
        if self._profile is not None and os.getpid() == self.owner_pid:
            shutil.rmtree(self._profile, ignore_errors=True)
        self._profile = None

    def forget(self) -> None:
        """In a forked child: drop the parent's service without touching it."""
        process, self._process, self._profile = self._process, None, None
        if process is not None:
            for stream in (process.stdin, process.stdout):
                try:
                    if stream is not None:
                        os.close(stream.fileno())  # the child's copy only; the parent keeps its own
                except (OSError, ValueError):
                    pass

    # -- work -------------------------------------------------------------------------------

    def convert(self, source: Path, target: Path, deadline: float) -> str | None:
        """Convert ``source`` to the PDF ``target``; None on success, else LibreOffice's reason.

        Raises :class:`ServiceTimeout` or :class:`ServiceDied` (the service is then stopped).
        """
        process = self._process
        if process is None or process.stdin is None or process.poll() is not None:
            self.stop()
            raise ServiceDied("not running")
        request = json.dumps({"src": str(source), "dst": str(target)}) + "\n"  # ASCII: any console encoding
        try:
            process.stdin.write(request.encode("ascii"))
            process.stdin.flush()
        except OSError as exc:
            self.stop()
            raise ServiceDied(str(exc)) from exc
        answer = self._answer(deadline)
        self.conversions += 1
        if answer.get("dead"):
            self.stop()
            raise ServiceDied(str(answer.get("error", "")))
        return None if answer.get("ok") else str(answer.get("error", "unknown error"))

    # -- internals --------------------------------------------------------------------------

    def _answer(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        try:
            line = self._lines.get(timeout=max(remaining, 0.001))
        except queue.Empty:
            self.stop()
            raise ServiceTimeout() from None
        if not line:  # end of output: the script exited
            self.stop()
            raise ServiceDied("exited")
        try:
            answer: dict[str, Any] = json.loads(line)
        except ValueError:
            self.stop()
            raise ServiceDied(f"unexpected output: {line[:200]!r}") from None
        return answer

    def _read_lines(self, process: subprocess.Popen[bytes]) -> None:
        stream = process.stdout
        assert stream is not None
        try:
            for line in stream:
                self._lines.put(line)
        except (OSError, ValueError):
            pass
        self._lines.put(b"")


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the script and everything it started (``soffice`` and ``soffice.bin``)."""
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError):
            pass
    elif process.poll() is None:  # pragma: no cover - Windows
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    try:
        process.kill()
    except OSError:
        pass
