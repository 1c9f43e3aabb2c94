"""WebSocket endpoints the application serves itself, and what they trust.

Browsers apply no CORS to WebSocket handshakes but send the user's cookies
with them, and the CORS middleware of Starlette, FastAPI and Litestar ignores
WebSocket connections.  An endpoint that recognises its caller by cookies or
a session must check the handshake's ``Origin`` itself.  This module finds
such endpoints in every framework that lets an application write them and
turns each into a neutral ``WebSocketEndpoint`` fact: where it is, which
reads authenticate the caller by ambient credentials, and which origin
tests stand on the way to it.  Rules judge the facts; nothing here decides
whether a finding is due.

How endpoints are declared (``ENDPOINT_SHAPES`` below):

* a decorator ``@<app or router>.websocket(...)`` / ``.websocket_route``
  (Starlette, FastAPI, Sanic, Quart), Litestar's ``@websocket`` and
  ``@websocket_listener``, Flask-Sock's ``@sock.route`` on a ``Sock()``;
* a route object or registration naming the handler:
  ``WebSocketRoute(path, handler)``, ``add_websocket_route``,
  ``add_api_websocket_route``;
* a class deriving from Starlette's ``WebSocketEndpoint`` or Litestar's
  ``WebsocketListener``;
* a function that creates aiohttp's ``web.WebSocketResponse()``;
* the handler given to the ``websockets`` package's ``serve(...)``; its
  ``origins=[...]`` argument is the server's own origin check, and
  ``process_request=`` runs before the handshake completes.

Tornado, Socket.IO and Django Channels check origins in the library and are
judged from their configuration (``libraries/``), not here; only the origin
tests a Channels consumer's ``connect`` or a Socket.IO connect handler makes
itself are recorded here (``WebSocketCheck``s, no ``WebSocketEndpoint``).

What counts as cookie or session authentication (``_credential_reads``):
``.cookies`` / ``.session`` / ``.user`` read from the connection or request
object, ``scope["session"]`` / ``scope["user"]``, the ``Cookie`` header,
Flask's and Quart's ``session``, Flask-Login's ``current_user``,
aiohttp-session's ``get_session``, FastAPI ``Cookie()`` parameters and
``APIKeyCookie`` schemes, Litestar ``Parameter(cookie=...)``, in the handler
or in any dependency or helper it calls (in this module, or, in standalone
mode, in another project module).  A token from the URL or the first
message is not ambient: the browser does not attach it for the attacker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..findings import Confidence
from .context import ModuleContext
from .dataflow import project_function
from .index import RawGuard, Scope, Site, string_key
from .model import CheckKind, FileFacts, Guard, GuardedChecks, OriginCheck, WebSocketCheck, WebSocketEndpoint
from .sources import is_request_value

# -- how endpoints are declared ---------------------------------------------------
DECORATOR_ATTRIBUTES = frozenset({"websocket", "websocket_route"})
DECORATOR_FUNCTIONS = ("litestar.websocket", "litestar.handlers.websocket", "litestar.websocket_listener", "litestar.handlers.websocket_listener")
ROUTE_CLASSES = ("starlette.routing.WebSocketRoute", "fastapi.routing.APIWebSocketRoute", "litestar.handlers.WebsocketRouteHandler")
ROUTE_METHODS = frozenset({"add_websocket_route", "add_api_websocket_route"})
# the connection object of Starlette/FastAPI endpoints
WEBSOCKET_CLASSES = ("starlette.websockets.WebSocket", "fastapi.WebSocket", "fastapi.websockets.WebSocket")
ENDPOINT_CLASSES = ("starlette.endpoints.WebSocketEndpoint", "litestar.handlers.WebsocketListener", "litestar.WebsocketListener")
ENDPOINT_CLASS_SUFFIXES = ("WebSocketEndpoint", "WebsocketListener")
# the method that answers the handshake, where a class endpoint is reported
ACCEPT_METHODS = ("on_connect", "on_accept")
# Django Channels consumers: the handshake is answered in ``connect`` (or the
# raw ``websocket_connect`` handler); whether every origin may connect is
# decided by the routing (``AllowedHostsOriginValidator``, judged by
# ``libraries/channels.py``), so a consumer is no COR402 endpoint of its own,
# but an origin test it makes itself is judged like any other
CONSUMER_CLASSES = (
    "channels.generic.websocket.WebsocketConsumer",
    "channels.generic.websocket.AsyncWebsocketConsumer",
    "channels.generic.websocket.JsonWebsocketConsumer",
    "channels.generic.websocket.AsyncJsonWebsocketConsumer",
)
CONSUMER_CLASS_SUFFIXES = ("WebsocketConsumer",)
CONSUMER_HANDSHAKE_METHODS = ("connect", "websocket_connect")
# Socket.IO (python-socketio, Flask-SocketIO): the server's
# ``cors_allowed_origins`` is its origin check (``libraries/socketio.py``,
# COR401), so a connect handler is no COR402 endpoint either; but the test
# a ``connect`` handler makes before refusing (``raise
# ConnectionRefusedError``, ``return False``, ``disconnect()``) is a
# WebSocket origin check of its own.  Handlers: ``@sio.on("connect")``,
# ``@sio.event`` on a function named ``connect``, and the ``on_connect``
# method of a class-based namespace.
SOCKETIO_PACKAGES = ("socketio", "flask_socketio", "engineio")
SOCKETIO_CONNECT_EVENT = "connect"
SOCKETIO_NAMESPACE_CLASSES = (
    "socketio.Namespace",
    "socketio.AsyncNamespace",
    "socketio.namespace.Namespace",
    "socketio.async_namespace.AsyncNamespace",
    "flask_socketio.Namespace",
    "flask_socketio.namespace.Namespace",
)
SOCKETIO_NAMESPACE_METHOD = "on_connect"
RESPONSE_CLASSES = ("aiohttp.web.WebSocketResponse", "aiohttp.web_ws.WebSocketResponse", "aiohttp.WebSocketResponse")
SOCK_FACTORIES = ("flask_sock.Sock",)
SERVE_FUNCTIONS = (
    "websockets.serve",
    "websockets.unix_serve",
    "websockets.server.serve",
    "websockets.server.unix_serve",
    "websockets.asyncio.server.serve",
    "websockets.asyncio.server.unix_serve",
    "websockets.legacy.server.serve",
    "websockets.legacy.server.unix_serve",
    "websockets.sync.server.serve",
    "websockets.sync.server.unix_serve",
)
SERVE_HANDLER_KEYWORDS = ("handler", "ws_handler")
CALL_NAMES = frozenset(
    {q.rsplit(".", 1)[-1] for q in (*RESPONSE_CLASSES, *ROUTE_CLASSES, *SERVE_FUNCTIONS)} | ROUTE_METHODS
)
# decorators and app wrappers that check WebSocket origins for the endpoint
ORIGIN_CHECKING_DECORATORS = ("quart_cors.websocket_cors",)
ORIGIN_CHECKING_WRAPPERS = ("quart_cors.cors",)
MIDDLEWARE_REGISTRATIONS = ("add_middleware", "Middleware")
# tests that hold on the branch that turns an origin away
DENIALS = frozenset({CheckKind.NOT_IN_COLLECTION, CheckKind.NOT_EQUALS, CheckKind.NEGATED})
# hooks that run before every request of the app or blueprint (Flask, Quart)
REQUEST_HOOKS = frozenset({"before_request", "before_app_request", "before_websocket", "before_app_websocket"})
BLUEPRINTS = ("flask.Blueprint", "quart.Blueprint")
# calls that turn a handshake away
REJECTIONS = frozenset({"close", "send_denial_response", "respond", "httpresponse", "response", "disconnect"})

# -- what counts as ambient credentials --------------------------------------------
CREDENTIAL_GLOBALS = (
    "flask.session",
    "quart.session",
    "flask_login.current_user",
    "flask_security.current_user",
    "quart_auth.current_user",
)
# framework globals that stand for the current request or connection
REQUEST_GLOBALS = ("flask.request", "quart.request", "quart.websocket")
CREDENTIAL_CALLS = (
    "aiohttp_session.get_session",
    "aiohttp_security.authorized_userid",
    "aiohttp_security.check_authorized",
    "http.cookies.SimpleCookie",
    "flask_login.login_required",
)
COOKIE_PARAMETERS = ("fastapi.Cookie", "fastapi.params.Cookie", "fastapi.param_functions.Cookie")
COOKIE_SCHEMES = ("fastapi.security.APIKeyCookie", "fastapi.security.api_key.APIKeyCookie")
DEPENDENCY_MARKERS = ("fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "litestar.di.Provide", "litestar.Provide")
PARAMETER_FUNCTIONS = ("litestar.params.Parameter", "litestar.Parameter")
# reads that only a session or authentication middleware fills; the
# middleware may trust a cookie or a header, so they lower confidence
WEAK_EVIDENCE_ATTRIBUTES = frozenset({"user"})
# session and cookie authentication set up in the module: with one of these,
# scope["user"] / websocket.user come from a cookie
SESSION_MACHINERY = (
    "starlette.middleware.sessions.SessionMiddleware",
    "litestar.middleware.session.server_side.ServerSideSessionConfig",
    "litestar.middleware.session.client_side.CookieBackendConfig",
    "litestar.security.session_auth.SessionAuth",
    "litestar.security.jwt.JWTCookieAuth",
    "litestar.security.jwt.OAuth2PasswordBearerAuth",
    "channels.auth.AuthMiddlewareStack",
    "channels.sessions.SessionMiddlewareStack",
    "channels.sessions.CookieMiddleware",
)
HELPER_DEPTH = 3


@dataclass
class _Endpoint:
    name: str
    report: cst.CSTNode
    functions: list[Scope]
    decorators: list[cst.Decorator] = field(default_factory=list)
    extra: list[cst.BaseExpression] = field(default_factory=list)  # dependencies, process_request hooks
    checked_by: str = ""
    # the library's routing decides whether origins are checked at all
    # (Channels): the endpoint's own tests are judged, its absence of one is not
    routing_checked: bool = False


def extract_websocket_endpoints(ctx: ModuleContext, facts: FileFacts) -> None:
    endpoints = _endpoints(ctx)
    if not endpoints:
        return
    app_checks = _middleware_checks(ctx)
    hooks = _hook_checks(ctx)
    app_wrapped = _wrapped_by_origin_checker(ctx)
    session_context = _session_context(ctx)
    for ep in endpoints:
        reach = _Reach(ctx)
        for scope in ep.functions:
            reach.add(ctx, scope, 0)
        for expr in ep.extra:
            reach.add_callable(ctx, expr, ep.functions[0] if ep.functions else ctx.index.module_scope)
        for dec in ep.decorators:
            reach.add_decorator(ctx, dec)
        checked_by = ep.checked_by or app_wrapped or _decorator_checker(ctx, ep.decorators)
        outside = app_checks + hooks.get("", []) + (hooks.get(_blueprint(ep.decorators), []) if _blueprint(ep.decorators) else [])
        guards = reach.guards() + outside
        checks = tuple(c for g in guards for c in _flatten(g))
        paths = reach.paths() + [GuardedChecks((g,), tuple(_flatten(g))) for g in outside if not all(c.kind in DENIALS for c in _flatten(g))]
        credentials = tuple(reach.credentials) if session_context or not reach.weak_only else ()
        if ep.routing_checked:
            if paths:
                facts.websocket_checks.append(WebSocketCheck(ctx.span(ep.report), groups=tuple(paths), text=f"{ep.name}()"))
            continue
        facts.websocket_endpoints.append(
            WebSocketEndpoint(
                span=ctx.span(ep.report),
                name=ep.name,
                credentials=credentials,
                origin_checks=checks,
                origin_checked_by=checked_by,
                confidence=Confidence.MEDIUM if reach.weak_only else Confidence.HIGH,
            )
        )
        if paths and not checked_by:
            # COR102 judges these tests; the facts record them and take no verdict
            facts.websocket_checks.append(WebSocketCheck(ctx.span(ep.report), groups=tuple(paths), text=f"{ep.name}()"))


# ---------------------------------------------------------------------------
# Finding endpoints
# ---------------------------------------------------------------------------


def _endpoints(ctx: ModuleContext) -> list[_Endpoint]:
    found: dict[int, _Endpoint] = {}
    index = ctx.index
    for scopes in index.functions.values():
        for scope in scopes:
            decorators = list(getattr(scope.node, "decorators", ()))
            if any(_is_endpoint_decorator(ctx, d.decorator) for d in decorators):
                found.setdefault(id(scope.node), _Endpoint(scope.name, scope.node.name, [scope], decorators))
    for info in index.classes.values():
        if not any(_is_endpoint_class(ctx, base) for base in info.bases):
            continue
        methods = list(info.methods.values())
        accept = next((info.methods[m] for m in ACCEPT_METHODS if m in info.methods), None)
        report = accept.node.name if accept is not None else info.node.name
        decorators = list(info.node.decorators)
        found.setdefault(id(info.node), _Endpoint(info.name, report, methods, decorators))
    for info in index.classes.values():
        handshake = [info.methods[m] for m in CONSUMER_HANDSHAKE_METHODS if m in info.methods]
        if handshake and any(_is_consumer_class(ctx, base) for base in info.bases):
            # only the handshake handler gates the connection
            found.setdefault(id(info.node), _Endpoint(info.name, handshake[0].node.name, handshake, [], routing_checked=True))
    _add_socketio_handlers(ctx, found)
    for site in index.calls:
        call = site.node
        # the callee's last name first: qualifying every call of the module is the costly part
        func = call.func
        last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if last not in CALL_NAMES:
            continue
        if ctx.is_name(call.func, *RESPONSE_CLASSES) and site.scope.kind == "function":
            scope = _outermost_function(site.scope)
            found.setdefault(id(scope.node), _Endpoint(scope.name, scope.node.name, [scope], list(scope.node.decorators)))
        elif ctx.is_name(call.func, *ROUTE_CLASSES) or (isinstance(call.func, cst.Attribute) and call.func.attr.value in ROUTE_METHODS):
            handler = ctx.arg(call, 1, "endpoint")
            if handler is not None:
                _add_named(ctx, found, handler.value, site)
        elif ctx.is_name(call.func, *SERVE_FUNCTIONS):
            _add_served(ctx, found, call, site)
    _add_typed_handlers(ctx, found)
    return list(found.values())


def _add_socketio_handlers(ctx: ModuleContext, found: dict) -> None:
    """Socket.IO connect handlers, judged for the origin tests they make
    themselves (``routing_checked``: the server's configuration answers for
    handlers that make none)."""
    from .policy_kit import imports_any

    if not imports_any(ctx, *SOCKETIO_PACKAGES):
        return
    for scopes in ctx.index.functions.values():
        for scope in scopes:
            if id(scope.node) in found or scope.in_class:
                continue
            if any(_is_connect_decorator(d.decorator, scope.name) for d in getattr(scope.node, "decorators", ())):
                found[id(scope.node)] = _Endpoint(scope.name, scope.node.name, [scope], [], routing_checked=True)
    for info in ctx.index.classes.values():
        method = info.methods.get(SOCKETIO_NAMESPACE_METHOD)
        if method is None or id(info.node) in found:
            continue
        if any(ctx.is_name(base, *SOCKETIO_NAMESPACE_CLASSES) for base in info.bases):
            found[id(info.node)] = _Endpoint(info.name, method.node.name, [method], [], routing_checked=True)


def _is_connect_decorator(node: cst.BaseExpression, function_name: str) -> bool:
    """``@sio.on("connect")`` (any namespace), or ``@sio.event`` /
    ``@sio.event(namespace=...)`` on a function named ``connect``."""
    call = node if isinstance(node, cst.Call) else None
    target = call.func if call is not None else node
    if not isinstance(target, cst.Attribute):
        return False
    if target.attr.value == "on" and call is not None and call.args and call.args[0].keyword is None:
        first = call.args[0].value
        return isinstance(first, cst.SimpleString) and first.evaluated_value == SOCKETIO_CONNECT_EVENT
    return target.attr.value == "event" and function_name == SOCKETIO_CONNECT_EVENT


def _add_typed_handlers(ctx: ModuleContext, found: dict) -> None:
    """Module-level functions that take a Starlette/FastAPI ``WebSocket``
    as their only parameter and accept the handshake on it
    (``await websocket.accept()``): endpoints whatever module registers
    them (``WebSocketRoute("/ws", chat_ws)`` in the app module).  A function
    this module calls itself is a helper of another endpoint, not one."""
    called = set()
    accepting = set()  # (function node id, name) of each ``name.accept()`` call
    for site in ctx.index.calls:
        func = site.node.func
        if isinstance(func, cst.Name):
            called.add(func.value)
        elif isinstance(func, cst.Attribute) and func.attr.value == "accept" and isinstance(func.value, cst.Name):
            accepting.add((id(_outermost_function(site.scope).node), func.value.value))
    for scopes in ctx.index.functions.values():
        for scope in scopes:
            if id(scope.node) in found or scope.in_class or scope.parent is not ctx.index.module_scope:
                continue
            params = scope.node.params
            if len(params.params) != 1 or params.kwonly_params or isinstance(params.star_arg, cst.Param):
                continue
            param = params.params[0]
            if param.annotation is None or not ctx.is_name(param.annotation.annotation, *WEBSOCKET_CLASSES):
                continue
            if scope.name in called or (id(scope.node), param.name.value) not in accepting:
                continue
            found[id(scope.node)] = _Endpoint(scope.name, scope.node.name, [scope], list(scope.node.decorators))


def _is_endpoint_decorator(ctx: ModuleContext, node: cst.BaseExpression) -> bool:
    target = node.func if isinstance(node, cst.Call) else node
    if isinstance(target, cst.Attribute):
        if target.attr.value in DECORATOR_ATTRIBUTES:
            return True
        return target.attr.value == "route" and _made_by(ctx, target.value, SOCK_FACTORIES)
    return ctx.is_name(target, *DECORATOR_FUNCTIONS)


def _is_endpoint_class(ctx: ModuleContext, base: cst.BaseExpression) -> bool:
    if ctx.is_name(base, *ENDPOINT_CLASSES):
        return True
    dotted = ctx.dotted(base) or ""
    return dotted.endswith(ENDPOINT_CLASS_SUFFIXES)


def _is_consumer_class(ctx: ModuleContext, base: cst.BaseExpression) -> bool:
    if ctx.is_name(base, *CONSUMER_CLASSES):
        return True
    dotted = ctx.dotted(base) or ""
    return dotted.endswith(CONSUMER_CLASS_SUFFIXES)


def _made_by(ctx: ModuleContext, node: cst.BaseExpression, factories: tuple[str, ...], depth: int = 0) -> bool:
    """``sock`` in ``sock.route`` was assigned ``Sock(app)`` (in the module)."""
    if not isinstance(node, cst.Name):
        return False
    for d in ctx.index.module_scope.assignments.get(node.value, []):
        if isinstance(d.value, cst.Call) and ctx.is_name(d.value.func, *factories):
            return True
    # app factories create the extension in another module
    # (``from .extensions import sock``); standalone mode can look there
    other = _imported_assignment(ctx, node) if depth < HELPER_DEPTH else None
    return other is not None and _made_by(other[0], other[1], factories, depth + 1)


def _imported_assignment(ctx: ModuleContext, node: cst.Name):
    """(context, name) of a module-level name imported from another project
    module, in standalone mode; else None."""
    for other, name in ctx.imported_from(node):
        if name in other.index.module_scope.assignments:
            return other, cst.Name(name)
    return None


def _outermost_function(scope: Scope) -> Scope:
    while scope.parent is not None and scope.parent.kind == "function":
        scope = scope.parent
    return scope


def _module_function(ctx: ModuleContext, node: cst.BaseExpression) -> Scope | None:
    if not isinstance(node, cst.Name):
        return None
    scopes = [s for s in ctx.index.functions.get(node.value, []) if not s.in_class]
    return scopes[-1] if scopes else None


def _add_named(ctx: ModuleContext, found: dict, handler: cst.BaseExpression, site: Site) -> None:
    scope = _module_function(ctx, handler)
    if scope is not None:
        found.setdefault(id(scope.node), _Endpoint(scope.name, scope.node.name, [scope], list(scope.node.decorators)))
        return
    if isinstance(handler, cst.Name) and handler.value in ctx.index.classes:
        return  # a class endpoint: found through its base class


def _add_served(ctx: ModuleContext, found: dict, call: cst.Call, site: Site) -> None:
    """``websockets.serve(handler, host, port, origins=..., process_request=...)``."""
    origins = ctx.arg(call, keyword="origins")
    checked_by = ""
    if origins is not None and not (isinstance(origins.value, cst.Name) and origins.value.value == "None"):
        checked_by = f"origins={ctx.text(origins.value, 40)}"
    handler = ctx.arg(call, 0, None)
    for kw in SERVE_HANDLER_KEYWORDS:
        handler = handler or ctx.arg(call, keyword=kw)
    hook = ctx.arg(call, keyword="process_request")
    extra = [hook.value] if hook is not None else []
    scope = _module_function(ctx, handler.value) if handler is not None else None
    if scope is not None:
        # one endpoint per server: the same handler may be served once with
        # origins=[...] and once without, with different process_request hooks
        found[id(call)] = _Endpoint(scope.name, scope.node.name, [scope], [], extra, checked_by)
    else:
        name = ctx.text(handler.value, 40) if handler is not None else "serve()"
        found[id(call)] = _Endpoint(name, call, [], [], extra, checked_by)


# ---------------------------------------------------------------------------
# What the endpoint reaches: handler, dependencies, helpers
# ---------------------------------------------------------------------------


class _Reach:
    """The functions an endpoint runs (in this module and, in standalone
    mode, in project modules), with the credential reads and origin guards
    found in them."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self.seen: set[int] = set()
        self.credentials: list[str] = []
        self.weak_only = True
        self._guards: list[Guard] = []
        self._paths: list[GuardedChecks] = []  # the origin guards of each way in (not of a rejection)
        self._path_keys: set[tuple[int, ...]] = set()
        self._guard_keys: set[tuple[int, bool]] = set()

    def add(self, ctx: ModuleContext, scope: Scope, depth: int) -> None:
        if id(scope.node) in self.seen or depth > HELPER_DEPTH:
            return
        self.seen.add(id(scope.node))
        for text, weak in _credential_reads(ctx, scope):
            self._credential(text, weak)
        for param in scope.params:
            for expr in (param.default, param.annotation.annotation if param.annotation is not None else None):
                if expr is not None:
                    self._parameter(ctx, expr, scope, depth)
        self._collect_guards(ctx, scope)
        for site in _calls_in(ctx, scope):
            call = site.node
            local = _callee(ctx, call.func, scope)
            if local is not None:
                self.add(ctx, local, depth + 1)
            elif ctx is self.ctx:
                other = project_function(ctx, call.func)
                if other is not None:
                    self.add(other[0], other[1], depth + 1)

    def add_callable(self, ctx: ModuleContext, expr: cst.BaseExpression, scope: Scope) -> None:
        target = _module_function(ctx, expr)
        if target is not None:
            self.add(ctx, target, 1)

    def add_decorator(self, ctx: ModuleContext, dec: cst.Decorator) -> None:
        """``dependencies=[Depends(check_origin)]`` on the route, on the
        router it belongs to, and login decorators (``@login_required``)."""
        node = dec.decorator
        call = node if isinstance(node, cst.Call) else None
        target = node.func if call is not None else node
        if ctx.is_name(target, *CREDENTIAL_CALLS):
            self._credential(ctx.text(target, 40), False)
        if call is not None:
            self._dependencies(ctx, call)
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            for d in ctx.index.module_scope.assignments.get(target.value.value, []):
                if isinstance(d.value, cst.Call):
                    self._dependencies(ctx, d.value)

    def _dependencies(self, ctx: ModuleContext, call: cst.Call) -> None:
        deps = ctx.arg(call, keyword="dependencies")
        if deps is not None and isinstance(deps.value, (cst.List, cst.Tuple)):
            for element in deps.value.elements:
                self._parameter(ctx, element.value, ctx.index.module_scope, 0)

    def _parameter(self, ctx: ModuleContext, expr: cst.BaseExpression, scope: Scope, depth: int) -> None:
        """A parameter default or annotation: ``Cookie()``, ``Depends(fn)``,
        ``Annotated[User, Depends(current_user)]``."""
        for call in _calls_within(expr):
            if ctx.is_name(call.func, *COOKIE_PARAMETERS):
                self._credential(ctx.text(call, 40), False)
            elif ctx.is_name(call.func, *PARAMETER_FUNCTIONS) and ctx.arg(call, keyword="cookie") is not None:
                self._credential(ctx.text(call, 40), False)
            elif ctx.is_name(call.func, *DEPENDENCY_MARKERS):
                dep = ctx.arg(call, 0, "dependency")
                if dep is not None:
                    self._dependency(ctx, dep.value, scope, depth)

    def _dependency(self, ctx: ModuleContext, node: cst.BaseExpression, scope: Scope, depth: int) -> None:
        if isinstance(node, cst.Name):
            for d in ctx.index.module_scope.assignments.get(node.value, []):
                if isinstance(d.value, cst.Call) and ctx.is_name(d.value.func, *COOKIE_SCHEMES):
                    self._credential(ctx.text(d.value, 40), False)
                    return
        local = _callee(ctx, node, scope)
        if local is not None:
            self.add(ctx, local, depth + 1)
            return
        if ctx is self.ctx:
            other = project_function(ctx, node)
            if other is not None:
                self.add(other[0], other[1], depth + 1)

    def _credential(self, text: str, weak: bool) -> None:
        if text not in self.credentials:
            self.credentials.append(text)
        if not weak:
            self.weak_only = False

    def _collect_guards(self, ctx: ModuleContext, scope: Scope) -> None:
        evaluator = ctx.evaluator
        for site in _sites_in(ctx, scope):
            on_path = []
            for raw in site.guards:
                g = evaluator.guard(raw, site.scope, raw.order)
                if g is None:
                    continue
                on_path.append(g)
                key = (id(raw.test), raw.polarity)
                if key not in self._guard_keys:
                    self._guard_keys.add(key)
                    self._guards.append(g)
            # a check in another module silences COR402; judging it would
            # report a position in a file that is not being linted
            if on_path and ctx is self.ctx and not _rejects(ctx, site.node):
                self._add_path(on_path)
        # a predicate helper: "return websocket.headers.get('origin') in ALLOWED"
        for ret in scope.returns:
            g = evaluator.guard(RawGuard(ret.node.value, True, ret.order), scope, ret.order)
            if g is not None:
                self._guards.append(g)
                if ctx is self.ctx:
                    self._add_path([g])

    def _add_path(self, guards: list[Guard]) -> None:
        """The guards on one way into the endpoint.  ``if origin not in
        ALLOWED: <turn away>`` guards the rejection branch; what runs after
        it carries the positive test, which is the one to judge."""
        accepting = tuple(g for g in guards if not all(c.kind in DENIALS for c in _flatten(g)))
        checks = tuple(c for g in accepting for c in _flatten(g))
        key = tuple(id(g) for g in accepting)
        if checks and key not in self._path_keys:
            self._path_keys.add(key)
            self._paths.append(GuardedChecks(accepting, checks))

    def guards(self) -> list[Guard]:
        return list(self._guards)

    def paths(self) -> list[GuardedChecks]:
        return list(self._paths)


def _within(site_scope: Scope, scope: Scope) -> bool:
    """``site_scope`` is ``scope`` or a function nested in it."""
    s: Scope | None = site_scope
    while s is not None:
        if s is scope:
            return True
        s = s.parent
    return False


def _calls_in(ctx: ModuleContext, scope: Scope) -> list[Site]:
    return [s for s in ctx.index.calls if _within(s.scope, scope)]


def _sites_in(ctx: ModuleContext, scope: Scope) -> list[Site]:
    out = _calls_in(ctx, scope)
    s: Scope | None
    for s in [scope]:
        out.extend(s.returns)
    return out


def _callee(ctx: ModuleContext, func: cst.BaseExpression, scope: Scope) -> Scope | None:
    """A function of this module called as ``helper(...)`` or ``self.helper(...)``."""
    if isinstance(func, cst.Name):
        candidates = [s for s in ctx.index.functions.get(func.value, []) if not s.in_class]
        return candidates[-1] if candidates else None
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
        candidates = [s for s in ctx.index.functions.get(func.attr.value, []) if s.in_class and s.class_name == scope.class_name]
        return candidates[-1] if candidates else None
    return None


def _calls_within(expr: cst.BaseExpression):
    """Calls inside a parameter default or annotation (small expressions)."""
    todo = [expr]
    while todo:
        node = todo.pop()
        if isinstance(node, cst.Call):
            yield node
            todo.extend(a.value for a in node.args)
        elif isinstance(node, cst.Subscript):
            todo.extend(e.slice.value for e in node.slice if isinstance(e.slice, cst.Index))
        elif isinstance(node, (cst.List, cst.Tuple)):
            todo.extend(e.value for e in node.elements)


# ---------------------------------------------------------------------------
# Credential reads
# ---------------------------------------------------------------------------


def _credential_reads(ctx: ModuleContext, scope: Scope):
    """(source text, weak) for each read of ambient credentials in ``scope``
    (and functions nested in it)."""
    for site in ctx.index.credential_reads:
        if not _within(site.scope, scope):
            continue
        node = site.node
        if isinstance(node, cst.Attribute):
            if _connection_like(ctx, node.value, site.scope):
                yield ctx.text(node, 40), node.attr.value in WEAK_EVIDENCE_ATTRIBUTES
        elif isinstance(node, cst.Subscript):
            key = string_key(node.slice[0].slice.value)
            subject = (ctx.dotted(node.value) or ctx.text(node.value, 60)).lower()
            if key in ("session", "user") and subject.rsplit(".", 1)[-1] == "scope":
                yield ctx.text(node, 40), key == "user"
            elif key in ("cookie", "http_cookie") and ("header" in subject or "environ" in subject or "meta" in subject):
                yield ctx.text(node, 40), False
        elif isinstance(node, cst.Name):
            parent = ctx.index.parent(node)
            if isinstance(parent, cst.Attribute) and parent.attr is node:
                continue
            if ctx.is_name(node, *CREDENTIAL_GLOBALS):
                yield node.value, False
    for site in _calls_in(ctx, scope):
        call = site.node
        if ctx.is_name(call.func, *CREDENTIAL_CALLS):
            yield ctx.text(call.func, 40), False
        elif isinstance(call.func, cst.Attribute) and call.func.attr.value in ("get", "getone", "get_all", "getlist"):
            key = ctx.arg(call, 0, None)
            if key is not None and isinstance(key.value, cst.SimpleString) and string_key(key.value) in ("cookie", "http_cookie"):
                subject = ctx.text(call.func.value, 60).lower()
                if "header" in subject or "environ" in subject or "meta" in subject or "scope" in subject:
                    yield ctx.text(call, 40), False


def _connection_like(ctx: ModuleContext, node: cst.BaseExpression, scope: Scope) -> bool:
    """The object a credential attribute is read from stands for the
    caller's connection or request: a parameter of the function (not
    ``self``), something reached from one (``request.ctx``), or a framework
    global (Flask's ``request``, Quart's ``websocket``).  ``self.session``
    in a class usually holds an HTTP client session, and a message's
    ``data.user`` is whatever the client sent."""
    root = node
    while isinstance(root, (cst.Attribute, cst.Subscript, cst.Call)):
        root = root.func if isinstance(root, cst.Call) else root.value
    if not isinstance(root, cst.Name):
        return False
    if ctx.is_name(root, *REQUEST_GLOBALS):
        return True
    if root.value in ("self", "cls"):
        return isinstance(node, cst.Attribute) and node.attr.value in ("scope", "request", "websocket", "ws", "socket")
    s: Scope | None = scope
    while s is not None and s.kind == "function":
        if root.value in s.param_names():
            return True
        s = s.parent
    return False


def _session_context(ctx: ModuleContext) -> bool:
    """Does this module deal in cookies or sessions at all?  ``scope["user"]``
    and ``websocket.user`` are filled by an authentication middleware, which
    may trust a cookie or an ``Authorization``/API-key header (a client
    that is not a browser).  They count as cookie authentication only next
    to a cookie or session read, or a session middleware, in the module."""
    for site in ctx.index.credential_reads:
        node = site.node
        if isinstance(node, cst.Attribute) and node.attr.value not in WEAK_EVIDENCE_ATTRIBUTES:
            return True
        if isinstance(node, cst.Subscript) and string_key(node.slice[0].slice.value) != "user":
            return True
        if isinstance(node, cst.Name) and ctx.is_name(node, *CREDENTIAL_GLOBALS):
            return True
    for site in ctx.index.calls:
        call = site.node
        # SessionMiddleware(app), add_middleware(SessionMiddleware), Middleware(SessionMiddleware)
        if any(ctx.is_name(node, *SESSION_MACHINERY) for node in (call.func, *(a.value for a in call.args[:1]))):
            return True
    return False


# ---------------------------------------------------------------------------
# Origin checks outside the handler
# ---------------------------------------------------------------------------


def _middleware_checks(ctx: ModuleContext) -> list[Guard]:
    """Origin tests in a middleware class of this module registered with
    ``add_middleware(Cls)`` / ``Middleware(Cls)``: they run before every
    endpoint of the app."""
    out: list[Guard] = []
    for site in ctx.index.calls:
        call = site.node
        name = call.func.attr.value if isinstance(call.func, cst.Attribute) else ctx.dotted(call.func) or ""
        if name.rsplit(".", 1)[-1] not in MIDDLEWARE_REGISTRATIONS:
            continue
        first = ctx.arg(call, 0, "middleware_class") or ctx.arg(call, 0, "cls")
        if first is None or not isinstance(first.value, cst.Name):
            continue
        info = ctx.index.classes.get(first.value.value)
        scopes = list(info.methods.values()) if info is not None else [s for s in [_module_function(ctx, first.value)] if s]
        reach = _Reach(ctx)
        for scope in scopes:
            reach._collect_guards(ctx, scope)
        out.extend(g for g in reach.guards() if _flatten(g))
    return out


def _hook_checks(ctx: ModuleContext) -> dict[str, list[Guard]]:
    """Origin tests in Flask/Quart ``before_request`` hooks, which run before
    a Flask-Sock route's handshake: under ``""`` the app-wide ones
    (``@app.before_request``, ``@bp.before_app_request``), under a
    blueprint's name those that only run for its routes."""
    out: dict[str, list[Guard]] = {}
    for scopes in ctx.index.functions.values():
        for scope in scopes:
            for dec in getattr(scope.node, "decorators", ()):
                target = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
                if not (isinstance(target, cst.Attribute) and target.attr.value in REQUEST_HOOKS):
                    continue
                owner = target.value.value if isinstance(target.value, cst.Name) else ""
                if "_app_" in target.attr.value or not _made_by(ctx, target.value, BLUEPRINTS):
                    owner = ""
                reach = _Reach(ctx)
                reach._collect_guards(ctx, scope)
                out.setdefault(owner, []).extend(g for g in reach.guards() if _flatten(g))
    return out


def _blueprint(decorators: list[cst.Decorator]) -> str:
    """``@sock.route(path, bp=admin)`` -> ``"admin"``."""
    for dec in decorators:
        node = dec.decorator
        if isinstance(node, cst.Call):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "bp" and isinstance(arg.value, cst.Name):
                    return arg.value.value
    return ""


def _wrapped_by_origin_checker(ctx: ModuleContext) -> str:
    for site in ctx.index.calls:
        if ctx.is_name(site.node.func, *ORIGIN_CHECKING_WRAPPERS):
            return ctx.text(site.node.func, 40)
    return ""


def _decorator_checker(ctx: ModuleContext, decorators: list[cst.Decorator]) -> str:
    for dec in decorators:
        node = dec.decorator
        target = node.func if isinstance(node, cst.Call) else node
        if ctx.is_name(target, *ORIGIN_CHECKING_DECORATORS):
            return ctx.text(target, 40)
    return ""


def _flatten(guard: Guard) -> list[OriginCheck]:
    """The origin tests in a guard.  A test of another request value is no
    origin check: ``return load_user(request.cookies["sid"])`` in a helper
    authenticates by cookie, it does not vet the handshake's origin."""
    out = [c for c in guard.checks if not is_request_value(c.source)]
    for child in guard.children:
        out.extend(_flatten(child))
    return out


def _rejects(ctx: ModuleContext, node: cst.CSTNode) -> bool:
    """A call that turns the caller away (``websocket.close(...)``,
    ``raise WebSocketException(...)``, ``abort(403)``): the test in front of
    it is the negation of the one that lets origins in, and judging it
    again would only repeat the verdict."""
    if not isinstance(node, cst.Call):
        return False
    name = (node.func.attr.value if isinstance(node.func, cst.Attribute) else ctx.dotted(node.func) or "").lower()
    return name in REJECTIONS or name.endswith(("exception", "error", "forbidden")) or "reject" in name or "abort" in name
