"""Every regular expression of the ``generator`` package, and adversarial inputs for each.

Discovery is automatic so that a pattern added tomorrow is tested too:

- every ``re.Pattern`` reachable from a module's globals (directly, in a tuple/list/dict, or as a
  class attribute) of every module under ``generator/``;
- every literal pattern passed to ``re.compile/search/match/fullmatch/sub/subn/findall/finditer/
  split`` anywhere in the source (found with ``ast``), including literals a ``for`` loop feeds to
  such a call.

The inputs are built from the pattern itself (``re._parser``): each character the pattern accepts
repeated 10⁵ times, pairs of them alternating, and every prefix of the pattern (a minimal string that
matches its first k items, e.g. "第一季度") followed by 10⁵ copies of an accepted character or
repeated as a unit. Those are the strings that make a backtracking matcher quadratic
(``\\d+亿`` on digits, ``\\s*\\n\\s*`` on spaces, ``x\\s*y?\\s*z`` on spaces after x).

Run as ``python -m tests.hostile.regexes`` it times every (pattern, input) pair and prints one JSON
line per pair, "start" before and "done" after, so a caller can name a pattern that never finishes.
"""

from __future__ import annotations

import ast
import importlib
import itertools
import json
import pkgutil
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # Python ≥ 3.11
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

import generator

PACKAGE_DIR = Path(generator.__file__).resolve().parent
N = 100_000
RE_FUNCTIONS = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
                "split": 3, "sub": 4, "subn": 4}  # name -> position of the flags argument


@dataclass(frozen=True)
class Found:
    pattern: str
    flags: int
    where: str  # module.name or file:line, for messages


# ---- discovery --------------------------------------------------------------------------------

def _collect(value: Any, where: str, out: dict[tuple[str, int], Found], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            out.setdefault((value.pattern, value.flags & ~re.UNICODE), Found(value.pattern, value.flags, where))
    elif depth < 3 and isinstance(value, (tuple, list, frozenset, set)):
        for i, item in enumerate(value):
            _collect(item, f"{where}[{i}]", out, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            _collect(item, f"{where}[{key!r}]", out, depth + 1)


def module_patterns() -> dict[tuple[str, int], Found]:
    out: dict[tuple[str, int], Found] = {}
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name.endswith("__main__"):
            continue  # running it is the command line itself
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, item in vars(value).items():
                    _collect(item, f"{info.name}.{name}.{attr}", out)
            else:
                _collect(value, f"{info.name}.{name}", out)
    return out


def _flags(node: ast.expr | None) -> int:
    if node is None:
        return 0
    try:
        return int(eval(compile(ast.Expression(node), "<flags>", "eval"), {"re": re}))  # noqa: S307
    except Exception:  # a variable: unknown flags, test without
        return 0


def _literals(node: ast.expr, loops: dict[str, list[str]]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):
        return loops.get(node.id, [])
    return []


def source_patterns() -> dict[tuple[str, int], Found]:
    out: dict[tuple[str, int], Found] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        loops: dict[str, list[str]] = {}  # loop variable -> the string literals it iterates over
        for node in ast.walk(tree):
            if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name) \
                    and isinstance(node.iter, (ast.Tuple, ast.List)):
                values = [e.value for e in node.iter.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                if values:
                    loops.setdefault(node.target.id, []).extend(values)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in RE_FUNCTIONS and node.args):
                continue
            position = RE_FUNCTIONS[node.func.attr]
            flag_node = node.args[position] if len(node.args) > position else next(
                (k.value for k in node.keywords if k.arg == "flags"), None)
            for pattern in _literals(node.args[0], loops):
                where = f"{path.relative_to(PACKAGE_DIR.parent)}:{node.lineno}"
                flags = _flags(flag_node)
                out.setdefault((pattern, flags), Found(pattern, flags, where))
    return out


def all_patterns() -> list[Found]:
    found = source_patterns()
    for key, item in module_patterns().items():
        found.setdefault(key, item)
    return sorted(found.values(), key=lambda f: f.where)


# ---- adversarial inputs -------------------------------------------------------------------------

_CATEGORY_CHARS = {
    C.CATEGORY_DIGIT: "1０", C.CATEGORY_NOT_DIGIT: "a中", C.CATEGORY_SPACE: " \u2002\n\u3000",
    C.CATEGORY_NOT_SPACE: "a中", C.CATEGORY_WORD: "a中_", C.CATEGORY_NOT_WORD: " 。",
}
_ANY = "a中 。1"


def _set_chars(items: list[Any]) -> str:
    chars = ""
    negated = False
    for op, arg in items:
        if op is C.NEGATE:
            negated = True
        elif op is C.LITERAL:
            chars += chr(arg)
        elif op is C.RANGE:
            chars += chr(arg[0]) + chr(arg[1])
        elif op is C.CATEGORY:
            chars += _CATEGORY_CHARS.get(arg, "")
    # a negated set accepts almost anything: ordinary characters, plus its own (the boundary)
    return _ANY + chars if negated else chars


def accepted_chars(items: Any, repeated: bool = False) -> str:
    """Characters the pattern (a parsed sequence) accepts somewhere, deduplicated, in order.

    With ``repeated``, only those under a quantifier: the ones backtracking multiplies.
    """
    out: list[str] = []

    def walk(seq: Any, under: bool) -> None:
        for op, arg in seq:
            take = under or not repeated
            if op is C.LITERAL and take:
                out.append(chr(arg))
            elif op is C.NOT_LITERAL and take:
                out.append(chr(arg) + "a中")
            elif op is C.IN and take:
                out.append(_set_chars(arg))
            elif op is C.ANY and take:
                out.append(_ANY)
            elif op is C.CATEGORY and take:
                out.append(_CATEGORY_CHARS.get(arg, ""))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
                walk(arg[2], under or arg[1] > 1)
            elif op is C.SUBPATTERN:
                walk(arg[-1], under)
            elif op is getattr(C, "ATOMIC_GROUP", None):
                walk(arg, under)
            elif op is C.BRANCH:
                for branch in arg[1]:
                    walk(branch, under)
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(arg[1], under)
            elif op is C.GROUPREF_EXISTS:
                for branch in arg[1:]:
                    if branch is not None:
                        walk(branch, under)

    walk(items, False)
    return "".join(dict.fromkeys("".join(out)))


class _Sampler:
    """Minimal strings matching parts of a pattern (not exact: assertions are ignored)."""

    def __init__(self) -> None:
        self.groups: dict[int, str] = {}

    def seq(self, items: Any) -> str:
        return "".join(self.item(op, arg) for op, arg in items)

    def item(self, op: Any, arg: Any) -> str:
        if op is C.LITERAL:
            return chr(arg)
        if op is C.NOT_LITERAL:
            return "b" if arg == ord("a") else "a"
        if op is C.IN:
            chars = [c for c in _set_chars(arg) if c not in _ANY] or ["a"]
            return "a" if any(o is C.NEGATE for o, _ in arg) else chars[0]
        if op is C.ANY:
            return "a"
        if op is C.CATEGORY:
            return _CATEGORY_CHARS.get(arg, "a")[0]
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            low = arg[0]
            return self.seq(arg[2]) * min(max(low, 1), 20)
        if op is C.SUBPATTERN:
            text = self.seq(arg[-1])
            if arg[0] is not None:
                self.groups[arg[0]] = text
            return text
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self.seq(arg)
        if op is C.BRANCH:
            return self.seq(arg[1][0])
        if op is C.GROUPREF:
            return self.groups.get(arg, "")
        if op is C.GROUPREF_EXISTS:
            return self.seq(arg[1])
        return ""  # AT, ASSERT, ASSERT_NOT: zero width


def prefixes(items: Any, outer: str = "") -> Iterator[str]:
    """A sample of every prefix of the pattern, nested groups and branches included."""
    sampler = _Sampler()
    done = ""
    for op, arg in items:
        yield outer + done
        inner: list[Any] = []
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            inner = [arg[2]]
        elif op is C.SUBPATTERN:
            inner = [arg[-1]]
        elif op is C.BRANCH:
            inner = list(arg[1])
        for seq in inner:
            yield from prefixes(seq, outer + done)
        done += sampler.item(op, arg)
    yield outer + done


def adversarial_inputs(pattern: str, flags: int = 0, n: int = N) -> Iterator[tuple[str, str]]:
    """(label, text) pairs of about ``n`` characters that stress ``pattern``."""
    parsed = P.parse(pattern, flags)
    # Characters under a quantifier first: those are what a run of n copies stresses.
    chars = "".join(dict.fromkeys(accepted_chars(parsed.data, repeated=True) + accepted_chars(parsed.data)))
    chars = chars[:16] or "a"
    seen: set[str] = set()

    def emit(label: str, text: str) -> Iterator[tuple[str, str]]:
        if text and text not in seen:
            seen.add(text)
            yield label, text

    for c in chars:
        yield from emit(f"{c!r}×n", c * n)
    for a, b in itertools.combinations(chars[:8], 2):
        yield from emit(f"({a + b!r})×n/2", (a + b) * (n // 2))
    units = [p for p in dict.fromkeys(prefixes(parsed.data)) if p]
    for unit in units[:16]:
        yield from emit(f"({unit!r})×k", (unit * (n // len(unit) + 1))[:n])
        if len(unit) > 1:
            yield from emit(f"({unit[:-1]!r})×k", (unit[:-1] * (n // (len(unit) - 1) + 1))[:n])
        for c in chars[:6]:
            yield from emit(f"{unit!r}+{c!r}×n", unit + c * n)
            yield from emit(f"{c!r}×n+{unit!r}", c * n + unit)


def run(out: Any = sys.stdout) -> None:
    """Time every pattern on every adversarial input; one JSON line before and after each."""
    for i, found in enumerate(all_patterns()):
        compiled = re.compile(found.pattern, found.flags)
        for label, text in adversarial_inputs(found.pattern, found.flags):
            out.write(json.dumps({"event": "start", "pattern": i, "where": found.where,
                                  "regex": found.pattern, "input": label}) + "\n")  # ASCII: patterns hold surrogates
            out.flush()
            start = time.perf_counter()
            for _ in compiled.finditer(text):  # every match, as findall/sub/search would
                pass
            out.write(json.dumps({"event": "done", "pattern": i,
                                  "seconds": round(time.perf_counter() - start, 4)}) + "\n")
            out.flush()
    out.write(json.dumps({"event": "end"}) + "\n")


if __name__ == "__main__":
    run()
