"""Clean interruption: Ctrl-C at any moment ends with exit code 130 and one Chinese line; a killed
build's staging folder is removed by the next build, a live build's never."""

from __future__ import annotations

import builtins
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.app import staging as S
from generator.app.cli import main
from generator.app.console import INTERRUPTED, run
from tests.factories import write_budget

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _wait_for(condition: Any, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


def _mapped(pid: int, fragment: str) -> bool:
    try:
        return fragment in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_an_interrupt_while_the_command_line_is_imported_is_caught(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real_import = builtins.__import__

    def interrupted_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "generator.app.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted_import)
    monkeypatch.setattr(sys, "argv", ["budget-report", "check", "x.xlsx"])
    monkeypatch.setattr(signal, "signal", lambda *_: None)  # leave pytest's own handler alone
    assert run() == 130
    assert INTERRUPTED in capsys.readouterr().err


# A stand-in for what the real interrupts hit at random: the Ctrl-C arrives while a C extension runs
# Python code through PyRun_String (as some do while being imported), or inside a finaliser.
_INTERRUPT_INSIDE = {
    "c_extension": """
import ctypes
def main():
    run = ctypes.pythonapi.PyRun_String
    run.restype = ctypes.py_object
    run.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.py_object, ctypes.py_object]
    run(b"raise KeyboardInterrupt", 257, {}, {})
""",
    "finaliser": """
import gc
class Interrupted:
    def __del__(self):
        raise KeyboardInterrupt
def main():
    Interrupted()
    gc.collect()
    for _ in range(10 ** 7):  # the interrupt is handed over at the next check, long before the end
        pass
    return 0
""",
}


@pytest.mark.parametrize("where", sorted(_INTERRUPT_INSIDE))
def test_an_interrupt_inside_an_extension_or_a_finaliser_ends_cleanly(where: str, tmp_path: Path) -> None:
    # Run as ``python -m``: that path, unlike a script's, re-raises a remembered SIGINT at exit.
    (tmp_path / "interrupted.py").write_text(
        "import generator.app.cli as cli\n" + _INTERRUPT_INSIDE[where]
        + "cli.main = main\nfrom generator.app.console import entry\nentry()\n", encoding="utf-8")
    env = {**ENV, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    done = subprocess.run([sys.executable, "-m", "interrupted"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    if where == "finaliser":  # the interrupt is dropped: the command finishes, quietly
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    else:
        assert (done.returncode, done.stdout, done.stderr.strip()) == (130, "", INTERRUPTED)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
@pytest.mark.parametrize("delay", [0.0, 0.2, 0.6])
def test_ctrl_c_during_start_up_and_work_exits_130_in_chinese_without_traceback(
        delay: float, tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(path), "-o", str(tmp_path / "o")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path)
    # Start-up proper: the interpreter is up and importing our modules (decimal is loaded by them,
    # never by the interpreter's own start-up).
    assert _wait_for(lambda: _mapped(proc.pid, "_decimal") or proc.poll() is not None)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in out + err, err
    if proc.returncode == 130:
        assert INTERRUPTED in err
    else:  # the build was faster than the signal
        assert proc.returncode == 0, err
    assert not list((tmp_path / "o").glob(f"{S.PREFIX}*")) if (tmp_path / "o").exists() else True


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
def test_ctrl_c_during_a_parallel_batch_stops_the_workers_and_cleans_up(tmp_path: Path) -> None:
    from benchmarks.synthetic import write_departments

    folder = write_departments(tmp_path / "in", 6, projects=30, broken_every=0)[0].parent
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(folder), "-o", str(out), "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path,
                            start_new_session=True)
    assert _wait_for(lambda: bool(list(out.glob(f"{S.PREFIX}*/*"))) or proc.poll() is not None)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: to the workers too
    stdout, err = proc.communicate(timeout=120)
    assert "Traceback" not in stdout + err, err
    assert proc.returncode in (130, 0), err
    if proc.returncode == 130:
        assert INTERRUPTED in err
    assert not list(out.glob(f"{S.PREFIX}*"))


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
def test_a_killed_build_leaves_staging_that_the_next_build_removes_at_once(tmp_path: Path) -> None:
    from benchmarks.synthetic import budget_data
    from generator.model.schema import WorkbookKind
    from generator.render.workbook_template import write_workbook

    path = tmp_path / "big.xlsx"
    write_workbook(WorkbookKind.BUDGET, path, budget_data(300))  # slow enough to be caught rendering
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(path), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=tmp_path)
    caught = _wait_for(lambda: bool(list(out.glob(f"{S.PREFIX}*"))) or proc.poll() is not None)
    proc.kill()
    proc.wait(timeout=30)
    if not caught or not list(out.glob(f"{S.PREFIX}*")):
        pytest.skip("the build finished before it could be killed")
    left = list(out.glob(f"{S.PREFIX}*"))
    assert left  # the dead build's staging (a lock file nobody holds)
    other = write_budget(tmp_path / "small.xlsx")
    assert main(["build", str(other), "-o", str(out)]) == 0  # the next build, seconds later
    assert not list(out.glob(f"{S.PREFIX}*"))


def test_a_live_builds_staging_is_never_touched(tmp_path: Path) -> None:
    out = tmp_path / "o"
    with S.Staging(out) as live:  # another build, running right now (its lock is held)
        (live.path / "半成品.docx").write_bytes(b"half")
        assert main(["build", str(write_budget(tmp_path / "b.xlsx")), "-o", str(out)]) == 0
        assert (live.path / "半成品.docx").exists()
    assert not live.path.exists()


def test_unlocked_staging_of_an_older_version_is_removed_only_once_it_is_old(tmp_path: Path) -> None:
    out = tmp_path / "o"
    young, old = out / f"{S.PREFIX}young", out / f"{S.PREFIX}old"
    for folder in (young, old):
        folder.mkdir(parents=True)
        (folder / "x.docx").write_bytes(b"half")
    past = time.time() - S.UNLOCKED_GRACE_SECONDS - 10
    os.utime(old, (past, past))
    assert S.remove_stale(out) == [old]
    assert young.exists() and not old.exists()


def test_a_dead_owners_lock_file_marks_its_staging_stale(tmp_path: Path) -> None:
    dead = tmp_path / f"{S.PREFIX}dead"
    dead.mkdir()
    (dead / S.LOCK_NAME).write_text("12345\n")  # written, then its process died: nobody holds it
    assert S.remove_stale(tmp_path) == [dead]
