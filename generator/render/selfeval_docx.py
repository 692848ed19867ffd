"""The self-evaluation reports (Word) and the entry point that writes every self-evaluation file.

Which documents a workbook produces depends on its 文件样式 (基本信息):

* 整体支出绩效自评 -- the 自评表 workbook (department form first), the 整体支出绩效自评报告 (seed 002's
  structure) and, when the workbook has projects, the 绩效自评工作报告 (seed 000's per-project
  paragraphs grouped by 所属领域);
* 项目支出绩效自评 -- the 项目支出绩效自评表 workbook (project forms only) and, when the templates
  folder has one, the 项目支出绩效自评报告.

Every sentence is in the templates (``templates/*.docx``, edited in Word/WPS); they are rendered
with the fields of :class:`~generator.compute.selfeval_report.SelfEvalReport`, the same model the
自评表 is laid out from. This module only chooses the templates and names the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from generator.compute.selfeval import Evaluation
from generator.compute.selfeval_report import SelfEvalReport, build_report
from generator.messages import say
from generator.model import SelfEvalWorkbook
from generator.render.docx_render import TemplateError, render_docx
from generator.render.selfeval_xlsx import render_selfeval_tables

__all__ = [
    "OVERALL_REPORT",
    "PROJECT_REPORT",
    "REPORTS",
    "WORK_REPORT",
    "render_selfeval",
    "report_context",
    "reports_for",
]

# Report kinds are the template names: "<年度>年度<template>.docx" is the output.
OVERALL_REPORT = "整体支出绩效自评报告"
WORK_REPORT = "绩效自评工作报告"
PROJECT_REPORT = "项目支出绩效自评报告"
REPORTS = (OVERALL_REPORT, WORK_REPORT, PROJECT_REPORT)
OUTPUT_NAME = "{year}年度{kind}.docx"


def report_context(report: SelfEvalReport) -> dict[str, Any]:
    """The fields of ``report`` as the template's top-level names (``{{ dept.total }}``)."""
    return {f.name: getattr(report, f.name) for f in fields(report)}


def reports_for(report: SelfEvalReport, templates_dir: Path) -> tuple[str, ...]:
    """The reports a workbook's 文件样式 produces (see the module docstring)."""
    if report.is_project:
        # "and its short report if the template has one": a folder without it writes the forms only.
        return (PROJECT_REPORT,) if (Path(templates_dir) / f"{PROJECT_REPORT}.docx").is_file() else ()
    return (OVERALL_REPORT, WORK_REPORT) if report.projects else (OVERALL_REPORT,)


def render_selfeval(
    wb: SelfEvalWorkbook,
    evaluation: Evaluation,
    out_dir: Path,
    templates_dir: Path,
    reports: Sequence[str] | None = None,
) -> list[Path]:
    """Write the 绩效自评表 workbook and the reports into ``out_dir``; return the files written.

    ``reports`` names the reports (items of :data:`REPORTS`); by default :func:`reports_for`.
    """
    out_dir = Path(out_dir)
    report = build_report(wb, evaluation)
    written = [render_selfeval_tables(report, out_dir, templates_dir)]
    context = report_context(report)
    for kind in reports_for(report, templates_dir) if reports is None else reports:
        if kind not in REPORTS:
            raise TemplateError(say("template.report", kind=kind, choices="、".join(REPORTS)))
        out = out_dir / OUTPUT_NAME.format(year=report.year, kind=kind)
        render_docx(Path(templates_dir) / f"{kind}.docx", context, out)
        written.append(out)
    return written
