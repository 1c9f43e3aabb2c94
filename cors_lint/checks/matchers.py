"""The matching functions checks and libraries really apply, as predicates.

A predicate takes a candidate origin (the full ``Origin`` header value) and
says whether the check lets it through.  Hand-written checks look at a part
of the origin (``subject``): the origin itself, or the ``hostname``,
``netloc`` or ``scheme`` of ``urllib.parse.urlparse(origin)``; the predicate
projects the candidate the same way before testing.

Policy entry modes (``entry_predicate``) are named by what they do; the
library extractor picks the one its library applies:

============================ ================================================
``exact``                    ``origin == value``
``exact-ci``                 ``origin.casefold() == value.casefold()``
``scheme-netloc``            ``urlsplit`` both, compare scheme and netloc
                             (paths ignored; ``null`` equals any scheme-less
                             entry)
``prefix-regex``             ``re.match(value, origin, flags)``
``fullmatch-regex``          ``re.fullmatch(value, origin, flags)``
``search-regex``             ``re.search(value, origin, flags)``
``glob-crossing-dots``       ``re.escape(value)`` with each ``*`` turned into
                             ``.*`` (so it crosses dots), ``fullmatch``
``regex-if-metacharacters``  a value containing any of ``* \\ ] ? $ ^ [ ( )``
                             is a regex matched with ``re.match`` +
                             IGNORECASE (``"*"`` alone means ``.*``); anything
                             else is case-insensitive equality
``regex-if-wildcard-chars``  the same, but only ``* \\ ] ?`` mark a regex
``substring``                ``origin in value``: a string passed where a
                             list was expected
============================ ================================================

Regexes are compiled only after ``regex_safety.screen`` accepts them.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Callable
from urllib.parse import urlparse, urlsplit

from . import regex_safety as rs

Predicate = Callable[[str], bool]

#: Entry modes whose value is one origin compared as a whole.
EXACT_MODES = ("exact", "exact-ci", "scheme-netloc")
#: Entry modes whose value is always a regex, with the ``re`` function used.
REGEX_MODES = {"prefix-regex": "match", "fullmatch-regex": "fullmatch", "search-regex": "search"}
#: Entry modes where a value is a regex only when it holds one of these characters.
REGEX_HINTS = {
    "regex-if-metacharacters": frozenset("*\\]?$^[()"),
    "regex-if-wildcard-chars": frozenset("*\\]?"),
}
GLOB_MODE = "glob-crossing-dots"
#: Entry modes whose value is (or may be) a pattern rather than one origin.
PATTERN_MODES = (*REGEX_MODES, GLOB_MODE, *REGEX_HINTS)
ENTRY_MODES = (*EXACT_MODES, *PATTERN_MODES, "substring")


def project(origin: str, subject: str) -> str | None:
    """The part of ``origin`` a check looks at (None: the real code would
    have nothing to test, e.g. ``urlparse("null").hostname``)."""
    if subject == "origin":
        return origin
    try:
        parts = urlparse(origin)
    except ValueError:
        return None
    if subject == "host":
        return parts.hostname
    if subject == "netloc":
        return parts.netloc
    if subject == "scheme":
        return parts.scheme
    return None


def on_subject(test: Predicate, subject: str) -> Predicate:
    def run(origin: str) -> bool:
        value = project(origin, subject)
        if value is None:
            return False
        try:
            return bool(test(value))
        except (TypeError, AttributeError, ValueError):
            return False

    return run


def regex_test(pattern: str, matcher: str, flags: int = 0) -> Predicate:
    """``re.<matcher>(pattern, value, flags)``; raises ``re.error`` or
    ``regex_safety.UnsafePattern`` instead of compiling a risky pattern."""
    compiled = rs.compile_screened(pattern, flags)
    func = {"match": compiled.match, "search": compiled.search, "fullmatch": compiled.fullmatch}.get(matcher or "match")
    if func is None:
        raise ValueError(f"unknown regex matcher {matcher!r}")
    return lambda value: func(value) is not None


def glob_test(pattern: str, matcher: str = "fnmatch") -> Predicate:
    if matcher == "fnmatchcase":
        return lambda value: fnmatch.fnmatchcase(value, pattern)
    if matcher == GLOB_MODE:
        return regex_test(glob_crossing_dots_regex(pattern), "fullmatch")
    return lambda value: fnmatch.fnmatch(value, pattern)


def glob_crossing_dots_regex(value: str) -> str:
    """The regex of a ``glob-crossing-dots`` entry: the value escaped, then
    each (escaped) ``*`` turned into ``.*``."""
    return re.escape(value).replace(r"\*", ".*")


def glob_never_matches(value: str) -> str | None:
    """Why a ``glob-crossing-dots`` entry can match no browser origin, or None.

    An Origin is ``scheme://host[:port]``: nothing follows the host and port.
    A glob whose literal text puts a ``/`` after ``scheme://``
    (``"http://127.0.0.1/:*"``, ``"https://*.example.com/"``) can never
    fullmatch one, whatever its ``*`` stand for; neither can one without
    ``://`` in its literal text, unless a ``*`` could supply it."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        return None if "*" in value else "it has no scheme (browsers send scheme://host)"
    if "*" in scheme:
        return None
    if "/" in rest:
        tail = rest[rest.index("/"):]
        return "it has a trailing slash" if tail == "/" else f"it has a path ('{tail}')"
    return None


def entry_is_pattern(value: str, match: str) -> bool:
    """Does the entry mode treat this value as a pattern (a regex or glob)
    rather than one origin?"""
    if match in REGEX_MODES or match == GLOB_MODE:
        return True
    hints = REGEX_HINTS.get(match)
    return hints is not None and value != "*" and any(ch in value for ch in hints)


def netloc_equal(entry: str) -> Predicate:
    """``scheme-netloc``: ``urlsplit`` both sides, compare scheme and netloc
    (so ``"example.com"`` and ``"*"`` both equal ``null``)."""
    want = urlsplit(entry)

    def run(origin: str) -> bool:
        got = urlsplit(origin)
        return (got.scheme, got.netloc) == (want.scheme, want.netloc)

    return run


def entry_predicate(value: str, match: str, flags: int = 0) -> tuple[Predicate, str]:
    """The library's test for one policy entry, and the effective regex
    (or "" when the entry is not a regex).  Raises ``ValueError`` for an
    unknown mode, ``re.error``/``UnsafePattern`` for a bad regex."""
    if match == "exact":
        return (lambda origin: origin == value), ""
    if match == "exact-ci":
        folded = value.casefold()
        return (lambda origin: origin.casefold() == folded), ""
    if match == "scheme-netloc":
        return netloc_equal(value), ""
    if match in REGEX_MODES:
        return regex_test(value, REGEX_MODES[match], flags), value
    if match == GLOB_MODE:
        pattern = glob_crossing_dots_regex(value)
        return regex_test(pattern, "fullmatch", flags), pattern
    if match in REGEX_HINTS:
        if value == "*":
            return regex_test(".*", "match", flags | re.IGNORECASE), ".*"
        if entry_is_pattern(value, match):
            return regex_test(value, "match", flags | re.IGNORECASE), value
        folded = value.lower()
        return (lambda origin: origin.lower() == folded), ""
    if match == "substring":
        return (lambda origin: origin in value), ""
    raise ValueError(f"unknown match mode {match!r} (expected one of {', '.join(ENTRY_MODES)})")


def safe_accepts(pattern: str, origin: str, matcher: str = "match", flags: int = 0, seconds: float = 0.05) -> bool | None:
    """Does ``re.<matcher>(pattern, origin, flags)`` match?  None when the
    pattern is invalid, refused by screening, the origin is longer than
    ``regex_safety.MAX_SUBJECT``, or the match ran out of time: the safe
    replacement for compiling and running a scanned pattern directly."""
    if len(origin) > rs.MAX_SUBJECT:
        return None
    try:
        test = regex_test(pattern, matcher, flags)
        with rs.deadline(seconds):
            return test(origin)
    except (re.error, rs.UnsafePattern, rs.MatchTimeout, ValueError, RecursionError, OverflowError):
        return None


# Origins an attacker can always send; a pattern accepting two unrelated ones
# accepts "every origin" for practical purposes.
ATTACKER_PROBES = ("https://attacker.example", "https://evil-cors-lint.test:8443")


def pattern_accepts(pattern: str, origin: str, matcher: str, flags: int = 0) -> bool:
    """Does ``origin`` pass ``re.<matcher>(pattern)``?  A pattern refused by
    screening or out of time counts as "does not pass" (unknown), never as
    a hang."""
    return safe_accepts(pattern, origin, matcher, flags) is True


def accepts_every_origin(pattern: str, matcher: str, flags: int = 0) -> bool:
    """A pattern that lets unrelated attacker origins through (``.*``,
    ``.+``, ``https?://.*``, ``^.*$``).  Patterns that only let *some*
    attacker origins through are weak checks (COR102), not this."""
    return all(pattern_accepts(pattern, probe, matcher, flags) for probe in ATTACKER_PROBES)
