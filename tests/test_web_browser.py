"""The pages in a real browser: Playwright for Python driving the distribution's Chromium.

The server is the real command (``python -m generator serve --port 0 --no-browser``). Screenshots of
every step, at 1366×768 and 1920×1080, are written to ``test-artifacts/web/`` (git-ignored; or
``$BUDGET_REPORT_ARTIFACTS``) for a person to look at.

Without Chromium the tests skip, saying so, unless ``BUDGET_REPORT_REQUIRE_BROWSER=1`` (set by CI,
which installs Chromium): then a missing browser fails instead of hiding the tests.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.test_web_app import SEED_001, SEED_002, cli_message, document_text, expected_rows

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("BUDGET_REPORT_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("BUDGET_REPORT_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(os.environ.get("BUDGET_REPORT_ARTIFACTS", REPO / "test-artifacts" / "web"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SIZES = {"1366": (1366, 768), "1920": (1920, 1080)}
WAIT_MS = 120_000  # the longest any step may take before the test fails (a bound, not a measurement)


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "未安装 Playwright（pip install -e '.[test]'），跳过浏览器测试"
    if not CHROMIUM.exists():
        return f"未找到 Chromium（{CHROMIUM}），跳过浏览器测试；CI 会安装 Debian 的 chromium"
    return None


reason = _unavailable()
if reason is not None:
    if REQUIRED:
        raise RuntimeError(f"BUDGET_REPORT_REQUIRE_BROWSER=1，但{reason}")
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from tests.test_web_serve import running  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("serve")
    # The mail settings `send` would read in this folder; only previews are made here.
    (folder / "budget-report-mail.ini").write_text(
        "[smtp]\nhost = 127.0.0.1\nport = 2525\nsecurity = none\n\n"
        "[message]\nfrom_address = czj@example.gov.cn\nfrom_name = 某某区财政局\n", encoding="utf-8")
    with running(folder) as (_process, lines):
        match = re.search(r"http://\S+/", lines[0])
        assert match, lines
        yield match.group(0)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def new_context(chromium: Browser, size: str = "1366") -> BrowserContext:
    width, height = SIZES[size]
    context = chromium.new_context(viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    return context


def shoot(page: Page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def table_rows(page: Page) -> list[list[str]]:
    rows = page.locator("table.findings tbody tr")
    return [[re.sub(r"\s+", "", cell) for cell in rows.nth(i).locator("td").all_inner_texts()]
            for i in range(rows.count())]


def squeezed(rows: list[list[str]]) -> list[list[str]]:
    return [[re.sub(r"\s+", "", cell) for cell in row] for row in rows]


def download(page: Page, locator: Any, folder: Path) -> Path:
    with page.expect_download() as info:
        locator.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def upload_and_wait(page: Page, path: Path) -> None:
    """Choose a file with the picker: the page sends it at once and shows the result."""
    page.get_by_label("选择要检查的工作簿").set_input_files(str(path))
    page.wait_for_selector("#result-title")


def test_seed_001_from_upload_to_the_same_documents_as_the_cli(chromium: Browser, base_url: str, shots: Path,
                                                               tmp_path: Path) -> None:
    context = new_context(chromium)
    page = context.new_page()
    page.goto(base_url + "templates")
    shoot(page, shots, "1-下载模板-1366")
    blank = download(page, page.get_by_role("link", name="下载空白绩效自评工作簿"), tmp_path)
    assert blank.name == "绩效自评-空白.xlsx" and openpyxl.load_workbook(blank).sheetnames[0] == "填表说明"
    page.get_by_label("上传当年的部门预算工作簿").set_input_files(str(SEED_001))
    page.wait_for_selector("#self-eval .notice-ok")
    shoot(page, shots, "1-带入绩效自评-1366")
    carried = download(page, page.get_by_role("link", name=re.compile("下载 2021-高新区科技局-绩效自评")), tmp_path)
    assert "绩效指标" in openpyxl.load_workbook(carried).sheetnames

    page.goto(base_url + "check")
    upload_and_wait(page, SEED_001)
    assert page.locator("#result-title").inner_text() == f"校验结果：{SEED_001.name}"
    assert table_rows(page) == squeezed(expected_rows(SEED_001, tmp_path / "cli-check"))
    shoot(page, shots, "2-校验结果-1366")
    annotated = download(page, page.get_by_role("link", name=re.compile("下载标注副本")), tmp_path)
    assert annotated.name == f"{SEED_001.stem}.校验结果.xlsx"

    page.get_by_role("link", name="下一步：生成文件").click()
    page.get_by_role("button", name="开始生成").click()
    shoot(page, shots, "3-生成中-1366")
    page.wait_for_selector("ul.files")
    shoot(page, shots, "3-生成文件-1366")

    from generator.app.cli import main

    assert main(["build", str(SEED_001), "-o", str(tmp_path / "cli")]) == 0
    cli_files = {p.name: p for p in (tmp_path / "cli").glob("2021-*/*")}
    links = page.locator("ul.files a")
    got = tmp_path / "web"
    got.mkdir()
    downloaded = [download(page, links.nth(i), got) for i in range(links.count())]
    assert sorted(p.name for p in downloaded) == sorted(cli_files)
    docx = [p for p in downloaded if p.suffix == ".docx"]
    assert docx
    for path in downloaded:  # the same text as the command line's build, document by document
        assert document_text(path.read_bytes()) == document_text(cli_files[path.name].read_bytes()), path.name
    bundle = download(page, page.get_by_role("link", name=re.compile("全部下载")), tmp_path)
    assert bundle.name == "2021-高新区科技局-306001.zip"

    page.get_by_role("link", name="下一步：发送邮件").click()
    page.get_by_label("收件人").fill("kjj@example.gov.cn")
    page.get_by_role("button", name="预览邮件（不发送）").click()
    page.wait_for_selector("#result-title")
    assert "[已生成草稿] 2021-高新区科技局-306001 → kjj@example.gov.cn" in page.inner_text("#result")
    shoot(page, shots, "4-发送邮件-预览-1366")
    context.close()


def test_a_broken_file_dropped_on_the_page_gets_the_cli_message(chromium: Browser, base_url: str, shots: Path,
                                                                 tmp_path: Path) -> None:
    broken = tmp_path / "部门预算.xlsx"
    broken.write_text("这不是工作簿", encoding="utf-8")
    context = new_context(chromium)
    page = context.new_page()
    page.goto(base_url + "check")
    # Drag and drop as a browser does it: a drop event whose DataTransfer carries the file.
    page.locator(".drop").first.evaluate(
        """(zone, [name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        [broken.name, base64.b64encode(broken.read_bytes()).decode()])
    page.wait_for_selector("[data-message]")
    assert page.inner_text("[data-message]") == cli_message(broken, tmp_path / "cli")
    assert "Traceback" not in page.content()
    shoot(page, shots, "2-无法读取-1366")
    context.close()


def test_two_people_at_once_never_see_each_others_files(chromium: Browser, base_url: str, tmp_path: Path) -> None:
    alice_context, bob_context = new_context(chromium), new_context(chromium)
    alice, bob = alice_context.new_page(), bob_context.new_page()
    for page in (alice, bob):
        page.goto(base_url + "check")
    # Both uploads in flight together, then both builds.
    alice.get_by_label("选择要检查的工作簿").set_input_files(str(SEED_001))
    bob.get_by_label("选择要检查的工作簿").set_input_files(str(SEED_002))
    for page in (alice, bob):
        page.wait_for_selector("#result-title")
        page.get_by_role("link", name="下一步：生成文件").click()
    for page in (alice, bob):
        page.get_by_role("button", name="开始生成").click()
    for page in (alice, bob):
        page.wait_for_selector("ul.files")
    assert SEED_001.name in alice.content() and SEED_002.name not in alice.content()
    assert SEED_002.name in bob.content() and SEED_001.name not in bob.content()
    alice_names = alice.locator("ul.files a").all_inner_texts()
    bob_names = bob.locator("ul.files a").all_inner_texts()
    assert any("部门预算信息公开" in n for n in alice_names) and not any("自评" in n for n in alice_names)
    assert any("自评" in n for n in bob_names) and not any("部门预算" in n for n in bob_names)

    # The same address gives each person their own file, never the other's.
    for context, wanted in ((alice_context, "2021"), (bob_context, "2024")):
        response = context.request.get(base_url + "build/file/0")
        assert response.ok and wanted in response.headers["content-disposition"]
    # Ending one session removes only its files.
    alice.get_by_role("button", name="结束并立即删除我的文件").click()
    assert "文件已删除" in alice.content()
    assert alice_context.request.get(base_url + "build/file/0").status == 404
    assert bob_context.request.get(base_url + "build/file/0").ok
    alice_context.close()
    bob_context.close()


def _with_errors(tmp_path: Path) -> Path:
    """Seed 001 with the mistakes people make: money in words, a target left blank."""
    path = tmp_path / "2021-高新区科技局-部门预算（待修改）.xlsx"
    shutil.copyfile(SEED_001, path)
    wb = openpyxl.load_workbook(path)
    projects, indicators = wb["项目"], wb["绩效指标"]
    headers = {c.value: c.column_letter for c in projects[1]}
    projects[f"{headers['财政资金']}3"] = "六十万"
    target = {c.value: c.column_letter for c in indicators[1]}["指标值"]
    indicators[f"{target}4"] = None
    wb.save(path)
    return path


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_the_screen_reads_aloud_and_works_from_the_keyboard(
        chromium: Browser, base_url: str, shots: Path, tmp_path: Path, size: str) -> None:
    context = new_context(chromium, size)
    page = context.new_page()
    page.goto(base_url + "check")
    upload_and_wait(page, _with_errors(tmp_path))
    assert table_rows(page)[0][0] == "错误"
    for path, name in (("", "0-首页"), ("templates", "1-下载模板"), ("check", "2-校验结果-有错误"),
                       ("check?level=error", "2-校验结果-只看错误"), ("build", "3-生成文件-有错误"), ("send", "4-发送邮件-未生成")):
        page.goto(base_url + path)
        shoot(page, shots, f"{name}-{size}")
        # Nothing wider than the window: no sideways scrolling at this size.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        # Every control has a name a screen reader announces.
        unnamed = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), button, select, textarea, a')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby') && !el.textContent.trim())
            .map(el => el.outerHTML)""")
        assert unnamed == [], unnamed
        assert page.get_by_role("navigation", name="操作步骤").count() == 1

    # The keyboard: skip link first, then the steps, then the file picker, all with visible focus.
    page.goto(base_url + "check")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    reached = []
    for _ in range(30):  # an operation bound: the picker is a few stops after the filters
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if reached[-1] == "workbook-file":
            break
    assert reached[-1] == "workbook-file", reached
    assert page.evaluate("getComputedStyle(document.querySelector('.drop')).outlineStyle") == "solid"
    shoot(page, shots, f"2-键盘焦点-{size}")
    # The severity filter works from the keyboard too.
    page.get_by_role("link", name=re.compile("^错误")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"level=error"))
    assert {row[0] for row in table_rows(page)} == {"错误"}
    context.close()
