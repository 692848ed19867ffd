"""A LibreOffice conversion service: one ``soffice`` kept running, documents sent to it over UNO.

This file is a *script*, run by :mod:`generator.deliver.office_service` with a Python interpreter that can
``import uno`` (on Debian ``/usr/bin/python3`` with ``python3-uno``; on Windows/macOS the Python
that ships inside LibreOffice). That interpreter is usually not the one budget-report runs in
(a virtualenv cannot import ``uno``), so this file imports nothing but the standard library and
``uno``, and talks to its parent through a pipe, one JSON object per line:

* it starts ``soffice --headless --accept=pipe,…`` with the profile given on its command line,
  connects, and writes ``{"ready": true}`` (or ``{"ready": false, "error": …}`` and exits);
* for each request ``{"src": path, "dst": path}`` it loads the document hidden and read-only,
  exports it with the PDF filter of its kind (Writer or Calc), closes it and answers
  ``{"ok": true}`` or ``{"ok": false, "error": …}``;
* when its standard input closes (the parent finished, or died) it terminates LibreOffice.

Why: starting LibreOffice costs about 1.4 s of CPU; a batch of 200 departments paid that 200
times when every workbook started its own ``soffice --convert-to``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

# Export filter per document service; the first one the loaded document supports wins.
_FILTERS = (
    ("com.sun.star.text.TextDocument", "writer_pdf_Export"),
    ("com.sun.star.sheet.SpreadsheetDocument", "calc_pdf_Export"),
    ("com.sun.star.presentation.PresentationDocument", "impress_pdf_Export"),
    ("com.sun.star.drawing.DrawingDocument", "draw_pdf_Export"),
)
_CONNECT_SECONDS = 90.0


def _reply(message: dict[str, Any]) -> None:
    # ASCII JSON: the pipe carries no text in the console encoding (cp936 on Chinese Windows).
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _props(**values: Any) -> tuple[Any, ...]:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    props = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        props.append(prop)
    return tuple(props)


def _connect(pipe_name: str, soffice: subprocess.Popen[bytes]) -> Any:
    import uno  # type: ignore[import-not-found]
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + _CONNECT_SECONDS
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if soffice.poll() is not None:
                raise RuntimeError(f"LibreOffice exited during start-up (code {soffice.returncode})") from None
            if time.monotonic() > deadline:
                raise RuntimeError("LibreOffice did not accept a connection in time") from None
            time.sleep(0.1)


def _convert(desktop: Any, src: str, dst: str) -> None:
    import uno

    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(src), "_blank", 0,
        # No macros, no link updates, no dialogs: the documents are our own renders.
        _props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0))
    if document is None:
        raise RuntimeError("LibreOffice could not load the file")
    try:
        name = next((f for service, f in _FILTERS if document.supportsService(service)), None)
        if name is None:
            raise RuntimeError("no PDF export for this kind of document")
        document.storeToURL(uno.systemPathToFileUrl(dst), _props(FilterName=name))
    finally:
        try:
            document.close(True)
        except Exception:  # a document that cannot close is disposed with the process later
            pass


def main(argv: list[str]) -> int:
    soffice_path, profile_url = argv[1], argv[2]
    pipe_name = f"budget_report_{os.getpid()}_{time.monotonic_ns()}"
    soffice = subprocess.Popen(
        [soffice_path, f"-env:UserInstallation={profile_url}", "--headless", "--invisible",
         "--norestore", "--nologo", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        try:
            desktop = _connect(pipe_name, soffice)
        except Exception as exc:
            _reply({"ready": False, "error": str(exc)})
            return 1
        _reply({"ready": True})
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                _convert(desktop, request["src"], request["dst"])
                _reply({"ok": True})
            except Exception as exc:
                if soffice.poll() is not None:  # LibreOffice itself died: the parent restarts us
                    _reply({"ok": False, "error": f"LibreOffice exited (code {soffice.returncode})",
                            "dead": True})
                    return 1
                _reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
        try:
            desktop.terminate()
        except Exception:  # the bridge drops while LibreOffice quits: expected
            pass
        return 0
    finally:
        try:
            soffice.wait(timeout=10)
        except subprocess.TimeoutExpired:
            soffice.kill()
            soffice.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
