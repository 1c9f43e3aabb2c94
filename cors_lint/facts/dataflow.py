"""Where values come from: names, assignments and calls.

The ``DataFlow`` half of the evaluator follows a name to the assignments
that reach it (with the conditions under which each survives), a parameter
to the arguments the module's own call sites pass, and a call to the returns
of a helper function of this module, or (standalone mode) of another project
module.  Recursion and work are bounded by the evaluator's budget.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..findings import Confidence
from . import headers_vocab as vocab
from . import sources
from .conditions import ORIGIN_ABSENT, atoms_of_guards
from .index import Assignment, RawGuard, Scope, Site
from .imports import split_qualified
from .model import UNKNOWN, OriginFlow, Value
from .value_ops import const, either, flow_of, with_conditions, with_guards

MAX_DEPTH = 40


class DataFlow:
    """Mixin of ``Evaluator``: needs ``ctx``, ``index``, ``eval``, ``guard``
    and ``_active``."""

    def _name(self, node: cst.Name, scope: Scope, order: int, depth: int, bindings: dict) -> Value:
        name = node.value
        if name in bindings:
            return bindings[name]
        current: Scope | None = scope
        while current is not None:
            if current.kind == "class" and current is not scope:
                current = current.parent
                continue
            defs = current.assignments.get(name)
            if defs:
                at = order if current is scope else 10**9
                if current is scope:
                    defs = [d for d in defs if not self._other_branch(d, node)]
                value = self._reaching(defs, current, at, depth, use=node if current is scope else None, bindings=bindings)
                if value is not None:
                    return value
            current = current.parent
        header = vocab.header_constant(node, self.ctx)
        if header is not None:
            return const(header, node, self.ctx)
        stars = self.index.imports.star_imports
        project = self.ctx.project
        if stars and project is not None and hasattr(project, "star_imported_constant"):
            # "from .base import *" then "BASE + [...]" (settings packages)
            value = project.star_imported_constant(self.ctx.path, stars, name)
            if value is not None:
                return value
        return UNKNOWN

    def _reaching(self, defs: list[Assignment], scope: Scope, at: int, depth: int, use=None, bindings=None) -> Value | None:
        before = [d for d in defs if d.order < at]
        if not before:
            return None
        chosen: list[Assignment] = []
        for d in reversed(before):
            chosen.append(d)
            if not d.guards and not self._in_handler(d):
                break  # unconditional in its function: earlier ones are dead
        values = []
        for d in chosen:
            v = self._assignment_value(d, scope, depth, use, bindings)
            # a later overwrite under one more condition means this value
            # survives only where that condition fails:
            # "if origin not in ALLOWED: origin = DEFAULT"
            overwrites = [
                later
                for later in before
                if later.order > d.order and len(later.guards) == len(d.guards) + 1 and later.guards[:-1] == d.guards
            ]
            survival = [RawGuard(o.guards[-1].test, not o.guards[-1].polarity, o.guards[-1].order) for o in overwrites]
            if len(chosen) > 1 or survival:
                atoms = atoms_of_guards(list(d.guards) + survival, self.ctx.text)
                v = with_conditions(v, atoms)
            f = flow_of(v)
            if f is not None:
                extra = list(d.guards)
                for o, raw in zip(overwrites, survival):
                    if flow_of(self._assignment_value(o, scope, depth)) is None:
                        extra.append(raw)  # sanitised: only checked values survive
                guards = []
                for raw in extra:
                    g = self.guard(raw, scope, raw.order, depth)
                    if g is not None:
                        guards.append(g)
                if guards:
                    v = with_guards(v, tuple(guards))
            values.append(v)
        return either(*values) if values else None

    def _loop_header_name(self, d: Assignment, use, scope: Scope, depth: int, bindings: dict) -> str | None:
        """The header a loop's value variable holds at ``use``: the name its
        key variable was compared with on the way there (``for key, value
        in scope["headers"]: if key.lower() == name: return value``, with
        ``name`` bound by the caller).  None when no such test is seen."""
        if use is None:
            return None
        loop = next((a for a in self.index.ancestors(d.node) if isinstance(a, cst.For)), None)
        if loop is None or not isinstance(loop.target, (cst.Tuple, cst.List)) or not loop.target.elements:
            return None
        key = getattr(loop.target.elements[0].value, "value", None)
        child = use
        for anc in self.index.ancestors(use):
            if anc is loop or isinstance(anc, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                return None
            if isinstance(anc, cst.If) and child is anc.body:
                named = self._compared_name(anc.test, key, scope, depth, bindings)
                if named is not None:
                    return named
            child = anc
        return None

    def _compared_name(self, test: cst.BaseExpression, key: str, scope: Scope, depth: int, bindings: dict) -> str | None:
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
            return None
        left, right = test.left, test.comparisons[0].comparator
        for mine, other in ((left, right), (right, left)):
            if _is_key(mine, key):
                value = self.eval(other, scope, 10**9, depth + 1, bindings).str_value()
                return value.lower() if value else None
        return None

    def _other_branch(self, d: Assignment, use: cst.CSTNode) -> bool:
        """Is ``d`` in one branch of an ``if`` and ``use`` in another (``if
        legacy: origin = ... elif public: origin = ...; use(origin)``)?  Then
        ``d`` never reaches ``use``, unless a loop around the ``if`` brings
        it round again."""
        if d.node is None or d.kind not in ("assign", "unpack", "aug", "walrus"):
            return False
        mine = {id(a): (a, child) for a, child in self._branch_path(d.node)}
        if not mine:
            return False
        for anc, child in self._branch_path(use):
            found = mine.get(id(anc))
            if found is None:
                continue
            other_child = found[1]
            if child is other_child:
                return False  # the same branch: look no further out
            branches = (anc.body, anc.orelse)
            if child in branches and other_child in branches:
                return not any(isinstance(a, (cst.For, cst.While)) for a in self._enclosing(anc))
            return False
        return False

    def _branch_path(self, node: cst.CSTNode):
        """(``if`` statement, its child on the way to ``node``) for each
        ``if`` around ``node`` inside its function."""
        child = node
        out = []
        for anc in self.index.ancestors(node):
            if isinstance(anc, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                break
            if isinstance(anc, cst.If):
                out.append((anc, child))
            child = anc
        return out

    def _enclosing(self, node: cst.CSTNode):
        for anc in self.index.ancestors(node):
            if isinstance(anc, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                return
            yield anc

    def _in_handler(self, d: Assignment) -> bool:
        """Is ``d`` inside an ``except`` block?  Then it replaces what the
        ``try`` body assigned only when that raised: both values reach the
        code after the ``try`` statement."""
        if d.node is None or d.kind not in ("assign", "unpack", "aug", "walrus"):
            return False
        for node in self.index.ancestors(d.node):
            if isinstance(node, cst.ExceptHandler):
                return True
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Module)):
                return False
        return False

    def _stored(self, node: cst.BaseExpression, scope: Scope) -> Value | None:
        """A value read back from a request-scoped object: ``g.origin``,
        ``request.state.origin``, ``request.ctx.origin``, an attribute a
        middleware set on the request, ``request["origin"]`` (aiohttp),
        ``self.origin`` in a class-based handler.  Every store of the same
        place in this module is a value it may hold (with the conditions
        around the store); None when nothing stores it."""
        key = sources.stored_key(node)
        if key is None:
            return None
        values = self.stored_values(key, scope, node)
        if not key.startswith("self.") and self.ctx.project is not None:
            # a middleware or hook of another module of the package stores it
            for other in self.ctx.project.request_store_modules(self.ctx.path, key):
                for v in other.evaluator.stored_values(key, None, None):
                    values.append(foreign_positions(v, other, self.ctx.span(node)))
        if not values or all(v.kind == "unknown" for v in values):
            return None
        return either(*values)

    def stored_values(self, key: str, scope: Scope | None, read: cst.BaseExpression | None) -> list[Value]:
        """The values this module stores at ``key`` (``sources.stored_key``),
        each with the conditions around its store; ``read`` (in ``scope``)
        is the read being resolved, which is not a store of itself."""
        values = []
        for site, value_node in self._stores().get(key, ()):
            if key.startswith("self.") and scope is not None and site.scope.class_name != scope.class_name:
                continue
            if read is not None and (site.node is self.index.parent(read) or value_node is read):
                continue
            v = self.eval(value_node, site.scope, site.order, MAX_DEPTH - 12)
            f = flow_of(v)
            if f is not None and site.guards:
                guards = tuple(g for g in (self.guard(r, site.scope, site.order, MAX_DEPTH - 12) for r in site.guards) if g is not None)
                v = with_guards(v, guards)
            values.append(v)
        return values

    def _stores(self) -> dict[str, list[tuple[Site, cst.BaseExpression]]]:
        """Stores into request-scoped places, by ``sources.stored_key``
        (built once per module)."""
        cached = getattr(self, "_stores_cache", None)
        if cached is not None:
            return cached
        out: dict[str, list[tuple[Site, cst.BaseExpression]]] = {}
        for site in self.index.attribute_assigns + self.index.subscript_assigns:
            node = site.node
            if isinstance(node, cst.Assign):
                targets = [t.target for t in node.targets]
            elif isinstance(node, cst.AnnAssign):
                targets = [node.target]
            else:
                continue
            for target in targets:
                key = sources.stored_key(target)
                if key is not None:
                    out.setdefault(key, []).append((site, node.value))
        self._stores_cache = out
        return out

    def _assignment_value(self, d: Assignment, scope: Scope, depth: int, use=None, bindings=None) -> Value:
        if d.kind == "param":
            return self._param(d, scope, depth)
        if d.value is None or d.kind in ("import", "def", "other"):
            if d.kind == "import":
                return self._imported(d)
            return UNKNOWN
        if d.kind == "for":
            return UNKNOWN  # a loop variable drawn from a collection
        if d.kind == "for-item":
            # "for key, value in scope['headers']": the value of some request
            # header, which the client (any site) chooses
            if d.position == 1 and sources.iterates_request_headers(d.value):
                named = self._loop_header_name(d, use, scope, depth, bindings or {})
                if named is not None:
                    # "if key.lower() == b'host': return value": that header
                    # (the Host is no source: the browser sends the target's own)
                    which = sources.request_value_key("header", named)
                    if which is None:
                        return UNKNOWN
                    desc = f"the {named!r} header from {self.ctx.text(d.value)}"
                    if which in ("origin", "referer"):
                        return self._origin(use, which, desc)
                    return Value("origin", flow=OriginFlow(desc, self.ctx.span(use), header=which))
                return Value("origin", flow=OriginFlow(f"a request header value from {self.ctx.text(d.value)}", self.ctx.span(d.node), confidence=Confidence.MEDIUM))
            return UNKNOWN
        if d.kind == "unpack":
            whole = self.eval(d.value, scope, d.order, depth + 1)
            picked = [
                alt.items[d.position]
                for alt in (whole.items if whole.kind == "either" else (whole,))
                if alt.kind == "seq" and d.position < len(alt.items)
            ]
            return either(*picked) if picked else UNKNOWN
        if d.kind == "aug":
            prev = [x for x in scope.assignments.get(d.name, []) if x.order < d.order]
            base = self._reaching(prev, scope, d.order, depth + 1) if prev else None
            inc = self.eval(d.value, scope, d.order, depth + 1)
            if base is not None and base.kind == "seq" and inc.kind == "seq":
                return Value("seq", items=base.items + inc.items)
            if base is not None and base.kind == "either" and inc.kind == "seq" and len(base.items) <= 16 and all(b.kind == "seq" for b in base.items):
                # a list extended under "if DEBUG:" earlier: each version grows
                return either(*(replace(b, items=b.items + inc.items) for b in base.items))
            if base is not None and base.is_str and inc.is_str and type(base.const) is type(inc.const):
                return replace(base, const=base.const + inc.const)
            return UNKNOWN
        return self.eval(d.value, scope, d.order, depth + 1)

    def _imported(self, d: Assignment) -> Value:
        node = d.node
        if self.ctx.project is None or not isinstance(node, cst.ImportFrom):
            return UNKNOWN
        resolver = getattr(self.ctx.project, "resolve_constant", None)
        if resolver is None:
            return UNKNOWN
        for q in self.index.imports.qualify(cst.Name(d.name)):
            v = resolver(q, self.ctx.path)
            if v is not None:
                return v
        return UNKNOWN

    def _project_constant(self, node: cst.Attribute) -> Value | None:
        resolver = getattr(self.ctx.project, "resolve_constant", None)
        if resolver is None:
            return None
        for q in self.ctx.qualify(node):
            v = resolver(q, self.ctx.path)
            if v is not None:
                return v
        return None

    def _param(self, d: Assignment, scope: Scope, depth: int) -> Value:
        """What a parameter holds: an origin or request value by its
        declaration, else what the module's call sites pass (computed once
        per parameter: it depends on neither order nor bindings)."""
        cache = self.__dict__.setdefault("_param_cache", {})
        key = id(d.node)
        if key in cache:
            return cache[key]
        cuts = self.cuts
        value = self._param_value(d, scope, depth)
        if depth < MAX_DEPTH // 2 or self.cuts == cuts:
            cache[key] = value
        return value

    def _param_value(self, d: Assignment, scope: Scope, depth: int) -> Value:
        param = d.node
        name = d.name
        src = sources.origin_parameter(param, scope)
        if src is not None:
            return self._origin(param.name, src.header, src.desc)
        if scope.kind != "function":
            return UNKNOWN
        dependency = sources.dependency_of(param)
        if dependency is not None:
            return self._injected(dependency, param, depth)
        filled = sources.request_parameter(param, scope, self.ctx)
        if filled is not None:  # origin: str = Query(None), @app.route("/x/<origin>")
            return self._request_value(param.name, *filled)
        if sources.body_model_parameter(param, scope, self.index.classes):
            return Value("container", const="json")  # body: EmbedRegistration -> body.site_origin
        if param is getattr(scope.node.params, "star_kwarg", None) and self._wraps_routed_views(scope):
            # the **kwargs of a decorator's wrapper: the wrapped views' URL
            # parameters (kwargs.get("origin"))
            return Value("container", const="path")
        # the values the module's own call sites pass in
        index = scope.param_names().index(name) if name in scope.param_names() else None
        is_method = scope.is_method
        values = []
        omitted = False
        for site in self._call_sites(scope):
            call: cst.Call = site.node
            pos = index - 1 if (is_method and index is not None and isinstance(call.func, cst.Attribute)) else index
            if pos is not None and pos < 0:
                continue  # "self" itself
            arg = self.ctx.arg(call, pos, name)
            if arg is None:
                omitted = omitted or not any(a.star for a in call.args)
                continue
            v = self.eval(arg.value, site.scope, site.order, depth + 1)
            f = flow_of(v)
            if f is not None:
                guards = tuple(g for g in (self.guard(r, site.scope, site.order, depth) for r in site.guards) if g is not None)
                v = with_guards(v, guards)
                v = Value("origin", flow=replace(flow_of(v), confidence=Confidence.MEDIUM))
            values.append(v)
        if isinstance(param, cst.Param) and param.default is not None and (omitted or not values):
            # a call that leaves the parameter out gets its default (also
            # the calls made from elsewhere: a constructor's keyword
            # ``allowed=BRANCH_SITES``, a plugin installed with no arguments),
            # evaluated where the function is defined
            default = self.eval(param.default, scope.parent or self.index.module_scope, self._def_order(scope), depth + 1)
            if default.kind != "unknown" and not (default.kind == "const" and default.const is None) and not default.depends_on_origin:
                # judged like an os.getenv default: callers elsewhere may
                # pass something else (lower confidence)
                shown = self.ctx.text(param.default, 40)
                values.append(replace(_marked_default(default), text=f"{name} (parameter default {shown})"))
        if not values:
            return UNKNOWN
        return either(*values)

    def _def_order(self, scope: Scope) -> int:
        """Where a function is defined in its enclosing scope (its defaults
        are evaluated there, then)."""
        parent = scope.parent
        for d in (parent.assignments.get(scope.name, []) if parent is not None else []):
            if d.kind == "def" and d.node is scope.node:
                return d.order
        return 10**9

    def _injected(self, dependency: cst.BaseExpression, param: cst.Param, depth: int) -> Value:
        """What a dependency function returns (``Depends(verified_origin)``):
        one of this module, or of another project module; its own
        parameters are filled by their declarations (``Header()``...)."""
        if depth > MAX_DEPTH - 5:
            self.cuts += 1
            return UNKNOWN
        if isinstance(dependency, cst.Name):
            local = [s for s in self.index.functions.get(dependency.value, []) if s.parent is self.index.module_scope]
            if local:
                return self.returns_of(local[-1], {}, depth + 1)
        found = project_function(self.ctx, dependency)
        if found is None:
            return UNKNOWN
        other, target = found
        return foreign_positions(other.evaluator.returns_of(target, {}, depth + 1), other, self.ctx.span(param))

    def _wraps_routed_views(self, wrapper: Scope) -> bool:
        """Is ``wrapper`` the inner function of a decorator of this module
        (``def with_cors(view): def wrapper(*a, **kw)``, or one level deeper
        for a decorator factory) that decorates a route with path
        parameters?"""
        outer = wrapper.parent
        names = set()
        while outer is not None and outer.kind == "function" and len(names) < 2:
            names.add(outer.name)
            outer = outer.parent
        if not names:
            return False
        for scopes in self.index.functions.values():
            for view in scopes:
                decorators = [d.decorator for d in getattr(view.node, "decorators", ())]
                used = any((d.value if isinstance(d, cst.Name) else getattr(getattr(d, "func", None), "value", None)) in names for d in decorators)
                if used and sources.has_path_parameters(decorators):
                    return True
        return False

    def _call_sites(self, scope: Scope) -> list[Site]:
        cache = self.__dict__.setdefault("_call_sites_cache", {})
        key = id(scope.node)
        if key not in cache:
            cache[key] = self._find_call_sites(scope)
        return cache[key]

    def _find_call_sites(self, scope: Scope) -> list[Site]:
        """The calls that may reach ``scope`` (``name(...)`` for a function,
        ``x.name(...)`` for a method), the first 50 in module order."""
        by_callee = self.__dict__.get("_calls_by_callee")
        if by_callee is None:
            # one pass over the module's calls, shared by every function
            by_callee = self._calls_by_callee = {}
            for site in self.index.calls:
                func = site.node.func
                if isinstance(func, cst.Name):
                    by_callee.setdefault((False, func.value), []).append(site)
                elif isinstance(func, cst.Attribute):
                    by_callee.setdefault((True, func.attr.value), []).append(site)
        return by_callee.get((bool(scope.in_class), scope.name), [])[:50]

    def _local_function(self, func: cst.BaseExpression, scope: Scope) -> Scope | None:
        if isinstance(func, cst.Name):
            candidates = [s for s in self.index.functions.get(func.value, []) if not s.in_class]
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
            candidates = [s for s in self.index.functions.get(func.attr.value, []) if s.in_class and s.class_name == scope.class_name]
            if not candidates:
                candidates = [s for s in self.index.functions.get(func.attr.value, []) if s.in_class]
        else:
            return None
        return candidates[-1] if candidates else None

    def bind_arguments(self, call: cst.Call, target: Scope, scope: Scope, order: int, depth: int, bindings: dict) -> dict[str, Value]:
        """The values this call passes to ``target``'s parameters."""
        names = target.call_param_names()
        out: dict[str, Value] = {}
        for i, pname in enumerate(names):
            arg = self.ctx.arg(call, i, pname)
            if arg is not None:
                out[pname] = self.eval(arg.value, scope, order, depth + 1, bindings)
        return out

    def _call_helper(self, call: cst.Call, target: Scope, scope: Scope, order: int, depth: int, bindings: dict) -> Value:
        if depth > MAX_DEPTH - 5:
            self.cuts += 1
            return UNKNOWN
        return self.returns_of(target, self.bind_arguments(call, target, scope, order, depth, bindings), depth)

    def _project_call(self, call: cst.Call, scope: Scope, order: int, depth: int, bindings: dict) -> Value:
        """A helper imported from another project module (standalone mode):
        evaluated there, with this call's arguments bound.  The checks found
        in the other file keep their place there (``foreign_positions``)."""
        found = project_function(self.ctx, call.func)
        if found is None:
            return UNKNOWN
        if depth > MAX_DEPTH - 5:
            self.cuts += 1
            return UNKNOWN
        other, target = found
        inner = self.bind_arguments(call, target, scope, order, depth, bindings)
        value = other.evaluator.returns_of(target, inner, depth + 1)
        return foreign_positions(value, other, self.ctx.span(call))

    def returns_of(self, target: Scope, inner_bindings: dict[str, Value], depth: int) -> Value:
        """What a function of this module returns, given its arguments."""
        key = (id(target.node), -1)
        if key in self._active:
            return UNKNOWN
        self._active.add(key)
        try:
            values = []
            for ret in target.returns:
                v = self.eval(ret.node.value, target, ret.order, depth + 1, inner_bindings)
                f = flow_of(v)
                if f is not None and ret.guards:
                    guards = tuple(g for g in (self.guard(r, target, ret.order, depth, inner_bindings) for r in ret.guards) if g is not None)
                    v = with_guards(v, guards)
                elif f is None and self.origin_absent(ret.guards, target, depth, inner_bindings):
                    # "if origin: return origin ... return '*'": a fallback for
                    # requests without an Origin, where no browser checks CORS
                    v = with_conditions(v, frozenset({ORIGIN_ABSENT}))
                values.append(v)
            return either(*values) if values else UNKNOWN
        finally:
            self._active.discard(key)

    def origin_absent(self, guards, scope: Scope, depth: int, bindings: dict) -> bool:
        """Does one of these conditions say there is no Origin (``not origin``
        after ``if origin: return``, ``origin is None``)?"""
        for raw in guards:
            test, holds = raw.test, raw.polarity
            while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
                test, holds = test.expression, not holds
            if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator, (cst.Is, cst.IsNot)):
                target = test.comparisons[0].comparator
                if not (isinstance(target, cst.Name) and target.value == "None"):
                    continue
                is_none = isinstance(test.comparisons[0].operator, cst.Is) == holds
                subject = test.left
            else:
                is_none, subject = not holds, test  # falsy
            if is_none and flow_of(self.eval(subject, scope, raw.order, depth + 1, bindings)) is not None:
                return True
        return False

    # -- guards -------------------------------------------------------------------


def _is_key(node: cst.BaseExpression, key: str) -> bool:
    """``key``, ``key.lower()``, ``key.decode("latin-1").lower()``..."""
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("lower", "casefold", "decode", "strip"):
        node = node.func.value
    return isinstance(node, cst.Name) and node.value == key


def project_function(ctx, func: cst.BaseExpression, worth_loading=None):
    """(context, scope) of a module-level function imported from another
    project file, in standalone mode; else None.  ``worth_loading(project,
    path, name)``, when given, may answer False before the module is
    loaded: nothing the caller looks for can be there."""
    project = ctx.project
    if project is None or not hasattr(project, "context"):
        return None
    for qualified in sorted(ctx.qualify(func)):
        module, name = split_qualified(qualified)
        if not module:
            continue
        path = project.module_path(module, ctx.path)
        if path is None:
            continue
        if hasattr(project, "may_define_function") and not project.may_define_function(path, name):
            continue  # no such function there: not worth loading the module
        if worth_loading is not None and not worth_loading(project, path, name):
            continue
        other = project.context(path)
        if other is None or other is ctx:
            continue
        scopes = [s for s in other.index.functions.get(name, []) if s.parent is other.index.module_scope]
        if scopes:
            return other, scopes[-1]
    return None


def _relocated_guard(g, span_of):
    """``g`` with the span of it, its checks and its children mapped by
    ``span_of``."""
    return replace(
        g,
        span=span_of(g.span),
        checks=tuple(replace(c, span=span_of(c.span), pattern_spans=()) for c in g.checks),
        children=tuple(_relocated_guard(c, span_of) for c in g.children),
    )


def _relocated(value: Value, span_of) -> Value:
    """``value`` with the span of every guard and check it carries (also
    inside tuples and dicts a helper returns) mapped by ``span_of``."""

    def guard(g):
        return _relocated_guard(g, span_of)

    def walk(v: Value, depth: int) -> Value:
        if depth > 12:
            return v
        changes = {}
        if v.flow is not None and v.flow.guards:
            changes["flow"] = replace(v.flow, guards=tuple(guard(g) for g in v.flow.guards))
        if v.items:
            changes["items"] = tuple(walk(i, depth + 1) for i in v.items)
        if v.values:
            changes["values"] = tuple(walk(i, depth + 1) for i in v.values)
        return replace(v, **changes) if changes else v

    return walk(value, 0)


def without_positions(value: Value) -> Value:
    """Guards found in another file, with no place to report them."""
    return _relocated(value, lambda span: None)


def _foreign_span_of(other, use):
    """Maps a span of another project file (``other``, a module context) to
    a ``ForeignSpan``: reported there when that file is linted in the same
    run, else at ``use`` (the call in this file) with a note saying where."""
    from pathlib import Path

    from .literals import ForeignSpan

    project = other.project
    shown = getattr(project, "linted", {}).get(str(Path(other.path).resolve())) if project is not None else None

    def span_of(span):
        if span is None or isinstance(span, ForeignSpan):
            return span
        return ForeignSpan(span, str(other.path), shown, use)

    return span_of


def foreign_positions(value: Value, other, use) -> Value:
    """Guards found in another project file (``other``, a module context),
    reported there when that file is linted in the same run, else at
    ``use`` (the call in this file) with a note saying where they are."""
    return _relocated(value, _foreign_span_of(other, use))


def foreign_guard(guard, other, use):
    """A guard summarised from a helper of another project file, its checks
    placed as ``foreign_positions`` places those of returned values."""
    return _relocated_guard(guard, _foreign_span_of(other, use))


def _marked_default(value: Value) -> Value:
    """The value marked as a default that callers may override."""
    return replace(value, from_default=True, items=tuple(_marked_default(i) for i in value.items))
