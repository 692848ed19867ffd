"""Compiled templates kept across runs (``render/code_cache.py``): the same document as compiling,
never a stale template, never a failure when the cache folder cannot be used."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.app.pipeline import check_one, render
from generator.render import code_cache, docx_render, jinja_env
from generator.resources import examples_dir, templates_dir

# Long enough to be cached (code_cache.MIN_SOURCE_CHARS), and using what the environment adds.
PADDING = "<!-- " + "填充" * code_cache.MIN_SOURCE_CHARS + " -->"
SOURCE = PADDING + "{{ name }}：{{ amount }}万元，{{ amount|fixed }}，{{ rate }}"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "budget-report" / "jinja"


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources Jinja actually compiled."""
    sources: list[str] = []
    original = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        sources.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return sources


def _render(source: str, autoescape: bool = True, **context: Any) -> str:
    """In a new environment (a new process, as far as the in-process cache is concerned)."""
    from decimal import Decimal

    from generator.compute.money import Rate

    context = {"name": "甲<乙>", "amount": Decimal("12.50"), "rate": Rate("0.114"), **context}
    env = jinja_env._CompilingOnceEnvironment(autoescape=autoescape)
    return env.from_string(source).render(context)


def _key(source: str) -> str:
    """The entry's name of ``source`` in the Word environment."""
    import hashlib

    fingerprint = code_cache._fingerprint(jinja_env._CompilingOnceEnvironment())
    assert fingerprint is not None
    return hashlib.sha256(fingerprint + source.encode("utf-8")).hexdigest()


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jinja-code")) if folder.is_dir() else []


def test_a_second_run_loads_the_code_and_renders_the_same(cache_home: Path, compiled: list[str]) -> None:
    cold = _render(SOURCE)
    assert compiled == [SOURCE] and len(_entries(cache_home)) == 1
    warm = _render(SOURCE)
    assert compiled == [SOURCE]  # not compiled again
    assert warm == cold and cold.endswith("甲&lt;乙&gt;：12.5万元，12.50，11.4%")


def test_the_cached_word_document_is_the_compiled_one(
        tmp_path: Path, cache_home: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    checked = check_one(examples_dir() / "2021-高新区科技局-部门预算.xlsx", tmp_path / "check", annotate=False)
    documents = []
    for run in ("cold", "warm"):
        # A fresh environment each time: only the cache folder links the two runs.
        monkeypatch.setattr(docx_render, "make_environment", lambda: jinja_env._CompilingOnceEnvironment())
        folder = tmp_path / run
        folder.mkdir()
        compiled.clear()
        files = [f for f in render(checked, folder, templates_dir()) if f.suffix == ".docx"]
        with zipfile.ZipFile(files[0]) as archive:
            documents.append({n: archive.read(n) for n in archive.namelist()})
        if run == "cold":
            assert any(len(s) >= code_cache.MIN_SOURCE_CHARS for s in compiled)
        else:
            assert all(len(s) < code_cache.MIN_SOURCE_CHARS for s in compiled)  # the big one came from the cache
    assert documents[0] == documents[1]


def test_an_edited_template_is_compiled_again(cache_home: Path, compiled: list[str]) -> None:
    assert _render(SOURCE).endswith("11.4%")
    edited = SOURCE.replace("万元", "元")
    assert _render(edited).endswith("甲&lt;乙&gt;：12.5元，12.50，11.4%")
    assert compiled == [SOURCE, edited] and len(_entries(cache_home)) == 2


def test_the_environment_is_part_of_the_key(cache_home: Path, compiled: list[str]) -> None:
    # The same source, escaping (Word) and not (Excel text): two entries, two results.
    assert _render(SOURCE, autoescape=True).endswith("甲&lt;乙&gt;：12.5万元，12.50，11.4%")
    assert _render(SOURCE, autoescape=False).endswith("甲<乙>：12.5万元，12.50，11.4%")
    assert len(compiled) == 2 and len(_entries(cache_home)) == 2


def test_a_cache_folder_that_cannot_be_made_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         compiled: list[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _render(SOURCE) == _render(SOURCE)
    assert len(compiled) == 2  # compiled each time, without a word


def test_a_folder_others_may_write_to_is_not_used(cache_home: Path, compiled: list[str]) -> None:
    cache_home.mkdir(parents=True)
    cache_home.chmod(0o777)
    first = _render(SOURCE)
    assert _render(SOURCE) == first and len(compiled) == 2 and _entries(cache_home) == []


def test_a_damaged_entry_is_compiled_again_and_replaced(cache_home: Path, compiled: list[str]) -> None:
    cold = _render(SOURCE)
    entry = _entries(cache_home)[0]
    data = entry.read_bytes()
    # Cut short, one byte changed, a constant changed (marshal reads that one without complaint).
    wording = data.replace("万元".encode(), "千元".encode())
    assert wording != data
    for damaged in (data[:len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]), wording, b"", b"\x00" * 64):
        entry.write_bytes(damaged)
        assert _render(SOURCE) == cold
        assert entry.read_bytes() == data  # replaced by a good one
    assert len(compiled) == 6


def test_an_unwritable_entry_leaves_rendering_alone(cache_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                    compiled: list[str]) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError("read-only")

    monkeypatch.setattr(code_cache.tempfile, "mkstemp", refuse)
    assert _render(SOURCE) == _render(SOURCE) and len(compiled) == 2 and _entries(cache_home) == []


def test_the_least_recently_used_entries_go(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_cache, "MAX_FILES", 2)
    sources = [SOURCE + str(i) for i in range(3)]
    _render(sources[0])
    _render(sources[1])
    older, newer = (code_cache.cache_dir() / (_key(s) + ".jinja-code") for s in sources[:2])
    os.utime(older, (1_000_000, 1_000_000))
    os.utime(newer, (2_000_000, 2_000_000))
    _render(sources[0])  # used again: now the most recent of the two
    _render(sources[2])
    assert len(_entries(cache_home)) == 2
    kept = {e.name for e in _entries(cache_home)}
    compiled_again: list[str] = []
    original = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled_again.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    _render(sources[0])
    _render(sources[2])
    assert compiled_again == [] and {e.name for e in _entries(cache_home)} == kept
    _render(sources[1])
    assert compiled_again == [sources[1]]


def test_small_sources_are_not_written(cache_home: Path) -> None:
    assert _render("{{ name }}") == "甲&lt;乙&gt;"
    assert _entries(cache_home) == []
