"""PDF conversion with the real LibreOffice, and zip bundles of output folders.

The conversion tests skip (with the reason) when LibreOffice is not installed; everything
else runs everywhere.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from docx import Document

from generator.deliver import pdf as pdf_module
from generator.deliver.bundle import UTF8_FLAG, BundleError, bundle
from generator.deliver.mailer import content_fingerprint
from generator.deliver.pdf import (
    MISSING_SOFFICE_MESSAGE,
    PdfError,
    convert_to_pdf,
    find_soffice,
    warn_if_no_cjk_fonts,
)

needs_soffice = pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui "
    "libreoffice-calc-nogui",
)

DOCX_TEXT = "部门预算信息公开情况说明"
XLSX_TEXT = "一般公共预算拨款收入"


def make_docx(path: Path, text: str = DOCX_TEXT) -> Path:
    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def make_xlsx(path: Path, text: str = XLSX_TEXT) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("部门收支总表")
    sheet.set_column(0, 0, 30)  # wide enough that the text is not clipped by the number
    sheet.write_string(0, 0, text)
    sheet.write_number(0, 1, 1234.56)
    workbook.close()
    return path


def pdf_text(path: Path) -> str | None:
    """Text of a PDF via pdftotext, or None when poppler-utils is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    result = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                            timeout=60, check=True)
    return result.stdout.decode("utf-8")


# ------------------------------------------------------------------------------------------
# PDF


@needs_soffice
def test_it_converts_chinese_docx_and_xlsx_to_pdf(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "2025年部门预算信息公开说明.docx")
    xlsx = make_xlsx(tmp_path / "部门预算公开表格.xlsx")

    pdfs = convert_to_pdf([docx, xlsx], timeout=180)

    assert pdfs == [tmp_path / "2025年部门预算信息公开说明.pdf", tmp_path / "部门预算公开表格.pdf"]
    for path in pdfs:
        assert path.read_bytes().startswith(b"%PDF")
    if warn_if_no_cjk_fonts() is None:  # without a Chinese font the text cannot be checked
        for path, expected in zip(pdfs, (DOCX_TEXT, XLSX_TEXT), strict=True):
            text = pdf_text(path)
            if text is not None:
                assert expected in text
    # No staging leftovers next to the outputs.
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf", ".pdf", ".xlsx"]


@needs_soffice
def test_sources_sharing_a_name_get_distinct_pdfs_in_out_dir(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "预算表.docx")
    xlsx = make_xlsx(tmp_path / "预算表.xlsx")
    out = tmp_path / "pdf"

    pdfs = convert_to_pdf([docx, xlsx], out_dir=out)

    assert pdfs == [out / "预算表-docx.pdf", out / "预算表-xlsx.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


@needs_soffice
def test_parallel_jobs_do_not_collide(tmp_path: Path) -> None:
    # Two separate processes, like two departments converted by two jobs at once: each
    # must use its own LibreOffice profile or the second hands its work to the first.
    sources = []
    for index in range(2):
        folder = tmp_path / f"2025-部门{index}"
        folder.mkdir()
        sources.append(make_docx(folder / "说明.docx", f"{DOCX_TEXT}{index}"))
    script = (
        "import sys; from pathlib import Path; "
        "from generator.deliver.pdf import convert_to_pdf; "
        "print(convert_to_pdf([Path(sys.argv[1])], timeout=180)[0])"
    )
    jobs = [
        subprocess.Popen([sys.executable, "-c", script, str(s)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[1])
        for s in sources
    ]
    for job, source in zip(jobs, sources, strict=True):
        out, err = job.communicate(timeout=240)
        assert job.returncode == 0, err.decode("utf-8", "replace")
        assert Path(out.decode("utf-8").strip()) == source.with_suffix(".pdf")
        assert source.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def _processes_mentioning(text: str) -> list[str]:
    """Pids of processes whose command line contains ``text`` (Linux /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            continue
    return found


@needs_soffice
def test_a_timeout_raises_and_leaves_no_libreoffice_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Work (and the service's profile) under tmp_path so leftover processes can be recognised;
    # no warm service from an earlier test: the timeout must hit LibreOffice's start-up.
    pdf_module.shutdown_service()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(PdfError, match="超时"):
        convert_to_pdf([make_docx(tmp_path / "说明.docx")], timeout=0.3)
    if not Path("/proc").is_dir():
        return  # the leftover check below needs Linux's /proc
    time.sleep(0.5)
    assert _processes_mentioning(str(tmp_path)) == []


@needs_soffice
def test_one_libreoffice_serves_many_calls(tmp_path: Path) -> None:
    if pdf_module.uno_python(find_soffice() or "") is None:
        pytest.skip("no Python with uno (python3-uno): each call starts its own LibreOffice")
    pdf_module.shutdown_service()
    first = convert_to_pdf([make_docx(tmp_path / "一.docx"), make_xlsx(tmp_path / "一.xlsx")])
    service = pdf_module._SERVICE
    assert service is not None and service.alive()
    second = convert_to_pdf([make_docx(tmp_path / "二.docx", "第二个部门")])
    assert pdf_module._SERVICE is service  # not started again
    assert service.conversions == 3
    assert [p.name for p in first + second] == ["一-docx.pdf", "一-xlsx.pdf", "二.pdf"]
    if warn_if_no_cjk_fonts() is None:
        text = pdf_text(second[0])
        assert text is None or "第二个部门" in text


@needs_soffice
def test_a_libreoffice_that_died_is_restarted(tmp_path: Path) -> None:
    if pdf_module.uno_python(find_soffice() or "") is None:
        pytest.skip("no Python with uno (python3-uno)")
    convert_to_pdf([make_docx(tmp_path / "前.docx")])
    service = pdf_module._SERVICE
    assert service is not None and service._process is not None
    os.killpg(service._process.pid, signal.SIGKILL)  # LibreOffice and its driver crash
    service._process.wait()

    pdfs = convert_to_pdf([make_docx(tmp_path / "后.docx")])

    assert pdfs[0].read_bytes().startswith(b"%PDF")
    assert pdf_module._SERVICE is not None and pdf_module._SERVICE is not service
    assert pdf_module._SERVICE.alive()


@needs_soffice
def test_a_timeout_in_a_running_service_stops_it_and_the_next_call_starts_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pdf_module.uno_python(find_soffice() or "") is None:
        pytest.skip("no Python with uno (python3-uno)")
    pdf_module.shutdown_service()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    convert_to_pdf([make_docx(tmp_path / "暖.docx")])  # a warm service, profile under tmp_path
    assert _processes_mentioning(str(tmp_path)) != []
    with pytest.raises(PdfError, match="超时"):
        convert_to_pdf([make_xlsx(tmp_path / "大.xlsx")], timeout=0.001)
    time.sleep(0.5)
    assert _processes_mentioning(str(tmp_path)) == []  # the stuck LibreOffice was killed
    assert convert_to_pdf([make_docx(tmp_path / "再.docx")])[0].read_bytes().startswith(b"%PDF")
    pdf_module.shutdown_service()


@needs_soffice
def test_without_the_service_each_call_converts_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf_module.shutdown_service()
    monkeypatch.setenv("BUDGET_REPORT_PDF_SERVICE", "0")
    pdfs = convert_to_pdf([make_docx(tmp_path / "说明.docx"), make_xlsx(tmp_path / "表.xlsx")])
    assert [p.name for p in pdfs] == ["说明.pdf", "表.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert pdf_module._SERVICE is None


@needs_soffice
def test_no_python_with_uno_falls_back_to_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf_module.shutdown_service()
    monkeypatch.setattr(pdf_module, "uno_python", lambda soffice: None)
    monkeypatch.setattr(pdf_module, "_SERVICE_UNAVAILABLE", False)
    pdfs = convert_to_pdf([make_docx(tmp_path / "说明.docx")])
    assert pdfs[0].read_bytes().startswith(b"%PDF")
    assert pdf_module._SERVICE is None


@needs_soffice
def test_a_damaged_file_raises_pdf_error_in_chinese(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "好的.docx")
    bad = tmp_path / "损坏.docx"
    bad.write_bytes(good.read_bytes()[:2000])  # truncated zip: LibreOffice cannot load it
    with pytest.raises(PdfError) as caught:
        convert_to_pdf([good, bad], timeout=180)
    assert "损坏.docx" in str(caught.value)
    assert "好的.docx" not in str(caught.value)
    assert caught.value.converted == [tmp_path / "好的.pdf"]
    assert not (tmp_path / "损坏.pdf").exists()


@needs_soffice
def test_pdf_fingerprints_ignore_creation_dates(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "说明.docx")
    first = convert_to_pdf([docx], out_dir=tmp_path / "1")[0]
    second = convert_to_pdf([docx], out_dir=tmp_path / "2")[0]
    assert content_fingerprint(first) == content_fingerprint(second)


def test_missing_libreoffice_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    with pytest.raises(PdfError, match="未找到 LibreOffice") as caught:
        convert_to_pdf([make_docx(tmp_path / "a.docx")])
    assert str(caught.value) == MISSING_SOFFICE_MESSAGE


def test_a_missing_source_is_explained(tmp_path: Path) -> None:
    if find_soffice() is None:
        pytest.skip("LibreOffice not installed: the missing-LibreOffice message comes first")
    with pytest.raises(PdfError, match="找不到要转换的文件"):
        convert_to_pdf([tmp_path / "不存在.docx"])


def test_no_files_means_no_work() -> None:
    assert convert_to_pdf([]) == []


def test_the_font_warning_is_chinese_or_none() -> None:
    warning = warn_if_no_cjk_fonts()
    assert warning is None or "中文字体" in warning


# ------------------------------------------------------------------------------------------
# Zip bundles


def test_a_bundle_keeps_chinese_member_names_and_bytes(tmp_path: Path) -> None:
    dept = tmp_path / "2025-某某区科学技术局"
    dept.mkdir()
    docx = make_docx(dept / "2025年部门预算信息公开说明.docx")
    xlsx = make_xlsx(dept / "部门预算公开表格.xlsx")
    (dept / "附表").mkdir()
    (dept / "附表" / "项目绩效目标表.txt").write_text("绩效", encoding="utf-8")
    (dept / "邮件草稿.eml").write_text("draft", encoding="utf-8")  # never bundled
    (dept / "~$部门预算公开表格.xlsx").write_bytes(b"lock")  # Office lock file

    target = bundle(dept)

    assert target == tmp_path / "2025-某某区科学技术局.zip"
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert names == [
            "2025-某某区科学技术局/2025年部门预算信息公开说明.docx",
            "2025-某某区科学技术局/部门预算公开表格.xlsx",
            "2025-某某区科学技术局/附表/项目绩效目标表.txt",
        ]
        assert all(info.flag_bits & UTF8_FLAG for info in archive.infolist())
        assert archive.read(names[0]) == docx.read_bytes()
        assert archive.read(names[1]) == xlsx.read_bytes()
    # Raw central directory holds the UTF-8 bytes, not a code-page rendering.
    assert "部门预算公开表格.xlsx".encode() in target.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bundling_again_replaces_the_zip(tmp_path: Path) -> None:
    dept = tmp_path / "2025-某某区教育局"
    dept.mkdir()
    make_docx(dept / "说明.docx")
    first = bundle(dept)
    (dept / "新增.txt").write_text("新", encoding="utf-8")
    second = bundle(dept)
    assert first == second
    with zipfile.ZipFile(second) as archive:
        assert "2025-某某区教育局/新增.txt" in archive.namelist()


def test_an_empty_or_missing_folder_cannot_be_bundled(tmp_path: Path) -> None:
    empty = tmp_path / "2025-空部门"
    empty.mkdir()
    with pytest.raises(BundleError, match="没有可打包的文件"):
        bundle(empty)
    with pytest.raises(BundleError, match="找不到输出文件夹"):
        bundle(tmp_path / "2025-不存在")


@needs_soffice
@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) not installed")
def test_build_pdf_reports_the_font_substitutions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.app.batch import run_build
    from generator.app.pipeline import DEFAULT_TEMPLATES
    from generator.resources import examples_dir

    workbook = examples_dir() / "2021-高新区科技局-部门预算.xlsx"
    assert run_build([workbook], tmp_path, DEFAULT_TEMPLATES, "默认", True, 1) == 0
    out = capsys.readouterr().out
    assert "PDF 字体" in out
    assert "仿宋_GB2312 → " in out and "黑体 → " in out
    (folder,) = tmp_path.glob("2021-高新区科技局*")  # <年度>-<部门>[-<单位编码>]
    assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".pdf", ".pdf", ".xlsx"]
