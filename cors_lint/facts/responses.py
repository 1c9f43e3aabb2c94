"""Which responses a header write ends up on: one response per path.

``headers.py`` first groups writes by the object they are made on (a response
variable, a header dict, ``self`` in a handler class).  That object is not
always one response:

* the methods of a class-based handler (Tornado ``get``/``options``,
  ``http.server`` ``do_GET``/``do_OPTIONS``, Falcon ``on_get``/``on_options``,
  Django and Flask class-based views) all write through ``self``, but each
  method answers its own requests.  ``self`` in each *entry* method is its
  own response;
* shared hooks (``set_default_headers``, ``prepare``, ``dispatch``,
  ``end_headers``, ...) run for every entry method: their writes join each
  of them, in the class and in its subclasses in the module;
* a helper (``self._cors()``, ``add_cors(response)``, ``enable_cors()``
  writing to Bottle's thread-local ``response``) joins the responses of
  the paths that call it, not every response of the module;
* Flask ``after_request`` and Bottle ``after_request`` hooks run for every
  route of the app: they join each route's response.

So the grouping is a directed graph: an owner that is a helper's or a
hook's points at the owners of the paths it runs for, and the responses of
a write are the path owners (*roots*) it reaches.  Each root also knows
whether it is a preflight (an ``OPTIONS`` method or route): a reflection
that reaches only preflights lets every site send requests, not read them.
"""

from __future__ import annotations

import libcst as cst

from .imports import dotted_name
from .index import ModuleIndex, RawGuard, Scope

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "connect"})

# methods the framework runs around every entry method of a handler class
SHARED_HOOKS = frozenset(
    {
        "__init__",
        "initialize",  # Tornado
        "prepare",  # Tornado
        "set_default_headers",  # Tornado
        "clear",  # Tornado: resets headers, then calls set_default_headers
        "finish",  # Tornado
        "dispatch",  # Django class-based views, Flask MethodView, Starlette HTTPEndpoint
        "setup",  # Django class-based views
        "initial",  # Django REST framework APIView
        "finalize_response",  # Django REST framework APIView
        "process_request",
        "process_response",
        "end_headers",  # http.server
        "send_response",  # http.server
    }
)

# decorators that register a module-level function to run for every route
MODULE_HOOKS = frozenset({"after_request", "after_app_request", "before_request", "before_app_request"})
ROUTE_DECORATORS = frozenset({"route", "api_route", "get", "post", "put", "patch", "delete", "head", "options", "websocket_route"})


def method_verb(name: str) -> str | None:
    """The HTTP method a handler class method answers, or None.

    ``get`` (Tornado, Django, MethodView, aiohttp View, Starlette
    HTTPEndpoint, Sanic HTTPMethodView), ``do_GET`` (http.server),
    ``on_get`` / ``on_get_item`` (Falcon, with a route suffix)."""
    if name in HTTP_VERBS:
        return name
    if name.startswith("do_") and name[3:].isupper() and name[3:].lower() in HTTP_VERBS:
        return name[3:].lower()
    if name.startswith("on_"):
        verb = name[3:].split("_", 1)[0]
        if verb in HTTP_VERBS:
            return verb
    return None


def _last_name(expr: cst.BaseExpression) -> str:
    while isinstance(expr, cst.Call):
        expr = expr.func
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    if isinstance(expr, cst.Name):
        return expr.value
    return ""


def _strings(expr: cst.BaseExpression) -> list[str] | None:
    """``"OPTIONS"`` or a list/tuple/set of string literals, else None."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return [value] if isinstance(value, str) else None
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        out = []
        for el in expr.elements:
            inner = _strings(el.value)
            if inner is None:
                return None
            out += inner
        return out
    return None


def route_methods(decorator: cst.BaseExpression) -> list[str] | None:
    """The HTTP methods a route decorator registers its function for:
    ``@app.options(...)`` -> OPTIONS, ``@app.route(..., methods=[...])``
    (Flask, Quart, Sanic, Starlette, FastAPI ``api_route``), Bottle's
    ``method=``, Django's ``@require_http_methods([...])``.  None when the
    decorator is not a route or its methods are not literal."""
    name = _last_name(decorator)
    if name == "require_http_methods" and isinstance(decorator, cst.Call) and decorator.args:
        found = _strings(decorator.args[0].value)
        return [m.upper() for m in found] if found else None
    if name not in ROUTE_DECORATORS:
        return None
    if name not in ("route", "api_route", "websocket_route"):
        return [name.upper()]
    if isinstance(decorator, cst.Call):
        for arg in decorator.args:
            if arg.keyword is not None and arg.keyword.value in ("methods", "method"):
                found = _strings(arg.value)
                return [m.upper() for m in found] if found else None
    return ["GET"]


def is_route(scope: Scope) -> bool:
    return any(route_methods(d.decorator) is not None for d in getattr(scope.node, "decorators", ()))


def is_preflight_function(scope: Scope) -> bool:
    """A function or method that only ever answers ``OPTIONS``."""
    if scope.kind != "function":
        return False
    if scope.in_class and method_verb(scope.name) == "options":
        return True
    methods = [route_methods(d.decorator) for d in getattr(scope.node, "decorators", ())]
    methods = [m for m in methods if m is not None]
    return bool(methods) and all(set(m) == {"OPTIONS"} for m in methods)


def _receiver(decorator: cst.BaseExpression) -> str:
    """``app`` of ``@app.route(...)``/``@app.after_request``; "" for a bare
    ``@route``/``@hook`` (Bottle's default app)."""
    func = decorator.func if isinstance(decorator, cst.Call) else decorator
    if isinstance(func, cst.Attribute):
        return dotted_name(func.value) or "?"
    return ""


def module_hook(scope: Scope, after: bool = False) -> str | None:
    """The app a module-level hook is registered on (see ``_receiver``;
    "*" for every app), or None: ``@app.after_request`` (Flask, Quart),
    ``@bp.after_app_request``, ``@hook("after_request")`` /
    ``@app.hook("after_request")`` (Bottle).  ``after``: only hooks that
    run once the route has answered."""
    hooks = {h for h in MODULE_HOOKS if h.startswith("after")} if after else MODULE_HOOKS
    for dec in getattr(scope.node, "decorators", ()):
        d = dec.decorator
        name = _last_name(d)
        if name == "hook" and isinstance(d, cst.Call) and d.args:
            found = _strings(d.args[0].value)
            name = found[0] if found else ""
        if name in hooks:
            return "*" if name.endswith("_app_request") else _receiver(d)
    return None


#: Attributes of the request that hold the URL path a hook may test.
PATH_ATTRIBUTES = ("path", "path_info", "full_path", "fullpath")


def route_templates(scope: Scope) -> list[str]:
    """The URL templates of a route function's own decorators
    (``@app.get("/public/summary")``)."""
    from .sources import route_template

    return [t for t in (route_template(d.decorator) for d in getattr(scope.node, "decorators", ())) if t is not None]


def path_test(test: cst.BaseExpression, polarity: bool, template: str) -> bool | None:
    """Does a condition on the request path hold for requests to a route
    declared with ``template``?  ``request.path.startswith("/api/")``,
    ``request.path == "/health"`` (and their negations through
    ``polarity``); None when it is not such a test or the answer depends
    on the path parameters."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return path_test(test.expression, not polarity, template)
    if isinstance(test, cst.BooleanOperation):
        # "if not origin or not request.path.startswith('/api/'): return"
        # leaves "origin and request.path.startswith('/api/')" for the code
        # after it: a conjunction fails when one side fails, a disjunction
        # holds when one side holds (De Morgan through ``polarity``)
        both = isinstance(test.operator, cst.And) == polarity
        sides = [path_test(side, polarity, template) for side in (test.left, test.right)]
        decisive = False if both else True
        if decisive in sides:
            return decisive
        return (not decisive) if all(a is (not decisive) for a in sides) else None
    if isinstance(test, cst.NamedExpr):
        return path_test(test.value, polarity, template)
    static = template
    for mark in ("<", "{"):
        if mark in static:
            static = static[: static.index(mark)]
    complete = static == template
    verdict = None
    if isinstance(test, cst.Call) and isinstance(test.func, cst.Attribute) and test.func.attr.value == "startswith" and test.args:
        if _last_name(test.func.value) not in PATH_ATTRIBUTES:
            return None
        prefixes = _strings(test.args[0].value)
        if not prefixes:
            return None
        answers = []
        for prefix in prefixes:
            if static.startswith(prefix):
                answers.append(True)
            elif complete or not prefix.startswith(static):
                answers.append(False)
            else:
                answers.append(None)
        verdict = True if True in answers else (False if all(a is False for a in answers) else None)
    elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and _last_name(test.left) in PATH_ATTRIBUTES and complete:
        target = test.comparisons[0]
        wanted = _strings(target.comparator)
        if wanted is None:
            return None
        if isinstance(target.operator, (cst.Equal, cst.In)):
            verdict = template in wanted
        elif isinstance(target.operator, (cst.NotEqual, cst.NotIn)):
            verdict = template not in wanted
    if verdict is None:
        return None
    return verdict if polarity else not verdict


def route_receivers(scope: Scope) -> set[str]:
    return {_receiver(d.decorator) for d in getattr(scope.node, "decorators", ()) if route_methods(d.decorator) is not None}


def _method_expr(expr: cst.BaseExpression) -> bool:
    """``request.method``, ``self.command`` (http.server), ``method``,
    ``environ["REQUEST_METHOD"]``, ``scope["method"]``, ``.upper()`` of one."""
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("upper", "lower", "strip"):
        expr = expr.func.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value in ("method", "command", "request_method")
    if isinstance(expr, cst.Name):
        return expr.value in ("method", "request_method", "http_method")
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        key = _strings(expr.slice[0].slice.value)
        return bool(key) and key[0] in ("REQUEST_METHOD", "method", "httpMethod")
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "get" and expr.args:
        key = _strings(expr.args[0].value)
        return bool(key) and key[0] in ("REQUEST_METHOD", "method", "httpMethod")
    return False


def _only_options(test: cst.BaseExpression, polarity: bool) -> bool:
    """Does this condition, taken with ``polarity``, hold only for OPTIONS
    requests?  ``request.method == "OPTIONS"`` (True),
    ``request.method != "OPTIONS"`` (False), ``in ("OPTIONS",)``."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _only_options(test.expression, not polarity)
    if isinstance(test, cst.BooleanOperation):
        if isinstance(test.operator, cst.And) and polarity:
            return _only_options(test.left, True) or _only_options(test.right, True)
        if isinstance(test.operator, cst.Or) and not polarity:
            return _only_options(test.left, False) or _only_options(test.right, False)
        return False
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    left, right = test.left, comp.comparator
    if not _method_expr(left):
        left, right = right, left
        if not _method_expr(left):
            return False
    values = _strings(right)
    if not values:
        return False
    upper = {v.upper() for v in values}
    op = comp.operator
    if isinstance(op, (cst.Equal, cst.Is, cst.In)):
        return polarity and upper == {"OPTIONS"}
    if isinstance(op, (cst.NotEqual, cst.IsNot, cst.NotIn)):
        return not polarity and upper == {"OPTIONS"}
    return False


def on_options_path(guards: tuple[RawGuard, ...]) -> bool:
    """The code with these guards only runs for OPTIONS requests."""
    return any(_only_options(g.test, g.polarity) for g in guards)


class HandlerClasses:
    """Entry methods, hooks and helper calls of the classes of one module."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self.subclasses: dict[str, list[str]] = {}
        for info in index.classes.values():
            for base in info.bases:
                name = _last_name(base)
                if name in index.classes and name != info.name:
                    self.subclasses.setdefault(name, []).append(info.name)
        self._entries: dict[str, list[tuple[str, str]]] = {}

    def family(self, cls: str) -> list[str]:
        """The class and its subclasses defined in this module."""
        out, todo = [], [cls]
        while todo:
            c = todo.pop()
            if c in out:
                continue
            out.append(c)
            todo += self.subclasses.get(c, [])
        return out

    def entries(self, cls: str) -> list[tuple[str, str]]:
        """(class, method) of every entry method the class's code runs for:
        its verb methods and those of its subclasses in this module."""
        if cls not in self._entries:
            out = []
            for c in self.family(cls):
                info = self.index.classes.get(c)
                if info is None:
                    continue
                out += [(c, m) for m in info.methods if method_verb(m)]
            self._entries[cls] = out
        return self._entries[cls]

    def is_handler(self, cls: str | None) -> bool:
        return cls is not None and bool(self.entries(cls))

    def resolve(self, cls: str, method: str) -> str | None:
        """The class (this one or an in-module base) defining ``method``."""
        seen: set[str] = set()
        todo = [cls]
        while todo:
            c = todo.pop(0)
            if c in seen or c not in self.index.classes:
                continue
            seen.add(c)
            info = self.index.classes[c]
            if method in info.methods:
                return c
            todo += [_last_name(b) for b in info.bases]
        return None


class Responses:
    """The owner graph of one module and the responses each owner reaches.

    ``headers.py`` names owners (strings) and unions aliases in its
    union-find; this class adds the directed "runs as part of" edges and,
    once every write is seen, answers ``of(owner)``: the response ids
    (union-find ids of root owners) and whether all of them are
    preflights."""

    def __init__(self, ctx, groups, classes: HandlerClasses) -> None:
        self.ctx = ctx
        self.index: ModuleIndex = ctx.index
        self.groups = groups
        self.classes = classes
        self._edges: list[tuple[str, str]] = []
        self._scope_of: dict[str, Scope] = {}  # owner -> the function it lives in
        self._ambient: dict[str, set[str]] = {}  # function qualname -> proxy names written there
        self._entries: set[str] = set()  # owners that are paths of their own
        self._self_calls: list[tuple[Scope, str]] = []
        self._function_calls: list[tuple[Scope, Scope]] = []
        self._memo: dict[int, tuple[frozenset[int], bool]] = {}
        self._preflight_roots: set[int] = set()
        self._root_ids: set[int] = set()
        self._out: dict[int, set[int]] = {}
        self._after_hooks: set[str] = set()  # owners written after the route ran

    # -- owners ---------------------------------------------------------------
    @staticmethod
    def method_of(scope: Scope) -> Scope | None:
        """The method (defined in a class body) this scope is, or is nested in."""
        while scope is not None and scope.kind == "function":
            if scope.in_class:
                return scope
            scope = scope.parent
        return None

    def method_key(self, cls: str, method: Scope) -> str:
        key = f"class:{cls}@{method.name}"
        self._scope_of.setdefault(key, method)
        return key

    def ambient_key(self, scope: Scope, name: str) -> str:
        self._ambient.setdefault(scope.qualname, set()).add(name)
        key = f"{scope.qualname}:~{name}"
        self._scope_of.setdefault(key, scope)
        return key

    def seen(self, owner: str, scope: Scope) -> None:
        self._scope_of.setdefault(owner, scope)

    def flows_into(self, helper_owner: str, caller_owner: str, helper: Scope) -> None:
        self._scope_of.setdefault(helper_owner, helper)
        self._edges.append((helper_owner, caller_owner))

    def call(self, call: cst.Call, site) -> None:
        func = call.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            self._self_calls.append((site.scope, func.attr.value))
        elif isinstance(func, cst.Name) and func.value in self.index.functions:
            targets = [s for s in self.index.functions[func.value] if not s.in_class and s.parent is not None and s.parent.kind == "module"]
            if targets:
                self._function_calls.append((site.scope, targets[-1]))

    # -- graph ------------------------------------------------------------------
    def _within(self, scope: Scope | None, outer: Scope) -> bool:
        while scope is not None:
            if scope is outer:
                return True
            scope = scope.parent
        return False

    def link(self, write_guards: dict[str, list[tuple[RawGuard, ...]]] | None = None) -> None:
        """Add the edges of handler classes, helpers, decorators and
        module hooks, once every owner has been named.

        ``write_guards``: per function (qualname), the conditions of each
        header write made in it; a module hook none of whose writes can
        happen on a route's path (``if request.path.startswith("/public/")``
        around them, an early return for other paths) does not join that
        route."""
        write_guards = write_guards or {}
        edges = self._edges
        # handler classes: helpers join their callers, hooks every entry
        for scope, name in self._self_calls:
            method = self.method_of(scope)
            cls = scope.class_name
            if method is None or not self.classes.is_handler(cls):
                continue
            owner_cls = self.classes.resolve(cls, name)
            if owner_cls is None or method_verb(name) and name == method.name:
                continue
            target = self.index.classes[owner_cls].methods[name]
            edges.append((self.method_key(owner_cls, target), self.method_key(cls, method)))
        called = {(self.classes.resolve(s.class_name, n) if s.class_name else None, n) for s, n in self._self_calls}
        for info in self.index.classes.values():
            entries = self.classes.entries(info.name)
            if not entries:
                continue
            for name, method in info.methods.items():
                key = self.method_key(info.name, method)
                if method_verb(name):
                    self._entries.add(key)
                elif name in SHARED_HOOKS:
                    for cls, entry in entries:
                        edges.append((key, self.method_key(cls, self.index.classes[cls].methods[entry])))
                elif (info.name, name) not in called:
                    self._entries.add(key)  # run by the framework (write_error, ...): its own path
        # module functions: proxies written by a helper are the caller's
        for caller, target in self._function_calls:
            for name in self._ambient.get(target.qualname, ()):
                edges.append((f"{target.qualname}:~{name}", self.ambient_key(caller, name)))
        functions = [s for scopes in self.index.functions.values() for s in scopes if s.parent is not None and s.parent.kind == "module"]
        routes = [s for s in functions if is_route(s)]
        for fn in functions:
            # a decorator of this module wraps the functions it decorates
            for dec in getattr(fn.node, "decorators", ()):
                d = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
                if not isinstance(d, cst.Name):
                    continue
                wrappers = [s for s in functions if s.name == d.value]
                if not wrappers:
                    continue
                for qual, names in list(self._ambient.items()):
                    wrapper_scope = self._scope_of.get(f"{qual}:~{next(iter(names))}")
                    if wrapper_scope is not None and self._within(wrapper_scope, wrappers[-1]):
                        for name in names:
                            edges.append((f"{qual}:~{name}", self.ambient_key(fn, name)))
        hooks = [(s, module_hook(s)) for s in functions]
        hooks = [(s, app) for s, app in hooks if app is not None]
        if hooks and routes:
            targets: dict[str, list[str]] = {}
            for route in routes:
                key = f"route:{route.qualname}"
                self._scope_of.setdefault(key, route)
                self._entries.add(key)
                mine = [key] + [o for o, s in self._scope_of.items() if o != key and self._within(s, route)]
                for app in route_receivers(route) | {"*"}:
                    targets.setdefault(app, []).extend(mine)
            for hook, app in hooks:
                params = set(hook.param_names())
                after = module_hook(hook, after=True) is not None
                excluded = self._routes_out_of_reach(hook, routes, write_guards.get(hook.qualname, []))
                reach = [t for t in targets.get(app, ()) if not any(self._within(self._scope_of.get(t), r) for r in excluded)]
                for owner, scope in list(self._scope_of.items()):
                    if not self._within(scope, hook):
                        continue
                    tail = owner.rsplit(":", 1)[-1]
                    if tail.startswith("~") or (scope is hook and tail in params):
                        edges += [(owner, t) for t in reach]
                        if after:
                            self._after_hooks.add(owner)
        # union-find ids
        out = self._out
        for a, b in edges:
            ga, gb = self.groups.id(a), self.groups.id(b)
            if ga != gb:
                out.setdefault(ga, set()).add(gb)
        self._root_ids = {self.groups.id(k) for k in self._entries}
        members: dict[int, list[str]] = {}
        for owner in self._scope_of:
            members.setdefault(self.groups.id(owner), []).append(owner)
        for gid, owners in members.items():
            scopes = [self._scope_of[o] for o in owners]
            if scopes and all(self._preflight_scope(s) for s in scopes):
                self._preflight_roots.add(gid)

    @staticmethod
    def _routes_out_of_reach(hook: Scope, routes: list[Scope], guards: list[tuple[RawGuard, ...]]) -> list[Scope]:
        """Routes on whose paths none of the hook's header writes can
        happen: each write sits under a test of the request path that the
        route's declared template fails."""
        if not guards:
            return []
        out = []
        for route in routes:
            templates = route_templates(route)
            if not templates:
                continue
            if all(any(path_test(g.test, g.polarity, t) is False for g in write) for write in guards for t in templates):
                out.append(route)
        return out

    def replaced_by(self, writes) -> dict[int, frozenset[tuple[int, frozenset]]]:
        """For each write an after-request hook replaces: the hook's group,
        with the conditions under which the hook rewrites the header.

        Flask's ``response.headers[k] = v`` in an ``after_request`` hook runs
        after the view, so a view's own value for ``k`` never leaves the
        server on a path where the hook sets ``k`` too.  A hook write made
        under conditions that include the replacing write's conditions
        (unconditional, or inside the same ``if``) therefore never meets the
        view's value: the view's ``*`` and credentials the hook adds only
        together with its own origin never combine.  The write itself stays
        a fact: the hook may be dropped tomorrow.

        ``writes`` holds ``(name, owner, conditions, replaces)`` per write;
        ``conditions`` are the path atoms of ``facts.conditions``."""
        final: dict[str, dict[int, set]] = {}
        for name, owner, conditions, replaces in writes:
            if owner in self._after_hooks and replaces:
                final.setdefault(name, {}).setdefault(self.groups.id(owner), set()).add((conditions, self.of(owner)[0]))
        out: dict[int, frozenset[tuple[int, frozenset]]] = {}
        if not final:
            return out
        for i, (name, owner, _, _) in enumerate(writes):
            if owner in self._after_hooks or name not in final:
                continue
            responses = self.of(owner)[0]
            replacers = frozenset(
                (g, conditions)
                for g, entries in final[name].items()
                for conditions, reached in entries
                if responses <= reached
            )
            if replacers:
                out[i] = replacers
        return out

    def _preflight_scope(self, scope: Scope | None) -> bool:
        while scope is not None and scope.kind == "function":
            if is_preflight_function(scope):
                return True
            scope = scope.parent
        return False

    def of(self, owner: str) -> tuple[frozenset[int], bool]:
        """The responses an owner's writes end up on, and whether every
        one of them is a preflight."""
        start = self.groups.id(owner)
        if start in self._memo:
            return self._memo[start]
        found: set[int] = set()
        seen = {start}
        todo = [start]
        while todo:
            g = todo.pop()
            nexts = self._out.get(g)
            if not nexts or g in self._root_ids:
                found.add(g)
            for n in nexts or ():
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        if not found:
            found = {start}
        result = (frozenset(found), all(g in self._preflight_roots for g in found))
        self._memo[start] = result
        return result
