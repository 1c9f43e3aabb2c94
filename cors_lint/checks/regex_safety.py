"""Running regexes from untrusted code without hanging the linter.

Patterns in scanned files are compiled and matched, never anything else.
Three layers keep that bounded:

1. **Screening** (``screen``): the parsed pattern is refused before any
   match when it has the shapes that make a backtracking engine explode:
   a quantifier over something that itself contains an unbounded quantifier
   over overlapping characters with no mandatory separator (``(a+)+``,
   ``(.*)*``, ``(\\w+\\.?)+``), a quantified alternation whose branches can
   start with the same character (``(a|a)*``, ``(\\w|\\d)+``), and long chains
   of adjacent overlapping unbounded quantifiers (``.*.*.*.*x``, polynomial).
   ``([a-z0-9-]+\\.)*`` passes: the mandatory ``\\.`` separates repetitions.
2. **Short subjects**: candidate origins are at most ``MAX_SUBJECT`` chars.
3. **A deadline** (``deadline``): on CPython, ``_sre`` checks for pending
   signals while it backtracks, so a ``SIGPROF`` raised from a CPU-time
   interval timer interrupts a runaway match (measured on 3.11: a ``(a+)+$``
   match that would take minutes stops after the 50 ms timer).  It is only
   armed in the main thread, on platforms with ``setitimer``, and when no
   other profiling timer is running; elsewhere layers 1 and 2 are the
   defence.
"""

from __future__ import annotations

import re
import signal
import string
import threading
import warnings
from contextlib import contextmanager
from typing import Iterator

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_PATTERN = 2000  # longer patterns are not analysed
MAX_SUBJECT = 120  # longest candidate origin ever matched
MAX_CHAIN = 3  # adjacent overlapping unbounded quantifiers allowed in a row

_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT} | ({C.POSSESSIVE_REPEAT} if hasattr(C, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)
_PROBE = frozenset(string.ascii_letters + string.digits + string.punctuation + " \t\n\x00\u00e9")


class UnsafePattern(Exception):
    """The pattern was refused (screening, size, or it ran out of time)."""


class MatchTimeout(Exception):
    """A match ran past its deadline."""


def parse(pattern: str, flags: int = 0):
    """The ``sre`` parse tree (raises ``re.error`` for invalid patterns).
    Warnings about the scanned pattern (``FutureWarning: Possible nested
    set``) are the scanned project's business, not the linter user's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return sre_parse.parse(pattern, flags)
        except (OverflowError, ValueError) as exc:  # "repetition number is too large"
            raise re.error(str(exc)) from None


def screen(pattern: str, flags: int = 0) -> str | None:
    """Why ``pattern`` is too risky to run, or None when it is safe enough.
    Raises ``re.error`` for an invalid pattern."""
    if len(pattern) > MAX_PATTERN:
        return f"pattern longer than {MAX_PATTERN} characters"
    tree = parse(pattern, flags)
    return _screen_seq(list(tree), flags)


# -- character sets over a probe alphabet ------------------------------------


def _category(cat, ch: str) -> bool:
    name = str(cat).upper()
    if "NOT_DIGIT" in name:
        return not ch.isdigit()
    if "DIGIT" in name:
        return ch.isdigit()
    if "NOT_WORD" in name:
        return not (ch.isalnum() or ch == "_")
    if "WORD" in name:
        return ch.isalnum() or ch == "_"
    if "NOT_SPACE" in name:
        return not ch.isspace()
    if "SPACE" in name:
        return ch.isspace()
    return True


def _in_set(items, ch: str, flags: int) -> bool:
    negate = False
    hit = False
    variants = {ch, ch.lower(), ch.upper()} if flags & re.IGNORECASE else {ch}
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit = hit or chr(av) in variants
        elif op is C.RANGE:
            hit = hit or any(av[0] <= ord(v) <= av[1] for v in variants)
        elif op is C.CATEGORY:
            hit = hit or _category(av, ch)
    return hit != negate


def charset(op, av, flags: int) -> frozenset[str] | None:
    """The probe characters one single-character element can match (None
    when the element is not a single character)."""
    if op is C.LITERAL:
        c = chr(av)
        return frozenset({c, c.lower(), c.upper()} if flags & re.IGNORECASE else {c})
    if op is C.NOT_LITERAL:
        return frozenset(_PROBE - {chr(av)})
    if op is C.ANY:
        return _PROBE if flags & re.DOTALL else frozenset(_PROBE - {"\n"})
    if op is C.IN:
        return frozenset(ch for ch in _PROBE if _in_set(av, ch, flags))
    return None


def _first(seq, flags: int) -> tuple[frozenset[str], bool]:
    """First-character set of a sequence, and whether it can match empty."""
    out: set[str] = set()
    for op, av in seq:
        single = charset(op, av, flags)
        if single is not None:
            return frozenset(out | single), False
        if op in _REPEATS:
            lo, _hi, body = av
            f, nullable = _first(list(body), flags)
            out |= f
            if lo >= 1 and not nullable:
                return frozenset(out), False
            continue
        if op is C.SUBPATTERN or op == _ATOMIC:
            f, nullable = _first(list(av[-1]), flags)
            out |= f
            if not nullable:
                return frozenset(out), False
            continue
        if op is C.BRANCH:
            any_nullable = False
            for alt in av[1]:
                f, nullable = _first(list(alt), flags)
                out |= f
                any_nullable = any_nullable or nullable
            if not any_nullable:
                return frozenset(out), False
            continue
        if op is C.GROUPREF:
            return frozenset(_PROBE), False
        # AT, ASSERT, ASSERT_NOT and the like consume nothing
    return frozenset(out), True


def _unbounded(av) -> bool:
    lo, hi, _body = av
    return hi == C.MAXREPEAT or hi > 16


def _inner_unbounded_sets(seq, flags: int) -> list[frozenset[str]]:
    found: list[frozenset[str]] = []
    for op, av in seq:
        if op in _REPEATS:
            if _unbounded(av):
                f, _ = _first(list(av[2]), flags)
                found.append(f)
            found.extend(_inner_unbounded_sets(list(av[2]), flags))
        elif op is C.SUBPATTERN or op == _ATOMIC:
            found.extend(_inner_unbounded_sets(list(av[-1]), flags))
        elif op is C.BRANCH:
            for alt in av[1]:
                found.extend(_inner_unbounded_sets(list(alt), flags))
    return found


def _has_separator(seq, against: frozenset[str], flags: int) -> bool:
    """Does every match of ``seq`` contain a character ``against`` cannot?"""
    for op, av in seq:
        single = charset(op, av, flags)
        if single is not None and not (single & against):
            return True
        if op in _REPEATS and av[0] >= 1:
            if _has_separator(list(av[2]), against, flags):
                return True
        if op is C.SUBPATTERN and _has_separator(list(av[-1]), against, flags):
            return True
    return False


def _ambiguous_branch(seq, flags: int) -> bool:
    """Is there an alternation in ``seq`` that can take two routes over the
    same text: branches starting with the same character, or an empty
    branch (the parser factors ``a|a`` into ``a(?:|)``)?"""
    for op, av in seq:
        if op is C.BRANCH:
            firsts = [_first(list(alt), flags) for alt in av[1]]
            if sum(1 for _f, nullable in firsts if nullable) >= 1 and len(firsts) > 1:
                return True
            for i, (a, _) in enumerate(firsts):
                if any(a & b for b, _ in firsts[i + 1:]):
                    return True
            if any(_ambiguous_branch(list(alt), flags) for alt in av[1]):
                return True
        elif op in _REPEATS:
            if _ambiguous_branch(list(av[2]), flags):
                return True
        elif op is C.SUBPATTERN or op == _ATOMIC:
            if _ambiguous_branch(list(av[-1]), flags):
                return True
    return False


def _screen_seq(seq, flags: int) -> str | None:
    chain: list[frozenset[str]] = []
    for op, av in seq:
        if op in _REPEATS:
            body = list(av[2])
            if _unbounded(av):
                inner = _inner_unbounded_sets(body, flags)
                if inner:
                    union = frozenset().union(*inner)
                    if not _has_separator(body, union, flags):
                        return "nested quantifiers over overlapping characters (catastrophic backtracking)"
                if _ambiguous_branch(body, flags):
                    return "a repeated alternation whose branches overlap (catastrophic backtracking)"
                f, _ = _first(body, flags)
                if chain and any(f & c for c in chain):
                    chain.append(f)
                else:
                    chain = [f]
                if len(chain) > MAX_CHAIN:
                    return "too many adjacent overlapping quantifiers (polynomial backtracking)"
            elif av[0] >= 1:
                f, nullable = _first(body, flags)
                if not nullable and chain and not any(f & c for c in chain):
                    chain = []
            reason = _screen_seq(body, flags)
            if reason:
                return reason
            continue
        single = charset(op, av, flags)
        if single is not None:
            if chain and not any(single & c for c in chain):
                chain = []
            continue
        if op is C.SUBPATTERN or op == _ATOMIC:
            reason = _screen_seq(list(av[-1]), flags)
        elif op is C.BRANCH:
            reason = None
            for alt in av[1]:
                reason = reason or _screen_seq(list(alt), flags)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            reason = _screen_seq(list(av[1]), flags)
        elif op is C.GROUPREF_EXISTS:
            reason = None
            for part in av[1:]:
                if part is not None:
                    reason = reason or _screen_seq(list(part), flags)
        else:
            reason = None
        if reason:
            return reason
    return None


# -- compiling and the deadline -----------------------------------------------


def compile_screened(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile ``pattern`` if it passes screening.  Raises ``re.error`` (invalid)
    or ``UnsafePattern`` (refused)."""
    reason = screen(pattern, flags)
    if reason is not None:
        raise UnsafePattern(reason)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return re.compile(pattern, flags)
        except (OverflowError, ValueError) as exc:
            raise re.error(str(exc)) from None


class _Alarm(BaseException):
    """Raised by our SIGPROF handler; BaseException so scanned-pattern code
    paths cannot swallow it by accident."""


def _raise_alarm(signum, frame):  # pragma: no cover - timing dependent
    raise _Alarm()


def deadline_available() -> bool:
    return (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGPROF")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_PROF)[0] == 0
    )


@contextmanager
def deadline(seconds: float) -> Iterator[bool]:
    """Interrupt the body with ``MatchTimeout`` after ``seconds`` of this
    process's CPU time when a profiling timer can be used; yields whether the
    deadline is armed.  CPU time, not wall time: on a loaded machine (CI, a
    busy laptop) a trivial match may wait longer than the deadline for a
    core, and would be judged as having run out of time; and ``--jobs 1``'s
    wall-clock backstop (runner.py) owns the real-time timer."""
    if seconds <= 0:
        raise MatchTimeout()
    if not deadline_available():
        yield False
        return
    previous = signal.getsignal(signal.SIGPROF)
    try:
        signal.signal(signal.SIGPROF, _raise_alarm)
    except (ValueError, OSError):  # pragma: no cover - not the main interpreter
        yield False
        return
    try:
        try:
            signal.setitimer(signal.ITIMER_PROF, seconds)
            try:
                yield True
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
        except _Alarm:
            raise MatchTimeout() from None
    finally:
        signal.signal(signal.SIGPROF, previous if previous is not None else signal.SIG_DFL)
