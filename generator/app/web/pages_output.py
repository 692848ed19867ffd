"""Steps 3 and 4: generating the documents (in the background, with progress) and mailing them."""

from __future__ import annotations

import asyncio
import email
import email.policy
import shutil
import time
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from generator.app.pipeline import OK
from generator.app.web.sessions import BuildJob, CurrentWorkbook, SendView, Session
from generator.app.web.state import WebState, session_of, web
from generator.app.web.work import WorkFailed, build_workbook, internal_error
from generator.deliver import MailConfig, MailConfigError, SendStatus, bundle, load_config, send_outputs
from generator.deliver.config import EXAMPLE_CONFIG
from generator.deliver.mailer import SentLog

MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


# ---- step 3: build --------------------------------------------------------------------------------

async def build_page(request: Request) -> Response:
    state, session = web(request), session_of(request)
    job = session.workbook.job if session.workbook is not None else None
    files = _files(session.workbook)
    return state.page(request, "build.html", "build", job=job, files=files,
                      elapsed=_elapsed(job), soffice=state.soffice)


async def build_start(request: Request) -> Response:
    state, session = web(request), session_of(request)
    workbook = session.workbook
    if workbook is None or not workbook.can_build:
        session.say("error", "请先上传一个没有错误的工作簿。")
        return RedirectResponse("/check", status_code=303)
    if workbook.job is not None and workbook.job.running:
        return RedirectResponse("/build", status_code=303)
    form = await request.form(max_files=0, max_fields=5)
    pdf = form.get("pdf") == "1" and state.soffice
    workbook.job = BuildJob(pdf=bool(pdf), started=time.monotonic())
    workbook.send = None
    session.busy += 1  # taken here, not in the task: the session must not expire before it starts
    state.spawn(_run_build(state, session, workbook, workbook.job))
    return RedirectResponse("/build", status_code=303)


async def _run_build(state: WebState, session: Session, workbook: CurrentWorkbook, job: BuildJob) -> None:
    try:
        job.outcome = await state.pool.run(build_workbook, workbook.path, workbook.out_root, job.pdf)
    except WorkFailed as exc:
        job.error = str(exc)
    except asyncio.CancelledError:
        job.error = "生成被中断（服务正在停止）：请重新生成。"
        raise
    except Exception as exc:  # the page must say something, whatever went wrong
        job.error = internal_error(exc)
    finally:
        job.finished = time.monotonic()
        session.busy -= 1
        if not state.store.is_live(session):
            # Ended while the worker was writing: the worker re-created folders the end removed;
            # the workbook's folder sits directly in the session's folder.
            shutil.rmtree(workbook.folder.parent, ignore_errors=True)


async def build_status(request: Request) -> Response:
    session = session_of(request)
    job = session.workbook.job if session.workbook is not None else None
    if job is None:
        return JSONResponse({"state": "none"})
    if job.running:
        return JSONResponse({"state": "running", "elapsed": _elapsed(job)})
    ok = job.outcome is not None and job.outcome.status == OK
    return JSONResponse({"state": "done" if ok else "failed", "elapsed": _elapsed(job)})


async def output_file(request: Request) -> Response:
    session = session_of(request)
    files = _files(session.workbook)
    index: int = request.path_params["index"]
    if not 0 <= index < len(files) or not files[index].exists():
        return _gone(request)
    path = files[index]
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix.lower()), filename=path.name)


async def output_zip(request: Request) -> Response:
    session = session_of(request)
    out_dir = _out_dir(session.workbook)
    if out_dir is None:
        return _gone(request)
    archive: Path = await run_in_threadpool(bundle, out_dir)
    return FileResponse(archive, media_type=MEDIA_TYPES[".zip"], filename=archive.name)


# ---- step 4: send -----------------------------------------------------------------------------------

async def send_page(request: Request) -> Response:
    state, session = web(request), session_of(request)
    workbook = session.workbook
    config, config_error = _config(state)
    out_dir = _out_dir(workbook)
    history = _history(state, out_dir) if out_dir is not None else []
    return state.page(request, "send.html", "send", out_dir=out_dir, config=config,
                      config_error=config_error, config_path=state.settings.mail_config,
                      example_config=EXAMPLE_CONFIG, history=history,
                      sent_log=state.settings.sent_log,
                      password_set=config is not None and config.password() is not None,
                      view=workbook.send if workbook is not None else None)


async def send_submit(request: Request) -> Response:
    state, session = web(request), session_of(request)
    workbook = session.workbook
    out_dir = _out_dir(workbook)
    if workbook is None or out_dir is None:
        session.say("error", "请先生成文件。")
        return RedirectResponse("/build", status_code=303)
    config, config_error = _config(state)
    if config is None:
        session.say("error", config_error)
        return RedirectResponse("/send", status_code=303)
    form = await request.form(max_files=0, max_fields=5)
    dry_run = form.get("action") != "send"
    typed = str(form.get("recipients", "")).strip()
    resend = form.get("resend") == "1"
    contact = workbook.contact_email
    with session.working():
        # send_outputs never raises for a department's problem: refusals, timeouts and wrong
        # passwords come back as the result's Chinese message, exactly as `send` prints them.
        report = await run_in_threadpool(
            send_outputs, [out_dir], [typed] if typed else None, config, dry_run, resend,
            state.settings.sent_log, lambda _folder: contact or None)
    result = report.results[0]
    view = SendView(result, dry_run, typed)
    if result.status is SendStatus.DRAFTED and result.draft is not None:
        view.subject, view.sender, view.body = _draft_parts(result.draft)
    workbook.send = view
    return RedirectResponse("/send#result", status_code=303)


async def send_draft(request: Request) -> Response:
    workbook = session_of(request).workbook
    draft = workbook.send.result.draft if workbook is not None and workbook.send is not None else None
    if draft is None or not draft.exists():
        return _gone(request)
    return FileResponse(draft, media_type="message/rfc822", filename=draft.name)


# ---- shared ------------------------------------------------------------------------------------------

def _files(workbook: CurrentWorkbook | None) -> list[Path]:
    job = workbook.job if workbook is not None else None
    if job is None or job.running or job.outcome is None or job.outcome.status != OK:
        return []
    return list(job.outcome.files)


def _out_dir(workbook: CurrentWorkbook | None) -> Path | None:
    if not _files(workbook):
        return None
    assert workbook is not None and workbook.job is not None and workbook.job.outcome is not None
    out_dir = workbook.job.outcome.out_dir
    return out_dir if out_dir is not None and out_dir.is_dir() else None


def _elapsed(job: BuildJob | None) -> int:
    if job is None:
        return 0
    return int((job.finished or time.monotonic()) - job.started)


def _config(state: WebState) -> tuple[MailConfig | None, str]:
    try:
        return load_config(state.settings.mail_config), ""
    except MailConfigError as exc:
        return None, str(exc)


def _history(state: WebState, out_dir: Path) -> list[dict[str, Any]]:
    """This department's lines of the sent-log, newest first."""
    entries = [e for e in SentLog(state.settings.sent_log).entries if e.get("dept") == out_dir.name]
    return [{"time": str(e.get("time", ""))[:19].replace("T", " "),
             "recipients": "，".join(str(r) for r in e.get("recipients", [])),
             "attachments": "、".join(str(a.get("name", "")) for a in e.get("attachments", [])
                                     if isinstance(a, dict))}
            for e in reversed(entries)]


def _draft_parts(draft: Path) -> tuple[str, str, str]:
    """Subject, sender and body text of a dry-run draft, as a mail program would show them."""
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
    text = body.get_content() if body is not None else ""
    return str(message.get("Subject", "")), str(message.get("From", "")), str(text)


def _gone(request: Request) -> Response:
    return web(request).page(request, "message.html", status=404, title="文件已不存在",
                             message="这些文件已不存在（可能已重新上传或会话已结束），请重新生成。")
