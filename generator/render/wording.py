"""Wording that is not in a Word template: Excel titles, headers and notes, in one readable file.

Each document set has a TOML file beside the Word templates (``templates/公开表.toml``,
``templates/自评表.toml`` …) that a user can edit in any text editor; its strings are written in
the template language of ``render.jinja_env`` (``"{{ year }}年部门收支总表"``). Renderers ask for a
phrase by its dotted key and the facts it needs::

    words = Wording.load(templates_dir, "公开表")
    words("部门收支总表.title", year=2021)        # "2021年部门收支总表"
    words.list("部门收支总表.headers")              # ["序号", "收入", …]

The same words as the Word documents (a table's empty note, the 单位 line) are defined once here
and passed to the Word templates too, so the two can never disagree.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from generator.messages import UserError, say
from generator.render.jinja_env import text_environment


class WordingError(UserError):
    """A wording file is missing, malformed or lacks a phrase; the message is for users."""


class Wording:
    """The phrases of one wording file."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        self._data = data
        self.source = source

    @classmethod
    def load(cls, templates_dir: Path, name: str) -> Wording:
        path = Path(templates_dir) / f"{name}.toml"
        try:
            with path.open("rb") as fh:
                return cls(tomllib.load(fh), path.name)
        except FileNotFoundError as exc:
            raise WordingError(say("wording.missing", path=path)) from exc
        except tomllib.TOMLDecodeError as exc:
            raise WordingError(say("wording.syntax", name=path.name, error=exc)) from exc

    def raw(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise WordingError(say("wording.key", name=self.source, key=key))
            node = node[part]
        return node

    def __call__(self, key: str, **facts: Any) -> str:
        """The phrase at ``key`` worded with ``facts``."""
        return self.render(self.raw(key), key, **facts)

    def list(self, key: str, **facts: Any) -> list[str]:
        """A list of phrases (e.g. a table's column headers), each worded with ``facts``."""
        value = self.raw(key)
        if not isinstance(value, list):
            raise WordingError(say("wording.list", name=self.source, key=key))
        return [self.render(item, key, **facts) for item in value]

    def render(self, text: Any, key: str, **facts: Any) -> str:
        if not isinstance(text, str):
            raise WordingError(say("wording.text", name=self.source, key=key))
        if "{" not in text:
            return text
        try:
            return text_environment().from_string(text).render(**facts)
        except jinja2.TemplateError as exc:
            raise WordingError(say("wording.failed", name=self.source, key=key, error=exc)) from exc
