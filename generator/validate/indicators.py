"""Indicator rules: the 一级/二级 tree, placeholders, units, years, duplicates (both workbook kinds).

Each check takes a list of indicators (one project's, or all) and yields findings at the
indicator's own cells; the rules in ``indicator_rules.py`` choose the lists. Level names that
clearly mean a tree name were normalised before (``read/normalise.py``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

from generator.model import Indicator
from generator.model.indicator_tree import IndicatorTree, normalize_level
from generator.model.text import normalize_label
from generator.model.units import unit_factor
from generator.validate import findings as F
from generator.validate.findings import Finding

PLACEHOLDERS = frozenset({"文字描述", "待定", "xx", "xxx", "××", "—", "--", "-", "空", "无", "/",
                          "暂无", "待补充", "此处填写", "请填写", "tbd", "…", "..."})
_PLACEHOLDER_PATTERNS = re.compile(r"^(x+|×+|待[定补填]|[—\-/…. ]+)$", re.IGNORECASE)

_NUMBER_ONLY = re.compile(r"^[+\-]?\d[\d,.，．]*$")
# Years that are part of a 文号 (〔2019〕, [2017]) or a document title 《…》 are citations, not
# the year the indicator talks about.
# Linear on any text: a title never spans another "《" (else "《《《…" rescans to the end from each),
# optional parts never put two "\s*" side by side, a number is matched from its first digit only.
_CITATION = re.compile(r"《[^《》]*》|[〔\[［(（]\s*\d{4}\s*[〕\]］)）]")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?=\s*年)")
_DOC_NUMBER = re.compile(r"《([^《》]+)》(?:\s*[（(])?([^（()）《》]*?[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d+\s*号)")

_VALUE_IN_NAME = re.compile(r"(?<!\d)\d+(?:\.\d+)?\s*(?:次|个|家|人|人次|场|项|天|元|万元|亿元|%|％|单|份|册)$")
_CHOOSE_ONE = re.compile(r"^[\u4e00-\u9fff]+(?:[/／|][\u4e00-\u9fff]+)+$")
_GRADE_WORDS = frozenset({"显著", "较显著", "明显", "良好", "较好", "显著提高", "有所提高", "有效"})

# 三级指标 name words → unit families that make sense for them.
_MONEY_WORDS = ("金额", "资金", "经费", "费用", "成本", "投资", "融资")
_PEOPLE_WORDS = ("人数", "人次", "人员")
_TIME_WORDS = ("时限", "时效", "天数", "周期")
_RATE_WORDS = ("率", "满意度", "占比", "比例", "比重")


def _is_placeholder(text: str) -> bool:
    t = normalize_label(text).lower()
    return t in PLACEHOLDERS or bool(_PLACEHOLDER_PATTERNS.match(t))


def _at(ind: Indicator, key: str) -> str:
    return ind.cells.get(key, ind.source.cell if ind.source else "")


def _sheet(ind: Indicator) -> str:
    return ind.source.sheet if ind.source else "绩效指标"


def check_levels(indicators: Sequence[Indicator], tree: IndicatorTree) -> Iterator[Finding]:
    """一级/二级 names that are not names of ``tree``.

    Runs after ``read/normalise.py``: clear variants are the tree's names by then, so what is left
    here is a number, an unknown name, or a 二级 filed under another 一级.
    """
    for ind in indicators:
        sheet = _sheet(ind)
        if _NUMBER_ONLY.match(normalize_label(ind.level1)):
            yield F.make("number-as-name", sheet, _at(ind, "level1"), "一级指标", ind.level1,
                         f"一级指标处填了数字“{ind.level1}”", "一级指标应为产出指标、效益指标或满意度指标")
            continue
        level1, _ = normalize_level(ind.level1, tree.level1_names)
        if level1 is None:
            yield F.make("level1-unknown", sheet, _at(ind, "level1"), "一级指标", ind.level1,
                         f"一级指标“{ind.level1}”不在指标体系（{tree.name}）中",
                         "可选：" + "、".join(tree.level1_names))
            continue
        level2, _ = normalize_level(ind.level2, tree.levels[level1])
        if level2 is not None:
            continue
        other_name, _ = normalize_level(ind.level2, tree.level2_names)
        if other_name is not None:
            yield F.make("level2-parent", sheet, _at(ind, "level2"), "二级指标", ind.level2,
                         f"二级指标“{ind.level2}”属于“{tree.parent_of(other_name)}”，不属于“{level1}”",
                         f"“{level1}”下可选：" + "、".join(tree.levels[level1]))
        else:
            yield F.make("level2-unknown", sheet, _at(ind, "level2"), "二级指标", ind.level2,
                         f"二级指标“{ind.level2}”不在指标体系（{tree.name}）中",
                         f"“{level1}”下可选：" + "、".join(tree.levels[level1]))


def check_values(indicators: Sequence[Indicator]) -> Iterator[Finding]:
    """Placeholders, numbers as names, units, rates above 100% (one indicator at a time)."""
    for ind in indicators:
        sheet = _sheet(ind)
        for key, header, text in (("level3", "三级指标", ind.level3),
                                  ("description", "绩效指标描述", ind.description),
                                  ("target", "指标值", ind.target.raw)):
            if text and _is_placeholder(text):
                yield F.make("placeholder", sheet, _at(ind, key), header, text,
                             f"{header}仍是占位文字“{text}”", f"请填写实际的{header}")
        if _VALUE_IN_NAME.search(ind.level3) and not _NUMBER_ONLY.match(normalize_label(ind.level3)):
            yield F.make("value-in-name", sheet, _at(ind, "level3"), "三级指标", ind.level3,
                         f"三级指标“{ind.level3}”的名称末尾带有数值", "名称只写指标内容，数值写在“指标值”列")
        if ind.level3.rstrip().endswith(("。", "，", "、", "；", ".", ",")):
            yield F.make("name-punctuation", sheet, _at(ind, "level3"), "三级指标", ind.level3,
                         f"三级指标“{ind.level3}”末尾有标点", "删除末尾的标点")
        if _CHOOSE_ONE.match(normalize_label(ind.target.raw)):
            yield F.make("choose-one", sheet, _at(ind, "target"), "指标值", ind.target.raw,
                         f"指标值“{ind.target.raw}”给出了多个备选，像是模板中的示例未替换",
                         "只保留一个确定的指标值")
        if ind.level2 == "时效指标" and normalize_label(ind.target.raw) in _GRADE_WORDS:
            yield F.make("timeliness-not-time", sheet, _at(ind, "target"), "指标值", ind.target.raw,
                         f"时效指标“{ind.level3}”的指标值“{ind.target.raw}”是程度词，不是时限",
                         "时效指标应填写时限，如 12月底前、≤30天、及时")
        elif ind.level2 == "时效指标" and ind.target.unit == "%":
            # A rate under 时效: the classification is what is wrong, not the value.
            yield F.make("timeliness-not-time", sheet, _at(ind, "level2"), "二级指标", ind.level2,
                         f"“{ind.level3}”的指标值 {ind.target.raw} 是比率，不是时限，不宜归入时效指标",
                         "比率类指标（如资金拨付率）请归入质量指标")
        if _NUMBER_ONLY.match(normalize_label(ind.level3)):
            yield F.make("number-as-name", sheet, _at(ind, "level3"), "三级指标", ind.level3,
                         f"三级指标处填了数字“{ind.level3}”，这里应是指标名称",
                         "请填写指标名称（如“资助金额”），数字放在指标值中")
        target = ind.target
        if target.kind == "qualitative" and ind.level2 in ("数量指标", "成本指标"):
            yield F.make("qualitative-on-quantity", sheet, _at(ind, "target"), "指标值", target.raw,
                         f"{ind.level2}“{ind.level3}”的指标值“{target.raw}”是定性描述，无法量化考核",
                         "数量/成本指标宜填写数值和单位，如 ≥30单、≤5万元")
        if target.kind != "quantitative" or target.number is None:
            continue
        if target.unit == "%" and target.number > 100:
            yield F.make("rate-above-100", sheet, _at(ind, "target"), "指标值", target.raw,
                         f"比率指标“{ind.level3}”的目标 {target.raw} 超过 100%", "请核对目标值")
        if not target.unit:
            yield F.make("missing-unit", sheet, _at(ind, "target"), "指标值", target.raw,
                         f"指标值“{target.raw}”没有单位", "请加上单位，如 %、家、次、万元")
            continue
        yield from _unit_vs_name(ind, sheet)


def _unit_vs_name(ind: Indicator, sheet: str) -> Iterator[Finding]:
    """A unit that contradicts the 三级 name (金额 counted in 人, 人数 in 万元, 时限 in 万元)."""
    family = unit_factor(ind.target.unit)[0]
    name = ind.level3
    money = family.startswith("money")
    timed = family in ("time-day", "time-month")
    expected: str | None = None
    # The most specific word decides: "资金下达时效" is about time, not money.
    if any(w in name for w in _TIME_WORDS):
        expected = "时间单位（天、月）" if money else None
    elif any(w in name for w in _RATE_WORDS):
        expected = None  # rates and satisfaction may be % or counts; too varied to judge
    elif any(w in name for w in _PEOPLE_WORDS):
        expected = "人数单位（人、人次）" if money or timed else None
    elif any(w in name for w in _MONEY_WORDS):
        expected = "金额单位（万元、元）" if family in ("人", "人次") or timed else None
    if expected:
        yield F.make("unit-mismatch", sheet, _at(ind, "target"), "指标值", ind.target.raw,
                     f"三级指标“{name}”的指标值单位“{ind.target.unit}”与指标名称不符",
                     f"应使用{expected}")


def check_structure(project: str, indicators: Sequence[Indicator], tree: IndicatorTree,
                    sheet: str, cell: str) -> Iterator[Finding]:
    """Every project has 产出, 效益 and 满意度 indicators; no indicator twice with two values.

    A missing 一级 is a 警告 in both workbook kinds: the national rules expect the three kinds,
    but a project may lack one for a stated reason (seed 000: a membership fee "不涉及…效益指标"),
    and a self-evaluation can only score the targets its budget set.
    """
    if not indicators:
        yield F.make("no-indicators", sheet, cell, "项目名称", project,
                     f"项目“{project}”没有绩效指标", "请在“绩效指标”表为该项目填写指标")
        return
    present = {i.level1 for i in indicators}
    for level1 in ("产出指标", "效益指标", "满意度指标"):
        if level1 in tree.levels and level1 not in present:
            yield F.make("missing-level1", sheet, cell, "项目名称", project,
                         f"项目“{project}”缺少{level1}",
                         f"每个项目通常至少设一个{level1}；确实不涉及时请在项目文字中说明原因")
    seen: dict[str, Indicator] = {}
    for ind in indicators:
        # Same 二级, 三级 and description: the same indicator (a different description makes
        # a different indicator, e.g. 补助标准 for 省级 and 市级 platforms).
        key = "|".join(normalize_label(x) for x in (ind.level2, ind.level3, ind.description))
        first = seen.get(key)
        if first is None:
            seen[key] = ind
        elif normalize_label(first.target.raw) != normalize_label(ind.target.raw):
            where = "description" if ind.description else "level3"
            yield F.make("duplicate-indicator", _sheet(ind), _at(ind, where),
                         "绩效指标描述" if ind.description else "三级指标", ind.level3,
                         f"指标“{ind.level3}”重复出现，指标值不同（{first.target.raw} 与 {ind.target.raw}，"
                         f"另见 {_at(first, where)}）", "保留一个指标，或改为不同的指标名称/描述")


def _years(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(_CITATION.sub("", text))]


def check_years(indicators: Sequence[Indicator], year: int) -> Iterator[Finding]:
    """Years in 描述/依据 differing from the budget year; years climbing row by row (drag-fill)."""
    for key, header in (("description", "绩效指标描述"), ("basis", "指标值确定依据")):
        series: list[tuple[Indicator, int]] = []
        for ind in indicators:
            text = ind.description if key == "description" else ind.basis
            years = _years(text)
            if years:
                series.append((ind, years[0]))
        dragged = _drag_filled(series)
        for ind, found in series:
            sheet = _sheet(ind)
            if id(ind) in dragged:
                yield F.make("year-drag-fill", sheet, _at(ind, key), header, found,
                             f"{header}中的年份逐行递增（{found}年），疑似在 Excel 中下拉填充造成",
                             f"请把年份改为 {year}")
            elif key == "basis" and found > year:
                yield F.make("year-mismatch", sheet, _at(ind, key), header, found,
                             f"{header}写的是 {found} 年，晚于预算年度 {year} 年", f"请核对年份（应不晚于 {year}）")
            elif found not in (year, year - 1) and key == "description":
                yield F.make("year-mismatch", sheet, _at(ind, key), header, found,
                             f"{header}写的是 {found} 年，与预算年度 {year} 不一致", "请核对年份")
            elif found == year - 1 and key == "description":
                yield F.make("year-mismatch", sheet, _at(ind, key), header, found,
                             f"{header}写的是上一年（{found} 年），预算年度是 {year} 年",
                             "如果指标是本年度目标，请改为本年度")


def _drag_filled(series: Sequence[tuple[Indicator, int]]) -> set[int]:
    """Ids of indicators in a run of ≥3 consecutive rows whose year rises by exactly 1."""
    out: set[int] = set()
    run: list[tuple[Indicator, int]] = []
    for item in series:
        if run and item[1] == run[-1][1] + 1:
            run.append(item)
        else:
            if len(run) >= 3:
                out.update(id(i) for i, _ in run[1:])
            run = [item]
    if len(run) >= 3:
        out.update(id(i) for i, _ in run[1:])
    return out


_TITLE = re.compile(r"《([^《》]{6,})》")
_VERSION = re.compile(r"[（(][^（()）]*[）)]")
_DIGITS = re.compile(r"\d+")

# Similar titles are found by indexing, not by comparing every pair (5,000 projects each citing
# its own 《…》 took more than two minutes). Candidates share one of their rarest character pairs
# ("prefix filtering"): two titles with SequenceMatcher ratio ≥ 0.9 share at least
# 0.35 × (len a + len b) − 1 character pairs, so each title need only be indexed under its
# rarest len − that many. The caps bound the work on hostile input (thousands of titles made of
# the same few characters); on real workbooks they are never reached.
SIMILAR = 0.9
MAX_TITLE_CHARS = 100  # longer "titles" are sentences in 《》, not document names
_MAX_POSTING = 64  # a character pair in more titles than this says nothing about a given pair
_MAX_CANDIDATES = 16  # comparisons per title


def _family(title: str) -> str:
    """Titles differing only in numbers or a version note ("（修订）", "2021年" / "2022年") are
    different documents of one family, never a slip."""
    return _DIGITS.sub("", _VERSION.sub("", title))


def _pairs_tokens(text: str) -> list[tuple[str, int]]:
    """Character pairs, numbered by occurrence so that repeats count (a multiset as a set)."""
    seen: dict[str, int] = {}
    out = []
    for i in range(len(text) - 1):
        pair = text[i:i + 2]
        seen[pair] = seen.get(pair, 0) + 1
        out.append((pair, seen[pair]))
    return out


def similar_pairs(texts: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Index pairs (i, j), i < j, of ``texts`` whose similarity ratio is at least ``SIMILAR``.

    At most ``_MAX_CANDIDATES`` comparisons per text, whatever the input.
    """
    tokens = [_pairs_tokens(t) for t in texts]
    frequency = Counter(tok for toks in tokens for tok in toks)
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    for j, text in enumerate(texts):
        ordered = sorted(tokens[j], key=lambda tok: (frequency[tok], tok))
        needed = int(0.63 * len(text) - 1)  # ≤ the shared pairs of any partner (see above)
        prefix = ordered[:max(len(ordered) - needed + 1, 1)]
        candidates: dict[int, None] = {}
        for tok in prefix:
            posting = index[tok]
            if len(posting) <= _MAX_POSTING:
                for i in posting:
                    if len(candidates) < _MAX_CANDIDATES:
                        candidates[i] = None
            posting.append(j)
        for i in sorted(candidates):
            shorter, longer = sorted((len(texts[i]), len(text)))
            if 2 * shorter >= SIMILAR * (shorter + longer) and SequenceMatcher(None, texts[i], text).ratio() >= SIMILAR:
                yield i, j


def check_title_variants(indicators: Sequence[Indicator]) -> Iterator[Finding]:
    """Nearly the same 《title》 written two ways (a word added or dropped): report the rarer one."""
    where: dict[str, list[Indicator]] = {}
    for ind in indicators:
        for title in dict.fromkeys(_TITLE.findall(ind.basis)):
            if len(title) <= MAX_TITLE_CHARS:
                where.setdefault(title, []).append(ind)
    families: dict[str, list[str]] = {}
    for title in where:
        families.setdefault(_family(title), []).append(title)
    cited = {key: sum(len(where[t]) for t in titles) for key, titles in families.items()}
    keys = sorted(families, key=lambda k: -cited[k])  # stable: ties keep the first cited first
    for i, j in similar_pairs(keys):
        common = max(families[keys[i]], key=lambda t: len(where[t]))
        for rare in families[keys[j]]:
            for ind in where[rare]:
                yield F.make("doc-number-variant", _sheet(ind), _at(ind, "basis"), "指标值确定依据", rare,
                             f"文件名《{rare}》与别处引用的《{common}》只差几个字，疑似同一文件写法不一",
                             f"如为同一文件，请统一为《{common}》")


def check_doc_numbers(indicators: Sequence[Indicator]) -> Iterator[Finding]:
    """One policy cited two ways: the same 《…》 with two 文号, or one 文号 with two titles."""
    first: dict[str, tuple[str, Indicator]] = {}
    titles: dict[str, tuple[str, Indicator]] = {}
    reported: set[tuple[str, str]] = set()
    for ind in indicators:
        for title, number in _DOC_NUMBER.findall(ind.basis):
            number = number.strip()
            norm = re.sub(r"[\s〔〕\[\]［］()（）]", "", number)
            known_title = titles.setdefault(norm, (title, ind))
            if known_title[0] != title and (known_title[0], title) not in reported:
                reported.add((known_title[0], title))
                yield F.make("doc-number-variant", _sheet(ind), _at(ind, "basis"), "指标值确定依据", title,
                             f"文号“{number.strip()}”在这里写作《{title}》，而 {_at(known_title[1], 'basis')} "
                             f"写作《{known_title[0]}》", "同一文件请统一名称")
            if title not in first:
                first[title] = (norm, ind)
                continue
            known, where = first[title]
            if norm != known and (title, norm) not in reported:
                reported.add((title, norm))
                yield F.make("doc-number-variant", _sheet(ind), _at(ind, "basis"), "指标值确定依据",
                             number, f"《{title}》的文号写作“{number.strip()}”，"
                             f"而 {_at(where, 'basis')} 写作“{known}”", "请统一为正确的文号")
