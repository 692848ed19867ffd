"""The web application through Starlette's TestClient: every step, limits, isolation, hostile uploads,
the LAN access code, and what a page never shows (a traceback, another session's files).

Each "browser" here is its own cookie jar on one client (one application, one event loop), so
sessions interleave as two people's would.
"""

from __future__ import annotations

import html
import re
import sys
import time
import types
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="网页界面的依赖未安装（pip install -e '.[web]'）")

from starlette.applications import Starlette  # noqa: E402 - after the importorskip guard
from starlette.testclient import TestClient  # noqa: E402

from generator.app.pipeline import check_one  # noqa: E402
from generator.app.web import work  # noqa: E402
from generator.app.web.app import create_app  # noqa: E402
from generator.app.web.sessions import COOKIE_NAME, SessionStore  # noqa: E402
from generator.app.web.settings import WebSettings  # noqa: E402
from generator.app.web.state import WebState  # noqa: E402
from generator.app.web.uploads import safe_file_name  # noqa: E402
from tests.factories import write_budget, xml_bomb  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEED_001 = REPO / "inputs" / "2021-高新区科技局-部门预算.xlsx"
SEED_002 = REPO / "inputs" / "2024-科学技术局-绩效自评.xlsx"


# ---- helpers shared with the browser tests ---------------------------------------------------------

class TableRows(HTMLParser):
    """The text of every cell of the findings table, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "findings") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def finding_rows(page: str) -> list[list[str]]:
    parser = TableRows()
    parser.feed(page)
    return [row for row in parser.rows if len(row) == 5]


def expected_rows(path: Path, tmp: Path) -> list[list[str]]:
    """The findings ``budget-report check`` reports for ``path``, as the page's table shows them."""
    outcome = check_one(path, tmp, annotate=False).outcome
    return [[f.severity.value, f.sheet, (f.cell or "（整表）") + f.header,
             f.message + (f"填写的是：{f.value}" if f.value else ""), f.fix] for f in outcome.findings]


def alerts(page: str) -> list[str]:
    """The text of every error notice on a page."""
    found = re.findall(r'<(p|div)\b[^>]*\brole="alert"[^>]*>(.*?)</\1>', page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for _, text in found if text.strip()]


def cli_message(path: Path, tmp: Path) -> str:
    outcome = check_one(path, tmp, annotate=False).outcome
    assert outcome.message, "expected an unreadable workbook"
    return outcome.message


class Browser:
    """One person's browser: its own cookie jar on the shared client."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.jar = type(client.cookies)()

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        self.client.cookies = self.jar
        try:
            return self.client.request(method, url, **kwargs)
        finally:
            self.jar = self.client.cookies

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)

    def upload(self, url: str, path: Path, name: str | None = None) -> Any:
        return self.post(url, files={"workbook": (name or path.name, path.read_bytes(),
                                                  "application/octet-stream")})

    @property
    def session_id(self) -> str | None:
        return self.jar.get(COOKIE_NAME)

    def build(self) -> Any:
        self.post("/build", data={})
        for _ in range(600):  # an operation bound (a worker check every 0.1 s), not a speed test
            state = self.get("/build/status").json()["state"]
            if state != "running":
                break
            time.sleep(0.1)
        return self.get("/build")


def web_state(app: Starlette) -> WebState:
    state: WebState = app.state.web
    return state


def session_folders(app: Starlette) -> list[Path]:
    return sorted(p for p in web_state(app).store.root.iterdir() if p.is_dir())


# ---- fixtures -------------------------------------------------------------------------------------------

def make_settings(root: Path, **changes: Any) -> WebSettings:
    values: dict[str, Any] = dict(allowed_hosts=("testserver",), mail_config=root / "mail.ini",
                                  sent_log=root / "outputs" / "sent-log.jsonl", work_root=root / "work")
    values.update(changes)
    return WebSettings(**values)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One application for the module, started and stopped once (worker pool, sweeper, cleanup).

    Every browser shares this client: entered once, it keeps one event loop, on which the
    background builds run.
    """
    application = create_app(make_settings(tmp_path_factory.mktemp("web")))
    with TestClient(application) as client:
        yield client


@pytest.fixture
def app(served: TestClient) -> Starlette:
    application: Starlette = served.app  # type: ignore[assignment]
    return application


@pytest.fixture
def client(served: TestClient) -> TestClient:
    served.cookies.clear()
    return served


@pytest.fixture
def browser(served: TestClient) -> Browser:
    return Browser(served)


# ---- the steps ------------------------------------------------------------------------------------------

def test_every_page_is_chinese_with_the_four_steps(browser: Browser) -> None:
    for path, title in (("/", "四步完成"), ("/templates", "下载模板"), ("/check", "上传校验"),
                        ("/build", "生成文件"), ("/send", "发送邮件")):
        page = browser.get(path)
        assert page.status_code == 200
        assert '<html lang="zh-CN">' in page.text and title in page.text
        for step in ("下载模板", "上传校验", "生成文件", "发送邮件"):
            assert step in page.text
        assert page.headers["cache-control"] == "no-store"
        assert "script-src 'self'" in page.headers["content-security-policy"]


def test_seed_001_checked_built_and_downloaded_like_the_cli(browser: Browser, tmp_path: Path) -> None:
    before = SEED_001.read_bytes()
    page = browser.upload("/check", SEED_001)
    assert page.status_code == 200 and page.url.path == "/check"
    assert finding_rows(page.text) == expected_rows(SEED_001, tmp_path)
    assert "可以生成文件" in page.text

    annotated = browser.get("/check/annotated")
    assert annotated.status_code == 200 and annotated.content[:2] == b"PK"
    assert _download_name(annotated) == f"{SEED_001.stem}.校验结果.xlsx"

    built = browser.build()
    assert "已生成" in built.text
    from generator.app.cli import main

    assert main(["build", str(SEED_001), "-o", str(tmp_path / "cli")]) == 0
    cli_files = sorted(p.name for p in (tmp_path / "cli").glob("2021-*/*"))
    web_files = [browser.get(f"/build/file/{i}") for i in range(len(cli_files))]
    assert all(r.status_code == 200 for r in web_files)
    assert browser.get(f"/build/file/{len(cli_files)}").status_code == 404
    names = sorted(_download_name(r) for r in web_files)
    assert names == cli_files
    for response in web_files:
        cli_file = next((tmp_path / "cli").glob(f"2021-*/{_download_name(response)}"))
        assert document_text(response.content) == document_text(cli_file.read_bytes())

    bundle = browser.get("/build/zip")
    assert bundle.status_code == 200
    with zipfile.ZipFile(__import__("io").BytesIO(bundle.content)) as archive:
        assert sorted(Path(n).name for n in archive.namelist()) == cli_files
    assert SEED_001.read_bytes() == before


def _download_name(response: Any) -> str:
    from urllib.parse import unquote

    disposition = response.headers["content-disposition"]
    return unquote(disposition.split("filename*=utf-8''", 1)[1])


def document_text(data: bytes) -> str:
    """Every text run of a .docx (body, headers, footers) or every string of an .xlsx, in order."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = sorted(n for n in archive.namelist() if n.endswith(".xml") and not n.startswith("docProps/"))
        texts = []
        for name in parts:
            xml = archive.read(name).decode("utf-8")
            texts.extend(re.findall(r"<(?:w:t|t)(?: [^>]*)?>([^<]*)</(?:w:t|t)>", xml))
    return "\n".join(texts)


def test_the_uploaded_file_is_never_modified(app: Starlette, browser: Browser) -> None:
    browser.upload("/check", SEED_001)
    browser.build()
    workbook = web_state(app).store.get(browser.session_id).workbook  # type: ignore[union-attr]
    assert workbook is not None
    assert workbook.path.read_bytes() == SEED_001.read_bytes()
    assert workbook.path.name == SEED_001.name  # messages name the file as the user named it


def test_findings_are_filtered_by_severity(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "有错误.xlsx"
    write_budget(path)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["项目"]
    header = {c.value: c.column_letter for c in ws[1]}
    ws[f"{header['财政资金']}2"] = "六十"  # 错误
    ws[f"{header['12月底']}2"] = 0.8  # 警告
    wb.save(path)
    page = browser.upload("/check", path)
    every = finding_rows(page.text)
    assert {r[0] for r in every} >= {"错误", "警告"}
    assert "有错误，不能生成文件" in page.text and "下一步：生成文件" not in page.text
    for level, word in (("error", "错误"), ("warning", "警告"), ("info", "提示")):
        rows = finding_rows(browser.get(f"/check?level={level}").text)
        assert rows == [r for r in every if r[0] == word]
    refused = browser.get("/build")
    assert "不能生成文件" in refused.text and "开始生成" not in refused.text
    assert browser.post("/build", data={}).url.path == "/check"


def test_blank_and_pre_filled_templates(app: Starlette, browser: Browser, tmp_path: Path) -> None:
    import openpyxl

    for query, sheet in (("kind=部门预算", "项目"), ("kind=部门预算&plan=quarter", "项目"), ("kind=绩效自评", "绩效指标")):
        response = browser.get(f"/templates/blank?{query}")
        assert response.status_code == 200
        target = tmp_path / "blank.xlsx"
        target.write_bytes(response.content)
        wb = openpyxl.load_workbook(target)
        assert sheet in wb.sheetnames and wb.sheetnames[0] == "填表说明"
        if "quarter" in query:
            assert "第一季度" in [c.value for c in wb["项目"][1]]
    assert browser.get("/templates/blank?kind=别的").url.path == "/templates"
    folder = web_state(app).store.get(browser.session_id).folder  # type: ignore[union-attr]
    assert not any(folder.glob("blank-*"))  # each blank workbook is deleted once downloaded

    page = browser.upload("/templates/self-eval", SEED_001)
    assert "已根据“2021-高新区科技局-部门预算.xlsx”生成" in page.text
    made = browser.get("/templates/file/self-eval")
    assert made.status_code == 200
    target = tmp_path / "self.xlsx"
    target.write_bytes(made.content)
    result = check_one(target, tmp_path / "o", annotate=False)
    assert result.outcome.kind == "绩效自评"
    from generator.model import SelfEvalWorkbook

    assert isinstance(result.result.model, SelfEvalWorkbook)  # type: ignore[union-attr]
    assert len(result.result.model.projects) == 35  # type: ignore[union-attr]

    # A self-evaluation is not a budget: the same sentence as the CLI's --from.
    page = browser.upload("/templates/self-eval", SEED_002)
    assert f"{SEED_002.name} 不是部门预算工作簿" in alerts(page.text)


def test_the_budget_from_last_year_step_appears_only_when_the_application_has_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = create_app(make_settings(tmp_path / "a"))
    has_it = work.carry_forward() is not None
    assert ("从上年部门预算带入" in TestClient(absent).get("/templates").text) is has_it

    calls: list[Any] = []

    def budget_from_last_year(model: Any) -> Any:
        from generator.render.workbook_template import WorkbookData

        calls.append(model)
        return WorkbookData(forms={"基本信息": {"dept_name": model.info.dept_name, "year": model.info.year + 1}})

    fake = types.ModuleType(work.CARRY_FORWARD_MODULE)
    fake.budget_from_last_year = budget_from_last_year  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, work.CARRY_FORWARD_MODULE, fake)
    present = create_app(make_settings(tmp_path / "b"))
    assert "从上年部门预算带入" in TestClient(present).get("/templates").text
    # One call: last year's workbook in, this year's workbook out (run here, not in a worker, so
    # the stand-in module is the one used).
    made = work.budget_from_last_year_upload(SEED_001, tmp_path / "scratch", tmp_path / "out")
    assert made.path is not None and made.year == 2022 and len(calls) == 1
    assert made.path.name == "2022-高新区科技局-部门预算.xlsx"


# ---- limits and hostile uploads --------------------------------------------------------------------------

def test_an_upload_over_the_limit_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, max_upload_bytes=1024 * 1024))
    with TestClient(app) as client:
        page = client.post("/check", files={"workbook": ("大.xlsx", b"PK" + b"\0" * (1024 * 1024 + 10))})
        assert page.status_code == 413
        assert "上传的文件过大（上限 1 MB）：请删除无关内容后再试" in alerts(page.text)
        assert not any(session_folders(app)[0].rglob("*.xlsx"))
        # Declared larger than any allowance: refused before the body is read.
        big = client.post("/check", content=b"x", headers={
            "content-type": "multipart/form-data; boundary=b", "content-length": str(200 * 1024 * 1024)})
        assert big.status_code == 413


def test_a_body_over_the_limit_is_refused_even_when_the_file_itself_is_small(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamed without a Content-Length: the limit is counted as the body arrives."""
    from generator.app.web import uploads

    monkeypatch.setattr(uploads, "DRAIN_ALLOWANCE", 0)
    app = create_app(make_settings(tmp_path, max_upload_bytes=1024 * 1024))

    def body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="workbook"; filename="small.xlsx"\r\n\r\nPK\r\n'
        yield b'--b\r\nContent-Disposition: form-data; name="padding"; filename="x.bin"\r\n\r\n'
        for _ in range(3):
            yield b"\0" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    with TestClient(app) as client:
        page = client.post("/check", content=body(), headers={"content-type": "multipart/form-data; boundary=b"})
        assert page.status_code == 413 and "上传的文件过大" in " ".join(alerts(page.text))
        assert not any(web_state(app).store.root.rglob("small.xlsx"))


def test_malformed_forms_get_a_chinese_answer(browser: Browser) -> None:
    cases: list[tuple[dict[str, Any], str | None]] = [
        ({"files": {"workbook": ("", b"", "application/octet-stream")}}, "请先选择要上传的工作簿"),
        ({"data": {"x": "1"}}, "请通过页面上的表单选择文件上传"),
        ({"files": {"other": ("a.xlsx", b"PK", "application/octet-stream")}}, "请先选择要上传的工作簿"),
        ({"content": b"--b\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"a.xlsx\"\r\n\r\nPK",
          "headers": {"content-type": "multipart/form-data; boundary=b"}}, None),
    ]
    for kwargs, message in cases:
        page = browser.post("/check", **kwargs)
        assert page.status_code in (200, 400), page.text
        assert "Traceback" not in page.text
        if message:
            assert any(message in a for a in alerts(page.text)), alerts(page.text)


def broken_corpus(tmp_path: Path) -> list[Path]:
    """Every file the bad-input corpus says cannot be read, as a user would upload it."""
    from tests.test_bad_inputs import BROKEN_FILES

    files = []
    for name, make in BROKEN_FILES.items():
        path = tmp_path / name / "部门预算.xlsx"
        path.parent.mkdir(parents=True)
        make(path)
        files.append(path)
    xls = tmp_path / "xls" / "旧版.xls"
    xls.parent.mkdir(parents=True)
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    text = tmp_path / "txt" / "说明.txt"
    text.parent.mkdir(parents=True)
    text.write_text("这不是工作簿", encoding="utf-8")
    return [*files, xls, text, xml_bomb(tmp_path / "bomb")]


def test_every_unreadable_upload_gets_the_cli_message_never_a_500(browser: Browser, tmp_path: Path) -> None:
    for path in broken_corpus(tmp_path / "corpus"):
        before = path.read_bytes()
        page = browser.upload("/check", path)
        assert page.status_code == 200, (path, page.text)
        assert "Traceback" not in page.text and "Internal Server Error" not in page.text
        assert cli_message(path, tmp_path / "cli") in alerts(page.text), path
        assert "开始生成" not in browser.get("/build").text
        assert path.read_bytes() == before


# One defect of each shape a finding can take on the page: a form cell, a formula, a whole sheet
# missing or extra, hidden rows, invisible characters, a sheet-level total, an indicator row, and
# a self-evaluation. (Each rule is tested in test_bad_inputs; here, that every shape reaches the
# table intact. The whole corpus through the page takes over a minute.)
PAGE_SHAPES = ("dept-name-blank", "formula-no-cache", "missing-sheet", "extra-sheet", "hidden-row",
               "control-chars", "functions-vs-spending", "duplicate-indicator", "actual-blank")


def test_each_shape_of_defect_in_the_corpus_is_shown_as_the_cli_reports_it(browser: Browser, tmp_path: Path) -> None:
    from tests.test_bad_inputs import CASES, _make

    cases = [c for c in CASES if c.name in PAGE_SHAPES]
    assert len(cases) == len(PAGE_SHAPES)
    for case in cases:
        folder = tmp_path / case.name
        folder.mkdir()
        path, _ = _make(case, folder)
        page = browser.upload("/check", path)
        assert page.status_code == 200, case.name
        assert finding_rows(page.text) == expected_rows(path, folder / "cli"), case.name


def test_hostile_file_names_are_made_harmless() -> None:
    assert safe_file_name("../../etc/passwd.xlsx") == "passwd.xlsx"
    assert safe_file_name("C:\\Users\\a\\预算.xlsx") == "预算.xlsx"
    assert safe_file_name("budget\u202excod.xlsx") == "budgetxcod.xlsx"  # no right-to-left override
    assert safe_file_name("a\x00b<c>.xlsx") == "ab_c_.xlsx"
    assert safe_file_name("...") == "上传的文件"
    assert safe_file_name("很" * 500 + ".xlsx").endswith(".xlsx")
    assert len(safe_file_name("很" * 500 + ".xlsx")) <= 130


# ---- sessions: isolation, end, idle timeout -------------------------------------------------------------

def test_two_sessions_never_see_each_others_files(app: Starlette, served: TestClient) -> None:
    alice, bob = Browser(served), Browser(served)
    alice.upload("/check", SEED_001)
    bob.upload("/check", SEED_002)
    assert alice.session_id and bob.session_id and alice.session_id != bob.session_id
    assert SEED_001.name in alice.get("/check").text and SEED_001.name not in bob.get("/check").text
    assert SEED_002.name in bob.get("/check").text and SEED_002.name not in alice.get("/check").text
    alice.build()
    assert bob.get("/build/file/0").status_code == 404  # bob has built nothing; alice's file is not his
    assert _download_name(alice.get("/check/annotated")).startswith("2021-高新区科技局")
    assert _download_name(bob.get("/check/annotated")).startswith("2024-科学技术局")

    store = web_state(app).store
    alice_session, bob_session = store.get(alice.session_id), store.get(bob.session_id)
    assert alice_session is not None and bob_session is not None
    assert alice_session.folder != bob_session.folder
    assert alice_session.folder.stat().st_mode & 0o777 == 0o700
    assert store.root.stat().st_mode & 0o777 == 0o700

    # A stolen-looking cookie (any value not issued) is a new, empty session.
    mallory = Browser(served)
    mallory.jar.set(COOKIE_NAME, "x" * 43)
    assert SEED_001.name not in mallory.get("/check").text


def test_ending_a_session_deletes_its_folder_at_once(app: Starlette, browser: Browser) -> None:
    browser.upload("/check", SEED_001)
    folder = web_state(app).store.get(browser.session_id).folder  # type: ignore[union-attr]
    assert folder.exists()
    page = browser.post("/session/end")
    assert "文件已删除" in page.text
    assert not folder.exists()
    assert browser.session_id is None  # the cookie was deleted
    assert "2021-高新区科技局" not in browser.get("/check").text


def test_idle_sessions_are_ended_and_their_files_deleted(tmp_path: Path) -> None:
    now = [1000.0]
    store = SessionStore(idle_timeout=60, max_sessions=3, work_root=tmp_path, clock=lambda: now[0])
    idle, busy, fresh = store.create(), store.create(), store.create()
    folders = {}
    for session in (idle, busy, fresh):
        (session.folder / "f.xlsx").write_bytes(b"PK")
        folders[session.id] = session.folder
    busy.busy = 1  # a build still running keeps its session
    now[0] += 50
    assert store.get(fresh.id) is fresh
    now[0] += 20
    assert store.sweep() == 1
    assert not folders[idle.id].exists() and folders[busy.id].exists() and folders[fresh.id].exists()
    assert store.get(idle.id) is None and store.get(busy.id) is busy and store.get(fresh.id) is fresh
    # At the cap, a session with nothing in it makes room first; busy ones never do.
    empty = store.create()
    newest = store.create()
    assert len(store) == 3 and store.get(empty.id) is None
    assert store.get(busy.id) is busy and store.get(fresh.id) is fresh and store.get(newest.id) is newest
    # A flood of cookie-less requests only pushes out other empty sessions.
    for _ in range(20):
        store.create()
    assert store.get(busy.id) is busy and store.get(fresh.id) is fresh
    store.close()
    assert not store.root.exists()


def test_shutdown_deletes_every_session_folder(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    with TestClient(app) as client:
        client.post("/check", files={"workbook": ("a.xlsx", b"not a workbook")})
        root = web_state(app).store.root
        assert any(root.rglob("a.xlsx"))
    assert not root.exists()


# ---- LAN: the access code --------------------------------------------------------------------------------

CODE = "K7QX-M3PD-W9TR-2HJB"


@pytest.fixture
def lan(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(make_settings(tmp_path, access_code=CODE, allowed_hosts=("*",), max_login_failures=3))
    with TestClient(app, base_url="http://192.168.1.23:8765") as client:
        yield client


def test_a_lan_server_shows_nothing_without_the_access_code(lan: TestClient) -> None:
    stranger = Browser(lan)
    for path in ("/", "/check", "/build", "/send", "/templates", "/check/annotated", "/build/file/0"):
        page = stranger.get(path)
        assert page.url.path == "/login" and "输入访问口令" in page.text
        assert "上传校验" not in page.text  # not even the navigation
    assert stranger.post("/check", files={"workbook": ("a.xlsx", b"PK")}, follow_redirects=False).status_code == 403
    assert stranger.get("/static/style.css").status_code == 200  # the login page needs its style


def test_the_access_code_opens_the_pages_and_wrong_codes_are_throttled(lan: TestClient) -> None:
    user = Browser(lan)
    user.get("/")
    before = user.session_id
    wrong = user.post("/login", data={"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 403 and "访问口令不正确" in wrong.text
    ok = user.post("/login", data={"code": CODE.lower().replace("-", " ")})  # as typed by hand
    assert ok.url.path == "/" and "四步完成" in ok.text
    assert user.session_id != before  # a new id after login: a pre-login id is worth nothing
    assert user.upload("/check", SEED_001).status_code == 200

    linked = Browser(lan)
    assert "四步完成" in linked.get(f"/login?token={CODE}").text  # the link printed at start

    guesser = Browser(lan)
    for _ in range(3):
        assert guesser.post("/login", data={"code": "guess"}).status_code == 403
    locked = guesser.post("/login", data={"code": CODE})
    assert locked.status_code == 429 and "次数过多" in locked.text


def test_a_loopback_server_refuses_other_host_names_and_cross_site_posts(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding
    cross = client.post("/session/end", headers={"origin": "http://evil.example"})
    assert cross.status_code == 403 and "其他网站" in cross.text
    assert client.post("/session/end", headers={"sec-fetch-site": "cross-site"}).status_code == 403
    same = client.post("/session/end", headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"})
    assert same.status_code == 200


def test_unknown_pages_and_methods_answer_in_chinese(client: TestClient) -> None:
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "页面不存在" in missing.text
    assert client.put("/check").status_code == 405


def test_a_crash_inside_a_page_shows_a_chinese_page_without_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.app.web import pages_input

    def broken(request: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(pages_input, "check_page", broken)
    app = create_app(make_settings(tmp_path))
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/check")
    assert page.status_code == 500 and "程序内部错误" in page.text
    assert "secret internal detail" not in page.text and "Traceback" not in page.text


def test_a_task_that_runs_too_long_is_stopped_and_the_pool_recovers() -> None:
    import asyncio

    pool = work.WorkerPool(1, timeout=1.0)

    async def scenario() -> tuple[str, int]:
        try:
            await pool.run(time.sleep, 60)
            message = ""
        except work.WorkFailed as exc:
            message = str(exc)
        pool.timeout = 600  # the next task gets a fresh worker and all the time it needs
        return message, await pool.run(len, "四个字符")

    try:
        message, after = asyncio.run(scenario())
    finally:
        pool.close()
    assert "已停止" in message and after == 4


# ---- step 4: send, with the same settings, preview and sent-log as `budget-report send` ------------------

def test_send_previews_then_sends_once_and_shares_the_sent_log(app: Starlette, browser: Browser) -> None:
    from tests.test_delivery_mail import RecordingHandler, smtp_server

    settings = web_state(app).settings
    missing = browser.get("/send")
    browser.upload("/check", SEED_001)
    browser.build()
    page = browser.get("/send")
    assert "找不到邮件配置文件" in " ".join(alerts(page.text)) and "配置文件示例" in page.text
    assert "还没有生成文件" in missing.text or "找不到邮件配置文件" in missing.text

    handler = RecordingHandler()
    with smtp_server(handler) as port:
        settings.mail_config.write_text(
            f"[smtp]\nhost = 127.0.0.1\nport = {port}\nsecurity = none\ntimeout = 5\n\n"
            "[message]\nfrom_address = czj@example.gov.cn\nfrom_name = 某某区财政局\n", encoding="utf-8")
        try:
            page = browser.get("/send")
            assert "127.0.0.1:" in page.text and "czj@example.gov.cn" in page.text

            preview = browser.post("/send", data={"action": "preview", "recipients": "kjj@example.gov.cn"})
            assert "[已生成草稿] 2021-高新区科技局" in preview.text
            assert "2021年高新区科技局预算公开文件" in preview.text  # the subject, as mailed
            assert handler.messages == []
            draft = browser.get("/send/draft")
            assert draft.status_code == 200 and b"Subject:" in draft.content

            sent = browser.post("/send", data={"action": "send", "recipients": "kjj@example.gov.cn"})
            assert "[已发送] 2021-高新区科技局-306001 → kjj@example.gov.cn" in sent.text
            assert len(handler.messages) == 1 and handler.messages[0].rcpt_tos == ["kjj@example.gov.cn"]
            assert "kjj@example.gov.cn" in sent.text.split("发送记录", 1)[1]  # the log, on the page

            again = browser.post("/send", data={"action": "send", "recipients": "kjj@example.gov.cn"})
            assert "[已跳过]" in again.text and len(handler.messages) == 1
            forced = browser.post("/send", data={"action": "send", "recipients": "kjj@example.gov.cn", "resend": "1"})
            assert "[已发送]" in forced.text and len(handler.messages) == 2

            bad = browser.post("/send", data={"action": "send", "recipients": "不是邮箱"})
            assert "收件人地址格式不正确" in bad.text and len(handler.messages) == 2
        finally:
            settings.mail_config.unlink()

    # The same sent-log as `budget-report send outputs/…` run in the same folder.
    from generator.deliver.mailer import SentLog

    entries = SentLog(settings.sent_log).entries
    assert [e["dept"] for e in entries] == ["2021-高新区科技局-306001"] * 2


def test_the_workbooks_contact_is_the_default_recipient(app: Starlette, browser: Browser, tmp_path: Path) -> None:
    from tests.factories import budget_data

    data = budget_data()
    data.forms["基本信息"]["contact_email"] = "kjj@example.gov.cn"
    path = write_budget(tmp_path / "联系人.xlsx", data)
    settings = web_state(app).settings
    settings.mail_config.write_text("[smtp]\nhost = 127.0.0.1\nport = 2525\nsecurity = none\n\n"
                                    "[message]\nfrom_address = czj@example.gov.cn\n", encoding="utf-8")
    try:
        browser.upload("/check", path)
        assert "已生成" in browser.build().text
        assert 'value="kjj@example.gov.cn"' in browser.get("/send").text
        preview = browser.post("/send", data={"action": "preview", "recipients": ""})
        assert "[已生成草稿] 2021-测试科技局-306001 → kjj@example.gov.cn" in preview.text
    finally:
        settings.mail_config.unlink()


def test_pdf_is_offered_and_made_when_libreoffice_is_present(app: Starlette, browser: Browser, tmp_path: Path) -> None:
    if not web_state(app).soffice:
        assert "同时生成 PDF" not in browser.get("/build").text
        pytest.skip("未安装 LibreOffice：只检查了页面不提供 PDF")
    browser.upload("/check", write_budget(tmp_path / "小部门.xlsx"))
    assert "同时生成 PDF" in browser.get("/build").text
    browser.post("/build", data={"pdf": "1"})
    for _ in range(1200):  # an operation bound for LibreOffice, not a speed test
        if browser.get("/build/status").json()["state"] != "running":
            break
        time.sleep(0.1)
    page = browser.get("/build")
    assert ".pdf" in page.text, alerts(page.text)
    links = re.findall(r'href="/build/file/(\d+)">.*?([^>]+\.pdf)</a>', page.text)
    assert links, page.text
    for index, _name in links:
        pdf = browser.get(f"/build/file/{index}")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
