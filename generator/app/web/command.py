"""The ``serve`` sub-command: its options, and a clear message when the ``web`` extra is missing.

Nothing here imports the web stack, so the other commands (and ``--help``) never pay for it nor
need it installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# import name -> the name pip installs it by
WEB_PACKAGES = {"starlette": "starlette", "uvicorn": "uvicorn", "python_multipart": "python-multipart",
                "jinja2": "Jinja2"}
# The same default as ``send --config`` (generator.deliver.config.DEFAULT_CONFIG_NAME, not imported:
# the delivery package loads the whole mail stack, and every command builds this parser).
DEFAULT_CONFIG_NAME = "budget-report-mail.ini"


def add_serve_command(subparsers: Any) -> None:
    """Register ``serve`` on the CLI's sub-command parsers."""
    w = subparsers.add_parser(
        "serve", help="在浏览器中操作（本机网页）",
        description="启动本机网页：下载模板、上传校验、生成文件、发送邮件，都在浏览器中完成。\n"
                    "默认只允许本机访问；用 --host 开放到局域网时，需要输入启动时显示的访问口令。")
    w.add_argument("--host", default=DEFAULT_HOST,
                   help=f"监听地址（默认 {DEFAULT_HOST}，只允许本机访问；0.0.0.0 为局域网）")
    w.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    w.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    w.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG_NAME),
                   help=f"发送邮件的配置文件（默认 {DEFAULT_CONFIG_NAME}，与 send 相同）")


def missing_web_packages() -> list[str]:
    return [dist for module, dist in WEB_PACKAGES.items() if importlib.util.find_spec(module) is None]


def run_serve(args: argparse.Namespace) -> int:
    missing = missing_web_packages()
    if missing:
        print("网页界面需要额外的组件（" + "、".join(missing) + "）。请先安装：\n"
              "  pip install -e '.[web]'    （在项目目录中）\n"
              "  或 pip install 'budget-report[web]'", file=sys.stderr)
        return 2
    from generator.app.web.server import serve

    return serve(args.host, args.port, open_browser=not args.no_browser, mail_config=args.config)
