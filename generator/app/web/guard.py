"""The one gate every request passes: host, origin, session, access code, response headers.

* **Host**: a loopback server answers only to the names of this machine, which stops DNS
  rebinding (a web page whose own domain is made to resolve to 127.0.0.1 and then reads the
  answers as same-origin).
* **Origin**: a form posted from another site (cross-site request forgery) is refused; the
  session cookie is also SameSite=Strict, so such a request would not carry it anyway.
* **Session**: found by its cookie, or created; the cookie is set when the session changes
  (created, rotated at login) and deleted when it ends.
* **Access code**: on a server reachable from the network every page but the login page and
  the static assets needs a session that gave the code.
* **Headers**: a strict Content-Security-Policy (only this server's scripts and styles), no
  referrer (the login link may hold the code), no framing, no caching of pages with user data.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator.app.web.sessions import COOKIE_NAME, Session, SessionStore
from generator.app.web.settings import WebSettings

PUBLIC_PREFIXES = ("/static/", "/login", "/favicon.ico")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "x-content-type-options": "nosniff",
    # Same-origin only: the address (which may hold the login code) never goes to another site.
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


def host_name(host_header: str) -> str:
    """The host part of a Host header: "127.0.0.1:8765" -> "127.0.0.1", "[::1]:8765" -> "::1"."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


class Guard:
    """ASGI middleware; see the module docstring."""

    def __init__(self, app: ASGIApp, settings: WebSettings, store: SessionStore) -> None:
        self.app = app
        self.settings = settings
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refuse(scope, headers)
        if refusal is not None:
            await _with_headers(refusal, public=False)(scope, receive, send)
            return
        path: str = scope["path"]
        public = path.startswith(PUBLIC_PREFIXES)
        if path.startswith("/static/"):
            await _with_headers(self.app, public=True)(scope, receive, send)
            return

        incoming = _cookie(headers.get("cookie", ""))
        session = self.store.get(incoming)
        if session is None:
            session = self.store.create()
            if incoming:
                session.say("info", "上次的会话已结束（长时间未操作或服务已重启），其中的文件已删除。")
        state = scope.setdefault("state", {})
        state["session"] = session

        app: ASGIApp = self.app
        if self.settings.access_code and not session.authenticated and not public:
            if scope["method"] in SAFE_METHODS:
                app = RedirectResponse("/login", status_code=303)
            else:
                app = PlainTextResponse("需要先输入访问口令。", status_code=403)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                current: Session | None = state.get("session")
                out = MutableHeaders(scope=message)
                if current is None:
                    out.append("set-cookie", f"{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
                elif current.id != incoming:
                    out.append("set-cookie", f"{COOKIE_NAME}={current.id}; Path=/; HttpOnly; SameSite=Strict")
            await send(message)

        await _with_headers(app, public=False)(scope, receive, send_with_cookie)

    def _refuse(self, scope: Scope, headers: dict[str, str]) -> Response | None:
        allowed = self.settings.allowed_hosts
        if "*" not in allowed and host_name(headers.get("host", "")) not in allowed:
            return PlainTextResponse("访问地址无效：请用启动时显示的地址打开本页面。", status_code=400)
        if scope["method"] not in SAFE_METHODS and not _same_origin(headers):
            return PlainTextResponse("请求来自其他网站，已拒绝。请直接在本页面中操作。", status_code=403)
        return None


def _same_origin(headers: dict[str, str]) -> bool:
    """False when the browser says the request came from another site.

    Sec-Fetch-Site is the browser's own verdict and is trusted when present; Origin is the
    fallback for browsers without it (before Chromium 76 / Firefox 90 / Safari 16.4).
    """
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:  # browsers send Origin with every cross-site POST: this is not one
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


def _cookie(header: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is as good as none
        return None
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel is not None else None


def _with_headers(app: ASGIApp, public: bool) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    out.setdefault(name, value)
                out.setdefault("cache-control", "no-cache" if public else "no-store")
            await send(message)

        await app(scope, receive, send_headers)

    return wrapped
