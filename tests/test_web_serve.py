"""``budget-report serve``: the command, its defaults, the LAN access code, and a clean stop."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="网页界面的依赖未安装（pip install -e '.[web]'）")

from generator.app.cli import main  # noqa: E402 - after the importorskip guard
from generator.app.web import command, server  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60  # seconds for the server to print its address (an upper bound, not a measurement)


def test_serve_is_a_command_with_chinese_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for option in ("--host", "--port", "--no-browser", "--config"):
        assert option in help_text
    assert "127.0.0.1" in help_text and "8765" in help_text and "访问口令" in help_text


def test_loopback_is_recognised_and_access_codes_are_random_and_readable() -> None:
    for host in ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"):
        assert server.is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.5", "example.gov.cn"):
        assert not server.is_loopback(host), host
    codes = {server.new_access_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}", code)  # no 0 O 1 I L


def test_a_port_in_use_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--no-browser"]) == 2
    message = capsys.readouterr().err
    assert f"端口 {port} 已被占用" in message and "--port" in message


def test_without_the_web_extra_the_command_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(command, "missing_web_packages", lambda: ["starlette", "uvicorn"])
    assert main(["serve", "--no-browser"]) == 2
    assert "pip install -e '.[web]'" in capsys.readouterr().err


def test_the_browser_is_opened_once_the_server_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(server.webbrowser, "open", opened.append)

    class Started:
        started = True

    server._open_when_ready(Started(), "http://127.0.0.1:8765/")
    assert opened == ["http://127.0.0.1:8765/"]


@contextmanager
def running(tmp_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """``python -m generator serve --port 0 --no-browser ARGS`` in ``tmp_path``; yields it and its first lines."""
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "PYTHONPATH": str(REPO)}
    (tmp_path / "tmp").mkdir()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0", "--no-browser", *args],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:  # bounded: the server prints a handful of lines, then serves
            lines.append(line.strip())
            if line.startswith("按 Ctrl+C"):
                break
        assert lines and lines[-1].startswith("按 Ctrl+C"), lines
        yield process, lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=START_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _url(lines: list[str]) -> str:
    match = re.search(r"http://\S+/", lines[0])
    assert match, lines
    return match.group(0)


def test_serve_listens_on_loopback_and_cleans_up_on_ctrl_c(tmp_path: Path) -> None:
    with running(tmp_path) as (process, lines):
        url = _url(lines)
        assert url.startswith("http://127.0.0.1:")
        assert "只允许本机访问" in "\n".join(lines) and "访问口令" not in "\n".join(lines)
        with urllib.request.urlopen(url, timeout=START_TIMEOUT) as response:
            page = response.read().decode("utf-8")
        assert "四步完成" in page
        assert any(p.name.startswith("budget-report-web-") for p in (tmp_path / "tmp").iterdir())
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=START_TIMEOUT)
    assert process.returncode == 0
    assert "服务已停止，临时文件已删除" in rest and "Traceback" not in rest
    assert not any(p.name.startswith("budget-report-web-") for p in (tmp_path / "tmp").iterdir())


def test_serving_the_lan_prints_an_access_code_that_every_page_requires(tmp_path: Path) -> None:
    with running(tmp_path, "--host", "0.0.0.0") as (_process, lines):
        text = "\n".join(lines)
        code = re.search(r"访问口令：(\S{19})", text)
        assert code, text
        url = _url(lines)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(url + "check", timeout=START_TIMEOUT) as response:
            assert response.url.endswith("/login") and "输入访问口令" in response.read().decode("utf-8")
        wrong = urllib.parse.urlencode({"code": "ABCD-EFGH-JKMN-PQRS"}).encode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(url + "login", data=wrong, timeout=START_TIMEOUT)
        assert refused.value.code == 403
        right = urllib.parse.urlencode({"code": code.group(1)}).encode()
        with opener.open(url + "login", data=right, timeout=START_TIMEOUT) as response:
            assert "四步完成" in response.read().decode("utf-8")
        with opener.open(url + "check", timeout=START_TIMEOUT) as response:
            assert "上传校验" in response.read().decode("utf-8")
