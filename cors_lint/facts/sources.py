"""Where request values come from: the one place that decides which
expressions read the request's ``Origin``.

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

#: Methods that read one header (or environ key) by name.
HEADER_GETTERS = ("get", "get_header", "getheader", "getHeader", "get_first", "getone", "get_one", "get_all", "getlist")

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
    (``HEADER_GETTERS``) or the subscripted expression."""
    return is_origin_key(key) and on_request(container)


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
