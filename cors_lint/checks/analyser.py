"""Decide how strong an origin check is, and prove it when it is weak.

``judge(check)`` returns a ``Verdict``:

* STRONG: no attacker origin we could build gets through (exact equality,
  membership in a real collection, a suffix with a leading dot, an anchored
  regex that only admits the intended host and its subdomains...);
* WEAK: an origin an attacker can register passes; ``proof`` names it, and
  it was verified by running the check's own matching function on it;
* UNKNOWN: cannot tell (unresolved patterns, an unconfigured validator, a
  regex refused as too risky to run, the time budget ran out);
* NONE: the guard does not test the origin at all.

The analysis never guesses from a pattern's text alone: candidate origins
(see ``candidates``) are run through the real test - ``re.match`` /
``search`` / ``fullmatch`` with the same flags, ``str.startswith``/
``endswith``/``in``, ``fnmatch``, the urlparse part the code looks at - and
only a candidate that passes, is browser-shaped and is foreign to every
intended host becomes a proof.  ``null`` passing makes a pattern check
weak too (proof ``null``), except in exact allowlists, where it is left to
COR103.  Scheme downgrades (``http://`` twin of an intended ``https``
host) do not make a check weak; they are reported in ``insecure_proof`` for
COR105.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Callable, Iterable

from ..facts.model import CheckKind, Guard, OriginCheck
from ..findings import Confidence
from . import budget
from . import candidates as cand
from . import evaluate
from . import matchers
from . import regex_safety as rs
from .origins import ATTACKER, has_common_tld, is_proof_origin, is_shared_hosting, parse_origin, public_suffix


class Strength(IntEnum):
    NONE = 0
    WEAK = 1
    UNKNOWN = 2
    STRONG = 3


@dataclass(frozen=True)
class Verdict:
    """The judgement on one check (or guard).

    ``proof``: an attacker origin that passes (WEAK only), already verified.
    ``reason``: why, in words fit for a message.  ``insecure_proof``: an
    ``http://`` origin of an intended host that passes (COR105).
    ``intended``: the origins/hosts the check seems meant for.
    ``confidence``: lower when the verdict rests on partial information
    (a refused regex, a denylist that was not fully resolved).  ``family``:
    the kind of bypass the proof is (see ``candidates``).
    """

    strength: Strength
    proof: str | None = None
    reason: str = ""
    check: OriginCheck | None = None
    insecure_proof: str | None = None
    intended: tuple[str, ...] = ()
    confidence: Confidence = Confidence.HIGH
    family: str = ""  # which bypass the proof uses: foreign/suffix/prefix/dot/sibling/truncated/null
    # a conditional proof: the proof passes *if* this holds ("a configured
    # pattern is `https://app\.example\.com`"); such verdicts are low confidence
    condition: str = ""

    @property
    def is_weak(self) -> bool:
        return self.strength == Strength.WEAK


class _Problem(Exception):
    """A pattern that cannot be run: invalid, refused or too slow."""

    def __init__(self, reason: str, confidence: Confidence = Confidence.LOW) -> None:
        super().__init__(reason)
        self.reason = reason
        self.confidence = confidence


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------


def judge(check: OriginCheck, trusted_validators: tuple[str, ...] = ()) -> Verdict:
    """Judge one origin check (see the module docstring)."""
    if check.kind == CheckKind.VALIDATOR:
        return replace(_judge_validator(check, trusted_validators), check=check)
    # a Referer is a full URL: its checks are run on URL candidates
    url = check.source in cand.URL_SOURCES
    key = (check.kind, check.patterns, check.subject, check.matcher, check.flags, check.resolved, check.expr, check.configured, url)
    verdict = _CACHE.get(key)
    if verdict is None:
        verdict = _judge_uncached(check, url)
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = verdict
    if getattr(check, "from_default", False) and verdict.confidence == Confidence.HIGH:
        # the patterns are a default (os.getenv("X", "...")): production may differ
        verdict = replace(verdict, confidence=Confidence.MEDIUM)
    return replace(verdict, check=check)


def judge_guard(guard: Guard, trusted_validators: tuple[str, ...] = ()) -> Verdict:
    """Strength of a whole guard: a conjunction is as strong as its strongest
    part, a disjunction as weak as its weakest.  When every part of a
    conjunction is weak, the proof must pass all of them (it is re-checked;
    without a common proof the guard is UNKNOWN)."""
    verdicts = [judge(c, trusted_validators) for c in guard.checks]
    verdicts += [judge_guard(g, trusted_validators) for g in guard.children]
    verdicts = [v for v in verdicts if v.strength != Strength.NONE]
    if not verdicts:
        return Verdict(Strength.NONE)
    if guard.conjunctive:
        return _all_of(verdicts, lambda origin: _guard_passes(guard, origin))
    return min(verdicts, key=lambda v: v.strength)


def judge_guards(guards: Iterable[Guard], trusted_validators: tuple[str, ...] = ()) -> Verdict:
    """All guards hold at once: the strongest one decides (and a weak
    verdict's proof must pass every guard)."""
    guards = tuple(guards)
    verdicts = [judge_guard(g, trusted_validators) for g in guards]
    verdicts = [v for v in verdicts if v.strength != Strength.NONE]
    if not verdicts:
        return Verdict(Strength.NONE)

    def passes_all(origin: str) -> bool | None:
        results = [_guard_passes(g, origin) for g in guards]
        return False if False in results else (None if None in results else True)

    return _all_of(verdicts, passes_all)


def _all_of(verdicts: list[Verdict], passes: Callable[[str], bool | None]) -> Verdict:
    best = max(verdicts, key=lambda v: v.strength)
    if best.strength != Strength.WEAK:
        return without_refuted_insecure(best, passes)
    weak = [v for v in verdicts if v.strength == Strength.WEAK]
    if len(weak) == 1:
        return best
    try:
        with rs.deadline(budget.PER_CHECK_SECONDS):
            for v in weak:
                if v.proof is not None and passes(v.proof):
                    return v
    except rs.MatchTimeout:
        pass
    return Verdict(
        Strength.UNKNOWN,
        reason="each test is weak on its own, but no single origin was found that passes all of them",
        check=best.check,
        confidence=Confidence.LOW,
    )


def without_refuted_insecure(verdict: Verdict, passes: Callable[[str], bool | None]) -> Verdict:
    """A plain-HTTP twin one test admits must also pass the tests it is
    joined with: in ``scheme == "https" and host == DOMAIN`` the host test
    alone admits ``http://DOMAIN``, the whole condition does not.  The twin
    is dropped only when running the other tests rejects it (a test that
    cannot be run leaves it standing)."""
    if verdict.insecure_proof is None:
        return verdict
    try:
        with rs.deadline(budget.PER_CHECK_SECONDS):
            refuted = passes(verdict.insecure_proof) is False
    except rs.MatchTimeout:
        refuted = False
    return replace(verdict, insecure_proof=None) if refuted else verdict


def passes_check(check: OriginCheck, origin: str) -> bool | None:
    """Would ``origin`` pass ``check``?  None when the check cannot be run
    (validators, unresolved or refused patterns)."""
    kind = check.kind
    positive = {
        CheckKind.NOT_EQUALS: CheckKind.EQUALS,
        CheckKind.NOT_IN_COLLECTION: CheckKind.IN_COLLECTION,
    }.get(kind)
    matcher = check.matcher
    if kind == CheckKind.NEGATED:
        positive, matcher = _negated_inner(check)
        if positive is None:
            return None
    if kind == CheckKind.EXPRESSION:
        try:
            with rs.deadline(budget.PER_CHECK_SECONDS):
                return evaluate.holds(check.expr, origin)
        except (evaluate.Unknown, rs.MatchTimeout, RecursionError):
            return None
    run_kind = positive or kind
    if run_kind in (CheckKind.VALIDATOR, CheckKind.UNKNOWN) or not check.patterns:
        return None
    try:
        tests, _intended, problems = _tests_for(run_kind, check.patterns, check.subject, matcher, check.flags)
    except ValueError:
        return None
    if problems or not tests:
        return None
    result = any(t(origin) for t in tests)
    return (not result) if positive is not None else result


def guards_pass(guards: Iterable[Guard], origin: str) -> bool | None:
    """Would ``origin`` get past all of these guards?  (None: cannot tell.)"""
    results = [_guard_passes(g, origin) for g in guards]
    return False if False in results else (None if None in results else True)


def _guard_passes(guard: Guard, origin: str) -> bool | None:
    results = [passes_check(c, origin) for c in guard.checks]
    results += [_guard_passes(g, origin) for g in guard.children]
    if not results:
        return True
    if guard.conjunctive:
        return False if False in results else (None if None in results else True)
    return True if True in results else (None if None in results else False)


def judge_entry(value: str, match: str, flags: int = 0) -> Verdict:
    """Judge one library policy entry under the library's matching function.

    ``match`` is one of ``matchers.ENTRY_MODES`` (see ``matchers`` for each
    one's exact semantics).  Exact-style entries (``matchers.EXACT_MODES``
    and the literals of the ``regex-if-*`` modes) are STRONG even when they admit
    ``null``: that is COR103's finding.  Everything else is judged by
    running candidates through the library's test.  An unknown ``match``
    raises ``ValueError``.
    """
    key = ("entry", value, match, flags)
    verdict = _CACHE.get(key)
    if verdict is None:
        verdict = _judge_entry_uncached(value, match, flags)
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = verdict
    return verdict


def describe(verdict: Verdict) -> str:
    """A one-line explanation: what passes and why."""
    if verdict.strength == Strength.WEAK and verdict.proof and verdict.condition:
        return f"if {verdict.condition}, then {verdict.proof} passes: {verdict.reason}"
    if verdict.strength == Strength.WEAK and verdict.proof:
        return f"{verdict.proof} passes: {verdict.reason}"
    return verdict.reason


_CACHE: dict[tuple, Verdict] = {}


# ---------------------------------------------------------------------------
# per-kind judgement
# ---------------------------------------------------------------------------

_REASONS = {
    CheckKind.IN_STRING: "membership in a string is a substring test",
    CheckKind.CONTAINS: "a substring test accepts any origin that contains the text",
    CheckKind.STARTSWITH: "startswith() accepts any longer host",
    CheckKind.ENDSWITH: "endswith() without a leading dot accepts other domains ending in the same letters",
    CheckKind.GLOB: "the glob accepts origins outside the intended domain",
    CheckKind.NOT_EQUALS: "a denylist lets every other origin through",
    CheckKind.NOT_IN_COLLECTION: "a denylist lets every other origin through",
    CheckKind.NEGATED: "a denylist lets every other origin through",
}


def _judge_validator(check: OriginCheck, trusted: tuple[str, ...]) -> Verdict:
    name = check.patterns[0] if check.patterns else ""
    if name and any(_dotted_suffix(name, t) for t in trusted):
        return Verdict(Strength.STRONG, reason=f"{name} is a configured origin validator")
    return Verdict(Strength.UNKNOWN, reason=f"{name or 'the function'} is not a configured origin validator (trusted_validators)")


def _dotted_suffix(a: str, b: str) -> bool:
    a, b = a.strip("."), b.strip(".")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _judge_uncached(check: OriginCheck, url: bool = False) -> Verdict:
    """``url``: the tested value is a full URL (the Referer), so attacker
    candidates are URLs (``candidates.as_urls``)."""
    kind = check.kind
    if kind == CheckKind.UNKNOWN:
        return Verdict(Strength.UNKNOWN, reason="the origin test could not be understood")
    if kind == CheckKind.EXPRESSION:
        return _run(lambda: _judge_expression(check.expr, url))
    if check.subject not in ("origin", "host", "netloc", "scheme"):
        return Verdict(Strength.UNKNOWN, reason=f"a test on the parsed URL ({check.subject}) is not analysed")
    if kind in (CheckKind.EQUALS, CheckKind.IN_COLLECTION) and check.subject == "scheme":
        # "urlparse(origin).scheme == 'https'" pins nothing about the host
        if not check.patterns:
            return Verdict(Strength.UNKNOWN, reason="a scheme test against a value that could not be resolved")
        verdict = _run(lambda: _evaluate([matchers.on_subject(lambda v: v in check.patterns, "scheme")], [], url=url))
        if verdict.is_weak:
            return replace(verdict, reason="a test on the scheme alone accepts every host")
        return verdict
    if kind == CheckKind.EQUALS:
        # equality is exact whatever the constant ("null" is COR103's business)
        why = "equality with a constant" if check.patterns else "equality with a value that could not be resolved (still exact)"
        return Verdict(Strength.STRONG, reason=why, intended=check.patterns)
    if kind == CheckKind.IN_COLLECTION and check.configured == "switch":
        return _judge_switch(check)
    if kind == CheckKind.IN_COLLECTION:
        if not check.patterns and not check.resolved:
            return Verdict(Strength.UNKNOWN, reason="membership in a value that could not be resolved (a string would make it a substring test)")
        return Verdict(Strength.STRONG, reason="membership in a collection of exact origins", intended=check.patterns)
    if kind in (CheckKind.NOT_EQUALS, CheckKind.NOT_IN_COLLECTION, CheckKind.NEGATED):
        return _judge_denylist(check)
    if check.configured and kind in (CheckKind.IN_STRING, CheckKind.REGEX, CheckKind.STARTSWITH, CheckKind.CONTAINS):
        return _judge_configured(check, url)
    if kind in (CheckKind.IN_STRING, CheckKind.CONTAINS, CheckKind.STARTSWITH, CheckKind.ENDSWITH, CheckKind.REGEX, CheckKind.GLOB):
        if not check.patterns or not check.resolved:
            return Verdict(Strength.UNKNOWN, reason="the pattern could not be resolved")
        return _run(lambda: _judge_patterns(kind, check.patterns, check.subject, check.matcher, check.flags, url))
    return Verdict(Strength.UNKNOWN, reason=f"{kind.value} checks are not analysed")


def _judge_entry_uncached(value: str, match: str, flags: int) -> Verdict:
    if match not in matchers.ENTRY_MODES:
        raise ValueError(f"unknown match mode {match!r} (expected one of {', '.join(matchers.ENTRY_MODES)})")
    if match in matchers.EXACT_MODES:
        return Verdict(Strength.STRONG, reason="an exact origin entry", intended=(value,))
    if match in matchers.REGEX_HINTS:
        if value != "*" and not matchers.entry_is_pattern(value, match):
            return Verdict(Strength.STRONG, reason="an exact origin entry (compared case-insensitively)", intended=(value,))
    if match == "substring":
        return _run(lambda: _judge_patterns(CheckKind.IN_STRING, (value,), "origin", "", 0))

    def work() -> Verdict:
        try:
            test, regex = matchers.entry_predicate(value, match, flags)
        except re.error as exc:
            raise _Problem(f"invalid regex {value!r}: {exc}", Confidence.MEDIUM) from None
        except rs.UnsafePattern as exc:
            raise _Problem(f"regex {value!r} not evaluated: {exc}") from None
        effective_flags = flags | (re.IGNORECASE if match in matchers.REGEX_HINTS else 0)
        intended = _regex_intended(regex, effective_flags, test) if regex else []
        verdict = _evaluate([test], intended)
        if verdict.strength == Strength.WEAK:
            verdict = replace(verdict, reason=_entry_reason(value, match, regex, verdict.family, verdict.proof))
        return verdict

    return _run(work)


def _entry_reason(value: str, match: str, regex: str, family: str, proof: str | None = None) -> str:
    if family == cand.SIBLING:
        why = _sibling_reason(proof)
        return f"the entry {value!r} is a regex tested with re.match; {why}" if match in matchers.REGEX_HINTS else why
    if match == matchers.GLOB_MODE:
        return f"the glob {value!r} becomes the regex {regex!r}, and '*' also matches dots"
    fn = matchers.REGEX_MODES.get(match, "match")
    why = _PATTERN_REASONS.get((fn, family)) or _FAMILY_REASONS.get(family) or "the pattern accepts origins outside the intended domain"
    if match in matchers.REGEX_HINTS:
        return f"the entry {value!r} is a regex tested with re.match; {why}"
    return why


# ---------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------


def _run(work: Callable[[], Verdict]) -> Verdict:
    """Run ``work`` under the per-check deadline and the file budget."""
    seconds = budget.allowance()
    if seconds <= 0:
        return Verdict(Strength.UNKNOWN, reason="analysis time budget for this file exhausted", confidence=Confidence.LOW)
    try:
        with budget.charge(), rs.deadline(seconds):
            return work()
    except rs.MatchTimeout:
        return Verdict(Strength.UNKNOWN, reason=f"matching took longer than {seconds:.2f}s and was stopped", confidence=Confidence.LOW)
    except _Problem as problem:
        return Verdict(Strength.UNKNOWN, reason=problem.reason, confidence=problem.confidence)
    except RecursionError:
        return Verdict(Strength.UNKNOWN, reason="pattern too deeply nested to analyse", confidence=Confidence.LOW)


def _literal_test(kind: CheckKind, pattern: str) -> matchers.Predicate:
    if kind == CheckKind.STARTSWITH:
        return lambda v: v.startswith(pattern)
    if kind == CheckKind.ENDSWITH:
        return lambda v: v.endswith(pattern)
    if kind == CheckKind.CONTAINS:
        return lambda v: pattern in v
    if kind == CheckKind.IN_STRING:
        return lambda v: v in pattern
    if kind in (CheckKind.EQUALS, CheckKind.NOT_EQUALS):
        return lambda v: v == pattern
    if kind in (CheckKind.IN_COLLECTION, CheckKind.NOT_IN_COLLECTION):
        return lambda v: v == pattern
    raise ValueError(kind)


def _regex_intended(pattern: str, flags: int, test: matchers.Predicate) -> list[cand.Intended]:
    out = []
    for sample in cand.regex_samples(pattern, flags):
        if len(sample) > rs.MAX_SUBJECT or not test(sample):
            continue
        item = cand.intended_from_text(sample)
        if item is not None and item not in out:
            out.append(item)
    return out


def _tests_for(kind: CheckKind, patterns: tuple[str, ...], subject: str, matcher: str, flags: int):
    """Predicates (one per pattern, any of them admits), intended hosts,
    and the problems met (invalid or refused patterns)."""
    tests: list[matchers.Predicate] = []
    intended: list[cand.Intended] = []
    problems: list[_Problem] = []
    for pattern in patterns:
        if kind == CheckKind.REGEX:
            try:
                raw = matchers.regex_test(pattern, matcher or "match", flags)
            except re.error as exc:
                problems.append(_Problem(f"invalid regex {pattern!r}: {exc}", Confidence.MEDIUM))
                continue
            except rs.UnsafePattern as exc:
                problems.append(_Problem(f"regex {pattern!r} not evaluated: {exc}"))
                continue
            items = _regex_intended(pattern, flags, raw)
        elif kind == CheckKind.GLOB:
            try:
                raw = matchers.glob_test(pattern, matcher or "fnmatch")
            except (re.error, rs.UnsafePattern) as exc:
                problems.append(_Problem(f"glob {pattern!r} not evaluated: {exc}"))
                continue
            item = cand.intended_from_glob(pattern)
            items = [item] if item else []
        else:
            raw = _literal_test(kind, pattern)
            if kind == CheckKind.IN_STRING:
                items = [i for i in (cand.intended_from_text(e) for e in _entries(pattern)) if i]
            else:
                item = cand.intended_from_text(pattern)
                items = [item] if item else []
        tests.append(matchers.on_subject(raw, subject))
        intended.extend(i for i in items if i not in intended)
    return tests, intended, problems


def _judge_patterns(kind: CheckKind, patterns: tuple[str, ...], subject: str, matcher: str, flags: int, url: bool = False) -> Verdict:
    tests, intended, problems = _tests_for(kind, patterns, subject, matcher, flags)
    extra: list[str] = []
    if kind == CheckKind.IN_STRING:
        for p in patterns:
            extra.extend(_substring_candidates(p) if subject == "origin" else _host_substring_candidates(p))
        # longest first, but a truncation ending in a familiar TLD before the others
        extra.sort(key=lambda origin: not has_common_tld(origin))
    embeds = _url_embeds(kind, patterns, flags) if url and subject == "origin" else ()
    verdict = _evaluate(tests, intended, extra, url, embeds) if tests else None
    if verdict is not None and verdict.strength == Strength.WEAK:
        return replace(verdict, reason=_reason(kind, patterns, matcher, verdict.proof, verdict.family))
    if problems:
        # a proof through a pattern we could run would have been returned
        raise problems[0]
    if verdict is None:
        return Verdict(Strength.UNKNOWN, reason="no pattern could be evaluated", confidence=Confidence.LOW)
    if kind == CheckKind.IN_STRING and verdict.strength == Strength.STRONG:
        return replace(verdict, strength=Strength.UNKNOWN, confidence=Confidence.LOW, reason="membership in a string is a substring test, but no attacker-registrable origin passes")
    return verdict


_FAMILY_REASONS = {
    cand.FOREIGN: "it accepts any origin",
    cand.NULL: "it accepts the origin 'null', which any site can send from a sandboxed iframe",
    cand.DOT: "an unescaped '.' in the host matches any character",
    cand.SIBLING: "the suffix is a public suffix, under which anyone can register a name",
    cand.TRUNCATED: "membership in a string is a substring test",
    cand.EXTENSION: "it accepts every browser extension's origin, and anyone can publish an extension",
    cand.EMBEDDED: "a page on any site can carry the address in its path or query, and sends it as its Referer",
}
_PATTERN_REASONS = {
    ("match", cand.SUFFIX): "re.match is a prefix match and nothing anchors the end of the host",
    ("search", cand.SUFFIX): "re.search matches anywhere and nothing anchors the end of the host",
    ("fullmatch", cand.SUFFIX): "the pattern lets anything follow the domain",
    ("match", cand.PREFIX): "a wildcard runs straight into the domain without a '\\.' boundary",
    ("search", cand.PREFIX): "re.search matches anywhere and nothing anchors the start of the host",
    ("fullmatch", cand.PREFIX): "a wildcard runs straight into the domain without a '\\.' boundary",
}


def _reason(kind: CheckKind, patterns: tuple[str, ...], matcher: str, proof: str | None, family: str = "") -> str:
    """Why the proof gets through, in words that point at the fix."""
    if family == cand.SIBLING:
        return _sibling_reason(proof)
    if kind in (CheckKind.REGEX, CheckKind.GLOB):
        fn = "fullmatch" if kind == CheckKind.GLOB else (matcher or "match")
        if kind == CheckKind.GLOB and family == cand.PREFIX:
            return "'*' in the glob runs straight into the domain and also matches dots"
        text = _PATTERN_REASONS.get((fn, family)) or _FAMILY_REASONS.get(family)
        return text or "the pattern accepts origins outside the intended domain"
    if family in (cand.FOREIGN, cand.NULL, cand.SIBLING, cand.EXTENSION, cand.EMBEDDED) and kind != CheckKind.IN_STRING:
        base = _REASONS.get(kind, "the check")
        return f"{base}; {_FAMILY_REASONS[family]}" if family != cand.SIBLING else _FAMILY_REASONS[family]
    return _REASONS.get(kind, "the check accepts an origin outside the intended domain")


def _sibling_reason(proof: str | None) -> str:
    """Why a name directly under the trusted suffix is no proof of
    ownership: name the suffix, and say when it is a hosting provider's."""
    origin = parse_origin(proof) if proof else None
    if origin is None:
        return _FAMILY_REASONS[cand.SIBLING]
    suffix = public_suffix(origin.host)
    if is_shared_hosting(suffix):
        return f"anyone can get a subdomain of {suffix}, a shared hosting domain"
    return f"anyone can register a name under the public suffix {suffix}"


def _entries(text: str) -> list[str]:
    return [e for e in re.split(r"[\s,;|]+", text) if e]


def _substring_candidates(text: str) -> list[str]:
    """Origins hidden inside a string: truncated entries (``https://a.co``
    inside ``"https://a.com"``), longest first."""
    out = []
    for m in re.finditer(r"https?://[A-Za-z0-9.:\[\]-]+", text[:2000]):
        entry = m.group(0)
        head = entry.index("://") + 3
        for end in range(len(entry), head + 2, -1):
            out.append(entry[:end])
            if len(out) > 200:
                return out
    return out


def _host_substring_candidates(text: str) -> list[str]:
    """For a host/netloc tested against a string: truncated host entries
    (``app.example.co`` inside ``"app.example.com"``) as origins."""
    out = []
    for entry in _entries(text[:2000]):
        host = entry.split("://", 1)[-1].split("/", 1)[0]
        for end in range(len(host), 2, -1):
            out.append(f"https://{host[:end]}")
            if len(out) > 200:
                return out
    return out


def _url_embeds(kind: CheckKind, patterns: tuple[str, ...], flags: int) -> tuple[str, ...]:
    """What a URL candidate may carry after the attacker's origin: the
    check's strings, or a few strings its regexes match."""
    if kind == CheckKind.REGEX:
        return tuple(sample for p in patterns for sample in cand.regex_samples(p, flags)[:3])
    if kind in (CheckKind.CONTAINS, CheckKind.STARTSWITH, CheckKind.ENDSWITH):
        return patterns
    return ()


def _evaluate(tests: list[matchers.Predicate], intended: list[cand.Intended], extra: Iterable[str] = (), url: bool = False, embeds: tuple[str, ...] = ()) -> Verdict:
    """Run candidates through ``tests`` (any test admitting counts); with
    ``url``, URL candidates (``candidates.as_urls``), whose origin part must
    be the attacker's."""

    def passes(origin: str) -> bool:
        return any(t(origin) for t in tests)

    hosts = tuple(i.host for i in intended)
    shown = tuple(o for i in intended for o in i.origins()[:1])
    null_passes = False
    proof = None
    family = ""
    candidates = [*((e, cand.TRUNCATED) for e in extra), *cand.attack_origins(intended)]
    if url:
        candidates = cand.as_urls(candidates, intended, embeds)
    for candidate, kind in candidates:
        if candidate == "null":
            null_passes = passes("null")
            continue
        if is_proof_origin(cand.url_origin(candidate) if url else candidate, hosts) and passes(candidate):
            proof, family = candidate, kind
            break
    insecure = None
    for secure, plain in cand.insecure_variants(intended):
        if passes(f"{plain}/" if url else plain):
            insecure = plain
            break
    if proof is None and null_passes:
        proof, family = "null", cand.NULL
    if proof is not None:
        return Verdict(Strength.WEAK, proof, "", insecure_proof=insecure, intended=shown, family=family)
    reason = "none of the attacker origins tried passes (suffix, prefix, unescaped dot, foreign, null)"
    return Verdict(Strength.STRONG, None, reason, insecure_proof=insecure, intended=shown)


# -- settings of unknown content ------------------------------------------------

# What a setting plausibly holds, and an origin that then passes: the proof is
# conditional, so it is run on that hypothetical value before it is offered.
_EXAMPLE_HOST = "app.example.com"
_CONFIGURED = {
    # kind: (hypothetical value for an origin / for a host or netloc, proof origin, reason)
    CheckKind.REGEX: (
        (r"https://app\.example\.com", r"app\.example\.com"),
        f"https://{_EXAMPLE_HOST}.{ATTACKER}",
        "{fn} is a {what} match whatever the configured pattern is, so a pattern without an end anchor accepts longer hosts",
    ),
    CheckKind.STARTSWITH: (
        (f"https://{_EXAMPLE_HOST}", _EXAMPLE_HOST),
        f"https://{_EXAMPLE_HOST}.{ATTACKER}",
        "startswith() is a prefix test whatever the setting holds, so a value without a path accepts longer hosts",
    ),
    CheckKind.IN_STRING: (
        (f"https://{_EXAMPLE_HOST}", _EXAMPLE_HOST),
        "https://app.example.co",
        "membership in a string is a substring test whatever the setting holds",
    ),
    CheckKind.CONTAINS: (
        (f"https://{_EXAMPLE_HOST}", _EXAMPLE_HOST),
        f"https://{_EXAMPLE_HOST}.{ATTACKER}",
        "a substring test accepts any value that contains the setting, whatever it holds",
    ),
}
# the same proofs for a Referer (a full URL); others get a path ("/")
_CONFIGURED_URL_PROOFS = {
    CheckKind.CONTAINS: f"https://{ATTACKER}/?next=https://{_EXAMPLE_HOST}/",
}


def _judge_configured(check: OriginCheck, url: bool = False) -> Verdict:
    """``re.match(<setting>, origin)`` / ``origin in <str setting>``: weak
    whatever the setting holds, shown with a conditional proof that was
    run on a plausible value (low confidence: the real value is unknown).
    With ``url`` (a Referer) the proof is the URL of a page (``/``, or for
    a substring test a page carrying the configured address in its query)."""
    if check.subject not in ("origin", "host", "netloc"):
        return Verdict(Strength.UNKNOWN, reason="a test of a setting of unknown content on a part of the origin", confidence=Confidence.LOW)
    values, proof, reason = _CONFIGURED[check.kind]
    value = values[0] if check.subject == "origin" else values[1]
    if url:
        proof = _CONFIGURED_URL_PROOFS.get(check.kind, f"{proof}/")
    subject = matchers.project(proof, check.subject)
    if subject is None:
        return Verdict(Strength.UNKNOWN, reason="no conditional proof", confidence=Confidence.LOW)
    if check.kind == CheckKind.REGEX:
        passes = matchers.safe_accepts(value, subject, check.matcher or "match", check.flags)
        fn = f"re.{check.matcher or 'match'}"
        reason = reason.format(fn=fn, what="prefix" if (check.matcher or "match") == "match" else "substring")
        condition = f"a configured pattern is `{value}`"
    elif check.kind == CheckKind.STARTSWITH:
        passes = subject.startswith(value)
        condition = f"the setting holds `{value}`"
    elif check.kind == CheckKind.CONTAINS:
        passes = value in subject
        condition = f"the setting holds `{value}`"
    else:
        passes = subject in value
        condition = f"the setting holds `{value}`"
    if not passes:
        return Verdict(Strength.UNKNOWN, reason="the conditional proof did not pass", confidence=Confidence.LOW)
    family = {CheckKind.IN_STRING: cand.TRUNCATED, CheckKind.CONTAINS: cand.EMBEDDED if url else cand.SUFFIX}.get(check.kind, cand.SUFFIX)
    return Verdict(Strength.WEAK, proof, reason, confidence=Confidence.LOW, condition=condition, family=family)


def _judge_switch(check: OriginCheck) -> Verdict:
    """``{"*", origin} & <configured collection>``: exact membership, except
    that the constant beside the origin is a switch.  When the deployment
    puts it in the collection every origin passes; whether it does is
    unknown, so the proof is conditional (run on a collection holding only
    the switch) and low confidence."""
    proof = f"https://{ATTACKER}"
    for switch in check.patterns:
        hypothetical = {switch}
        if {*check.patterns, matchers.project(proof, check.subject) or proof} & hypothetical:
            return Verdict(
                Strength.WEAK,
                proof,
                f"`{switch}` in the configured collection is an allow-all switch",
                confidence=Confidence.LOW,
                condition=f"the configured collection contains `{switch}`",
                family=cand.FOREIGN,
            )
    return Verdict(Strength.UNKNOWN, reason="no conditional proof", confidence=Confidence.LOW)


# -- whole expressions --------------------------------------------------------


def _judge_expression(tree: tuple, url: bool = False) -> Verdict:
    """Run the recorded test itself (``checks/evaluate``) on the attacker
    candidates built from its constants, patterns and globs."""
    intended: list[cand.Intended] = []

    def add(item: cand.Intended | None) -> None:
        if item is not None and item not in intended:
            intended.append(item)

    for text in evaluate.constants(tree):
        for entry in _entries(text)[:20]:
            add(cand.intended_from_text(entry))
    for pattern, flags in evaluate.regexes(tree):
        try:
            test = matchers.regex_test(pattern, "search", flags)
        except (re.error, rs.UnsafePattern, ValueError):
            continue
        for item in _regex_intended(pattern, flags, test):
            add(item)
    for pattern in evaluate.globs(tree):
        add(cand.intended_from_glob(pattern))
    extra: list[str] = []
    for haystack in evaluate.substring_haystacks(tree):
        extra.extend(_substring_candidates(haystack) if "://" in haystack else _host_substring_candidates(haystack))
    extra.sort(key=lambda origin: not has_common_tld(origin))
    try:
        embeds = (*evaluate.constants(tree), *(s for p, f in evaluate.regexes(tree) for s in cand.regex_samples(p, f)[:3])) if url else ()
        verdict = _evaluate([lambda origin: evaluate.holds(tree, origin)], intended, extra, url, embeds)
    except evaluate.Unknown as exc:
        return Verdict(Strength.UNKNOWN, reason=f"the test could not be run: {exc}", confidence=Confidence.LOW)
    if verdict.is_weak:
        return replace(verdict, reason=_expression_reason(verdict.family, verdict.proof))
    return replace(verdict, reason="run on every attacker origin built from its constants, the test rejects them all")


_EXPRESSION_REASONS = {
    cand.FOREIGN: "the test accepts an origin unrelated to every host it names",
    cand.SUFFIX: "nothing pins the end of the host, so a longer host passes",
    cand.PREFIX: "nothing pins the start of the host (no leading '.'), so another domain ending in the same letters passes",
    cand.DOT: "an unescaped '.' in a pattern matches any character",
    cand.TRUNCATED: "a substring test accepts a shorter host",
}


def _expression_reason(family: str, proof: str | None) -> str:
    if family == cand.SIBLING:
        return _sibling_reason(proof)
    return _EXPRESSION_REASONS.get(family) or _FAMILY_REASONS.get(family) or "the test accepts an origin outside the intended domain"


# -- denylists --------------------------------------------------------------------


def _judge_denylist(check: OriginCheck) -> Verdict:
    """``origin != X``, ``origin not in X``, ``not <check>``: everything the
    list does not name gets through."""
    inner_kind, inner_matcher = _negated_inner(check)

    def work() -> Verdict:
        tests: list[matchers.Predicate] = []
        verified = False
        if inner_kind is not None and check.patterns:
            positive, _intended, problems = _tests_for(inner_kind, check.patterns, check.subject, inner_matcher, check.flags)
            if not problems:
                tests = positive
                verified = True
        for candidate in (f"https://{ATTACKER}", f"https://www.{ATTACKER}", "https://attacker-cors.example"):
            if verified:
                if not any(t(candidate) for t in tests):
                    return Verdict(Strength.WEAK, candidate, _REASONS[check.kind])
            elif not any(p and p in candidate for p in check.patterns):
                confidence = Confidence.HIGH if check.resolved and check.kind != CheckKind.NEGATED else Confidence.MEDIUM
                return Verdict(Strength.WEAK, candidate, _REASONS[check.kind], confidence=confidence)
        return Verdict(Strength.UNKNOWN, reason="a denylist, but every candidate origin is denied", confidence=Confidence.LOW)

    return _run(work)


def _negated_inner(check: OriginCheck) -> tuple[CheckKind | None, str]:
    if check.kind == CheckKind.NOT_EQUALS:
        return CheckKind.EQUALS, ""
    if check.kind == CheckKind.NOT_IN_COLLECTION:
        return CheckKind.IN_COLLECTION, ""
    # facts/guards.py records a negated check's own kind as "kind:matcher"
    kind_text, _, matcher = (check.matcher or "").partition(":")
    try:
        kind = CheckKind(kind_text)
    except ValueError:
        return None, ""
    if kind in (CheckKind.NEGATED, CheckKind.VALIDATOR, CheckKind.UNKNOWN):
        return None, ""
    return kind, matcher


__all__ = ["Strength", "Verdict", "judge", "judge_guard", "judge_guards", "judge_entry", "describe", "passes_check", "guards_pass", "without_refuted_insecure"]
