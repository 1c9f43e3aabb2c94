"""The matching functions checks and libraries really apply, as predicates.

A predicate takes a candidate origin (the full ``Origin`` header value) and
says whether the check lets it through.  Hand-written checks look at a part
of the origin (``subject``): the origin itself, or the ``hostname``,
``netloc`` or ``scheme`` of ``urllib.parse.urlparse(origin)``; the predicate
projects the candidate the same way before testing.

Library entry modes (``entry_predicate``) reproduce each library's own test:

=================== =========================================================
``exact``           ``origin == value`` (Starlette, aiohttp-cors, Falcon...)
``exact-ci``        ``origin.casefold() == value.casefold()``
``netloc``          django-cors-headers: ``urlsplit`` both, compare scheme and
                    netloc (paths ignored; ``null`` equals any scheme-less entry)
``regex-match``     ``re.match(value, origin, flags)`` - prefix match
``regex-fullmatch`` ``re.fullmatch(value, origin, flags)``
``regex-search``    ``re.search(value, origin, flags)``
``glob``            Litestar >= 2.20: ``re.escape(value)`` with each ``*`` turned
                    into ``.*`` (crossing dots), ``fullmatch``
``flask-cors``      a value containing any of ``* \\ ] ? $ ^ [ ( )`` is a regex
                    matched with ``re.match`` + IGNORECASE (``"*"`` alone means
                    ``.*``); anything else is case-insensitive equality
``sanic-cors``      like flask-cors but only ``* \\ ] ?`` mark a regex
``substring``       ``origin in value``: a string passed where a list was
                    expected
=================== =========================================================

Regexes are compiled only after ``regex_safety.screen`` accepts them.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Callable
from urllib.parse import urlparse, urlsplit

from . import regex_safety as rs

Predicate = Callable[[str], bool]

ENTRY_MODES = (
    "exact",
    "exact-ci",
    "netloc",
    "regex-match",
    "regex-fullmatch",
    "regex-search",
    "glob",
    "flask-cors",
    "sanic-cors",
    "substring",
)
FLASK_CORS_REGEX_HINTS = frozenset("*\\]?$^[()")
SANIC_CORS_REGEX_HINTS = frozenset("*\\]?")


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
    if matcher in ("litestar", "glob"):
        return regex_test(litestar_glob_regex(pattern), "fullmatch")
    return lambda value: fnmatch.fnmatch(value, pattern)


def litestar_glob_regex(value: str) -> str:
    """Litestar >= 2.20 turns an entry into a regex: escape it, then each
    (escaped) ``*`` becomes ``.*``."""
    return re.escape(value).replace(r"\*", ".*")


def glob_never_matches(value: str) -> str | None:
    """Why a Litestar glob entry can match no browser origin, or None.

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


def flask_cors_is_regex(value: str, hints: frozenset[str] = FLASK_CORS_REGEX_HINTS) -> bool:
    return any(ch in value for ch in hints)


def netloc_equal(entry: str) -> Predicate:
    """django-cors-headers: ``urlsplit`` both sides, compare scheme and
    netloc (so ``"example.com"`` and ``"*"`` both equal ``null``)."""
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
    if match == "netloc":
        return netloc_equal(value), ""
    if match in ("regex-match", "regex-fullmatch", "regex-search"):
        return regex_test(value, match.split("-", 1)[1], flags), value
    if match == "glob":
        pattern = litestar_glob_regex(value)
        return regex_test(pattern, "fullmatch", flags), pattern
    if match in ("flask-cors", "sanic-cors"):
        hints = FLASK_CORS_REGEX_HINTS if match == "flask-cors" else SANIC_CORS_REGEX_HINTS
        if value == "*":
            return regex_test(".*", "match", flags | re.IGNORECASE), ".*"
        if flask_cors_is_regex(value, hints):
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
