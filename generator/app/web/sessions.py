"""Browser sessions, each with its own private temporary folder.

A session is identified by a random cookie (HttpOnly, SameSite=Strict, no expiry: it ends with the
browser). Everything a session uploads or generates lives under its folder, created with mode 0700
inside a per-server root that is itself private; pages and downloads only ever reach files through
the session object, never through a path taken from the request, so one session cannot name
another's files. A folder is deleted when the user ends the session, when the session has been
idle longer than the timeout (unless a task of it is still running), and when the server stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.app.pipeline import Outcome
from generator.deliver import DeptResult

COOKIE_NAME = "budget_report_session"


@dataclass
class BuildJob:
    """One generation run of the current workbook."""

    pdf: bool
    started: float
    finished: float | None = None
    outcome: Outcome | None = None
    error: str = ""  # a Chinese message when the worker itself failed (timeout, crash)

    @property
    def running(self) -> bool:
        return self.finished is None


@dataclass
class SendView:
    """The last preview or sending of the current outputs, as shown on the send page."""

    result: DeptResult
    dry_run: bool
    typed: str = ""  # the recipients as typed, shown again in the form
    subject: str = ""
    sender: str = ""
    body: str = ""


@dataclass
class CurrentWorkbook:
    """The uploaded workbook a session is working on, and what was made from it."""

    name: str
    folder: Path  # <session>/wb-N: the upload, the annotated copy, the outputs
    path: Path  # the uploaded file itself, as received; only ever read
    outcome: Outcome
    contact_email: str = ""
    job: BuildJob | None = None
    send: SendView | None = None

    @property
    def out_root(self) -> Path:
        return self.folder / "outputs"

    @property
    def can_build(self) -> bool:
        return self.outcome.kind != "" and self.outcome.errors == 0 and not self.outcome.message


@dataclass
class Session:
    id: str
    created: float
    last_seen: float
    root: Path  # where this session's folder goes (created on first use)
    authenticated: bool = False
    workbook: CurrentWorkbook | None = None
    # Pre-filled workbooks made on the templates page: slot -> (file, what the page says about it).
    prefilled: dict[str, tuple[Path, str]] = field(default_factory=dict)
    flash: list[tuple[str, str]] = field(default_factory=list)  # (kind, message) shown once
    busy: int = 0  # tasks running for this session; an idle sweep never removes a busy session
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _folder: Path | None = None
    _counter: int = 0

    @property
    def folder(self) -> Path:
        """The session's private folder, created on first use (mode 0700)."""
        if self._folder is None:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix="session-", dir=self.root))
        return self._folder

    @property
    def has_files(self) -> bool:
        return self._folder is not None

    def new_subfolder(self, prefix: str) -> Path:
        """A fresh folder for one upload (names never reused within the session)."""
        self._counter += 1
        path = self.folder / f"{prefix}-{self._counter}"
        path.mkdir(mode=0o700)
        return path

    def replace_workbook(self, workbook: CurrentWorkbook | None) -> None:
        """Make ``workbook`` current and delete the previous one's files."""
        old, self.workbook = self.workbook, workbook
        if old is not None and (workbook is None or old.folder != workbook.folder):
            shutil.rmtree(old.folder, ignore_errors=True)

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Mark a task of this session as running: an idle sweep leaves the session alone."""
        self.busy += 1
        try:
            yield
        finally:
            self.busy -= 1

    def say(self, kind: str, message: str) -> None:
        self.flash.append((kind, message))

    def take_flash(self) -> list[tuple[str, str]]:
        shown, self.flash = self.flash, []
        return shown

    def remove_files(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None
        self.workbook = None
        self.prefilled = {}


class SessionStore:
    """All live sessions of one server, and the private root folder their files live under."""

    def __init__(self, idle_timeout: float, max_sessions: int, work_root: Path | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_timeout = idle_timeout
        self.max_sessions = max_sessions
        self._clock = clock
        parent = None if work_root is None else str(work_root)
        if work_root is not None:
            work_root.mkdir(parents=True, exist_ok=True)
        # mkdtemp creates the root with mode 0700: other local users cannot list session folders.
        self.root = Path(tempfile.mkdtemp(prefix="budget-report-web-", dir=parent))
        self._sessions: dict[str, Session] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id, touched; None when unknown or expired."""
        if not session_id:
            return None
        session = self._sessions.get(session_id)
        if session is None:
            return None
        now = self._clock()
        if self._expired(session, now):
            self.end(session.id)
            return None
        session.last_seen = now
        return session

    def create(self) -> Session:
        self.sweep()
        if len(self._sessions) >= self.max_sessions:
            self._evict_oldest_idle()
        now = self._clock()
        session_id = secrets.token_urlsafe(32)
        session = Session(session_id, now, now, self.root)
        self._sessions[session_id] = session
        return session

    def is_live(self, session: Session) -> bool:
        return self._sessions.get(session.id) is session

    def rotate(self, session: Session) -> None:
        """Give ``session`` a new id (at login: an id seen before the login is worth nothing)."""
        self._sessions.pop(session.id, None)
        session.id = secrets.token_urlsafe(32)
        self._sessions[session.id] = session

    def end(self, session_id: str) -> None:
        session = self._sessions.pop(session_id, None)
        if session is not None:
            session.remove_files()

    def sweep(self) -> int:
        """End every idle session that has nothing running; return how many were ended."""
        now = self._clock()
        expired = [s.id for s in self._sessions.values() if self._expired(s, now)]
        for session_id in expired:
            self.end(session_id)
        return len(expired)

    def close(self) -> None:
        """Server shutdown: every session's files, and the root, are deleted."""
        for session_id in list(self._sessions):
            self.end(session_id)
        shutil.rmtree(self.root, ignore_errors=True)

    def _expired(self, session: Session, now: float) -> bool:
        return session.busy == 0 and now - session.last_seen > self.idle_timeout

    def _evict_oldest_idle(self) -> None:
        """Make room: an empty, never-authenticated session first (requests without a cookie
        create those, and must not push out someone's work), else the longest idle one."""
        idle = [s for s in self._sessions.values() if s.busy == 0]
        if idle:
            victim = min(idle, key=lambda s: (s.has_files, s.authenticated, s.last_seen))
            self.end(victim.id)
