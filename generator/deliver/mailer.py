"""Mail each department's output folder to its contact, once.

What this module guarantees, and why:

* **Chinese attachment names survive every client.** Messages are built with the legacy
  ``email.mime`` API so each attachment carries both the RFC 2231 ``filename*=`` parameter
  (read by Thunderbird, Apple Mail, Gmail, Python) on Content-Disposition *and* an RFC 2047
  encoded ``name=`` on Content-Type (what Outlook and many Chinese webmail clients fall back
  to; with ``filename*`` alone some Outlook versions show "Untitled attachment").
* **A re-run does not resend.** Every delivery is appended to a sent-log (JSON lines). A
  department is skipped when each recipient has already received the same content. Content
  is compared by a fingerprint that ignores what changes on every regeneration (zip
  timestamps inside .docx/.xlsx, docProps, PDF creation dates and IDs), so regenerating
  unchanged documents on deadline day does not mail them again; ``resend`` overrides.
* **One failure does not stop the others.** A refused recipient, a dropped connection or a
  timeout marks that department 失败 with a Chinese explanation, and the next one is tried.
  A login failure is the exception: every later login would fail the same way and repeated
  wrong logins can lock a QQ/163 mailbox, so the remaining departments are marked 失败
  without connecting.
* **Attachments:** by default the department folder's files, each attached separately
  (recipients open them straight from the mail; mail gateways that strip or quarantine zip
  archives leave them alone). With ``attach = "zip"`` in the config the folder is sent as
  one ``<年度>-<部门名称>.zip`` made by :func:`generator.deliver.bundle.bundle`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import smtplib
import socket
import ssl
import tempfile
import unicodedata
import urllib.parse
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, make_msgid
from enum import Enum
from pathlib import Path
from typing import Any

from generator.deliver.bundle import BundleError, bundle, bundle_members, is_deliverable
from generator.deliver.config import MailConfig, render_template

__all__ = [
    "DEFAULT_LOG_NAME",
    "DRAFT_NAME",
    "DeptResult",
    "SendReport",
    "SendStatus",
    "SentLog",
    "build_message",
    "content_fingerprint",
    "parse_dept_folder",
    "parse_recipients",
    "send_outputs",
]

# Suggested sent-log location: ``outputs/<DEFAULT_LOG_NAME>``, beside the department folders
# (never inside one, or it would be mailed as an attachment).
DEFAULT_LOG_NAME = "sent-log.jsonl"
# Name of the dry-run draft written into each department folder.
DRAFT_NAME = "邮件草稿.eml"

# <年度>-<部门名称>[-<单位编码>]: the code keeps two departments' folders apart, not part of the name.
_FOLDER_PATTERN = re.compile(r"^(?P<year>\d{4})-(?P<dept>.+?)(?:-[0-9A-Za-z]+)?$")
_ADDRESS_PATTERN = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_ADDRESS_SEPARATORS = re.compile(r"[\s,;，；、]+")

_MIME_TYPES: dict[str, tuple[str, str]] = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".doc": ("application", "msword"),
    ".xls": ("application", "vnd.ms-excel"),
    ".pdf": ("application", "pdf"),
    ".zip": ("application", "zip"),
    ".csv": ("text", "csv"),
    ".txt": ("text", "plain"),
}

# Parts of Office files that change on every save without changing the document.
_VOLATILE_ZIP_MEMBERS = frozenset({"docProps/core.xml", "docProps/app.xml"})
# PDF metadata that LibreOffice regenerates on every conversion (dates, the document ID
# and a checksum that covers the date).
_VOLATILE_PDF = re.compile(
    rb"/(?:CreationDate|ModDate)\s*\([^)]*\)|/ID\s*\[[^\]]*\]|/DocChecksum\s*/[0-9A-Fa-f]+"
    rb"|<xmp:\w*Date>[^<]*</xmp:\w*Date>"
)
# Embedded Type 1 font programs (dictionary with /Length2): LibreOffice stamps each with a
# per-process counter (/UniqueID), so a long-running LibreOffice embeds other bytes for the same
# document. Their lengths (indirect integer objects) and the cross-reference offsets follow.
_PDF_TYPE1_FONT_DICT = re.compile(rb"<<[^<>]{0,500}/Length2 \d+[^<>]{0,500}>>\s*stream")
_PDF_LAYOUT = re.compile(rb"\d+ 0 obj\s*\d+\s*endobj|xref\s[0-9 fn\r\n]*|startxref\s*\d+")


def _pdf_fingerprint(data: bytes) -> str:
    kept: list[bytes] = []
    position = 0
    for match in _PDF_TYPE1_FONT_DICT.finditer(data):
        if match.start() < position:
            continue
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        kept.append(data[position:match.start()])
        position = end
    kept.append(data[position:])
    masked = _PDF_LAYOUT.sub(b"", _VOLATILE_PDF.sub(b"", b"".join(kept)))
    return "pdf:" + hashlib.sha256(masked).hexdigest()

# Longest percent-encoded name written as one ``filename*=`` parameter (see _rfc2231_continued).
_MAX_RFC2231_SINGLE = 600

# Wire format: CRLF line endings as SMTP requires, and the same bytes go into a dry-run draft.
_WIRE_POLICY = compat32.clone(linesep="\r\n")


class SendStatus(Enum):
    """Outcome for one department; the values are what users see."""

    SENT = "已发送"
    SKIPPED = "已跳过"
    FAILED = "失败"
    DRAFTED = "已生成草稿"


@dataclass
class DeptResult:
    """What happened to one department folder."""

    dept_dir: Path
    status: SendStatus
    recipients: list[str]
    message: str
    attachments: list[str] = field(default_factory=list)
    message_id: str = ""
    draft: Path | None = None

    @property
    def recipient(self) -> str:
        """Recipients joined for display ("" when none was found)."""
        return "，".join(self.recipients)

    def line(self) -> str:
        """One Chinese line for the console: ``[已发送] 2025-科技局 → a@b.cn：…``."""
        to = f" → {self.recipient}" if self.recipients else ""
        return f"[{self.status.value}] {self.dept_dir.name}{to}：{self.message}"


@dataclass
class SendReport:
    """Per-department results of :func:`send_outputs`, in the order given."""

    results: list[DeptResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no department failed (the CLI's exit status)."""
        return all(r.status is not SendStatus.FAILED for r in self.results)

    @property
    def failed(self) -> list[DeptResult]:
        """The departments that failed."""
        return [r for r in self.results if r.status is SendStatus.FAILED]

    def count(self, status: SendStatus) -> int:
        """How many departments ended with ``status``."""
        return sum(1 for r in self.results if r.status is status)

    def summary(self) -> str:
        """A Chinese one-liner, e.g. ``已发送 2 个，已跳过 1 个，失败 1 个``."""
        parts = [f"{s.value} {self.count(s)} 个" for s in SendStatus if self.count(s)]
        return "，".join(parts) if parts else "没有要发送的部门"

    def to_text(self) -> str:
        """All result lines followed by the summary."""
        return "\n".join([*(r.line() for r in self.results), self.summary()])


# --------------------------------------------------------------------------------------------
# Public helpers


def parse_dept_folder(name: str) -> tuple[str, str]:
    """Split an output folder name ``<年度>-<部门名称>`` into (年度, 部门名称).

    Raises ValueError with a Chinese message when the name does not have that form.
    """
    match = _FOLDER_PATTERN.match(name)
    if not match or not match.group("dept").strip():
        raise ValueError(f"文件夹名“{name}”不是“年度-部门名称”的形式（如 2025-某某区科学技术局）")
    return match.group("year"), match.group("dept").strip()


def parse_recipients(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split and normalise addresses; return (valid, invalid).

    Users type addresses in Chinese input mode, so full-width ``＠``/``．`` and Chinese
    separators (，；、) are normalised (NFKC) before checking. Duplicates are dropped.
    """
    valid: list[str] = []
    invalid: list[str] = []
    seen: set[str] = set()
    for value in values:
        for token in _ADDRESS_SEPARATORS.split(unicodedata.normalize("NFKC", value or "")):
            address = token.strip().strip("<>")
            if not address:
                continue
            if not _ADDRESS_PATTERN.match(address) or not address.isascii():
                invalid.append(token.strip())
            elif address.casefold() not in seen:
                seen.add(address.casefold())
                valid.append(address)
    return valid, invalid


def content_fingerprint(path: Path) -> str:
    """sha256 of what a reader sees in ``path``, ignoring regeneration noise.

    .docx/.xlsx/.zip: the names and bytes of the members, except docProps (creation time,
    application version). .pdf: the bytes without creation/modification dates, the
    document ID, embedded Type 1 font programs and byte offsets. Anything else: the file's bytes.
    """
    digest = hashlib.sha256()
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if info.filename in _VOLATILE_ZIP_MEMBERS or info.is_dir():
                        continue
                    digest.update(info.filename.encode("utf-8") + b"\0")
                    digest.update(archive.read(info) + b"\0")
            return "zip:" + digest.hexdigest()
        except (zipfile.BadZipFile, OSError, RuntimeError):
            digest = hashlib.sha256()  # damaged or encrypted: fall back to raw bytes
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        return _pdf_fingerprint(data)
    digest.update(data)
    return "raw:" + digest.hexdigest()


def build_message(
    config: MailConfig,
    recipients: list[str],
    subject: str,
    body: str,
    attachments: list[tuple[str, bytes]],
) -> MIMEMultipart:
    """Build the multipart message (legacy API, see the module docstring for why)."""
    message = MIMEMultipart()
    message["From"] = formataddr((config.from_name, config.sender), charset="utf-8")
    message["To"] = ", ".join(recipients)
    # compat32 messages accept Header objects; typeshed only knows the str form.
    message["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    message.attach(MIMEText(body, "plain", "utf-8"))
    for name, data in attachments:
        message.attach(_attachment_part(name, data))
    return message


# --------------------------------------------------------------------------------------------
# Sent-log


class SentLog:
    """Append-only JSON-lines record of deliveries.

    One line per message sent: ``{"time", "dept", "path", "recipients", "message_id",
    "attachments": [{"name", "sha256", "size"}], "fingerprint"}``. Lines that cannot be
    parsed (a crash mid-write, hand edits) are ignored rather than blocking a send.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: list[dict[str, Any]] = list(self._read())

    def _read(self) -> Iterator[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict):
                yield entry

    def last_delivery(self, dept: str, recipient: str, fingerprint: str) -> dict[str, Any] | None:
        """The latest entry that delivered this content of ``dept`` to ``recipient``."""
        wanted = recipient.casefold()
        for entry in reversed(self.entries):
            if (
                entry.get("dept") == dept
                and entry.get("fingerprint") == fingerprint
                and wanted in {str(r).casefold() for r in entry.get("recipients", [])}
            ):
                return entry
        return None

    def record(self, entry: dict[str, Any]) -> None:
        """Append ``entry`` and force it to disk: it must survive a crash right after."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self.entries.append(entry)


# --------------------------------------------------------------------------------------------
# Sending


class _LoginFailed(Exception):
    """Login was refused; carries the Chinese message for every remaining department."""

    def __init__(self, message: str, recipients: list[str] | None = None) -> None:
        super().__init__(message)
        self.recipients: list[str] = recipients or []


def send_outputs(
    dept_dirs: list[Path],
    to: list[str] | None,
    config: MailConfig,
    dry_run: bool,
    resend: bool,
    log_path: Path,
    recipient_lookup: Callable[[Path], str | None] | None = None,
) -> SendReport:
    """Mail each department folder to its recipients and return what happened to each.

    Recipients are ``to`` when given (the same for every department), otherwise whatever
    ``recipient_lookup(dept_dir)`` returns (may hold several addresses separated by , ; or
    spaces). With ``dry_run`` nothing is sent and nothing is logged: a draft
    ``邮件草稿.eml`` is written into each folder instead. Unless ``resend``, a recipient who
    already received identical content (per the sent-log at ``log_path``) is skipped.
    Never raises for a department's problem; each one ends up in the report.
    """
    report = SendReport()
    log = SentLog(log_path)
    password = config.password()
    login_failure: str | None = None
    if not dry_run and config.username and password is None:
        login_failure = (
            f"未设置密码：请把邮箱的 SMTP 密码（QQ/163 邮箱为“授权码”）放入环境变量 "
            f"{config.password_env} 后重试"
        )

    for dept_dir in dept_dirs:
        dept_dir = Path(dept_dir)
        try:
            result = _deliver_one(
                dept_dir, to, config, password, dry_run, resend, log, recipient_lookup,
                login_failure,
            )
        except _LoginFailed as exc:
            login_failure = str(exc)
            result = DeptResult(dept_dir, SendStatus.FAILED, exc.recipients, login_failure)
        except Exception as exc:  # noqa: BLE001 - one department must not stop the others
            result = DeptResult(
                dept_dir, SendStatus.FAILED, [], f"内部错误（{type(exc).__name__}：{exc}），请联系维护人员"
            )
        report.results.append(result)
    return report


def _deliver_one(
    dept_dir: Path,
    to: list[str] | None,
    config: MailConfig,
    password: str | None,
    dry_run: bool,
    resend: bool,
    log: SentLog,
    recipient_lookup: Callable[[Path], str | None] | None,
    login_failure: str | None,
) -> DeptResult:
    """Do everything for one department; raise _LoginFailed only when login was refused."""

    def fail(message: str, recipients: list[str] | None = None) -> DeptResult:
        return DeptResult(dept_dir, SendStatus.FAILED, recipients or [], message)

    if not dept_dir.is_dir():
        return fail(f"找不到输出文件夹：{dept_dir}")
    try:
        year, dept_name = parse_dept_folder(dept_dir.name)
    except ValueError as exc:
        return fail(str(exc))

    # Recipients
    if to:
        raw_recipients: list[str] = list(to)
    elif recipient_lookup is not None:
        try:
            found = recipient_lookup(dept_dir)
        except Exception as exc:  # noqa: BLE001 - the lookup reads a user's workbook
            return fail(f"读取联系人邮箱失败：{exc}")
        raw_recipients = [found] if found else []
    else:
        raw_recipients = []
    recipients, invalid = parse_recipients(raw_recipients)
    if invalid:
        return fail(
            "收件人地址格式不正确：" + "、".join(invalid) + "（请检查 --to 或工作簿中的“联系人邮箱”）"
        )
    if not recipients:
        return fail("没有收件人：请用 --to 指定，或在工作簿中填写“联系人邮箱”")

    # Content and attachments
    content_files = (
        bundle_members(dept_dir) if config.attach == "zip"
        else sorted(p for p in dept_dir.iterdir() if is_deliverable(p))
    )
    if not content_files:
        return fail("文件夹中没有可发送的文件，请先生成文件", recipients)
    fingerprint = _folder_fingerprint(dept_dir, content_files)

    pending = recipients
    already: list[str] = []
    if not resend:
        pending = [r for r in recipients if log.last_delivery(dept_dir.name, r, fingerprint) is None]
        already = [r for r in recipients if r not in pending]
    if not pending:
        last = log.last_delivery(dept_dir.name, recipients[0], fingerprint) or {}
        when = str(last.get("time", ""))[:19].replace("T", " ")
        return DeptResult(
            dept_dir, SendStatus.SKIPPED, recipients,
            f"文件未变化，{when}已发送过；如需重发请加 --resend",
        )

    if config.attach == "zip":
        try:
            attachment_paths = [bundle(dept_dir)]
        except BundleError as exc:
            return fail(str(exc), pending)
    else:
        attachment_paths = content_files
    attachments = [(p.name, p.read_bytes()) for p in attachment_paths]
    total = sum(len(data) for _, data in attachments)
    if total > config.max_size_mb * 1024 * 1024:
        return fail(
            f"附件共 {total / 1048576:.1f} MB，超过上限 {config.max_size_mb:g} MB："
            "邮箱服务器可能拒收。可改为 attach = \"zip\"，或把 PDF 与原文件分开发送",
            pending,
        )
    notes: list[str] = []
    if config.attach == "files" and any(p.is_dir() for p in dept_dir.iterdir()):
        notes.append("子文件夹中的文件未附上（如需附上请在配置中设 attach = \"zip\"）")
    if already:
        notes.append("此前已发送给 " + "、".join(already) + "，本次不再重复发送")

    names = [name for name, _ in attachments]
    values = {
        "年度": year,
        "部门名称": dept_name,
        "文件夹": dept_dir.name,
        "文件列表": "\n".join(f"  {i}. {n}" for i, n in enumerate(names, 1)),
        "文件数": str(len(names)),
    }
    subject = render_template(config.subject_template, values)
    body = render_template(config.body_template, values)
    message = build_message(config, pending, subject, body, attachments)
    raw = message.as_bytes(policy=_WIRE_POLICY)
    message_id = str(message["Message-ID"])
    suffix = "；" + "；".join(notes) if notes else ""

    if dry_run:
        draft = dept_dir / DRAFT_NAME
        _write_atomically(draft, raw)
        return DeptResult(
            dept_dir, SendStatus.DRAFTED, pending,
            f"未发送，草稿已写入 {draft.name}（{len(names)} 个附件）{suffix}",
            attachments=names, message_id=message_id, draft=draft,
        )

    if login_failure is not None:
        return fail(login_failure, pending)
    try:
        refused = _smtp_send(config, password, pending, raw)
    except _LoginFailed as exc:
        raise _LoginFailed(str(exc), pending) from None
    except (smtplib.SMTPException, OSError, UnicodeError) as exc:
        return fail(_explain(exc, config), pending)

    delivered = [r for r in pending if r not in refused]
    if refused:
        notes.append("以下收件人被拒绝：" + "、".join(
            f"{addr}（{_reply_text(code, text)}）" for addr, (code, text) in refused.items()
        ))
    entry = {
        "time": datetime.now().astimezone().isoformat(timespec="seconds"),
        "dept": dept_dir.name,
        "path": str(dept_dir.resolve()),
        "recipients": delivered,
        "message_id": message_id,
        "attachments": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in attachments
        ],
        "fingerprint": fingerprint,
    }
    try:
        log.record(entry)
    except OSError as exc:
        notes.append(f"但写入发送记录 {log.path} 失败（{exc}），重新运行时会再次发送")
    suffix = "；" + "；".join(notes) if notes else ""
    return DeptResult(
        dept_dir, SendStatus.SENT, delivered,
        f"已发送 {len(names)} 个附件{suffix}",
        attachments=names, message_id=message_id,
    )


def _smtp_send(
    config: MailConfig, password: str | None, recipients: list[str], raw: bytes
) -> dict[str, tuple[int, bytes]]:
    """Connect, log in if configured, send; return the recipients the server refused.

    Raises _LoginFailed on an authentication problem, smtplib/OS errors otherwise.
    """
    context = ssl.create_default_context()
    if config.ca_file:
        context.load_verify_locations(cafile=config.ca_file)
    # EHLO name: smtplib would use socket.getfqdn(), which can stall on DNS and, on a
    # Windows PC with a Chinese computer name, is not ASCII and makes smtplib crash.
    hostname = socket.gethostname()
    local_name = hostname if hostname and hostname.isascii() else "localhost"

    smtp: smtplib.SMTP
    if config.security == "ssl":
        smtp = smtplib.SMTP_SSL(
            config.host, config.effective_port, local_hostname=local_name,
            timeout=config.timeout, context=context,
        )
    else:
        smtp = smtplib.SMTP(
            config.host, config.effective_port, local_hostname=local_name, timeout=config.timeout
        )
    try:
        smtp.ehlo()
        if config.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.username:
            try:
                _login_once(smtp, config.username, password or "")
            except smtplib.SMTPAuthenticationError as exc:
                raise _LoginFailed(
                    f"登录邮件服务器失败（{_reply_text(exc.smtp_code, exc.smtp_error)}）："
                    "请检查用户名和密码。QQ/163 邮箱须使用“SMTP 授权码”而不是登录密码，"
                    "并在邮箱设置中开启 SMTP 服务"
                ) from None
            except smtplib.SMTPNotSupportedError:
                raise _LoginFailed(
                    "邮件服务器不支持登录（AUTH）：请检查 security 设置（多数邮箱须用 ssl 或 starttls）"
                ) from None
            except UnicodeEncodeError:
                raise _LoginFailed(
                    "用户名或密码含有非英文字符：SMTP 登录只支持英文字母、数字和符号"
                ) from None
        refused = smtp.sendmail(config.sender, recipients, raw)
    finally:
        _close_quietly(smtp)
    return refused


def _login_once(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """Log in with ONE mechanism.

    ``smtplib.SMTP.login`` retries a refused password with every mechanism the server
    offers (CRAM-MD5, PLAIN, LOGIN), so one wrong 授权码 counts as two or three failures
    towards a QQ/163 lockout. PLAIN, then LOGIN, then CRAM-MD5 are tried in that order of
    preference, but only the first one offered is used.
    """
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = smtp.esmtp_features["auth"].upper().split()
    mechanism = next((m for m in ("PLAIN", "LOGIN", "CRAM-MD5") if m in offered), None)
    if mechanism is None:
        raise smtplib.SMTPNotSupportedError("No suitable authentication method found.")
    smtp.user, smtp.password = username, password
    # auth_plain / auth_login / auth_cram_md5: smtplib's own responders for each mechanism.
    responder = getattr(smtp, "auth_" + mechanism.lower().replace("-", "_"))
    smtp.auth(mechanism, responder, initial_response_ok=True)


def _close_quietly(smtp: smtplib.SMTP) -> None:
    """QUIT politely; the mail is already accepted, so errors here do not matter."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _explain(exc: BaseException, config: MailConfig) -> str:
    """A Chinese explanation of a sending error, naming what the user can change."""
    server = f"{config.host}:{config.effective_port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{addr}（{_reply_text(code, text)}）" for addr, (code, text) in exc.recipients.items()]
        return "收件人被邮件服务器拒绝：" + "、".join(parts) + "。请核对邮箱地址"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (f"发件人地址 {exc.sender} 被邮件服务器拒绝（{_reply_text(exc.smtp_code, exc.smtp_error)}）："
                "发件人地址须与登录的邮箱一致")
    if isinstance(exc, smtplib.SMTPDataError):
        return (f"邮件服务器拒收这封邮件（{_reply_text(exc.smtp_code, exc.smtp_error)}）："
                "可能是附件过大或被判为垃圾邮件")
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError):
        # smtplib turns a read timeout into "Connection unexpectedly closed: timed out".
        return f"等待邮件服务器 {server} 响应超时（{config.timeout:g} 秒）：请检查网络、服务器地址和端口"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"与邮件服务器 {server} 的连接意外断开，邮件未发出。请稍后重试"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"邮件服务器 {server} 不支持 STARTTLS：请把 security 改为 \"ssl\"（端口 465）"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"邮件服务器返回错误（{_reply_text(exc.smtp_code, exc.smtp_error)}），邮件未发出"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"无法验证邮件服务器 {server} 的证书（{exc.verify_message}）："
                "内网服务器可在配置中用 ca_file 指定其根证书")
    if isinstance(exc, ssl.SSLError):
        return (f"与邮件服务器 {server} 建立加密连接失败（{exc.reason}）：请确认 security 与端口匹配"
                "（ssl 用 465，starttls 用 587）")
    if isinstance(exc, TimeoutError):
        return f"连接邮件服务器 {server} 超时（{config.timeout:g} 秒内无响应）：请检查网络或服务器地址"
    if isinstance(exc, ConnectionRefusedError):
        return f"无法连接邮件服务器 {server}（连接被拒绝）：请检查服务器地址和端口"
    if isinstance(exc, ConnectionError):
        return f"与邮件服务器 {server} 的连接意外断开（{exc.strerror or exc}），邮件未发出。请稍后重试"
    if isinstance(exc, socket.gaierror):
        return f"找不到邮件服务器 {config.host}：请检查服务器地址和网络"
    if isinstance(exc, UnicodeError):
        return f"邮件内容中有无法编码的字符（{exc}）"
    if isinstance(exc, smtplib.SMTPException):
        return f"发送失败（{exc}）"
    return f"网络错误：{exc}"


def _reply_text(code: int, text: bytes | str) -> str:
    """``550 mailbox unavailable`` from an SMTP reply, whatever its encoding."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {' '.join(text.split())}".strip()


def _attachment_part(name: str, data: bytes) -> MIMEBase:
    """One base64 attachment whose Chinese name every common client shows correctly."""
    maintype, subtype = _MIME_TYPES.get(Path(name).suffix.lower(), ("application", "octet-stream"))
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    encoders.encode_base64(part)
    if name.isascii():
        part.set_param("name", name)
        part.add_header("Content-Disposition", "attachment", filename=name)
    else:
        part.set_param("name", _encoded_words(name))
        quoted = urllib.parse.quote(name.encode("utf-8"), safe="")
        if len(quoted) <= _MAX_RFC2231_SINGLE:
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        else:
            part["Content-Disposition"] = _rfc2231_continued(quoted)
    return part


def _rfc2231_continued(quoted: str, width: int = 60) -> str:
    """``attachment; filename*0*=utf-8''…; filename*1*=…`` for very long names.

    SMTP forbids lines over 998 characters and a single ``filename*=`` of a 100-character
    Chinese name is about 900; RFC 2231 continuations keep each line short. Segments are cut
    between ``%XX`` escapes, never inside one.
    """
    segments: list[str] = []
    current = ""
    for token in re.findall(r"%[0-9A-Fa-f]{2}|[^%]", quoted):
        if len(current) + len(token) > width:
            segments.append(current)
            current = ""
        current += token
    segments.append(current)
    params = [
        f"filename*{i}*=" + ("utf-8''" if i == 0 else "") + segment
        for i, segment in enumerate(segments)
    ]
    return "attachment;\n " + ";\n ".join(params)


def _encoded_words(text: str, max_bytes: int = 45) -> str:
    """RFC 2047 base64 encoded-words for ``text``, split on character boundaries.

    Each word carries at most ``max_bytes`` UTF-8 bytes (60 base64 characters, 72 with the
    ``=?utf-8?b?…?=`` wrapper), within RFC 2047's 75-character limit. Decoders join adjacent
    encoded words separated by a space without inserting the space.
    """
    words: list[str] = []
    chunk = b""
    for char in text:
        encoded = char.encode("utf-8")
        if chunk and len(chunk) + len(encoded) > max_bytes:
            words.append(_encoded_word(chunk))
            chunk = b""
        chunk += encoded
    if chunk:
        words.append(_encoded_word(chunk))
    return " ".join(words)


def _encoded_word(chunk: bytes) -> str:
    return "=?utf-8?b?" + base64.b64encode(chunk).decode("ascii") + "?="


def _folder_fingerprint(dept_dir: Path, files: list[Path]) -> str:
    """One fingerprint for a department's content: relative names and content fingerprints."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(dept_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(content_fingerprint(path).encode("ascii") + b"\0")
    return digest.hexdigest()


def _write_atomically(target: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename over ``target``."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
