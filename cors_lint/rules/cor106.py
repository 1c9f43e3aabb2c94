"""COR106 private-network-any-origin.

## What it does
Finds CORS library configurations that answer Private Network Access
preflights (``allow_private_network=True``, ``CORS_ALLOW_PRIVATE_NETWORK =
True``) while accepting every origin.

## Why is this bad?
``Access-Control-Allow-Private-Network: true`` lets a public website reach a
service on the intranet or on localhost.  Combined with an any-origin policy,
every website on the internet may do so.

## Example
```python
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_private_network=True)
```

Use instead:
```python
app.add_middleware(CORSMiddleware, allow_origins=["https://admin.example.com"], allow_private_network=True)
```

## References
- https://wicg.github.io/private-network-access/
"""

from __future__ import annotations

from ..facts.libraries._common import describe, library_name
from ..findings import Severity
from .base import Rule
from .common import alternatives, credentialed, is_true_credentials, protection, reflected_flows, response_writes
from .cor202 import any_origin_message
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
                f"{describe(setting, 'private-network access')} with {any_origin_message(policy)}: "
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
                if acao.group != pna.group or exclusive(acao.conditions, pna.conditions):
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
