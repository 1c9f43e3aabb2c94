"""Origin sources are recognised by the access chain, not the source text."""

from __future__ import annotations

import libcst as cst
import pytest

from cors_lint.facts import sources
from cors_lint.facts.model import Value


def expr(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


@pytest.mark.parametrize(
    "text, chain",
    [
        ('self.request.headers', ["self", "request", "headers"]),
        ('dict(scope["headers"])', ["scope", "headers", "dict"]),
        ('(event.get("headers") or {})', ["event", "get", "headers"]),
        ('getattr(request, "META")', ["request", "META", "getattr"]),
        ('request.headers.items()', ["request", "headers", "items"]),
        ('store.get(request.path)', ["store", "get"]),
        ('"request".upper()', ["upper"]),
        ('a + b', []),
    ],
)
def test_access_chain(text, chain):
    assert sources.access_chain(expr(text)) == chain


@pytest.mark.parametrize(
    "container",
    [
        "request.headers",
        "request.META",
        "environ",
        "wsgi_env",
        "req",
        "self.headers",
        "self.request.headers",
        'scope["headers"]',
        'dict(scope["headers"])',
        'event["multiValueHeaders"]',
        'event.get("headers", {})',
        "capp.current_request.headers",
        "bottle.request.headers",
        "ws.request_headers",
    ],
)
def test_request_containers(container):
    assert sources.origin_read(expr(container), Value("const", "Origin"))


@pytest.mark.parametrize(
    "container",
    [
        # a value looked up with the request's path is not the request: the
        # old text test matched the word "request" inside the argument
        "store.get(request.path)",
        'lookup("request headers")',
        "cache",
        "settings",
        "h",
    ],
)
def test_not_request_containers(container):
    assert not sources.origin_read(expr(container), Value("const", "Origin"))


def test_only_origin_keys():
    assert not sources.origin_read(expr("request.headers"), Value("const", "Host"))
    assert sources.origin_read(expr("request.META"), Value("const", "HTTP_ORIGIN"))
    assert sources.origin_read(expr("request.headers"), Value("const", "Sec-WebSocket-Origin"))


@pytest.mark.parametrize(
    "iterable, expected",
    [
        ('scope["headers"]', True),
        ('scope.get("headers", [])', True),
        ("request.headers.items()", True),
        ("response.headers.items()", False),
        ("upstream.headers.items()", False),
        ("request.cookies.items()", False),
        ("headers_of(resp)", False),
    ],
)
def test_iterates_request_headers(iterable, expected):
    assert sources.iterates_request_headers(expr(iterable)) is expected


def _param(source: str) -> cst.Param:
    fn = cst.parse_statement(source)
    assert isinstance(fn, cst.FunctionDef)
    return fn.params.params[0]


class _Scope:
    name = "endpoint"
    class_name = None

    def param_names(self):
        return ["origin"]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("def f(origin: str = Header(None)): pass", "origin: Header"),
        ("def f(origin: str = fastapi.Header(None)): pass", "origin: Header"),
        ("def f(origin: Annotated[str | None, Header()] = None): pass", "origin: Header"),
        ("def f(origin: str = Query(None)): pass", None),
        ("def f(origin: str = MyHeader(None)): pass", None),
        ("def f(origin: str = 'Header(None)'): pass", None),
    ],
)
def test_origin_parameter(source, expected):
    found = sources.origin_parameter(_param(source), _Scope())
    assert (found.desc if found else None) == expected


def test_header_comes_from_the_key_not_the_text():
    # the old test looked for "refer" anywhere in the expression's text, so a
    # default of request.referrer made an Origin read count as the Referer
    assert sources.header_named("Origin") == "origin"
    assert sources.header_named("HTTP_REFERER") == "referer"
    assert sources.header_named("Sec-WebSocket-Origin") == "origin"
    attr = expr("request.referrer")
    assert sources.origin_attribute(attr) == sources.Source("request.referrer", "referer")
    assert sources.origin_attribute(expr("req.origin")) == sources.Source("req.origin", "origin")
    assert sources.origin_attribute(expr("cache.origin")) is None
