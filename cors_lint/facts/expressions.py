"""Record an origin test as written: the whole condition, as a small tree.

Many real checks transform the origin before testing it: split it into
scheme and host, take ``urlparse(...).netloc``, lower-case it, look for a
substring with ``.find(x) != -1``.  Rather than naming each idiom, the facts
layer records what the code says - the condition expression, with every
name followed back to how the origin flows into it - and ``checks/evaluate``
runs that tree on candidate origins.  This module records; it never judges.

A tree is made of tuples (hashable, so verdicts can be cached):

=============================== ==========================================
``("origin",)``                 the request value under test
``("const", value)``            a str/int/bool/None constant
``("seq", (tree, ...))``        a list/tuple/set/dict-keys literal
``("regex", pattern, flags)``   ``re.compile(<literal>)``
``("method", name, recv, args)`` a pure ``str`` method, or ``match``/
                                ``search``/``fullmatch`` of a compiled regex
``("attr", name, recv)``        ``netloc``/``hostname``/``scheme``/``port``
                                of a parsed URL
``("index", recv, key)``        ``recv[key]``
``("slice", recv, lo, hi, st)`` ``recv[lo:hi:st]``
``("call", name, args, flags)`` ``re.match``/``search``/``fullmatch``,
                                ``fnmatch``/``fnmatchcase``, ``urlparse``/
                                ``urlsplit``, ``len``, ``str``, ``bool``
``("any"|"all", elt, var, it)`` ``any(elt for var in it)``
``("var", name)``               a generator's loop variable
``("choice", name, it)``        a ``for`` loop variable: the test holds if
                                it holds for one of the items
``("cmp", ops, operands)``      a (chained) comparison
``("and"|"or", a, b)``, ``("not", a)``, ``("neg", a)`` (``-a``)
``("opaque",)``                 anything else: the test cannot be run
=============================== ==========================================
"""

from __future__ import annotations

import libcst as cst

from .model import CheckKind, OriginCheck, Value
from .value_ops import flow_of

ORIGIN = ("origin",)
OPAQUE = ("opaque",)
OPAQUE_ORIGIN = ("opaque", "origin")  # cannot be run, and carries the origin

#: str methods without side effects whose result depends only on their inputs
PURE_METHODS = frozenset(
    {
        "split", "rsplit", "partition", "rpartition", "find", "rfind", "index", "rindex", "count",
        "lower", "upper", "casefold", "strip", "lstrip", "rstrip", "removeprefix", "removesuffix",
        "replace", "startswith", "endswith", "isdigit", "isalpha", "isalnum",
    }
)
REGEX_METHODS = frozenset({"match", "search", "fullmatch"})
URL_ATTRIBUTES = frozenset({"netloc", "hostname", "scheme", "port", "path"})
PURE_FUNCTIONS = {
    "re.match": "re.match", "re.search": "re.search", "re.fullmatch": "re.fullmatch",
    "regex.match": "re.match", "regex.search": "re.search", "regex.fullmatch": "re.fullmatch",
    "fnmatch.fnmatch": "fnmatch", "fnmatch.fnmatchcase": "fnmatchcase",
    "urllib.parse.urlparse": "urlparse", "urllib.parse.urlsplit": "urlsplit",
    "urlparse.urlparse": "urlparse", "urlparse": "urlparse", "urlsplit": "urlsplit",
}
BUILTINS = frozenset({"len", "str", "bool"})
_CMP = {
    cst.Equal: "==", cst.NotEqual: "!=", cst.LessThan: "<", cst.LessThanEqual: "<=",
    cst.GreaterThan: ">", cst.GreaterThanEqual: ">=", cst.In: "in", cst.NotIn: "not in",
}
MAX_NODES = 300
MAX_NESTING = 40  # deeper trees are not recorded (and the interpreter never recurses further)
MAX_INLINE = 3


def expression_check(ev, node, scope, order: int, depth: int, bindings: dict, span, text: str) -> OriginCheck | None:
    """The whole condition ``node`` as an EXPRESSION check, when it tests a
    request value; an UNKNOWN check when it does but through something that
    cannot be run; None when it does not test the origin, or is a bare
    truthiness test (``if origin:`` protects nothing)."""
    if not isinstance(node, (cst.Comparison, cst.Call)):
        return None
    if isinstance(node, cst.Comparison) and any(isinstance(c.operator, (cst.Is, cst.IsNot)) for c in node.comparisons):
        return None
    if not bindings and not mentions_origin(ev, scope):
        return None  # nothing in this function can read the header
    builder = _Builder(ev, depth, bindings)
    tree = builder.build(node, scope, order, {})
    if not builder.header or not _is_test(tree) or _unguarded_branch(tree):
        return None
    if builder.nodes > MAX_NODES or _contains(tree, OPAQUE) or _contains(tree, OPAQUE_ORIGIN):
        return OriginCheck(CheckKind.UNKNOWN, (), "origin", span=span, text=text, resolved=False, source=builder.header)
    return OriginCheck(CheckKind.EXPRESSION, (), "origin", span=span, text=text, source=builder.header, expr=tree)


#: operations whose result is a verdict on their input, not the input itself
TEST_METHODS = frozenset({"startswith", "endswith", "find", "rfind", "index", "rindex", "count", "isdigit", "isalpha", "isalnum"}) | REGEX_METHODS
TEST_CALLS = frozenset({"re.match", "re.search", "re.fullmatch", "fnmatch", "fnmatchcase", "bool", "len"})


def _is_test(tree) -> bool:
    """A test rather than the (transformed) value itself: ``if origin:`` or
    ``if urlparse(origin).hostname:`` only ask whether there is one."""
    tag = tree[0]
    if tag in ("cmp", "any", "all", "and", "or", "not", "opaque"):
        return True
    if tag == "method":
        return tree[1] in TEST_METHODS
    if tag == "call":
        return tree[1] in TEST_CALLS
    return False


def mentions_origin(ev, scope) -> bool:
    """Does the function (or a same-module function it calls) mention an
    Origin/Referer-like name or string?  A cheap screen, cached per
    function, so conditions in the many functions that never look at the
    header are not evaluated at all.  The names and strings were looked at
    once, by the index walk (``ModuleIndex.origin_mentions``); only the
    calls are followed here."""
    cache = ev.__dict__.setdefault("_mentions_origin", {})
    node = scope.node if scope is not None else None
    if node is None:
        return True
    key = id(node)
    if key not in cache:
        index = ev.ctx.index
        if key not in index.parents and node is not index.module:
            return True  # a scope of another module: no screen, judge it
        cache[key] = False  # recursion stop
        cache[key] = key in index.origin_mentions or _calls_mention(ev, scope)
    return cache[key]


def _calls_mention(ev, scope) -> bool:
    for call in _calls_within(ev, scope):
        target = ev._local_function(call.func, scope)
        if target is not None and target.node is not scope.node and mentions_origin(ev, target):
            return True
    return False


def _calls_within(ev, scope) -> list:
    """The calls inside ``scope``'s node, nested functions included, in
    source order (from the index's call sites, grouped once per module)."""
    groups = ev.__dict__.get("_calls_within")
    if groups is None:
        groups = ev.__dict__["_calls_within"] = {}
        for site in ev.ctx.index.calls:
            s = site.scope
            while s is not None:
                groups.setdefault(id(s.node), []).append(site.node)
                s = s.parent
    return groups.get(id(scope.node), [])


def negated(check: OriginCheck) -> OriginCheck:
    """``not <expression>``: the same tree under a ``not``."""
    return OriginCheck(CheckKind.EXPRESSION, (), check.subject, span=check.span, text=check.text, source=check.source, expr=("not", check.expr))


def _mentions_origin(tree) -> bool:
    return _contains(tree, ORIGIN) or _contains(tree, OPAQUE_ORIGIN)


def _unguarded_branch(tree) -> bool:
    """``host_is_public or origin_ok``: one way through does not look at the
    origin at all, so the condition protects nothing (as in guards.py)."""
    tag = tree[0]
    if tag == "or":
        return not (_mentions_origin(tree[1]) and _mentions_origin(tree[2])) or _unguarded_branch(tree[1]) or _unguarded_branch(tree[2])
    if tag == "and":
        return all(_unguarded_branch(t) for t in tree[1:] if _mentions_origin(t)) if any(_mentions_origin(t) for t in tree[1:]) else True
    if tag == "not":
        inner = tree[1]
        if inner[0] == "and":  # not (a and b) == not a or not b
            return _unguarded_branch(("or", ("not", inner[1]), ("not", inner[2])))
        if inner[0] == "or":
            return _unguarded_branch(("and", ("not", inner[1]), ("not", inner[2])))
        return _unguarded_branch(inner)
    return False


def _contains(tree, leaf) -> bool:
    if tree == leaf:
        return True
    return isinstance(tree, tuple) and any(isinstance(t, tuple) and _contains(t, leaf) for t in tree)


class _Builder:
    def __init__(self, ev, depth: int, bindings: dict) -> None:
        self.ev = ev
        self.depth = depth
        self.bindings = bindings
        self.header = ""  # which request header the origin leaf came from
        self.nodes = 0
        self.inlined = 0
        self.nesting = 0

    # -- entry ------------------------------------------------------------
    def build(self, node, scope, order: int, local: dict):
        self.nodes += 1
        if self.nodes > MAX_NODES or self.nesting > MAX_NESTING:
            return OPAQUE
        self.nesting += 1
        try:
            tree = self._structural(node, scope, order, local)
        finally:
            self.nesting -= 1
        if tree is not None and _mentions_origin(tree):
            return tree
        if tree is not None and not _contains(tree, OPAQUE):
            return tree  # pure operations on constants (len("example.com"))
        # no origin in sight structurally: ask the evaluator (constants,
        # settings, request reads it recognises)
        return self._from_value(self.ev.eval(node, scope, order, self.depth + 1, self.bindings))

    def _from_value(self, value: Value):
        if value.kind == "const":
            v = value.str_value() if isinstance(value.const, bytes) else value.const
            return ("const", v)
        if value.kind == "seq":
            items = tuple(self._from_value(i) for i in value.items)
            return ("seq", items)
        if value.kind == "regex" and isinstance(value.const, str):
            return ("regex", value.const, value.flags)
        if value.kind == "either":
            # a helper that returns the header it finds or a falsy default
            # (``return value.decode()`` in a loop, then ``return ""``): the
            # default stands for an absent Origin, which no attacker sends, so
            # the test is run on the header itself
            present = [v for v in value.items if not (v.kind == "const" and not v.const)]
            trees = [self._from_value(v) for v in present]
            if trees and all(t == trees[0] for t in trees) and _mentions_origin(trees[0]):
                return trees[0]
        flow = flow_of(value)
        if flow is not None:
            self.header = self.header or flow.header
            if value.kind == "origin" and flow.reflected:
                if flow.part == "origin":
                    return ORIGIN
                attr = {"host": "hostname", "netloc": "netloc", "scheme": "scheme"}.get(flow.part)
                if attr is not None:
                    return ("attr", attr, ("call", "urlparse", (ORIGIN,), 0))
            return OPAQUE_ORIGIN
        return OPAQUE

    # -- syntax -----------------------------------------------------------
    def _structural(self, node, scope, order, local):
        b = lambda n: self.build(n, scope, order, local)  # noqa: E731
        if isinstance(node, cst.Comparison):
            ops, operands = [], [b(node.left)]
            for target in node.comparisons:
                op = _CMP.get(type(target.operator))
                if op is None:
                    return OPAQUE
                ops.append(op)
                operands.append(b(target.comparator))
            return ("cmp", tuple(ops), tuple(operands))
        if isinstance(node, cst.BooleanOperation):
            return ("and" if isinstance(node.operator, cst.And) else "or", b(node.left), b(node.right))
        if isinstance(node, cst.UnaryOperation):
            if isinstance(node.operator, cst.Not):
                return ("not", b(node.expression))
            if isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
                return ("const", -int(node.expression.evaluated_value))
            if isinstance(node.operator, cst.Minus):
                return ("neg", b(node.expression))
            return OPAQUE
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                return None
            return ("seq", tuple(b(e.value) for e in node.elements))
        if isinstance(node, cst.Name):
            return self._name(node, scope, order, local)
        if isinstance(node, cst.Attribute):
            if node.attr.value in URL_ATTRIBUTES:
                recv = b(node.value)
                if _contains(recv, ORIGIN):
                    return ("attr", node.attr.value, recv)
            return None
        if isinstance(node, cst.Subscript):
            if len(node.slice) != 1:
                return None
            base = b(node.value)
            if not _contains(base, ORIGIN):
                return None
            part = node.slice[0].slice
            if isinstance(part, cst.Index):
                return ("index", base, b(part.value))
            if isinstance(part, cst.Slice):
                bounds = tuple(("const", None) if x is None else b(x) for x in (part.lower, part.upper, part.step))
                return ("slice", base, *bounds)
            return None
        if isinstance(node, cst.Call):
            return self._call(node, scope, order, local)
        if isinstance(node, (cst.NamedExpr,)):
            return b(node.value)
        return None

    def _call(self, node: cst.Call, scope, order, local):
        b = lambda n: self.build(n, scope, order, local)  # noqa: E731
        func = node.func
        if any(a.star or (a.keyword is not None and a.keyword.value != "flags") for a in node.args):
            return None
        positional = [a.value for a in node.args if a.keyword is None]
        flags_node = next((a.value for a in node.args if a.keyword is not None), None)
        if isinstance(func, cst.Attribute) and func.attr.value in PURE_METHODS | REGEX_METHODS:
            recv = b(func.value)
            args = tuple(b(a) for a in positional)
            if func.attr.value in REGEX_METHODS and recv[0] != "regex":
                return None  # not a compiled pattern we know (maybe re.match itself)
            if flags_node is not None:
                return OPAQUE
            return ("method", func.attr.value, recv, args)
        names = self.ev.ctx.qualify(func)
        if isinstance(func, cst.Name) and func.value in BUILTINS and func.value not in (local or {}):
            names = set(names) | {func.value}
        for name in sorted(names):
            pure = PURE_FUNCTIONS.get(name) or (name if name in BUILTINS else None)
            if pure is None:
                continue
            flags = 0
            if pure.startswith("re.") and len(positional) >= 3:
                flags_node, positional = positional[2], positional[:2]
            if flags_node is not None:
                flags = self.ev._flags(flags_node)
            return ("call", pure, tuple(b(a) for a in positional), flags)
        if isinstance(func, cst.Name) and func.value in ("any", "all") and len(positional) == 1:
            gen = positional[0]
            if isinstance(gen, (cst.GeneratorExp, cst.ListComp)) and gen.for_in.inner_for_in is None and not gen.for_in.ifs and isinstance(gen.for_in.target, cst.Name):
                var = gen.for_in.target.value
                it = b(gen.for_in.iter)
                elt = self.build(gen.elt, scope, order, {**local, var: ("var", var)})
                return (func.value, elt, var, it)
            return OPAQUE_ORIGIN if _mentions_origin(b(gen)) else None
        return self._inline(node, scope, order, local, positional)

    def _inline(self, node: cst.Call, scope, order, local, positional):
        """A helper of this module whose body is one ``return`` of pure
        operations (``def host_of(o): return urlparse(o).hostname``)."""
        target = self.ev._local_function(node.func, scope)
        if target is None or self.inlined >= MAX_INLINE or len(target.returns) != 1 or target.returns[0].guards:
            return None
        params = target.call_param_names()
        if len(positional) > len(params):
            return None
        self.inlined += 1
        inner = {p: self.build(a, scope, order, local) for p, a in zip(params, positional)}
        ret = target.returns[0]
        return self.build(ret.node.value, target, ret.order, inner)

    def _name(self, node: cst.Name, scope, order, local):
        name = node.value
        if name in local:
            return local[name]
        if local and scope is not None and name in scope.param_names():
            return OPAQUE  # a helper parameter the call did not fill
        if name in self.bindings:
            return None  # bound by the caller's analysis: the evaluator knows it
        defs = [d for d in scope.assignments.get(name, []) if d.order < order] if scope is not None else []
        if not defs:
            return None
        last = defs[-1]
        if last.value is None:
            return None
        if len(defs) > 1 and last.guards:
            return None  # several definitions on different paths: let the evaluator merge them
        if last.kind in ("assign", "walrus"):
            return self.build(last.value, scope, last.order, local)
        if last.kind == "unpack":
            return ("index", self.build(last.value, scope, last.order, local), ("const", last.position))
        if last.kind == "for":
            it = self.build(last.value, scope, last.order, local)
            if it[0] == "seq":
                return ("choice", name, it)
        return None
