"""The Starlette application: routes, the request guard, error pages, start-up and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from generator.app.web import pages_input as inp
from generator.app.web import pages_output as out
from generator.app.web.guard import Guard
from generator.app.web.sessions import SessionStore
from generator.app.web.settings import WebSettings
from generator.app.web.state import LoginThrottle, WebState, session_of, web
from generator.app.web.work import WorkerPool, carry_forward
from generator.deliver import find_soffice


async def home(request: Request) -> Response:
    return web(request).page(request, "home.html")


async def favicon(request: Request) -> Response:
    return RedirectResponse("/static/icon.svg", status_code=301)


async def login_page(request: Request) -> Response:
    state, session = web(request), session_of(request)
    if state.settings.access_code is None or session.authenticated:
        return RedirectResponse("/", status_code=303)
    token = request.query_params.get("token")
    if token is not None:  # the link printed at start: log in, then drop the code from the address
        return _login(request, token)
    return state.page(request, "login.html", error="")


async def login_submit(request: Request) -> Response:
    state = web(request)
    if state.settings.access_code is None:
        return RedirectResponse("/", status_code=303)
    form = await request.form(max_files=0, max_fields=3)
    return _login(request, str(form.get("code", "")))


def _login(request: Request, code: str) -> Response:
    state, session = web(request), session_of(request)
    client = request.client.host if request.client else "?"
    if state.throttle.locked(client):
        return state.page(request, "login.html", status=429,
                          error=f"口令错误次数过多，请 {state.settings.login_lockout_seconds:.0f} 秒后再试。")
    expected = state.settings.access_code or ""
    if not secrets.compare_digest(_normalized(code).encode(), _normalized(expected).encode()):
        state.throttle.failed(client)
        return state.page(request, "login.html", status=403, error="访问口令不正确，请核对启动窗口中显示的口令。")
    state.throttle.succeeded(client)
    state.store.rotate(session)
    session.authenticated = True
    return RedirectResponse("/", status_code=303)


def _normalized(code: str) -> str:
    """The code as printed, typed with or without its hyphens, in either case."""
    return "".join(ch for ch in code if ch.isalnum()).upper()


async def end_session(request: Request) -> Response:
    state, session = web(request), session_of(request)
    state.store.end(session.id)
    request.state.session = None  # the guard deletes the cookie
    return state.templates.TemplateResponse(request, "ended.html", {
        "step": "", "steps": (), "flash": [], "workbook": None, "settings": state.settings,
        "access_required": state.settings.access_code is not None, "authenticated": False,
        "max_upload_mb": 0})


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    titles = {404: "页面不存在", 405: "不支持的操作"}
    return _plain_page(request, status, titles.get(status, "出错了"),
                       "请从上方的步骤重新进入。" if status in titles else "请求无法处理，请返回重试。")


async def server_error(request: Request, exc: Exception) -> Response:
    # Never a traceback on the page: it says what to do and the details stay in the console.
    return _plain_page(request, 500, "程序内部错误",
                       "操作未能完成。请返回重试；如果问题重复出现，请把启动窗口中的信息反馈给维护人员。")


def _plain_page(request: Request, status: int, title: str, message: str) -> Response:
    state = web(request)
    if getattr(request.state, "session", None) is None:  # outside the guard (should not happen)
        return Response(f"{title}：{message}", status_code=status, media_type="text/plain; charset=utf-8")
    return state.page(request, "message.html", status=status, title=title, message=message)


def create_app(settings: WebSettings | None = None) -> Starlette:
    """The application for ``settings`` (defaults: loopback, no access code)."""
    settings = settings or WebSettings()
    store = SessionStore(settings.idle_timeout_seconds, settings.max_sessions, settings.work_root)
    state = WebState(
        settings=settings, store=store,
        pool=WorkerPool(settings.workers, settings.task_timeout_seconds),
        soffice=find_soffice() is not None,
        carry_forward=carry_forward() is not None,
        throttle=LoginThrottle(settings.max_login_failures, settings.login_lockout_seconds),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.get_running_loop().create_task(_sweep(store, settings.idle_timeout_seconds))
        state.pool.warm()
        try:
            yield
        finally:
            sweeper.cancel()
            for task in list(state.tasks):
                task.cancel()
            await asyncio.gather(sweeper, *state.tasks, return_exceptions=True)
            state.pool.close()
            store.close()

    routes = [
        Route("/", home),
        Route("/favicon.ico", favicon),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/templates", inp.templates_page),
        Route("/templates/blank", inp.blank_template),
        Route("/templates/self-eval", inp.prefill_self_eval, methods=["POST"]),
        Route("/templates/budget", inp.prefill_budget, methods=["POST"]),
        Route("/templates/file/{slot}", inp.prefilled_file),
        Route("/check", inp.check_page, methods=["GET"]),
        Route("/check", inp.check_upload, methods=["POST"]),
        Route("/check/annotated", inp.annotated_copy),
        Route("/build", out.build_page, methods=["GET"]),
        Route("/build", out.build_start, methods=["POST"]),
        Route("/build/status", out.build_status),
        Route("/build/file/{index:int}", out.output_file),
        Route("/build/zip", out.output_zip),
        Route("/send", out.send_page, methods=["GET"]),
        Route("/send", out.send_submit, methods=["POST"]),
        Route("/send/draft", out.send_draft),
        Route("/session/end", end_session, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("generator.app.web", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, settings=settings, store=store)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.web = state
    return app


async def _sweep(store: SessionStore, idle_timeout: float) -> None:
    """End idle sessions regularly, not only when someone makes a request."""
    while True:
        await asyncio.sleep(max(1.0, min(60.0, idle_timeout / 4)))
        store.sweep()
