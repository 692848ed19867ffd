"""Which cells hold dates, and the dates their serial numbers stand for.

An .xlsx stores a date as a number (days since 1899-12-30, or 1904-01-01 in workbooks made on old
Macs); only the cell's number format says it is a date. These are openpyxl's rules (so that values
read here equal what openpyxl reads), plus the built-in formats 27–36 and 50–58 that Excel in
Chinese, Japanese and Korean locales uses for dates such as 2021年3月1日 (ECMA-376 §18.8.30), which
openpyxl reads as bare numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# Built-in format ids whose codes are dates or times (openpyxl's BUILTIN_FORMATS: 14–22, 45–47).
_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_BUILTIN_TIMEDELTA = frozenset({46})  # [h]:mm:ss
_CJK_DATES = frozenset(range(27, 37)) | frozenset(range(50, 59))

# Quoted literals and [locale]/[colour] sections say nothing about dates.
# A section cannot hold "[": each start then scans only to the next one (a run of "[" stays linear).
_IGNORED = re.compile(r'"[^"]*"|\[(?!hh?\]|mm?\]|ss?\])[^\][]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)

_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)
_SECONDS_PER_DAY = 86_400


def is_date_format(code: str) -> bool:
    first = code.split(";")[0]  # positive numbers' section decides
    return _DATE_PART.search(_IGNORED.sub("", first)) is not None


def is_timedelta_format(code: str) -> bool:
    return _TIMEDELTA.search(code.split(";")[0]) is not None


@dataclass
class DateStyles:
    """The cell styles (indexes into cellXfs) that show dates, and the workbook's epoch."""

    dates: set[int] = field(default_factory=set)
    durations: set[int] = field(default_factory=set)  # [h]:mm formats: a length of time
    mac_epoch: bool = False

    @classmethod
    def of(cls, custom_formats: dict[int, str], style_formats: list[int], mac_epoch: bool) -> DateStyles:
        """From the styles part: ``custom_formats`` (numFmtId → code) and each cellXfs entry's numFmtId."""
        styles = cls(mac_epoch=mac_epoch)
        for index, fmt_id in enumerate(style_formats):
            code = custom_formats.get(fmt_id)
            if code is not None:
                if is_date_format(code):
                    styles.dates.add(index)
                    if is_timedelta_format(code):
                        styles.durations.add(index)
            elif fmt_id in _BUILTIN_DATES or fmt_id in _CJK_DATES:
                styles.dates.add(index)
                if fmt_id in _BUILTIN_TIMEDELTA:
                    styles.durations.add(index)
        return styles


def excel_date(serial: float, styles: DateStyles, style: int) -> dt.datetime | dt.time | dt.timedelta:
    """The date, time of day or duration that ``serial`` stands for in a cell of ``style``.

    ``OverflowError``/``ValueError`` for serials no calendar holds (the caller reads those as the
    error value #VALUE!, as openpyxl does).
    """
    if style in styles.durations:
        span = dt.timedelta(days=serial)
        if span.microseconds:  # to the millisecond, as Excel keeps it
            span = dt.timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3))
        return span
    day, fraction = divmod(serial, 1)
    time_of_day = dt.timedelta(milliseconds=round(fraction * _SECONDS_PER_DAY * 1000))
    if 0 <= serial < 1 and time_of_day.days == 0:
        minutes, seconds = divmod(time_of_day.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, time_of_day.microseconds)
    epoch = _MAC_EPOCH if styles.mac_epoch else _WINDOWS_EPOCH
    if 0 < serial < 60 and not styles.mac_epoch:
        day += 1  # Excel's 1900-02-29, a day that never was
    return epoch + dt.timedelta(days=day) + time_of_day


def iso_date(text: str) -> dt.datetime | dt.date | dt.time | None:
    """A cell of type ``d`` (ISO 8601 text, rare: written by some non-Excel programs)."""
    text = text.strip()
    for parse in (dt.datetime.fromisoformat, dt.time.fromisoformat):
        try:
            return parse(text.rstrip("Z"))
        except ValueError:
            continue
    return None
