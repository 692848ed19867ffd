"""The 一级/二级 indicator tree, shipped as data with two presets (DOMAIN.md §3).

``DEFAULT`` is the tree in force in most places and in the national indicator library.
``CENTRAL_2021`` follows the central-government guide recalled as 财预〔2021〕101号, which moves
成本指标 up to a 一级 of its own; it is unconfirmed, so it is a choice, never the default.

``normalize_level`` maps what real documents write (效果指标, "、满意度指标", 服务对象满意度) to
the preset's names and says whether it had to guess, so the validator can warn.
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
