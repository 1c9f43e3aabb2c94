"""COR101 origin-reflected-without-allowlist: Access-Control-Allow-Origin reflects the request's Origin without checking it against an allowlist.

Copying the request's `Origin` into `Access-Control-Allow-Origin` makes
the browser's CORS test pass for every site, so any page the user visits
can read the response, and with credentials the user's private data.

The full description, examples and fix: docs/rules/COR101.md.
"""

from __future__ import annotations

from ..checks import Strength
from ..display import is_request_value, request_value
from ..facts import headers_vocab as vocab
from ..findings import Severity
from .base import Rule
from .common import credentialed, protection, reflected_flows, response_writes
from .proof import ANY_ORIGIN, proof


def _what(flow) -> str:
    if is_request_value(flow.header):
        return f"{request_value(flow.header)} ({flow.source}), which the requester chooses,"
    if flow.header == "referer":
        return f"a value taken from the request's Referer ({flow.source}), which any site controls,"
    return f"the request origin ({flow.source})"


class OriginReflectedWithoutAllowlist(Rule):
    CODE = "COR101"
    NAME = "origin-reflected-without-allowlist"
    SUMMARY = "Access-Control-Allow-Origin reflects the request's Origin without checking it against an allowlist."
    SEVERITY = Severity.HIGH

    def check(self, facts):
        for write in response_writes(facts, vocab.ACAO):
            for flow in reflected_flows(write.value):
                verdict = protection(write, flow, self.options.trusted_validators)
                if verdict.strength != Strength.NONE:
                    continue
                creds = credentialed(facts, write)
                if write.preflight:
                    yield self._preflight(facts, write, flow, creds)
                    break
                suffix = " together with Access-Control-Allow-Credentials: true, so every site can read responses with the user's cookies" if creds else ", so every site can read the responses"
                yield self.finding(
                    facts,
                    write.span,
                    f"Access-Control-Allow-Origin is set to {_what(flow)} without an allowlist check{suffix}",
                    severity=Severity.CRITICAL if creds else Severity.HIGH,
                    confidence=flow.confidence,
                    properties=proof(facts, write.span, ANY_ORIGIN, credentialed=creds, origin_header=flow.header),
                )
                break

    def _preflight(self, facts, write, flow, creds):
        """A reflection that only reaches preflight (OPTIONS) responses:
        every site may *send* non-simple requests (other methods, custom
        headers, JSON bodies) but not read what comes back."""
        what = " with credentials" if creds else ""
        return self.finding(
            facts,
            write.span,
            f"Access-Control-Allow-Origin on this preflight (OPTIONS) response is set to {_what(flow)} without an allowlist check, "
            f"so every site can send non-simple requests{what} (other methods, custom headers, JSON bodies) here, though not read the responses",
            severity=Severity.HIGH if creds else Severity.MEDIUM,
            confidence=flow.confidence,
            properties=proof(facts, write.span, ANY_ORIGIN, credentialed=creds, origin_header=flow.header),
        )
