"""PDF fonts: the Chinese faces the documents name become distinct free fonts, and the user is told.

The mapping is ``generator/deliver/fonts.conf`` (fontconfig), given to LibreOffice through
``FONTCONFIG_FILE``. Tests that need fontconfig, LibreOffice or the font packages skip with the
reason when those are missing (.ci/run installs them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.deliver import fonts
from generator.deliver.fonts import (
    FONT_CONFIG,
    document_fonts,
    font_substitutions,
    libreoffice_env,
    substitution_report,
)
from generator.deliver.pdf import convert_to_pdf, find_soffice
from generator.render import xlsx_base
from generator.resources import templates_dir

# The faces of a Chinese official document (GB/T 9704 practice) as the templates name them.
OFFICIAL_FACES = ("仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体")
MAPPED_PACKAGES_INSTALLED = shutil.which("fc-list") is not None and all(
    family in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    for family in ("AR PL UMing CN", "AR PL UKai CN", "Noto Serif CJK SC", "Noto Sans CJK SC"))
needs_font_packages = pytest.mark.skipif(
    not MAPPED_PACKAGES_INSTALLED,
    reason="fontconfig or the font packages are missing: apt-get install " + fonts.FONT_PACKAGES)


def _mapped_names() -> set[str]:
    return set(re.findall(r'<test qual="any" name="family"><string>([^<]+)</string>', FONT_CONFIG.read_text("utf-8")))


def test_every_chinese_font_the_outputs_name_is_mapped() -> None:
    named: set[str] = {xlsx_base.BODY_FONT, xlsx_base.TITLE_FONT}
    for template in sorted(templates_dir().glob("*.docx")):
        named.update(document_fonts(template))
    assert set(OFFICIAL_FACES) <= named  # the templates still name the official faces
    assert named <= _mapped_names(), named - _mapped_names()


def test_the_config_includes_the_system_configuration() -> None:
    # Without it every installed font would vanish for LibreOffice.
    assert "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>" in FONT_CONFIG.read_text("utf-8")


def test_libreoffice_gets_the_mapping_unless_the_user_chose_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    env = libreoffice_env()
    assert env["FONTCONFIG_FILE"] == str(FONT_CONFIG) and "DISPLAY" not in env
    monkeypatch.setenv("FONTCONFIG_FILE", "/home/user/my-fonts.conf")
    assert libreoffice_env()["FONTCONFIG_FILE"] == "/home/user/my-fonts.conf"


@needs_font_packages
def test_the_official_faces_become_five_distinct_fonts() -> None:
    faces = dict(font_substitutions(OFFICIAL_FACES))
    assert set(faces) == set(OFFICIAL_FACES)
    assert len(set(faces.values())) == len(OFFICIAL_FACES), faces
    assert faces["仿宋_GB2312"] == "AR PL UMing CN"
    assert faces["楷体_GB2312"] == "AR PL UKai CN"
    assert faces["黑体"] == "Noto Sans CJK SC"
    assert faces["宋体"] == "Noto Serif CJK SC"
    assert faces["方正小标宋简体"] == "Noto Serif CJK SC Bold"


@needs_font_packages
def test_the_report_names_each_substitution_and_warns_when_faces_collapse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = templates_dir() / "部门预算信息公开说明.docx"
    report = substitution_report([template])
    assert report is not None and report.startswith("PDF 字体")
    for face in OFFICIAL_FACES:
        assert f"  {face} → " in report
    assert "无法区分" not in report

    # Without the project's mapping (the system configuration alone) fontconfig answers the
    # faces with fewer fonts than designs, and the report says so.
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    plain = substitution_report([template])
    assert plain is not None and "无法区分" in plain


def test_latin_fonts_are_not_reported() -> None:
    assert fonts.is_chinese_font("仿宋_GB2312") and fonts.is_chinese_font("SimHei")
    assert not fonts.is_chinese_font("Calibri") and not fonts.is_chinese_font("Courier")


def _docx_with_faces(path: Path) -> Path:
    document = Document(str(templates_dir() / "部门预算信息公开说明.docx"))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    for face in OFFICIAL_FACES:
        run = document.add_paragraph().add_run(f"部门预算信息公开{face}")
        run.font.name = face
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    document.save(str(path))
    return path


@needs_font_packages
@pytest.mark.skipif(find_soffice() is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice or pdffonts (poppler-utils) not installed")
def test_a_pdf_embeds_a_distinct_font_for_each_face(tmp_path: Path) -> None:
    pdf = convert_to_pdf([_docx_with_faces(tmp_path / "字体.docx")])[0]
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # "BAAAAA+UMingCN TrueType …": the face without its subset prefix.
    embedded = {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}
    cjk = {name for name in embedded if "CJK" in name or "UMing" in name or "UKai" in name}
    assert len(cjk) >= len(OFFICIAL_FACES), listing
    assert any("UMing" in n for n in cjk) and any("UKai" in n for n in cjk)
    assert any("Sans" in n for n in cjk) and any("Serif" in n and "Bold" in n for n in cjk)
