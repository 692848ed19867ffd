"""Mail settings: a small INI file plus one environment variable for the password.

Format decision: INI, read with the standard library's ``configparser``. The project supports
Python 3.10, where TOML would need the third-party ``tomli``; INI needs nothing, and for the
people who edit this file (office staff in Notepad) it has fewer traps: no quotes around
values (TOML rejects the Chinese “” quotes an IME produces), and files saved as GBK by old
Notepad versions are accepted. A ``.toml`` file with the same tables and keys is also read
(Python 3.11+, or 3.10 with tomli installed) so the two spellings never surprise anyone.

The password is never read from the file: config files get copied, mailed and committed, and
for QQ/163 mailboxes the "password" is an SMTP 授权码 that grants sending as the department.
"""

from __future__ import annotations

import configparser
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

__all__ = [
    "DEFAULT_BODY",
    "DEFAULT_CONFIG_NAME",
    "DEFAULT_PASSWORD_ENV",
    "DEFAULT_SUBJECT",
    "EXAMPLE_CONFIG",
    "TEMPLATE_FIELDS",
    "MailConfig",
    "MailConfigError",
    "config_from_mapping",
    "load_config",
    "render_template",
]

Security = Literal["ssl", "starttls", "none"]
AttachMode = Literal["files", "zip"]

DEFAULT_PASSWORD_ENV = "BUDGET_REPORT_SMTP_PASSWORD"
DEFAULT_SUBJECT = "{年度}年{部门名称}预算公开文件"
DEFAULT_BODY = (
    "您好：\n\n"
    "附件是{年度}年{部门名称}预算公开文件，共 {文件数} 个：\n"
    "{文件列表}\n\n"
    "请查收，并在公开前核对。\n"
    "（本邮件由 budget-report 自动发送）\n"
)

# Placeholders available in the subject and body templates, with a sample value each; the
# samples let load_config() reject a template with a typo before any mail is sent.
TEMPLATE_FIELDS: dict[str, str] = {
    "年度": "2025",
    "部门名称": "某某区科学技术局",
    "文件夹": "2025-某某区科学技术局",
    "文件列表": "  1. 部门预算信息公开说明.docx",
    "文件数": "1",
}

_DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 25}

# The name the CLI looks for in the working directory when no config path is given.
DEFAULT_CONFIG_NAME = "budget-report-mail.ini"

EXAMPLE_CONFIG = '''\
# budget-report 发送邮件配置（保存为 UTF-8 编码）。注释单独占一行，以 # 开头。
# 密码（QQ/163 邮箱为“SMTP 授权码”）不写在这里，而是放在环境变量中：
#   export BUDGET_REPORT_SMTP_PASSWORD=授权码

[smtp]
# 163 邮箱为 smtp.163.com
host = smtp.qq.com
# security：ssl（端口 465）、starttls（端口 587）或 none（仅限内网测试）
security = ssl
port = 465
username = 123456@qq.com
# 存放密码的环境变量名
password_env = BUDGET_REPORT_SMTP_PASSWORD
# 每次等待服务器的最长秒数
timeout = 30

[message]
from_address = 123456@qq.com
from_name = 某某区财政局
subject = {年度}年{部门名称}预算公开文件
# 正文从第二行起每行前面空几格（空格会被去掉），空行照常保留
body = 您好：

    附件是{年度}年{部门名称}预算公开文件，共 {文件数} 个：
    {文件列表}

    请查收。
# attach：files 逐个附上文件；zip 打包为一个压缩包
attach = files
# 附件总大小上限（MB）
max_size_mb = 25
'''


class MailConfigError(ValueError):
    """The mail configuration is unusable; ``str(err)`` is a Chinese message for the user."""


@dataclass(frozen=True)
class MailConfig:
    """Everything needed to send, except the password (see :meth:`password`)."""

    host: str = "localhost"
    port: int = 0  # 0 means the default port of ``security``
    security: Security = "ssl"
    username: str = ""
    from_address: str = ""
    from_name: str = ""
    subject_template: str = DEFAULT_SUBJECT
    body_template: str = DEFAULT_BODY
    password_env: str = DEFAULT_PASSWORD_ENV
    timeout: float = 30.0
    attach: AttachMode = "files"
    max_size_mb: float = 25.0
    # Extra CA certificates (PEM) for internal mail servers whose certificate is not
    # signed by a public CA; certificate checking is never switched off.
    ca_file: str = ""
    source: str = field(default="", compare=False)  # where the settings came from, for messages

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def effective_port(self) -> int:
        """The configured port, or the standard one for the chosen security."""
        return self.port or _DEFAULT_PORTS[self.security]

    @property
    def sender(self) -> str:
        """The envelope and From address (falls back to the login name)."""
        return self.from_address or self.username

    def password(self) -> str | None:
        """The SMTP password (授权码) from the environment variable, or None when unset."""
        value = os.environ.get(self.password_env)
        return value if value else None


def _validate(config: MailConfig) -> None:
    """Reject settings that can only fail later, with a message saying what to change."""
    where = f"（{config.source}）" if config.source else ""
    if not config.host.strip():
        raise MailConfigError(f"邮件配置{where}缺少 smtp.host（发信服务器地址）")
    if config.security not in _DEFAULT_PORTS:
        raise MailConfigError(
            f"邮件配置{where}中 security = {config.security!r} 无效：应为 \"ssl\"、\"starttls\" 或 \"none\""
        )
    if not 0 <= config.port <= 65535:
        raise MailConfigError(f"邮件配置{where}中 port = {config.port} 无效")
    if config.attach not in ("files", "zip"):
        raise MailConfigError(
            f"邮件配置{where}中 attach = {config.attach!r} 无效：应为 \"files\" 或 \"zip\""
        )
    if config.timeout <= 0 or config.max_size_mb <= 0:
        raise MailConfigError(f"邮件配置{where}中 timeout 和 max_size_mb 必须大于 0")
    if not config.sender or "@" not in config.sender:
        raise MailConfigError(
            f"邮件配置{where}缺少发件人地址：请填写 message.from_address 或 smtp.username"
        )
    if not config.password_env.strip():
        raise MailConfigError(f"邮件配置{where}中 password_env（存放密码的环境变量名）不能为空")
    if config.ca_file and not Path(config.ca_file).is_file():
        raise MailConfigError(f"邮件配置{where}中 ca_file 指向的证书文件不存在：{config.ca_file}")
    for label, template in (("subject（邮件主题）", config.subject_template),
                            ("body（邮件正文）", config.body_template)):
        try:
            render_template(template, TEMPLATE_FIELDS)
        except MailConfigError as exc:
            raise MailConfigError(f"邮件配置{where}的 {label} 模板有误：{exc}") from None


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Fill ``{占位符}`` fields; raise MailConfigError naming an unknown or malformed one.

    ``str.format_map`` is used rather than ``string.Template`` because Template only accepts
    ASCII identifiers and the placeholders are Chinese. Attribute and index access
    (``{年度.x}``, ``{年度[0]}``) is refused so a template cannot reach into objects.
    """
    allowed = "、".join("{" + name + "}" for name in values)
    try:
        for _literal, name, _spec, _conversion in string.Formatter().parse(template):
            if name is None:
                continue
            if name not in values:
                raise MailConfigError(f"未知的占位符 {{{name}}}；可用的占位符：{allowed}")
        return template.format_map(values)
    except ValueError as exc:
        if isinstance(exc, MailConfigError):
            raise
        raise MailConfigError(
            f"花括号不成对（{exc}）；要写花括号本身请写成 {{{{ 或 }}}}"
        ) from None


# Config file keys → MailConfig field names, per section ([smtp], [message]).
_KEYS: dict[str, dict[str, str]] = {
    "smtp": {
        "host": "host",
        "port": "port",
        "security": "security",
        "username": "username",
        "password_env": "password_env",
        "timeout": "timeout",
        "ca_file": "ca_file",
    },
    "message": {
        "from_address": "from_address",
        "from_name": "from_name",
        "subject": "subject_template",
        "body": "body_template",
        "attach": "attach",
        "max_size_mb": "max_size_mb",
    },
}
_TYPES: dict[str, tuple[type, ...]] = {
    "port": (int,),
    "timeout": (int, float),
    "max_size_mb": (int, float),
}


def config_from_mapping(data: Mapping[str, Any], source: str = "") -> MailConfig:
    """Build a MailConfig from a parsed INI or TOML file (``{"smtp": {...}, "message": {...}}``)."""
    where = f"（{source}）" if source else ""
    values: dict[str, Any] = {}
    for table, content in data.items():
        if table not in _KEYS:
            raise MailConfigError(
                f"邮件配置{where}中有未知的节 [{table}]：只能有 [smtp] 和 [message]"
            )
        if not isinstance(content, Mapping):
            raise MailConfigError(f"邮件配置{where}中 {table} 应为一个节（[{table}]）")
        for key, value in content.items():
            if key in ("password", "passwd", "授权码"):
                raise MailConfigError(
                    f"邮件配置{where}中不能写密码（{table}.{key}）：请删除这一行，"
                    f"改为设置环境变量 {content.get('password_env', DEFAULT_PASSWORD_ENV)}"
                )
            if key not in _KEYS[table]:
                known = "、".join(_KEYS[table])
                raise MailConfigError(
                    f"邮件配置{where}中 [{table}] 有未知的设置 {key}；可用的设置：{known}"
                )
            name = _KEYS[table][key]
            expected = _TYPES.get(name, (str,))
            if expected != (str,) and isinstance(value, str):
                value = _number(value, int if expected == (int,) else float)  # INI gives text
            if isinstance(value, bool) or not isinstance(value, expected):
                kind = "数字" if expected != (str,) else "文字"
                raise MailConfigError(f"邮件配置{where}中 {table}.{key} 应为{kind}，实际是 {value!r}")
            if isinstance(value, str) and name in ("host", "username", "from_address"):
                value = value.strip()  # stray spaces copied from a web page break the login
            if isinstance(value, str) and name in ("security", "attach"):
                value = value.strip().lower()  # "SSL" and "ssl" mean the same to anyone
            values[name] = value
    if "body_template" in values:
        # A TOML multi-line string that starts on the line after the quotes begins with a
        # newline; nobody wants an empty first line in the mail.
        values["body_template"] = cast(str, values["body_template"]).lstrip("\n")
    return MailConfig(**values, source=source)


def _number(text: str, kind: type[int] | type[float]) -> int | float | str:
    """Parse a number typed in an INI file; leave the text as is when it is not one."""
    try:
        return kind(text.strip())
    except ValueError:
        return text


def load_config(path: Path) -> MailConfig:
    """Read a mail config file (INI, or TOML when the name ends in .toml).

    Raises MailConfigError with a Chinese message naming the problem.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise MailConfigError(
            f"找不到邮件配置文件：{path}。可参照 docs/send.md 中的示例创建。"
        ) from None
    except OSError as exc:
        raise MailConfigError(f"无法读取邮件配置文件 {path}：{exc}") from None
    try:
        # utf-8-sig: Windows Notepad may add a BOM, which the parsers reject.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Notepad before Windows 10 1903 saved "ANSI", i.e. GBK on a Chinese system.
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise MailConfigError(f"邮件配置文件 {path} 的编码无法识别：请用 UTF-8 保存") from None
    if path.suffix.lower() == ".toml":
        data = _parse_toml(text, path)
    else:
        data = _parse_ini(text, path)
    return config_from_mapping(data, source=str(path))


def _parse_ini(text: str, path: Path) -> dict[str, dict[str, str]]:
    """INI text → ``{"smtp": {...}, "message": {...}}``; ``%`` and ``{}`` are taken literally."""
    parser = configparser.ConfigParser(interpolation=None, default_section="\0no-default")
    try:
        parser.read_string(text, source=str(path))
    except configparser.MissingSectionHeaderError:
        raise MailConfigError(
            f"邮件配置文件 {path} 格式有误：第一项设置之前应有节名 [smtp]"
        ) from None
    except configparser.Error as exc:
        raise MailConfigError(f"邮件配置文件 {path} 格式有误：{exc}") from None
    return {section: dict(parser[section]) for section in parser.sections()}


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    """TOML text → dict."""
    import tomllib

    try:
        return dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise MailConfigError(f"邮件配置文件 {path} 格式有误：{exc}") from None
