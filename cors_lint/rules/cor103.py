"""COR103 null-origin-allowed: The 'null' origin is allowed; any site can send Origin: null from a sandboxed iframe.

Browsers send `Origin: null` from sandboxed iframes, `data:` URLs and
local files, which any website can create, so trusting `null` trusts every
site.

The full description, examples and fix: docs/rules/COR103.md.
"""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..facts.model import CheckKind
from ..findings import Confidence, Severity
from ..display import library_name, quoted
from .base import Rule
from .common import const_strings, credentialed, flows, guards_of, response_writes
from .proof import NULL_ORIGIN, proof


def _null_in(patterns) -> bool:
    return any(p.strip().lower() == "null" for p in patterns)


class NullOriginAllowed(Rule):
    CODE = "COR103"
    NAME = "null-origin-allowed"
    SUMMARY = "The 'null' origin is allowed; any site can send Origin: null from a sandboxed iframe."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        reported = set()
        for write in response_writes(facts, vocab.ACAO):
            creds = credentialed(facts, write)
            sev = Severity.HIGH if creds else Severity.MEDIUM
            props = proof(facts, write.span, NULL_ORIGIN, credentialed=creds)
            writes_null = any(s.strip().lower() == "null" for s in const_strings(write.value))
            if writes_null:
                yield self.finding(facts, write.span, "Access-Control-Allow-Origin is set to 'null', which sandboxed iframes of any site send", severity=sev, properties=props)
            # the write's own conditions, and those under which each
            # request value reaches it (a helper that returns the origin
            # only when it is listed, among other alternatives)
            for guard in guards_of(write, None) + tuple(g for f in flows(write.value) for g in f.guards):
                for check in guard.checks:
                    if check.kind in (CheckKind.IN_COLLECTION, CheckKind.EQUALS) and _null_in(check.patterns) and check.span not in reported:
                        reported.add(check.span)
                        if writes_null and all(p.strip().lower() == "null" for p in check.patterns):
                            continue  # `if origin == "null": ACAO = "null"` is one mistake, reported at the write
                        null = next(p for p in check.patterns if p.strip().lower() == "null")
                        where = check.pattern_span(null) or check.span or write.span  # at the entry, when known
                        yield self.finding(facts, where, f"the origin allowlist in `{check.text}` accepts 'null', which sandboxed iframes of any site send", severity=sev, properties=props)
        for policy in facts.policies:
            sev = Severity.HIGH if policy.credentials else Severity.MEDIUM
            for entry in policy.entries:
                props = proof(facts, entry.span, NULL_ORIGIN, credentialed=policy.credentials is True, websocket=policy.websocket, app=policy.app, paths=policy.paths)
                conf = Confidence.LOW if entry.from_default else policy.confidence
                if entry.value.strip().lower() == "null":
                    yield self.finding(facts, entry.span, f"{library_name(policy.library)} allows the 'null' origin, which sandboxed iframes of any site send", severity=sev, confidence=conf, properties=props)
                elif entry.admits_null:
                    yield self.finding(facts, entry.span, f"{library_name(policy.library)} entry {quoted(entry.label)} lets Origin: null through: {entry.admits_null}", severity=sev, confidence=conf, properties=props)
