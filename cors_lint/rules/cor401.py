"""COR401 websocket-any-origin."""

from __future__ import annotations

from ..facts.libraries._common import describe, library_name
from ..facts.model import CorsPolicy, FileFacts
from ..findings import Severity
from .base import Rule
from .proof import ANY_ORIGIN, proof


class WebsocketAnyOrigin(Rule):
    """## What it does
    Finds WebSocket servers that accept the handshake from every origin:
    a Tornado ``check_origin`` that returns ``True`` (or another constant
    truthy value) unconditionally, python-socketio / Flask-SocketIO /
    python-engineio ``cors_allowed_origins="*"`` (or a list holding ``"*"``,
    or ``[]``, which switches the Origin check off), Django Channels
    ``OriginValidator(app, ["*"])`` and cookie-authenticated Channels
    routes with no origin validator, and quart-cors ``websocket_cors``
    allowing ``"*"``.

    ## Why is this bad?
    Browsers apply no CORS check to WebSocket handshakes, but they do send
    the user's cookies.  A page on any site can open the socket as the
    logged-in user and read and write its messages (cross-site WebSocket
    hijacking).  Only the server's Origin check prevents it.

    ## Example
    ```python
    class Feed(tornado.websocket.WebSocketHandler):
        def check_origin(self, origin):
            return True
    ```

    Use instead:
    ```python
    class Feed(tornado.websocket.WebSocketHandler):
        def check_origin(self, origin):
            return origin in {"https://app.example.com"}
    ```
    """

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
    where = describe(policy.origins_setting, "the default origins")
    reason = f" {policy.any_reason}" if policy.any_reason else ""
    return f"{library_name(policy.library)} accepts WebSocket handshakes from every origin: {where}{reason}"
