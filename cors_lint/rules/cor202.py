"""COR202 any-origin-with-credentials: A CORS library accepts every origin and allows credentials, so any site can read credentialed responses.

To answer credentialed requests from every origin, these libraries copy the
caller's `Origin` into the response, so every website the user visits can
send requests with the user's cookies and read the answers.

The full description, examples and fix: docs/rules/COR202.md.
"""

from __future__ import annotations

from ..display import any_origin_message, describe_setting, library_name
from ..findings import Severity
from .base import Rule
from .proof import ANY_ORIGIN, proof


class AnyOriginWithCredentials(Rule):
    CODE = "COR202"
    NAME = "any-origin-with-credentials"
    SUMMARY = "A CORS library accepts every origin and allows credentials, so any site can read credentialed responses."
    SEVERITY = Severity.CRITICAL

    def check(self, facts):
        for policy in facts.policies:
            if policy.websocket or not policy.any_origin or policy.credentials is not True:
                continue
            span = policy.origins_setting.span if policy.origins_setting is not None else policy.span
            creds = describe_setting(policy.credentials_setting, "credentials enabled")
            does = "reflects any Origin with credentials" if policy.reflects else "accepts any Origin with credentials"
            yield self.finding(
                facts,
                span,
                f"{any_origin_message(policy)} with {creds}: {library_name(policy.library)} {does}",
                # without reflection browsers still refuse credentialed reads
                # (Robyn: preflights pass, so cross-site writes do): serious, not critical
                severity=Severity.CRITICAL if policy.reflects else Severity.HIGH,
                confidence=policy.confidence,
                # only a reflecting library shows it in one response (a browser refuses "*" with credentials)
                properties=proof(facts, span, ANY_ORIGIN if policy.reflects else None, credentialed=True, app=policy.app, paths=policy.paths),
            )
