"""What a running web application is allowed to do: limits, timeouts, where mail settings live."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.deliver import DEFAULT_CONFIG_NAME, DEFAULT_LOG_NAME

MB = 1024 * 1024

# The pipeline refuses workbooks over 50 MB; an upload larger than that is refused before it is
# stored, so the two limits agree and a user never waits for a file that cannot be read.
DEFAULT_MAX_UPLOAD_BYTES = 50 * MB

# Host names a browser uses for this machine. Any other Host header on a loopback server is a
# DNS-rebinding attempt (a web page whose domain now resolves to 127.0.0.1) and is refused.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class WebSettings:
    """Everything ``create_app`` needs; tests shrink the limits."""

    # None: loopback only, no login. Otherwise every page but the login page needs this code.
    access_code: str | None = None
    # Host names accepted in the Host header; ("*",) accepts any (a LAN server behind a code).
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    # A session untouched this long is ended and its folder deleted (a running build keeps it).
    idle_timeout_seconds: float = 30 * 60
    max_sessions: int = 100
    # The same mail settings and sent-log as ``budget-report send`` run in this directory.
    mail_config: Path = field(default_factory=lambda: Path(DEFAULT_CONFIG_NAME).resolve())
    sent_log: Path = field(default_factory=lambda: (Path("outputs") / DEFAULT_LOG_NAME).resolve())
    # Parent of the per-session folders (None: the system's temporary directory).
    work_root: Path | None = None
    # Worker processes for checks and builds, and how long one task may run before it is stopped.
    workers: int = 2
    task_timeout_seconds: float = 15 * 60
    # Failed access-code attempts from one address before it must wait.
    max_login_failures: int = 5
    login_lockout_seconds: float = 60.0

    @property
    def idle_minutes(self) -> int:
        return max(1, round(self.idle_timeout_seconds / 60))
