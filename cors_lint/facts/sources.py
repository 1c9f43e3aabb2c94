"""Where request values come from: the one place that decides which
expressions read the request's ``Origin``, and which read another value
the requester chooses (a query parameter, a body field, a cookie, another
header: see "Request-controlled values" below), or a value an earlier part
of the request stored (``g.origin``, ``request.state.origin``:
``stored_key``).

The value evaluator asks this module, and only this module, whether an
expression is an origin source:

* a header read on the request: ``request.headers.get("Origin")``,
  ``request.META["HTTP_ORIGIN"]``, ``environ.get("HTTP_ORIGIN")``,
  ``scope["headers"]`` entries, ``req.get_header("Origin")``
  (``origin_read``);
* an attribute that is the origin: ``request.origin``, ``req.referrer``
  (``origin_attribute``);
* a parameter that is the origin: Tornado's ``check_origin(self, origin)``,
  FastAPI's ``origin: str = Header(None)`` (``origin_parameter``);
* the values of a loop over the request's headers:
  ``for name, value in scope["headers"]`` (``iterates_request_headers``).

Recognition is by structure, never by the source text: an expression is
reduced to its *access chain*, the names, attributes, string keys and
called names that lead to it (``self.request.headers.get("Origin")`` has the
chain ``self``, ``request``, ``headers``), and each link is compared with
the table of where frameworks keep the request, below.  Links inside string
arguments, comments or unrelated call arguments never count.
"""

from __future__ import annotations

from typing import NamedTuple

import libcst as cst

#: Header (and environ) keys that carry the caller's origin.
ORIGIN_KEYS = {"origin", "http_origin", "referer", "http_referer", "referrer", "sec-websocket-origin", "http_sec_websocket_origin"}

#: Where frameworks keep the request, its headers or its environment, as
#: words matched against each link of an access chain (lower-cased; a link
#: holding the word anywhere matches):
#:
#: ==================== =====================================================
#: ``request``          Django, Flask, Starlette/FastAPI, Sanic, Quart,
#:                      Pyramid, Bottle ``request``; Tornado
#:                      ``self.request``; Chalice ``app.current_request``;
#:                      websockets ``request_headers``
#: ``header``           ``.headers`` of any of them; ``http.server``
#:                      ``self.headers``; AWS Lambda ``event["headers"]``,
#:                      ``event["multiValueHeaders"]``
#: ``meta``             Django ``request.META``
#: ``environ``          WSGI ``environ``, ``request.environ``
#: ``scope``            ASGI ``scope["headers"]``
#: ``event``            AWS Lambda / API Gateway ``event``
#: ==================== =====================================================
REQUEST_WORDS = ("header", "meta", "environ", "request", "scope", "event")
#: Conventional short names, matched at the end of a link: Falcon and
#: aiohttp ``req``, WSGI ``env`` / ``wsgi_env``, ``rq``.
REQUEST_SUFFIXES = ("req", "env", "rq")
#: Links that make a header collection the response's (or an upstream
#: service's), not the incoming request's.
RESPONSE_WORDS = ("resp", "upstream")

#: Methods that read one header (or environ key) by name (BlackSheep's
#: request has ``get_first_header``/``get_single_header`` of its own).
HEADER_GETTERS = (
    "get", "get_header", "getheader", "getHeader", "get_first", "getone", "get_one", "get_all", "getlist",
    "get_first_header", "get_single_header",
)

#: Calls that wrap a header collection without changing what it holds:
#: ``dict(scope["headers"])``, ``Headers(scope=scope)``.
WRAPPERS = ("dict", "list", "tuple", "Headers", "MutableHeaders", "CIMultiDict", "MultiDict", "EnvironHeaders", "getattr")

#: Attributes that are the origin itself, and the receivers they count on.
ORIGIN_ATTRIBUTES = ("origin", "referrer", "referer")
ORIGIN_ATTRIBUTE_RECEIVERS = ("request", "req", "rq", "r", "http_request", "incoming")

_KEY_METHODS = ("get", "pop", "setdefault")


class Source(NamedTuple):
    """An origin source: how to show it, and which request header it is
    (``origin`` or ``referer``, see ``OriginFlow.header``)."""

    desc: str
    header: str


def header_named(name: str | None) -> str:
    """The request header a key, attribute or parameter name stands for:
    ``Referer``, ``HTTP_REFERER``, ``referrer`` are the referer; every
    other origin key is the origin."""
    return "referer" if name is not None and "refer" in name.lower() else "origin"


def access_chain(node: cst.BaseExpression, depth: int = 0) -> list[str]:
    """The names, attributes, string keys and called names leading to
    ``node``: ``dict(scope["headers"]).get("origin")`` ->
    ``["scope", "headers", "dict", "get", "origin"]``.  Empty for an
    expression that is no access (a literal, an arithmetic expression)."""
    if depth > 12:
        return []
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.Attribute):
        return access_chain(node.value, depth + 1) + [node.attr.value]
    if isinstance(node, cst.Subscript):
        key = _string_key(node.slice[0].slice.value) if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) else None
        return access_chain(node.value, depth + 1) + ([key] if key is not None else [])
    if isinstance(node, cst.BooleanOperation):  # event.get("headers") or {}
        return access_chain(node.left, depth + 1)
    if isinstance(node, cst.Call):
        func = node.func
        args = [a for a in node.args if not a.star]
        if isinstance(func, cst.Attribute):
            links = access_chain(func.value, depth + 1) + [func.attr.value]
            key = _string_key(args[0].value) if args and args[0].keyword is None and func.attr.value in _KEY_METHODS else None
            return links + ([key] if key is not None else [])
        if isinstance(func, cst.Name):
            if func.value in WRAPPERS and args:
                inner = access_chain(args[0].value, depth + 1)
                if func.value == "getattr" and len(args) > 1:
                    key = _string_key(args[1].value)
                    inner += [key] if key is not None else []
                return inner + [func.value]
            return [func.value]
    return []


def _string_key(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        try:
            value = node.evaluated_value
        except Exception:  # pragma: no cover - libcst rejects odd literals
            return None
        return value if isinstance(value, str) else None
    return None


def _is_request_link(link: str) -> bool:
    low = link.lower()
    return any(word in low for word in REQUEST_WORDS) or low.endswith(REQUEST_SUFFIXES)


def on_request(node: cst.BaseExpression) -> bool:
    """Is ``node`` the request, or its headers or environment (by its
    access chain, see ``REQUEST_WORDS``)?"""
    return any(_is_request_link(link) for link in access_chain(node))


def is_origin_key(value) -> bool:
    """Is the resolved key ``value`` a header (or environ key) that carries
    the origin?"""
    s = value.str_value() if value is not None else None
    return s is not None and s.strip().lower() in ORIGIN_KEYS


def origin_read(container: cst.BaseExpression, key) -> bool:
    """Does reading ``key`` (a resolved ``Value``) from ``container`` read
    the request's origin?  ``container`` is the receiver of a header getter
    (``HEADER_GETTERS``) or the subscripted expression.  An ``origin`` key
    of the query, a form or the cookies is not the header (see
    ``container_of``)."""
    if not is_origin_key(key) or not on_request(container):
        return False
    return container_of(container) in (None, "header", "environ")


def iterates_request_headers(iterable: cst.BaseExpression) -> bool:
    """Is ``iterable`` the incoming request's headers (``scope["headers"]``,
    ``request.headers.items()``), so that the values a loop draws from it
    are chosen by the client?  Response and upstream headers are not."""
    links = [link.lower() for link in access_chain(iterable)]
    if not any("header" in link for link in links):
        return False
    if any(word in name.lower() for name in _identifiers(iterable) for word in RESPONSE_WORDS):
        return False  # headers_of(resp), upstream.headers
    return any(_is_request_link(link) for link in links)


def _identifiers(node: cst.CSTNode, depth: int = 0) -> list[str]:
    """Every name, attribute and string key anywhere in ``node``."""
    if depth > 20:
        return []
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.SimpleString):
        key = _string_key(node)
        return [key] if key is not None else []
    out: list[str] = []
    for child in node.children:
        out.extend(_identifiers(child, depth + 1))
    return out


def origin_attribute(node: cst.Attribute) -> Source | None:
    """``request.origin`` / ``request.referrer`` style attributes, else None."""
    attr = node.attr.value
    if attr not in ORIGIN_ATTRIBUTES:
        return None
    recv = node.value
    name = recv.attr.value if isinstance(recv, cst.Attribute) else (recv.value if isinstance(recv, cst.Name) else "")
    if name.lower() in ORIGIN_ATTRIBUTE_RECEIVERS:
        return Source(f"{name}.{attr}", header_named(attr))
    return None


def origin_parameter(param: cst.Param, scope) -> Source | None:
    """Parameters that carry the origin: Tornado's ``check_origin(self, origin)``,
    FastAPI's ``origin: str = Header(None)`` or ``Annotated[str, Header()]``."""
    name = param.name.value
    if scope.name == "check_origin" and scope.class_name is not None and scope.param_names()[1:2] == [name]:
        return Source(f"{scope.name}({name})", "origin")  # the handshake's Origin, whatever the name
    if name.lower() in ORIGIN_ATTRIBUTES and _is_header_param(param):
        return Source(f"{name}: Header", header_named(name))
    return None


def _is_header_param(param: cst.Param) -> bool:
    """A FastAPI-style header parameter: its default or annotation calls
    ``Header(...)`` (``fastapi.Header``, ``params.Header``)."""
    return any(node is not None and _calls_header(node) for node in (param.default, param.annotation.annotation if param.annotation else None))


def _calls_header(node: cst.CSTNode, depth: int = 0) -> bool:
    if depth > 20:
        return False
    if isinstance(node, cst.Call):
        func = node.func
        if (isinstance(func, cst.Name) and func.value == "Header") or (isinstance(func, cst.Attribute) and func.attr.value == "Header"):
            return True
    return any(_calls_header(child, depth + 1) for child in node.children)


# ---------------------------------------------------------------------------
# Request-controlled values other than the Origin
# ---------------------------------------------------------------------------
#
# Anything else the requester chooses (query parameters, form and JSON body
# fields, path parameters, cookies, other request headers) written into
# Access-Control-Allow-Origin lets the attacker name the allowed origin
# directly.  The evaluator models the collections that hold such values as
# *containers* (``Value("container", const=kind)``): reading a constant key
# from one (``request.args.get("origin")``, ``qs["origin"][0]``) is a
# request-controlled value.  Containers are recognised here, by the access
# chain, like the Origin above; stricter than ``on_request`` because the
# key is not the Origin: the link right before the container must be the
# request object itself.

#: Names of the request object, matched against a whole link (lower-cased).
#: Links that end in ``request`` count too (``http_request``,
#: ``current_request``, ``self.request``).
REQUEST_OBJECTS = ("req", "rq", "event")

#: Attributes (or Lambda event keys) of the request that hold values the
#: requester chooses, by the kind of value they hold:
#:
#: ================ ============================================================
#: ``query``        Flask/Sanic ``args``, Django ``GET``, Starlette
#:                  ``query_params``, aiohttp/Bottle ``query``, Lambda
#:                  ``queryStringParameters``
#: ``form``         Flask/Sanic ``form``, Django ``POST``, Bottle ``forms``
#: ``param``        Flask ``values``, Pyramid/Falcon/Bottle ``params``
#: ``json``         Flask ``json``, Pyramid ``json_body``, Falcon ``media``,
#:                  DRF ``data``
#: ``body``         Lambda ``body``
#: ``cookie``       ``cookies`` (Flask, Starlette, aiohttp, Bottle, Sanic,
#:                  Falcon), Django ``COOKIES``
#: ``path``         Flask ``view_args``, Starlette ``path_params``, aiohttp
#:                  ``match_info``, Pyramid ``matchdict``, Lambda
#:                  ``pathParameters``
#: ``header``       ``headers`` of the request, Lambda ``headers``
#: ``environ``      WSGI ``environ``, Django ``META`` (keys ``HTTP_*`` are
#:                  headers, ``QUERY_STRING`` the query)
#: ================ ============================================================
REQUEST_CONTAINERS = {
    "args": "query",
    "get": "query",
    "query": "query",
    "query_params": "query",
    "querystringparameters": "query",
    "multivaluequerystringparameters": "query",
    "form": "form",
    "post": "form",
    "forms": "form",
    "values": "param",
    "params": "param",
    "json": "json",
    "json_body": "json",
    "media": "json",
    "data": "json",
    "body": "body",
    "cookies": "cookie",
    "view_args": "path",
    "path_params": "path",
    "match_info": "path",
    "matchdict": "path",
    "pathparameters": "path",
    "headers": "header",
    "multivalueheaders": "header",
    "meta": "environ",
    "environ": "environ",
}

#: Whole-name environments (WSGI ``environ``, ``env``): containers in
#: themselves, whatever precedes them.
ENVIRON_NAMES = ("environ", "env", "wsgi_env", "wsgi_environ")

#: Methods of the request (or, for Tornado, of the handler ``self``) that
#: read one value the requester chooses, by the kind of value.
REQUEST_READERS = {
    "get_argument": "param",
    "get_arguments": "param",
    "get_query_argument": "query",
    "get_query_arguments": "query",
    "get_body_argument": "form",
    "get_body_arguments": "form",
    "get_cookie": "cookie",
    "get_param": "param",
    "get_param_as_list": "param",
    "get_cookie_values": "cookie",
    # one header read from the request object itself (Falcon, BlackSheep),
    # where other frameworks go through a ``headers`` collection
    "get_header": "header",
    "getHeader": "header",
    "get_first_header": "header",
    "get_single_header": "header",
}

#: Methods of the request that return a whole container.
CONTAINER_METHODS = {"get_json": "json", "json": "json", "post": "form", "form": "form", "body": "body", "get_data": "body"}

#: Header names whose value cannot make the ACAO name another site: ``Host``
#: (and HTTP/2's ``:authority``), which a browser always sends as the
#: target's own, and the scheme and port a proxy forwards (an attacker who
#: sets them changes only the scheme or port beside the server's own host).
#: ``X-Forwarded-Host`` and its kin are not here: no browser sends them,
#: whoever sends the request chooses them (a proxy may pass the client's
#: value through), so they are request-controlled like any other header.
SELF_HEADERS = {"host", ":authority", "x-forwarded-proto", "x-forwarded-scheme", "x-scheme", "x-forwarded-port"}

#: Methods of a key-value container that read one key.
KEY_READERS = ("get", "getlist", "getone", "get_one", "getfirst", "get_first", "getall", "get_all", "getunicode", "pop")


def is_request_object(link: str) -> bool:
    """Is the link the request itself (``request``, ``req``, Lambda ``event``)?"""
    low = link.lower()
    return low.endswith("request") or low in REQUEST_OBJECTS


def container_of(node: cst.BaseExpression) -> str | None:
    """The kind of request container ``node`` is (``request.args`` ->
    ``query``, ``event.get("headers")`` -> ``header``, ``environ`` ->
    ``environ``), or None.  The link before the container must be the
    request object; response and upstream collections never count."""
    if isinstance(node, cst.Name) and node.value.lower() in ENVIRON_NAMES:
        return "environ"
    links = access_chain(node)
    if len(links) < 2:
        return None
    last = links[-1]
    kind = REQUEST_CONTAINERS.get(last.lower())
    if kind is None or (last.lower() == "get" and last != "GET") or (last.lower() == "post" and last != "POST"):
        return None
    before = [link for link in links[:-1] if link not in _KEY_METHODS and link not in WRAPPERS]
    if kind == "header" and isinstance(node, cst.Subscript) and before and before[-1] == "scope":
        return "header"  # ASGI scope["headers"] (also self.scope["headers"] of a consumer)
    if not before or not is_request_object(before[-1]):
        return None
    if any(word in name.lower() for name in _identifiers(node) for word in RESPONSE_WORDS):
        return None
    is_event = before[-1].lower().endswith("event")
    if isinstance(node, cst.Attribute) == is_event:
        return None  # keys of the Lambda event (a dict), attributes of request objects
    if kind == "body" and not is_event:
        return None  # Django's request.body is raw bytes, not a container
    return kind


def view_kwargs(node: cst.BaseExpression, bases: list[str]) -> str | None:
    """``self.kwargs`` in a method of a Django class-based view (a class
    deriving from ``View``, ``APIView``, a generic view or a ``ViewSet``):
    the URL's keyword arguments, a ``path`` container."""
    if not (isinstance(node, cst.Attribute) and node.attr.value == "kwargs" and isinstance(node.value, cst.Name) and node.value.value == "self"):
        return None
    if any(b.rsplit(".", 1)[-1].endswith(("View", "ViewSet")) for b in bases):
        return "path"
    return None


def handler_headers(node: cst.BaseExpression, bases: list[str]) -> str | None:
    """``self.headers`` in a method of an ``http.server`` request handler (a
    class deriving from ``BaseHTTPRequestHandler`` or one of its standard
    subclasses): the handler object is made for one request and
    ``self.headers`` holds that request's headers, a ``header`` container."""
    if not (isinstance(node, cst.Attribute) and node.attr.value == "headers" and isinstance(node.value, cst.Name) and node.value.value == "self"):
        return None
    if any(b.rsplit(".", 1)[-1].endswith("HTTPRequestHandler") for b in bases):
        return "header"
    return None


def reader_call(node: cst.Call) -> str | None:
    """``self.get_argument("o")`` (Tornado), ``request.get_cookie("o")``
    (Bottle), ``req.get_param("o")`` (Falcon): the kind of value read, or
    None."""
    func = node.func
    if not isinstance(func, cst.Attribute):
        return None
    kind = REQUEST_READERS.get(func.attr.value)
    if kind is None:
        return None
    if any(arg.keyword is not None and arg.keyword.value == "secret" for arg in node.args):
        return None  # a signed cookie (Bottle's secret=): the server wrote it
    links = access_chain(func.value)
    if not links or not (links[-1] == "self" or is_request_object(links[-1])):
        return None
    return kind


def container_call(node: cst.Call) -> str | None:
    """``request.get_json()``, ``await request.json()`` (aiohttp,
    Starlette), ``await request.post()``: a whole container, or None."""
    func = node.func
    if not isinstance(func, cst.Attribute):
        return None
    kind = CONTAINER_METHODS.get(func.attr.value)
    if kind is None:
        return None
    links = access_chain(func.value)
    return kind if links and is_request_object(links[-1]) else None


#: Links that hold the raw URL or query string of the request.
QUERY_STRING_LINKS = ("query_string", "path", "url", "uri", "full_path", "raw_path", "query", "rawquerystring", "querystring")


def is_query_string(node: cst.BaseExpression) -> bool:
    """Is ``node`` the request's raw query string or URL, as passed to
    ``parse_qs``: ``environ["QUERY_STRING"]``, ``self.path``
    (``http.server``), ``urlparse(self.path).query``,
    ``request.query_string.decode()``?"""
    while True:
        if isinstance(node, cst.Attribute) and node.attr.value == "query" and isinstance(node.value, cst.Call):
            call = node.value  # urlparse(self.path).query
            if call.args and isinstance(call.func, (cst.Name, cst.Attribute)):
                node = call.args[0].value
                continue
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("decode", "lstrip", "strip"):
            node = node.func.value
            continue
        break
    links = access_chain(node)
    if len(links) < 2 or links[-1].lower() not in QUERY_STRING_LINKS:
        return False
    before = [link for link in links[:-1] if link not in _KEY_METHODS]
    return bool(before) and (before[-1] == "self" or is_request_object(before[-1]) or before[-1].lower() in ENVIRON_NAMES)


def environ_key(key: str) -> tuple[str, str] | None:
    """What a WSGI environ (or Django ``META``) key holds, as ``(kind,
    name)``: ``HTTP_X_EMBED_ORIGIN`` -> ``("header", "X-Embed-Origin")``,
    ``QUERY_STRING`` -> ``("query", "")``; None for the server's own keys
    (``SERVER_NAME``, ``REMOTE_ADDR``, ``wsgi.url_scheme``)."""
    upper = key.upper()
    if upper.startswith("HTTP_"):
        return "header", "-".join(part.capitalize() for part in upper[5:].split("_"))
    if upper == "QUERY_STRING":
        return "query", ""
    return None


def request_value_key(kind: str, key: str | None) -> str | None:
    """The ``OriginFlow.header`` of a value read with ``key`` from a
    container of ``kind``: ``query:origin``, ``header:X-Embed-Origin``,
    ``cookie:cors``; ``origin``/``referer`` for those headers; None for
    keys that are not the requester's (``Host``, ``SERVER_NAME``)."""
    if key is None:
        return f"{kind}:" if kind not in ("header", "environ") else None
    if kind == "environ":
        found = environ_key(key)
        if found is None:
            return None
        kind, key = found
    if kind == "header":
        low = key.strip().lower()
        if low in ORIGIN_KEYS:
            return header_named(low)
        if low in SELF_HEADERS:
            return None
    return f"{kind}:{key}"


# -- handler parameters ----------------------------------------------------------

#: Marker calls of FastAPI-style parameters, by the kind of value they take.
PARAM_MARKERS = {"Query": "query", "Path": "path", "Body": "json", "Form": "form", "Cookie": "cookie", "Header": "header"}

#: Decorator methods that register a route: ``@app.route("/x/<o>")``,
#: ``@router.get("/{o}")``.
ROUTE_METHODS = ("route", "get", "post", "put", "patch", "delete", "options", "head", "api_route", "add_route")

#: Methods of class-based views whose parameters after the request are URL
#: keyword arguments (Django).
VIEW_METHODS = ("get", "post", "put", "patch", "delete", "options", "head")

#: Annotations of plain route-handler parameters that FastAPI (and Litestar)
#: fill from the query string.
_TEXT_TYPES = ("str", "Optional", "Union", "Annotated")


def request_parameter(param: cst.Param, scope, ctx=None) -> tuple[str, str] | None:
    """``(kind, name)`` when a handler parameter is filled from the request:
    a FastAPI marker (``origin: str = Query(None)``, ``Annotated[str,
    Cookie()]``), a name in the route template of the handler's decorator
    (``@app.route("/embed/<origin>")``), a plain ``str`` parameter of a
    route handler (FastAPI's query parameters), or a URL keyword argument of
    a Django class-based view method (``def get(self, request, origin)``) or
    function view (``def card(request, clinic_slug)``)."""
    name = param.name.value
    if dependency_of(param) is not None:
        return None  # what the dependency returns (dataflow follows it)
    marker = _param_marker(param)
    if marker is not None:
        kind, alias = marker
        if kind == "header":
            return "header", alias or name.replace("_", "-").title()
        return kind, alias or name
    node = scope.node
    templates = [t for t in (route_template(d.decorator) for d in getattr(node, "decorators", ())) if t is not None]
    if templates:
        if any(_in_template(name, t) for t in templates):
            return "path", name
        if _is_text_annotation(param):
            return "query", name
        return None
    if scope.in_class and scope.name in VIEW_METHODS:
        names = scope.param_names()
        if len(names) >= 3 and names[1] in ("request", "req") and name in names[2:] and param.star != "**":
            return "path", name
    if param.star != "**" and _function_view(scope, ctx):
        names = scope.param_names()
        if name in names[1:]:
            return "path", name
    return None


#: Decorators that only wrap Django (and DRF) function views: the view's
#: parameters after ``request`` are then the URL's keyword arguments
#: (``path("<slug:clinic>/card/", views.card)`` calls ``card(request,
#: clinic=...)``).
DJANGO_VIEW_DECORATORS = (
    "api_view",
    "require_http_methods",
    "require_GET",
    "require_POST",
    "require_safe",
    "csrf_exempt",
    "csrf_protect",
    "ensure_csrf_cookie",
    "permission_required",
    "staff_member_required",
    "user_passes_test",
    "cache_page",
    "never_cache",
    "cache_control",
    "vary_on_headers",
    "vary_on_cookie",
    "xframe_options_exempt",
    "xframe_options_deny",
    "xframe_options_sameorigin",
    "sensitive_post_parameters",
    "permission_classes",
    "authentication_classes",
    "throttle_classes",
    "renderer_classes",
    "parser_classes",
)

#: Modules a Django app keeps its function views in (``startapp`` creates
#: ``views.py``; larger apps split it into a ``views`` package).
_VIEW_MODULES = ("views", "api_views", "viewsets")


def _function_view(scope, ctx) -> bool:
    """Is ``scope`` a Django function view: a module-level function whose
    first parameter is ``request`` and which is decorated with a Django
    view decorator, or (given the module) an undecorated public function
    of a Django views module that the module never calls itself?"""
    parent = getattr(scope, "parent", None)
    if getattr(scope, "kind", None) != "function" or parent is None or parent.kind != "module":
        return False
    names = scope.param_names()
    if len(names) < 2 or names[0] != "request":
        return False
    for decorator in getattr(scope.node, "decorators", ()):
        d = decorator.decorator
        func = d.func if isinstance(d, cst.Call) else d
        last = func.attr.value if isinstance(func, cst.Attribute) else (func.value if isinstance(func, cst.Name) else "")
        if last in DJANGO_VIEW_DECORATORS:
            return True
    if ctx is None or scope.name.startswith("_") or getattr(scope.node, "decorators", ()):
        return False
    path = str(getattr(ctx, "path", "") or "")
    parts = path.replace("\\", "/").split("/")
    stem = parts[-1].rsplit(".", 1)[0] if parts else ""
    if stem not in _VIEW_MODULES and not (len(parts) > 1 and parts[-2] == "views"):
        return False
    modules = ctx.index.imports.imported_modules()
    if not any(m.split(".")[0] in ("django", "rest_framework") for m in modules):
        return False
    return not any(isinstance(site.node.func, cst.Name) and site.node.func.value == scope.name for site in ctx.index.calls)


#: Base classes of request-body models that route handlers take as a
#: parameter (FastAPI/Litestar/Django Ninja with pydantic, SQLModel,
#: msgspec): the framework fills every field from the JSON body.
BODY_MODEL_BASES = ("BaseModel", "SQLModel", "Schema", "Struct")


def body_model_parameter(param: cst.Param, scope, classes: dict) -> bool:
    """Is ``param`` of a route handler annotated with a body model of this
    module (``async def register(body: EmbedRegistration)``, the class
    deriving from ``BaseModel`` directly or through other classes here)?
    Its attributes are then JSON body fields."""
    node = scope.node
    if not any(route_template(d.decorator) is not None for d in getattr(node, "decorators", ())):
        return False
    ann = param.annotation.annotation if param.annotation else None
    if isinstance(ann, cst.BinaryOperation):  # Model | None
        ann = ann.left
    if isinstance(ann, cst.Subscript) and ann.slice and isinstance(ann.slice[0].slice, cst.Index):  # Optional[Model], Annotated[Model, Body()]
        ann = ann.slice[0].slice.value
    if not isinstance(ann, cst.Name):
        return False
    seen: set[str] = set()
    todo = [ann.value]
    while todo:
        name = todo.pop()
        info = classes.get(name)
        if info is None or name in seen:
            continue
        seen.add(name)
        for base in info.bases:
            last = base.value if isinstance(base, cst.Name) else (base.attr.value if isinstance(base, cst.Attribute) else "")
            if last in BODY_MODEL_BASES:
                return True
            todo.append(last)
    return False


#: Parameter markers whose value is what a function returns (FastAPI
#: ``Depends(fn)``/``Security(fn)``, Litestar ``Provide(fn)``), not a
#: request value.
DEPENDENCY_MARKERS = ("Depends", "Security", "Provide")


def dependency_of(param: cst.Param) -> cst.BaseExpression | None:
    """The callable a parameter is injected from (``origin: str =
    Depends(verified_origin)``, ``Annotated[str, Depends(fn)]``), else
    None.  The parameter holds what that callable returns."""
    for node in (param.default, param.annotation.annotation if param.annotation else None):
        call = _dependency_call(node) if node is not None else None
        if call is not None:
            for i, arg in enumerate(call.args):
                if (arg.keyword is None and i == 0) or (arg.keyword is not None and arg.keyword.value == "dependency"):
                    return arg.value
    return None


def _dependency_call(node: cst.CSTNode) -> cst.Call | None:
    if isinstance(node, cst.Call):
        func = node.func
        name = func.value if isinstance(func, cst.Name) else (func.attr.value if isinstance(func, cst.Attribute) else "")
        return node if name in DEPENDENCY_MARKERS else None
    if isinstance(node, cst.Subscript):  # Annotated[str, Depends(fn)]
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                found = _dependency_call(element.slice.value)
                if found is not None:
                    return found
    return None


def _param_marker(param: cst.Param) -> tuple[str, str] | None:
    for node in (param.default, param.annotation.annotation if param.annotation else None):
        if node is None:
            continue
        call = _marker_call(node)
        if call is not None:
            func = call.func
            marker = func.value if isinstance(func, cst.Name) else func.attr.value
            alias = None
            for arg in call.args:
                if arg.keyword is not None and arg.keyword.value in ("alias", "validation_alias"):
                    alias = _string_key(arg.value)
            return PARAM_MARKERS[marker], alias or ""
    return None


def _marker_call(node: cst.CSTNode, depth: int = 0) -> cst.Call | None:
    if depth > 8:
        return None
    if isinstance(node, cst.Call):
        func = node.func
        name = func.value if isinstance(func, cst.Name) else (func.attr.value if isinstance(func, cst.Attribute) else "")
        if name in PARAM_MARKERS:
            return node
        return None
    if isinstance(node, cst.Subscript):  # Annotated[str, Query()]
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                found = _marker_call(element.slice.value, depth + 1)
                if found is not None:
                    return found
    return None


def route_template(decorator: cst.BaseExpression) -> str | None:
    """The path string of a route decorator: a method of an app or router
    (``@app.get("/x/{o}")``) or a bare route decorator function (Litestar's
    ``@get("/x/{o:str}")``, ``@route(...)``).  Either way the first argument
    must be a path starting with ``/``."""
    if not isinstance(decorator, cst.Call):
        return None
    func = decorator.func
    name = func.attr.value if isinstance(func, cst.Attribute) else (func.value if isinstance(func, cst.Name) else "")
    if name not in ROUTE_METHODS or not decorator.args:
        return None
    first = decorator.args[0]
    path = _string_key(first.value) if first.keyword is None or first.keyword.value == "path" else None
    return path if path is not None and path.startswith("/") else None


def _in_template(name: str, template: str) -> bool:
    """``<origin>``, ``<str:origin>``, ``{origin}``, ``{origin:path}``."""
    for open_, close in (("<", ">"), ("{", "}")):
        start = 0
        while True:
            i = template.find(open_, start)
            if i < 0:
                break
            j = template.find(close, i)
            if j < 0:
                break
            inside = template[i + 1 : j]
            parts = inside.split(":")
            if name in (parts[0].strip(), parts[-1].strip()):
                return True
            start = j + 1
    return False


def _is_text_annotation(param: cst.Param) -> bool:
    ann = param.annotation.annotation if param.annotation else None
    if ann is None:
        return False
    if isinstance(ann, cst.Name):
        return ann.value == "str"
    if isinstance(ann, cst.BinaryOperation):  # str | None
        return any(isinstance(side, cst.Name) and side.value == "str" for side in (ann.left, ann.right))
    if isinstance(ann, cst.Subscript) and isinstance(ann.value, (cst.Name, cst.Attribute)):
        head = ann.value.value if isinstance(ann.value, cst.Name) else ann.value.attr.value
        if head in _TEXT_TYPES:
            first = ann.slice[0].slice if ann.slice else None
            return isinstance(first, cst.Index) and isinstance(first.value, cst.Name) and first.value.value == "str"
    return False



# -- values stored on request-scoped objects ------------------------------------

#: Per-request namespaces: Flask/Quart ``g``, Starlette ``request.state``,
#: Sanic ``request.ctx``, Falcon ``req.context``.
REQUEST_NAMESPACES = ("state", "ctx", "context")
_G = ("g",)


def stored_key(node: cst.BaseExpression) -> str | None:
    """Where a value stored for the rest of the request lives, as a key
    that a later read of the same place shares: ``g.origin`` and
    ``flask.g.origin`` -> ``g.origin``; ``request.state.origin`` and
    ``req.state.origin`` -> ``request.state.origin``; an attribute a
    middleware set on the request, ``request.cors_origin``;
    ``request["origin"]`` (aiohttp) -> ``request[origin]``;
    ``self.origin`` in a class-based handler -> ``self.origin``.  None for
    anything else."""
    if isinstance(node, cst.Subscript):
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        key = _string_key(node.slice[0].slice.value)
        links = _names_only(node.value)
        if key is not None and links and is_request_object(links[-1]) and links[-1].lower() != "event":
            return f"request[{key}]"
        return None
    if isinstance(node, cst.Call):
        return _getter_key(node)
    if not isinstance(node, cst.Attribute):
        return None
    return _attribute_key(_names_only(node))


def _getter_key(node: cst.Call) -> str | None:
    """``getattr(g, "origin", None)`` and ``g.get("origin")``: the same
    place as ``g.origin``."""
    func = node.func
    args = [a for a in node.args if not a.star]
    if isinstance(func, cst.Name) and func.value == "getattr" and len(args) >= 2:
        key = _string_key(args[1].value)
        owner = _names_only(args[0].value)
    elif isinstance(func, cst.Attribute) and func.attr.value == "get" and args:
        key = _string_key(args[0].value)
        owner = _names_only(func.value)
        if not owner or owner[-1] not in _G:
            return None  # only flask.g is read with .get(); request.get() is not a store
    else:
        return None
    if key is None or not owner:
        return None
    return _attribute_key(owner + [key])


def _attribute_key(links: list[str]) -> str | None:
    if len(links) < 2:
        return None
    attr = links[-1]
    owner = links[:-1]
    if owner[-1] in _G and (len(owner) == 1 or owner[-2] in ("flask", "quart")):
        return f"g.{attr}"
    if owner[-1] in REQUEST_NAMESPACES and len(owner) >= 2 and is_request_object(owner[-2]):
        return f"request.{owner[-1]}.{attr}"
    if is_request_object(owner[-1]) and owner[-1].lower() != "event":
        if attr.lower() in REQUEST_CONTAINERS or attr in ORIGIN_ATTRIBUTES:
            return None  # the framework's own request data
        return f"request.{attr}"
    if owner == ["self"]:
        return f"self.{attr}"
    return None


def _names_only(node: cst.BaseExpression) -> list[str]:
    """``a.b.c`` -> ``["a", "b", "c"]``; empty for anything but names and
    attributes."""
    out: list[str] = []
    while isinstance(node, cst.Attribute):
        out.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return []
    out.append(node.value)
    return out[::-1]


def has_path_parameters(decorators) -> bool:
    """Does one of these decorators route a path with parameters
    (``@app.route("/embed/<origin>")``)?"""
    for decorator in decorators:
        template = route_template(decorator)
        if template is not None and ("<" in template or "{" in template):
            return True
    return False


def is_request_value(header: str) -> bool:
    """Is ``OriginFlow.header`` a request-controlled value other than the
    Origin and Referer headers (``query:origin``)?"""
    return ":" in header


def is_raw_body(node: cst.BaseExpression) -> bool:
    """``request.body`` (Django), ``request.data``, ``request.get_data()``,
    ``request.body.decode()``: the raw body, as passed to ``json.loads``."""
    if isinstance(node, cst.BooleanOperation):  # request.body or b"{}"
        node = node.left
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("decode", "read"):
        node = node.func.value
    links = access_chain(node)
    return len(links) >= 2 and links[-1] in ("body", "data", "get_data", "stream") and is_request_object(links[-2])
