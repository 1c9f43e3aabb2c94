"""Turn a condition into a ``Guard``: the origin tests it makes.

``analyze_guard`` pushes negations inward (De Morgan), so ``if origin not in
ALLOWED: return`` yields the positive check ``origin in ALLOWED`` for the code
after it.  Atoms that do not look at an origin-derived value are dropped:
``if origin:`` and ``if DEBUG:`` protect nothing.
"""

from __future__ import annotations

import libcst as cst

from .index import RawGuard, Scope
from .model import CheckKind, Guard, OriginCheck
from .values import flow_of

_REGEX_FUNCS = {"match": "match", "search": "search", "fullmatch": "fullmatch"}


def analyze_guard(ev, raw: RawGuard, scope: Scope, order: int, depth: int, bindings: dict) -> Guard | None:
    g = _analyze(ev, raw.test, raw.polarity, scope, order, depth, bindings, 0)
    if g is None:
        return None
    return Guard(g.checks, g.conjunctive, ev.ctx.span(raw.test), ev.ctx.text(raw.test), g.children)


def _analyze(ev, node, positive: bool, scope, order, depth, bindings, level) -> Guard | None:
    if level > 12:
        return None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        return _analyze(ev, node.expression, not positive, scope, order, depth, bindings, level + 1)
    if isinstance(node, cst.BooleanOperation):
        parts = []
        for side in (node.left, node.right):
            g = _analyze(ev, side, positive, scope, order, depth, bindings, level + 1)
            if g is not None:
                parts.append(g)
        is_and = isinstance(node.operator, cst.And)
        conjunctive = is_and == positive  # De Morgan
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        checks = tuple(c for p in parts if _flat(p, conjunctive) for c in p.checks)
        children = tuple(p for p in parts if not _flat(p, conjunctive))
        children += tuple(c for p in parts if _flat(p, conjunctive) for c in p.children)
        return Guard(checks, conjunctive, children=children)
    if isinstance(node, cst.Name):
        # "allowed = origin in ALLOWED; if allowed:" - follow the flag
        for d in reversed(scope.assignments.get(node.value, [])):
            if d.order < order and d.value is not None and d.kind in ("assign", "walrus"):
                return _analyze(ev, d.value, positive, scope, d.order, depth, bindings, level + 1)
        return None
    if isinstance(node, cst.NamedExpr):
        return _analyze(ev, node.value, positive, scope, order, depth, bindings, level + 1)
    check = _atom(ev, node, scope, order, depth, bindings)
    if check is None:
        return None
    if not positive:
        check = _negate(check)
        if check is None:
            return None
    return Guard((check,))


def _flat(g: Guard, conjunctive: bool) -> bool:
    return g.conjunctive == conjunctive or len(g.checks) + len(g.children) <= 1


def _negate(check: OriginCheck) -> OriginCheck | None:
    kind = check.kind
    if kind == CheckKind.NOT_EQUALS:
        return _replace(check, CheckKind.EQUALS)
    if kind == CheckKind.NOT_IN_COLLECTION:
        return _replace(check, CheckKind.IN_COLLECTION)
    if kind == CheckKind.EQUALS:
        return _replace(check, CheckKind.NOT_EQUALS)
    if kind == CheckKind.IN_COLLECTION:
        return _replace(check, CheckKind.NOT_IN_COLLECTION)
    if kind == CheckKind.NEGATED:
        return None
    return _replace(check, CheckKind.NEGATED)


def _replace(check: OriginCheck, kind: CheckKind) -> OriginCheck:
    from dataclasses import replace

    return replace(check, kind=kind)


def _atom(ev, node, scope, order, depth, bindings) -> OriginCheck | None:
    ctx = ev.ctx
    evaluate = lambda n: ev.eval(n, scope, order, depth + 1, bindings)  # noqa: E731
    span = ctx.span(node)
    text = ctx.text(node)

    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        target = node.comparisons[0]
        op = target.operator
        left, right = evaluate(node.left), evaluate(target.comparator)
        lf, rf = flow_of(left), flow_of(right)
        if isinstance(op, (cst.Is, cst.IsNot)):
            return None
        if isinstance(op, (cst.In, cst.NotIn)):
            negated = isinstance(op, cst.NotIn)
            if lf is not None and rf is None:
                check = _membership(left, right, lf, span, text)
            elif rf is not None and lf is None:
                pattern = left.str_value()
                if pattern is None:
                    check = OriginCheck(CheckKind.UNKNOWN, (), rf.part, span=span, text=text)
                else:
                    check = OriginCheck(CheckKind.CONTAINS, (pattern,), rf.part, span=span, text=text)
            else:
                return None
            return _negate(check) if negated else check
        if isinstance(op, (cst.Equal, cst.NotEqual)):
            if (lf is None) == (rf is None):
                return None
            other = right if lf is not None else left
            flow = lf or rf
            pattern = other.str_value()
            check = OriginCheck(
                CheckKind.EQUALS,
                (pattern,) if pattern is not None else (),
                flow.part,
                span=span,
                text=text,
                resolved=pattern is not None,
            )
            return _negate(check) if isinstance(op, cst.NotEqual) else check
        return None

    if isinstance(node, cst.Call):
        return _call_check(ev, node, scope, order, depth, bindings, evaluate, span, text)
    return None


def _membership(left, right, flow, span, text) -> OriginCheck:
    if right.kind == "const" and isinstance(right.const, (str, bytes)):
        return OriginCheck(CheckKind.IN_STRING, (right.str_value() or "",), flow.part, span=span, text=text)
    if right.kind == "seq":
        entries = tuple(v.str_value() for v in right.items if v.str_value() is not None)
        resolved = len(entries) == len(right.items)
        return OriginCheck(CheckKind.IN_COLLECTION, entries, flow.part, span=span, text=text, resolved=resolved)
    if right.kind == "either":
        strings = [v for v in right.items if v.kind == "const" and isinstance(v.const, (str, bytes))]
        if strings:
            return OriginCheck(CheckKind.IN_STRING, (strings[0].str_value() or "",), flow.part, span=span, text=text)
    return OriginCheck(CheckKind.IN_COLLECTION, (), flow.part, span=span, text=text, resolved=False)


def _call_check(ev, node: cst.Call, scope, order, depth, bindings, evaluate, span, text) -> OriginCheck | None:
    ctx = ev.ctx
    func = node.func
    # origin.startswith(...) / origin.endswith(...)
    if isinstance(func, cst.Attribute) and func.attr.value in ("startswith", "endswith") and node.args:
        recv = evaluate(func.value)
        flow = flow_of(recv)
        if flow is None:
            return None
        arg = evaluate(node.args[0].value)
        if arg.kind == "seq":
            patterns = tuple(v.str_value() for v in arg.items if v.str_value() is not None)
        else:
            patterns = (arg.str_value(),) if arg.str_value() is not None else ()
        kind = CheckKind.STARTSWITH if func.attr.value == "startswith" else CheckKind.ENDSWITH
        return OriginCheck(kind, patterns, flow.part, span=span, text=text, resolved=bool(patterns))
    qual = ctx.qualify(func)
    # re.match(p, origin) / re.search / re.fullmatch
    for q in qual:
        head, _, fn = q.rpartition(".")
        if head in ("re", "regex") and fn in _REGEX_FUNCS and len(node.args) >= 2:
            subject = evaluate(node.args[1].value)
            flow = flow_of(subject)
            if flow is None:
                return None
            pattern = evaluate(node.args[0].value)
            flags_arg = ctx.arg(node, 2, "flags")
            flags = ev._flags(flags_arg.value) if flags_arg is not None else 0
            if pattern.kind == "regex":
                return OriginCheck(CheckKind.REGEX, (pattern.const,), flow.part, _REGEX_FUNCS[fn], pattern.flags | flags, span, text)
            p = pattern.str_value()
            return OriginCheck(CheckKind.REGEX, (p,) if p is not None else (), flow.part, _REGEX_FUNCS[fn], flags, span, text, resolved=p is not None)
        if q in ("fnmatch.fnmatch", "fnmatch.fnmatchcase") and len(node.args) >= 2:
            subject = evaluate(node.args[0].value)
            flow = flow_of(subject)
            if flow is None:
                return None
            p = evaluate(node.args[1].value).str_value()
            return OriginCheck(CheckKind.GLOB, (p,) if p else (), flow.part, "fnmatch", span=span, text=text, resolved=p is not None)
    # compiled.match(origin)
    if isinstance(func, cst.Attribute) and func.attr.value in _REGEX_FUNCS and node.args:
        subject = evaluate(node.args[0].value)
        flow = flow_of(subject)
        if flow is None:
            return None
        compiled = evaluate(func.value)
        if compiled.kind == "regex":
            return OriginCheck(CheckKind.REGEX, (compiled.const,), flow.part, _REGEX_FUNCS[func.attr.value], compiled.flags, span, text)
        return OriginCheck(CheckKind.REGEX, (), flow.part, _REGEX_FUNCS[func.attr.value], span=span, text=text, resolved=False)
    # any(origin.endswith(d) for d in DOMAINS) / any(re.match(p, origin) for p in PATTERNS)
    if isinstance(func, cst.Name) and func.value in ("any", "all") and node.args and isinstance(node.args[0].value, cst.GeneratorExp):
        gen = node.args[0].value
        inner = _atom(ev, gen.elt, scope, order, depth, {**bindings, **_loop_binding(ev, gen, scope, order, depth, bindings)})
        return inner
    # a validator function: is_allowed(origin)
    args = [evaluate(a.value) for a in node.args]
    flows = [flow_of(a) for a in args if flow_of(a) is not None]
    if flows:
        name = next(iter(sorted(qual)), ctx.text(func))
        local = ev._local_function(func, scope)
        if local is not None:
            verdict = _validator_summary(ev, node, local, scope, order, depth, bindings)
            if verdict is not None:
                return verdict
        return OriginCheck(CheckKind.VALIDATOR, (name,), flows[0].part, span=span, text=text)
    return None


def _loop_binding(ev, gen: cst.GeneratorExp, scope, order, depth, bindings) -> dict:
    """Bind the generator's loop variable to the collection's items, so a
    check on it sees every pattern (the check then carries them all)."""
    from .model import Value

    target = gen.for_in.target
    if not isinstance(target, cst.Name):
        return {}
    it = ev.eval(gen.for_in.iter, scope, order, depth + 1, bindings)
    if it.kind == "seq":
        return {target.value: Value("seq", items=it.items)}
    return {}


def _validator_summary(ev, call: cst.Call, target: Scope, scope, order, depth, bindings) -> OriginCheck | None:
    """Summarise a same-module validator: the check made by its return
    expression, with its parameters bound to this call's arguments."""
    names = target.param_names()
    if target.class_name is not None and names and names[0] in ("self", "cls"):
        names = names[1:]
    inner: dict = {}
    for i, pname in enumerate(names):
        arg = ev.ctx.arg(call, i, pname)
        if arg is not None:
            inner[pname] = ev.eval(arg.value, scope, order, depth + 1, bindings)
    for ret in target.returns:
        check = _atom(ev, ret.node.value, target, ret.order, depth + 1, inner)
        if check is not None:
            return check
        g = _analyze(ev, ret.node.value, True, target, ret.order, depth + 1, inner, 1)
        if g is not None and g.checks:
            return g.checks[0]
    return None
