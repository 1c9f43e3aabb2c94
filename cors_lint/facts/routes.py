"""Routes: the URL paths a module declares, as neutral ``Route`` facts.

Nothing here judges CORS.  ``cors-lint probe`` needs to know where to send
the request that shows a finding, and the answer is the route whose handler
contains the finding (a header written inside a view, a per-route
decorator).  Declarations recognised, all read from the index without a
new walk:

* decorators whose first argument (or ``path=``/``rule=``/``uri=``) is a
  constant path: ``@app.route("/x", methods=[...])`` (Flask, Quart, Sanic,
  blueprints), ``@app.get("/x")`` and the other verbs (FastAPI, Starlette
  routers, Flask 2, Sanic, aiohttp ``RouteTableDef``), ``@app.api_route``,
  ``@app.websocket("/ws")``, and Litestar's bare ``@get("/x")``;
* registration calls: Starlette ``Route``/``WebSocketRoute``, Flask
  ``add_url_rule``, aiohttp ``web.get(...)``/``router.add_get(...)``/
  ``router.add_route(method, path, handler)``, Django ``path()``/``re_path()``
  (a regex only when it is a plain path once its anchors and named groups
  are dropped), Tornado ``Application([(r"/ws", Handler)])`` and ``url()``.

Routes declared on a blueprint or router get its prefix
(``Blueprint(..., url_prefix=)``, ``APIRouter(prefix=)``, then
``register_blueprint(bp, url_prefix=)`` / ``app.blueprint(bp, url_prefix=)``,
which replace it, and ``include_router(router, prefix=)``, which prepends),
and name the object they are declared on (``Route.app``), so a policy
configured on ``bp`` can be probed on one of ``bp``'s routes.

A path that does not evaluate to a constant is left out: a wrong path is
worse than none (the probe then falls back to the base URL).
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from .context import ModuleContext
from .model import FileFacts, Route

VERBS = ("get", "post", "put", "delete", "patch", "head", "options")
ROUTE_DECORATORS = {"route": (), "api_route": (), "websocket": ("GET",), "websocket_route": ("GET",), "ws": ("GET",)}
WEBSOCKET_NAMES = ("websocket", "websocket_route", "ws")
LITESTAR = tuple(f"litestar.{v}" for v in (*VERBS, "route", "websocket")) + tuple(
    f"litestar.handlers.{v}" for v in (*VERBS, "route", "websocket")
)
STARLETTE_ROUTES = ("starlette.routing.Route", "fastapi.routing.APIRoute")
STARLETTE_WS_ROUTES = ("starlette.routing.WebSocketRoute", "fastapi.routing.APIWebSocketRoute")
AIOHTTP_FUNCS = tuple(f"aiohttp.web.{v}" for v in VERBS) + ("aiohttp.web.route", "aiohttp.web.view")
DJANGO_PATHS = ("django.urls.path", "django.urls.re_path", "django.conf.urls.url")
TORNADO_APPS = ("tornado.web.Application",)
TORNADO_URL = ("tornado.web.url", "tornado.routing.URLSpec", "tornado.web.URLSpec")
PATH_KEYWORDS = ("path", "rule", "uri", "route")
# last name segments of every registration call above: a set lookup before
# any qualification, since most calls in a file are none of these
CALL_TAILS = {
    "Route", "APIRoute", "WebSocketRoute", "APIWebSocketRoute", "add_url_rule", "add_route", "route", "view",
    "path", "re_path", "url", "Application", "URLSpec", *VERBS, *(f"add_{v}" for v in VERBS),
}
_REGEX_META = re.compile(r"[\[\](){}*+?|^$\\]")


def extract_routes(ctx: ModuleContext, facts: FileFacts) -> None:
    index = ctx.index
    found: list[Route] = []
    for scopes in index.functions.values():
        for scope in scopes:
            node = scope.node
            for decorator in getattr(node, "decorators", ()):
                route = _decorated(ctx, decorator.decorator, scope.qualname, node)
                if route is not None:
                    found.append(route)
    for site in index.calls:
        found.extend(_registered(ctx, site.node))
    if found:
        prefixes = _prefixes(ctx)
        for route in found:
            prefix = prefixes.get(route.app, "").rstrip("/")
            facts.routes.append(replace(route, path=prefix + route.path) if prefix and route.path.startswith("/") else route)


def _prefixes(ctx: ModuleContext) -> dict[str, str]:
    """Blueprint/router name -> the URL prefix its routes are served under."""
    out: dict[str, str] = {}
    for name, assignments in ctx.index.module_scope.assignments.items():
        value = assignments[-1].value
        if isinstance(value, cst.Call):
            arg = ctx.arg(value, None, "url_prefix") or ctx.arg(value, None, "prefix")
            text = _const(ctx, arg.value) if arg is not None else None
            if isinstance(text, str):
                out[name] = text
    for site in ctx.index.calls:
        call = site.node
        attr = call.func.attr.value if isinstance(call.func, cst.Attribute) else ""
        if attr not in ("register_blueprint", "blueprint", "include_router"):
            continue
        first = ctx.arg(call, 0)
        name = ctx.dotted(first.value) if first is not None else None
        arg = ctx.arg(call, None, "prefix" if attr == "include_router" else "url_prefix")
        text = _const(ctx, arg.value) if arg is not None else None
        if name and isinstance(text, str):
            out[name] = text.rstrip("/") + out.get(name, "") if attr == "include_router" else text
    return out


# -- decorators ---------------------------------------------------------------


def _decorated(ctx: ModuleContext, deco: cst.BaseExpression, handler: str, node: cst.CSTNode) -> Route | None:
    if not isinstance(deco, cst.Call):
        return None
    func = deco.func
    name = func.attr.value if isinstance(func, cst.Attribute) else None
    methods: tuple[str, ...]
    if name is not None and name in VERBS:
        methods = (name.upper(),)
    elif name is not None and name in ROUTE_DECORATORS:
        methods = _methods(ctx, deco) or ROUTE_DECORATORS[name]
    elif ctx.is_name(func, *LITESTAR):
        name = next(iter(ctx.qualify(func))).rsplit(".", 1)[-1]
        methods = (name.upper(),) if name in VERBS else ("GET",) if name == "websocket" else _methods(ctx, deco, "http_method")
    else:
        return None
    path = _path_arg(ctx, deco)
    if path is None:
        return None
    app = (ctx.dotted(func.value) or "") if isinstance(func, cst.Attribute) else ""
    return Route(path, methods, handler, ctx.span(node), name in WEBSOCKET_NAMES, _decorators_start(ctx, node), app)


# -- registration calls ---------------------------------------------------------


def _registered(ctx: ModuleContext, call: cst.Call) -> list[Route]:
    func = call.func
    tail = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    if tail not in CALL_TAILS:
        return []
    attr = func.attr.value if isinstance(func, cst.Attribute) else ""
    if ctx.is_name(func, *STARLETTE_ROUTES, *STARLETTE_WS_ROUTES):
        ws = ctx.is_name(func, *STARLETTE_WS_ROUTES)
        return _route(ctx, call, _path_arg(ctx, call), _handler_arg(call, 1, "endpoint"), () if ws else _methods(ctx, call), ws)
    if attr == "add_url_rule":
        return _route(ctx, call, _path_arg(ctx, call), _handler_arg(call, 2, "view_func"), _methods(ctx, call))
    if attr.startswith("add_") and attr[4:] in VERBS:  # aiohttp router.add_get(path, handler)
        return _route(ctx, call, _path_arg(ctx, call), _handler_arg(call, 1, "handler"), (attr[4:].upper(),))
    if attr == "add_route" and len(call.args) >= 3:  # aiohttp router.add_route("GET", path, handler)
        method = _const(ctx, call.args[0].value)
        path = _const(ctx, call.args[1].value)
        methods = (method.upper(),) if isinstance(method, str) and method != "*" else ()
        return _route(ctx, call, path if isinstance(path, str) else None, _handler_arg(call, 2, "handler"), methods)
    if ctx.is_name(func, *AIOHTTP_FUNCS):
        verb = next(iter(ctx.qualify(func))).rsplit(".", 1)[-1]
        return _route(ctx, call, _path_arg(ctx, call), _handler_arg(call, 1, "handler"), (verb.upper(),) if verb in VERBS else ())
    if ctx.is_name(func, *DJANGO_PATHS):
        raw = _path_arg(ctx, call, allow_relative=True)
        regex = not ctx.is_name(func, "django.urls.path")
        path = _django_path(raw, regex) if raw is not None else None
        view = _handler_arg(call, 1, "view")
        if isinstance(view, (cst.Call, cst.Tuple)):  # include(...): a prefix, not a route of its own
            return []
        return _route(ctx, call, path, view, ())
    if ctx.is_name(func, *TORNADO_URL):
        return _route(ctx, call, _tornado_path(_path_arg(ctx, call, allow_relative=True)), _handler_arg(call, 1, "handler"), ())
    if ctx.is_name(func, *TORNADO_APPS):
        first = ctx.arg(call, 0, "handlers")
        out: list[Route] = []
        if first is not None and isinstance(first.value, (cst.List, cst.Tuple)):
            for element in first.value.elements:
                spec = element.value
                if isinstance(spec, cst.Tuple) and len(spec.elements) >= 2:
                    path = _const(ctx, spec.elements[0].value)
                    out += _route(ctx, spec, _tornado_path(path if isinstance(path, str) else None), spec.elements[1].value, ())
        return out
    return []


def _route(ctx: ModuleContext, node: cst.CSTNode, path: str | None, handler: cst.BaseExpression | None, methods: tuple[str, ...], websocket: bool = False) -> list[Route]:
    if path is None:
        return []
    app = _owner(ctx, node)
    name = ctx.dotted(handler) if handler is not None else None
    where: cst.CSTNode = node
    if name is not None:
        local = name.rsplit(".", 1)[-1]
        defined = ctx.index.functions.get(local) or []
        if defined:
            where = defined[0].node
        elif local in ctx.index.classes:
            where = ctx.index.classes[local].node
    return [Route(path, methods, name or "", ctx.span(where), websocket, _decorators_start(ctx, where), app)]


def _owner(ctx: ModuleContext, node: cst.CSTNode) -> str:
    """The object a registration call is made on (``app.add_url_rule``,
    ``app.router.add_get`` -> ``app``), or the name assigned the app
    constructor whose arguments hold it (``app = Starlette(routes=[Route(...)])``)."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value.startswith("add_"):
        owner = ctx.dotted(node.func.value) or ""
        return owner.removesuffix(".router")
    return ctx.constructor_target(node)


def _decorators_start(ctx: ModuleContext, node: cst.CSTNode):
    decorators = getattr(node, "decorators", ())
    return ctx.span(decorators[0]) if decorators else None


def _handler_arg(call: cst.Call, index: int, keyword: str) -> cst.BaseExpression | None:
    arg = ModuleContext.arg(call, index, keyword)
    return arg.value if arg is not None else None


# -- arguments --------------------------------------------------------------------


def _const(ctx: ModuleContext, node: cst.BaseExpression):
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value
    value = ctx.evaluate(node)
    return value.str_value()


def _path_arg(ctx: ModuleContext, call: cst.Call, allow_relative: bool = False) -> str | None:
    arg = ModuleContext.arg(call, 0)
    if arg is None:
        for keyword in PATH_KEYWORDS:
            arg = ModuleContext.arg(call, keyword=keyword)
            if arg is not None:
                break
    if arg is None:
        return None
    node = arg.value
    if isinstance(node, (cst.List, cst.Tuple)) and node.elements:  # Litestar: several paths
        node = node.elements[0].value
    text = _const(ctx, node)
    if not isinstance(text, str):
        return None
    if allow_relative:
        return text
    return text if text.startswith("/") else None


def _methods(ctx: ModuleContext, call: cst.Call, keyword: str = "methods") -> tuple[str, ...]:
    arg = ModuleContext.arg(call, keyword=keyword)
    if arg is None:
        return ()
    node = arg.value
    items = node.elements if isinstance(node, (cst.List, cst.Tuple, cst.Set)) else ()
    out = []
    for element in items:
        text = _const(ctx, element.value)
        if isinstance(text, str):
            out.append(text.upper())
        else:
            name = ctx.dotted(element.value) or ""
            if name.rsplit(".", 1)[-1].upper() in {v.upper() for v in VERBS}:  # HttpMethod.GET
                out.append(name.rsplit(".", 1)[-1].upper())
    return tuple(out)


def _django_path(raw: str, regex: bool) -> str | None:
    """``api/items/<int:pk>/`` -> ``/api/items/<int:pk>/``; a regex only when
    it is a plain path once anchors and named groups are dropped."""
    if regex:
        text = raw.removeprefix("^").removesuffix("$").removesuffix("\\Z")
        text = re.sub(r"\(\?P<(\w+)>[^()]*\)", r"<\1>", text)
        text = re.sub(r"\\([./-])", r"\1", text)
        if _REGEX_META.search(text):
            return None
        raw = text
    return "/" + raw.lstrip("/")


def _tornado_path(raw: str | None) -> str | None:
    """Tornado routes are regexes matched whole: keep the plain ones; a
    group becomes a placeholder."""
    if raw is None:
        return None
    text = raw.removeprefix("^").removesuffix("$")
    text = re.sub(r"\((?:\?P<(\w+)>)?[^()]*\)", lambda m: f"<{m.group(1) or 'arg'}>", text)
    text = re.sub(r"\\([./-])", r"\1", text)
    if _REGEX_META.search(text) or not text.startswith("/"):
        return None
    return text
