"""Numbered lists typed into one cell, as items: the documents number them again themselves.

People type a list in a cell one item per line ("1.…⏎2.…"), or inline -- "1.…；2.…；3.…",
"（1）…（2）…", "(一)…(二)…", "一是…二是…三是…". Each form becomes the same list of items, with the
typed numbering and the separators between items removed, so a template can number them its own
way ("1." or "目标1：") and no document prints "1.1." or keeps a "2." glued inside item one.

Inline markers count only in sequence (1, 2, 3 … or 一, 二, 三 …) and only at the start or after
a separator, so "增长1.5亿元" or "第2季度" are never split. One pass over the text: linear.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十"
# After "1." a digit means a decimal ("1.5亿元"), unless it starts a year ("1.2021年度…").
_NOT_DECIMAL = r"(?:(?!\d)|(?=(?:19|20)\d\d年))"
_CN_VALUE = {ch: i for i, ch in enumerate(_CN, 1)}

# A typed number at the start of a line: "1." "1、" "1）" "（1）" "(一)" "一、" "一是" "目标1："
_LEADING = re.compile(
    r"^\s*(?:目标\s*\d{1,2}\s*[:：]|\d{1,2}\s*[.．、)）]" + _NOT_DECIMAL
    + r"|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[)）]|[一二三四五六七八九十]{1,2}\s*[、是](?=\S))\s*")

# Inline markers, one alternative per style: (1) arabic "1." (2) bracketed "（1）"/"(一)" (3) "一是"/"一、".
_MARKER = re.compile(
    r"(?P<arabic>\d{1,2})\s*[.．、)）]" + _NOT_DECIMAL +
    r"|[（(]\s*(?P<bracket>\d{1,2}|[一二三四五六七八九十]{1,2})\s*[)）]"
    r"|(?P<cn>[一二三四五六七八九十]{1,2})(?:是|、)")
_SEPARATORS = "；;。，,：:\n \t"
_TRAILING = "；;，,、：: \t"


def _value(token: str) -> int:
    if token.isdigit():
        return int(token)
    if len(token) == 1:
        return _CN_VALUE.get(token, 0)
    if token[0] == "十":
        return 10 + _CN_VALUE.get(token[1], 0)
    return _CN_VALUE.get(token[0], 0) * 10 if token[1] == "十" else 0


def strip_numbering(line: str) -> str:
    """``line`` without a typed leading number ("1." "（一）" "一是" "目标1：")."""
    return _LEADING.sub("", line, count=1).strip()


def _inline(text: str) -> list[str] | None:
    """Items of an inline-numbered text, or None when it holds no numbered sequence of 2+."""
    cuts: list[tuple[int, int]] = []  # (marker start, text start) of each item
    style = ""
    expected = 1
    for m in _MARKER.finditer(text):
        kind = m.lastgroup or ""
        value = _value(m.group(kind))
        if kind != "bracket" and m.start() > 0 and text[m.start() - 1] not in _SEPARATORS:
            continue  # "增长1.5", "第2季度": a number inside a sentence (a bracket marks itself)
        if value == expected and (not style or kind == style):
            style = kind
            cuts.append((m.start(), m.end()))
            expected += 1
    if len(cuts) < 2:
        return None
    items = [text[: cuts[0][0]]]
    for (_, begin), (end, _) in zip(cuts, [*cuts[1:], (len(text), len(text))], strict=True):
        items.append(text[begin:end])
    return [item.strip().rstrip(_TRAILING).strip() for item in items if item.strip().rstrip(_TRAILING).strip()]


def split_items(text: str) -> list[str]:
    """The items of a cell: one per line, or the inline-numbered ones of a single line."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) == 1:
        inline = _inline(lines[0])
        if inline is not None:
            return inline
    items = [strip_numbering(line).rstrip(_TRAILING).strip() for line in lines]
    return [item for item in items if item]
