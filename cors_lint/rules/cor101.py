"""COR101 origin-reflected-without-allowlist."""

from __future__ import annotations

from ..checks import Strength
from ..facts import headers_vocab as vocab
from ..findings import Confirm, Severity
from .base import Rule
from .common import credentialed, protection, reflected_flows, response_writes


def _what(flow) -> str:
    if flow.header == "referer":
        return f"a value taken from the request's Referer ({flow.source}), which any site controls,"
    return f"the request origin ({flow.source})"


ATTACKER = "https://attacker.example"
# handlers that only answer preflights: the bug shows on an OPTIONS request
PREFLIGHT_HANDLERS = ("options", "do_OPTIONS", "on_options", "preflight", "handle_preflight")


def preflight_only(scope: str) -> bool:
    return scope.rsplit(".", 1)[-1] in PREFLIGHT_HANDLERS


class OriginReflectedWithoutAllowlist(Rule):
    """ACAO is set to the request's Origin (or a value derived from it) with
    no check against an allowlist on the way.  A weak check is COR102's."""

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
                suffix = " together with Access-Control-Allow-Credentials: true, so every site can read responses with the user's cookies" if creds else ", so every site can read the responses"
                yield self.finding(
                    facts,
                    write.span,
                    f"Access-Control-Allow-Origin is set to {_what(flow)} without an allowlist check{suffix}",
                    severity=Severity.CRITICAL if creds else Severity.HIGH,
                    confidence=flow.confidence,
                    confirm=None if flow.header == "referer" else Confirm(
                        ATTACKER, credentials=bool(creds), preflight=preflight_only(write.scope)
                    ),
                )
                break
