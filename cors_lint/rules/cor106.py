"""COR106 private-network-any-origin: Private-network access is allowed together with an any-origin policy.

Private Network Access lets a public website call a service on a private
address only with the service's consent; giving that consent to every
origin lets any website reach the intranet service from the user's browser.

The full description, examples and fix: docs/rules/COR106.md.
"""

from __future__ import annotations

from ..display import any_origin_message, describe_setting, library_name
from ..findings import Severity
from .base import Rule
from .common import alternatives, credentialed, is_true_credentials, protection, reflected_flows, response_writes
from .proof import ANY_ORIGIN, proof
from ..checks import Strength
from ..facts import headers_vocab as vocab
from ..facts.conditions import ORIGIN_ABSENT, exclusive


class PrivateNetworkAnyOrigin(Rule):
    CODE = "COR106"
    NAME = "private-network-any-origin"
    SUMMARY = "Private-network access is allowed together with an any-origin policy."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        for policy in facts.policies:
            if policy.private_network is not True or not policy.any_origin:
                continue
            setting = policy.private_network_setting
            span = setting.span if setting is not None else policy.span
            yield self.finding(
                facts,
                span,
                f"{describe_setting(setting, 'private-network access')} with {any_origin_message(policy)}: "
                f"{library_name(policy.library)} lets every website reach this private-network service",
                severity=Severity.HIGH if policy.credentials is True else Severity.MEDIUM,
                confidence=policy.confidence,
                properties=proof(facts, span, ANY_ORIGIN, credentialed=policy.credentials is True, preflight_only=True, private_network=True, app=policy.app, paths=policy.paths),
            )
        yield from self._hand_written(facts)

    def _hand_written(self, facts):
        """``Access-Control-Allow-Private-Network: true`` on a response whose
        ACAO is ``*`` or the caller's origin without a strong check."""
        for pna in response_writes(facts, vocab.ACAPN):
            if not is_true_credentials(pna.value):  # the same "exactly true" test as ACAC
                continue
            for acao in response_writes(facts, vocab.ACAO):
                if not acao.same_response(pna) or exclusive(acao.conditions, pna.conditions):
                    continue
                what = None
                if any((alt.str_value() or "").strip() == "*" and ORIGIN_ABSENT not in alt.conditions for alt in alternatives(acao.value)):
                    what = "Access-Control-Allow-Origin: *"
                for flow in reflected_flows(acao.value):
                    if protection(acao, flow, self.options.trusted_validators).strength in (Strength.NONE, Strength.WEAK):
                        what = f"an Access-Control-Allow-Origin reflecting {flow.source}"
                if what:
                    yield self.finding(
                        facts,
                        pna.span,
                        f"Access-Control-Allow-Private-Network: true is sent with {what}: every website can reach this private-network service",
                        severity=Severity.HIGH if credentialed(facts, acao) else Severity.MEDIUM,
                        properties=proof(facts, pna.span, ANY_ORIGIN, credentialed=credentialed(facts, acao), preflight_only=True, private_network=True),
                    )
                    break
