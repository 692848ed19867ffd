"""One workbook through the whole path: read → validate → compute → render → move into place.

``check_one`` stops after validation (and writes the annotated copy); ``build_one`` goes on to
render when there is no 错误. Outputs are rendered into a temporary folder beside the final
one and moved into place file by file with ``os.replace`` (atomic), so an interrupted build
leaves the previous outputs intact and no half-written file is ever visible. The input file is
only read; its size and modification time are checked before and after.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from generator.compute.scoring import rules_for_tree
from generator.compute.selfeval import Evaluation, evaluate
from generator.model import BudgetWorkbook, SelfEvalWorkbook
from generator.model.indicator_tree import DEFAULT, PRESETS
from generator.model.schema import WorkbookKind
from generator.read.reader import ReadResult, read_workbook
from generator.read.workbook_io import UnreadableWorkbook, file_fingerprint
from generator.render.annotated_copy import annotated_path, write_annotated_copy
from generator.resources import templates_dir
from generator.validate import validate
from generator.validate.findings import Finding, count

DEFAULT_TEMPLATES = templates_dir()
CHECK_DIR = "校验结果"

# Status words shown to users (summary table, 汇总.xlsx).
OK, INVALID, UNREADABLE, FAILED, CHECKED = "成功", "校验未通过", "无法读取", "失败", "已校验"


@dataclass
class Outcome:
    """What happened to one workbook."""

    path: Path
    status: str
    kind: str = ""
    dept: str = ""
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    findings: list[Finding] = field(default_factory=list)
    out_dir: Path | None = None
    files: list[Path] = field(default_factory=list)
    annotated: Path | None = None
    message: str = ""

    @property
    def exit_code(self) -> int:
        if self.status == UNREADABLE:
            return 2
        if self.status in (INVALID, FAILED):
            return 1
        return 0


_ERRNO_WORDS = {errno.ENOENT: "路径不存在", errno.EACCES: "没有写入权限", errno.EPERM: "没有权限",
                errno.ENOSPC: "磁盘空间已满", errno.EROFS: "位置只读", errno.EISDIR: "这是一个文件夹"}


def describe_os_error(exc: BaseException) -> str:
    """A file-system error in Chinese, naming the path (the OS text is English)."""
    cause: BaseException | None = exc
    if not isinstance(exc, OSError):  # e.g. XlsxWriter's FileCreateError wraps the OSError
        wrapped = [a for a in exc.args if isinstance(a, OSError)]
        cause = wrapped[0] if wrapped else (exc.__cause__ or exc.__context__)
    if isinstance(cause, OSError):
        what = _ERRNO_WORDS.get(cause.errno or 0, cause.strerror or "文件操作失败")
        return f"{what}（{cause.filename}）" if cause.filename else what
    return str(exc)


def safe_folder_name(text: str) -> str:
    """A folder name that cannot escape the output directory (no / \\ .. : * ? etc.)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip().strip(".")
    cleaned = re.sub(r"\.{2,}", "_", cleaned)
    return cleaned[:80] or "未命名部门"


def department_folder(result: ReadResult) -> str:
    model = result.model
    assert model is not None
    return safe_folder_name(f"{model.info.year}-{model.info.dept_name}")


@dataclass
class Checked:
    """A workbook read, scored (self-evaluations) and validated: everything render needs."""

    outcome: Outcome
    result: ReadResult | None = None
    evaluation: Evaluation | None = None


def score_and_validate(result: ReadResult, tree_name: str = DEFAULT.name) -> tuple[list[Finding], Evaluation | None]:
    """Every finding about a workbook read, and its evaluation (self-evaluations are scored once:
    the findings and the rendered documents come from the same evaluation)."""
    tree = PRESETS.get(tree_name, DEFAULT)
    evaluation = (evaluate(result.model, rules_for_tree(tree))
                  if isinstance(result.model, SelfEvalWorkbook) else None)
    return validate(result, tree, evaluation), evaluation


def check_one(path: Path, out_root: Path, tree_name: str = DEFAULT.name,
              annotate: bool = True, catalog_file: Path | None = None) -> Checked:
    """Read, score and validate ``path``; write the annotated copy under ``out_root/校验结果``.
    ``catalog_file``: the user's 科目表 (``--catalog``)."""
    before = file_fingerprint(path) if path.exists() and path.is_file() else None
    try:
        result = read_workbook(path, catalog_file=catalog_file)
    except UnreadableWorkbook as exc:
        return Checked(Outcome(path, UNREADABLE, message=str(exc)))
    found, evaluation = score_and_validate(result, tree_name)
    errors, warnings, infos = count(found)
    model = result.model
    outcome = Outcome(path, INVALID if errors else CHECKED, kind=result.kind.value,
                      dept=model.info.dept_name if model else "",
                      year=model.info.year if model else None,
                      errors=errors, warnings=warnings, infos=infos, findings=found)
    if annotate and found:
        outcome.annotated = write_annotated_copy(path, found,
                                                 annotated_path(path, out_root / CHECK_DIR))
    if before is not None and file_fingerprint(path) != before:  # pragma: no cover - a guard
        raise RuntimeError(f"输入文件 {path} 在处理过程中被修改")
    return Checked(outcome, result, evaluation)


def build_one(path: Path, out_root: Path, templates: Path = DEFAULT_TEMPLATES,
              tree_name: str = DEFAULT.name, pdf: bool = False,
              catalog_file: Path | None = None) -> Outcome:
    """Validate and, when there is no 错误, render the documents of one workbook."""
    outcome = Outcome(path, FAILED)
    try:
        # The annotated copy only when the build is refused: it shows where to fix. A built
        # workbook's 警告/提示 are printed with their cells (`check` still annotates them).
        checked = check_one(path, out_root, tree_name, annotate=False,
                              catalog_file=catalog_file)
        outcome = checked.outcome
        if checked.result is None or outcome.errors:
            if checked.result is not None and outcome.findings:
                outcome.annotated = write_annotated_copy(
                    path, outcome.findings, annotated_path(path, out_root / CHECK_DIR))
            return outcome
        out_dir = out_root / department_folder(checked.result)
        outcome.out_dir = out_dir
        outcome.files = _render_atomically(checked, out_dir, templates, pdf)
        outcome.status = OK
        return outcome
    except Exception as exc:  # one broken workbook must not stop a batch, nor show a traceback
        from generator.deliver.pdf import PdfError
        from generator.messages import UserError

        outcome.status, outcome.out_dir, outcome.files = FAILED, None, []
        if isinstance(exc, (UserError, PdfError)):
            outcome.message = str(exc)  # already a message for users
        elif isinstance(exc, OSError):
            outcome.message = f"无法写入输出：{describe_os_error(exc)}"
        else:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            outcome.message = f"生成失败（程序内部错误，请把此信息反馈给维护人员）：{detail}"
        return outcome


STALE_STAGING_SECONDS = 600


def _remove_stale_staging(root: Path) -> None:
    """Staging folders left by a killed build (older than 10 minutes; a running build is younger)."""
    now = time.time()
    for old in root.glob(".building-*"):
        try:
            if now - old.stat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def _render_atomically(checked: Checked, out_dir: Path, templates: Path, pdf: bool) -> list[Path]:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out_dir.parent)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=out_dir.parent))
    try:
        files = render(checked, staging, templates)
        if pdf:
            from generator.deliver.pdf import convert_to_pdf

            files += convert_to_pdf(files, staging)
        out_dir.mkdir(parents=True, exist_ok=True)
        final = []
        for f in files:
            target = out_dir / f.name
            os.replace(f, target)  # atomic: readers see the old or the new file, never half
            final.append(target)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def render(checked: Checked, out_dir: Path, templates: Path) -> list[Path]:
    """Render every document of the workbook's kind into ``out_dir``; return the files."""
    model = checked.result.model if checked.result else None
    # Renderers are imported here, not at the top: `check` never pays for docxtpl and friends.
    if isinstance(model, BudgetWorkbook):
        from generator.compute.disclosure import compute_disclosure
        from generator.compute.standard_tables import compute_standard_tables
        from generator.model.outlines import OUTLINES
        from generator.render.docx_render import render_disclosure
        from generator.render.xlsx_tables import render_tables

        disclosure = compute_disclosure(model)  # once: the Word document and the tables state the same facts
        files = list(render_disclosure(model, out_dir, templates, disclosure))
        outline = OUTLINES.get(disclosure.style)
        if outline is not None and outline.tables:
            files.append(render_tables(disclosure, compute_standard_tables(model),
                                       out_dir / f"{model.info.year}年部门预算公开表.xlsx", templates))
        return files
    if isinstance(model, SelfEvalWorkbook) and checked.evaluation is not None:
        from generator.render.selfeval_docx import render_selfeval

        return list(render_selfeval(model, checked.evaluation, out_dir, templates))
    raise ValueError("没有可生成的内容")


def kind_from_name(name: str) -> WorkbookKind:
    for kind in WorkbookKind:
        if kind.value == name:
            return kind
    raise ValueError(name)
