"""Django Channels WebSocket origin validation.

Channels (4.x, ``channels/security/websocket.py``) checks nothing unless the
WebSocket application is wrapped in ``OriginValidator(app, allowed_origins)``
or ``AllowedHostsOriginValidator(app)`` (which uses ``settings.ALLOWED_HOSTS``).
A ``"*"`` pattern in either list accepts every origin, a missing one
included.

Facts (all ``websocket=True`` policies, read by COR401):

* ``OriginValidator(app, [..., "*", ...])``;
* ``AllowedHostsOriginValidator`` when ``ALLOWED_HOSTS`` is defined in the
  same module and contains ``"*"``;
* a ``ProtocolTypeRouter({"websocket": ...})`` whose WebSocket app is a
  cookie/session authentication stack (``AuthMiddlewareStack``,
  ``SessionMiddlewareStack``, ``CookieMiddleware``, ``AuthMiddleware``) with
  no validator around it: the browser sends the user's cookies with a
  cross-site handshake and nothing checks where it came from.  Reported with
  medium confidence: the consumer may check the origin itself.
"""

from __future__ import annotations

import libcst as cst

from ...findings import Confidence
from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Value
from ..policy_kit import assigned_call, calls_to, confidence_for, elements, imports_any, last_assignment, positional, setting

LIBRARY = "Django Channels"
ORIGIN_VALIDATOR = ("channels.security.websocket.OriginValidator",)
HOSTS_VALIDATOR = ("channels.security.websocket.AllowedHostsOriginValidator",)
ROUTER = ("channels.routing.ProtocolTypeRouter",)
COOKIE_STACKS = (
    "channels.auth.AuthMiddlewareStack",
    "channels.auth.AuthMiddleware",
    "channels.sessions.SessionMiddlewareStack",
    "channels.sessions.CookieMiddleware",
    "channels.sessions.SessionMiddleware",
)


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "channels"):
        return
    for site in calls_to(ctx, *ORIGIN_VALIDATOR):
        arg = ctx.arg(site.node, 1, "allowed_origins")
        if arg is not None:
            _star_policy(ctx, facts, site, "allowed_origins", arg, arg.value, "accepts every Origin, a missing one included")
    for site in calls_to(ctx, *HOSTS_VALIDATOR):
        hosts = last_assignment(ctx, "ALLOWED_HOSTS", None)
        if hosts is not None:
            _star_policy(ctx, facts, site, "ALLOWED_HOSTS", site.node, hosts, "makes AllowedHostsOriginValidator accept every Origin")
    for site in calls_to(ctx, *ROUTER):
        _router(ctx, facts, site)


def _star_policy(ctx: ModuleContext, facts: FileFacts, site: Site, name: str, report_at: cst.CSTNode, node: cst.BaseExpression, reason: str) -> None:
    value = ctx.evaluate(node, site)
    origins = setting(ctx, name, report_at, value, node)
    if any(e.text == "*" for e in elements(value, origins.span)):
        facts.policies.append(
            CorsPolicy(
                library=LIBRARY,
                span=ctx.span(site.node),
                origins_setting=origins,
                any_origin=True,
                any_reason=reason,
                websocket=True,
                credentials=None,
                vary=False,
                confidence=confidence_for(value, partial=value.kind == "either"),
            )
        )


def _router(ctx: ModuleContext, facts: FileFacts, site: Site) -> None:
    args = positional(site.node)
    mapping = args[0].value if args else None
    if isinstance(mapping, cst.Name):
        mapping = last_assignment(ctx, mapping.value, site)
    if not isinstance(mapping, cst.Dict):
        return
    for el in mapping.elements:
        if not isinstance(el, cst.DictElement) or ctx.evaluate(el.key, site).str_value() != "websocket":
            continue
        app = assigned_call(ctx, el.value, site)
        if app is None or not ctx.is_name(app.func, *COOKIE_STACKS):
            continue  # validated, or not cookie-authenticated
        facts.policies.append(
            CorsPolicy(
                library=LIBRARY,
                span=ctx.span(el),
                origins_setting=setting(ctx, "websocket", el, Value("unknown", text=ctx.text(el.value, 60))),
                any_origin=True,
                any_reason="is cookie-authenticated and not wrapped in OriginValidator or AllowedHostsOriginValidator",
                websocket=True,
                credentials=True,
                vary=False,
                confidence=Confidence.MEDIUM,
            )
        )
