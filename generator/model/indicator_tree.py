"""The 一级/二级 indicator tree, shipped as data with two presets (DOMAIN.md §3).

``DEFAULT`` is the tree in force in most places and in the national indicator library.
``CENTRAL_2021`` follows the central-government guide recalled as 财预〔2021〕101号, which moves
成本指标 up to a 一级 of its own; it is unconfirmed, so it is a choice, never the default.

``normalize_level`` maps what real documents write (效果指标, "、满意度指标", 服务对象满意度) to
the preset's names and says whether it had to guess, so the validator can warn.

``read_other_preset`` reads a row filed the way the *other* preset files it (provinces publish
财预2021 tables with 经济成本指标 under a merged 产出指标 cell, and old tables with 成本指标 under
产出指标): the row is placed where the chosen tree puts it, and the validator warns naming the preset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from generator.model.text import normalize_label

EXECUTION_LEVEL = "预算执行率"
EXECUTION_WEIGHT = 10  # 预算执行率 分值


@dataclass(frozen=True)
class IndicatorTree:
    name: str
    levels: dict[str, tuple[str, ...]]  # 一级 -> its 二级, in order
    weights: dict[str, int]  # default 分值 per 一级 (预算执行率 is scored separately: 10)

    @property
    def level1_names(self) -> tuple[str, ...]:
        return tuple(self.levels)

    @property
    def level2_names(self) -> tuple[str, ...]:
        return tuple(n for names in self.levels.values() for n in names)

    def scoring_weights(self) -> dict[str, Decimal]:
        """Default 分值 of 预算执行率 and of each 一级, as the scoring rules use them."""
        return {EXECUTION_LEVEL: Decimal(EXECUTION_WEIGHT), **{k: Decimal(v) for k, v in self.weights.items()}}

    def parent_of(self, level2: str) -> str | None:
        for l1, names in self.levels.items():
            if level2 in names:
                return l1
        return None


DEFAULT = IndicatorTree(
    "默认",
    {
        "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    {"产出指标": 50, "效益指标": 30, "满意度指标": 10},
)

CENTRAL_2021 = IndicatorTree(
    "财预2021",
    {
        "产出指标": ("数量指标", "质量指标", "时效指标"),
        "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    {"产出指标": 40, "成本指标": 10, "效益指标": 30, "满意度指标": 10},
)

PRESETS: dict[str, IndicatorTree] = {t.name: t for t in (DEFAULT, CENTRAL_2021)}

# 二级 names that exist in one preset only -> the names the other preset files the same indicator
# under (the first one is the reading). 成本指标 of the default tree is mostly money: 经济成本指标.
EQUIVALENT_LEVEL2: dict[str, tuple[str, ...]] = {
    "成本指标": ("经济成本指标",),
    "经济成本指标": ("成本指标",),
    "社会成本指标": ("成本指标",),
    "生态环境成本指标": ("成本指标",),
}


# Names seen in real documents that clearly mean a preset name.
_SYNONYMS: dict[str, str] = {
    "效果指标": "效益指标",
    "产出": "产出指标",
    "效益": "效益指标",
    "满意度": "满意度指标",
    "服务对象满意度": "服务对象满意度指标",
    "满意度指标服务对象满意度指标": "服务对象满意度指标",
    "社会效益": "社会效益指标",
    "经济效益": "经济效益指标",
    "生态效益": "生态效益指标",
    "环境效益指标": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "可持续发展指标": "可持续影响指标",
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
}

_PUNCT = re.compile(r"^[\s、，,。.:：;；\-—_·()（）]+|[\s、，,。.:：;；\-—_·()（）]+$")


def normalize_level(raw: str, allowed: tuple[str, ...]) -> tuple[str | None, bool]:
    """Return (name in ``allowed`` or None, changed?) for a typed 一级/二级 name.

    ``changed`` is True when the typed text was not exactly an allowed name but clearly meant
    one (stray punctuation, a known synonym): the caller warns and uses the normalised name.
    """
    text = normalize_label(raw)
    if text in allowed:
        return text, text != raw
    cleaned = _PUNCT.sub("", text)
    for candidate in (cleaned, _SYNONYMS.get(cleaned, ""), cleaned + "指标"):
        if candidate in allowed:
            return candidate, True
    return None, False


@dataclass(frozen=True)
class OtherPresetReading:
    """Where a row filed per another preset goes in the chosen tree."""

    level1: str
    level2: str
    preset: str  # the preset whose filing the row follows
    same_level2: bool  # False when the 二级 name itself was translated (成本指标 -> 经济成本指标)


def _translate(level1: str, level2: str, source: IndicatorTree, tree: IndicatorTree) -> tuple[str, str] | None:
    """The (一级, 二级) of ``tree`` that holds ``source``'s pair (level1, level2)."""
    if level2 in tree.levels.get(level1, ()):
        return level1, level2
    parent = tree.parent_of(level2)
    if parent is not None:
        return parent, level2
    for name in EQUIVALENT_LEVEL2.get(level2, ()):
        parent = tree.parent_of(name)
        if parent is not None:
            return parent, name
    return None


def _valid(level1: str, level2: str, tree: IndicatorTree) -> bool:
    l1 = normalize_level(level1, tree.level1_names)[0]
    return l1 is not None and normalize_level(level2, tree.levels[l1])[0] is not None


def read_other_preset(level1: str, level2: str, tree: IndicatorTree) -> OtherPresetReading | None:
    """Read a row that is not valid in ``tree`` but is filed the way another preset files it.

    The row's 二级 is translated into ``tree`` and into the other preset; the row is read when its
    一级 is the one either of them files the indicator under: 经济成本指标 under a merged 产出指标
    cell in a 财预2021 workbook (the 默认 filing), 成本指标 / 经济成本指标 in a 默认 workbook (the
    财预2021 filing), or a 财预2021 二级 name under the 默认 一级. ``None`` otherwise: the row is
    simply wrong (数量指标 under 效益指标), or valid in ``tree`` as it is.
    """
    if _valid(level1, level2, tree):
        return None
    for other in PRESETS.values():
        if other.name == tree.name:
            continue
        name = normalize_level(level2, tree.level2_names)[0] or normalize_level(level2, other.level2_names)[0]
        if name is None:
            continue
        source = tree if name in tree.level2_names else other
        parent = source.parent_of(name)
        assert parent is not None  # name is one of source's 二级
        here = _translate(parent, name, source, tree)
        there = _translate(parent, name, source, other)
        if here is None:
            continue
        typed_here = normalize_level(level1, tree.level1_names)[0]
        typed_there = normalize_level(level1, other.level1_names)[0]
        if typed_here == here[0] or (there is not None and typed_there == there[0]):
            return OtherPresetReading(here[0], here[1], other.name, here[1] == name)
    return None
