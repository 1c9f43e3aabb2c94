"""COR102 weak-origin-check: The Origin is checked by a test that an attacker-controlled origin can pass.

The check is the whole allowlist: an attacker registers a domain that
passes it (`attackerexample.com`, `example.com.attacker.example`) and reads
the responses, with the user's cookies when credentials are allowed.

The full description, examples and fix: docs/rules/COR102.md.
"""

from __future__ import annotations

from ..checks import EXACT_MODES, Strength, Verdict, describe, judge, judge_entry
from ..facts import headers_vocab as vocab
from ..findings import Confidence, Severity
from ..display import library_name, quoted
from .base import Rule
from .common import credentialed, denial_bypass, flows, protection, response_writes, websocket_checks_to_judge
from .proof import proof


def _describe(verdict: Verdict) -> str:
    text = describe(verdict)
    return f": {text}" if text else ""


class WeakOriginCheck(Rule):
    CODE = "COR102"
    NAME = "weak-origin-check"
    SUMMARY = "The Origin is checked by a test that an attacker-controlled origin can pass."
    SEVERITY = Severity.HIGH

    def check(self, facts):
        trusted = self.options.trusted_validators
        for write in response_writes(facts, vocab.ACAO):
            # only values carrying the origin: a weak test in front of a fixed
            # ACAO ("if 'x.com' in origin: acao = 'https://x.com'") exposes nothing
            for flow in flows(write.value):
                if not flow.reflected:
                    continue
                overall = protection(write, flow, trusted)
                if overall.strength != Strength.WEAK:
                    continue
                verdict = overall
                check = verdict.check
                span = check.span if check is not None and check.span is not None else write.span
                text = check.text if check is not None else "the origin check"
                creds = credentialed(facts, write)
                yield self.finding(
                    facts,
                    span,
                    f"weak origin check `{text}`{_describe(verdict)}",
                    severity=Severity.CRITICAL if creds else Severity.HIGH,
                    confidence=verdict.confidence if verdict.proof else Confidence.MEDIUM,
                    properties=proof(facts, write.span, verdict.proof, credentialed=creds, origin_header=flow.header),
                )
        for ws in facts.websocket_checks:
            for check in websocket_checks_to_judge(ws, trusted):
                verdict = judge(check, trusted)
                if verdict.strength == Strength.WEAK:
                    yield self.finding(
                        facts,
                        check.span or ws.span,
                        f"weak WebSocket origin check `{check.text}`{_describe(verdict)}{denial_bypass(ws, check)}",
                        # a conditional proof on a configured pattern is low confidence, as over HTTP
                        confidence=verdict.confidence if verdict.proof else Confidence.MEDIUM,
                        properties=proof(facts, ws.span, verdict.proof, websocket=True),
                    )
        for policy in facts.policies:
            for entry in policy.entries:
                if entry.match in EXACT_MODES:
                    continue
                verdict = judge_entry(entry.value, entry.match, entry.flags)
                if verdict is None or verdict.strength != Strength.WEAK:
                    continue
                creds = bool(policy.credentials)
                yield self.finding(
                    facts,
                    entry.span,
                    f"{library_name(policy.library)} origin pattern {quoted(entry.label)} is too broad{_describe(verdict)}",
                    severity=Severity.CRITICAL if creds else Severity.HIGH,
                    confidence=Confidence.LOW if entry.from_default else policy.confidence,
                    properties=proof(facts, entry.span, verdict.proof, credentialed=creds, websocket=policy.websocket, app=policy.app, paths=policy.paths),
                )
