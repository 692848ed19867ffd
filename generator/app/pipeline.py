"""One workbook through the whole path: read → validate → compute → render → move into place.

``check_one`` stops after validation (and writes the annotated copy); ``build_one`` goes on to
render when there is no 错误. Outputs are rendered into a locked staging folder beside the final
one (``staging.py``) and moved into place file by file with ``os.replace`` (atomic), so an
interrupted build leaves the previous outputs intact and no half-written file is ever visible; the
next build removes a dead build's staging at once. A batch renders every workbook into its own
staging first and commits only after checking that no two workbooks name the same folder. The
input file is only read; its size and modification time are checked before and after.
"""

from __future__ import annotations

import errno
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.app.staging import Staging
from generator.compute.scoring import rules_for_tree
from generator.compute.selfeval import Evaluation, evaluate
from generator.messages import say
from generator.model import BudgetWorkbook, SelfEvalWorkbook
from generator.model.indicator_tree import DEFAULT, PRESETS
from generator.model.schema import WorkbookKind
from generator.read.cell_text import remove_format_chars, remove_noncharacters
from generator.read.normalise import normalise
from generator.read.reader import ReadResult, read_workbook
from generator.read.workbook_io import UnreadableWorkbook, file_fingerprint
from generator.render.annotated_copy import annotated_path, write_annotated_copy
from generator.resources import templates_dir
from generator.validate import findings as F
from generator.validate import validate
from generator.validate.findings import Finding, count

DEFAULT_TEMPLATES = templates_dir()
CHECK_DIR = "校验结果"
ANNOTATE_MAX_CELLS = 300_000  # ~700 bytes each once openpyxl holds them: ~200 MB

# Status words shown to users (summary table, 汇总.xlsx).
OK, INVALID, UNREADABLE, FAILED, CHECKED = "成功", "校验未通过", "无法读取", "失败", "已校验"
STAGED = "待写入"  # rendered into a batch's staging folder, not yet moved into place


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
    staged: list[Path] = field(default_factory=list)  # files waiting in a staging folder (STAGED)

    def as_json(self) -> dict[str, Any]:
        """This result for ``check --json`` and ``build --json``."""
        return {"file": str(self.path), "kind": self.kind, "status": self.status, "errors": self.errors,
                "warnings": self.warnings, "infos": self.infos, "message": self.message,
                "annotated_copy": str(self.annotated) if self.annotated else None,
                "output_dir": str(self.out_dir) if self.out_dir else None,
                "files": [str(f) for f in self.files],
                "findings": [f.as_dict() for f in self.findings]}

    @property
    def exit_code(self) -> int:
        if self.status == UNREADABLE:
            return 2
        if self.status in (INVALID, FAILED):
            return 1
        return 0


_ERRNO_WORDS = {errno.ENOENT: "路径不存在", errno.EACCES: "没有写入权限", errno.EPERM: "没有权限",
                errno.ENOSPC: "磁盘空间已满", errno.EROFS: "位置只读", errno.EISDIR: "这是一个文件夹",
                errno.ENOTDIR: "路径中有一项是文件，不是文件夹", errno.EEXIST: "已存在同名的文件或文件夹",
                errno.ENAMETOOLONG: "文件名或路径过长", errno.EBUSY: "文件正被其他程序使用",
                errno.EXDEV: "不能跨磁盘移动", errno.EMFILE: "打开的文件过多", errno.EIO: "磁盘读写错误",
                errno.ELOOP: "路径中的快捷方式（链接）循环", errno.EDQUOT: "磁盘配额已满"}


def describe_os_error(exc: BaseException) -> str:
    """A file-system error in Chinese, naming the path (the OS text is English: never shown)."""
    cause: BaseException | None = exc
    if not isinstance(exc, OSError):  # e.g. XlsxWriter's FileCreateError wraps the OSError
        wrapped = [a for a in exc.args if isinstance(a, OSError)]
        cause = wrapped[0] if wrapped else (exc.__cause__ or exc.__context__)
    if isinstance(cause, OSError):
        code = cause.errno or 0
        what = _ERRNO_WORDS.get(code) or f"文件操作失败（错误码 {errno.errorcode.get(code, code)}）"
        return f"{what}（{cause.filename}）" if cause.filename else what
    return "文件操作失败"


def safe_folder_name(text: str) -> str:
    """A file or folder name that cannot escape the output directory (no / \\ .. : * ? etc.)
    nor show other than it is (invisible format characters such as a right-to-left override
    removed: "…\u202excod.exe" would display as "…exe.docx")."""
    text = remove_noncharacters(remove_format_chars(text)[0])[0]
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", text).strip().strip(".")
    cleaned = re.sub(r"\.{2,}", "_", cleaned)
    return cleaned[:80].strip() or "未命名部门"


def department_folder(result: ReadResult) -> str:
    """``<年度>-<部门名称>-<单位编码>`` (the code when the workbook gives one): two departments of
    the same name (two districts' 科技局) never share a folder."""
    model = result.model
    assert model is not None
    code = str(getattr(model.info, "unit_code", "") or "").strip()
    name = f"{model.info.year}-{model.info.dept_name}"
    return safe_folder_name(f"{name}-{code}" if code else name)


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
    normalise(result, tree)  # level names into the tree's before anything is scored
    evaluation = (evaluate(result.model, rules_for_tree(tree))
                  if isinstance(result.model, SelfEvalWorkbook) else None)
    return validate(result, tree, evaluation), evaluation


def check_one(path: Path, out_root: Path, tree_name: str = DEFAULT.name,
              annotate: bool = True, catalog_file: Path | None = None,
              annotated_name: str | None = None) -> Checked:
    """Read, score and validate ``path``; write the annotated copy under ``out_root/校验结果``
    (named after the workbook, or ``annotated_name`` when a batch holds two of the same name).
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
        _annotate(outcome, result, out_root, annotated_name)
    if before is not None and file_fingerprint(path) != before:  # pragma: no cover - a guard
        raise RuntimeError(f"输入文件 {path} 在处理过程中被修改")
    return Checked(outcome, result, evaluation)


def _annotate(outcome: Outcome, result: ReadResult, out_root: Path, annotated_name: str | None) -> None:
    """The annotated copy in ``out_root/校验结果``, named after the workbook (or ``annotated_name``).

    It patches the workbook's package; only a workbook the patcher does not handle is loaded
    whole through openpyxl, every formatted cell an object: past ``ANNOTATE_MAX_CELLS`` (a column
    formatted down to row 1,048,576 …) that copy is left out, and the outcome says why; the
    findings are listed all the same.
    """
    path = outcome.path
    shown = path.with_name(safe_folder_name(annotated_name or path.stem) + path.suffix)
    outcome.annotated = write_annotated_copy(path, outcome.findings, annotated_path(shown, out_root / CHECK_DIR),
                                             full_load=result.cell_elements <= ANNOTATE_MAX_CELLS)
    if outcome.annotated is None:
        outcome.message = say("annotated.too_large", cells=result.cell_elements, limit=ANNOTATE_MAX_CELLS)


def build_one(path: Path, out_root: Path, templates: Path = DEFAULT_TEMPLATES,
              tree_name: str = DEFAULT.name, pdf: bool = False, catalog_file: Path | None = None, *,
              staging: Path | None = None, annotated_name: str | None = None) -> Outcome:
    """Validate and, when there is no 错误, render the documents of one workbook.

    With ``staging`` (a folder inside a batch's ``Staging``) the documents are left there,
    status ``STAGED``, for the batch to ``commit`` once it knows no other workbook names the same
    folder; otherwise they are moved into place before returning.
    """
    outcome = Outcome(path, FAILED)
    try:
        # The annotated copy only when the build is refused: it shows where to fix. A built
        # workbook's 警告/提示 are printed with their cells (`check` still annotates them).
        checked = check_one(path, out_root, tree_name, annotate=False, catalog_file=catalog_file)
        outcome = checked.outcome
        if checked.result is None or outcome.errors:
            if checked.result is not None and outcome.findings:
                _annotate(outcome, checked.result, out_root, annotated_name)
            return outcome
        out_dir = out_root / department_folder(checked.result)
        outcome.out_dir = out_dir
        if staging is not None:
            staging.mkdir(parents=True, exist_ok=True)
            outcome.staged = _render_all(checked, staging, templates, pdf)
            outcome.status = STAGED
            return outcome
        with Staging(out_root) as own:
            outcome.files = _move_into_place(_render_all(checked, own.path, templates, pdf), out_dir)
        outcome.status = OK
        return outcome
    except Exception as exc:  # one broken workbook must not stop a batch, nor show a traceback
        from generator.deliver.pdf import PdfError
        from generator.messages import UserError

        outcome.status, outcome.out_dir, outcome.files, outcome.staged = FAILED, None, [], []
        if isinstance(exc, (UserError, PdfError)):
            outcome.message = str(exc)  # already a message for users
        elif isinstance(exc, OSError):
            outcome.message = f"无法写入输出：{describe_os_error(exc)}"
        else:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            outcome.message = f"生成失败（程序内部错误，请把此信息反馈给维护人员）：{detail}"
        return outcome


def commit(outcome: Outcome) -> Outcome:
    """Move a ``STAGED`` outcome's files into its folder (each ``os.replace`` atomic)."""
    if outcome.status != STAGED or outcome.out_dir is None:
        return outcome
    try:
        outcome.files = _move_into_place(outcome.staged, outcome.out_dir)
        outcome.status = OK
    except OSError as exc:
        outcome.status, outcome.out_dir, outcome.files = FAILED, None, []
        outcome.message = f"无法写入输出：{describe_os_error(exc)}"
    outcome.staged = []
    return outcome


def refuse_collisions(outcomes: list[Outcome]) -> None:
    """Workbooks of one batch that would write the same folder: every one of them becomes a 错误
    and writes nothing (the second would silently replace the first)."""
    by_folder: dict[Path, list[Outcome]] = {}
    for o in outcomes:
        if o.status == STAGED and o.out_dir is not None:
            by_folder.setdefault(o.out_dir, []).append(o)
    for folder, group in by_folder.items():
        if len(group) < 2:
            continue
        for o in group:
            others = "、".join(str(other.path) for other in group if other is not o)
            o.findings.append(F.make(
                "output-collision", "基本信息", "", "部门名称", folder.name,
                f"与 {others} 的输出文件夹相同（{folder.name}），为避免互相覆盖，均未生成",
                "不同部门请在“基本信息”中填写各自的单位编码或不同的部门名称；同一工作簿不要重复放入"))
            o.errors += 1
            o.status, o.out_dir, o.staged = INVALID, None, []
            o.message = f"输出文件夹 {folder.name} 与 {others} 相同，均未生成"


def _render_all(checked: Checked, folder: Path, templates: Path, pdf: bool) -> list[Path]:
    files = render(checked, folder, templates)
    if pdf:
        from generator.deliver.pdf import convert_to_pdf

        files += convert_to_pdf(files, folder)
    return files


def _move_into_place(files: list[Path], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    final = []
    for f in files:
        target = out_dir / f.name
        os.replace(f, target)  # atomic: readers see the old or the new file, never half
        final.append(target)
    return final


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
