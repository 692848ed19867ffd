"""The words of the scoring explanations: an :class:`~generator.compute.scoring.Explanation` as text.

The scoring engine states facts (``Explanation(key, facts)``); the sentences are the ``[score]``
section of ``自评表.toml`` in the templates folder, written in the template language of
``render.jinja_env``. A fact that is itself an explanation (a clause such as the indicator's
kind, or the reason a row could not be scored) is worded first, by its own key::

    words = Wording.load(templates_dir, "自评表")
    say(score.explanation, words)      # "预算执行率 = 全年执行数 / 全年预算数 = … ，得分 = …"
    explain(score)                     # the same with the shipped templates

The 自评表 renderer words with the user's templates folder; the findings (``validate.scores``),
which have no templates folder, with the shipped one. This module imports only the engine's types
at first and the wording machinery (Jinja) when it words something, so validation can use it
without importing any document renderer -- ``check`` loads Jinja only when a finding quotes an
explanation -- and nothing here imports validation: no cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from generator.compute.scoring import Explanation, Score
from generator.resources import templates_dir

if TYPE_CHECKING:
    from generator.render.wording import Wording

__all__ = ["SECTION", "WORDING", "explain", "notes_of", "say", "shipped_wording"]

WORDING = "自评表"
SECTION = "score"


@cache
def shipped_wording() -> Wording:
    """The phrases of the shipped ``自评表.toml`` (read once per process)."""
    from generator.render.wording import Wording

    return Wording.load(templates_dir(), WORDING)


def _worded(value: object, words: Wording) -> object:
    return say(value, words) if isinstance(value, Explanation) else value


def say(explanation: Explanation, words: Wording | None = None) -> str:
    """``explanation`` worded by ``words`` (the shipped wording when None)."""
    words = words or shipped_wording()
    facts: Mapping[str, object] = {name: _worded(v, words) for name, v in explanation.facts}
    return words(f"{SECTION}.{explanation.key}", **facts)


def explain(score: Score, words: Wording | None = None) -> str:
    """How ``score`` was obtained, as one text (the 计分说明)."""
    return say(score.explanation, words)


def notes_of(score: Score, words: Wording | None = None) -> tuple[str, ...]:
    """The notes of ``score`` (评分提示), one text each."""
    return tuple(say(note, words) for note in score.notes)
