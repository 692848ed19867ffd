"""Slips a proof-reader marks in any text cell: doubled words and punctuation, unbalanced
brackets, stray leading punctuation, look-alike 文号 brackets, impossible dates, mixed numbering.

The rule ``proof_reading`` runs ``check_text`` on every text cell the reader met, so one
mechanism serves every sheet. All findings are 警告: the tool cannot be sure, the user can.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from generator.model import BudgetWorkbook, SelfEvalWorkbook
from generator.validate import findings as F
from generator.validate.findings import Finding
from generator.validate.subject import Subject

CODES = ("repeated-text", "repeated-punctuation", "stray-punctuation", "unbalanced-brackets",
         "doc-number-format", "date-typo", "number-unit", "numbering-mixed")

# A phrase written twice in a row: 3–8 characters anywhere ("河北省河北省"); two characters only
# before punctuation or the end ("意见意见。"), because inside a sentence ABAB is usually two
# words ("企业创业创新" holds 业创业创).
_REPEATED = re.compile(r"([\u4e00-\u9fff]{3,8})\1|([\u4e00-\u9fff]{2})\2(?=[。，、；：！？）)”\s]|$)")
_DOUBLED_PUNCT = re.compile(r"([。，、；：！？])\1")
_LEADING_PUNCT = re.compile(r"^[、，。；：！？]")
_AFTER_COLON = re.compile(r"[：:]\s*[、，。；]")
# ﹝﹞ (U+FE5D/U+FE5E) look like the 六角括号 〔〕 of a 文号 but are other characters:
# searches and matching on the 文号 then fail.
_LOOKALIKE_DOC = re.compile(r"﹝\s*\d{4}\s*﹞")
_DATE_TYPO = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*年")
# "3.79亿保障": an amount in 亿 with no unit after it (亿元? 亿人次?). The look-behind starts a
# match only at the first digit of a run: without it, 20,000 digits took 15 s (each start rescans).
_BARE_YI = re.compile(r"(?<!\d)\d+(?:\.\d+)?\s*亿(?![元人次份件个台册股美])")
# Horizontal space only: "\s*" at every line start of a run of blank lines rescans the whole run.
_NUMBERED = re.compile(r"^[^\S\n]*\d+[^\S\n]*([.．、])", re.MULTILINE)
_PAIRS = (("（", "）"), ("(", ")"), ("《", "》"), ("〔", "〕"), ("“", "”"), ("【", "】"))


def check_text(text: str) -> tuple[tuple[str, str, str], ...]:
    """Return (code, message, fix) for each slip found in ``text``."""
    # Short texts repeat across a workbook (indicator names, units): each is proof-read once.
    return _check_short(text) if len(text) <= 200 else _check(text)


def _check(text: str) -> tuple[tuple[str, str, str], ...]:
    out: list[tuple[str, str, str]] = []
    m = _REPEATED.search(text)
    if m:
        unit = m.group(1) or m.group(2)
        out.append(("repeated-text", f"“{unit}”连续重复了两次", f"删除重复的“{unit}”"))
    m = _DOUBLED_PUNCT.search(text)
    if m:
        out.append(("repeated-punctuation", f"标点“{m.group(0)}”重复", f"改为一个“{m.group(1)}”"))
    if _LEADING_PUNCT.search(text) or _AFTER_COLON.search(text):
        out.append(("stray-punctuation", "文字开头或冒号后有多余的标点", "删除多余的标点"))
    for left, right in _PAIRS:
        if text.count(left) != text.count(right):
            out.append(("unbalanced-brackets", f"“{left}”与“{right}”数量不一致（{text.count(left)} 个 / "
                        f"{text.count(right)} 个）", f"补全缺少的“{left if text.count(left) < text.count(right) else right}”"))
            break
    if _LOOKALIKE_DOC.search(text):
        out.append(("doc-number-format", "文号年份用了形似的“﹝﹞”，不是六角括号“〔〕”",
                    "改用“〔〕”，否则按文号检索、比对时找不到"))
    m = _DATE_TYPO.search(text)
    if m:
        out.append(("date-typo", f"日期“{m.group(0)}”有误（两个“年”）", "核对月份，如“2021年4月”"))
    m = _BARE_YI.search(text)
    if m:
        out.append(("number-unit", f"数字“{m.group(0)}”缺少单位（亿元？）", "补全单位，如“3.79亿元”"))
    separators = set(_NUMBERED.findall(text))
    if len(separators) > 1:
        out.append(("numbering-mixed", "分条编号的写法不一致（" + "、".join(sorted(separators)) + "）",
                    "统一为一种编号写法，如“1.”"))
    return tuple(out)


_check_short = functools.lru_cache(maxsize=1 << 14)(_check)


def proof_reading(s: Subject[BudgetWorkbook | SelfEvalWorkbook]) -> Iterator[Finding]:
    """Every text cell, proof-read."""
    for t in s.texts:
        for code, message, fix in check_text(t.text):
            yield F.make(code, t.sheet, t.cell, t.header, t.text, f"{t.cell}“{t.header}”：{message}", fix)
