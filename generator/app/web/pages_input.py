"""Steps 1 and 2: workbooks to fill (blank or pre-filled), and checking a filled one."""

from __future__ import annotations

import shutil
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from generator.app.pipeline import FAILED, Outcome
from generator.app.web.sessions import CurrentWorkbook, Session
from generator.app.web.state import WebState, session_of, web
from generator.app.web.uploads import Upload, UploadError, receive_upload
from generator.app.web.work import (
    CheckReport,
    Prefilled,
    WorkFailed,
    budget_from_last_year_upload,
    check_workbook,
    self_eval_from_upload,
    write_blank,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("部门预算", "绩效自评")
# Severity filter on the findings page: query value -> the severity word findings carry.
LEVELS = {"error": "错误", "warning": "警告", "info": "提示"}
# Pre-filled workbook slots on the templates page.
SELF_EVAL, BUDGET = "self-eval", "budget"


# ---- step 1: templates ---------------------------------------------------------------------------

async def templates_page(request: Request) -> Response:
    state, session = web(request), session_of(request)
    prefilled = {slot: (path.name, note) for slot, (path, note) in session.prefilled.items() if path.exists()}
    return state.page(request, "templates.html", "templates", prefilled=prefilled,
                      carry_forward=state.carry_forward)


async def blank_template(request: Request) -> Response:
    state, session = web(request), session_of(request)
    kind = request.query_params.get("kind", "")
    if kind not in KINDS:
        session.say("error", "请选择要下载的工作簿类型。")
        return RedirectResponse("/templates", status_code=303)
    quarterly = kind == "部门预算" and request.query_params.get("plan") == "quarter"
    name = f"{kind}-空白{'-季度计划' if quarterly else ''}.xlsx"
    folder = session.new_subfolder("blank")
    try:
        with session.working():
            path = await state.pool.run(write_blank, kind, quarterly, folder / name)
    except WorkFailed as exc:
        shutil.rmtree(folder, ignore_errors=True)
        session.say("error", str(exc))
        return RedirectResponse("/templates", status_code=303)
    # Made for this one download: removed once sent, so repeated clicks leave nothing behind.
    return FileResponse(path, media_type=XLSX, filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


async def prefill_self_eval(request: Request) -> Response:
    return await _prefill(request, SELF_EVAL)


async def prefill_budget(request: Request) -> Response:
    if not web(request).carry_forward:
        return RedirectResponse("/templates", status_code=303)
    return await _prefill(request, BUDGET)


async def _prefill(request: Request, slot: str) -> Response:
    state, session = web(request), session_of(request)
    folder = session.new_subfolder("prefill")
    try:
        upload = await _receive(request, state, folder / "upload")
    except UploadError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        session.say("error", str(exc))
        return RedirectResponse(f"/templates#{slot}", status_code=303)
    function = self_eval_from_upload if slot == SELF_EVAL else budget_from_last_year_upload
    try:
        with session.working():
            made: Prefilled = await state.pool.run(function, upload.path, folder / "scratch", folder)
    except WorkFailed as exc:
        made = Prefilled(message=str(exc))
    if made.path is None:
        shutil.rmtree(folder, ignore_errors=True)
        session.say("error", made.message)
        return RedirectResponse(f"/templates#{slot}", status_code=303)
    old = session.prefilled.get(slot)
    if old is not None:
        shutil.rmtree(old[0].parent, ignore_errors=True)
    what = "绩效自评" if slot == SELF_EVAL else "部门预算"
    session.prefilled[slot] = (made.path, f"已根据“{upload.name}”生成{made.year or ''}年{made.dept}{what}工作簿。")
    return RedirectResponse(f"/templates#{slot}", status_code=303)


async def prefilled_file(request: Request) -> Response:
    session = session_of(request)
    entry = session.prefilled.get(request.path_params["slot"])
    if entry is None or not entry[0].exists():
        return _gone(request)
    return FileResponse(entry[0], media_type=XLSX, filename=entry[0].name)


# ---- step 2: check ------------------------------------------------------------------------------

async def check_page(request: Request) -> Response:
    state, session = web(request), session_of(request)
    workbook = session.workbook
    level = request.query_params.get("level", "all")
    if level not in LEVELS:
        level = "all"
    findings = []
    if workbook is not None:
        findings = [f for f in workbook.outcome.findings
                    if level == "all" or f.severity.value == LEVELS[level]]
    return state.page(request, "check.html", "check", level=level, levels=LEVELS, findings=findings)


async def check_upload(request: Request) -> Response:
    state, session = web(request), session_of(request)
    if _building(session):
        session.say("error", "正在生成文件，请等生成完成后再上传新的工作簿。")
        return RedirectResponse("/build", status_code=303)
    # One upload at a time per session (two tabs): the later one replaces the earlier whole.
    async with session.lock:
        folder = session.new_subfolder("wb")
        try:
            upload = await _receive(request, state, folder / "upload")
        except UploadError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return state.page(request, "check.html", "check", status=exc.status, upload_error=str(exc),
                              level="all", levels=LEVELS, findings=[])
        try:
            with session.working():
                report: CheckReport = await state.pool.run(check_workbook, upload.path, folder / "outputs")
        except WorkFailed as exc:
            report = CheckReport(Outcome(upload.path, FAILED, message=str(exc)))
        if _building(session):  # a build started in another tab meanwhile: its files stay
            shutil.rmtree(folder, ignore_errors=True)
            session.say("error", "正在生成文件，刚才上传的工作簿未保留：请等生成完成后重新上传。")
            return RedirectResponse("/build", status_code=303)
        session.replace_workbook(CurrentWorkbook(upload.name, folder, upload.path, report.outcome,
                                                 report.contact_email))
    return RedirectResponse("/check", status_code=303)


async def annotated_copy(request: Request) -> Response:
    workbook = session_of(request).workbook
    if workbook is None or workbook.outcome.annotated is None or not workbook.outcome.annotated.exists():
        return _gone(request)
    path = workbook.outcome.annotated
    return FileResponse(path, media_type=XLSX, filename=path.name)


# ---- shared ---------------------------------------------------------------------------------------

async def _receive(request: Request, state: WebState, folder: Path) -> Upload:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return await receive_upload(request, folder, state.settings.max_upload_bytes)


def _building(session: Session) -> bool:
    return session.workbook is not None and session.workbook.job is not None and session.workbook.job.running


def _gone(request: Request) -> Response:
    return web(request).page(request, "message.html", status=404, title="文件已不存在",
                             message="这个文件已不存在（可能已重新上传或会话已结束），请重新操作。")
