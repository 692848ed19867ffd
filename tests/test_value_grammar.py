"""docs/values.md is the value grammar: every table row is a test, and the parser's lists equal the doc's.

Each table of the document is marked ``<!-- grammar: NAME -->``; the tests below read the rows
out of the document, so the document and the parser cannot drift apart: an example that stops
reading as documented fails, and a word added to (or dropped from) a parser list without the
document fails too. A property test then generates values from the documented forms and parses
them back.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compute.scoring import (
    DEFAULT_QUALITATIVE_BANDS,
    DEFAULT_RULES,
    ON_TIME_WORDS,
    QualitativeBand,
    round_score,
    score_indicator,
    word_for_figure,
)
from generator.model import Indicator
from generator.model.indicator_tree import EQUIVALENT_LEVEL2, PRESETS
from generator.model.text import normalize_text
from generator.model.units import COUNT_UNITS, MAGNITUDES, UNIT_ALIASES, UNIT_FAMILIES, canonical_unit, unit_factor
from generator.model.values import (
    COMPARATOR_SIGNS,
    COST_LEVELS,
    HANDLING_WORDS,
    LOWER_IS_BETTER_EVENTS,
    LOWER_IS_BETTER_RATES,
    direction_of,
    plain_number,
    value_phrase,
)
from generator.read import values as V
from generator.read.normalise import normalise_levels
from generator.read.values import ValueParseError, describe, parse_actual, parse_indicator_value
from generator.validate.findings import Finding
from generator.validate.indicators import check_levels

DOC = Path(__file__).resolve().parent.parent / "docs" / "values.md"
_MARKER = re.compile(r"<!-- grammar: ([a-z0-9-]+) -->")


def _cell(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == "`" else text


def _tables() -> dict[str, list[dict[str, str]]]:
    """Every marked table: name -> rows (header -> cell, backticks around a cell removed)."""
    tables: dict[str, list[dict[str, str]]] = {}
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = _MARKER.fullmatch(line.strip())
        if not m:
            continue
        header = [_cell(c) for c in lines[i + 1].strip().strip("|").split("|")]
        rows = []
        for row_line in lines[i + 3:]:
            if not row_line.startswith("|"):
                break
            cells = [_cell(c) for c in row_line.strip().strip("|").split("|")]
            assert len(cells) == len(header), f"{m.group(1)}: {row_line}"
            rows.append(dict(zip(header, cells, strict=True)))
        assert rows, f"table {m.group(1)} has no rows"
        tables[m.group(1)] = rows
    return tables


TABLES = _tables()


def rows(name: str) -> list[dict[str, str]]:
    return TABLES[name]


def words(cell: str) -> list[str]:
    """A cell listing words separated by spaces or 、."""
    return [w for w in re.split(r"[\s、]+", cell) if w]


def reading(text: str, actual: bool = False) -> str:
    """How the parser reads ``text``, in the notation of docs/values.md."""
    try:
        return describe(parse_actual(text) if actual else parse_indicator_value(text))
    except ValueParseError:
        return "错误"


def ids(name: str, key: str) -> list[str]:
    return [row[key] for row in rows(name)]


# ---------------------------------------------------------------------------
# The document is tested as a whole
# ---------------------------------------------------------------------------

TESTED_TABLES = {
    "notation", "comparators", "comparator-forms", "lead-words", "numbers", "ranges", "unit-families",
    "unit-counts", "unit-aliases", "unit-magnitudes", "unit-examples", "unit-comparisons", "deadlines",
    "deadline-words", "deadline-parts", "qualitative-words", "qualitative-endings", "qualitative-examples",
    "bands", "mismatches", "on-time-words", "text", "errors", "direction-words", "directions", "phrases",
    "equivalent-level2", "tree", "limits",
}  # fmt: skip


def test_every_table_of_the_document_has_a_test() -> None:
    assert set(TABLES) == TESTED_TABLES


def test_every_reading_of_the_notation_is_produced_by_some_example() -> None:
    produced = {row.get("读作", "") for table in TABLES.values() for row in table}
    for row in rows("notation"):
        for shown in re.split(r"`? / `?", row["读作"]):
            assert shown in produced, shown


# ---------------------------------------------------------------------------
# 一、比较符
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("row", rows("comparators"), ids=ids("comparators", "例"))
def test_each_documented_comparator_form_reads_as_documented(row: dict[str, str]) -> None:
    assert row["写法"] in row["例"]
    assert reading(row["例"]) == row["读作"]
    table = V.PREFIX_COMPARATORS if row["位置"] == "前" else V.SUFFIX_COMPARATORS
    assert COMPARATOR_SIGNS[table[normalize_text(row["写法"])]] == row["方向"]


def test_the_parser_knows_exactly_the_documented_comparators() -> None:
    doc = rows("comparators")
    prefixes = {normalize_text(r["写法"]) for r in doc if r["位置"] == "前"}
    suffixes = {normalize_text(r["写法"]) for r in doc if r["位置"] == "后"}
    assert prefixes == set(V.PREFIX_COMPARATORS)
    assert suffixes == set(V.SUFFIX_COMPARATORS)


@pytest.mark.parametrize("row", rows("comparator-forms"), ids=ids("comparator-forms", "例"))
def test_each_documented_comparator_variant_reads_as_documented(row: dict[str, str]) -> None:
    assert reading(row["例"]) == row["读作"]


def test_the_parser_knows_exactly_the_documented_lead_words_and_marks() -> None:
    doc = {row["类别"]: words(row["写法"]) for row in rows("lead-words")}
    assert doc == {
        "数字前的说明词（不影响比较）": list(V.LEAD_WORDS),
        "重复“包含本数”的标记": list(V.INCLUSIVE_MARKS),
        "数字后表示“至少”的词": list(V.APPROX_MARKS),
    }


# ---------------------------------------------------------------------------
# 二、数字 / 三、区间 / 五、时限 / 六、定性 / 九、文字
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [*rows("numbers"), *rows("ranges"), *rows("deadlines"), *rows("qualitative-examples"), *rows("text")],
    ids=[*ids("numbers", "例"), *ids("ranges", "例"), *ids("deadlines", "例"), *ids("qualitative-examples", "例"),
         *ids("text", "例")],
)  # fmt: skip
def test_each_documented_example_reads_as_documented(row: dict[str, str]) -> None:
    assert reading(row["例"]) == row["读作"]
    assert reading(row["例"], actual=True) == row["读作"]  # actuals share the grammar


def test_every_range_separator_lead_and_ending_is_documented() -> None:
    examples = " ".join(normalize_text(r["例"]) for r in rows("ranges"))
    for word in (*V.RANGE_SEPARATORS, *V.RANGE_LEADS, *V.RANGE_ENDINGS):
        assert word in examples, word


@pytest.mark.parametrize("row", rows("errors"), ids=ids("errors", "例"))
def test_each_documented_refusal_is_refused(row: dict[str, str]) -> None:
    with pytest.raises(ValueParseError):
        parse_indicator_value(row["例"])


def test_the_parser_knows_exactly_the_documented_deadline_words() -> None:
    doc = {row["期限"]: set(words(row["写法"])) for row in rows("deadline-words")}
    assert doc == {"12月": set(V.YEAR_END_WORDS), "6月": set(V.HALF_YEAR_WORDS)}
    for month, listed in doc.items():
        for word in listed:
            assert reading(word) == f"期限 {month}", word


def test_the_parser_knows_exactly_the_documented_deadline_parts() -> None:
    doc = {row["类别"]: words(row["写法"]) for row in rows("deadline-parts")}
    assert doc == {
        "日期前的词": list(V.DEADLINE_LEADS),
        "日期后的词": list(V.DEADLINE_ENDINGS),
        "再后面的动词": list(V.DEADLINE_VERBS),
        "月中的时段": list(V.MONTH_PARTS),
    }


def test_the_parser_knows_exactly_the_documented_qualitative_words() -> None:
    (row,) = rows("qualitative-words")
    documented = words(row["定性词"])
    assert len(documented) == len(set(documented))
    assert set(documented) == V.qualitative_words()
    for word in documented:
        assert reading(word) == "定性", word


def test_the_parser_knows_exactly_the_documented_qualitative_endings() -> None:
    (row,) = rows("qualitative-endings")
    assert words(row["结尾"]) == list(V.QUALITATIVE_ENDINGS)
    for ending in V.QUALITATIVE_ENDINGS:
        assert reading(f"服务水平{ending}") == "定性"


def _limits() -> dict[str, str]:
    return {row["限制"]: row["值"] for row in rows("limits")}


def test_the_documented_limits_are_the_parser_limits() -> None:
    limits = list(_limits().values())
    assert [int(x) for x in limits[:3]] == [V.MAX_VALUE_CHARS, V.MAX_UNIT_CHARS, V.QUALITATIVE_MAX_CHARS]
    assert set(limits[3]) == set(V.NOT_IN_UNIT_CHARS)
    assert words(limits[4]) == list(V.NOT_IN_UNIT_WORDS)


def test_a_value_up_to_the_longest_length_is_read_and_one_longer_is_text() -> None:
    longest = "1." + "1" * (V.MAX_VALUE_CHARS - 3) + "家"
    assert reading(longest).startswith("? 1.1")
    assert reading(longest[:2] + "1" + longest[2:]) == "文字"


def test_a_unit_up_to_the_longest_length_is_read_and_one_longer_is_text() -> None:
    unit = "平" * V.MAX_UNIT_CHARS
    assert reading(f"≥3{unit}") == f"≥ 3 {unit}"
    assert reading(f"≥3{unit}平") == "文字"


def test_a_qualitative_phrase_up_to_the_longest_length_is_read_and_one_longer_is_text() -> None:
    phrase = "服" * (V.QUALITATIVE_MAX_CHARS - 2) + "提高"
    assert reading(phrase) == "定性"
    assert reading("服" + phrase) == "文字"


@pytest.mark.parametrize("forbidden", [*V.NOT_IN_UNIT_CHARS, *V.NOT_IN_UNIT_WORDS])
def test_a_unit_holding_a_forbidden_character_or_word_makes_the_value_text(forbidden: str) -> None:
    assert reading(f"≥30家{forbidden}企") == "文字"


# ---------------------------------------------------------------------------
# 四、单位
# ---------------------------------------------------------------------------


def _factors(cell: str) -> dict[str, Decimal]:
    out = {}
    for item in words(cell):
        unit, _, factor = item.rpartition("=")
        out[unit] = Decimal(factor)
    return out


def test_the_unit_families_are_exactly_the_documented_ones() -> None:
    doc = {row["类别"]: _factors(row["单位"]) for row in rows("unit-families")}
    assert doc == UNIT_FAMILIES
    for family, units in doc.items():
        for unit, factor in units.items():
            assert unit_factor(unit) == (family, factor)


def test_the_count_units_are_exactly_the_documented_ones_each_its_own_family() -> None:
    (row,) = rows("unit-counts")
    documented = words(row["计数单位"])
    assert len(documented) == len(set(documented))
    assert set(documented) == COUNT_UNITS
    for unit in documented:
        assert unit_factor(unit) == (unit, Decimal(1))


@pytest.mark.parametrize("row", rows("unit-aliases"), ids=ids("unit-aliases", "写法"))
def test_each_documented_unit_alias_is_folded(row: dict[str, str]) -> None:
    assert canonical_unit(row["写法"]) == row["按"]
    assert unit_factor(row["写法"]) == unit_factor(row["按"])


def test_the_unit_aliases_are_exactly_the_documented_ones() -> None:
    assert {row["写法"]: row["按"] for row in rows("unit-aliases")} == UNIT_ALIASES


def _family(cell: str) -> str:
    return "" if cell == "(无)" else cell


@pytest.mark.parametrize("row", rows("unit-magnitudes"), ids=ids("unit-magnitudes", "例"))
def test_each_documented_magnitude_multiplies_its_unit(row: dict[str, str]) -> None:
    assert MAGNITUDES[row["倍数"]] == Decimal(row["乘以"])
    assert unit_factor(row["例"]) == (_family(row["类别"]), Decimal(row["换算"]))


def test_the_magnitudes_are_exactly_the_documented_ones() -> None:
    assert {row["倍数"]: Decimal(row["乘以"]) for row in rows("unit-magnitudes")} == MAGNITUDES


@pytest.mark.parametrize("row", rows("unit-examples"), ids=ids("unit-examples", "单位"))
def test_each_documented_unit_example_has_its_family_and_factor(row: dict[str, str]) -> None:
    assert unit_factor(_family(row["单位"])) == (_family(row["类别"]), Decimal(row["换算"]))


W = Decimal(10)


def _compared(target: str, actual: str) -> tuple[str, str]:
    result = score_indicator(parse_indicator_value(target), parse_actual(actual), W)
    if result.compared is None:
        return "无法比较", plain_number(round_score(result.score))
    c = result.compared
    shown = (f"{COMPARATOR_SIGNS[c.comparator]} {plain_number(c.target)} {c.unit} 与 "
             f"{plain_number(c.actual)} {c.unit}")  # fmt: skip
    return shown, plain_number(round_score(result.score))


@pytest.mark.parametrize("row", rows("unit-comparisons"), ids=ids("unit-comparisons", "实际完成值"))
def test_each_documented_unit_comparison_compares_as_documented(row: dict[str, str]) -> None:
    assert _compared(row["年度指标值"], row["实际完成值"]) == (row["比较"], row["得分"])


# ---------------------------------------------------------------------------
# 七、评价档次 / 八、类型不一致
# ---------------------------------------------------------------------------


def _percent(text: str) -> Decimal:
    return Decimal(text.rstrip("%")) / 100


def _band_row(band: QualitativeBand) -> dict[str, str]:
    low, high = plain_number(band.low * 100), plain_number(band.high * 100)
    return {
        "档次": band.name,
        "得分范围": f"{low}%–{high}%" + ("" if band.high_inclusive else "（不含）"),
        "默认得分": f"{plain_number(band.default * 100)}%",
        "同义写法": "、".join(band.synonyms),
    }


def test_the_qualitative_bands_are_exactly_the_documented_ones() -> None:
    assert rows("bands") == [_band_row(b) for b in DEFAULT_QUALITATIVE_BANDS]


def test_every_band_synonym_parses_as_qualitative() -> None:
    for band in DEFAULT_QUALITATIVE_BANDS:
        for word in (band.name, *band.synonyms):
            assert reading(word, actual=True) == "定性", word


@pytest.mark.parametrize("row", rows("mismatches"), ids=[f"{r['年度指标值']}-{r['实际完成值']}" for r in rows("mismatches")])
def test_each_documented_mismatch_scores_as_documented(row: dict[str, str]) -> None:
    target, actual = parse_indicator_value(row["年度指标值"]), parse_actual(row["实际完成值"])
    result = score_indicator(target, actual, W)
    if row["得分（分值 10）"] == "无法评分":
        assert result.status == "无法评分"
    else:
        assert plain_number(round_score(result.score)) == row["得分（分值 10）"]
        assert result.status != "无法评分"
    low, high = row["范围"].split("–")
    assert (round_score(result.allowed_min), round_score(result.allowed_max)) == (Decimal(low), Decimal(high))
    assert (word_for_figure(target, actual, DEFAULT_RULES) is not None) == (row["警告"] == "是")


def test_the_on_time_words_are_exactly_the_documented_ones() -> None:
    (row,) = rows("on-time-words")
    assert set(words(row["对时限目标说明按期完成的词"])) == ON_TIME_WORDS


# ---------------------------------------------------------------------------
# 十、比较方向
# ---------------------------------------------------------------------------


def test_the_direction_words_are_exactly_the_documented_ones() -> None:
    doc = {row["类别"]: words(row["词"]) for row in rows("direction-words")}
    assert doc == {
        "越低越好的比率": list(LOWER_IS_BETTER_RATES),
        "越少越好的事件": list(LOWER_IS_BETTER_EVENTS),
        "处理类词": list(HANDLING_WORDS),
        "成本指标": list(COST_LEVELS),
    }


@pytest.mark.parametrize("row", rows("directions"), ids=[f"{r['三级指标']}-{r['指标值']}" for r in rows("directions")])
def test_each_documented_direction_is_the_reading(row: dict[str, str]) -> None:
    target = parse_indicator_value(row["指标值"])
    direction = direction_of(target, row["三级指标"], (row["一级指标"], row["二级指标"]))
    assert direction is not None
    expected, _, note = row["推定"].partition("（")
    assert COMPARATOR_SIGNS[direction.comparator] == expected
    assert direction.assumed == (note == "")


# ---------------------------------------------------------------------------
# 十一、句中的写法
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("row", rows("phrases"), ids=[f"{r['值']}-{r['年度指标值']}" for r in rows("phrases")])
def test_each_documented_phrase_is_how_the_value_reads_in_a_sentence(row: dict[str, str]) -> None:
    if row["年度指标值"]:
        shown = value_phrase(parse_actual(row["值"]), parse_indicator_value(row["年度指标值"]))
    else:
        shown = value_phrase(parse_indicator_value(row["值"]))
    assert shown == row["句中"]


# ---------------------------------------------------------------------------
# 十二、指标层级
# ---------------------------------------------------------------------------


def test_the_level2_equivalences_are_exactly_the_documented_ones() -> None:
    doc = {row["二级指标"]: tuple(words(row["另一体系中对应"])) for row in rows("equivalent-level2")}
    assert doc == EQUIVALENT_LEVEL2


def _level_findings(tree: str, level1: str, level2: str) -> tuple[Indicator, list[Finding]]:
    ind = Indicator("", "项目", level1, level2, "单位成本", "", parse_indicator_value("≤5万元"))
    tree_ = PRESETS[tree]
    return ind, [*normalise_levels([ind], tree_), *check_levels([ind], tree_)]


@pytest.mark.parametrize("row", rows("tree"), ids=[f"{r['所选体系']}-{r['一级指标']}-{r['二级指标']}" for r in rows("tree")])
def test_each_documented_level_reading_is_applied(row: dict[str, str]) -> None:
    ind, found = _level_findings(row["所选体系"], row["一级指标"], row["二级指标"])
    if row["读作"] == "错误":
        assert [f.is_error for f in found] == [True]
        return
    assert [f.code for f in found] == ["level-other-preset"]
    assert not found[0].is_error
    assert f"指标体系（{row['按哪套体系的归类']}）" in found[0].message
    assert f"{ind.level1}—{ind.level2}" == row["读作"]


# ---------------------------------------------------------------------------
# Property: values generated from the documented forms parse back
# ---------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
# Units whose bare "N unit" is also a deadline ("9月", "3季度", "2021年"): generated with a comparator only.
_DATE_UNITS = frozenset({"月", "季度", "年"})
_UNITS = sorted(
    {u for family in UNIT_FAMILIES.values() for u in family} | COUNT_UNITS | set(UNIT_ALIASES)
    | {f"万{u}" for u in ("人", "人次", "元", "亩", "家")} | {"", "万元/家", "元/人"}
)  # fmt: skip
_COMPARATOR_ROWS = rows("comparators")

numbers = st.decimals(min_value=0, max_value=Decimal("999999999"), places=3, allow_nan=False, allow_infinity=False)


def _grouped(text: str, comma: str) -> str:
    whole, dot, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return comma.join([whole, *groups]) + dot + frac


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    value = draw(numbers)
    text = plain_number(value)
    style = draw(st.sampled_from(["plain", "thousands", "fullwidth-thousands", "fullwidth"]))
    if style in ("thousands", "fullwidth-thousands") and value >= 1000:
        text = _grouped(text, ",")
    if style.startswith("fullwidth"):
        text = text.translate(_FULLWIDTH)
    return text, value


@st.composite
def quantities(draw: st.DrawFn) -> tuple[str, str, Decimal, str]:
    """(text, expected sign, number, canonical unit) built from the documented forms."""
    row = draw(st.sampled_from([*_COMPARATOR_ROWS, None]))
    written, value = draw(written_numbers())
    unit = draw(st.sampled_from(_UNITS))
    if unit in _DATE_UNITS and (row is None or row["位置"] == "后"):
        unit = "个月"
    space = draw(st.sampled_from(["", " ", "\u3000"]))
    if row is None:
        text, sign = f"{written}{space}{unit}", "?"
    elif row["位置"] == "前":
        text, sign = f"{row['写法']}{space}{written}{space}{unit}", row["方向"]
    else:
        text, sign = f"{written}{space}{unit}{row['写法']}", row["方向"]
    return text, sign, value, canonical_unit(unit)


@given(quantities())
def test_a_quantity_written_in_any_documented_form_parses_back(case: tuple[str, str, Decimal, str]) -> None:
    text, sign, value, unit = case
    assert reading(text) == f"{sign} {plain_number(value)} {unit}".rstrip()


@st.composite
def ranges(draw: st.DrawFn) -> tuple[str, Decimal, Decimal, str]:
    low_text, low = draw(written_numbers())
    high_text, high = draw(written_numbers())
    if low >= high:
        low_text, low, high_text, high = "0", Decimal(0), "1", Decimal(1)
    unit = draw(st.sampled_from(["%", "家", "万元", "天", ""]))
    separator = draw(st.sampled_from(V.RANGE_SEPARATORS))
    low_unit = draw(st.sampled_from(["", unit]))
    lead = draw(st.sampled_from(["", *V.RANGE_LEADS]))
    ending = draw(st.sampled_from(["", *V.RANGE_ENDINGS]))
    return f"{lead}{low_text}{low_unit}{separator}{high_text}{unit}{ending}", low, high, unit


@given(ranges())
def test_a_range_written_in_any_documented_form_parses_back(case: tuple[str, Decimal, Decimal, str]) -> None:
    text, low, high, unit = case
    assert reading(text) == f"{plain_number(low)} ~ {plain_number(high)} {unit}".rstrip()


_CN_MONTHS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


@st.composite
def deadlines(draw: st.DrawFn) -> tuple[str, str]:
    year = draw(st.one_of(st.none(), st.integers(min_value=1990, max_value=2099)))
    year_text = "" if year is None else f"{year}年"
    lead = draw(st.sampled_from(["", *V.DEADLINE_LEADS]))
    ending = draw(st.sampled_from(["", *V.DEADLINE_ENDINGS]))
    verb = draw(st.sampled_from(["", *V.DEADLINE_VERBS]))
    if draw(st.booleans()):
        month = draw(st.integers(min_value=1, max_value=12))
        month_text = draw(st.sampled_from([str(month), _CN_MONTHS[month - 1]]))
        part = draw(st.sampled_from(["", *V.MONTH_PARTS]))
        return f"{lead}{year_text}{month_text}月{part}{ending}{verb}", f"期限 {year_text}{month}月"
    quarter = draw(st.integers(min_value=1, max_value=4))
    quarter_text = draw(st.sampled_from([str(quarter), "一二三四"[quarter - 1]]))
    return f"{lead}{year_text}第{quarter_text}季度{ending}{verb}", f"期限 {year_text}第{quarter}季度"


@given(deadlines())
def test_a_deadline_written_in_any_documented_form_parses_back(case: tuple[str, str]) -> None:
    text, expected = case
    assert reading(text) == expected


# ---------------------------------------------------------------------------
# Long and hostile cells stay linear
# ---------------------------------------------------------------------------

HOSTILE = [
    "1" * 100_000,
    "1," * 50_000,
    "1-" * 50_000,
    "≥" * 100_000 + "1",
    "不低于" * 30_000,
    "1" + "万" * 100_000,
    "2021年" * 20_000,
    "(含)" * 25_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=[t[:8] for t in HOSTILE])
def test_a_long_hostile_cell_is_read_as_text_by_bounded_work(text: str) -> None:
    # Longer than MAX_VALUE_CHARS once spaces are removed: a sentence, never handed to the patterns.
    assert parse_indicator_value(text).kind == "text"
