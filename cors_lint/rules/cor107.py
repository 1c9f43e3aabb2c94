"""COR107 weak-csrf-origin-check: A request is rejected unless its Origin or Referer passes a check that an attacker-controlled origin can pass.

An Origin or Referer check that guards a state-changing handler is its CSRF
defence; when an origin an attacker can register passes it, any page on
that origin can make the user's browser send the forged request.

The full description, examples and fix: docs/rules/COR107.md.
"""

from __future__ import annotations

from ..checks import Strength, describe, judge_guard
from ..facts import headers_vocab as vocab
from ..facts.model import FileFacts, Guard
from ..findings import Confidence, Severity
from .base import Rule
from .common import flows, guards_of, response_writes


class WeakCsrfOriginCheck(Rule):
    """An Origin/Referer check that rejects requests, as a CSRF defence,
    which an attacker's origin passes.  No CORS header is involved; when the
    same check also guards an ACAO write, or stands on the way to a WebSocket
    handshake, COR102 reports it instead."""

    CODE = "COR107"
    NAME = "weak-csrf-origin-check"
    SUMMARY = "A request is rejected unless its Origin or Referer passes a check that an attacker-controlled origin can pass."
    SEVERITY = Severity.MEDIUM
    CWE = 352  # Cross-Site Request Forgery

    def check(self, facts: FileFacts):
        trusted = self.options.trusted_validators
        cors_checks = _checks_guarding_acao(facts) | _websocket_checks(facts)
        reported = set()
        for gate in facts.origin_gates:
            verdict = judge_guard(gate.guard, trusted)
            if verdict.strength != Strength.WEAK or verdict.check is None:
                continue
            check = verdict.check
            if check.source not in ("origin", "referer"):
                continue  # a test of another request value (a cookie against a header) is not an Origin check
            span = check.span or gate.span
            if span in cors_checks or span in reported:
                continue
            reported.add(span)
            header = "Referer" if check.source == "referer" else "Origin"
            yield self.finding(
                facts,
                span,
                f"weak CSRF {header} check `{check.text}` guards `{gate.rejection}`: {describe(verdict)}",
                confidence=verdict.confidence if verdict.proof else Confidence.MEDIUM,
            )


def _checks_guarding_acao(facts: FileFacts) -> set:
    spans: set = set()
    for write in response_writes(facts, vocab.ACAO):
        for flow in flows(write.value) or [None]:
            for guard in guards_of(write, flow):
                _collect(guard, spans)
    return spans


def _websocket_checks(facts: FileFacts) -> set:
    """Checks made on the way to a WebSocket handshake (Flask-Sock, Starlette,
    aiohttp, Channels, Socket.IO, ``websockets`` handlers): a rejection there
    refuses the socket, not a forged form post, so a weak one is the
    WebSocket origin check COR102 judges, not a CSRF defence."""
    return {c.span for ws in facts.websocket_checks for c in ws.checks if c.span is not None}


def _collect(guard: Guard, spans: set) -> None:
    for check in guard.checks:
        if check.span is not None:
            spans.add(check.span)
    for child in guard.children:
        _collect(child, spans)
