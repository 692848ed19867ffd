"""The calls into the application, and the worker processes they run in.

Each function here is what one click does, written with the application's public functions only
(``pipeline.check_one`` / ``build_one``, ``write_workbook``, ``self_eval_from_budget``, and the
budget carried forward from last year when that module exists), so the web page and the command
line can never disagree. They run in worker processes (``WorkerPool``): a build of a thousand
projects does not freeze the pages of other users, a workbook that exhausts memory kills a worker
and not the server, and a task that runs too long is stopped. Results are plain picklable data.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import os
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator.app.pipeline import FAILED, Outcome, build_one, check_one, kind_from_name, safe_folder_name
from generator.model.schema import WorkbookKind

T = TypeVar("T")

# Where "a budget pre-filled from last year's" lives once it exists, and the names its entry point
# may have: the page offers that step only when one of them is there (see ``carry_forward``).
CARRY_FORWARD_MODULE = "generator.compute.carry_forward"
CARRY_FORWARD_NAMES = ("budget_from_last_year", "budget_from_previous_year", "carry_forward_budget",
                       "carry_forward")


def internal_error(exc: BaseException) -> str:
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"处理失败（程序内部错误，请把此信息反馈给维护人员）：{detail}"


@dataclass(frozen=True)
class CheckReport:
    outcome: Outcome
    contact_email: str = ""  # the workbook's 联系人邮箱: the send page's default recipient


def check_workbook(path: Path, out_root: Path) -> CheckReport:
    """``budget-report check``: findings and the annotated copy under ``out_root/校验结果``."""
    try:
        checked = check_one(path, out_root)
    except Exception as exc:  # a reader bug must reach the page as a sentence, not a 500
        return CheckReport(Outcome(path, FAILED, message=internal_error(exc)))
    model = checked.result.model if checked.result is not None else None
    info = getattr(model, "info", None)
    return CheckReport(checked.outcome, str(getattr(info, "contact_email", "") or ""))


def build_workbook(path: Path, out_root: Path, pdf: bool) -> Outcome:
    """``budget-report build``: the documents under ``out_root/<年度>-<部门>``."""
    return build_one(path, out_root, pdf=pdf)


def write_blank(kind_name: str, quarterly: bool, target: Path) -> Path:
    """``budget-report template KIND``: a blank workbook, written whole or not at all."""
    from generator.render.workbook_template import WorkbookData

    _write(kind_from_name(kind_name), WorkbookData(plan="quarter" if quarterly else "month"), target)
    return target


@dataclass(frozen=True)
class Prefilled:
    """A pre-filled workbook, or why there is none (``message``)."""

    path: Path | None = None
    message: str = ""
    dept: str = ""
    year: int | None = None


def self_eval_from_upload(budget: Path, scratch: Path, target_dir: Path) -> Prefilled:
    """``template 绩效自评 --from BUDGET``: projects, indicators and 指标值 carried over."""
    from generator.compute.carry_over import self_eval_from_budget

    return _prefill(budget, scratch, target_dir, WorkbookKind.SELF_EVAL, self_eval_from_budget,
                    refuse_errors=True)


def carry_forward() -> Callable[[Any], Any] | None:
    """The "this year's budget from last year's" function, when the application has one."""
    try:
        module = importlib.import_module(CARRY_FORWARD_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in (CARRY_FORWARD_MODULE, CARRY_FORWARD_MODULE.rpartition(".")[0]):
            return None
        raise
    for name in CARRY_FORWARD_NAMES:
        function = getattr(module, name, None)
        if callable(function):
            return function  # type: ignore[no-any-return]
    return None


def budget_from_last_year_upload(last_year: Path, scratch: Path, target_dir: Path) -> Prefilled:
    """``template 部门预算 --from LAST_YEAR``: 上年 figures, 职责, 机构 and projects carried forward."""
    function = carry_forward()
    if function is None:
        return Prefilled(message="此版本不支持从上年预算带入")
    # Last year's workbook was published under last year's rules: findings it has under today's
    # rules are for this year's workbook to fix, so they do not stop the carrying forward.
    return _prefill(last_year, scratch, target_dir, WorkbookKind.BUDGET, function, refuse_errors=False)


def _prefill(source: Path, scratch: Path, target_dir: Path, kind: WorkbookKind,
             make: Callable[[Any], Any], refuse_errors: bool) -> Prefilled:
    from generator.model import BudgetWorkbook

    try:
        checked = check_one(source, scratch, annotate=False)
        outcome = checked.outcome
        if checked.result is None:
            return Prefilled(message=outcome.message)
        model = checked.result.model
        if not isinstance(model, BudgetWorkbook):
            return Prefilled(message=f"{source.name} 不是部门预算工作簿")
        if refuse_errors and outcome.errors:
            return Prefilled(message=f"{source.name} 有 {outcome.errors} 个错误：请先在“上传校验”中修正后再带入。")
        data = make(model)
        year = model.info.year
        next_year = year + 1 if kind is WorkbookKind.BUDGET and isinstance(year, int) else year
        target = target_dir / f"{safe_folder_name(f'{next_year}-{model.info.dept_name}-{kind.value}')}.xlsx"
        _write(kind, data, target)
        return Prefilled(target, dept=model.info.dept_name, year=next_year)
    except Exception as exc:
        return Prefilled(message=internal_error(exc))


def _write(kind: WorkbookKind, data: Any, target: Path) -> None:
    from generator.render.workbook_template import write_workbook

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    try:  # as the CLI: a complete file or none
        write_workbook(kind, staging, data)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


class WorkFailed(Exception):
    """A task did not finish (timeout, crashed worker); ``str(exc)`` is for the page."""


class WorkerPool:
    """Worker processes, replaced whole when one task hangs or a worker dies."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self._executor: Executor | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            # spawn everywhere: the same behaviour on Windows, macOS and Linux, and no fork of a
            # process that already runs threads (the server's event loop and its thread pool).
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._executor

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        pool = self._pool()
        try:
            return await asyncio.wait_for(loop.run_in_executor(pool, function, *args), self.timeout)
        except TimeoutError:
            self._restart(pool)
            raise WorkFailed(f"处理超过 {self.timeout / 60:.0f} 分钟仍未完成，已停止：请检查工作簿是否异常庞大") from None
        except BrokenProcessPool:
            self._restart(pool)
            raise WorkFailed("处理进程意外退出（可能是工作簿过大导致内存不足）：请重试，或检查工作簿") from None

    def warm(self) -> None:
        """Start the workers now, so the first upload does not wait for Python to start twice."""
        pool = self._pool()
        for _ in range(self.workers):
            pool.submit(warm_up)

    def _restart(self, pool: Executor) -> None:
        if self._executor is pool:
            self._executor = None
        for process in _processes(pool):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers: idle ones leave at once, one still building is stopped after a moment."""
        pool, self._executor = self._executor, None
        if pool is None:
            return
        processes = _processes(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join()


def _processes(pool: Executor) -> list[Any]:
    # ProcessPoolExecutor cannot stop a running task; its worker processes are ended instead
    # (Python 3.14 has terminate_workers(); earlier versions only keep them in _processes).
    return list((getattr(pool, "_processes", None) or {}).values())


def warm_up() -> bool:
    """Nothing: running it imports this module, and with it the pipeline, in a worker."""
    return True
