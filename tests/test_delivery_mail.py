"""Mail delivery against a real SMTP server (aiosmtpd) on 127.0.0.1 — no mocks.

Every network wait is bounded: the client's timeout comes from MailConfig.timeout (a few
seconds here), the servers' start-up from aiosmtpd's ready_timeout, and helper socket servers
from socket timeouts.
"""

from __future__ import annotations

import email
import hashlib
import json
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from docx import Document

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
aiosmtpd_smtp = pytest.importorskip("aiosmtpd.smtp")

from generator.deliver.config import (  # noqa: E402 - after the importorskip guard
    DEFAULT_CONFIG_NAME,
    DEFAULT_PASSWORD_ENV,
    EXAMPLE_CONFIG,
    MailConfig,
    MailConfigError,
    load_config,
)
from generator.deliver.mailer import (  # noqa: E402
    DRAFT_NAME,
    SendReport,
    SendStatus,
    content_fingerprint,
    send_outputs,
)

SENDER = "czj@example.gov.cn"
PASSWORD = "abcdefghijklmnop"  # shaped like a QQ 授权码
DEPT_A = "2025-某某区科学技术局"
DEPT_B = "2025-某某区教育局"
DOCX_NAME = "2025年某某区科学技术局部门预算信息公开情况说明.docx"
XLSX_NAME = "部门预算公开表格.xlsx"
NETWORK_TIMEOUT = 5.0


# ------------------------------------------------------------------------------------------
# Servers


@dataclass
class RecordingHandler:
    """aiosmtpd handler that keeps every accepted message and can misbehave on purpose."""

    refuse: set[str] = field(default_factory=set)  # RCPT addresses answered with 550
    drop: set[str] = field(default_factory=set)  # close the connection in DATA for these
    messages: list[Any] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if self.drop & set(envelope.rcpt_tos):
            server.transport.close()
            return "421 closing"
        self.messages.append(envelope)
        return "250 Message accepted"


def _free_port() -> int:
    # aiosmtpd 1.4's Controller cannot use port=0 (it connects to its own port to check it
    # started), so ask the OS for a free port and hand it over.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(handler: RecordingHandler, **smtp_kwargs: Any) -> Iterator[int]:
    """Run an aiosmtpd server on 127.0.0.1 and yield its port."""
    controller = aiosmtpd_controller.Controller(
        handler, hostname="127.0.0.1", port=_free_port(), ready_timeout=NETWORK_TIMEOUT,
        **smtp_kwargs,
    )
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@contextmanager
def raw_socket_server(on_accept: Callable[[socket.socket], None]) -> Iterator[int]:
    """A bare TCP server for misbehaving peers (closes at once, or never answers)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    # Short accept timeout: closing a listening socket does not wake a blocked accept().
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            on_accept(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(NETWORK_TIMEOUT)
        listener.close()


# ------------------------------------------------------------------------------------------
# Department folders and config


def make_dept(root: Path, name: str, text: str = "部门预算信息公开") -> Path:
    """A department output folder with a real .docx and an .xlsx, like the renderer's."""
    folder = root / name
    folder.mkdir(parents=True)
    document = Document()
    document.add_paragraph(text)
    document.save(str(folder / DOCX_NAME))
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(folder / XLSX_NAME))
    workbook.add_worksheet("部门收支总表").write_string(0, 0, "收入")
    workbook.close()
    return folder


def config_for(port: int, **overrides: Any) -> MailConfig:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_address": SENDER,
        "from_name": "某某区财政局",
        "timeout": NETWORK_TIMEOUT,
    }
    values.update(overrides)
    return MailConfig(**values)


def send(
    dirs: list[Path], config: MailConfig, log: Path, to: list[str] | None = None,
    *, dry_run: bool = False, resend: bool = False,
    lookup: Callable[[Path], str | None] | None = None,
) -> SendReport:
    return send_outputs(dirs, to, config, dry_run=dry_run, resend=resend, log_path=log,
                        recipient_lookup=lookup)


def attachments_of(message: Message) -> dict[str, bytes]:
    """Decoded file name → bytes for every attachment of a parsed message."""
    found: dict[str, bytes] = {}
    for part in message.walk():
        name = part.get_filename()
        if name:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[name] = payload
    return found


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    root = tmp_path / "outputs"
    root.mkdir()
    return root


# ------------------------------------------------------------------------------------------
# (a) delivery with attachments intact


def test_it_delivers_every_file_with_its_chinese_name_and_exact_bytes(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        report = send([dept], config_for(port), outputs / "sent-log.jsonl", ["kjj@example.gov.cn"])

    assert [r.status for r in report.results] == [SendStatus.SENT], report.to_text()
    assert report.ok
    (envelope,) = handler.messages
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["kjj@example.gov.cn"]

    raw: bytes = envelope.original_content
    message = email.message_from_bytes(raw)
    assert str(make_header(decode_header(message["Subject"]))) == "2025年某某区科学技术局预算公开文件"
    assert "某某区财政局" in str(make_header(decode_header(message["From"])))
    expected = {p.name: p.read_bytes() for p in (dept / DOCX_NAME, dept / XLSX_NAME)}
    assert attachments_of(message) == expected

    # Outlook compatibility: RFC 2231 filename*= AND an RFC 2047 encoded name= on each part.
    assert raw.count(b"filename*=") == 2
    assert len(re.findall(rb'name="=\?utf-8\?b\?', raw, flags=re.IGNORECASE)) == 2
    for part in message.walk():
        if part.get_filename():
            encoded_name = part.get_param("name")
            assert isinstance(encoded_name, str)
            assert str(make_header(decode_header(encoded_name))) == part.get_filename()
    assert max(len(line) for line in raw.splitlines()) <= 998

    body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body_payload = body.get_payload(decode=True)
    assert isinstance(body_payload, bytes)
    text = body_payload.decode("utf-8")
    assert DOCX_NAME in text and "共 2 个" in text

    # The sent-log line records what went out.
    (line,) = (outputs / "sent-log.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(line)
    assert entry["dept"] == DEPT_A
    assert entry["recipients"] == ["kjj@example.gov.cn"]
    assert entry["message_id"] == message["Message-ID"]
    assert {a["name"]: a["sha256"] for a in entry["attachments"]} == {
        name: hashlib.sha256(data).hexdigest() for name, data in expected.items()
    }
    assert entry["time"]


def test_it_splits_a_very_long_chinese_name_into_rfc2231_continuations(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    long_name = "2025年某某区科学技术局" + "项目支出绩效目标表" * 7 + ".pdf"  # ~220 bytes: under the 255-byte file name limit
    (dept / long_name).write_bytes(b"%PDF-1.4 test")
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        report = send([dept], config_for(port), outputs / "log.jsonl", ["kjj@example.gov.cn"])

    assert report.ok, report.to_text()
    raw: bytes = handler.messages[0].original_content
    assert b"filename*0*=utf-8''" in raw
    assert max(len(line) for line in raw.splitlines()) <= 998
    assert attachments_of(email.message_from_bytes(raw))[long_name] == b"%PDF-1.4 test"


def test_it_sends_a_zip_bundle_when_configured(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        report = send([dept], config_for(port, attach="zip"), outputs / "log.jsonl",
                      ["kjj@example.gov.cn"])

    assert report.ok, report.to_text()
    received = attachments_of(email.message_from_bytes(handler.messages[0].original_content))
    assert list(received) == [f"{DEPT_A}.zip"]
    bundle_path = outputs / "bundle-copy.zip"
    bundle_path.write_bytes(received[f"{DEPT_A}.zip"])
    with zipfile.ZipFile(bundle_path) as archive:
        assert archive.read(f"{DEPT_A}/{DOCX_NAME}") == (dept / DOCX_NAME).read_bytes()


# ------------------------------------------------------------------------------------------
# (b) sent-log: no resend unless asked or changed


def test_a_second_run_sends_nothing_and_resend_sends_again(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    log = outputs / "sent-log.jsonl"
    handler = RecordingHandler()
    to = ["kjj@example.gov.cn"]
    with smtp_server(handler) as port:
        config = config_for(port)
        first = send([dept], config, log, to)
        second = send([dept], config, log, to)
        # Regenerating identical documents (new zip timestamps inside the .docx) is not
        # a change worth a second mail.
        time.sleep(2.1)  # zip timestamps have two-second resolution
        make_dept(outputs / "regen", DEPT_A)
        for name in (DOCX_NAME, XLSX_NAME):
            shutil.copyfile(outputs / "regen" / DEPT_A / name, dept / name)
        regenerated = send([dept], config, log, to)
        forced = send([dept], config, log, to, resend=True)

    assert first.results[0].status is SendStatus.SENT
    assert second.results[0].status is SendStatus.SKIPPED
    assert "--resend" in second.results[0].message
    assert regenerated.results[0].status is SendStatus.SKIPPED
    assert forced.results[0].status is SendStatus.SENT
    assert len(handler.messages) == 2
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2


def test_changed_content_or_a_new_recipient_is_sent_again(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    log = outputs / "sent-log.jsonl"
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        config = config_for(port)
        send([dept], config, log, ["kjj@example.gov.cn"])
        (dept / DOCX_NAME).unlink()
        Document().save(str(dept / DOCX_NAME))  # different content
        changed = send([dept], config, log, ["kjj@example.gov.cn"])
        widened = send([dept], config, log, ["kjj@example.gov.cn", "bgs@example.gov.cn"])

    assert changed.results[0].status is SendStatus.SENT
    assert widened.results[0].status is SendStatus.SENT
    # Only the new recipient gets the second copy of unchanged content.
    assert handler.messages[-1].rcpt_tos == ["bgs@example.gov.cn"]
    assert "kjj@example.gov.cn" in widened.results[0].message


def test_recipients_come_from_the_lookup_and_full_width_input_is_normalised(outputs: Path) -> None:
    dept_a = make_dept(outputs, DEPT_A)
    dept_b = make_dept(outputs, DEPT_B)
    contacts = {DEPT_A: "kjj＠example.gov.cn；bgs@example.gov.cn", DEPT_B: None}
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        report = send([dept_a, dept_b], config_for(port), outputs / "log.jsonl",
                      lookup=lambda d: contacts[d.name])

    a, b = report.results
    assert a.status is SendStatus.SENT
    assert handler.messages[0].rcpt_tos == ["kjj@example.gov.cn", "bgs@example.gov.cn"]
    assert b.status is SendStatus.FAILED and "联系人邮箱" in b.message


# ------------------------------------------------------------------------------------------
# (c) login


def _authenticator(calls: list[bytes]) -> Callable[..., Any]:
    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        calls.append(auth_data.login)
        ok = auth_data.login == SENDER.encode() and auth_data.password == PASSWORD.encode()
        # handled=False: let aiosmtpd answer 535 itself (its default expects us to reply).
        return aiosmtpd_smtp.AuthResult(success=ok, handled=False)

    return authenticate


# aiosmtpd warns that AUTH without TLS is unsafe: that is the point of this test server.
plaintext_auth = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@plaintext_auth
def test_login_with_the_right_password_delivers(
    outputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dept = make_dept(outputs, DEPT_A)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    calls: list[bytes] = []
    handler = RecordingHandler()
    with smtp_server(handler, auth_required=True, auth_require_tls=False,
                     authenticator=_authenticator(calls)) as port:
        report = send([dept], config_for(port, username=SENDER, password_env="TEST_SMTP_PASSWORD"),
                      outputs / "log.jsonl", ["kjj@example.gov.cn"])

    assert report.ok, report.to_text()
    assert calls == [SENDER.encode()]
    assert len(handler.messages) == 1


@plaintext_auth
def test_a_wrong_password_fails_in_chinese_and_is_not_retried(
    outputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    depts = [make_dept(outputs, DEPT_A), make_dept(outputs, DEPT_B)]
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, "the-login-password")
    calls: list[bytes] = []
    handler = RecordingHandler()
    with smtp_server(handler, auth_required=True, auth_require_tls=False,
                     authenticator=_authenticator(calls)) as port:
        report = send(depts, config_for(port, username=SENDER), outputs / "log.jsonl",
                      ["kjj@example.gov.cn"])

    assert [r.status for r in report.results] == [SendStatus.FAILED, SendStatus.FAILED]
    assert "登录邮件服务器失败" in report.results[0].message
    assert "授权码" in report.results[0].message
    assert report.results[1].message == report.results[0].message
    assert len(calls) == 1  # no second wrong login: mailboxes lock after several
    assert handler.messages == []
    assert not (outputs / "log.jsonl").exists()


def test_a_missing_password_variable_fails_without_connecting(
    outputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dept = make_dept(outputs, DEPT_A)
    monkeypatch.delenv(DEFAULT_PASSWORD_ENV, raising=False)
    # Nothing listens on this port: connecting would fail with a different message.
    report = send([dept], config_for(_free_port(), username=SENDER), outputs / "log.jsonl",
                  ["kjj@example.gov.cn"])
    (result,) = report.results
    assert result.status is SendStatus.FAILED
    assert DEFAULT_PASSWORD_ENV in result.message


# ------------------------------------------------------------------------------------------
# (d) refused recipient


def test_a_refused_recipient_fails_that_department_only(outputs: Path) -> None:
    dept_a = make_dept(outputs, DEPT_A)
    dept_b = make_dept(outputs, DEPT_B)
    contacts = {DEPT_A: "nobody@example.gov.cn", DEPT_B: "jyj@example.gov.cn"}
    handler = RecordingHandler(refuse={"nobody@example.gov.cn"})
    with smtp_server(handler) as port:
        report = send([dept_a, dept_b], config_for(port), outputs / "log.jsonl",
                      lookup=lambda d: contacts[d.name])

    a, b = report.results
    assert a.status is SendStatus.FAILED
    assert "nobody@example.gov.cn" in a.message and "550" in a.message and "拒绝" in a.message
    assert b.status is SendStatus.SENT
    assert not report.ok and report.failed == [a]
    assert [m.rcpt_tos for m in handler.messages] == [["jyj@example.gov.cn"]]
    logged = [json.loads(x)["dept"] for x in (outputs / "log.jsonl").read_text("utf-8").splitlines()]
    assert logged == [DEPT_B]


# ------------------------------------------------------------------------------------------
# (e) dropped connections and silent servers


def test_a_connection_dropped_during_data_fails_that_department_only(outputs: Path) -> None:
    dept_a = make_dept(outputs, DEPT_A)
    dept_b = make_dept(outputs, DEPT_B)
    contacts = {DEPT_A: "drop@example.gov.cn", DEPT_B: "jyj@example.gov.cn"}
    handler = RecordingHandler(drop={"drop@example.gov.cn"})
    with smtp_server(handler) as port:
        report = send([dept_a, dept_b], config_for(port), outputs / "log.jsonl",
                      lookup=lambda d: contacts[d.name])

    a, b = report.results
    assert a.status is SendStatus.FAILED and "断开" in a.message, a.message
    assert "Traceback" not in a.message
    assert b.status is SendStatus.SENT


def test_a_server_that_closes_at_once_is_reported(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    with raw_socket_server(lambda conn: conn.close()) as port:
        report = send([dept], config_for(port), outputs / "log.jsonl", ["kjj@example.gov.cn"])
    (result,) = report.results
    assert result.status is SendStatus.FAILED
    assert "断开" in result.message, result.message


def test_a_server_that_never_answers_times_out(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    held: list[socket.socket] = []
    with raw_socket_server(held.append) as port:
        started = time.monotonic()
        report = send([dept], config_for(port, timeout=1), outputs / "log.jsonl",
                      ["kjj@example.gov.cn"])
        elapsed = time.monotonic() - started
    for conn in held:
        conn.close()
    (result,) = report.results
    assert result.status is SendStatus.FAILED
    assert "超时" in result.message, result.message
    assert elapsed < NETWORK_TIMEOUT


def test_nothing_listening_is_reported(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    report = send([dept], config_for(_free_port()), outputs / "log.jsonl", ["kjj@example.gov.cn"])
    (result,) = report.results
    assert result.status is SendStatus.FAILED
    assert "无法连接" in result.message, result.message


# ------------------------------------------------------------------------------------------
# (f) dry run


def test_dry_run_writes_drafts_and_sends_nothing(outputs: Path) -> None:
    depts = [make_dept(outputs, DEPT_A), make_dept(outputs, DEPT_B)]
    log = outputs / "log.jsonl"
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        config = config_for(port)
        drafts = send(depts, config, log, ["kjj@example.gov.cn"], dry_run=True)
        assert handler.messages == []
        assert not log.exists()
        real = send(depts, config, log, ["kjj@example.gov.cn"])

    assert [r.status for r in drafts.results] == [SendStatus.DRAFTED] * 2
    for dept, result in zip(depts, drafts.results, strict=True):
        assert result.draft == dept / DRAFT_NAME
        draft = email.message_from_bytes((dept / DRAFT_NAME).read_bytes())
        assert draft["To"] == "kjj@example.gov.cn"
        assert set(attachments_of(draft)) == {DOCX_NAME, XLSX_NAME}
    # The drafts left in the folders are not mailed later.
    assert real.ok
    for message in handler.messages:
        assert set(attachments_of(email.message_from_bytes(message.original_content))) == {
            DOCX_NAME, XLSX_NAME
        }


# ------------------------------------------------------------------------------------------
# Folder problems


def test_a_folder_not_named_year_dash_department_is_reported(outputs: Path) -> None:
    odd = make_dept(outputs, "科技局")
    report = send([odd, outputs / "2025-不存在"], config_for(1), outputs / "log.jsonl",
                  ["kjj@example.gov.cn"])
    first, second = report.results
    assert first.status is SendStatus.FAILED and "年度-部门名称" in first.message
    assert second.status is SendStatus.FAILED and "找不到" in second.message


def test_an_invalid_address_is_reported(outputs: Path) -> None:
    dept = make_dept(outputs, DEPT_A)
    report = send([dept], config_for(1), outputs / "log.jsonl", ["科技局邮箱"])
    assert report.results[0].status is SendStatus.FAILED
    assert "格式不正确" in report.results[0].message


# ------------------------------------------------------------------------------------------
# TLS: real certificates made with openssl


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not installed: cannot make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    return context


def test_starttls_with_login_delivers(
    outputs: Path, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    dept = make_dept(outputs, DEPT_A)
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, PASSWORD)
    calls: list[bytes] = []
    handler = RecordingHandler()
    with smtp_server(handler, tls_context=_server_context(certificate), require_starttls=True,
                     auth_required=True, authenticator=_authenticator(calls)) as port:
        config = config_for(port, security="starttls", username=SENDER, ca_file=str(certificate[0]))
        report = send([dept], config, outputs / "log.jsonl", ["kjj@example.gov.cn"])
    assert report.ok, report.to_text()
    assert calls == [SENDER.encode()]


def test_implicit_ssl_delivers_and_an_unknown_certificate_is_explained(
    outputs: Path, certificate: tuple[Path, Path]
) -> None:
    dept = make_dept(outputs, DEPT_A)
    handler = RecordingHandler()
    with smtp_server(handler, ssl_context=_server_context(certificate)) as port:
        trusted = send([dept], config_for(port, security="ssl", ca_file=str(certificate[0])),
                       outputs / "log.jsonl", ["kjj@example.gov.cn"])
        untrusted = send([dept], config_for(port, security="ssl"), outputs / "log2.jsonl",
                         ["kjj@example.gov.cn"])
    assert trusted.ok, trusted.to_text()
    assert untrusted.results[0].status is SendStatus.FAILED
    assert "证书" in untrusted.results[0].message


# ------------------------------------------------------------------------------------------
# Config file


def test_the_example_config_loads(tmp_path: Path) -> None:
    path = tmp_path / DEFAULT_CONFIG_NAME
    path.write_text(EXAMPLE_CONFIG, encoding="utf-8")
    config = load_config(path)
    assert (config.host, config.effective_port, config.security) == ("smtp.qq.com", 465, "ssl")
    assert config.sender == "123456@qq.com"
    assert config.body_template.startswith("您好：\n\n附件是{年度}年")
    assert config.password_env == DEFAULT_PASSWORD_ENV


def test_an_ini_file_saved_by_old_notepad_as_gbk_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mail.ini"
    path.write_bytes(
        "[smtp]\nhost = smtp.163.com\nsecurity = STARTTLS\nusername = kjj@163.com\ntimeout = 12.5\n"
        "[message]\nfrom_name = 某某区财政局\nsubject = {部门名称} 100% 完成\n".encode("gbk")
    )
    config = load_config(path)
    assert (config.effective_port, config.security, config.timeout) == (587, "starttls", 12.5)
    assert config.from_name == "某某区财政局"
    assert config.subject_template == "{部门名称} 100% 完成"  # no %-interpolation


def test_a_toml_file_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "mail.toml"
    path.write_text(
        '[smtp]\nhost = "smtp.qq.com"\nport = 587\nsecurity = "starttls"\nusername = "1@qq.com"\n'
        '[message]\nbody = """\n您好：{部门名称}\n"""\n',
        encoding="utf-8-sig",  # as Windows Notepad saves it
    )
    config = load_config(path)
    assert (config.effective_port, config.security) == (587, "starttls")
    assert config.body_template == "您好：{部门名称}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[smtp]\nhost = smtp.qq.com\nusername = a@qq.com\npassword = x\n", "环境变量"),
        ("[smtp]\nhost = smtp.qq.com\nusername = a@qq.com\n[message]\nsubject = {年份}预算\n",
         "未知的占位符"),
        ("[smtp]\nhost = smtp.qq.com\nusername = a@qq.com\nprot = 465\n", "未知的设置 prot"),
        ("[smtp]\nhost = smtp.qq.com\nusername = a@qq.com\nport = 四六五\n", "应为数字"),
        ("[smtp]\nhost = smtp.qq.com\nusername = a@qq.com\nsecurity = tls\n", "security"),
        ("[smtp]\nhost = smtp.qq.com\n", "发件人"),
        ("host = smtp.qq.com\n", "[smtp]"),
        ("[邮件]\nhost = smtp.qq.com\n", "未知的节"),
    ],
)
def test_config_mistakes_are_named_in_chinese(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mail.ini"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MailConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MailConfigError, match="找不到邮件配置文件"):
        load_config(tmp_path / "missing.ini")


def test_fingerprints_ignore_office_timestamps_but_not_content(tmp_path: Path) -> None:
    first, second, third = tmp_path / "1.docx", tmp_path / "2.docx", tmp_path / "3.docx"
    for path, text in ((first, "甲"), (second, "甲"), (third, "乙")):
        document = Document()
        document.add_paragraph(text)
        document.save(str(path))
        time.sleep(0.01)
    assert content_fingerprint(first) == content_fingerprint(second)
    assert content_fingerprint(first) != content_fingerprint(third)
