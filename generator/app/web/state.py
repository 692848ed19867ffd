"""What the running application holds, and how a page is rendered from it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from generator.app.web.sessions import Session, SessionStore
from generator.app.web.settings import MB, WebSettings
from generator.app.web.work import WorkerPool

# (slug, number, title, path): the steps, in the order the navigation shows them.
STEPS = (
    ("templates", "1", "下载模板", "/templates"),
    ("check", "2", "上传校验", "/check"),
    ("build", "3", "生成文件", "/build"),
    ("send", "4", "发送邮件", "/send"),
)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.app.web", "templates"),
        autoescape=True,  # every value from a workbook or an upload is text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["size"] = human_size
    return env


def human_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


@dataclass
class LoginThrottle:
    """Failed access-code attempts per client address."""

    limit: int
    lockout: float
    failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def locked(self, client: str) -> bool:
        count, since = self.failures.get(client, (0, 0.0))
        if count < self.limit:
            return False
        if time.monotonic() - since > self.lockout:
            self.failures.pop(client, None)
            return False
        return True

    def failed(self, client: str) -> None:
        count, _ = self.failures.get(client, (0, 0.0))
        self.failures[client] = (count + 1, time.monotonic())

    def succeeded(self, client: str) -> None:
        self.failures.pop(client, None)


@dataclass
class WebState:
    settings: WebSettings
    store: SessionStore
    pool: WorkerPool
    soffice: bool  # LibreOffice present: PDF offered
    carry_forward: bool  # "budget from last year's" available
    throttle: LoginThrottle
    templates: Jinja2Templates = field(default_factory=lambda: Jinja2Templates(env=_environment()))
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def page(self, request: Request, name: str, step: str = "", status: int = 200, **context: Any) -> Response:
        session: Session = request.state.session
        locked = self.settings.access_code is not None and not session.authenticated
        base = {
            "step": step,
            "steps": () if locked else STEPS,
            "flash": session.take_flash(),
            "workbook": session.workbook,
            "settings": self.settings,
            "access_required": self.settings.access_code is not None,
            "authenticated": session.authenticated,
            "max_upload_mb": self.settings.max_upload_bytes // MB,
        }
        return self.templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def spawn(self, coroutine: Any) -> None:
        """Run a background task, keeping a reference so it is not collected mid-way."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def session_of(request: Request) -> Session:
    session: Session = request.state.session
    return session
