"""Header writes: every way Python web code puts a CORS header on a response.

Recognised idioms (framework-neutral on purpose: the syntax is what matters):

* ``resp["Access-Control-Allow-Origin"] = v`` and ``resp.headers[k] = v``;
* ``.set_header/.add_header/.send_header/.append_header/.set/.add/
  .setdefault/.append(k, v)`` (Tornado, Bottle, http.server, Falcon,
  Werkzeug, Starlette);
* dict literals used as headers: ``headers=`` arguments, response
  constructors, ``.headers.update({...})``, Flask return tuples, AWS Lambda
  ``{"headers": {...}}`` / ``multiValueHeaders``, module-level header dicts;
* ``(name, value)`` pairs: WSGI ``start_response`` lists, ASGI byte pairs,
  Pyramid ``headerlist.append``;
* Werkzeug properties ``resp.access_control_allow_origin = v``;
* keyword headers (Bottle ``HTTPResponse(body, Access_Control_Allow_Origin=...)``);
* CGI-style ``print("Access-Control-Allow-Origin: *")``.

Reads (comparisons, ``assert``s, ``assertEqual``) are never writes.  Writes
whose target is an outgoing client request (``http_clients.py`` says which
expressions are clients) are marked ``on_request``.
Writes are grouped by the object they are made on (union-find over
"owners": a response variable in a function, ``self`` in a handler method,
a dict), and ``responses.py`` says which responses each object ends up on
(one per path: a handler method, a route; hooks and helpers join the
paths they run for).
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from . import headers_vocab as vocab
from . import http_clients
from .conditions import atoms_of_guards
from .context import ModuleContext
from .dataflow import project_function
from .index import Scope, Site
from .model import FileFacts, HeaderWrite, Value, VaryWrite
from .responses import HandlerClasses, Responses, on_options_path
from .value_ops import alternatives, either, with_guards

SETTERS = {"set_header", "add_header", "send_header", "append_header", "set", "add", "setdefault", "append", "__setitem__", "putheader", "setHeader", "addHeader", "insert"}
BULK = {"update", "extend", "set_headers", "add_headers", "extend_headers"}
WERKZEUG_PROPS = {
    "access_control_allow_origin": vocab.ACAO,
    "access_control_allow_credentials": vocab.ACAC,
    "access_control_allow_headers": vocab.ACAH,
    "access_control_allow_methods": vocab.ACAM,
    "access_control_expose_headers": vocab.ACEH,
    "access_control_max_age": vocab.ACMA,
}
HEADER_KEYWORDS = {"headers", "multiValueHeaders", "multi_value_headers", "response_headers", "default_headers", "extra_headers", "headerlist", "header_list", "raw_headers"}
READ_CALLS = ("assert", "expect", "check", "compare", "verify")
# HTTP mocking libraries and mock objects: headers there are a fake
# upstream's, in tests of client code, not this server's responses
FAKE_UPSTREAM = ("responses.", "respx.", "httpretty.", "aioresponses", "requests_mock.", "pytest_httpx.", "unittest.mock.", "mock.")
# calls that take a function answering as a fake upstream server
FAKE_RESPONDER_CALLS = ("httpx.MockTransport", "respx.", "responses.add_callback", "requests_mock.", "pytest_httpx.", "aioresponses")
# config-style calls whose keywords are settings, not headers
MAPPING_UPDATES = {"update", "setdefault", "from_mapping", "dict"}
# header containers that only wrap their argument: look through them
WRAPPERS = {"dict", "CIMultiDict", "CIMultiDictProxy", "MultiDict", "Headers", "MutableHeaders", "HTTPHeaders", "CaseInsensitiveDict", "HeaderMap", "ResponseHeaders", "OrderedDict"}


def _is_param(node, param: str) -> bool:
    """``param`` itself, or ``param or {}``."""
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        node = node.left
    return isinstance(node, cst.Name) and node.value == param


def _items_of(node, param: str) -> bool:
    """``param.items()`` / ``(param or {}).items()``."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "items"
        and _is_param(node.func.value, param)
    )


# setters that replace a header's value (the others append another line)
REPLACING = {"subscript", "set_header", "set", "__setitem__", "property", "setHeader"}


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.ids: dict[str, int] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def id(self, key: str) -> int:
        root = self.find(key)
        return self.ids.setdefault(root, len(self.ids) + 1)


class HeaderExtractor:
    def __init__(self, ctx: ModuleContext, facts: FileFacts) -> None:
        self.ctx = ctx
        self.facts = facts
        self.index = ctx.index
        self.groups = _Groups()
        self._pending: list[tuple[str, Value, cst.CSTNode, str, Site, bool, bool, str]] = []
        self._vary: list[tuple[str, tuple[str, ...], cst.CSTNode, Site]] = []
        self._request_owners: list[str] = []  # header mappings handed to HTTP clients
        self._sends_cache: dict[tuple[str, str], bool] = {}  # (helper, parameter) -> sends it as headers
        self._handed_over: set[str] | None = None  # names (and attribute names) passed as call arguments
        self.classes = HandlerClasses(ctx.index)
        self.paths = Responses(ctx, self.groups, self.classes)

    # -- owners -------------------------------------------------------------
    def _root(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """``resp.headers`` -> ``resp``; ``self.response.headers`` -> ``self.response``."""
        while isinstance(node, cst.Attribute) and node.attr.value in ("headers", "headerlist", "_headers", "raw_headers", "header_list", "vary"):
            node = node.value
        while isinstance(node, cst.Subscript) and isinstance(node.value, (cst.Name, cst.Attribute)):
            node = node.value  # event["headers"][k]
        return node

    def _owner_key(self, node: cst.BaseExpression, site: Site) -> str:
        root = self._root(node)
        text = self.ctx.text(root, limit=120)
        if text.startswith("self") and site.scope.class_name:
            method = self.paths.method_of(site.scope)
            if method is not None and self.classes.is_handler(site.scope.class_name):
                # each method of a handler class answers its own requests
                return self.paths.method_key(site.scope.class_name, method)
            return f"class:{site.scope.class_name}:{text}"
        if isinstance(root, cst.Name):
            # a module-level variable used in a function is the module's
            scope = site.scope
            while scope is not None and root.value not in scope.assignments and scope.parent is not None:
                scope = scope.parent
            if scope is not None and scope.kind == "module" and site.scope.kind == "function" and self._proxy(root, scope):
                # Bottle's ``response``: a per-request proxy, so each
                # function writes to the response of the path it runs on
                return self.paths.ambient_key(site.scope, root.value)
            return f"{scope.qualname if scope else ''}:{root.value}"
        return f"{site.scope.qualname}:{text}"

    def _proxy(self, name: cst.Name, module: Scope) -> bool:
        """A name imported from a framework, never assigned here: a
        per-request proxy such as Bottle's ``response``."""
        if any(a.kind != "import" for a in module.assignments.get(name.value, ())):
            return False
        return any("." in q for q in self.ctx.qualify(name))

    def _is_client(self, node: cst.BaseExpression, site: Site) -> bool:
        return http_clients.is_client(self.ctx, node, site)

    def _find_fake_responders(self) -> set[str]:
        """Functions handed to a mocking library as the fake server
        (``httpx.MockTransport(handler)``, respx ``side_effect=handler``)."""
        names: set[str] = set()
        for site in self.index.calls:
            call = site.node
            qualified = self.ctx.qualify(call.func)
            if isinstance(call.func, cst.Attribute):
                qualified |= {q for q in self.ctx.qualify(call.func.value)}
            if not any(q.startswith(FAKE_RESPONDER_CALLS) for q in qualified):
                continue
            for arg in call.args:
                if isinstance(arg.value, cst.Name):
                    names.add(arg.value.value)
        return names

    def _fake_upstream(self, node: cst.BaseExpression, site: Site) -> bool:
        """A mocking library's call (``responses.add``), or an object made
        by one (``resp = MagicMock()``)."""
        if any(q.startswith(FAKE_UPSTREAM) for q in self.ctx.qualify(node)):
            return True
        root = node
        while isinstance(root, (cst.Attribute, cst.Call)):
            root = root.value if isinstance(root, cst.Attribute) else root.func
        if isinstance(root, cst.Name):
            value = self._binding_expr(root.value, site)
            if isinstance(value, cst.Call):
                return any(q.startswith(FAKE_UPSTREAM) or q.endswith("Mock") for q in self.ctx.qualify(value.func))
        return False

    def _binding_expr(self, name: str, site: Site):
        scope = site.scope
        while scope is not None:
            defs = scope.assignments.get(name)
            if defs:
                return defs[-1].value
            scope = scope.parent
        return None

    # -- recording -----------------------------------------------------------
    def _record(self, name: str, value_node: cst.BaseExpression | None, report_node: cst.CSTNode, owner: str, site: Site, *, on_request=False, typed=False, via="", value: Value | None = None) -> None:
        self.paths.seen(owner, site.scope)
        if value is not None:
            pass  # already evaluated (an entry of a mapping a helper returns)
        elif value_node is None:
            value = Value("unknown")
        else:
            value = self.ctx.evaluate(value_node, site)
            if not value.text:
                value = replace(value, text=self.ctx.text(value_node))
        if name == vocab.VARY:
            names = []
            for alt in alternatives(value):
                s = alt.str_value()
                if s:
                    names += [p.strip() for p in s.split(",")]
                for item in alt.items:
                    if item.str_value():
                        names.append(item.str_value().strip())
            if not names and isinstance(value_node, cst.BinaryOperation) and isinstance(value_node.operator, cst.Add):
                # response.vary = tuple(response.vary or ()) + ("Origin",): the
                # names added to whatever the response held
                names = [n for side in (value_node.left, value_node.right) for n in self._added_names(side, site)]
            self._vary.append((owner, tuple(names), report_node, site))
            return
        self._pending.append((name, value, report_node, owner, site, on_request, typed, via))

    def _added_names(self, node: cst.BaseExpression, site: Site) -> list[str]:
        """Header names written in place in one operand of a ``+``."""
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return self._added_names(node.left, site) + self._added_names(node.right, site)
        if not isinstance(node, (cst.Tuple, cst.List, cst.SimpleString)):
            return []
        value = self.ctx.evaluate(node, site)
        out = [p.strip() for p in (value.str_value() or "").split(",") if p.strip()]
        return out + [i.str_value().strip() for i in value.items if i.str_value()]

    def _header_name(self, node: cst.BaseExpression, site: Site) -> str | None:
        v = self.ctx.evaluate(node, site)
        s = v.str_value()
        if s is None:
            return None
        n = vocab.normalize_header(s)
        return n if n in vocab.WATCHED_HEADERS else None

    # -- passes ------------------------------------------------------------------
    def run(self) -> None:
        self._fake_responders = self._find_fake_responders()
        for site in self.index.subscript_assigns:
            self._subscript_assign(site)
        for site in self.index.attribute_assigns:
            self._attribute_assign(site)
        for site in self.index.calls:
            self._call(site)
        for site in self.index.dicts:
            self._dict(site)
        for site in self.index.tuples:
            self._tuple(site)
        for site in self.index.strings_with_headers:
            self._printed(site)
        self._finish()

    def _subscript_assign(self, site: Site) -> None:
        node = site.node
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
                continue
            index = target.slice[0].slice
            if not isinstance(index, cst.Index):
                continue
            name = self._header_name(index.value, site)
            if name is None:
                continue
            if self._in_read_context(node):
                continue
            value = node.value
            if isinstance(value, cst.List) and len(value.elements) == 1 and not isinstance(value.elements[0], cst.StarredElement):
                # headers["Access-Control-Allow-Origin"] = [origin]: a
                # multi-value header mapping (API Gateway multiValueHeaders),
                # built up key by key as the dict form is written whole
                value = value.elements[0].value
            on_request = self._is_client(target.value, site)
            self._record(name, value, node, self._owner_key(target.value, site), site, on_request=on_request, via="subscript")

    def _attribute_assign(self, site: Site) -> None:
        node = site.node
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, cst.Attribute):
                continue
            attr = target.attr.value
            if attr in WERKZEUG_PROPS:
                self._record(WERKZEUG_PROPS[attr], node.value, node, self._owner_key(target.value, site), site, typed=True, via="property")
            elif attr == "vary":
                self._record(vocab.VARY, node.value, node, self._owner_key(target.value, site), site, via="property")

    def _call(self, site: Site) -> None:
        call: cst.Call = site.node
        func = call.func
        self.paths.call(call, site)
        if isinstance(func, cst.Attribute):
            meth = func.attr.value
            if meth in SETTERS and len(call.args) >= 2 and call.args[0].keyword is None:
                name = self._header_name(call.args[0].value, site)
                if name is not None and not self._in_read_context(call):
                    recv = func.value
                    on_request = self._is_client(recv, site) or meth == "putheader"
                    self._record(name, call.args[1].value, call, self._owner_key(recv, site), site, on_request=on_request, via=meth)
                    return
            if meth == "add" and isinstance(func.value, cst.Attribute) and func.value.attr.value == "vary" and call.args:
                # werkzeug: response.vary.add("Origin")
                self._record(vocab.VARY, call.args[0].value, call, self._owner_key(func.value.value, site), site)
                return
            if meth == "add_vary_header" and call.args:
                # starlette: MutableHeaders.add_vary_header("Origin")
                self._record(vocab.VARY, call.args[0].value, call, self._owner_key(func.value, site), site)
                return
            if meth in SETTERS and len(call.args) >= 2 and self._mapping_items_loop(call, site):
                return
            if meth in BULK and len(call.args) == 1 and isinstance(call.args[0].value, cst.Call):
                # resp.set_headers(cors_headers(origin)): the mapping a helper returns
                self._returned_mapping(call.args[0].value, self._owner_key(func.value, site), site, self._is_client(func.value, site))
            if meth in BULK or meth in SETTERS:
                owner = self._owner_key(func.value, site)
                client = None
                for arg in call.args:
                    if isinstance(arg.value, (cst.Name, cst.Attribute)) and arg.keyword is None:
                        self.groups.union(owner, self._owner_key(arg.value, site))
                        client = self._is_client(func.value, site) if client is None else client
                        if client:  # session.headers.update(DEFAULT_HEADERS)
                            self._request_owners.append(self._owner_key(arg.value, site))
        last = (self.ctx.dotted(func) or "").split(".")[-1]
        if last in ("patch_vary_headers", "add_vary_headers") and len(call.args) >= 2:
            self._record(vocab.VARY, call.args[1].value, call, self._owner_key(call.args[0].value, site), site)
            return
        if _imported_vary_helper(last, call) and self.ctx.evaluator._local_function(call.func, site.scope) is None:
            # add_vary(response, "Origin") from another module: a helper named
            # for Vary, given the response and the header names, adds them
            self._record(vocab.VARY, call.args[1].value, call, self._owner_key(call.args[0].value, site), site)
            return
        # keyword headers: HTTPResponse(body, Access_Control_Allow_Origin="*")
        for arg in call.args:
            if arg.keyword is not None:
                name = vocab.normalize_header(arg.keyword.value, underscores=True)
                if name in vocab.WATCHED_HEADERS and "cors" not in last.lower() and last not in MAPPING_UPDATES:
                    self._record(name, arg.value, arg, self._call_owner(call, site), site, on_request=self._call_is_client(call, site), via="keyword")
        self._pass_response(call, site)
        # headers=cors_headers(origin): the mapping a helper returns
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in HEADER_KEYWORDS and isinstance(arg.value, cst.Call):
                self._returned_mapping(arg.value, self._call_owner(call, site), site, self._call_is_client(call, site))
        # headers=H where H is a variable: the variable's header writes land on this call's response
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in HEADER_KEYWORDS and isinstance(arg.value, (cst.Name, cst.Attribute)):
                self.groups.union(self._call_owner(call, site), self._owner_key(arg.value, site))
                if self._call_is_client(call, site):
                    self._request_owners.append(self._owner_key(arg.value, site))

    def _returned_mapping(self, call: cst.Call, owner: str, site: Site, on_request: bool) -> None:
        """The header entries of the dict a helper of another project module
        returns (standalone mode), written where this call hands it to a
        response.  A helper of this module needs nothing: its dict literal
        is a header write of its own, fed by this module's call sites."""
        if project_function(self.ctx, call.func) is None:
            return
        for name, value in self._dict_entries(self.ctx.evaluate(call, site)):
            self._record(name, None, call, owner, site, on_request=on_request, via="dict", value=value)

    def _mapping_items_loop(self, call: cst.Call, site: Site) -> bool:
        """``for key, value in extra.items(): resp.set_header(key, value)``:
        the ``Vary`` entries of the mapping ``extra`` holds (also one a
        helper returned, alone or inside a tuple) reach this response.  Only
        ``Vary``: a CORS header in a mapping built in this module is already
        a write where the mapping is written."""
        name_arg, value_arg = call.args[0].value, call.args[1].value
        if not (isinstance(name_arg, cst.Name) and isinstance(value_arg, cst.Name)):
            return False
        loop = self._items_loop(name_arg.value, value_arg.value, call)
        if loop is None:
            return False
        mapping = self.ctx.evaluate(loop.iter.func.value, site)
        owner = self._owner_key(call.func.value, site)
        for name, value in self._dict_entries(mapping):
            if name == vocab.VARY:
                self._record(name, None, call, owner, site, via=call.func.attr.value, value=value)
        return True

    def _items_loop(self, key: str, item: str, node: cst.CSTNode) -> cst.For | None:
        for anc in self.index.ancestors(node):
            if isinstance(anc, cst.For):
                target, it = anc.target, anc.iter
                if (
                    isinstance(target, cst.Tuple)
                    and [getattr(e.value, "value", None) for e in target.elements] == [key, item]
                    and isinstance(it, cst.Call)
                    and isinstance(it.func, cst.Attribute)
                    and it.func.attr.value == "items"
                ):
                    return anc
            if isinstance(anc, (cst.FunctionDef, cst.ClassDef)):
                return None
        return None

    def _dict_entries(self, value: Value) -> list[tuple[str, Value]]:
        """(header name, value) of each watched key of the dicts ``value``
        may be."""
        out = []
        for alt in alternatives(value):
            if alt.kind != "seq" or alt.text != "dict":
                continue
            for key, item in zip(alt.items, alt.values):
                s = key.str_value()
                name = vocab.normalize_header(s) if s is not None else None
                if name in vocab.WATCHED_HEADERS:
                    out.append((name, item))
        return out

    def _pass_response(self, call: cst.Call, site: Site) -> None:
        """``_add_origin(request, response)`` then ``_add_vary(request,
        response)``: a variable handed to a helper of this module is the
        helper's parameter, so their writes land on one response."""
        target = self.ctx.evaluator._local_function(call.func, site.scope)
        if target is None:
            return
        for i, pname in enumerate(target.call_param_names()):
            arg = self.ctx.arg(call, i, pname)
            if arg is not None and isinstance(arg.value, (cst.Name, cst.Attribute)):
                # the helper's parameter is the caller's response on this path only
                self.paths.flows_into(f"{target.qualname}:{pname}", self._owner_key(arg.value, site), target)

    def _call_owner(self, call: cst.Call, site: Site) -> str:
        parent = self.index.parent(call)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            return self._owner_key(parent.targets[0].target, site)
        if isinstance(parent, cst.Await):
            grand = self.index.parent(parent)
            if isinstance(grand, cst.Assign) and len(grand.targets) == 1:
                return self._owner_key(grand.targets[0].target, site)
        return f"node:{id(call)}"

    def _call_is_client(self, call: cst.Call, site: Site) -> bool:
        func = call.func
        if self._is_client(func, site):
            return True
        if isinstance(func, cst.Attribute):
            return self._is_client(func.value, site)
        return False

    def _in_read_context(self, node: cst.CSTNode) -> bool:
        for anc in self.index.ancestors(node):
            if isinstance(anc, (cst.Comparison, cst.Assert)):
                return True
            if isinstance(anc, cst.Call):
                name = (self.ctx.dotted(anc.func) or "").split(".")[-1].lower()
                if any(name.startswith(r) for r in READ_CALLS):
                    return True
            if isinstance(anc, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
                break
        return False

    def _container_owner(self, node: cst.CSTNode, site: Site) -> tuple[str, bool] | None:
        """Who receives a dict/list of headers, and whether that is an
        outgoing request.  None when the container is not used as headers."""
        child = node
        for anc in self.index.ancestors(node):
            if isinstance(anc, (cst.Comparison, cst.Assert)):
                return None
            if isinstance(anc, cst.Arg):
                call = self.index.parent(anc)
                if not isinstance(call, cst.Call):
                    return None
                name = (self.ctx.dotted(call.func) or "").split(".")[-1]
                lname = name.lower()
                if any(lname.startswith(r) for r in READ_CALLS):
                    return None
                if name in WRAPPERS and anc.keyword is None:
                    child = call  # Headers({...}) is the dict itself
                    continue
                if self._fake_upstream(call.func, site):
                    return None
                on_request = self._call_is_client(call, site)
                kw = anc.keyword.value if anc.keyword is not None else None
                if kw is None and on_request:
                    at = http_clients.positional_headers_index(self.ctx, call, site)
                    positional = [a for a in call.args if a.keyword is None]
                    if at is not None and at < len(positional) and positional[at] is anc:
                        return self._call_owner(call, site), True
                if kw is None:
                    kw = self._helper_param(call, anc)  # _json(start_response, body, [("ACAO", o)])
                if kw is not None:
                    if kw in HEADER_KEYWORDS or kw.endswith("headers"):
                        return self._call_owner(call, site), on_request
                    if anc.keyword is not None:
                        return None
                if isinstance(call.func, cst.Attribute) and call.func.attr.value in BULK | SETTERS | {"start_response"}:
                    return self._owner_key(call.func.value, site), on_request
                if name == "start_response" or name == "dict":
                    return self._call_owner(call, site), on_request
                if name.lower().endswith("response") or name in ("make_response", "Response", "HTTPResponse", "json", "text", "html", "raw", "redirect", "file", "stream", "HTTPException"):
                    positional = [a for a in call.args if a.keyword is None]
                    if positional and positional[0] is not anc:
                        return self._call_owner(call, site), on_request
                return None
            if isinstance(anc, cst.DictElement) and child is anc.value:
                key = self.ctx.evaluate(anc.key, site).str_value()
                if key and (key in HEADER_KEYWORDS or key.lower() == "headers"):
                    return f"node:{id(anc)}", False
                return None
            if isinstance(anc, cst.Assign):
                target = anc.targets[0].target
                if isinstance(target, cst.Name) and target.value in self.index.names_compared:
                    return None
                if isinstance(target, cst.Attribute) and self._fake_upstream(target.value, site):
                    return None  # mock_response.headers = {...}
                if isinstance(target, cst.Attribute):
                    # opener.addheaders = [...], self.session.headers = {...}
                    return self._owner_key(target, site), self._is_client(target.value, site)
                if isinstance(target, (cst.Name, cst.Subscript)):
                    return self._owner_key(target, site), False
                return None
            if isinstance(anc, (cst.AnnAssign, cst.AugAssign)):  # headers += [(k, v)]
                return self._owner_key(anc.target, site), False
            if isinstance(anc, cst.Return):
                return f"node:{id(node)}", False
            if isinstance(anc, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                return None
            child = anc
        return None

    def _helper_param(self, call: cst.Call, arg: cst.Arg) -> str | None:
        """The parameter a positional argument fills when the call is to a
        function (or a method, through ``self``) of this module (``def
        _json(start_response, payload, extra_headers=())``): a list given as
        its ``*headers`` parameter is the headers it sends, as a keyword
        argument of that name would be; one the helper sends whatever its
        name (``_forwards_as_headers``, ``_sends_param``) is ``"headers"``."""
        func = call.func
        if isinstance(func, cst.Name):
            targets = [s for s in self.index.functions.get(func.value, []) if not s.in_class]
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
            targets = [s for s in self.index.functions.get(func.attr.value, []) if s.in_class]  # self._json(200, body, [...])
        else:
            return None
        if not targets:
            return None
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if arg not in positional:
            return None
        names = targets[-1].call_param_names()
        at = positional.index(arg)
        if at >= len(names):
            return None
        if self._forwards_as_headers(targets[-1], names[at]) or self._sends_param(targets[-1], names[at]):
            return "headers"  # def _json(self, status, payload, extra): ... send_header(k, v) for k, v in extra.items()
        return names[at]

    def _forwards_as_headers(self, target: Scope, param: str) -> bool:
        """Does the helper send its parameter ``param`` as response headers,
        whatever the parameter is called: ``for name, value in (extra or
        {}).items(): self.send_header(name, value)``, or
        ``resp.headers.update(extra)``?"""
        keys = {
            name
            for name, defs in target.assignments.items()
            for d in defs
            if d.kind == "for-item" and d.position == 0 and _items_of(d.value, param)
        }
        for site in self.index.calls:
            if site.scope is not target:
                continue
            call = site.node
            if not isinstance(call.func, cst.Attribute) or not call.args:
                continue
            first = call.args[0].value
            method = call.func.attr.value
            if keys and method in SETTERS and isinstance(first, cst.Name) and first.value in keys:
                return True
            if method in BULK and _is_param(first, param):
                return True
        return False

    def _sends_param(self, helper: Scope, param: str) -> bool:
        """Whether ``helper`` puts the (name, value) pairs or the mapping its
        parameter ``param`` holds on a response: a loop over it (or its
        ``.items()``) that hands both loop variables to a header setter
        (``for key, value in extra: self.send_header(key, value)``), or the
        parameter given whole to a bulk setter or a ``headers=`` argument.
        Judged by what the helper does, not by the parameter's name."""
        key = (helper.qualname, param)
        if key not in self._sends_cache:
            self._sends_cache[key] = any(
                self._sends_there(site.node, param) for site in self.index.calls if site.scope is helper
            ) or any(self._stores_pairs(site.node, param) for site in self.index.subscript_assigns if site.scope is helper)
        return self._sends_cache[key]

    def _stores_pairs(self, node: cst.CSTNode, param: str) -> bool:
        """``resp.headers[name] = value`` inside ``for name, value in param``."""
        if not isinstance(node, cst.Assign) or len(node.targets) != 1:
            return False
        target = node.targets[0].target
        if not (isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index)):
            return False
        return self._pair_loop(node, target.slice[0].slice.value, node.value, param)

    def _pair_loop(self, node: cst.CSTNode, name: cst.BaseExpression, value: cst.BaseExpression, param: str) -> bool:
        """Is ``node`` inside ``for name, value in param`` (or
        ``param.items()``), with ``name`` and ``value`` the loop variables?"""
        if not (isinstance(name, cst.Name) and isinstance(value, cst.Name)):
            return False
        for anc in self.index.ancestors(node):
            if isinstance(anc, (cst.FunctionDef, cst.ClassDef)):
                return False
            if not isinstance(anc, cst.For) or not isinstance(anc.target, cst.Tuple):
                continue
            names = [getattr(e.value, "value", None) for e in anc.target.elements]
            it = anc.iter
            if isinstance(it, cst.Call) and isinstance(it.func, cst.Attribute) and it.func.attr.value == "items" and not it.args:
                it = it.func.value
            if names == [name.value, value.value] and isinstance(it, cst.Name) and it.value == param:
                return True
        return False

    def _sends_there(self, call: cst.Call, param: str) -> bool:
        func = call.func
        meth = func.attr.value if isinstance(func, cst.Attribute) else None
        args = [a.value for a in call.args]
        if meth in SETTERS and len(args) >= 2:
            return self._pair_loop(call, args[0], args[1], param)
        for arg in call.args:
            if not (isinstance(arg.value, cst.Name) and arg.value.value == param):
                continue
            if arg.keyword is not None and (arg.keyword.value in HEADER_KEYWORDS or arg.keyword.value.endswith("headers")):
                return True
            if arg.keyword is None and meth in BULK:
                return True
        return False

    def _dict(self, site: Site) -> None:
        node: cst.Dict = site.node
        elements = []
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                continue
            name = self._header_name(el.key, site)
            if name is not None:
                elements.append((name, el))
        if not elements:
            return
        owner = self._container_owner(node, site)
        if owner is None:
            return
        key, on_request = owner
        for name, el in elements:
            value = el.value
            if isinstance(value, cst.List) and len(value.elements) == 1:  # multiValueHeaders
                value = value.elements[0].value
            self._record(name, value, el, key, site, on_request=on_request, via="dict")

    def _tuple(self, site: Site) -> None:
        node: cst.Tuple = site.node
        if len(node.elements) != 2:
            return
        # Only a pair inside a list or tuple, or handed to a call, can be a
        # header: the position is known before anything is evaluated (a
        # name traced through another module costs a parse of it).
        parent = self.index.parent(node)
        container = parent
        if isinstance(parent, cst.Element):
            container = self.index.parent(parent)
        if not isinstance(container, (cst.List, cst.Tuple)) and not isinstance(parent, cst.Arg):
            return
        name = self._header_name(node.elements[0].value, site)
        if name is None:
            return
        value_node = node.elements[1].value
        other = self.ctx.evaluate(value_node, site).str_value()
        if name != vocab.VARY and other is not None and vocab.normalize_header(other) in vocab.WATCHED_HEADERS | {"origin", "content-type", "authorization"}:
            return  # a tuple of header names, not a (name, value) pair
        if isinstance(container, (cst.List, cst.Tuple)):
            owner = self._container_owner(container, site)
        elif isinstance(parent, cst.Arg):
            owner = self._container_owner(node, site)
        else:
            owner = None
        if owner is None:
            return
        key, on_request = owner
        self._record(name, value_node, node, key, site, on_request=on_request, via="pair")

    def _printed(self, site: Site) -> None:
        node: cst.SimpleString = site.node
        parent = self.index.parent(node)
        call = self.index.parent(parent) if isinstance(parent, cst.Arg) else None
        if not isinstance(call, cst.Call):
            return
        last = (self.ctx.dotted(call.func) or "").split(".")[-1]
        if last not in ("print", "write", "send", "sendall", "writelines"):
            return
        text = node.evaluated_value
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        for line in text.splitlines():
            name, sep, value = line.partition(":")
            n = vocab.normalize_header(name)
            if sep and n in vocab.WATCHED_HEADERS:
                owner = f"{site.scope.qualname}:<stdout>"
                self.paths.seen(owner, site.scope)
                self._pending.append((n, Value("const", value.strip(), span=self.ctx.span(node), text=value.strip()), node, owner, site, False, False, "print"))

    # -- helpers' callers ---------------------------------------------------------
    def _with_callers_guards(self, value: Value, node: cst.CSTNode, site: Site) -> Value:
        """A write in a private helper of this module (``def _cors(self,
        response)``) reaches a response only through the helper's calls, so
        a request value it reads by itself (``self.origin`` stored by
        ``dispatch``, Flask's ``request``) is tested wherever a call is
        under a test: each call site is one alternative carrying its
        guards, and an unguarded call keeps an unguarded alternative.
        Values that come in through the helper's parameters already carry
        their call sites' guards (``DataFlow._param_value``).  A helper that
        may run from elsewhere (a public name, a decorated function, one
        handed over as a callback) is left as it is."""
        scope = site.scope
        if scope.kind != "function" or not any(alt.flow is not None and alt.flow.reflected for alt in alternatives(value)):
            return value
        name = scope.name
        if not name.startswith("_") or name.startswith("__") or getattr(scope.node, "decorators", ()):
            return value
        if self._passed_as_callback(name):
            return value
        params = set(scope.param_names()) - {"self", "cls"}
        if params and self._reads_any(self._write_value_node(node), params, scope, 0):
            return value
        ev = self.ctx.evaluator
        callers = [c for c in ev._call_sites(scope) if c.scope is not scope]
        if not callers:
            return value
        alternatives_ = []
        for caller in callers:
            guards = tuple(g for g in (ev.guard(r, caller.scope, caller.order) for r in caller.guards) if g is not None)
            alternatives_.append(with_guards(value, guards))
        return either(*alternatives_)

    def _passed_as_callback(self, name: str) -> bool:
        """Is the function ``name`` handed to a call (``app.after_request(
        _cors)``, ``self.add_hook(self._cors)``) rather than only called?"""
        if self._handed_over is None:
            self._handed_over = set()
            for call_site in self.index.calls:
                for arg in call_site.node.args:
                    v = arg.value
                    if isinstance(v, cst.Name):
                        self._handed_over.add(v.value)
                    elif isinstance(v, cst.Attribute):
                        self._handed_over.add(v.attr.value)
        return name in self._handed_over

    def _write_value_node(self, node: cst.CSTNode) -> cst.CSTNode:
        if isinstance(node, cst.Call) and len(node.args) >= 2:
            return node.args[1].value
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            return node.value
        if isinstance(node, cst.DictElement):
            return node.value
        return node

    def _reads_any(self, expr: cst.CSTNode, params: set[str], scope: Scope, depth: int) -> bool:
        """Does ``expr`` read one of ``params``, directly or through the
        helper's local assignments?"""
        todo = [expr]
        while todo:
            n = todo.pop()
            if isinstance(n, cst.Name):
                if n.value in params:
                    return True
                if depth < 4:
                    for d in scope.assignments.get(n.value, ()):
                        if d.value is not None and d.kind != "param" and self._reads_any(d.value, params, scope, depth + 1):
                            return True
                continue
            todo.extend(n.children)
        return False

    # -- output -------------------------------------------------------------------
    def _finish(self) -> None:
        ev = self.ctx.evaluator
        request_groups = {self.groups.id(owner) for owner in self._request_owners}
        write_guards: dict[str, list] = {}
        for pending in self._pending:
            write_guards.setdefault(pending[4].scope.qualname, []).append(pending[4].guards)
        for _owner, _names, _node, site in self._vary:
            write_guards.setdefault(site.scope.qualname, []).append(site.guards)
        self.paths.link(write_guards)
        replaced = self.paths.replaced_by(
            [(p[0], p[3], atoms_of_guards(p[4].guards, self.ctx.text), p[7] in REPLACING) for p in self._pending]
        )
        for i, (name, value, node, owner, site, on_request, typed, via) in enumerate(self._pending):
            if site.scope.name in self._fake_responders and site.scope.kind == "function":
                continue  # a test's fake upstream answering a client under test
            on_request = on_request or self.groups.id(owner) in request_groups
            guards = tuple(g for g in (ev.guard(r, site.scope, site.order) for r in site.guards) if g is not None)
            value = self._with_callers_guards(value, node, site)
            responses, preflight = self.paths.of(owner)
            self.facts.header_writes.append(
                HeaderWrite(
                    name=name,
                    value=value,
                    span=self.ctx.span(node),
                    group=self.groups.id(owner),
                    guards=guards,
                    on_request=on_request,
                    typed=typed,
                    via=via,
                    scope=site.scope.qualname,
                    conditions=atoms_of_guards(site.guards, self.ctx.text),
                    responses=responses,
                    preflight=preflight or on_options_path(site.guards),
                    replaced_by=replaced.get(i, frozenset()),
                )
            )
        for owner, names, node, site in self._vary:
            self.facts.vary_writes.append(
                VaryWrite(
                    self.groups.id(owner),
                    names,
                    self.ctx.span(node),
                    site.scope.qualname,
                    self.paths.of(owner)[0],
                    # only tests of the request decide whether Vary is sent to it
                    conditions=atoms_of_guards(
                        [r for r in site.guards if ev.guard(r, site.scope, site.order) is not None], self.ctx.text
                    ),
                    path_conditions=atoms_of_guards(site.guards, self.ctx.text),
                )
            )
        # Django's @vary_on_headers("Origin") covers every response of the view
        for scopes in self.index.functions.values():
            for scope in scopes:
                for dec in getattr(scope.node, "decorators", ()):
                    d = dec.decorator
                    if isinstance(d, cst.Call) and (self.ctx.dotted(d.func) or "").split(".")[-1] == "vary_on_headers":
                        names = tuple(self.ctx.evaluate(a.value).str_value() or "" for a in d.args)
                        self.facts.vary_writes.append(VaryWrite(-1, names, self.ctx.span(d), scope.qualname))


def _imported_vary_helper(name: str, call: cst.Call) -> bool:
    """``add_vary(response, "Origin")``, ``cors.patch_vary(resp, ["Origin"])``:
    a function named for the Vary header, whose first two positional
    arguments are a response variable and header names written in place."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return (
        "vary" in name.lower()
        and len(positional) >= 2
        and isinstance(positional[0].value, (cst.Name, cst.Attribute))
        and isinstance(positional[1].value, (cst.SimpleString, cst.List, cst.Tuple))
    )


def extract_header_writes(ctx: ModuleContext, facts: FileFacts) -> None:
    HeaderExtractor(ctx, facts).run()
