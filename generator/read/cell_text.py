"""What a cell's text may carry that a reader cannot see, and how the tool shows a date as text.

Pure functions used by the reader on every text cell (each change becomes a finding there) and by
the pipeline on file and folder names:

- ``unescape_ooxml``: Excel stores characters XML cannot hold as ``_xHHHH_``; openpyxl leaves them
  escaped, so "_x000B_" or "_xD800_" would be printed literally.
- ``remove_noncharacters``: lone surrogates (U+D800–DFFF, only reachable through those escapes) and
  Unicode non-characters (U+FDD0–FDEF, U+xxFFFE/U+xxFFFF) are not text; Word and Excel writers fail
  on them or print boxes.
- ``remove_format_chars``: invisible format characters (Unicode category Cf) -- bidirectional
  controls (U+200E/F, U+202A–202E, U+2066–2069, U+061C), zero-width characters, soft hyphen, tags.
  A right-to-left override in 部门名称 makes a folder named "…‮xcod.exe" display as "…exe.docx".
- ``date_text``: an Excel date where text is expected reads "2021年3月5日", never
  "2021-03-05 00:00:00".
"""

from __future__ import annotations

import datetime as dt
import re

_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Unicode category Cf (format), as of Unicode 15 (Python 3.11/3.12); a test checks this list
# against ``unicodedata`` of the running Python so a newer table is noticed.
FORMAT_CHARS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
# Bidirectional controls named in messages: they reorder what is shown, not just hide.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

NONCHARACTERS = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]")


def unescape_ooxml(text: str) -> str:
    """``_xHHHH_`` back into the character (``_x005F_`` is an escaped underscore)."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def remove_noncharacters(text: str) -> tuple[str, list[str]]:
    """Text without surrogates and non-characters; the code points removed ("U+FFFF")."""
    found = NONCHARACTERS.findall(text)
    if not found:
        return text, []
    return NONCHARACTERS.sub("", text), _codes(found)


def remove_format_chars(text: str) -> tuple[str, list[str]]:
    """Text without invisible format characters; the code points removed, bidi controls first."""
    found = FORMAT_CHARS.findall(text)
    if not found:
        return text, []
    ordered = sorted(set(found), key=lambda ch: (ch not in BIDI_CONTROLS, ch))
    return FORMAT_CHARS.sub("", text), _codes(ordered)


def _codes(chars: list[str]) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in dict.fromkeys(chars)]


def date_text(value: dt.date | dt.time | dt.timedelta) -> str:
    """A date or time cell as Chinese text: 2021年3月5日, 2021年3月5日 8:30, 8:30, 36:00."""
    if isinstance(value, dt.datetime):
        day = f"{value.year}年{value.month}月{value.day}日"
        clock = value.time()
        return day if clock == dt.time(0) else f"{day} {_clock(clock)}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.time):
        return _clock(value)
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _clock(t: dt.time) -> str:
    return f"{t.hour}:{t.minute:02d}" + (f":{t.second:02d}" if t.second else "")
