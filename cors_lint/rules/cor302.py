"""COR302 malformed-origin: An origin literal can never equal a browser's Origin (path, trailing slash, missing scheme, default port, case).

Browsers compare `Access-Control-Allow-Origin` byte for byte with the
serialized origin, so a malformed entry never matches, and developers
then widen the check until an attacker can pass it (COR102).

The full description, examples and fix: docs/rules/COR302.md.
"""

from __future__ import annotations

from ..checks import EXACT_MODES, GLOB_MODE, glob_never_matches
from ..facts import headers_vocab as vocab
from ..facts.model import CheckKind
from ..findings import Edit, Fix, Severity
from ..fixes.origin_text import canonical_origin
from ..display import library_name, quoted
from .base import Rule
from .common import const_strings, flows, guards_of, response_writes
from .origin_syntax import malformed_reason


class MalformedOrigin(Rule):
    CODE = "COR302"
    NAME = "malformed-origin"
    SUMMARY = "An origin literal can never equal a browser's Origin (path, trailing slash, missing scheme, default port, case)."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        seen = set()
        at_entry = set()
        for write in response_writes(facts, vocab.ACAO):
            for s in const_strings(write.value):
                reason = malformed_reason(s)
                if reason:
                    yield self.finding(facts, write.span, f"Access-Control-Allow-Origin {quoted(s)} never matches a browser origin: {reason}", fix=origin_fix(s, write.span))
            for guard in guards_of(write, None) + tuple(g for f in flows(write.value) for g in f.guards):
                for check in guard.checks:
                    if check.kind not in (CheckKind.IN_COLLECTION, CheckKind.EQUALS) or check.subject != "origin" or check.source != "origin" or check.span in seen:
                        continue
                    for p in check.patterns:
                        reason = malformed_reason(p)
                        if reason:
                            seen.add(check.span)
                            # at the entry the user edits, when it is known (no fix
                            # for an entry in a file outside this run)
                            where = check.pattern_span(p) or check.span or write.span
                            if check.pattern_span(p) is not None:
                                # one list tested by several checks: once, at the entry
                                if (where, p) in at_entry:
                                    break
                                at_entry.add((where, p))
                            fix = None if getattr(where, "note", "") else origin_fix(p, where)
                            yield self.finding(facts, where, f"allowlist entry {quoted(p)} in `{check.text}` never matches a browser origin: {reason}", fix=fix)
                            break
        for policy in facts.policies:
            for entry in policy.entries:
                if entry.match == GLOB_MODE:
                    reason = glob_never_matches(entry.value)
                elif entry.match in EXACT_MODES:
                    if "," in entry.value or any(ch.isspace() for ch in entry.value.strip()):
                        reason = "it holds several origins in one string, which the library compares as a whole"
                    else:
                        reason = malformed_reason(entry.value, case_sensitive=entry.match != "exact-ci", path_ignored=entry.match == "scheme-netloc", star_is_literal=True)
                else:
                    continue
                if reason and not entry.admits_null:
                    fix = origin_fix(entry.value, entry.span) if entry.match in ("exact", "exact-ci") else None
                    yield self.finding(facts, entry.span, f"{library_name(policy.library)} origin {quoted(entry.label)} never matches a browser origin: {reason}", fix=fix)


def origin_fix(literal: str, span) -> Fix | None:
    """Strip a trailing slash, a path or a default port, when that is all
    that is wrong (``canonical_origin``), from a literal used only here."""
    fixed = canonical_origin(literal)
    if fixed is None or fixed == literal or malformed_reason(fixed):
        return None
    return Fix(f"use the origin {fixed!r}", (Edit(span, "string", literal, fixed, unique=True),))
