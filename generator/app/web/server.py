"""Start the web application: bind, print where it is, open the browser, stop cleanly.

Loopback is the default. Any other address serves the network, so an access code is made at
start, printed in the console, and required by every page (``guard``); without it, anyone on the
office network could read the workbooks and send mail as the department.
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import secrets
import socket
import sys
import threading
import time
import webbrowser
from pathlib import Path

from generator.app.web.settings import LOOPBACK_HOSTS, WebSettings

# No 0/O, 1/I/L: read aloud or copied by hand from a console window without mistakes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_access_code() -> str:
    """Four groups of four characters: 80 bits, with the login throttled after a few failures."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port); OSError when impossible."""
    infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":  # on Windows this option lets another program take the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def url_for(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent: UDP connect only routes)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address: str = probe.getsockname()[0]
            return None if address.startswith("127.") else address
    except OSError:
        return None


def describe_bind_error(exc: OSError, host: str, port: int) -> str:
    if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
        return (f"端口 {port} 已被占用（可能已经有一个 budget-report serve 在运行）："
                "请关闭它，或用 --port 指定其他端口，例如 --port 8766")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有权限使用端口 {port}：请用 1024 以上的端口，例如 --port 8765"
    return f"无法在 {host}:{port} 上启动：{exc.strerror or exc}。请检查 --host 是否为本机的地址"


def serve(host: str, port: int, open_browser: bool = True, mail_config: Path | None = None) -> int:
    import uvicorn

    from generator.app.web.app import create_app

    loopback = is_loopback(host)
    access_code = None if loopback else new_access_code()
    settings = WebSettings(
        access_code=access_code,
        # Reached by whatever name or address the network uses: the access code guards it instead.
        allowed_hosts=LOOPBACK_HOSTS if loopback else ("*",),
    )
    if mail_config is not None:
        settings = dataclasses.replace(settings, mail_config=mail_config.resolve())
    try:
        sock = bind(host, port)
    except (OSError, UnicodeError) as exc:
        message = describe_bind_error(exc, host, port) if isinstance(exc, OSError) else f"地址 {host} 无效"
        print(message, file=sys.stderr)
        return 2
    actual_port = sock.getsockname()[1]
    local_url = url_for(host if loopback else "127.0.0.1", actual_port)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                                           lifespan="on"))

    print(f"budget-report 网页界面已启动：{local_url}", flush=True)
    if access_code is None:
        print("只允许本机访问。", flush=True)
    else:
        lan = lan_address()
        if lan and host in ("0.0.0.0", ""):
            print(f"局域网中的其他电脑请打开：{url_for(lan, actual_port)}", flush=True)
        print(f"访问口令：{access_code}（每次启动都不同；只告诉需要使用的同事）", flush=True)
    print(f"文件只在本机处理：每个浏览器会话的文件放在单独的临时文件夹中，结束、闲置 {settings.idle_minutes} 分钟"
          "或停止服务后删除。", flush=True)
    print("按 Ctrl+C 停止服务。", flush=True)

    if open_browser:
        target = local_url if access_code is None else f"{local_url}login?token={access_code}"
        threading.Thread(target=_open_when_ready, args=(server, target), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # a second Ctrl+C during shutdown
        pass
    finally:
        sock.close()
    print("服务已停止，临时文件已删除。", flush=True)
    return 0


def _open_when_ready(server: object, url: str) -> None:
    for _ in range(300):
        if getattr(server, "started", False):
            webbrowser.open(url)
            return
        time.sleep(0.05)
