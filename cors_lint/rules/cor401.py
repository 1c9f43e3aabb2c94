"""COR401 websocket-any-origin: A WebSocket server accepts handshakes from every origin (cross-site WebSocket hijacking).

Browsers apply no CORS check to WebSocket handshakes yet send the user's
cookies with them, so without an Origin check any page can open the socket
as the logged-in user (cross-site WebSocket hijacking).

The full description, examples and fix: docs/rules/COR401.md.
"""

from __future__ import annotations

from ..display import describe_setting, library_name
from ..facts.model import CorsPolicy, FileFacts
from ..findings import Severity
from .base import Rule
from .proof import ANY_ORIGIN, proof


class WebsocketAnyOrigin(Rule):
    CODE = "COR401"
    NAME = "websocket-any-origin"
    SUMMARY = "A WebSocket server accepts handshakes from every origin (cross-site WebSocket hijacking)."
    SEVERITY = Severity.HIGH
    CWE = 1385  # Missing Origin Validation in WebSockets

    def check(self, facts: FileFacts):
        for policy in facts.policies:
            if policy.websocket and policy.any_origin:
                where = _where(policy)
                yield self.finding(
                    facts, where, _policy_message(policy), confidence=policy.confidence, properties=proof(facts, where, ANY_ORIGIN, websocket=True, app=policy.app, paths=policy.paths)
                )
        for ws in facts.websocket_checks:
            if ws.always_true:
                shown = f" `{ws.text}`" if ws.text else ""
                yield self.finding(
                    facts,
                    ws.span,
                    f"WebSocket check_origin returns a constant truthy value{shown}: handshakes from every origin are accepted",
                    properties=proof(facts, ws.span, ANY_ORIGIN, websocket=True),
                )


def _where(policy: CorsPolicy):
    if policy.origins_setting is not None:
        return policy.origins_setting.span
    return policy.span


def _policy_message(policy: CorsPolicy) -> str:
    where = describe_setting(policy.origins_setting, "the default origins")
    reason = f" {policy.any_reason}" if policy.any_reason else ""
    return f"{library_name(policy.library)} accepts WebSocket handshakes from every origin: {where}{reason}"
