"""COR402 websocket-origin-not-checked: A cookie- or session-authenticated WebSocket endpoint never checks the handshake's Origin.

Browsers apply no CORS check to WebSocket handshakes but attach the user's
cookies to them, so any page the user visits can open such an endpoint as
the logged-in user and read and send its messages (cross-site WebSocket
hijacking).

The full description, examples and fix: docs/rules/COR402.md.
"""

from __future__ import annotations

from ..facts.model import FileFacts
from ..findings import Severity
from .base import Rule


class WebsocketOriginNotChecked(Rule):
    CODE = "COR402"
    NAME = "websocket-origin-not-checked"
    SUMMARY = "A cookie- or session-authenticated WebSocket endpoint never checks the handshake's Origin."
    SEVERITY = Severity.MEDIUM
    CWE = 1385  # Missing Origin Validation in WebSockets

    def check(self, facts: FileFacts):
        for endpoint in facts.websocket_endpoints:
            if not endpoint.credentials or endpoint.origin_checks or endpoint.origin_checked_by:
                continue
            shown = ", ".join(f"`{c}`" for c in endpoint.credentials[:2])
            yield self.finding(
                facts,
                endpoint.span,
                f"WebSocket endpoint `{endpoint.name}` authenticates by cookie or session ({shown}) but never checks the handshake's Origin: any site can open it as the logged-in user",
                confidence=endpoint.confidence,
            )
