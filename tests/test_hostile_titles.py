"""Title variants (one 《document》 cited two ways) are found by indexing, not by comparing every
pair: the work is bounded by comparisons per title, counted here, and the answer on small inputs is
exactly the all-pairs answer."""

from __future__ import annotations

import itertools
import random
from difflib import SequenceMatcher
from typing import Any

import pytest

from generator.model import Indicator, Source
from generator.model.values import IndicatorValue
from generator.validate import indicators as I

CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def _indicator(basis: str, row: int) -> Indicator:
    return Indicator("P1", "项目", "产出指标", "数量指标", "企业数", "", IndicatorValue(raw="10家", kind="text"),
                     basis=basis, source=Source("绩效指标", f"H{row}"), cells={"basis": f"H{row}"})


class _Counting:
    """SequenceMatcher that counts its ratio() calls."""

    calls = 0

    def __init__(self, *args: Any) -> None:
        self._inner = SequenceMatcher(*args)

    def ratio(self) -> float:
        _Counting.calls += 1
        return self._inner.ratio()


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> type[_Counting]:
    _Counting.calls = 0
    monkeypatch.setattr(I, "SequenceMatcher", _Counting)
    return _Counting


def _names(n: int, rng: random.Random) -> list[str]:
    return ["".join(rng.choice(CJK) for _ in range(4)) for _ in range(n)]


def test_5000_projects_each_citing_its_own_plan_take_few_comparisons_and_find_the_one_slip(
        counted: type[_Counting]) -> None:
    rng = random.Random(5000)
    inds = [_indicator(f"《合成市{name}产业发展实施方案》", i + 2) for i, name in enumerate(_names(5000, rng))]
    # One real slip: a word dropped from a document cited three times elsewhere.
    inds += [_indicator("《合成市科技计划项目资金管理办法》", 6000 + i) for i in range(3)]
    inds.append(_indicator("《合成市科技项目资金管理办法》", 7000))
    found = list(I.check_title_variants(inds))
    assert [(f.cell, f.value) for f in found] == [("H7000", "合成市科技项目资金管理办法")]
    assert counted.calls <= 5 * len(inds)  # all pairs would be 12.5 million


def test_titles_numbered_by_project_are_different_documents_not_slips(counted: type[_Counting]) -> None:
    inds = [_indicator(f"《科技项目{i:05d}实施方案》", i + 2) for i in range(5000)]
    inds += [_indicator(f"《{year}年科技工作要点》", 9000 + year) for year in (2020, 2021)]
    assert list(I.check_title_variants(inds)) == []
    assert counted.calls == 0  # one family each: nothing to compare


def test_hostile_titles_of_the_same_few_characters_stay_within_the_comparison_cap(
        counted: type[_Counting]) -> None:
    rng = random.Random(7)
    alphabet = CJK[:20]
    titles = {"".join(rng.sample(alphabet, 20)) for _ in range(3000)}
    inds = [_indicator(f"《{t}》", i + 2) for i, t in enumerate(sorted(titles))]
    list(I.check_title_variants(inds))
    assert counted.calls <= I._MAX_CANDIDATES * len(inds)


def test_a_title_of_a_hundred_thousand_characters_is_not_compared() -> None:
    long = "《" + "科技" * 50_000 + "》"
    inds = [_indicator(long, 2), _indicator(long.replace("科技", "科学", 1), 3)]
    assert list(I.check_title_variants(inds)) == []


def test_the_index_finds_exactly_the_pairs_all_pairs_comparison_finds() -> None:
    rng = random.Random(11)
    alphabet = CJK[:12]
    for _ in range(300):
        base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(6, 30))) for _ in range(4)]
        texts = list(base)
        while len(texts) < 12:  # variants: a few characters inserted, dropped or changed
            t = list(rng.choice(texts))
            for _ in range(rng.randint(1, 3)):
                k = rng.randrange(len(t))
                op = rng.choice("idc")
                if op == "i":
                    t.insert(k, rng.choice(alphabet))
                elif op == "d" and len(t) > 6:
                    del t[k]
                else:
                    t[k] = rng.choice(alphabet)
            texts.append("".join(t))
        texts = list(dict.fromkeys(texts))
        expected = {(i, j) for i, j in itertools.combinations(range(len(texts)), 2)
                    if SequenceMatcher(None, texts[i], texts[j]).ratio() >= I.SIMILAR}
        assert set(I.similar_pairs(texts)) == expected, texts
