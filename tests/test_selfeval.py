"""Tests for the self-evaluation side: compute (scores, outcome wording, findings), the 自评表
workbook and the two Word reports.

Golden tests read the example workbooks of seeds 002 and 000 (``inputs/``) and compare the
rendered report with the published seed text in ``../shared/seeds``: nearly every number the
seed prints must appear, and the figures the seed got wrong must be the computed ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from generator.compute.money import fmt_rate
from generator.compute.scoring import Score, round_score
from generator.compute.selfeval import (
    Evaluation,
    IndicatorResult,
    Points,
    evaluate,
    outcome_of,
)
from generator.compute.selfeval_report import SelfEvalReport, build_report
from generator.model import Indicator, SelfEvalWorkbook
from generator.model.schema import WorkbookKind
from generator.read.reader import read_workbook
from generator.read.values import parse_actual, parse_indicator_value
from generator.render.score_wording import explain
from generator.render.selfeval_docx import (
    OVERALL_REPORT,
    WORK_REPORT,
    render_selfeval,
)
from generator.render.selfeval_xlsx import (
    WORDING,
    project_sheet_names,
    render_selfeval_tables,
    sheet_name,
)
from generator.render.wording import Wording
from generator.render.workbook_template import WorkbookData, write_workbook
from generator.validate.scores import findings
from tests.conftest import SEEDS_DIR

ROOT = Path(__file__).resolve().parents[1]
SEEDS = SEEDS_DIR
SEED_002 = SEEDS / "002_165481655092ecb7.txt"
SEED_000 = SEEDS / "000_376cb4fce2397d20.txt"
EXAMPLE_002 = ROOT / "inputs" / "2024-科学技术局-绩效自评.xlsx"
EXAMPLE_000 = ROOT / "inputs" / "2020-科技局-绩效自评.xlsx"
TEMPLATES = ROOT / "templates"

NUMBER = re.compile(r"\d+(?:\.\d+)?")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def numbers(text: str) -> set[str]:
    """Distinct numbers of ``text``, normalised ("100.00" → "100", "08" → "8")."""
    out = set()
    for match in NUMBER.findall(text):
        if "." in match:
            match = match.rstrip("0").rstrip(".")
        out.add(match.lstrip("0") or "0")
    return out


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, then every table cell as ("cell", text)."""
    document = docx.Document(str(path))
    out = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            out.extend(("cell", cell.text) for cell in row.cells)
    return out


def docx_text(path: Path) -> str:
    return "\n".join(text for _, text in docx_paragraphs(path))


@pytest.fixture(scope="session")
def templates_dir() -> Path:
    """The repository's templates: the committed .docx files are the source of the wording."""
    return TEMPLATES


WORDS = Wording.load(TEMPLATES, WORDING)
DEPT_SHEET = WORDS("sheets.dept")
EXPLAIN_SHEET = WORDS("sheets.explain")


def read_example(path: Path, seed: Path) -> SelfEvalWorkbook:
    if not path.is_file():
        pytest.skip(f"example workbook {path.name} not built yet (python -m tools.examples …)")
    if not seed.is_file():
        pytest.skip(f"seed text {seed.name} not available (../shared/seeds)")
    result = read_workbook(path)
    assert isinstance(result.model, SelfEvalWorkbook)
    return result.model


# A small made-up workbook: two projects in two areas, a department with indicators.
def indicator(project: str, level1: str, level2: str, level3: str, target: str, actual: str,
              weight: int, **extra: object) -> dict[str, object]:  # fmt: skip
    return {"project_code": project, "project_name": project, "level1": level1,
            "level2": level2, "level3": level3, "target": target, "actual": actual,
            "weight": weight, **extra}  # fmt: skip


def made_up_data(**changes: Any) -> WorkbookData:
    """The made-up workbook; ``changes`` override single cells: ``actual_P2_单数="15单"``."""
    indicators = [
        indicator("科技保险项目", "产出指标", "数量指标", "科技保险单数", "≥30单", "30单", 30),
        indicator("科技保险项目", "产出指标", "数量指标", "推介会次数", "4次", "0次", 20,
                  reason="受疫情影响未召开推介会"),
        indicator("科技保险项目", "效益指标", "社会效益指标", "降低企业研发风险", "显著",
                  "达成年度指标", 30),
        indicator("科技保险项目", "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%",
                  "95%", 10),
        indicator("创新平台资助", "产出指标", "数量指标", "新增平台数量", "≥3家", "3家", 30),
        indicator("创新平台资助", "产出指标", "时效指标", "资金下达时间", "9月前", "8月", 20),
        indicator("创新平台资助", "效益指标", "社会效益指标", "服务企业单数", "≥20单", "22单", 30),
        indicator("创新平台资助", "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%",
                  "92%", 10),
    ]
    for key, value in changes.items():
        field, project, level3 = key.rsplit("_", 2)
        row = next(r for r in indicators
                   if r["project_name"] == project and r["level3"] == level3)  # fmt: skip
        row[field] = value
    return WorkbookData(
        forms={
            "基本信息": {"dept_name": "示例局", "org_full_name": "某某区示例局", "year": 2024,
                     "supervisor": "某某区管委会", "preamble": "为加强预算绩效管理，形成本报告。",
                     "fund_source_note": "区本级财政", "attachment_no": "附件4"},
            "自评组织": {"basis": "《某某区预算绩效管理办法》",
                     "group": "以张三局长为组长的绩效评价工作领导小组",
                     "method": "自评采用业务处室填报、小组审核的方式开展。"},
        },
        tables={
            "部门概况": [{"no": 1, "text": "1.负责全区科技工作。"}],
            "收支情况": [
                {"source": "当年财政拨款", "initial": 150, "budget": "180", "executed": "170"},
                {"source": "上年结转资金", "budget": "20", "executed": "20"},
            ],
            "整体绩效目标": [
                {"type": "总体", "goal": "提升区域创新能力", "actual": "区域创新能力持续提升"},
                {"type": "分项", "name": "企业培育", "actual": "认定高新技术企业30家"},
            ],
            "项目": [
                {"code": "", "name": "科技保险项目", "area": "科技金融", "unit": "示例局",
                 "initial": "80", "budget": "80.28", "executed": "60.36",
                 "goal": "完成科技保险30单", "result": "完成科技保险30单"},
                {"code": "", "name": "创新平台资助", "area": "科技创新", "unit": "示例局",
                 "budget": "100", "executed": "100", "carry_budget": "20",
                 "carry_executed": "20"},
            ],
            "绩效指标": indicators,
            "整体绩效指标": [
                {"level1": "产出指标", "level2": "数量指标", "level3": "认定高新技术企业数量",
                 "target": "≥30家", "actual": "30家", "weight": 50},
                {"level1": "效益指标", "level2": "社会效益指标", "level3": "区域创新能力",
                 "target": "显著提升", "actual": "达成年度指标", "weight": 30},
                {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "服务对象满意度",
                 "target": "≥90%", "actual": "95%", "weight": 10},
            ],
            "问题与改进": [{"type": "存在问题", "text": "个别活动受疫情影响未能开展。"},
                      {"type": "改进措施", "text": "加强预算执行进度管理。"}],
            "评价工作组": [{"name": "张三", "org": "示例局", "post": "局长"},
                      {"name": "李四", "org": "示例局", "post": "副局长", "title": "高级工程师"}],
        },
    )  # fmt: skip


def build(tmp_path: Path, name: str = "made_up.xlsx", **changes: Any) -> SelfEvalWorkbook:
    path = tmp_path / name
    write_workbook(WorkbookKind.SELF_EVAL, path, made_up_data(**changes))
    result = read_workbook(path)
    assert isinstance(result.model, SelfEvalWorkbook)
    return result.model


def card_of(evaluation: Evaluation, name: str) -> Any:
    return next(c for c in evaluation.projects if c.name == name)


def result_of(evaluation: Evaluation, project: str, level3: str) -> IndicatorResult:
    return next(r for r in card_of(evaluation, project).indicators if r.indicator.level3 == level3)


def rows_of(path: Path, sheet: str) -> Iterator[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    yield from wb[sheet].iter_rows(values_only=True)


# ---------------------------------------------------------------------------
# Golden: seed 002 (整体支出绩效自评报告)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed002(tmp_path_factory: pytest.TempPathFactory,
            templates_dir: Path) -> tuple[Evaluation, Path]:  # fmt: skip
    """Seed 002's example evaluated and its 整体支出绩效自评报告 rendered."""
    wb = read_example(EXAMPLE_002, SEED_002)
    evaluation = evaluate(wb)
    out = tmp_path_factory.mktemp("seed002")
    files = render_selfeval(wb, evaluation, out, templates_dir)
    return evaluation, next(f for f in files if f.name == "2024年度整体支出绩效自评报告.docx")


@pytest.fixture(scope="module")
def seed000(tmp_path_factory: pytest.TempPathFactory,
            templates_dir: Path) -> tuple[Evaluation, Path]:  # fmt: skip
    """Seed 000's example evaluated and its 绩效自评工作报告 rendered."""
    wb = read_example(EXAMPLE_000, SEED_000)
    evaluation = evaluate(wb)
    out = tmp_path_factory.mktemp("seed000")
    files = render_selfeval(wb, evaluation, out, templates_dir)
    return evaluation, next(f for f in files if f.name == "2020年度绩效自评工作报告.docx")


class TestSeed002Report:
    @pytest.fixture
    def rendered(self, seed002: tuple[Evaluation, Path]) -> tuple[Evaluation, Path]:
        return seed002

    def test_contains_nearly_every_number_of_the_seed(self, rendered: tuple[Evaluation, Path]) -> None:
        seed = numbers(SEED_002.read_text(encoding="utf-8"))
        ours = numbers(docx_text(rendered[1]))
        matched = seed & ours
        assert len(matched) / len(seed) >= Decimal("0.98"), sorted(seed - ours)

    def test_has_every_section_heading_of_the_seed(self, rendered: tuple[Evaluation, Path]) -> None:
        paragraphs = docx_paragraphs(rendered[1])
        headings = [text for style, text in paragraphs if style.startswith("Heading")]
        wanted = []
        for line in SEED_002.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            top = re.match(r"^[一二三四五六七八九十]+、(.+)$", line)
            sub = re.match(r"^[（(](?:[一二三四五六七八九十]+|\d+)[）)]\s*(.+)$", line)
            if top or sub:
                wanted.append((top or sub).group(1).strip())  # type: ignore[union-attr]
        assert len(wanted) >= 14
        for title in wanted:
            assert any(h.endswith(title) for h in headings), title

    def test_states_the_computed_rate_total_and_grade(self, rendered: tuple[Evaluation, Path]) -> None:
        evaluation, report = rendered
        assert evaluation.rate == Decimal("19837.71876") / Decimal("20094.62746")
        assert fmt_rate(evaluation.rate) == "98.72%"
        text = docx_text(report)
        # The seed's "全年项目预算安排" is one bureau's wording; a 部门整体 report says 全年预算安排.
        assert ("全年预算安排20094.62746万元，全年支出19837.71876万元，预算执行率达到98.72%"
                in text)  # fmt: skip
        assert "总得分100分" in text
        assert "等级为优秀" in text
        assert evaluation.department.grade == "优"

    def test_flags_the_execution_score_override(self, rendered: tuple[Evaluation, Path]) -> None:
        # The example keeps the published 10 分 for a 98.72% execution rate (the rule gives 9.87),
        # with a reason: a 警告, and the report prints the rule's score, the typed one and why.
        codes = [(f.code, f.header) for f in findings(rendered[0])]
        assert ("score-override-range", "执行率得分") in codes
        text = docx_text(rendered[1])
        assert "总得分100分（预算执行率按评分规则得9.87分，自评为10分，理由：" in text
        assert "预算执行率得分10分，绩效指标得分90分" in text  # 10 + 90 = the 100 printed


# ---------------------------------------------------------------------------
# Golden: seed 000 (绩效自评工作报告)
# ---------------------------------------------------------------------------


class TestSeed000Report:
    @pytest.fixture
    def rendered(self, seed000: tuple[Evaluation, Path]) -> tuple[Evaluation, Path]:
        return seed000

    def test_contains_nearly_every_number_of_the_seed(self, rendered: tuple[Evaluation, Path]) -> None:
        seed = numbers(SEED_000.read_text(encoding="utf-8"))
        ours = numbers(docx_text(rendered[1]))
        assert len(seed & ours) / len(seed) >= Decimal("0.95"), sorted(seed - ours)

    def test_computes_the_payment_rate_instead_of_copying_it(
        self, rendered: tuple[Evaluation, Path]
    ) -> None:
        evaluation, report = rendered
        insurance = card_of(evaluation, "科技保险项目")
        assert fmt_rate(insurance.rate) == "75.19%"  # 60.36 / 80.28, the seed printed 75.3%
        paragraph = next(t for _, t in docx_paragraphs(report) if "科技保险项目。" in t)
        assert "资金预算金额80.28万元，实际拨付60.36万元，实际拨付率75.19%" in paragraph
        assert "75.3%" not in paragraph

    def test_groups_projects_by_area(self, rendered: tuple[Evaluation, Path]) -> None:
        headings = [t for s, t in docx_paragraphs(rendered[1]) if s == "Heading 2"]
        assert headings[:2] == ["（一）生物医药方面", "（二）科技金融方面"]

    def test_summarises_the_department_figures(self, rendered: tuple[Evaluation, Path]) -> None:
        text = docx_text(rendered[1])
        assert "安排预算项目42个，安排预算资金33752万元，拨付33649万元，支出率达到99.69%" in text


# ---------------------------------------------------------------------------
# Compute
# ---------------------------------------------------------------------------


class TestEvaluate:
    def test_splits_project_funds_into_their_sources(self, tmp_path: Path) -> None:
        evaluation = evaluate(build(tmp_path))
        card = card_of(evaluation, "创新平台资助")
        names = [f.name for f in card.funds]
        assert names == ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
        assert card.funds[1].budget == Decimal("80")  # 100 − 20 上年结转 − 0 其他
        assert card.funds[2].executed == Decimal("20")

    def test_totals_execution_and_indicator_scores(self, tmp_path: Path) -> None:
        evaluation = evaluate(build(tmp_path))
        card = card_of(evaluation, "科技保险项目")
        assert card.rate == Decimal("60.36") / Decimal("80.28")
        assert card.execution.score == Decimal("7.52")
        # The total is the sum of the scores as shown, so a form always adds up.
        expected = card.execution.score + sum(round_score(r.score.score) for r in card.indicators)
        assert card.total == expected
        assert round_score(card.total) == Decimal("77.52")
        assert (card.grade, card.grade_word) == ("中", "中")

    def test_scores_the_department_from_its_own_indicators(self, tmp_path: Path) -> None:
        evaluation = evaluate(build(tmp_path))
        dept = evaluation.department
        assert dept.budget == Decimal("200") and dept.executed == Decimal("190")
        assert round_score(dept.total) == Decimal("99.50")  # 9.5 + 50 + 30 + 10
        assert dept.grade_word == "优秀"

    def test_refuses_a_user_score_outside_the_rule_without_a_reason(self, tmp_path: Path) -> None:
        wb = build(tmp_path, score_创新平台资助_服务对象满意度=3)
        evaluation = evaluate(wb)
        result = result_of(evaluation, "创新平台资助", "服务对象满意度")
        assert result.score.score == Decimal("3") and result.points.rule_score == Decimal("10.00")
        flagged = [f for f in findings(evaluation) if f.code.startswith("score-override")]
        assert [(f.code, f.severity.value, f.sheet, f.header) for f in flagged] == [
            ("score-override-reason", "错误", "绩效指标", "评分理由")]
        assert flagged[0].cell == result.indicator.cells["score_reason"]

    def test_keeps_a_reasoned_user_score_and_shows_rule_typed_and_reason(
            self, tmp_path: Path, templates_dir: Path) -> None:
        wb = build(tmp_path, score_创新平台资助_服务对象满意度=3,
                   score_reason_创新平台资助_服务对象满意度="调查样本不足，评价小组酌情扣分")
        evaluation = evaluate(wb)
        flagged = [f for f in findings(evaluation) if f.code.startswith("score-override")]
        assert [(f.code, f.header) for f in flagged] == [("score-override-range", "得分")]
        card = card_of(evaluation, "创新平台资助")
        assert card.total == sum(card.parts) == Decimal("93.00")  # 10 + 30 + 20 + 30 + 3
        files = render_selfeval(wb, evaluation, tmp_path / "out", templates_dir, reports=[WORK_REPORT])
        paragraph = next(t for _, t in docx_paragraphs(files[1]) if "创新平台资助。" in t)
        assert ("项目自评得分93分（服务对象满意度按评分规则得10分，自评为3分，"
                "理由：调查样本不足，评价小组酌情扣分）") in paragraph
        sheet = project_sheet_names(build_report(wb, evaluation), WORDS)[1]
        notes = [r for r in rows_of(files[0], sheet) if r[0] == "人工评分说明"]
        assert notes and "按评分规则得10分，自评为3分" in notes[0][1]

    def test_reports_unmet_indicators_without_a_reason(self, tmp_path: Path) -> None:
        evaluation = evaluate(build(tmp_path, actual_创新平台资助_服务企业单数="15单"))
        missing = [f for f in findings(evaluation) if f.code == "missing-reason"]
        assert [f.header for f in missing] == ["偏差原因分析及改进措施"]
        assert "服务企业单数" in missing[0].message

    def test_reports_missing_actuals_and_weight_totals(self, tmp_path: Path) -> None:
        evaluation = evaluate(build(tmp_path, actual_创新平台资助_新增平台数量="",
                                    weight_科技保险项目_服务对象满意度=15))  # fmt: skip
        codes = {f.code for f in findings(evaluation)}
        assert {"missing-actual", "weights-total", "weights-nonstandard"} <= codes

    def test_warns_about_execution_above_the_budget(self, tmp_path: Path) -> None:
        data = made_up_data()
        data.tables["项目"][1]["executed"] = "120"
        data.tables["项目"][1]["initial"] = "150"
        path = tmp_path / "over.xlsx"
        write_workbook(WorkbookKind.SELF_EVAL, path, data)
        model = read_workbook(path).model
        assert isinstance(model, SelfEvalWorkbook)
        evaluation = evaluate(model)
        card = card_of(evaluation, "创新平台资助")
        assert card.rate == Decimal("1.2")  # the real rate is kept …
        assert card.execution.score == card.execution.weight  # … the score is capped
        codes = {f.code for f in findings(evaluation)}
        assert {"execution-above-100", "executed-over-budget", "initial-over-annual"} <= codes


def test_a_zero_budget_cannot_be_scored_and_says_where(tmp_path: Path) -> None:
    data = made_up_data()
    data.tables["项目"][0].update(budget="0", executed="0", initial=None)
    path = tmp_path / "zero.xlsx"
    write_workbook(WorkbookKind.SELF_EVAL, path, data)
    model = read_workbook(path).model
    assert isinstance(model, SelfEvalWorkbook)
    evaluation = evaluate(model)
    card = card_of(evaluation, "科技保险项目")
    assert card.rate is None and card.execution.status == "无法评分"
    flagged = [f for f in findings(evaluation) if f.code == "cannot-score"]
    assert [(f.sheet, f.header) for f in flagged] == [("项目", "全年预算数")]
    assert flagged[0].cell == model.projects[0].cells["budget"]


def _result(target: str, actual: str, weight: int = 10) -> IndicatorResult:
    from generator.compute.scoring import score_indicator

    ind = Indicator("", "p", "产出指标", "数量指标", f"指标{target}{actual}", "",
                    parse_indicator_value(target), actual=parse_actual(actual),
                    weight=Decimal(weight))  # fmt: skip
    score = score_indicator(ind.target, ind.actual, Decimal(weight))
    return IndicatorResult(ind, Points(score.weight, round_score(score.score), score, score))


class TestOutcome:
    def test_says_exceeded_when_all_are_met_and_one_exceeds(self) -> None:
        assert outcome_of([_result("≥10家", "12家"), _result("≥5次", "5次")]).wording == "超额完成"

    def test_says_complete_when_all_are_met_exactly(self) -> None:
        assert outcome_of([_result("≥10家", "10家"), _result("是", "是")]).wording == "全部完成"

    def test_says_basically_complete_at_80_percent_of_the_points(self) -> None:
        outcome = outcome_of([_result("≥10家", "10家", 80), _result("≥10次", "5次", 20)])
        assert outcome.ratio == Decimal("0.9")
        assert outcome.wording == "基本完成"
        assert [r.indicator.target.raw for r in outcome.unmet] == ["≥10次"]

    def test_says_incomplete_below_80_percent(self) -> None:
        assert outcome_of([_result("≥10家", "10家", 50), _result("≥10次", "0次", 50)]).wording == "未完成"

    def test_says_no_indicators_without_any(self) -> None:
        assert outcome_of([]).wording == "未设定指标"


# ---------------------------------------------------------------------------
# The 自评表 workbook
# ---------------------------------------------------------------------------


def _report(wb: SelfEvalWorkbook, evaluation: Evaluation) -> SelfEvalReport:
    return build_report(wb, evaluation)


def _score_cells(path: Path, sheet: str) -> dict[str, tuple[Any, Any]]:
    """三级指标 → (分值, 得分) of a form sheet (columns D, G, H)."""
    out = {}
    started = False
    for row in rows_of(path, sheet):
        if row[1] == "一级指标":
            started = True
            continue
        if started and row[3] and row[0] != "总分":
            out[row[3]] = (row[6], row[7])
    return out


def _total_row(path: Path, sheet: str) -> tuple[Any, ...]:
    return next(r for r in rows_of(path, sheet) if r[0] == "总分")


class TestSelfEvalTables:
    @pytest.fixture
    def rendered(self, tmp_path: Path, templates_dir: Path) -> tuple[Evaluation, Path]:
        wb = build(tmp_path)
        evaluation = evaluate(wb)
        return evaluation, render_selfeval_tables(_report(wb, evaluation), tmp_path, templates_dir)

    def test_puts_the_department_form_first_then_one_sheet_per_project(
        self, rendered: tuple[Evaluation, Path]
    ) -> None:
        evaluation, path = rendered
        names = openpyxl.load_workbook(path).sheetnames
        assert names == [DEPT_SHEET, "1.科技保险项目", "2.创新平台资助", EXPLAIN_SHEET]
        assert project_sheet_names(_report(evaluation.workbook, evaluation), WORDS) == names[1:3]

    def test_writes_the_engines_scores_totals_and_grades(
        self, rendered: tuple[Evaluation, Path]
    ) -> None:
        evaluation, path = rendered
        names = project_sheet_names(_report(evaluation.workbook, evaluation), WORDS)
        for sheet, card in zip(names, evaluation.projects, strict=True):
            cells = _score_cells(path, sheet)
            for r in card.indicators:
                weight, score = cells[r.indicator.level3]
                assert Decimal(str(weight)) == r.weight
                assert Decimal(str(score)) == round_score(r.score.score)
            total = _total_row(path, sheet)
            assert Decimal(str(total[6])) == card.max_total == Decimal(100)
            assert Decimal(str(total[7])) == round_score(card.total)
            assert card.grade in total[8]
        dept_total = _total_row(path, DEPT_SHEET)
        assert Decimal(str(dept_total[7])) == round_score(evaluation.department.total)

    def test_writes_the_fund_block_with_the_real_rate(self, rendered: tuple[Evaluation, Path]) -> None:
        evaluation, path = rendered
        rows = list(rows_of(path, "1.科技保险项目"))
        header = next(i for i, r in enumerate(rows) if r[0] == "项目资金（万元）")
        assert rows[header][3:9] == ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
        total = rows[header + 1]
        assert total[1] == "年度资金总额"
        assert [Decimal(str(v)) for v in total[3:6]] == [Decimal("80"), Decimal("80.28"),
                                                        Decimal("60.36")]  # fmt: skip
        assert Decimal(str(total[7])) == Decimal("0.7519")  # 75.19%, as displayed
        assert any(r[1] == "其中：当年财政拨款" for r in rows)

    def test_explains_every_score(self, rendered: tuple[Evaluation, Path]) -> None:
        evaluation, path = rendered
        rows = list(rows_of(path, EXPLAIN_SHEET))
        explained = {(r[0], r[2]): r[6] for r in rows if r[6]}
        names = project_sheet_names(_report(evaluation.workbook, evaluation), WORDS)
        cards = [(DEPT_SHEET, evaluation.department), *zip(names, evaluation.projects, strict=True)]
        for sheet, card in cards:
            assert explained[(sheet, "预算执行率")] == explain(card.execution.used)
            for r in card.indicators:
                assert explained[(sheet, r.indicator.level3)] == explain(r.score)
            assert "总分" in explained[(sheet, f"总分（{card.grade_word}）")]

    def test_comments_each_score_cell_with_its_explanation(
        self, rendered: tuple[Evaluation, Path]
    ) -> None:
        evaluation, path = rendered
        ws = openpyxl.load_workbook(path)["1.科技保险项目"]
        card = evaluation.projects[0]
        by_name = {r.indicator.level3: r for r in card.indicators}
        seen = 0
        for row in ws.iter_rows(min_col=4, max_col=8):
            result = by_name.get(row[0].value)  # type: ignore[arg-type]
            if result is not None:
                assert row[4].comment is not None
                assert row[4].comment.text.startswith(explain(result.score))
                seen += 1
        assert seen == len(card.indicators)

    def test_makes_valid_unique_sheet_names(self) -> None:
        taken: set[str] = set()
        long_name = "某某区科技局关于支持企业研发投入的后补助资金项目（第一批）[2024]"
        first = sheet_name(long_name, taken)
        second = sheet_name(long_name, taken)
        assert len(first) <= 31 and len(second) <= 31 and first != second
        assert not set("[]:*?/\\") & set(first + second)


# ---------------------------------------------------------------------------
# The reports
# ---------------------------------------------------------------------------


class TestReports:
    def test_writes_the_tables_and_both_reports_when_there_are_projects(
        self, tmp_path: Path, templates_dir: Path
    ) -> None:
        wb = build(tmp_path)
        files = render_selfeval(wb, evaluate(wb), tmp_path / "out", templates_dir)
        assert [f.name for f in files] == ["2024年度绩效自评表.xlsx",
                                           "2024年度整体支出绩效自评报告.docx",
                                           "2024年度绩效自评工作报告.docx"]  # fmt: skip
        text = docx_text(files[1])
        assert text.startswith("附件4\n示例局\n2024年度整体支出绩效自评报告")
        assert "总得分99.5分" in text and "等级为优秀" in text
        assert "我局成立了以张三局长为组长的绩效评价工作领导小组" in text
        assert "1.负责全区科技工作。" in text  # typed numbering is not doubled

    def test_writes_only_the_overall_report_without_projects(
        self, tmp_path: Path, templates_dir: Path
    ) -> None:
        data = made_up_data()
        data.tables["项目"] = []
        data.tables["绩效指标"] = []
        path = tmp_path / "dept_only.xlsx"
        write_workbook(WorkbookKind.SELF_EVAL, path, data)
        model = read_workbook(path).model
        assert isinstance(model, SelfEvalWorkbook)
        files = render_selfeval(model, evaluate(model), tmp_path / "out", templates_dir,
                                reports=None)  # fmt: skip
        assert [f.suffix for f in files] == [".xlsx", ".docx"]
        assert "项目绩效目标完成情况" not in docx_text(files[1])

    def test_changes_score_total_and_sentence_with_one_actual(
        self, tmp_path: Path, templates_dir: Path
    ) -> None:
        before_wb = build(tmp_path, "before.xlsx")
        after_wb = build(tmp_path, "after.xlsx", actual_创新平台资助_服务企业单数="15单",
                         reason_创新平台资助_服务企业单数="部分企业延期入驻")  # fmt: skip
        before, after = evaluate(before_wb), evaluate(after_wb)
        r0 = result_of(before, "创新平台资助", "服务企业单数")
        r1 = result_of(after, "创新平台资助", "服务企业单数")
        assert (r0.score.score, r1.score.score) == (Decimal(30), Decimal("22.5"))
        c0, c1 = card_of(before, "创新平台资助"), card_of(after, "创新平台资助")
        assert c1.total == c0.total - Decimal("7.5")

        def paragraph(wb: SelfEvalWorkbook, evaluation: Evaluation, out: str) -> str:
            files = render_selfeval(wb, evaluation, tmp_path / out, templates_dir,
                                    reports=[WORK_REPORT])  # fmt: skip
            return next(t for _, t in docx_paragraphs(files[1]) if "创新平台资助。" in t)

        p0 = paragraph(before_wb, before, "o0")
        p1 = paragraph(after_wb, after, "o1")
        assert "服务企业单数预期目标20单以上，实际完成22单" in p0
        assert "服务企业单数预期目标20单以上，实际完成15单" in p1
        assert "项目自评得分100分" in p0 and "项目自评得分92.5分" in p1
        assert "预期绩效目标全部完成" in p0
        assert "服务企业单数未完全达到年度指标值，预期绩效目标基本完成" in p1
        assert "服务企业单数未完成的原因：部分企业延期入驻。" in p1

    def test_escapes_user_text(self, tmp_path: Path, templates_dir: Path) -> None:
        data = made_up_data()
        data.tables["项目"][0]["result"] = "财政局 & 教育局联合开展，金额<100万"
        path = tmp_path / "escape.xlsx"
        write_workbook(WorkbookKind.SELF_EVAL, path, data)
        model = read_workbook(path).model
        assert isinstance(model, SelfEvalWorkbook)
        files = render_selfeval(model, evaluate(model), tmp_path / "out", templates_dir,
                                reports=[OVERALL_REPORT])  # fmt: skip
        text = docx_text(files[1])
        assert "财政局 & 教育局联合开展，金额<100万。" in text
        assert "评价工作组人员名单" in text  # nothing after the user text was lost

def test_score_objects_come_from_the_engine(tmp_path: Path) -> None:
    evaluation = evaluate(build(tmp_path))
    assert all(isinstance(r.score, Score) for c in evaluation.projects for r in c.indicators)
