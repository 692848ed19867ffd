"""The validation rules: one table, one signature, each held to the codes it declares.

* every code of ``findings.CODES`` (which the user documentation lists) is declared exactly where it
  is made: by a rule of ``validate/rules.py`` or by a step in ``OTHER_STEPS``; and a module names
  only the codes declared for it;
* run one at a time over every bad-input workbook and every example, each rule emits only its
  declared codes, and rules never change the workbook;
* every code is emitted by some case of a corpus whose own test checks it (the bad-input corpus,
  the hostile corpus) -- no code is documented that nothing makes.
"""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
from pathlib import Path

import pytest

from generator.compute.scoring import rules_for_tree
from generator.compute.selfeval import evaluate
from generator.model import BudgetWorkbook, SelfEvalWorkbook
from generator.model.indicator_tree import DEFAULT
from generator.model.schema import WorkbookKind
from generator.read.normalise import normalise
from generator.read.reader import ReadResult, read_workbook
from generator.resources import examples_dir
from generator.validate import validate
from generator.validate.findings import CODES
from generator.validate.rules import OTHER_STEPS, RULES, Rule
from generator.validate.subject import Subject
from tests.hostile.corpus import CASES as HOSTILE_CASES
from tests.test_bad_inputs import CASES, _make

# Modules whose checks rules of another module call: their codes count for that module.
HELPERS = {"generator.validate.indicators": "generator.validate.indicator_rules",
           "generator.validate.indicator_values": "generator.validate.indicator_rules",
           "generator.validate.scores": "generator.validate.selfeval"}
# A code no corpus case can make, and the test that does make it.
ELSEWHERE = {"catalog-file": "tests.test_catalog:test_a_malformed_catalogue_beside_the_workbook_is_an_error_at_the_region"}


def _codes_named_in(module: str) -> set[str]:
    source = Path(inspect.getfile(importlib.import_module(module))).read_text(encoding="utf-8")
    return {n.value for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in CODES}


def _declared_by_module() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {m: set(codes) for m, codes in OTHER_STEPS.items()}
    for rule in RULES:
        out.setdefault(rule.check.__module__, set()).update(rule.codes)
    return out


def test_every_code_is_declared_by_a_rule_or_a_step_and_documented() -> None:
    declared = {c for codes in _declared_by_module().values() for c in codes}
    assert declared - set(CODES) == set(), "declared but not in findings.CODES (the documented list)"
    assert set(CODES) - declared == set(), "documented in findings.CODES but declared by no rule or step"


def test_each_module_names_only_the_codes_declared_for_it() -> None:
    declared = _declared_by_module()
    named: dict[str, set[str]] = {}
    for module in (*declared, *HELPERS):
        named.setdefault(HELPERS.get(module, module), set()).update(_codes_named_in(module))
    for module, codes in named.items():
        assert codes - declared.get(module, set()) == set(), f"{module} makes codes it does not declare"


def _read(path: Path) -> ReadResult:
    result = read_workbook(path)
    normalise(result, DEFAULT)
    return result


def _subject(result: ReadResult) -> Subject[BudgetWorkbook | SelfEvalWorkbook]:
    assert result.model is not None
    evaluation = (evaluate(result.model, rules_for_tree(DEFAULT))
                  if isinstance(result.model, SelfEvalWorkbook) else None)
    return Subject(result.model, DEFAULT, evaluation, result.texts)


def _workbooks(tmp_path: Path) -> list[tuple[str, Path]]:
    out = [(p.stem, p) for p in sorted(examples_dir().glob("*.xlsx"))]
    for n, case in enumerate(CASES):
        folder = tmp_path / str(n)
        folder.mkdir()
        out.append((case.name, _make(case, folder)[0]))
    return out


def _applies(rule: Rule, result: ReadResult) -> bool:
    return result.kind in rule.kinds


def test_each_rule_emits_only_its_declared_codes_and_changes_nothing(tmp_path: Path) -> None:
    reading = set(OTHER_STEPS["generator.read.reader"]) | set(OTHER_STEPS["generator.read.catalog_file"])
    normalising = set(OTHER_STEPS["generator.read.normalise"])
    for name, path in _workbooks(tmp_path):
        result = _read(path)
        assert {f.code for f in result.findings} <= reading | normalising, name
        if result.model is None:
            continue
        subject = _subject(result)
        before = copy.deepcopy(result.model)
        for rule in RULES:
            if _applies(rule, result):
                made = {f.code for f in rule.check(subject)}
                assert made <= set(rule.codes), f"{name}: {rule.name} made {made - set(rule.codes)}"
        assert result.model == before, f"{name}: a rule changed the workbook"


def test_every_code_is_made_by_some_case_of_a_checked_corpus() -> None:
    made = {c.code for c in CASES} | {code for c in HOSTILE_CASES for code in c.codes} | set(ELSEWHERE)
    assert set(CODES) - made == set(), "no corpus case makes these codes: add a bad input for each"
    for code, test in ELSEWHERE.items():
        module, function = test.split(":")
        assert callable(getattr(importlib.import_module(module), function, None)), f"{code}: {test} is gone"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_each_rule_has_a_bad_input_of_its_kind_that_makes_one_of_its_codes(rule: Rule) -> None:
    kinds = {"budget": WorkbookKind.BUDGET, "self": WorkbookKind.SELF_EVAL}
    corpus = {(kinds[c.kind], c.code) for c in CASES}
    corpus |= {(WorkbookKind.BUDGET, code) for c in HOSTILE_CASES for code in c.codes}  # all budgets
    assert any((kind, code) in corpus for kind in rule.kinds for code in rule.codes), \
        f"{rule.name}: no case of the bad-input corpus makes any of {rule.codes}"


def test_validate_normalises_before_its_rules_so_the_level_rule_sees_the_tree_names(tmp_path: Path) -> None:
    # "效果指标" means 效益指标: normalised (a 警告), never also reported as unknown (an 错误).
    case = next(c for c in CASES if c.name == "level1-effect")
    path, _ = _make(case, tmp_path)
    found = validate(read_workbook(path))
    assert [f.code for f in found if f.code.startswith("level")] == ["level-normalized"]
