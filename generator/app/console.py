"""The console entry point (``budget-report``, ``python -m generator``).

Nothing heavy is imported before Ctrl-C is handled: the command line module and everything it
pulls in (openpyxl, docxtpl …, about half a second) are imported inside the ``try``, so an
interrupt during start-up ends like any other -- exit code 130 and one Chinese line, no traceback.
"""

from __future__ import annotations

import sys

INTERRUPTED = "已中断。已生成的旧文件保持不变。"
INTERRUPTED_EXIT = 130  # 128 + SIGINT, what shells expect of an interrupted command


def entry() -> None:
    try:
        from generator.app.cli import main

        code = main()
        # The work is done: a Ctrl-C now must not kill the interpreter while it shuts down (it
        # restores the default handler then, and the process would die by the signal).
        _ignore_interrupts()
    except KeyboardInterrupt:
        code = interrupted("--json" in sys.argv[1:])
    sys.exit(code)


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
