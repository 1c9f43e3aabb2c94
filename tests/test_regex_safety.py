"""Patterns from scanned code must never hang the linter."""

from __future__ import annotations

import re
import time

import libcst as cst
import pytest

from cors_lint.checks import Strength, judge, judge_entry, judge_guards
from cors_lint.checks import regex_safety as rs
from cors_lint.engine import lint_source
from cors_lint.facts import extract_facts
from cors_lint.facts.model import CheckKind, OriginCheck

# Generous: the real cost is a few milliseconds.  Only a safety net against
# a hang; the verdicts below are the actual assertions.
BOUND_SECONDS = 5.0

PATHOLOGICAL = [
    r"(a+)+$",
    r"^(https?://)?([a-z]+)*\.example\.com$",
    r"(.*)*x",
    r"(a|a)*$",
    r"(a|aa)*$",
    r"^(\w+\.?)+$",
    r"(x+x+)+y",
    r".*.*.*.*.*=",
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
]

SAFE = [
    r"^https://[a-z0-9-]+\.example\.com$",
    r"^https://([a-z0-9-]+\.)*example\.com$",
    r"^https?://(www\.)?example\.com(:\d+)?$",
    r"https://.*\.example\.com",
    r"^(https?|wss?)://[a-z]+$",
    r"(\.(com|org))*",
    r".*",
]

SCANNED = '''\
import re
from flask import request


def exponential(resp):
    origin = request.headers.get("Origin", "")
    if re.match(r"(a+)+$", origin):
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp


def nested_host(resp):
    origin = request.headers.get("Origin", "")
    if re.match(r"^(https?://)?([a-z]+)*\\.example\\.com$", origin):
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp


def alternation(resp):
    origin = request.headers.get("Origin", "")
    if re.fullmatch(r"(https://|https://)*(a|a)*\\.example\\.com", origin):
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp
'''


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_screening_refuses_catastrophic_patterns(pattern: str) -> None:
    assert rs.screen(pattern) is not None


@pytest.mark.parametrize("pattern", SAFE)
def test_screening_accepts_ordinary_patterns(pattern: str) -> None:
    assert rs.screen(pattern) is None


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_refused_pattern_is_unknown_with_low_confidence(pattern: str) -> None:
    start = time.perf_counter()
    verdict = judge(OriginCheck(CheckKind.REGEX, (pattern,), matcher="match"))
    entry = judge_entry(pattern, "prefix-regex")
    assert time.perf_counter() - start < BOUND_SECONDS
    assert verdict.strength == Strength.UNKNOWN
    assert entry.strength == Strength.UNKNOWN
    assert verdict.confidence.value == "low"
    assert "not evaluated" in verdict.reason


def test_pathological_patterns_in_a_scanned_file_finish_quickly() -> None:
    start = time.perf_counter()
    result = lint_source(SCANNED, "patho.py")
    elapsed = time.perf_counter() - start
    assert result.error is None
    assert elapsed < BOUND_SECONDS, elapsed
    # refused, so neither "unguarded" nor a confident "weak": at most a
    # low-confidence COR102, never a COR101
    assert not [f for f in result.findings if f.code == "COR101"], result.findings
    assert all(f.confidence.value == "low" for f in result.findings if f.code == "COR102"), result.findings
    facts = extract_facts(cst.parse_module(SCANNED), "patho.py")
    writes = [w for w in facts.header_writes if w.name == "access-control-allow-origin"]
    assert len(writes) == 3
    for write in writes:
        verdict = judge_guards(write.guards)
        assert verdict.strength == Strength.UNKNOWN, verdict
        assert "not evaluated" in verdict.reason


def test_invalid_and_oversized_patterns() -> None:
    with pytest.raises(re.error):
        rs.screen("(")
    assert rs.screen("a" * (rs.MAX_PATTERN + 1)) is not None


@pytest.mark.skipif(not rs.deadline_available(), reason="needs SIGPROF and setitimer in the main thread")
def test_deadline_interrupts_a_runaway_match() -> None:
    import signal

    before = signal.getsignal(signal.SIGPROF)
    # bypass screening on purpose: the deadline is the last line of defence
    compiled = re.compile(r"(a+)+$")
    start = time.perf_counter()
    with pytest.raises(rs.MatchTimeout):
        with rs.deadline(0.05):
            compiled.match("a" * 40 + "!")
    assert time.perf_counter() - start < BOUND_SECONDS
    # the previous handler is back and no timer is left running
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0
    assert signal.getsignal(signal.SIGPROF) == (before if before is not None else signal.SIG_DFL)


@pytest.mark.skipif(not rs.deadline_available(), reason="needs SIGPROF and setitimer in the main thread")
def test_deadline_counts_cpu_time_not_waiting() -> None:
    # a loaded machine makes a trivial match wait for a core; waiting is not
    # the pattern's cost and must not be judged "ran out of time"
    with rs.deadline(0.05) as armed:
        assert armed
        time.sleep(0.15)
        assert re.fullmatch(r"https://.*", "https://attacker.example")


@pytest.mark.skipif(not rs.deadline_available(), reason="needs SIGPROF and setitimer in the main thread")
def test_deadline_is_armed_under_the_jobs_1_backstop() -> None:
    from cors_lint.runner import run_with_backstop

    def runaway() -> str:
        with pytest.raises(rs.MatchTimeout):
            with rs.deadline(0.05) as armed:
                assert armed
                re.compile(r"(a+)+$").match("a" * 40 + "!")
        return "stopped"

    assert run_with_backstop(runaway, backstop=60) == "stopped"


def test_deadline_leaves_fast_work_alone() -> None:
    with rs.deadline(1.0):
        assert re.fullmatch(r"https://[a-z]+\.example\.com", "https://app.example.com")


def test_odd_patterns_degrade_quietly() -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        huge = judge(OriginCheck(CheckKind.REGEX, (r"a{99999999999}",), matcher="match"))
        nested_set = judge(OriginCheck(CheckKind.REGEX, (r"[[a]bc",), matcher="match"))
        deep = judge(OriginCheck(CheckKind.REGEX, ("(" * 300 + "a" + ")" * 300,), matcher="match"))
    assert huge.strength == Strength.UNKNOWN and "invalid regex" in huge.reason
    # neither can match anything starting with "http"
    assert nested_set.strength == Strength.STRONG
    assert deep.strength == Strength.STRONG
    # the scanned project's regex warnings are not the linter user's
    assert not [w for w in caught if issubclass(w.category, FutureWarning)]
