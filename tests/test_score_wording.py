"""The scoring explanations: facts from the engine, sentences from ``[score]`` of 自评表.toml.

Every phrase of the shipped ``[score]`` section is pinned here by the full text it words for one
case (so a fact landing in the wrong place of a sentence fails), editing a phrase in a copy of the
templates folder rewords the 自评表 and nothing else, and the engine stays free of the renderers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.compute.scoring import (
    DEFAULT_RULES,
    Explanation,
    Figure,
    Fixed,
    NegativeRule,
    Percent,
    Score,
    ScoringRules,
    Status,
    score_execution,
    score_indicator,
)
from generator.compute.selfeval import evaluate
from generator.compute.selfeval_report import build_report
from generator.model import SelfEvalWorkbook
from generator.read.reader import read_workbook
from generator.read.values import parse_actual, parse_indicator_value
from generator.render.docx_render import TemplateError
from generator.render.score_wording import SECTION, WORDING, explain, notes_of, say
from generator.render.selfeval_xlsx import render_selfeval_tables
from generator.render.wording import Wording, WordingError
from generator.resources import examples_dir, templates_dir
from generator.validate.scores import findings

ROOT = Path(__file__).resolve().parents[1]
W = Decimal(10)
RATIO = ScoringRules(negative_rule=NegativeRule.RATIO)
CLAMP = ScoringRules(clamp_user_scores=True)
BANDS = "达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差"


def _indicator(target: str, actual: str | None, weight: Decimal = W, rules: ScoringRules = DEFAULT_RULES,
               user: str | None = None, name: str = "") -> Score:
    parsed = parse_actual(actual) if actual is not None else None
    typed = Decimal(user) if user is not None else None
    return score_indicator(parse_indicator_value(target), parsed, weight, rules, typed, name=name)


def _execution(budget: str | None, executed: str | None) -> Score:
    return score_execution(None if budget is None else Decimal(budget),
                           None if executed is None else Decimal(executed), W)[1]


# (score, its explanation, its notes) -- one case per phrase at least; the texts are those the
# engine wrote before its wording moved to 自评表.toml.
CASES: list[tuple[str, Score, str, tuple[str, ...]]] = [
    ("positive-met", _indicator("≥30单", "33单"), "正向指标：实际 33 单 > 目标 30 单，得满分 10.00", ()),
    ("positive-below", _indicator("≥30单", "24单"), "正向指标：实际 24 单 < 目标 30 单，得分 = 10 × 24/30 = 8.00", ()),
    ("positive-negative-actual", _indicator("≥30单", "-3单"),
     "正向指标：实际 -3 单 < 目标 30 单，得分 = 10 × -3/30 = 0.00（实际为负数，按 0 计）", ()),
    ("positive-zero-target", _indicator("≥0单", "-2单"),
     "正向指标：实际 -2 单 < 目标 0 单，目标值为 0 单（非正数），无法按比例计分，未完成得 0 分", ()),
    ("negative-met", _indicator("≤180天", "150天"), "负向指标：实际 150 天 < 目标 180 天，得满分 10.00", ()),
    ("negative-linear", _indicator("≤180天", "200天"),
     "负向指标：实际 200 天 > 目标 180 天，得分 = 10 ×（1 −（200−180）/180）= 8.89", ()),
    ("negative-ratio", _indicator("≤180天", "200天", rules=RATIO),
     "负向指标（比值法）：实际 200 天 > 目标 180 天，得分 = 10 × 180/200 = 9.00", ()),
    ("negative-double", _indicator("≤180天", "400天"),
     "负向指标：实际 400 天 > 目标 180 天，达到目标的 2 倍（360 天）及以上，得分 0", ()),
    ("negative-zero-target", _indicator("≤0次", "2次"),
     "负向指标：实际 2 次 > 目标 0 次，目标值为 0 次，超出即不得分，得分 0", ()),
    ("range-met", _indicator("80%-90%", "85%"), "区间指标：实际 85% 在目标区间 80%–90% 内，得满分 10.00", ()),
    ("equal-below", _indicator("=4次", "3次"), "等值指标：实际 3 次 < 目标 4 次，得分 = 10 × 3/4 = 7.50", ()),
    ("over-achievement", _indicator("≥30单", "40单"), "正向指标：实际 40 单 > 目标 30 单，得满分 10.00",
     ("实际完成值 40 单 超出目标 30 单 33.33%，超过 20%，请在偏差原因中分析年度指标是否设定偏低",)),
    ("strict-equal", _indicator("＞80%", "80%"), "正向指标：实际 80% = 目标 80%，得满分 10.00",
     ("目标为“>80%”，实际恰好等于目标值，按完成计",)),
    ("target-without-unit", _indicator("≥30", "40家"), "正向指标：实际 40 家 > 目标 30 家，得满分 10.00",
     ("年度指标值未写单位，按实际完成值的单位“家”理解",
      "实际完成值 40 家 超出目标 30 家 33.33%，超过 20%，请在偏差原因中分析年度指标是否设定偏低")),
    ("fraction-as-percent", _indicator("≥90%", "0.95"), "正向指标：实际 95% > 目标 90%，得满分 10.00",
     ("实际完成值 0.95 未写单位，按 95% 理解",)),
    ("generic-count", _indicator("≥5个", "4项"), "正向指标：实际 4 个 < 目标 5 个，得分 = 10 × 4/5 = 8.00",
     ("“个”是通用量词，实际完成值 4 项 按 4 个 与目标比较",)),
    ("converted", _indicator("≥1.5亿元", "27205.9万元"), "正向指标：实际 2.7206 亿元 > 目标 1.5 亿元，得满分 10.00",
     ("实际完成值 27205.9 万元 换算为 2.7206 亿元 后与目标比较",
      "实际完成值 2.7206 亿元 超出目标 1.5 亿元 81.37%，超过 20%，请在偏差原因中分析年度指标是否设定偏低")),
    ("units-differ", _indicator("≥1.5亿元", "30天"),
     "无法自动评分：单位不一致：年度指标值单位为“亿元”，实际完成值单位为“天”，无法比较。请核对后填写得分（0–10 分）",
     ("单位不一致：年度指标值单位为“亿元”，实际完成值单位为“天”，无法比较",)),
    ("direction-assumed", _indicator("20家", "15家", name="企业补贴个数"),
     "正向指标（未写比较方向，按“≥”理解：通常数值越高越好）：实际 15 家 < 目标 20 家，得分 = 10 × 15/20 = 7.50",
     ("年度指标值“20家”未写比较方向，按“≥20家”理解（通常数值越高越好），请写明 ≥、≤ 或 =",)),
    ("deadline-met", _indicator("9月前", "7月"),
     "时效指标：实际完成时间“7月”不晚于目标“9月前”（9月底前），得满分 10.00", ()),
    ("deadline-late", _indicator("9月前", "11月"),
     "时效指标：实际完成时间“11月”晚于目标“9月前”（9月底前），未按时完成，由用户在 0–10 分之间评定，未评定得 0 分", ()),
    ("deadline-quarter", _indicator("9月前", "2024年第三季度"),
     "时效指标：实际完成时间“2024年第三季度”不晚于目标“9月前”（9月底前），得满分 10.00",
     ("实际完成时间只写到季度，按该季度最后一个月判断是否按时",)),
    ("band", _indicator("显著", "部分达成年度指标并具有一定效果"),
     "定性指标：实际完成情况“部分达成年度指标并具有一定效果”属于“部分达成年度指标并具有一定效果”档"
     "（60%–80%（不含） × 分值），默认得分 = 10 × 70% = 7.00，可在 6.00–7.99 分之间调整", ()),
    ("band-for-text-target", _indicator("以实际发生为准", "达成年度指标"),
     "定性指标：实际完成情况“达成年度指标”属于“达成年度指标”档（80%–100% × 分值），默认得分 = 10 × 100% = 10.00，"
     "可在 8.00–10.00 分之间调整",
     ("年度指标值为“以实际发生为准”，实际完成值为等级描述，按等级计分",)),
    ("word-for-number", _indicator("≥30单", "达成年度指标"),
     "年度指标值为数值“≥30单”，实际完成值“达成年度指标”没有写数值，按“达成年度指标”档的最低分计 = 10 × 80% = 8.00，"
     "可在 8.00–10.00 分之间调整",
     ("实际完成值只写了“达成年度指标”，请填写实际完成的数值，以便按规则与“≥30单”比较",)),
    ("word-for-date", _indicator("12月底前", "完成"),
     "年度指标值为完成时间“12月底前”，实际完成值“完成”没有写完成时间，按“达成年度指标”档的最低分计 = 10 × 80% = 8.00，"
     "可在 8.00–10.00 分之间调整",
     ("实际完成值只写了“完成”，请填写实际完成的完成时间，以便按规则与“12月底前”比较",)),
    ("negative-weight", _indicator("≥30单", "24单", weight=Decimal(-1)),
     "无法自动评分：分值为负数（-1）。请核对后填写得分（0–0 分）", ("分值为负数（-1）",)),
    ("blank-actual", _indicator("≥30单", None),
     "无法自动评分：实际完成值为空。请核对后填写得分（0–10 分）", ("实际完成值为空",)),
    ("not-a-number", _indicator("≥30单", "很多"),
     "无法自动评分：年度指标值为数值“≥30单”，实际完成值“很多”不是数值，请填写实际完成的数值和单位（如 30单）。"
     "请核对后填写得分（0–10 分）",
     ("年度指标值为数值“≥30单”，实际完成值“很多”不是数值，请填写实际完成的数值和单位（如 30单）",)),
    ("not-a-date", _indicator("9月前", "还行吧"),
     "无法自动评分：年度指标值为时限“9月前”，实际完成值“还行吧”不是完成时间，请填写完成时间（如 2024年9月）。"
     "请核对后填写得分（0–10 分）",
     ("年度指标值为时限“9月前”，实际完成值“还行吧”不是完成时间，请填写完成时间（如 2024年9月）",)),
    ("number-for-qualitative", _indicator("显著", "30单"),
     f"无法自动评分：年度指标值“显著”是定性描述，实际完成值“30单”是数值，无法按规则比较，应填写评价档次：{BANDS}。"
     "请核对后填写得分（0–10 分）",
     (f"年度指标值“显著”是定性描述，实际完成值“30单”是数值，无法按规则比较，应填写评价档次：{BANDS}",)),
    ("time-for-qualitative", _indicator("显著", "2024年7月"),
     f"无法自动评分：年度指标值“显著”是定性描述，实际完成值“2024年7月”是时间，无法按规则比较，应填写评价档次：{BANDS}。"
     "请核对后填写得分（0–10 分）",
     (f"年度指标值“显著”是定性描述，实际完成值“2024年7月”是时间，无法按规则比较，应填写评价档次：{BANDS}",)),
    ("unknown-word", _indicator("显著", "还行吧"),
     f"无法自动评分：实际完成值“还行吧”无法对应评价档次，应填写：{BANDS}。请核对后填写得分（0–10 分）",
     (f"实际完成值“还行吧”无法对应评价档次，应填写：{BANDS}",)),
    ("text-target", _indicator("以实际发生为准", "100万元"),
     "无法自动评分：年度指标值“以实际发生为准”为文字描述，无法自动比较。请核对后填写得分（0–10 分）",
     ("年度指标值“以实际发生为准”为文字描述，无法自动比较",)),
    ("user-score", _indicator("显著", "达成年度指标", user="9.5"),
     "定性指标：实际完成情况“达成年度指标”属于“达成年度指标”档（80%–100% × 分值），默认得分 = 10 × 100% = 10.00，"
     "可在 8.00–10.00 分之间调整；用户填写得分 9.50（规则得分 10.00）", ()),
    ("user-score-out-of-range", _indicator("显著", "部分达成年度指标并具有一定效果", user="9"),
     "定性指标：实际完成情况“部分达成年度指标并具有一定效果”属于“部分达成年度指标并具有一定效果”档"
     "（60%–80%（不含） × 分值），默认得分 = 10 × 70% = 7.00，可在 6.00–7.99 分之间调整；用户填写得分 9.00（规则得分 7.00）",
     ("用户填写得分 9.00 超出规则允许范围 [6.00, 7.99]",)),
    ("user-score-replaced", _indicator("显著", "部分达成年度指标并具有一定效果", rules=CLAMP, user="9"),
     "定性指标：实际完成情况“部分达成年度指标并具有一定效果”属于“部分达成年度指标并具有一定效果”档"
     "（60%–80%（不含） × 分值），默认得分 = 10 × 70% = 7.00，可在 6.00–7.99 分之间调整；用户填写得分 9.00（规则得分 7.00）",
     ("用户填写得分 9.00 超出规则允许范围 [6.00, 7.99]，已改用规则得分 7.00",)),
    ("execution", _execution("100", "95"),
     "预算执行率 = 全年执行数 / 全年预算数 = 95 / 100 = 95.00%，得分 = 10 × 95.00% = 9.50", ()),
    ("execution-over", _execution("100", "105"),
     "预算执行率 = 全年执行数 / 全年预算数 = 105 / 100 = 105.00%，超过 100%，得分按满分计 = 10.00",
     ("预算执行率 105.00% 超过 100%，得分按满分 10 计，请核实全年执行数",)),
    ("execution-negative", _execution("100", "-5"),
     "预算执行率 = 全年执行数 / 全年预算数 = -5 / 100 = -5.00%，得分 0", ("全年执行数为负数（-5），请核实",)),
    ("execution-no-budget", _execution("0", "5"),
     "无法自动评分：全年预算数为 0，无法计算预算执行率。请核对后填写得分（0–10 分）",
     ("全年预算数为 0，无法计算预算执行率",)),
    ("execution-blank", _execution(None, None),
     "无法自动评分：全年预算数或全年执行数未填写，无法计算预算执行率。请核对后填写得分（0–10 分）",
     ("全年预算数或全年执行数未填写，无法计算预算执行率",)),
]


@pytest.mark.parametrize(("case", "score", "explanation", "notes"), CASES, ids=[c[0] for c in CASES])
def test_each_score_is_worded_in_full(case: str, score: Score, explanation: str, notes: tuple[str, ...]) -> None:
    assert (explain(score), notes_of(score)) == (explanation, notes)


def _keys(explanation: Explanation) -> Iterator[str]:
    yield explanation.key
    for _, value in explanation.facts:
        if isinstance(value, Explanation):
            yield from _keys(value)


def _phrases(node: object, prefix: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _phrases(value, f"{prefix}{name}.")
    else:
        yield prefix.rstrip(".")


def test_the_cases_word_every_phrase_of_the_shipped_section() -> None:
    # A phrase no case words is either dead or unpinned; a key missing from the file cannot be worded.
    with (templates_dir() / f"{WORDING}.toml").open("rb") as fh:
        shipped = set(_phrases(tomllib.load(fh)[SECTION]))
    used = {key for _, score, _, _ in CASES for e in (score.explanation, *score.notes) for key in _keys(e)}
    assert used == shipped, (sorted(shipped - used), sorted(used - shipped))


def test_an_explanation_states_facts_not_sentences() -> None:
    rate, result = score_execution(Decimal(100), Decimal(95), W)
    explanation = result.explanation
    assert (explanation.key, explanation.fact("rate"), explanation.fact("score")) == (
        "execution.scored", Percent(Decimal("0.95")), Fixed(Decimal("9.50")))
    formula = explanation.fact("formula")
    assert isinstance(formula, Explanation)
    assert (formula.fact("executed"), formula.fact("budget")) == (Figure(Decimal(95)), Figure(Decimal(100)))
    assert result.status is Status.BASIC and result.status == "基本完成"


def test_a_missing_phrase_is_named_to_the_user() -> None:
    words = Wording({SECTION: {"execution": {"formula": "执行率 {{ rate }}"}}}, "自评表.toml")
    with pytest.raises(WordingError, match="措辞文件 自评表.toml 缺少“score.execution.scored”"):
        say(_execution("100", "95").explanation, words)


# ---------------------------------------------------------------------------
# A user's templates folder rewords the 自评表, and only it
# ---------------------------------------------------------------------------

EXAMPLE = "2024-科学技术局-绩效自评.xlsx"


def _example() -> SelfEvalWorkbook:
    model = read_workbook(examples_dir() / EXAMPLE).model
    assert isinstance(model, SelfEvalWorkbook)
    return model


def _edited_templates(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    path = folder / f"{WORDING}.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def _texts(path: Path) -> tuple[list[str], list[str]]:
    """(every 计分说明 cell of the 评分说明 sheet, every comment of the forms)."""
    book = openpyxl.load_workbook(path)
    explained = [str(row[6]) for row in book["评分说明"].iter_rows(min_row=4, values_only=True) if row[6]]
    comments = [cell.comment.text for ws in book.worksheets for row in ws.iter_rows() for cell in row
                if cell.comment is not None]
    return explained, comments


def test_editing_a_phrase_rewords_the_explanations_of_the_tables(tmp_path: Path) -> None:
    wb = _example()
    evaluation = evaluate(wb)
    report = build_report(wb, evaluation)
    before = findings(evaluation)
    shipped, shipped_comments = _texts(render_selfeval_tables(report, tmp_path / "shipped", templates_dir()))
    folder = _edited_templates(tmp_path, "得分 = {{ weight }} × {{ rate }} = {{ score }}",
                               "【执行率得分】{{ score }} 分（{{ weight }} 分 × {{ rate }}）")
    edited, edited_comments = _texts(render_selfeval_tables(report, tmp_path / "edited", folder))

    changed = [(a, b) for a, b in zip(shipped, edited, strict=True) if a != b]
    assert changed, "the edited phrase did not reach the 评分说明 sheet"
    for a, b in changed:
        assert a.startswith("预算执行率 = 全年执行数 / 全年预算数 = ") and "得分 = " in a
        assert "【执行率得分】" in b and "得分 = " not in b
    assert any("【执行率得分】" in c for c in edited_comments) and not any("【" in c for c in shipped_comments)
    # The findings quote the shipped wording whatever folder a build uses.
    assert findings(evaluation) == before


def test_editing_a_clause_rewords_every_sentence_that_uses_it(tmp_path: Path) -> None:
    wb = _example()
    report = build_report(wb, evaluate(wb))
    shipped, _ = _texts(render_selfeval_tables(report, tmp_path / "shipped", templates_dir()))
    folder = _edited_templates(tmp_path, 'positive = "正向指标{{ assumed }}"', 'positive = "越多越好的指标{{ assumed }}"')
    edited, _ = _texts(render_selfeval_tables(report, tmp_path / "edited", folder))
    positive = [i for i, text in enumerate(shipped) if text.startswith("正向指标")]
    assert positive
    for i, (a, b) in enumerate(zip(shipped, edited, strict=True)):
        assert b == (a.replace("正向指标", "越多越好的指标", 1) if i in positive else a)


def test_a_broken_phrase_in_a_user_folder_is_reported_in_chinese(tmp_path: Path) -> None:
    wb = _example()
    report = build_report(wb, evaluate(wb))
    folder = _edited_templates(tmp_path, "{{ executed }} / {{ budget }}", "{{ executed } / {{ budget }}")
    with pytest.raises(TemplateError, match="措辞文件 自评表.toml 的“score.execution.formula”无法生成"):
        render_selfeval_tables(report, tmp_path / "out", folder)


# ---------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------


def _loaded_after(imports: str) -> list[str]:
    probe = (f"import json, sys\nimport {imports}\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('generator.render', 'jinja2')))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                            timeout=120, check=True)
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_engine_states_facts_without_importing_a_renderer() -> None:
    assert _loaded_after("generator.compute.scoring, generator.compute.selfeval, generator.compute.selfeval_report") == []


def test_validation_loads_the_wording_machinery_only_when_it_words_a_finding() -> None:
    assert _loaded_after("generator.validate.scores") == ["generator.render", "generator.render.score_wording"]
