"""Convert rendered .docx/.xlsx files to PDF with LibreOffice running headless.

Why LibreOffice: it is the only free converter that lays out Word tables and Excel print
settings (A4, repeated header rows, fit-to-width) faithfully enough for a published document.

What makes unattended conversion fast and reliable:

* **one LibreOffice per process**, kept running (:mod:`generator.deliver.office_service`):
  starting it costs about 1.4 s of CPU, more than converting a department's documents, so a
  batch worker starts it once, converts one document at a time, restarts it if it dies and
  recycles it every ``RECYCLE_AFTER`` documents. Where it cannot run (no Python able to
  ``import uno``), each call falls back to one ``soffice --convert-to`` for all its files;
* every LibreOffice gets its **own** profile directory (``-env:UserInstallation``). Two
  soffice processes sharing the default profile either block on its lock file or hand the job
  to the already running instance and exit at once, so parallel jobs (two departments, a CI
  run next to a user's desktop session) would otherwise fail or hang;
* within one Python process only one conversion runs at a time (a module lock): a LibreOffice
  instance takes a few hundred MB, and running several on a small office PC helps nobody.

The fonts named in the templates (仿宋_GB2312, 方正小标宋简体 …) are rarely installed on Linux;
LibreOffice runs with the project's fontconfig mapping (:mod:`generator.deliver.fonts`) so that
each becomes a distinct free face. Without *any* Chinese font the PDF shows empty boxes instead
of characters, hence :func:`warn_if_no_cjk_fonts`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from generator.deliver.fonts import libreoffice_env
from generator.deliver.office_service import (
    OfficeService,
    ServiceDied,
    ServiceTimeout,
    ServiceUnavailable,
    kill_group,
    uno_python,
)

__all__ = [
    "PdfError",
    "convert_to_pdf",
    "cjk_fonts_installed",
    "find_soffice",
    "shutdown_service",
    "warn_if_no_cjk_fonts",
]

MISSING_SOFFICE_MESSAGE = (
    "未找到 LibreOffice（soffice）：请安装 libreoffice-writer-nogui 和 "
    "libreoffice-calc-nogui 后再使用 --pdf"
)
NO_CJK_FONT_MESSAGE = (
    "未检测到中文字体（fc-list :lang=zh 没有结果）：转换出的 PDF 中汉字可能显示为方框。"
    "请安装中文字体（如 fonts-noto-cjk 或 fonts-wqy-microhei）后重新转换。"
)

# Places LibreOffice installs itself outside PATH on Windows and macOS.
_EXTRA_SOFFICE_LOCATIONS: tuple[str, ...] = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)

# Serialises conversions inside one Python process (see the module docstring).
_CONVERSION_LOCK = threading.Lock()


class PdfError(RuntimeError):
    """A PDF conversion could not be done; ``str(err)`` is a Chinese message for the user.

    ``converted`` lists the PDFs that *were* produced before the failure, so a caller can
    still report or use them.
    """

    def __init__(self, message: str, converted: Iterable[Path] = ()) -> None:
        super().__init__(message)
        self.converted: list[Path] = list(converted)


def find_soffice() -> str | None:
    """Return the path of the LibreOffice executable, or None when it is not installed.

    ``soffice`` is looked up on PATH first (Debian/Ubuntu packages, Windows installs that
    added themselves to PATH), then ``libreoffice``, then the default install locations.
    """
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _EXTRA_SOFFICE_LOCATIONS:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def cjk_fonts_installed() -> bool:
    """True when fontconfig knows at least one font covering Chinese (``fc-list :lang=zh``).

    Without fontconfig (Windows, macOS without it) the answer cannot be measured; those
    systems ship Chinese fonts, so True is returned.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return sys.platform in ("win32", "darwin")
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def warn_if_no_cjk_fonts() -> str | None:
    """Return a Chinese warning when no Chinese font is installed, else None."""
    return None if cjk_fonts_installed() else NO_CJK_FONT_MESSAGE


def convert_to_pdf(
    files: list[Path], out_dir: Path | None = None, timeout: float = 180
) -> list[Path]:
    """Convert each file to PDF and return the PDF paths, in the order of ``files``.

    ``out_dir`` defaults to each file's own folder. A PDF is named after its source
    (``报告.docx`` → ``报告.pdf``); when two sources share a stem (``表.docx`` and ``表.xlsx``)
    the PDFs are named ``表-docx.pdf`` and ``表-xlsx.pdf`` so neither overwrites the other.
    Existing PDFs of the same name are replaced.

    The conversion goes to this process's LibreOffice service (started on first use, restarted
    if it died); where no service can run, to one ``soffice --convert-to`` call for all files.

    ``timeout`` bounds the whole call (seconds). Raises :class:`PdfError` with a Chinese
    message when LibreOffice is missing, a source does not exist, LibreOffice fails or
    times out, or a PDF was not produced.
    """
    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(MISSING_SOFFICE_MESSAGE)

    sources = [Path(f).resolve() for f in files]
    missing = [s for s in sources if not s.is_file()]
    if missing:
        raise PdfError("找不到要转换的文件：" + "、".join(str(m) for m in missing))

    targets = _target_paths(sources, out_dir)
    deadline = time.monotonic() + timeout
    with _CONVERSION_LOCK, tempfile.TemporaryDirectory(prefix="budget-report-pdf-") as tmp:
        work = Path(tmp)
        service = _service(soffice, deadline, timeout)
        if service is not None:
            pdfs, detail = _convert_with_service(soffice, service, sources, work, deadline, timeout)
        else:
            pdfs, detail = _convert_with_cli(soffice, sources, work, timeout)

        produced: list[Path] = []
        failed: list[Path] = []
        for source, pdf, target in zip(sources, pdfs, targets, strict=True):
            if not _looks_like_pdf(pdf):
                failed.append(source)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # Copy then rename so a reader never sees a half-written PDF in the outputs.
            partial = target.with_name(f".{target.name}.part")
            shutil.copyfile(pdf, partial)
            os.replace(partial, target)
            produced.append(target)

    if failed:
        raise PdfError(
            "LibreOffice 未能把以下文件转换为 PDF："
            + "、".join(f.name for f in failed)
            + ("（LibreOffice 输出：" + " / ".join(detail) + "）" if detail else "")
            + "。请用 Word/WPS 打开确认文件完好。",
            converted=produced,
        )
    return produced


def _timeout_error(timeout: float) -> PdfError:
    return PdfError(
        f"LibreOffice 转换 PDF 超时（超过 {timeout:g} 秒），已终止。"
        "文件很大时可加大超时时间后重试。"
    )


# -- the service: one LibreOffice per process -----------------------------------------------

_SERVICE: OfficeService | None = None
_SERVICE_UNAVAILABLE = False  # it failed to start once in this process: use the command line
# Recycled after this many documents: LibreOffice's heap grows with its caches (measured here:
# ~480 MB after 20 department documents, ~650 MB after 60, then flat), and a restart costs
# about as much as two conversions.
RECYCLE_AFTER = 100


def _service_wanted() -> bool:
    """``BUDGET_REPORT_PDF_SERVICE=0`` makes every call start its own LibreOffice (the way the
    tool worked before the service; kept for comparison and as a way out)."""
    return os.environ.get("BUDGET_REPORT_PDF_SERVICE", "1").strip() not in ("0", "no", "off")


def _service(soffice: str, deadline: float, timeout: float) -> OfficeService | None:
    """This process's running service, started if needed; None when the CLI must do."""
    global _SERVICE, _SERVICE_UNAVAILABLE
    if _SERVICE_UNAVAILABLE or not _service_wanted():
        return None
    if _SERVICE is not None and (not _SERVICE.alive() or _SERVICE.conversions >= RECYCLE_AFTER):
        _SERVICE.stop(graceful=_SERVICE.alive())
        _SERVICE = None
    if _SERVICE is None:
        python = uno_python(soffice)
        if python is None:
            _SERVICE_UNAVAILABLE = True
            return None
        service = OfficeService(soffice, python, libreoffice_env())
        try:
            service.start(deadline)
        except ServiceTimeout:
            raise _timeout_error(timeout) from None
        except ServiceUnavailable:
            _SERVICE_UNAVAILABLE = True
            return None
        _SERVICE = service
        _register_shutdown()
    return _SERVICE


def _convert_with_service(soffice: str, service: OfficeService, sources: list[Path], work: Path,
                          deadline: float, timeout: float) -> tuple[list[Path], list[str]]:
    """Each source through the service; a LibreOffice that dies is restarted and the document
    tried once more (a second death on the same document fails that document only)."""
    global _SERVICE
    pdfs: list[Path] = []
    detail: list[str] = []
    for index, source in enumerate(sources):
        pdf = work / f"out{index}.pdf"
        pdfs.append(pdf)
        for attempt in (1, 2):
            try:
                error = service.convert(source, pdf, deadline)
                if error:
                    detail.append(f"{source.name}: {error}")
                break
            except ServiceTimeout:
                _SERVICE = None
                raise _timeout_error(timeout) from None
            except ServiceDied as exc:
                _SERVICE = None
                restarted = _service(soffice, deadline, timeout) if attempt == 1 else None
                if restarted is None:
                    detail.append(f"{source.name}: LibreOffice 异常退出（{exc}）")
                    break
                service = restarted
    return pdfs, detail


_SHUTDOWN_REGISTERED_IN: int | None = None


def _register_shutdown() -> None:
    """Stop the service when this process ends: ``atexit`` in a main process, a
    multiprocessing finaliser in a pool worker (workers do not run ``atexit`` handlers)."""
    global _SHUTDOWN_REGISTERED_IN
    if _SHUTDOWN_REGISTERED_IN == os.getpid():
        return
    _SHUTDOWN_REGISTERED_IN = os.getpid()
    atexit.register(shutdown_service)
    from multiprocessing import util

    util.Finalize(None, shutdown_service, exitpriority=10)


def shutdown_service() -> None:
    """Stop this process's LibreOffice service, if one runs (the next conversion starts anew).
    LibreOffice is asked to quit, and killed if it does not."""
    global _SERVICE
    service, _SERVICE = _SERVICE, None
    if service is not None and service.owner_pid == os.getpid():
        service.stop(graceful=True)


def _forget_service_after_fork() -> None:
    """A forked child (a pool worker) must not use or stop its parent's LibreOffice."""
    global _SERVICE, _SHUTDOWN_REGISTERED_IN
    service, _SERVICE = _SERVICE, None
    _SHUTDOWN_REGISTERED_IN = None
    if service is not None:
        service.forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_service_after_fork)


# -- the command line: one LibreOffice per call ----------------------------------------------


def _convert_with_cli(soffice: str, sources: list[Path], work: Path,
                      timeout: float) -> tuple[list[Path], list[str]]:
    """One ``soffice --convert-to pdf`` for all sources, with its own profile."""
    profile = work / "profile"
    staging = work / "out"
    staging.mkdir()
    # Stage under unique ASCII names: sources with the same stem would otherwise
    # produce the same PDF name, and odd characters in paths never reach soffice's
    # command line parser.
    staged: list[Path] = []
    for index, source in enumerate(sources):
        link = work / f"in{index}{source.suffix.lower()}"
        shutil.copyfile(source, link)
        staged.append(link)
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(staging),
        *(str(s) for s in staged),
    ]
    output = _run_soffice(command, timeout)
    return [staging / (link.stem + ".pdf") for link in staged], output.strip().splitlines()[-3:]


def _target_paths(sources: list[Path], out_dir: Path | None) -> list[Path]:
    """PDF path for each source, disambiguating sources that share a folder and stem."""
    folders = [Path(out_dir).resolve() if out_dir is not None else s.parent for s in sources]
    keys = [(folder, s.stem.casefold()) for folder, s in zip(folders, sources, strict=True)]
    targets: list[Path] = []
    for folder, source, key in zip(folders, sources, keys, strict=True):
        if keys.count(key) > 1:
            name = f"{source.stem}-{source.suffix.lstrip('.').lower()}.pdf"
        else:
            name = f"{source.stem}.pdf"
        targets.append(folder / name)
    return targets


def _run_soffice(command: list[str], timeout: float) -> str:
    """Run LibreOffice, return its combined output; raise PdfError on timeout or failure.

    It runs in its own process group: ``soffice`` is a launcher that starts ``soffice.bin``,
    and killing only the launcher on timeout would leave the real converter running.
    """
    env = libreoffice_env()
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=(os.name == "posix"),
        )
    except OSError as exc:
        raise PdfError(f"无法启动 LibreOffice（{command[0]}）：{exc}") from exc
    try:
        raw, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        process.communicate()
        raise _timeout_error(timeout) from None
    output = raw.decode("utf-8", errors="replace") if raw else ""
    if process.returncode != 0:
        raise PdfError(
            f"LibreOffice 转换 PDF 失败（退出码 {process.returncode}）：{output.strip()[-300:]}"
        )
    return output


def _looks_like_pdf(path: Path) -> bool:
    """True when ``path`` exists and starts with the PDF signature."""
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False
