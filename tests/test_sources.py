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


# -- request-controlled values other than the Origin ------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        ("request.args", "query"),
        ("flask.request.args", "query"),
        ("request.GET", "query"),
        ("request.POST", "form"),
        ("request.query_params", "query"),
        ("request.query", "query"),
        ("request.values", "param"),
        ("req.params", "param"),
        ("request.json", "json"),
        ("request.cookies", "cookie"),
        ("request.COOKIES", "cookie"),
        ("request.view_args", "path"),
        ("request.match_info", "path"),
        ("request.matchdict", "path"),
        ("self.request.headers", "header"),
        ("request.META", "environ"),
        ("environ", "environ"),
        ('event["queryStringParameters"]', "query"),
        ('event.get("queryStringParameters", {})', "query"),
        ('event["pathParameters"]', "path"),
        ('event["body"]', "body"),
        ('event["headers"]', "header"),
    ],
)
def test_request_containers_by_kind(text, kind):
    assert sources.container_of(expr(text)) == kind


@pytest.mark.parametrize(
    "text",
    [
        "response.headers",  # the response's own headers
        "upstream.headers",
        "resp.cookies",
        "session.query",  # SQLAlchemy, not a request
        "request.args.values",  # a method of the container
        "request.headers.get",
        'request.get("json")',
        "request.body",  # raw body of a Django request: not a key-value container
        "config.GET",
        "self.headers",  # a client class's own headers
        "os.environ",
    ],
)
def test_not_request_containers_by_kind(text):
    assert sources.container_of(expr(text)) is None


@pytest.mark.parametrize(
    "text, kind",
    [
        ('self.get_argument("origin")', "param"),
        ('self.get_query_argument("origin", "")', "query"),
        ('self.get_cookie("origin")', "cookie"),
        ('request.get_cookie("origin")', "cookie"),
        ('req.get_param("origin")', "param"),
        ('request.get_cookie("origin", secret=KEY)', None),  # signed: the server wrote it
        ('client.get_argument("origin")', None),
    ],
)
def test_reader_calls(text, kind):
    assert sources.reader_call(expr(text)) == kind


@pytest.mark.parametrize(
    "kind, key, expected",
    [
        ("query", "origin", "query:origin"),
        ("header", "X-Embed-Origin", "header:X-Embed-Origin"),
        ("header", "Origin", "origin"),
        ("header", "referer", "referer"),
        ("header", "Host", None),
        ("header", "X-Forwarded-Host", "header:X-Forwarded-Host"),
        ("header", "X-Forwarded-Proto", None),
        ("environ", "HTTP_X_EMBED_ORIGIN", "header:X-Embed-Origin"),
        ("environ", "HTTP_ORIGIN", "origin"),
        ("environ", "HTTP_HOST", None),
        ("environ", "SERVER_NAME", None),
        ("environ", "QUERY_STRING", "query:"),
        ("cookie", None, "cookie:"),
    ],
)
def test_request_value_key(kind, key, expected):
    assert sources.request_value_key(kind, key) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('environ["QUERY_STRING"]', True),
        ('environ.get("QUERY_STRING", "")', True),
        ("self.path", True),
        ("urlparse(self.path).query", True),
        ("request.query_string.decode()", True),
        ("self.request.uri", True),
        ("settings.path", False),
        ("url", False),
    ],
)
def test_query_strings(text, expected):
    assert sources.is_query_string(expr(text)) is expected


def _function(source: str):
    module = cst.parse_module(source)
    fn = module.body[-1]
    while isinstance(fn, cst.ClassDef):
        fn = fn.body.body[-1]
    return fn


class _FunctionScope:
    def __init__(self, fn, in_class=False):
        self.node = fn
        self.name = fn.name.value
        self.in_class = in_class

    def param_names(self):
        return [p.name.value for p in self.node.params.params]


@pytest.mark.parametrize(
    "source, param, expected",
    [
        ("def f(origin: str = Query('')): pass", 0, ("query", "origin")),
        ("def f(o: Annotated[str, Query(alias='origin')]): pass", 0, ("query", "origin")),
        ("def f(pref: str = Cookie(None)): pass", 0, ("cookie", "pref")),
        ("def f(x_embed_origin: str = Header('')): pass", 0, ("header", "X-Embed-Origin")),
        ("@app.route('/embed/<site>')\ndef f(site): pass", 0, ("path", "site")),
        ("@router.get('/sites/{site:path}')\ndef f(site: str): pass", 0, ("path", "site")),
        ("@router.get('/stats')\ndef f(embed: Optional[str] = None): pass", 0, ("query", "embed")),
        ("@router.get('/stats')\ndef f(page: int = 1): pass", 0, None),
        ("@router.get('/stats')\ndef f(db = Depends(get_db)): pass", 0, None),
        ("@app.route('/embed')\ndef f(site): pass", 0, None),
        ("def helper(site: str): pass", 0, None),
    ],
)
def test_request_parameters(source, param, expected):
    fn = _function(source)
    assert sources.request_parameter(fn.params.params[param], _FunctionScope(fn)) == expected


def test_class_based_view_keyword_arguments():
    fn = _function("class V(View):\n    def get(self, request, partner):\n        pass\n")
    scope = _FunctionScope(fn, in_class=True)
    assert sources.request_parameter(fn.params.params[2], scope) == ("path", "partner")
    assert sources.request_parameter(fn.params.params[1], scope) is None


@pytest.mark.parametrize(
    "text, key",
    [
        ("g.origin", "g.origin"),
        ("flask.g.origin", "g.origin"),
        ("request.state.origin", "request.state.origin"),
        ("req.state.origin", "request.state.origin"),
        ("request.ctx.origin", "request.ctx.origin"),
        ("req.context.origin", "request.context.origin"),
        ("request.caller_origin", "request.caller_origin"),
        ('request["cors_origin"]', "request[cors_origin]"),
        ("self.embed_origin", "self.embed_origin"),
        ("request.args", None),  # the framework's own data
        ("request.origin", None),
        ("settings.origin", None),
        ("self.request.headers.origin", None),
        ('event["origin"]', None),
        ('getattr(g, "origin", None)', "g.origin"),
        ('g.get("origin")', "g.origin"),
        ('getattr(request.state, "origin", "")', "request.state.origin"),
        ('request.get("origin")', None),
        ('cache.get("origin")', None),
    ],
)
def test_stored_keys(text, key):
    assert sources.stored_key(expr(text)) == key
