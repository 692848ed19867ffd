"""Deadline day: many workbooks in one command, in parallel, one failure not stopping the rest.

``run_build`` expands folders into their workbooks (skipping Office lock files ``~$*`` and the
tool's own annotated copies), builds them in worker processes with a progress bar showing the
current department, prints a summary table and writes it to ``outputs/汇总.xlsx``.

Every workbook is rendered into the batch's staging folder first; only when all are done, and no
two of them name the same output folder, are the files moved into place. Two workbooks that would
write one folder (two districts' 科技局 without 单位编码, or one file twice) are both reported as a
错误 and neither is written.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.app.pipeline import CHECK_DIR, FAILED, Outcome, build_one, commit, refuse_collisions
from generator.app.report import print_outcome, print_summary
from generator.app.staging import Staging
from generator.read.catalog_file import BESIDE_NAMES
from generator.render.annotated_copy import is_annotated_copy

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

SUMMARY_NAME = "汇总.xlsx"


def collect_workbooks(paths: Iterable[Path], out_root: Path | None = None) -> list[Path]:
    """Files as given; folders searched recursively for ``*.xlsx`` (not our own outputs)."""
    found: list[Path] = []
    skip_root = out_root.resolve() if out_root and out_root.exists() else None
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*.xlsx")):
                if _skipped(candidate, skip_root):
                    continue
                found.append(candidate)
        else:
            found.append(path)
    # One file named twice ("a.xlsx" and its folder, or a relative and an absolute path) is one
    # workbook: built once, not refused as two that would write the same folder.
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _skipped(path: Path, out_root: Path | None) -> bool:
    if path.name.startswith("~$") or is_annotated_copy(path) or path.name in (SUMMARY_NAME, *BESIDE_NAMES):
        return True
    if CHECK_DIR in path.parts:
        return True
    return out_root is not None and out_root in path.resolve().parents


def run_build(paths: Sequence[Path], out_root: Path, templates: Path, tree: str, pdf: bool,
              jobs: int, catalog_file: Path | None = None, as_json: bool = False) -> int:
    files = collect_workbooks(paths, out_root)
    if not files:
        return _say("没有找到 .xlsx 工作簿。", 2, as_json)
    if pdf:
        from generator.deliver.pdf import MISSING_SOFFICE_MESSAGE, find_soffice, warn_if_no_cjk_fonts

        if find_soffice() is None:  # say it once, before any work, not once per workbook
            return _say(MISSING_SOFFICE_MESSAGE, 2, as_json)
        warning = warn_if_no_cjk_fonts()
        if warning and not as_json:
            print(f"警告：{warning}")
    if len(files) == 1:
        outcome = build_one(files[0], out_root, templates, tree, pdf, catalog_file)
        if as_json:
            _print_json([outcome])
        else:
            _print_single(outcome)
        outcomes = [outcome]
    else:
        outcomes = build_many(files, out_root, templates, tree, pdf, jobs or os.cpu_count() or 1,
                              catalog_file, quiet=as_json)
        summary = write_summary(outcomes, out_root / SUMMARY_NAME)
        if as_json:
            _print_json(outcomes)
        else:
            print_summary(outcomes)
            print(f"汇总表：{summary}")
    if pdf and not as_json:
        from generator.deliver.fonts import substitution_report

        report = substitution_report(f for o in outcomes for f in o.files)
        if report:
            print(report)
    return max(o.exit_code for o in outcomes)


def _say(message: str, code: int, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False))
    else:
        print(message)
    return code


def _print_json(outcomes: Sequence[Outcome]) -> None:
    print(json.dumps([o.as_json() for o in outcomes], ensure_ascii=False, indent=2))


def _print_single(outcome: Outcome) -> None:
    print_outcome(outcome)
    if outcome.files:
        print(f"已生成 {len(outcome.files)} 个文件，位于 {outcome.out_dir}：")
        for f in outcome.files:
            print(f"  {f.name}")


def annotated_names(files: Sequence[Path]) -> dict[Path, str | None]:
    """Names for the annotated copies: the workbook's own, or ``<folder>-<name>`` when two
    workbooks of the batch share a name (a/预算.xlsx and b/预算.xlsx must not overwrite each other)."""
    stems = Counter(f.stem for f in files)
    used: set[str] = set()
    names: dict[Path, str | None] = {}
    for f in files:
        if stems[f.stem] == 1:
            names[f] = None
            continue
        name = f"{f.parent.name}-{f.stem}"
        n = 2
        while name in used or (name in stems and name != f.stem):
            name, n = f"{f.parent.name}-{f.stem}-{n}", n + 1
        used.add(name)
        names[f] = name
    return names


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which stops them (no traceback from each)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _CtrlC:
    """While workers run, Ctrl-C sets a flag that the main loop reads between results.

    Raising KeyboardInterrupt wherever the main thread happens to be is not safe here: inside a
    worker's fork the exception is swallowed by an at-fork hook ("Exception ignored …", and the
    build goes on), or it lands between a worker's start and its registration, leaving a worker
    that waits for work forever. Only in the main thread (``signal`` allows no other).
    """

    def __init__(self) -> None:
        self.pressed = threading.Event()
        self._previous: Any = None
        self._installed = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> _CtrlC:
        if self._installed:
            self._previous = signal.signal(signal.SIGINT, lambda *_: self.pressed.set())
        return self

    def __exit__(self, *_: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the workers (they ignore Ctrl-C) and the pool, without waiting for their work.

    Every child process, not only those the pool has registered: an interrupt can land between
    a worker's start and its registration, and that worker would wait for work forever.
    """
    workers = multiprocessing.active_children()
    for process in workers:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.join(timeout=10)


def build_many(files: Sequence[Path], out_root: Path, templates: Path, tree: str, pdf: bool,
               jobs: int, catalog_file: Path | None = None, quiet: bool = False) -> list[Outcome]:
    # Imported here: a single workbook needs neither a process pool nor a progress bar.
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    outcomes: dict[Path, Outcome] = {}
    names = annotated_names(files)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.fields[current]}"))
    with Staging(out_root) as staging, Progress(*columns, transient=False, disable=quiet) as progress:
        task = progress.add_task("生成中", total=len(files), current="")
        where = {f: staging.path / str(i) for i, f in enumerate(files)}
        if jobs <= 1:
            for f in files:
                progress.update(task, current=f.stem)
                outcomes[f] = build_one(f, out_root, templates, tree, pdf, catalog_file, staging=where[f],
                                        annotated_name=names[f])
                progress.advance(task)
        else:
            pool: ProcessPoolExecutor | None = None
            try:
                with _CtrlC() as ctrl_c:
                    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupt)
                    futures = {pool.submit(build_one, f, out_root, templates, tree, pdf, catalog_file,
                                           staging=where[f], annotated_name=names[f]): f
                               for f in files}
                    pending = set(futures)
                    while pending and not ctrl_c.pressed.is_set():
                        done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                        for future in done:
                            f = futures[future]
                            try:
                                outcome = future.result()
                            except Exception as exc:  # a worker that died (e.g. out of memory)
                                outcome = Outcome(f, FAILED, message=f"处理进程异常退出：{exc}")
                            outcomes[f] = outcome
                            progress.update(task, current=outcome.dept or f.stem)
                            progress.advance(task)
                    if ctrl_c.pressed.is_set():
                        raise KeyboardInterrupt
            except BaseException:  # Ctrl-C: stop the workers now, not after their current workbook
                if pool is not None:
                    _stop(pool)
                raise
            pool.shutdown(wait=True)
        ordered = [outcomes[f] for f in files]
        refuse_collisions(ordered)
        for outcome in ordered:
            commit(outcome)
    return ordered


def write_summary(outcomes: Sequence[Outcome], target: Path) -> Path:
    """The summary table as a formatted workbook (written to a temp file, then moved)."""
    import xlsxwriter

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("汇总")
    header = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "font_name": "宋体"})
    cell = wb.add_format({"border": 1, "font_name": "宋体", "text_wrap": True})
    headers = ("部门", "类型", "状态", "错误", "警告", "输出文件夹", "工作簿", "说明")
    widths = (20, 10, 12, 6, 6, 40, 40, 50)
    for c, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(0, c, h, header)
        ws.set_column(c, c, w)
    for r, o in enumerate(outcomes, start=1):
        values = (o.dept, o.kind, o.status, o.errors, o.warnings, str(o.out_dir or ""), str(o.path),
                  o.message)
        for c, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(r, c, v, cell)
            else:
                ws.write_string(r, c, v, cell)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(outcomes), len(headers) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    wb.close()
    os.replace(tmp, target)
    return target


def run_send(dirs: Sequence[Path], to: list[str] | None, config: Path, dry_run: bool,
             resend: bool, inputs: Sequence[Path]) -> int:
    from generator.deliver.send import send_command

    return send_command(dirs, to, config, dry_run, resend, inputs)
