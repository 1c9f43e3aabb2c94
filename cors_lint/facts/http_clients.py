"""Which expressions stand for an outgoing HTTP request or client.

Headers written on these go to another server, not to this application's
responses (COR304 reports CORS response headers among them; every other
rule ignores them).  A client is recognised however the code holds it:

* a call into a client library (``requests.get``, ``httpx.post``,
  ``aiohttp.request``, ``urllib.request.Request``, ``requests.Request``);
* a name bound to a client factory (``s = requests.Session()``,
  ``async with httpx.AsyncClient() as client``,
  ``opener = urllib.request.build_opener()``), also at module level;
* an attribute set to one in the class (``self.session =
  requests.Session()`` in ``__init__``, then ``self.session.get(...)``);
* a parameter annotated with a client class
  (``session: aiohttp.ClientSession``).

Only the standard client libraries are listed: a class merely *named*
``Session`` or ``Client`` says nothing about where its headers go.
"""

from __future__ import annotations

import libcst as cst

from .context import ModuleContext
from .index import Assignment, Site

CLIENT_MODULES = ("requests.", "httpx.", "urllib.request.", "urllib3.", "aiohttp.ClientSession", "aiohttp.request", "http.client.", "grequests.", "treq.")
CLIENT_FACTORIES = (
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.Client",
    "httpx.AsyncClient",
    "aiohttp.ClientSession",
    "aiohttp.client.ClientSession",
    "urllib3.PoolManager",
    "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
    "urllib.request.Request",
    "urllib.request.build_opener",
    "urllib.request.OpenerDirector",
)
# Client calls that take the headers positionally: qualified name or client
# method -> index of the headers argument (``Request(url, data, headers)``,
# ``HTTPConnection.request(method, url, body, headers)``).
POSITIONAL_HEADERS = {"urllib.request.Request": 2}
POSITIONAL_HEADER_METHODS = {"request": 3}


def is_client(ctx: ModuleContext, node: cst.BaseExpression, site: Site) -> bool:
    """Does ``node`` (a receiver such as ``session.headers`` or a callee
    such as ``requests.get``) belong to an outgoing request?"""
    for q in ctx.qualify(node):
        if q.rsplit(".", 1)[-1].endswith("Response"):
            return False  # httpx.Response(...) in a test double builds a response
        if q.startswith(CLIENT_MODULES) or q in CLIENT_FACTORIES:
            return True
    chain = node
    while isinstance(chain, (cst.Attribute, cst.Call)):
        if isinstance(chain, cst.Attribute) and isinstance(chain.value, cst.Name) and chain.value.value == "self":
            if _self_attribute_is_client(ctx, chain, site):
                return True
        chain = chain.func if isinstance(chain, cst.Call) else chain.value
    if isinstance(chain, cst.Name):
        binding = _binding(chain.value, site)
        if binding is not None:
            return _binds_client(ctx, binding)
    return False


def positional_headers_index(ctx: ModuleContext, call: cst.Call, site: Site) -> int | None:
    """Where a client call takes its headers positionally, else None."""
    for q in ctx.qualify(call.func):
        if q in POSITIONAL_HEADERS:
            return POSITIONAL_HEADERS[q]
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in POSITIONAL_HEADER_METHODS:
        if _is_connection(ctx, call.func.value, site):
            return POSITIONAL_HEADER_METHODS[call.func.attr.value]
    return None


def _is_connection(ctx: ModuleContext, node: cst.BaseExpression, site: Site) -> bool:
    if isinstance(node, cst.Name):
        binding = _binding(node.value, site)
        value = binding.value if binding is not None else None
        return isinstance(value, cst.Call) and any(q.startswith("http.client.") for q in ctx.qualify(value.func))
    return False


def _factory_call(ctx: ModuleContext, value: cst.BaseExpression | None) -> bool:
    if isinstance(value, cst.Await):
        value = value.expression
    return isinstance(value, cst.Call) and any(q in CLIENT_FACTORIES for q in ctx.qualify(value.func))


def _binds_client(ctx: ModuleContext, binding: Assignment) -> bool:
    if binding.kind == "param":
        param = binding.node
        annotation = param.annotation.annotation if isinstance(param, cst.Param) and param.annotation is not None else None
        return annotation is not None and _annotation_is_client(ctx, annotation)
    return _factory_call(ctx, binding.value)


def _annotation_is_client(ctx: ModuleContext, annotation: cst.BaseExpression) -> bool:
    """``aiohttp.ClientSession``, ``httpx.AsyncClient | None``,
    ``Optional[requests.Session]``."""
    todo = [annotation]
    while todo:
        node = todo.pop()
        if isinstance(node, cst.BinaryOperation):
            todo.extend((node.left, node.right))
        elif isinstance(node, cst.Subscript):
            todo.extend(e.slice.value for e in node.slice if isinstance(e.slice, cst.Index))
        elif any(q in CLIENT_FACTORIES for q in ctx.qualify(node)):
            return True
    return False


def _self_attribute_is_client(ctx: ModuleContext, attr: cst.Attribute, site: Site) -> bool:
    """``self.session`` where the class assigns ``self.session = requests.Session()``
    (or a module-level client) in one of its methods."""
    cls = site.scope.class_name
    if cls is None:
        return False
    name = attr.attr.value
    for assign in ctx.index.attribute_assigns:
        if assign.scope.class_name != cls:
            continue
        node = assign.node
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        for target in targets:
            if isinstance(target, cst.Attribute) and target.attr.value == name and isinstance(target.value, cst.Name) and target.value.value == "self":
                value = node.value
                if _factory_call(ctx, value):
                    return True
                if isinstance(value, cst.Name):
                    binding = _binding(value.value, assign)
                    if binding is not None and _binds_client(ctx, binding):
                        return True
    return False


def _binding(name: str, site: Site) -> Assignment | None:
    scope = site.scope
    while scope is not None:
        defs = scope.assignments.get(name)
        if defs:
            return defs[-1]
        scope = scope.parent
    return None
