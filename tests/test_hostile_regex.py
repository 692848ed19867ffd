"""Every regular expression in the package runs in linear time on 10⁵-character adversarial input.

The patterns are discovered automatically (``tests/hostile/regexes.py``): a pattern added to any
module is covered without touching this test. The timing runs in a child process so that a
quadratic pattern (seconds to minutes on 10⁵ characters, against milliseconds when linear) is
named and stopped instead of hanging the suite. The bound is generous -- linear patterns take
well under 50 ms per input here -- so a busy machine does not make it flaky.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile.regexes import adversarial_inputs, all_patterns

ROOT = Path(__file__).resolve().parent.parent
PER_INPUT_SECONDS = 2.0  # linear: < 0.05 s; the known quadratic offenders: 15 s and more
TOTAL_SECONDS = 900.0


def test_discovery_finds_module_patterns_and_literals_inside_functions() -> None:
    found = {f.pattern: f for f in all_patterns()}
    assert r"\d+(?:\.\d+)?\s*亿(?![元人次份件个台册股美])" in found or any("亿" in p for p in found)
    assert any(f.where.startswith("generator.read.values.") for f in found.values())  # module level
    assert any(":" in f.where for f in found.values())  # re.sub(r"...") inside a function
    assert any("has no attribute" in p for p in found)  # a literal fed to re.search by a for loop
    assert len(found) >= 50


def test_adversarial_inputs_include_the_known_killers() -> None:
    texts = {label: text for label, text in adversarial_inputs(r"\d+(?:\.\d+)?\s*亿", 0, n=1000)}
    assert "1" * 1000 in texts.values()
    spaces = dict(adversarial_inputs(r"\s*\n\s*", 0, n=1000))
    assert "\u2002" * 1000 in spaces.values()
    after_keyword = dict(adversarial_inputs(r"第([一二])季度\s*(?:累计)?\s*(\d+)", 0, n=1000))
    assert "第一季度" + " " * 1000 in after_keyword.values()


def test_every_pattern_is_linear_on_adversarial_input() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.hostile.regexes"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    slow: list[str] = []
    current: dict[str, object] | None = None
    started = time.monotonic()
    deadline = started + TOTAL_SECONDS
    cases = 0
    try:
        while True:
            wait = PER_INPUT_SECONDS if current is not None else max(deadline - time.monotonic(), 0.1)
            if not selector.select(timeout=wait):
                if current is not None:
                    slow.append(f"{current['where']} {current['regex']!r} on {current['input']}: "
                                f"more than {PER_INPUT_SECONDS} s (stopped)")
                else:
                    slow.append("the regex benchmark did not finish in time")
                break
            line = proc.stdout.readline()
            if not line:
                break
            event = json.loads(line)
            if event["event"] == "start":
                current = event
            elif event["event"] == "done":
                cases += 1
                assert current is not None
                if event["seconds"] > PER_INPUT_SECONDS:
                    slow.append(f"{current['where']} {current['regex']!r} on {current['input']}: "
                                f"{event['seconds']} s")
                current = None
            elif event["event"] == "end":
                break
            if time.monotonic() > deadline:
                slow.append("the regex benchmark did not finish in time")
                break
    finally:
        proc.kill()
        proc.wait()
    assert not slow, "\n".join(slow)
    errors = proc.stderr.read() if proc.stderr else ""
    assert cases > 5000, f"only {cases} cases ran; stderr: {errors[-2000:]}"
