"""Console output: findings as a readable table, and the batch summary.

rich draws the tables when the output is a terminal; piped output stays plain text so logs and
CI stay readable.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from generator.app.pipeline import UNREADABLE, Outcome

_console = Console(highlight=False, soft_wrap=True)


def print_outcome(o: Outcome) -> None:
    """One workbook's findings, then a one-line verdict."""
    if o.status == UNREADABLE:
        _console.print(f"[bold red]✗ {o.path}[/]：{o.message}")
        return
    if o.findings:
        table = Table(title=f"{o.path.name}（{o.kind}）", show_lines=False, expand=False)
        for header in ("级别", "工作表", "单元格", "列", "问题", "处理建议"):
            table.add_column(header, overflow="fold")
        for f in o.findings:
            style = {"错误": "red", "警告": "yellow"}.get(f.severity.value, "cyan")
            table.add_row(f"[{style}]{f.severity.value}[/]", f.sheet, f.cell, f.header, f.message, f.fix)
        _console.print(table)
    verdict = "[red]有错误，不能生成文件[/]" if o.errors else "[green]可以生成文件[/]"
    infos = f"（另有 {o.infos} 条提示）" if o.infos else ""
    _console.print(f"{o.path.name}：{o.errors} 个错误，{o.warnings} 个警告{infos} — {verdict}")
    if o.annotated:
        _console.print(f"  已生成标注副本：{o.annotated}")
    if o.message:
        _console.print(f"  {o.message}")


def print_summary(outcomes: Sequence[Outcome]) -> None:
    table = Table(title="汇总")
    for header in ("部门", "类型", "状态", "错误", "警告", "输出", "文件"):
        table.add_column(header, overflow="fold")
    for o in outcomes:
        style = {"成功": "green", "已校验": "green"}.get(o.status, "red")
        table.add_row(o.dept or "—", o.kind or "—", f"[{style}]{o.status}[/]", str(o.errors),
                      str(o.warnings), str(o.out_dir or o.annotated or ""), o.path.name)
    _console.print(table)
    failed = [o for o in outcomes if o.exit_code]
    for o in failed:
        if o.message:
            print(f"{o.path}: {o.message}", file=sys.stderr)
