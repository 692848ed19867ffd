"""The ``budget-report`` command: template, check, build, send.

Exit codes: 0 no 错误; 1 at least one workbook has 错误 (or failed to render/send);
2 a file cannot be read as a workbook (or the command line is wrong).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from generator.model.indicator_tree import PRESETS
from generator.model.schema import WorkbookKind
from generator.resources import templates_dir

if TYPE_CHECKING:
    from generator.app.pipeline import Outcome

# The reader, renderers and their libraries (openpyxl, XlsxWriter, docxtpl) are imported by the
# command that needs them: `--help` loads none of them, `check` no renderer.
DEFAULT_OUT = Path("outputs")
_CATALOG_HELP = ("自己的功能分类科目表（.csv 或 .xlsx，格式见 docs/catalog.md）；不指定时按基本信息的预算年度和地区选择，"
                 "工作簿所在文件夹中的“科目表.csv”或“科目表.xlsx”自动使用")


DEFAULT_TEMPLATES = templates_dir()


def _raised_by(module: str, name: str) -> tuple[type[BaseException], ...]:
    """The exception class ``module.name`` once that module is loaded (only then can it have
    been raised), else nothing to catch: an ``except`` clause needs no import for it."""
    loaded = sys.modules.get(module)
    return (getattr(loaded, name),) if loaded is not None else ()


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        # argparse passes prefix="" when it derives a sub-command's name from this usage line.
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


# argparse's own messages, for a user who reads Chinese.
_ARGPARSE_MESSAGES = (
    ("the following arguments are required", "缺少必需的参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("choose from", "可选"),
    ("expected one argument", "需要一个参数值"),
    ("invalid int value", "不是整数"),
    ("invalid float value", "不是数字"),
    ("expected at least one argument", "至少需要一个参数值"),
    ("ambiguous option", "有歧义的选项"),
    ("could match", "可能是"),
    ("not allowed with argument", "不能与此参数同时使用"),
    ("ignored explicit argument", "此选项不接受参数值"),
    ("argument ", "参数 "),
)


class UsageError(Exception):
    """The command line is wrong; ``str(exc)`` is the Chinese message (exit code 2)."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_MESSAGES:
            message = message.replace(english, chinese)
        raise UsageError(f"命令行参数有误：{message}（运行 {self.prog} -h 查看帮助）", self.format_usage())


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="budget-report",
                description="部门预算信息公开说明与整体支出绩效自评报告生成工具。\n"
                            "流程：template 生成模板 → 填写 → check 校验 → build 生成文件 → send 发送。")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)

    t = sub.add_parser("template", help="生成空白填报工作簿", description="生成空白填报工作簿（含填表说明、下拉列表和批注）。")
    t.add_argument("kind", choices=[k.value for k in WorkbookKind], help="工作簿类型：部门预算 或 绩效自评")
    t.add_argument("-o", "--output", required=True, type=Path, help="输出文件（.xlsx）")
    t.add_argument("--from", dest="from_budget", type=Path,
                   help="（绩效自评）从当年的部门预算工作簿带入项目、指标和指标值；"
                        "（部门预算）从上年的部门预算工作簿带入上年数、职责、机构、名词解释和延续项目")
    t.add_argument("--quarterly", action="store_true", help="（部门预算）资金支出计划按季度填写")

    c = sub.add_parser("check", help="校验工作簿", description="校验工作簿，列出全部问题，并生成标注了问题单元格的副本。")
    c.add_argument("files", nargs="+", type=Path, metavar="工作簿", help="一个或多个 .xlsx 工作簿")
    c.add_argument("--json", action="store_true", help="以 JSON 输出校验结果")
    c.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="标注副本的输出目录（默认 outputs/）")
    c.add_argument("--no-annotate", action="store_true", help="不生成标注副本")
    c.add_argument("--tree", choices=list(PRESETS), default="默认", help="指标体系（默认：产出/效益/满意度）")
    c.add_argument("--catalog", type=Path, help=_CATALOG_HELP)

    b = sub.add_parser("build", help="校验并生成文件", description="校验通过后生成 Word 和 Excel 文件；有错误时不生成。")
    b.add_argument("files", nargs="+", type=Path, metavar="工作簿", help=".xlsx 工作簿或包含工作簿的文件夹")
    b.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="输出目录（默认 outputs/）")
    b.add_argument("--templates", type=Path, default=DEFAULT_TEMPLATES, help="模板目录（可用自己修改过的模板）")
    b.add_argument("--tree", choices=list(PRESETS), default="默认", help="指标体系")
    b.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF")
    b.add_argument("-j", "--jobs", type=int, default=0, help="并行进程数（默认：CPU 核数）")
    b.add_argument("--catalog", type=Path, help=_CATALOG_HELP)
    b.add_argument("--json", action="store_true", help="以 JSON 输出结果（含生成的文件）")

    s = sub.add_parser("send", help="打包并通过邮件发送生成的文件", description="把各部门的输出文件夹打包并发送邮件。")
    s.add_argument("dirs", nargs="+", type=Path, metavar="文件夹",
                   help="部门输出文件夹（outputs/<年度>-<部门>-<单位编码>）或 outputs/")
    s.add_argument("--to", action="append", help="收件人（可多次指定；默认读取工作簿中的联系人邮箱）")
    s.add_argument("--config", type=Path, default=Path("budget-report-mail.ini"),
                   help="邮件配置文件（默认 budget-report-mail.ini，格式见 docs/send.md）")
    s.add_argument("--inputs", type=Path, action="append",
                   help="查找联系人邮箱的工作簿或文件夹（默认 inputs/）")
    s.add_argument("--dry-run", action="store_true", help="只生成 .eml 草稿，不发送")
    s.add_argument("--resend", action="store_true", help="忽略发送记录，重新发送")

    k = sub.add_parser("template-check", help="检查改过的 Word 模板",
                       description="用示例工作簿生成一次，按段落列出模板中写错的字段、被拆开的占位符和语法错误。")
    k.add_argument("template", type=Path, help="要检查的 Word 模板（.docx）")
    k.add_argument("--example", type=Path, help="用这个工作簿的数据检查（默认用内置的示例工作簿）")
    k.add_argument("-o", "--output", type=Path, help="把用示例数据生成的样张写到这个 .docx 文件")
    k.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")

    from generator.app.web.command import add_serve_command

    add_serve_command(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is a Chinese message and an exit code, as JSON on stdout
    when ``--json`` was given (even when the command line itself is wrong)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    try:
        args = _parser().parse_args(argv)
        if args.command in ("check", "build"):
            _check_output_dir(args.output)
        if getattr(args, "catalog", None) is not None:
            _check_catalog(args.catalog)
        if args.command == "template":
            return _template(args)
        if args.command == "check":
            return _check(args)
        if args.command == "build":
            from generator.app.batch import run_build

            return run_build(args.files, args.output, args.templates, args.tree, args.pdf, args.jobs,
                             args.catalog, as_json=args.json)
        if args.command == "send":
            from generator.app.batch import run_send

            return run_send(args.dirs, args.to, args.config, args.dry_run, args.resend,
                            args.inputs or [Path("inputs")])
        if args.command == "template-check":
            return _template_check(args)
        if args.command == "serve":
            from generator.app.web.command import run_serve

            return run_serve(args)
        if as_json:
            return _fail("请指定命令：template、check、build、send、template-check 或 serve", 2, as_json)
        _parser().print_help()
        return 2
    except UsageError as exc:
        if exc.usage and not as_json:
            print(exc.usage, end="", file=sys.stderr)
        return _fail(str(exc), 2, as_json)
    except _raised_by("generator.read.workbook_io", "UnreadableWorkbook") as exc:
        return _fail(f"无法读取：{exc}", 2, as_json)
    except KeyboardInterrupt:
        from generator.app.console import interrupted

        return interrupted(as_json)
    except (OSError,) + _raised_by("xlsxwriter.exceptions", "FileCreateError") as exc:
        from generator.app.pipeline import describe_os_error

        return _fail(f"文件操作失败：{describe_os_error(exc)}", 2, as_json)
    except Exception as exc:  # never a traceback: say what broke, in Chinese, and how to report it
        return _fail(f"程序内部错误（请把此信息反馈给维护人员）：{type(exc).__name__}: {exc}", 1, as_json)


def _fail(message: str, code: int, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False))
    else:
        print(message, file=sys.stderr)
    return code


def _check_output_dir(out: Path) -> None:
    """``-o`` must be a folder (or not exist yet): said before any work, not as an OS error after."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"输出目录 {out} 是一个文件，不是文件夹：请用 -o 指定一个文件夹")


def _template_check(args: argparse.Namespace) -> int:
    from generator.app.template_check import check_template

    report = check_template(args.template, args.example, args.output)
    if args.json:
        print(json.dumps({"template": str(report.template), "kind": report.kind, "ok": report.ok,
                          "sample": str(report.sample) if report.sample else None,
                          "problems": [{"paragraph": p.paragraph, "text": p.text, "message": p.message}
                                       for p in report.problems]}, ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    for problem in report.problems:
        print(problem)
    if report.ok:
        print(f"模板 {report.template.name} 没有发现问题（按{report.kind}示例数据检查）。")
    else:
        print(f"模板 {report.template.name} 有 {len(report.problems)} 处问题，请在 Word 中修改后再检查。")
    if report.sample:
        print(f"样张：{report.sample}")
    return 0 if report.ok else 1


def _template(args: argparse.Namespace) -> int:
    from generator.app.pipeline import kind_from_name
    from generator.render.workbook_template import WorkbookData, write_workbook

    kind = kind_from_name(args.kind)
    data = WorkbookData(plan="quarter" if args.quarterly else "month")
    if args.from_budget:
        data = _carry_over(args.from_budget) if kind is WorkbookKind.SELF_EVAL else \
            _from_last_year(args.from_budget, args.quarterly)
        if data is None:
            return 1
    out: Path = args.output
    if out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.tmp")
    try:  # a complete file or none: never a half-written workbook under the user's name
        write_workbook(kind, staging, data)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
    print(f"已生成{kind.value}填报工作簿：{out}")
    return 0


def _carry_over(path: Path) -> Any:
    from generator.compute.carry_over import self_eval_from_budget
    from generator.model import BudgetWorkbook
    from generator.read.reader import read_workbook
    from generator.validate import validate

    result = read_workbook(path)
    if not isinstance(result.model, BudgetWorkbook):
        print(f"{path} 不是部门预算工作簿", file=sys.stderr)
        return None
    errors = [f for f in validate(result) if f.is_error]
    if errors:
        print(f"{path} 有 {len(errors)} 个错误，请先运行 budget-report check 修正后再带入。", file=sys.stderr)
        return None
    return self_eval_from_budget(result.model)


def _from_last_year(path: Path, quarterly: bool) -> Any:
    from generator.compute.carry_forward import budget_from_last_year
    from generator.model import BudgetWorkbook
    from generator.read.reader import read_workbook

    result = read_workbook(path)
    if not isinstance(result.model, BudgetWorkbook):
        print(f"{path} 不是部门预算工作簿：--from 需要上年的部门预算工作簿", file=sys.stderr)
        return None
    errors = sum(f.is_error for f in result.findings)
    if errors:  # carry what can be read; the user checks last year's file if they care
        print(f"注意：{path} 有 {errors} 个错误（运行 budget-report check 查看），无法识别的内容未带入。")
    data = budget_from_last_year(result.model)
    if quarterly:
        data.plan = "quarter"
    print(f"已从 {path.name} 带入上年预算数、部门职责、机构设置、名词解释、整体绩效目标和 "
          f"{len(result.model.projects)} 个延续项目（待核对，见“填表说明”）。")
    return data


def _check_catalog(path: Path) -> None:
    """Refuse a broken --catalog before any work (exit 2), listing every problem."""
    from generator.model.catalog import CatalogError
    from generator.read.catalog_file import load_catalog_file

    try:
        load_catalog_file(path)
    except CatalogError as exc:
        raise UsageError(f"无法使用科目表：{exc}") from exc


def _check(args: argparse.Namespace) -> int:
    from generator.app.batch import annotated_names
    from generator.app.pipeline import check_one
    from generator.app.report import print_outcome

    outcomes: list[Outcome] = []
    names = annotated_names(args.files)  # a/预算.xlsx and b/预算.xlsx: two annotated copies
    for path in args.files:
        outcome = check_one(path, args.output, args.tree, annotate=not args.no_annotate,
                            catalog_file=args.catalog, annotated_name=names[path]).outcome
        outcomes.append(outcome)
        if not args.json:
            print_outcome(outcome)
    if args.json:
        print(json.dumps([o.as_json() for o in outcomes], ensure_ascii=False, indent=2))
    return max((o.exit_code for o in outcomes), default=0)
