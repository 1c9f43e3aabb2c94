"""COR105 insecure-origin-trusted: A plain-HTTP origin is trusted with credentials, or an origin pattern admits both http and https.

Anyone on the network path can inject script into a plain-HTTP page, and
that script inherits the trust given to the origin: it can make
credentialed requests to the API and read the answers.

The full description, examples and fix: docs/rules/COR105.md.
"""

from __future__ import annotations

import re

from ..display import library_name, quoted
from ..checks import PATTERN_MODES, REGEX_MODES, Strength, accepts_every_origin, entry_is_pattern, guards_pass, judge_entry, pattern_accepts
from ..facts import headers_vocab as vocab
from ..facts.model import CheckKind, OriginEntry
from ..findings import Confidence, Severity
from .base import Rule
from .common import const_strings, credentialed, guards_of, protection, reflected_flows, response_writes
from .proof import proof

LOOPBACK = re.compile(r"^(localhost|[\w.-]+\.localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$", re.IGNORECASE)


def http_host(origin: str) -> str | None:
    """The host of an ``http://`` origin that is not loopback, else None."""
    if not origin.lower().startswith("http://") or "," in origin or any(ch.isspace() for ch in origin.strip()):
        return None  # not one origin (several in one string are COR302's)
    rest = origin[len("http://"):].split("/", 1)[0]
    host = rest.rsplit(":", 1)[0] if not rest.startswith("[") else rest.split("]", 1)[0] + "]"
    if not host or LOOPBACK.match(host):
        return None
    return host


def sample_origin(pattern: str) -> str | None:
    """A plausible https origin a pattern was written for, recovered from its
    text (``^https?://(www\\.)?example\\.com$`` -> ``https://www.example.com``)."""
    s = pattern
    s = re.sub(r"^\^|\$$|\\Z$|^\\A", "", s)
    s = s.replace("https?", "https").replace("http(s)?", "https").replace("(https|http)", "https").replace("(http|https)", "https")
    s = re.sub(r"\((?:\?:)?([^()|]*)\)\?", r"\1", s)  # optional groups: keep them
    s = re.sub(r"\[[^\]]*\][+*]|\\w[+*]|\.[+*]|\[\^[^\]]*\][+*]", "x", s)
    s = re.sub(r"\\d[+*]|\\d\{\d+(,\d*)?\}|\[0-9\][+*]", "8080", s)
    s = s.replace("\\.", ".").replace("\\-", "-").replace("\\/", "/")
    if not s.startswith("https://") or re.search(r"[\\()\[\]{}|?*+^$]", s):
        return None
    return s


def admits_both_schemes(entry: OriginEntry) -> str | None:
    """For a pattern entry that lets in an http origin next to the https one
    it names, that http origin."""
    matcher = REGEX_MODES.get(entry.match)
    if matcher is None or accepts_every_origin(entry.value, matcher, entry.flags):
        return None
    sample = sample_origin(entry.value)
    if sample is None:
        return None
    insecure = "http://" + sample[len("https://"):]
    if http_host(insecure) is None:
        return None
    if pattern_accepts(entry.value, sample, matcher, entry.flags) and pattern_accepts(entry.value, insecure, matcher, entry.flags):
        return insecure
    return None


def plain_http_admitted(entry: OriginEntry) -> str | None:
    """A non-loopback ``http://`` origin a pattern entry was written for and
    really admits (``^http://10\\.\\d+\\.\\d+\\.\\d+$`` -> ``http://10.0.0.0``),
    verified by the analyser with the library's own matching function."""
    if not entry_is_pattern(entry.value, entry.match):
        return None  # a literal: judged as an exact entry above
    try:
        verdict = judge_entry(entry.value, entry.match, entry.flags)
    except ValueError:
        return None
    if verdict.strength == Strength.WEAK and verdict.proof and verdict.proof.startswith("https://"):
        return None  # admits everyone or foreign origins: COR102/COR202 say more
    plain = verdict.insecure_proof
    return plain if plain is not None and http_host(plain) is not None else None


class InsecureOriginTrusted(Rule):
    CODE = "COR105"
    NAME = "insecure-origin-trusted"
    SUMMARY = "A plain-HTTP origin is trusted with credentials, or an origin pattern admits both http and https."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        for policy in facts.policies:
            lib = library_name(policy.library)
            creds = policy.credentials is True
            for entry in policy.entries:
                if entry.admits_null:
                    continue  # the library does not use this entry as an origin (COR103 says what it does)
                conf = Confidence.LOW if entry.from_default else policy.confidence
                insecure = admits_both_schemes(entry) if entry.match in REGEX_MODES else None
                if insecure is not None:
                    yield self.finding(
                        facts,
                        entry.span,
                        f"{lib} origin pattern {quoted(entry.label)} also admits plain-HTTP {insecure}"
                        + (" with credentials" if creds else ""),
                        severity=Severity.MEDIUM if creds else Severity.LOW,
                        confidence=conf,
                        properties=proof(facts, entry.span, insecure, credentialed=creds, websocket=policy.websocket, app=policy.app, paths=policy.paths),
                    )
                elif entry.match in PATTERN_MODES:
                    plain = plain_http_admitted(entry) if creds else None
                    if plain is not None:
                        yield self.finding(
                            facts,
                            entry.span,
                            f"{lib} origin pattern {quoted(entry.label)} admits plain-HTTP origins such as {plain} with credentials; a network attacker can script them",
                            confidence=conf,
                            properties=proof(facts, entry.span, plain, credentialed=True, websocket=policy.websocket, app=policy.app, paths=policy.paths),
                        )
                elif creds and http_host(entry.value) is not None:
                    yield self.finding(
                        facts,
                        entry.span,
                        f"{lib} trusts plain-HTTP origin {quoted(entry.label)} with credentials; a network attacker can script it",
                        confidence=conf,
                        properties=proof(facts, entry.span, entry.value, credentialed=True, websocket=policy.websocket, app=policy.app, paths=policy.paths),
                    )
        yield from self._hand_written(facts)

    def _hand_written(self, facts):
        """Hand-written headers: a plain-HTTP ACAO, allowlist entry, or a
        check that also admits the http:// twin, on a credentialed response."""
        seen = set()
        for write in response_writes(facts, vocab.ACAO):
            if not credentialed(facts, write):
                continue
            for value in const_strings(write.value):
                if http_host(value) is not None:
                    yield self.finding(
                        facts,
                        write.span,
                        f"Access-Control-Allow-Origin trusts plain-HTTP origin {quoted(value)} with credentials; a network attacker can script it",
                        properties=proof(facts, write.span, value, credentialed=True),
                    )
            for flow in reflected_flows(write.value):
                for guard in guards_of(write, flow):
                    for check in guard.checks:
                        if check.kind not in (CheckKind.IN_COLLECTION, CheckKind.EQUALS) or check.span in seen:
                            continue
                        insecure = [p for p in check.patterns if http_host(p) is not None]
                        if insecure:
                            seen.add(check.span)
                            where = check.pattern_span(insecure[0]) or check.span or write.span  # at the entry, when known
                            yield self.finding(
                                facts,
                                where,
                                f"the allowlist in `{check.text}` trusts plain-HTTP origin {quoted(insecure[0])} with credentials; a network attacker can script it",
                                properties=proof(facts, write.span, insecure[0], credentialed=True, origin_header=flow.header),
                            )
                verdict = protection(write, flow, self.options.trusted_validators)
                check = verdict.check
                if (
                    verdict.strength == Strength.STRONG
                    and verdict.insecure_proof
                    and http_host(verdict.insecure_proof)
                    and check is not None
                    and check.span not in seen
                    # the other tests on the way (``p.scheme == "https"``) must let it through too
                    and guards_pass(guards_of(write, flow), verdict.insecure_proof) is not False
                ):
                    seen.add(check.span)
                    # at the pattern, where it is written (a compiled module constant)
                    written = check.pattern_span(check.patterns[0]) if len(check.patterns) == 1 else None
                    yield self.finding(
                        facts,
                        written or check.span or write.span,
                        f"the origin check `{check.text}` also admits plain-HTTP {verdict.insecure_proof} with credentials",
                        properties=proof(facts, write.span, verdict.insecure_proof, credentialed=True, origin_header=flow.header),
                    )
