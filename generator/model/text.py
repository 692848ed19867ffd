"""Text normalisation shared by every stage: what Excel and pasting add to a cell, taken away.

Pure functions on strings: full-width digits and symbols to half-width, line breaks and spaces
normalised, control characters removed. Labels (headers, sheet names, row labels) are compared in
their ``normalize_label`` form, so "项目名称 " and "项目名称：" are the same header.
"""

from __future__ import annotations

import functools
import re

# Full-width characters that are never Chinese punctuation, so converting them is safe.
# The full-width comma '，' is ordinary Chinese punctuation and is only converted between
# digits (a thousands separator such as "１，２３４"), see _normalize_line.
_FULLWIDTH_MAP: dict[int, str | None] = {
    **{0xFF10 + i: str(i) for i in range(10)},
    **{0xFF21 + i: chr(ord("A") + i) for i in range(26)},
    **{0xFF41 + i: chr(ord("a") + i) for i in range(26)},
    ord("．"): ".",
    ord("％"): "%",
    ord("＋"): "+",
    ord("－"): "-",
    ord("＜"): "<",
    ord("＞"): ">",
    ord("＝"): "=",
    ord("～"): "~",
    0x3000: " ",  # ideographic space
    0x00A0: " ",  # no-break space (common in pasted web text)
    0x200B: None,  # zero-width space
    0x200C: None,
    0x200D: None,
    0x2060: None,
    0xFEFF: None,  # BOM / zero-width no-break space
    0x2212: "-",  # minus sign
}

_SPACE_RUN = re.compile(r"[ \t]+")
_DIGIT_COMMA_DIGIT = re.compile(r"(?<=[0-9])，(?=[0-9])")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def normalize_text(raw: object) -> str:
    """Return the cell's text with Excel/paste noise removed.

    ``None`` becomes ``""``. Full-width digits, Latin letters and the symbols
    ``. % + - < > = ~`` become half-width; line breaks become ``\\n`` (multi-line cells
    keep their lines); runs of spaces/tabs inside a line collapse to one space; each line
    and the whole text are stripped (including no-break and ideographic spaces).
    """
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    # A workbook repeats the same short texts thousands of times (level names, units, 是/否):
    # each is normalised once. Long texts are rarely repeated and would make the cache large.
    return _normalized_short(text) if len(text) <= _CACHED_CHARS else _normalized(text)


_CACHED_CHARS = 200


def _normalized(text: str) -> str:
    text = text.translate(_FULLWIDTH_MAP)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DIGIT_COMMA_DIGIT.sub(",", text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


_normalized_short = functools.lru_cache(maxsize=1 << 16)(_normalized)


def normalize_label(raw: object) -> str:
    """Return a header/label key for matching: no whitespace, ASCII parentheses, no trailing ``：:*``."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    return _label_short(text) if len(text) <= _CACHED_CHARS else _label(text)


def _label(text: str) -> str:
    label = "".join(normalize_text(text).split())
    label = label.replace("（", "(").replace("）", ")")
    return label.rstrip("：:*")


_label_short = functools.lru_cache(maxsize=1 << 16)(_label)


def strip_control_chars(s: str) -> tuple[str, bool]:
    """Remove control characters other than tab/newline/CR; return ``(clean, changed)``."""
    clean = _CONTROL_CHARS.sub("", s)
    return clean, clean != s
