"""Which fonts a PDF gets: the project's fontconfig mapping and a report of substitutions.

The documents name the faces of Chinese official documents (仿宋_GB2312 body, 黑体 and
楷体_GB2312 headings, 方正小标宋简体 title, 宋体 tables). Linux rarely has them, and fontconfig
would answer all of them with one CJK sans face. ``fonts.conf`` beside this module maps each to a
distinct free font of the distribution (see its comments for the packages); LibreOffice is started
with ``FONTCONFIG_FILE`` pointing at it (:func:`libreoffice_env`).

:func:`substitution_report` tells the user, in Chinese, which document fonts the PDF will show in
which installed face, and warns when different document fonts end up as the same face.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["FONT_CONFIG", "document_fonts", "font_substitutions", "is_chinese_font", "libreoffice_env",
           "substitution_report"]

FONT_CONFIG = Path(__file__).with_name("fonts.conf")
FONT_PACKAGES = "fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai"

# East Asian font of a Word run or style, and the font names of an Excel workbook.
_DOCX_EAST_ASIA = re.compile(rb'w:eastAsia="([^"]{1,100})"')
_XLSX_FONT_NAME = re.compile(rb'<(?:x:)?name val="([^"]{1,100})"')
_DOCX_PARTS = re.compile(r"^word/(styles|document|header\d*|footer\d*)\.xml$")
_FC_TIMEOUT = 30


def libreoffice_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment LibreOffice runs in: no display, and the project's font mapping.

    A ``FONTCONFIG_FILE`` the user set is kept: they chose their fonts on purpose.
    """
    env = dict(os.environ if base is None else base)
    env.pop("DISPLAY", None)  # headless needs none; never draw on a desktop session
    if "FONTCONFIG_FILE" not in env and FONT_CONFIG.is_file():
        env["FONTCONFIG_FILE"] = str(FONT_CONFIG)
    return env


def document_fonts(path: Path) -> list[str]:
    """The Chinese (East Asian) font names a .docx names, or the font names of an .xlsx.

    Only the East Asian slot of a .docx is read: its Latin fonts (Times New Roman, Courier of an
    unused style) are not what the user asks about. Unreadable files give [].
    """
    suffix = path.suffix.lower()
    names: dict[str, None] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if suffix == ".docx" and _DOCX_PARTS.match(member):
                    pattern = _DOCX_EAST_ASIA
                elif suffix == ".xlsx" and member == "xl/styles.xml":
                    pattern = _XLSX_FONT_NAME
                else:
                    continue
                for raw in pattern.findall(archive.read(member)):
                    name = raw.decode("utf-8", errors="replace")
                    if name not in ("zh-CN", "zh-TW", "ja-JP", "ko-KR"):  # w:lang's eastAsia
                        names[name] = None
    except (OSError, zipfile.BadZipFile, KeyError):
        return []
    return list(names)


_MATCHES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}
_PLAIN_STYLES = frozenset({"", "regular", "book", "normal", "light"})


def _fc_match(name: str, env: dict[str, str]) -> tuple[tuple[str, ...], str]:
    """Family names (all languages) and the style of the installed font fontconfig picks for
    ``name`` in Chinese text (as LibreOffice asks for it)."""
    key = (name, env.get("FONTCONFIG_FILE", ""))
    if key in _MATCHES:
        return _MATCHES[key]
    fc_match = shutil.which("fc-match")
    found: tuple[tuple[str, ...], str] = ((), "")
    if fc_match is not None:
        try:
            result = subprocess.run([fc_match, "-f", "%{family}\\n%{style}", f"{name}:lang=zh-cn"],
                                    capture_output=True, timeout=_FC_TIMEOUT, env=env, check=False)
            if result.returncode == 0:
                family, _, style = result.stdout.decode("utf-8", errors="replace").partition("\n")
                families = tuple(f.replace("\\-", "-").strip() for f in family.split(",") if f.strip())
                found = (families, style.split(",")[0].strip())
        except (OSError, subprocess.TimeoutExpired):
            pass
    _MATCHES[key] = found
    return found


def font_substitutions(names: Iterable[str]) -> list[tuple[str, str | None]]:
    """``(document font, installed face shown instead)`` for each Chinese font name; the face is
    None when the font itself is installed. Empty where fontconfig does not decide (Windows,
    macOS). Latin fonts (Calibri of an empty Excel cell) are not asked about."""
    if shutil.which("fc-match") is None:
        return []
    env = libreoffice_env()
    pairs: list[tuple[str, str | None]] = []
    for name in names:
        if not is_chinese_font(name):
            continue
        families, style = _fc_match(name, env)
        if not families:
            continue
        if name.casefold() in {f.casefold() for f in families}:
            pairs.append((name, None))
            continue
        face = families[0] if style.casefold() in _PLAIN_STYLES else f"{families[0]} {style}"
        pairs.append((name, face))
    return pairs


def substitution_report(files: Iterable[Path]) -> str | None:
    """A Chinese note on the fonts the PDFs of ``files`` (.docx/.xlsx) use, or None when there is
    nothing to say. Files of the same name share a template, so each name is read once."""
    seen: set[str] = set()
    names: dict[str, None] = {}
    for path in files:
        if path.suffix.lower() not in (".docx", ".xlsx") or path.name in seen:
            continue
        seen.add(path.name)
        names.update(dict.fromkeys(document_fonts(path)))
    substituted = [(n, face) for n, face in font_substitutions(names) if face is not None]
    if not substituted:
        return None
    lines = ["PDF 字体：以下字体本机未安装，PDF 中用替代字体显示（字体对照见 generator/deliver/fonts.conf）："]
    lines += [f"  {name} → {face}" for name, face in substituted]
    by_face: dict[str, list[str]] = {}
    for name, face in substituted:
        by_face.setdefault(face, []).append(name)
    # 仿宋_GB2312 and 仿宋 are the same design: only different designs sharing a face are a loss.
    merged = {face: names for face, names in by_face.items()
              if len({_design(n) for n in names}) > 1}
    for face, same in merged.items():
        lines.append(f"  注意：{'、'.join(same)} 都显示为 {face}，PDF 中无法区分。"
                     f"请安装 {FONT_PACKAGES} 后重新生成。")
    return "\n".join(lines)


_DESIGNS = (("仿宋", "fangsong"), ("楷", "kai"), ("黑", "hei"), ("小标宋", "xbs"), ("宋", "song"),
            ("", "simsun"), ("", "yahei"), ("", "dengxian"))


def _design(name: str) -> str:
    """The design a font name stands for (仿宋 and 仿宋_GB2312 are one design)."""
    folded = name.casefold()
    for marker, design in _DESIGNS:
        if (marker and marker in name) or design in folded:
            return "song" if design == "simsun" else design
    return folded


def is_chinese_font(name: str) -> bool:
    """A font name in Chinese characters, or the Latin name of a Chinese font (SimSun, KaiTi …)."""
    return any("\u3400" <= ch <= "\u9fff" for ch in name) or _design(name) != name.casefold()
