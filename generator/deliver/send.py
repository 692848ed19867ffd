"""``budget-report send``: email each department's output folder (see docs/send.md).

Folders may be given one by one (``outputs/2021-高新区科技局``) or as the outputs root, whose
department folders are then all sent. The recipient defaults to the 联系人邮箱 of the workbook
the folder was built from, found through the folder name (<年度>-<部门名称>).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from generator.app.pipeline import CHECK_DIR, department_folder
from generator.deliver import DEFAULT_LOG_NAME, MailConfigError, load_config, send_outputs
from generator.read.reader import read_workbook
from generator.read.workbook_io import UnreadableWorkbook

_DEPT_FOLDER = re.compile(r"^\d{4}-.+")


def department_dirs(paths: Sequence[Path]) -> list[Path]:
    """Department folders (named <年度>-<部门名称> by build); any other folder is searched for them."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            continue
        if _DEPT_FOLDER.match(path.name):
            found.append(path)
        else:
            found.extend(sorted(p for p in path.iterdir()
                                if p.is_dir() and _DEPT_FOLDER.match(p.name) and p.name != CHECK_DIR))
    return found


def recipient_lookup(inputs: Sequence[Path]) -> dict[str, str]:
    """Department folder name -> 联系人邮箱, from the workbooks in ``inputs``."""
    emails: dict[str, str] = {}
    for root in inputs:
        for path in (sorted(root.rglob("*.xlsx")) if root.is_dir() else [root]):
            try:
                result = read_workbook(path)
            except UnreadableWorkbook:
                continue
            if result.model is not None and result.model.info.contact_email:
                emails[department_folder(result)] = result.model.info.contact_email
    return emails


def send_command(dirs: Sequence[Path], to: list[str] | None, config_path: Path, dry_run: bool,
                 resend: bool, inputs: Sequence[Path] = (Path("inputs"),)) -> int:
    targets = department_dirs(dirs)
    if not targets:
        print("没有找到可发送的部门输出文件夹（先运行 budget-report build）。")
        return 2
    try:
        config = load_config(config_path)
    except MailConfigError as exc:
        print(f"邮件配置有误：{exc}")
        return 2
    emails = recipient_lookup(inputs) if not to else {}
    log_root = targets[0].parent
    report = send_outputs(targets, to, config, dry_run, resend, log_root / DEFAULT_LOG_NAME,
                          recipient_lookup=lambda d: emails.get(d.name))
    print(report.to_text())
    return 0 if report.ok else 1
