"""The console entry point (``budget-report``, ``python -m generator``).

Nothing heavy is imported before Ctrl-C is handled: the command line module and everything it
pulls in (openpyxl, docxtpl …, about half a second) are imported inside the ``try``, so an
interrupt during start-up ends like any other -- exit code 130 and one Chinese line, no traceback.
"""

from __future__ import annotations

import sys
from typing import Any

INTERRUPTED = "已中断。已生成的旧文件保持不变。"
INTERRUPTED_EXIT = 130  # 128 + SIGINT, what shells expect of an interrupted command


def entry() -> None:
    sys.unraisablehook = _unraisable
    code = run()
    if code == INTERRUPTED_EXIT:
        _leave_interrupted()
    sys.exit(code)


def run() -> int:
    """Run the command line; 130 (after saying so) when interrupted at any point."""
    try:
        from generator.app.cli import main

        code = main()
        # The work is done: a Ctrl-C now must not kill the interpreter while it shuts down (it
        # restores the default handler then, and the process would die by the signal).
        _ignore_interrupts()
    except KeyboardInterrupt:
        code = interrupted("--json" in sys.argv[1:])
    return code


def _leave_interrupted() -> None:
    """End an interrupted run with exit code 130, whatever the interpreter remembers.

    A KeyboardInterrupt raised while a C extension runs Python code through ``PyRun_String`` (some
    do while being imported) marks the interpreter as killed by Ctrl-C even after we handled it, and
    at exit it then re-raises SIGINT at itself: the shell would see "killed by signal", not 130. So
    the exit handlers (the PDF service, pool workers) run here and the process leaves at once.
    """
    import atexit
    import os

    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(INTERRUPTED_EXIT)


def _unraisable(unraisable: Any) -> None:
    """A Ctrl-C that lands in a finaliser (``__del__``) is not shown as a traceback.

    Python cannot raise an exception out of a finaliser: it prints "Exception ignored in …" with a
    traceback and carries on. Nor can this hook hand the interrupt to the main thread (it would be
    raised here again, inside the hook). So the interrupt is dropped quietly and the command goes on
    as if Ctrl-C had come a moment later than the work; every output is still written whole or not
    at all.
    """
    if issubclass(unraisable.exc_type, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def interrupted(as_json: bool) -> int:
    """Say the command was interrupted (as JSON on stdout with ``--json``); the exit code."""
    _ignore_interrupts()  # a second Ctrl-C must not interrupt the goodbye
    try:
        if as_json:
            import json

            print(json.dumps({"error": INTERRUPTED, "exit_code": INTERRUPTED_EXIT}, ensure_ascii=False))
        else:
            print(INTERRUPTED, file=sys.stderr)
    except KeyboardInterrupt:  # a second Ctrl-C while saying so: still no traceback
        pass
    return INTERRUPTED_EXIT
