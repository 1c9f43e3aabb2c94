"""Static evaluation of expressions into abstract ``Value``s.

Resolves literals, ``os.getenv`` defaults, ``split``/``join``/
concatenation, ``re.compile``, and follows the request's Origin through
``or`` defaults, conditional expressions, f-strings and string methods.
Names, parameters and helper calls are followed by the ``DataFlow`` mixin
(``dataflow.py``).  Work is bounded per module; past the budget values are
unknown.
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from . import headers_vocab as vocab
from . import sources
from .conditions import ORIGIN_ABSENT
from .dataflow import MAX_DEPTH, DataFlow, without_positions
from .index import RawGuard, Scope
from .imports import split_qualified
from .model import UNKNOWN, OriginFlow, Value
from .value_ops import alternatives, bitor_parts, const, either, flow_of, literal_string, with_conditions

__all__ = ["Evaluator", "alternatives", "flow_of"]


def _as_default(value: Value) -> Value:
    """The same value, marked as a default that configuration may override."""
    if value.items:
        return replace(value, from_default=True, items=tuple(_as_default(i) for i in value.items))
    return replace(value, from_default=True)

BUDGET = 50_000
#: Dict literals up to this size keep their values (``{"origin": o}``
#: returned by a helper); larger ones (tables, fixtures) only their keys.
DICT_VALUES_LIMIT = 50
#: Methods of a request container that are not keys (Bottle reads keys as
#: attributes: ``request.query.origin``).
CONTAINER_API = {"get", "getlist", "getone", "getall", "getunicode", "items", "keys", "values", "copy", "to_dict", "decode", "dict", "pop", "setdefault", "update"}
STR_METHODS_KEEP = {"strip", "lower", "rstrip", "lstrip", "casefold", "upper", "decode", "encode", "removesuffix", "removeprefix", "replace", "title"}
# these change what the value is (host instead of origin, ...): still the
# caller's text, but checks on it are not checks on the serialized origin
STR_METHODS_RESHAPE = {"removesuffix", "removeprefix", "replace"}
URL_PARTS = {"netloc": "netloc", "hostname": "host", "host": "host", "scheme": "scheme"}


#: "{0.scheme}://{0.netloc}" / "{.scheme}://{.netloc}" / "{u.scheme}://{u.netloc}"
_FORMAT_ORIGIN = re.compile(r"^\{(\w*)\.scheme\}://\{\1\.netloc\}$")


def _rebuilds_origin(texts: list[str], flows: list) -> bool:
    """An f-string made of a parsed URL's scheme, ``://`` and netloc: the
    serialized origin of that URL."""
    return "".join(texts) == "://" and [f.part for f in flows] == ["scheme", "netloc"]


def _container(value: Value) -> str | None:
    """The kind of request container ``value`` is (or one of its
    alternatives is: ``request.get_json() or {}``)."""
    for alt in alternatives(value):
        if alt.kind == "container":
            return alt.const
    return None


def _dict_lookup(value: Value, key: Value) -> Value | None:
    """``{"origin": o, ...}["origin"]``: the value stored under a constant
    key of a dict literal (alternatives looked through)."""
    found = []
    for alt in alternatives(value):
        if alt.kind == "seq" and alt.text == "dict" and alt.values:
            for k, v in zip(alt.items, alt.values):
                if k.kind == "const" and k.const == key.const:
                    found.append(v)
    return either(*found) if found else None


class Evaluator(DataFlow):
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.index = ctx.index
        self.budget = BUDGET
        self.cuts = 0
        self._active: set[tuple[int, int]] = set()
        self._guard_cache: dict[tuple[int, str, int], object] = {}  # unbound guards only
        self._guard_active: set[tuple[int, str, int]] = set()  # bound guards being analysed

    # ------------------------------------------------------------------
    def eval(self, node: cst.BaseExpression, scope: Scope, order: int, depth: int = 0, bindings: dict | None = None) -> Value:
        self.budget -= 1
        if self.budget <= 0 or depth > MAX_DEPTH:
            self.cuts += 1
            return UNKNOWN
        key = (id(node), order)
        if key in self._active:
            return UNKNOWN
        self._active.add(key)
        try:
            value = self._eval(node, scope, order, depth + 1, bindings or {})
        finally:
            self._active.discard(key)
        # Spans and texts are not attached here: positions are computed only
        # for files that produce facts (see ModuleContext.span).
        return value

    def _eval(self, node, scope: Scope, order: int, depth: int, bindings: dict) -> Value:
        ev = lambda n: self.eval(n, scope, order, depth, bindings)  # noqa: E731
        s = literal_string(node)
        if s is not None:
            return const(s, node, self.ctx)
        if isinstance(node, cst.Integer):
            try:
                return const(int(node.evaluated_value), node, self.ctx)
            except Exception:
                return UNKNOWN
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return const({"True": True, "False": False, "None": None}[node.value], node, self.ctx)
            return self._name(node, scope, order, depth, bindings)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            items = []
            for el in node.elements:
                if isinstance(el, cst.StarredElement):
                    inner = ev(el.value)
                    if inner.kind == "seq":
                        items.extend(inner.items)
                    else:
                        items.append(UNKNOWN)  # unknown part; later elements still count
                    continue
                items.append(ev(el.value))
            return Value("seq", items=tuple(items))
        if isinstance(node, cst.Dict):
            keys, values = [], []
            small = len(node.elements) <= DICT_VALUES_LIMIT
            for el in node.elements:
                if isinstance(el, cst.DictElement):
                    keys.append(ev(el.key))
                    values.append(ev(el.value) if small else UNKNOWN)
            return Value("seq", items=tuple(keys), text="dict", values=tuple(values))
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, ev)
        if isinstance(node, cst.BinaryOperation):
            return self._binop(node, ev)
        if isinstance(node, cst.BooleanOperation):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.operator, cst.Or):
                if self._is_env_read(node.left) and right.kind in ("const", "seq"):
                    # os.environ.get("X") or "default": the default unless configured
                    return _as_default(right)
                if flow_of(left) is not None and flow_of(right) is None:
                    right = with_conditions(right, frozenset({ORIGIN_ABSENT}))
                return either(left, right)
            # "a and b" evaluates to b when a holds
            return right
        if isinstance(node, cst.IfExp):
            return self._ifexp(node, scope, order, depth, bindings)
        if isinstance(node, cst.Attribute):
            return self._attribute(node, ev, scope)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, ev, scope)
        if isinstance(node, cst.Call):
            return self._call(node, scope, order, depth, bindings, ev)
        if isinstance(node, cst.Await):
            return ev(node.expression)
        if isinstance(node, cst.NamedExpr):
            return ev(node.value)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return self._comprehension(node, scope, order, depth, bindings)
        if isinstance(node, cst.DictComp):
            return self._dict_comprehension(node, ev)
        return UNKNOWN

    # -- pieces ---------------------------------------------------------------
    def _origin(self, node: cst.CSTNode, header: str, desc: str | None = None, reflected: bool = True, part: str = "origin") -> Value:
        """The request's ``header`` (``origin`` or ``referer``) read at ``node``."""
        source = desc or self.ctx.text(node)
        flow = OriginFlow(source, self.ctx.span(node), reflected=reflected, part=part, header=header)
        return Value("origin", flow=flow, span=self.ctx.span(node), text=self.ctx.text(node))

    def _request_value(self, node: cst.CSTNode, kind: str, key: str | None) -> Value:
        """A value read with ``key`` from a request container of ``kind``:
        the Origin (or Referer) for those headers, another
        request-controlled value otherwise, nothing for keys the requester
        does not choose (``Host``)."""
        which = sources.request_value_key(kind, key)
        if which is None:
            return UNKNOWN
        if which in ("origin", "referer"):
            return self._origin(node, which)
        flow = OriginFlow(self.ctx.text(node), self.ctx.span(node), header=which)
        return Value("origin", flow=flow, span=self.ctx.span(node), text=self.ctx.text(node))

    def _chosen_by(self, table: Value, key: OriginFlow) -> Value:
        """``table[key]`` / ``table.get(key)`` for a key read from the
        request.  Looked up by the Origin, the value varies with it (and is
        judged as such); looked up by another request value (``ORIGINS.get(
        request.args["tenant"])``), it is one of the table's own values."""
        if not sources.is_request_value(key.header):
            return Value("origin", flow=replace(key, reflected=False))
        values = [v for alt in alternatives(table) if alt.text == "dict" for v in alt.values]
        return either(*values) if values else UNKNOWN

    def _dict_comprehension(self, node: cst.DictComp, ev) -> Value:
        """``{k.lower(): v for k, v in event["headers"].items()}``: the
        request's headers under normalised names, still a header
        container."""
        it = node.for_in.iter
        if node.for_in.inner_for_in is None and isinstance(it, cst.Call) and isinstance(it.func, cst.Attribute) and it.func.attr.value == "items":
            kind = _container(ev(it.func.value))
            if kind is None and sources.iterates_request_headers(it):
                kind = "header"
            if kind is not None:
                return Value("container", const=kind)
        return UNKNOWN

    def _fstring(self, node: cst.FormattedString, ev) -> Value:
        parts: list[str] = []
        flows = []
        known = True
        for p in node.parts:
            if isinstance(p, cst.FormattedStringText):
                parts.append(p.value)
            elif isinstance(p, cst.FormattedStringExpression):
                v = ev(p.expression)
                f = flow_of(v)
                if f is not None:
                    flows.append(f)
                elif v.is_str:
                    parts.append(v.str_value() or "")
                    continue
                known = False
        if flows:
            flow = flows[0]
            if _rebuilds_origin(parts, flows):
                flow = replace(flow, part="origin")  # f"{u.scheme}://{u.netloc}"
            return Value("origin", flow=flow, text=self.ctx.text(node))
        if known:
            return const("".join(parts), node, self.ctx)
        return UNKNOWN

    def _binop(self, node: cst.BinaryOperation, ev) -> Value:
        left, right = ev(node.left), ev(node.right)
        for v in (left, right):
            f = flow_of(v)
            if f is not None and isinstance(node.operator, (cst.Add, cst.Modulo)):
                return Value("origin", flow=f)
        if isinstance(node.operator, cst.Add):
            if left.is_str and right.is_str and type(left.const) is type(right.const):
                return const(left.const + right.const, node, self.ctx, left.from_default or right.from_default)
            if left.kind == "seq" and right.kind == "seq":
                return Value("seq", items=left.items + right.items)
            # a list that differs by branch ("if STAGING: ORIGINS.append(...)")
            # concatenated with more: each version grows
            lefts, rights = alternatives(left), alternatives(right)
            if len(lefts) * len(rights) <= 16 and all(v.kind == "seq" for v in lefts + rights):
                return either(*(replace(a, items=a.items + b.items) for a in lefts for b in rights))
            # a list literal added to a list we cannot read (an env-built
            # comprehension, a base settings list): "+" with a list on one
            # side is list concatenation, so the literal's entries are part
            # of the value whatever the other side holds; the unknown side
            # stays one unknown element, as a starred unknown part does
            if len(lefts) * len(rights) <= 16 and any(v.kind == "seq" for v in lefts + rights) and all(v.kind in ("seq", "unknown") for v in lefts + rights):
                def part(v: Value) -> tuple[Value, ...]:
                    return v.items if v.kind == "seq" else (UNKNOWN,)

                return either(*(Value("seq", items=part(a) + part(b)) for a in lefts for b in rights))
        if isinstance(node.operator, cst.BitOr) and left.kind == "const" and right.kind == "const":
            if isinstance(left.const, int) and isinstance(right.const, int):
                return const(left.const | right.const, node, self.ctx)
        return UNKNOWN

    def _ifexp(self, node: cst.IfExp, scope, order, depth, bindings) -> Value:
        body = self.eval(node.body, scope, order, depth, bindings)
        orelse = self.eval(node.orelse, scope, order, depth, bindings)
        if flow_of(self.eval(node.test, scope, order, depth, bindings)) is not None and flow_of(orelse) is None:
            orelse = with_conditions(orelse, frozenset({ORIGIN_ABSENT}))  # "origin if origin else '*'"
        out = []
        for branch, polarity in ((body, True), (orelse, False)):
            f = flow_of(branch)
            if f is not None:
                guard = self.guard(RawGuard(node.test, polarity, order), scope, order, depth)
                if guard is not None:
                    f = replace(f, guards=f.guards + (guard,))
                branch = Value("origin", flow=f, span=branch.span, text=branch.text)
            out.append(branch)
        # a branch chosen by a test on the origin is dynamic even if constant
        test_guard = self.guard(RawGuard(node.test, True, order), scope, order, depth)
        if test_guard is not None and not any(flow_of(b) for b in out):
            chosen = OriginFlow(self.ctx.text(node.test), self.ctx.span(node.test), reflected=False, guards=(test_guard,))
            return either(*[replace(b, flow=chosen) if b.kind == "const" else b for b in out])
        return either(*out)

    def _attribute(self, node: cst.Attribute, ev, scope: Scope | None = None) -> Value:
        attr = node.attr.value
        src = sources.origin_attribute(node)
        if src is not None:
            return self._origin(node, src.header, src.desc)
        if attr in URL_PARTS:
            inner = ev(node.value)
            f = flow_of(inner)
            if f is not None:
                return Value("origin", flow=replace(f, part=URL_PARTS[attr]))
        kind = sources.container_of(node)
        if kind is None and scope is not None and scope.class_name in self.index.classes:
            bases = self._class_bases(scope.class_name)
            kind = sources.view_kwargs(node, bases) or sources.handler_headers(node, bases)
        if kind is not None:
            return Value("container", const=kind)
        if attr not in CONTAINER_API and not attr.startswith("_"):
            kind = sources.container_of(node.value)
            if kind in ("query", "form", "param", "cookie"):  # request.query.origin (Bottle)
                return self._request_value(node, kind, attr)
            if isinstance(node.value, cst.Name) and _container(ev(node.value)) == "json":
                return self._request_value(node, "json", attr)  # body.site_origin of a body model
        if scope is not None:
            stored = self._stored(node, scope)
            if stored is not None:
                return stored
        header = vocab.header_constant(node, self.ctx)
        if header is not None:
            return const(header, node, self.ctx)
        dotted = self.ctx.dotted(node)
        if dotted and self.ctx.project is not None:
            resolved = self._project_constant(node)
            if resolved is not None:
                return resolved
        holder = node.value
        if isinstance(holder, cst.Call) and isinstance(holder.func, cst.Name) and holder.func.value in self.index.classes:
            holder = holder.func  # CorsConfig().origins: the class's default
        if isinstance(holder, cst.Name):
            default = self._class_default(holder.value, attr, scope)
            if default is not None:
                return default
        if isinstance(node.value, cst.Call) and isinstance(node.value.func, cst.Name) and not node.value.args:
            default = self._getter_default(node.value.func.value, attr)
            if default is not None:
                return default
        constant = self._class_constant(node.value, attr, scope)
        if constant is not None:
            return constant
        return UNKNOWN

    def _class_bases(self, cls: str) -> list[str]:
        """The bases of ``cls`` as written, and those of the classes of this
        module it derives from (``class Api(JsonHandler)`` where
        ``JsonHandler`` derives from a framework class)."""
        out: list[str] = []
        todo, seen = [cls], set()
        while todo:
            name = todo.pop()
            info = self.index.classes.get(name)
            if name in seen or info is None:
                continue
            seen.add(name)
            for base in info.bases:
                text = self.ctx.text(base)
                out.append(text)
                todo.append(text)
        return out

    def _class_constant(self, owner: cst.BaseExpression, attr: str, scope: Scope | None) -> Value | None:
        """``self.PATTERN`` / ``cls.PATTERN`` / ``type(self).PATTERN`` in a
        method, where the class body binds ``PATTERN`` once and no method
        stores ``self.PATTERN`` (that case is a stored value, see
        ``_stored``): the class attribute every instance reads."""
        if scope is None or scope.class_name is None:
            return None
        if isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name) and owner.func.value == "type" and len(owner.args) == 1:
            owner = owner.args[0].value
        if not (isinstance(owner, cst.Name) and owner.value in ("self", "cls")):
            return None
        stores = self._stores().get(f"self.{attr}", ())
        if any(site.scope.class_name == scope.class_name for site, _ in stores):
            return None  # an instance attribute set in a method hides it
        info = self.index.classes.get(scope.class_name)
        class_scope = next((s for s in self.index.class_scopes if s.node is info.node), None) if info is not None else None
        bound = class_scope.assignments.get(attr) if class_scope is not None else None
        if not bound or len(bound) != 1 or bound[0].value is None or bound[0].kind != "assign":
            return None
        value = self.eval(bound[0].value, class_scope, 10**9)
        return None if value.kind == "unknown" else value

    def _class_default(self, name: str, attr: str, scope: Scope | None = None) -> Value | None:
        """``settings.cors_origins`` where ``settings = Settings()`` (or the
        class itself, or a getter such as ``get_settings()`` returning
        ``Settings()``; bound in this function or the module) and ``class
        Settings(BaseSettings): cors_origins: list[str] = ["*"]``: the
        class-level default, marked as a default (the environment or the
        constructor may override it)."""
        defs: list = []
        current = scope
        while current is not None and not defs:
            if current.kind != "class":
                defs = current.assignments.get(name, [])
            current = current.parent
        if not defs:
            defs = self.index.module_scope.assignments.get(name, [])
        cls_name = name if name in self.index.classes else None
        if cls_name is None and len(defs) == 1:
            cls_name = self._instance_class(defs[0].value)
        if cls_name is None and defs and defs[-1].kind == "import" and self.ctx.project is not None:
            return self._imported_class_default(name, attr)
        if cls_name is None and len(defs) == 1 and self.ctx.project is not None:
            callee = self._imported_callee(defs[0].value)
            if callee is not None:
                # settings = get_settings() / Settings() imported from the
                # project's settings module
                return self._imported_class_default(callee, attr) or self._getter_default(callee, attr)
        if cls_name is None:
            return None
        return self._default_of(cls_name, attr)

    def _imported_callee(self, node: cst.BaseExpression | None) -> str | None:
        """The name called in ``node`` when it is a call to a name this
        module imports (a settings class or a getter of another module)."""
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name)):
            return None
        bound = self.index.module_scope.assignments.get(node.func.value, [])
        return node.func.value if bound and bound[-1].kind == "import" else None

    def _getter_default(self, func: str, attr: str) -> Value | None:
        """``get_settings().cors_origins`` where the module function (here
        or, in standalone mode, imported) returns ``Settings()``."""
        local = [f for f in self.index.functions.get(func, []) if not f.in_class]
        if local:
            cls_name = self._instance_class(cst.Call(func=cst.Name(func)))
            return self._default_of(cls_name, attr) if cls_name is not None else None
        if self.ctx.project is None:
            return None
        for qualified in sorted(self.index.imports.qualify(cst.Name(func))):
            module, name = split_qualified(qualified)
            path = self.ctx.project.module_path(module, self.ctx.path) if module else None
            other = self.ctx.project.context(path) if path is not None else None
            if other is not None and other is not self.ctx and name in other.index.functions:
                value = other.evaluator._getter_default(name, attr)
                if value is not None:
                    return without_positions(value)
        return None

    def _default_of(self, cls_name: str, attr: str) -> Value | None:
        info = self.index.classes[cls_name]
        scope = next((s for s in self.index.class_scopes if s.node is info.node), None)
        found = self._member(info, scope, attr)
        if found is None:
            return None
        value = self.eval(found[0], found[1], 10**9)
        if value.kind == "unknown":
            return None
        return _as_default(value)

    def _member(self, info, scope: Scope | None, attr: str):
        """(expression, scope) that gives instances of the class their
        ``attr``: a class-level default (``Field(default=...)``, a
        ``default_factory``), ``self.attr = ...`` in ``__init__``, or what a
        ``@property`` of that name returns.  None when there is none."""
        bound = scope.assignments.get(attr) if scope is not None else None
        if bound and bound[-1].value is not None:
            value_node = _field_default(self.ctx, bound[-1].value)
            return (value_node, scope) if value_node is not None else None
        init = info.methods.get("__init__")
        if init is not None:
            for site in self.index.attribute_assigns:
                node = site.node
                if site.scope is not init or not isinstance(node, cst.Assign) or len(node.targets) != 1:
                    continue
                target = node.targets[0].target
                if isinstance(target, cst.Attribute) and target.attr.value == attr and isinstance(target.value, cst.Name) and target.value.value == "self":
                    return node.value, init
        method = info.methods.get(attr)
        if method is not None and len(method.returns) == 1:
            decorators = getattr(method.node, "decorators", ())
            if any((self.ctx.dotted(d.decorator) or "").split(".")[-1] in ("property", "cached_property") for d in decorators):
                return method.returns[0].node.value, method
        return None

    def _instance_class(self, node: cst.BaseExpression | None, hops: int = 2) -> str | None:
        """The local class ``node`` makes an instance of: ``Settings()``, or
        a call to a module function that returns ``Settings()``."""
        if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Name):
            return None
        callee = node.func.value
        if callee in self.index.classes:
            return callee
        if hops == 0:
            return None
        for function in self.index.functions.get(callee, []):
            if function.in_class:
                continue
            for ret in function.returns:
                found = self._instance_class(ret.node.value, hops - 1)
                if found is not None:
                    return found
        return None

    def _imported_class_default(self, name: str, attr: str) -> Value | None:
        for qualified in sorted(self.index.imports.qualify(cst.Name(name))):
            module, local = split_qualified(qualified)
            path = self.ctx.project.module_path(module, self.ctx.path) if module else None
            other = self.ctx.project.context(path) if path is not None else None
            if other is not None and other is not self.ctx:
                value = other.evaluator._class_default(local, attr)
                if value is not None:
                    return without_positions(value)
        return None

    def _subscript(self, node: cst.Subscript, ev, scope: Scope | None = None) -> Value:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
            base = ev(node.value)
            bf = flow_of(base)
            return Value("origin", flow=bf) if bf is not None and base.kind == "origin" else UNKNOWN
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return UNKNOWN
        key_node = node.slice[0].slice.value
        key = ev(key_node)
        if sources.origin_read(node.value, key):
            return self._origin(node, sources.header_named(key.str_value()))
        kind = sources.container_of(node)
        if kind is not None:  # event["queryStringParameters"]
            return Value("container", const=kind)
        if scope is not None and key.is_str:
            stored = self._stored(node, scope)  # request["user_origin"] (aiohttp)
            if stored is not None:
                return stored
        base = ev(node.value)
        container = _container(base)
        if container is not None and not self._is_environ(node.value) and sources.request_value_key(container, key.str_value()) is not None:
            return self._request_value(node, container, key.str_value())
        bf = flow_of(base)
        if bf is not None and base.kind == "origin":  # origin[0], origin.split(",")[0]
            return Value("origin", flow=bf)
        if base.kind == "seq" and isinstance(key.const, int) and base.text != "dict":
            try:
                return base.items[key.const]
            except IndexError:
                return UNKNOWN
        if key.kind == "const":
            found = _dict_lookup(base, key)
            if found is not None:
                return found
        kf = flow_of(key)
        if kf is not None:  # ALLOWED[origin]: chosen by the origin, not the origin itself
            return self._chosen_by(base, kf)
        return UNKNOWN

    def _call(self, node: cst.Call, scope, order, depth, bindings, ev) -> Value:
        """A call: a method of a value (header reads, string operations), a
        known library function, a helper of this module or of the project,
        else an opaque call."""
        func = node.func
        if isinstance(func, cst.Attribute):
            got = self._method_call(node, func, ev)
            if got is not None:
                return got
        got = self._known_function(node, func, self.ctx.qualify(func), ev)
        if got is not None:
            return got
        if node.args and (isinstance(func, cst.Name) and func.value == "getattr" or isinstance(func, cst.Attribute) and func.attr.value == "get"):
            stored = self._stored(node, scope)  # getattr(g, "origin", None), g.get("origin")
            if stored is not None:
                return stored
        # a helper function of this module
        target = self._local_function(func, scope)
        if target is not None:
            return self._call_helper(node, target, scope, order, depth, bindings)
        if self.ctx.project is not None:
            value = self._project_call(node, scope, order, depth, bindings)
            if value.kind != "unknown":
                return value
        return self._opaque_call(node, ev)

    def _method_call(self, node: cst.Call, func: cst.Attribute, ev) -> Value | None:
        """``recv.meth(...)``; None when the method means nothing here."""
        meth = func.attr.value
        recv = func.value
        if (meth in sources.HEADER_GETTERS or meth in sources.KEY_READERS) and node.args:
            got = self._header_get(node, meth, recv, ev)
            if got is not None:
                return got
        kind = sources.reader_call(node) if node.args else None
        if kind is not None:  # self.get_argument("origin"), request.get_cookie("o")
            return self._request_value(node, kind, ev(node.args[0].value).str_value())
        kind = sources.container_call(node)
        if kind is not None:  # request.get_json(), await request.json()
            return Value("container", const=kind)
        if meth in ("to_dict", "dict") and not node.args:
            inner = ev(recv)
            if _container(inner) is not None:
                return inner
        if meth in STR_METHODS_KEEP:
            return self._string_method(node, meth, recv, ev)
        if meth in ("split", "rsplit", "partition", "rpartition"):
            f = flow_of(ev(recv))
            if f is not None:
                # origin.split(",")[0] is still the origin; split("//")[-1] is a host
                sep = ev(node.args[0].value).str_value() if node.args else None
                if sep not in (",", ", ", " ", None):
                    f = replace(f, part="derived")
                return Value("origin", flow=f)
        if meth == "split":
            return self._split_constant(node, recv, ev)
        if meth == "join" and node.args:
            return self._join(node, recv, ev)
        if meth == "format":
            for a in node.args:
                f = flow_of(ev(a.value))
                if f is not None:
                    template = ev(recv).str_value() or ""
                    if f.part == "url" and len(node.args) == 1 and _FORMAT_ORIGIN.match(template):
                        f = replace(f, part="origin")  # "{0.scheme}://{0.netloc}".format(urlparse(referer))
                    return Value("origin", flow=f)
            return UNKNOWN
        if meth == "copy":
            return ev(recv)
        return None

    def _header_get(self, node: cst.Call, meth: str, recv: cst.BaseExpression, ev) -> Value | None:
        """``headers.get(KEY)`` and friends: the request's origin
        (``sources.origin_read``), a value chosen by the origin
        (``ALLOWED.get(origin)``), or an environment variable's default."""
        key = ev(node.args[0].value)
        if sources.origin_read(recv, key):
            return self._origin(node, sources.header_named(key.str_value()))
        kind = sources.container_of(node)
        if kind is not None:  # event.get("queryStringParameters", {})
            return Value("container", const=kind)
        if key.is_str and not self._is_environ(recv):
            base = ev(recv)
            container = _container(base)
            if container is not None and sources.request_value_key(container, key.str_value()) is not None:
                # request.args.get("origin"), qs.get("origin", [""])
                return self._request_value(node, container, key.str_value())
            if meth == "get":
                found = _dict_lookup(base, key)
                if found is not None:
                    return found
        if meth == "get":
            kf = flow_of(key)
            if kf is not None:
                return self._chosen_by(ev(recv), kf)
            if self._is_environ(recv) and key.is_str:
                return self._env_default(node, ev)
        return None

    def _string_method(self, node: cst.Call, meth: str, recv: cst.BaseExpression, ev) -> Value:
        """``strip``/``lower``/... : the origin stays the origin (reshaped
        by some), and a constant is computed."""
        inner = ev(recv)
        f = flow_of(inner)
        if f is not None:
            if meth in STR_METHODS_RESHAPE and f.part == "origin":
                f = replace(f, part="derived")
            return Value("origin", flow=f)
        if inner.is_str and isinstance(inner.const, str):
            try:
                if meth in ("strip", "lower", "rstrip", "lstrip", "casefold", "upper", "title"):
                    args = [ev(a.value).const for a in node.args]
                    if all(isinstance(a, str) for a in args):
                        return const(getattr(inner.const, meth)(*args), node, self.ctx, inner.from_default)
            except Exception:
                pass
        return UNKNOWN

    def _split_constant(self, node: cst.Call, recv: cst.BaseExpression, ev) -> Value:
        """``"a,b".split(",")`` on a constant: the list of parts."""
        inner = ev(recv)
        if inner.is_str and isinstance(inner.const, str):
            sep = ev(node.args[0].value).const if node.args else None
            if sep is None or isinstance(sep, str):
                parts = inner.const.split(sep) if sep is not None else inner.const.split()
                return Value("seq", items=tuple(const(p, None, None, inner.from_default) for p in parts), from_default=inner.from_default, text=self.ctx.text(node))
        return UNKNOWN

    def _join(self, node: cst.Call, recv: cst.BaseExpression, ev) -> Value:
        """``sep.join(items)``."""
        sep = ev(recv)
        items = ev(node.args[0].value)
        f = flow_of(items)
        if f is not None and items.kind == "origin":
            # "/".join(referer.split("/")[:3]): pieces of the request's own text
            return Value("origin", flow=f)
        if sep.is_str and items.kind == "seq":
            # a list from an environment default keeps the mark: the
            # deployed value may hold other (more) entries
            defaulted = items.from_default or any(i.from_default for i in items.items)
            return Value("join", const=sep.const, items=items.items, text=self.ctx.text(node), from_default=defaulted)
        if sep.is_str:  # a join of something unresolved: items unknown
            return Value("join", const=sep.const, items=(UNKNOWN,), text=self.ctx.text(node))
        return UNKNOWN

    def _known_function(self, node: cst.Call, func: cst.BaseExpression, qual: set, ev) -> Value | None:
        """Standard-library and built-in functions with known results
        (``os.getenv``, ``re.compile``, ``urlparse``, ``list(...)``); None
        for any other function."""
        if qual & {"os.getenv", "os.environ.get", "os.environ.setdefault"}:
            return self._env_default(node, ev)
        reader = self._config_reader(func, qual)
        if reader is not None:
            return self._reader_default(node, reader, ev)
        if qual & {"re.compile", "regex.compile"} and node.args:
            pattern = ev(node.args[0].value)
            flags_arg = self.ctx.arg(node, 1, "flags")
            flags = self._flags(flags_arg.value) if flags_arg is not None else 0
            if pattern.is_str:
                return Value("regex", const=pattern.str_value(), flags=flags, text=self.ctx.text(node))
            return UNKNOWN
        if qual & {"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse", "urlparse", "urlsplit"} and node.args:
            f = flow_of(ev(node.args[0].value))
            if f is not None:
                return Value("origin", flow=replace(f, part="url"))
            if sources.is_query_string(node.args[0].value):
                return Value("container", const="url")  # url = urlparse(self.path); parse_qs(url.query)
            return UNKNOWN
        if isinstance(func, cst.Name) and func.value == "bool" and len(node.args) == 1 and node.args[0].star == "":
            # a boolean: True or False, whichever the argument makes it
            inner = ev(node.args[0].value)
            if inner.kind == "const":
                return const(bool(inner.const))
            return either(const(True), const(False))
        if isinstance(func, cst.Name) and func.value in ("str", "list", "tuple", "set", "frozenset", "sorted") and node.args:
            inner = ev(node.args[0].value)
            return inner if inner.kind in ("seq", "const", "origin", "either") else UNKNOWN
        if qual & {"json.loads", "orjson.loads", "ujson.loads", "simplejson.loads"} and node.args:
            inner = ev(node.args[0].value)
            if _container(inner) is not None or flow_of(inner) is not None or sources.is_raw_body(node.args[0].value):
                return Value("container", const="json")  # json.loads(event["body"])
            return UNKNOWN
        if qual & {"urllib.parse.parse_qs", "urllib.parse.parse_qsl", "parse_qs", "parse_qsl", "cgi.parse_qs", "urlparse.parse_qs"} and node.args:
            arg = node.args[0].value
            parsed_url = isinstance(arg, cst.Attribute) and arg.attr.value == "query" and _container(ev(arg.value)) == "url"
            if parsed_url or sources.is_query_string(arg) or flow_of(ev(arg)) is not None:
                return Value("container", const="query")  # parse_qs(environ["QUERY_STRING"])
            return UNKNOWN
        if isinstance(func, cst.Name) and func.value == "dict":
            inner = ev(node.args[0].value) if node.args else UNKNOWN
            return inner if _container(inner) is not None else UNKNOWN
        return None

    def _opaque_call(self, node: cst.Call, ev) -> Value:
        """A function we cannot see, applied to the origin (``host_of(origin)``,
        ``normalize(origin)``): still request-derived, but neither the origin
        itself nor a known part of it.  Tests on it are of unknown strength,
        and writing it is dynamic but not proven reflection."""
        operands = [arg.value for arg in node.args]
        if isinstance(node.func, cst.Attribute):
            operands.insert(0, node.func.value)  # origin.find("x"), origin.count(".")
        for operand in operands:
            f = flow_of(ev(operand))
            if f is not None:
                return Value("origin", flow=replace(f, reflected=False, part="derived", guards=()))
        return UNKNOWN

    def _is_env_read(self, node: cst.BaseExpression) -> bool:
        """``os.getenv("X")`` / ``os.environ.get("X")`` / ``os.environ["X"]``."""
        if isinstance(node, cst.Call):
            return bool(self.ctx.qualify(node.func) & {"os.getenv", "os.environ.get"})
        return isinstance(node, cst.Subscript) and self._is_environ(node.value)

    def _is_environ(self, recv: cst.BaseExpression) -> bool:
        return bool(self.ctx.qualify(recv) & {"os.environ"})

    def _env_default(self, node: cst.Call, ev) -> Value:
        default = self.ctx.arg(node, 1, "default")
        if default is None:
            return UNKNOWN
        v = ev(default.value)
        if v.kind == "const":
            return replace(v, from_default=True)
        return UNKNOWN

    def _config_reader(self, func: cst.BaseExpression, qual: set) -> str | None:
        """Which environment reader ``func`` is, if any: python-decouple's
        ``config`` (or an ``AutoConfig(...)``/``Config(...)`` instance of it),
        or an instance of Starlette's ``Config``.  Each returns the
        environment variable when set, else its ``default=``: the value the
        code ships with, like ``os.getenv``'s second argument."""
        if qual & {"decouple.config"}:
            return "decouple"
        if not isinstance(func, cst.Name):
            return None
        bound = self.index.module_scope.assignments.get(func.value, [])
        made = bound[-1].value if len(bound) == 1 else None
        if not isinstance(made, cst.Call):
            return None
        maker = self.ctx.qualify(made.func)
        if maker & {"starlette.config.Config"}:
            return "starlette"
        if maker & {"decouple.AutoConfig", "decouple.Config"}:
            return "decouple"
        return None

    def _reader_default(self, node: cst.Call, reader: str, ev) -> Value:
        """The default of ``config("X", default=...)``, split into a list when
        the cast is a comma-separated list (Starlette's
        ``CommaSeparatedStrings``, decouple's ``Csv()``); unknown under any
        other cast, which we cannot apply."""
        default = self.ctx.arg(node, 2 if reader == "starlette" else 1, "default")
        if default is None:
            return UNKNOWN
        value = ev(default.value)
        cast = self.ctx.arg(node, 1 if reader == "starlette" else None, "cast")
        if cast is None:
            return replace(value, from_default=True) if value.kind in ("const", "seq") else UNKNOWN
        caster = cast.value.func if isinstance(cast.value, cst.Call) else cast.value
        if not (self.ctx.qualify(caster) & {"starlette.datastructures.CommaSeparatedStrings", "decouple.Csv"}):
            return UNKNOWN
        if value.kind == "seq":
            return replace(value, from_default=True)
        text = value.str_value() if value.kind == "const" else None
        if text is None:
            return UNKNOWN
        items = tuple(Value("const", const=part.strip(), from_default=True) for part in text.split(",") if part.strip())
        return Value("seq", items=items, from_default=True)

    def _flags(self, node: cst.BaseExpression) -> int:
        total = 0
        for part in bitor_parts(node):
            name = (self.ctx.dotted(part) or "").split(".")[-1]
            total |= {"I": re.I, "IGNORECASE": re.I, "X": re.X, "VERBOSE": re.X, "S": re.S, "DOTALL": re.S, "M": re.M, "MULTILINE": re.M, "A": re.A, "ASCII": re.A}.get(name, 0)
        return total

    def _comprehension(self, node, scope, order, depth, bindings) -> Value:
        """``[o.strip() for o in X.split(",")]``, ``[f"^https://{d}$" for d
        in DOMAINS]``: the element evaluated once per item of a resolved
        collection, with the loop variable bound to it."""
        for_in = node.for_in
        if for_in.inner_for_in is not None or not isinstance(for_in.target, cst.Name):
            return UNKNOWN
        it = self.eval(for_in.iter, scope, order, depth, bindings)
        if it.kind != "seq" or len(it.items) > 200:
            return UNKNOWN
        var = for_in.target.value
        out = []
        for item in it.items:
            bound = {**bindings, var: item}
            # "if o.strip()": kept when every filter is truthy for this item;
            # a filter we cannot decide makes the whole value unknown
            kept = [_const_truth(self.eval(cond.test, scope, order, depth, bound)) for cond in for_in.ifs]
            if None in kept:
                return UNKNOWN
            if all(kept):
                out.append(self.eval(node.elt, scope, order, depth, bound))
        return Value("seq", items=tuple(out), from_default=it.from_default)

    def guard(self, raw: RawGuard, scope: Scope, order: int, depth: int = 0, bindings: dict | None = None):
        """Turn a raw condition into a ``Guard`` on origin values (or None
        when the condition does not test an origin)."""
        from .guards import analyze_guard

        key = (id(raw.test), scope.qualname, int(raw.polarity))
        if not bindings:
            if key in self._guard_cache:
                return self._guard_cache[key]
            self._guard_cache[key] = None  # recursion stop
            g = analyze_guard(self, raw, scope, order, depth, {})
            self._guard_cache[key] = g
            return g
        # A guard evaluated with argument bindings holds for that call only:
        # it is neither read from nor written to the cache, and its own
        # recursion stop is dropped when it is done (a None left in the
        # cache would read as "no guard" to every later unbound caller).
        if key in self._guard_active:
            return None
        self._guard_active.add(key)
        try:
            return analyze_guard(self, raw, scope, order, depth, bindings)
        finally:
            self._guard_active.discard(key)


def _const_truth(value: Value) -> bool | None:
    """Python truthiness of a constant or a known sequence, else None."""
    if value.flow is not None:
        return None
    if value.kind == "const":
        return bool(value.const)
    if value.kind == "seq":
        return bool(value.items)
    return None


# field specifiers of settings classes: pydantic ``Field``, dataclasses and
# attrs ``field``, ``attr.ib``
FIELD_CALLS = {"Field", "field", "ib", "attrib"}


def _field_default(ctx, node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The expression a class attribute defaults to: the value itself, or
    the ``default=`` (pydantic: also the first positional argument) or the
    body of a ``default_factory=lambda: ...`` of a field specifier
    (``default_factory=list`` is an empty list).  None when unknown."""
    if not (isinstance(node, cst.Call) and (ctx.dotted(node.func) or "").split(".")[-1] in FIELD_CALLS):
        return node
    positional = (ctx.dotted(node.func) or "").split(".")[-1] == "Field"
    arg = ctx.arg(node, 0, "default") if positional else next((a for a in node.args if a.keyword is not None and a.keyword.value == "default"), None)
    if arg is not None and not (isinstance(arg.value, cst.Ellipsis)):
        return arg.value
    for a in node.args:
        if a.keyword is not None and a.keyword.value in ("default_factory", "factory"):
            factory = a.value
            if isinstance(factory, cst.Lambda) and not factory.params.params:
                return factory.body
            if isinstance(factory, cst.Name) and factory.value in ("list", "tuple", "set"):
                return cst.List([])
    return None

