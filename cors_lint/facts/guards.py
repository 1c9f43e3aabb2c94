"""Turn a condition into a ``Guard``: the origin tests it makes.

``analyze_guard`` pushes negations inward (De Morgan), so ``if origin not in
ALLOWED: return`` yields the positive check ``origin in ALLOWED`` for the code
after it.  Atoms that do not look at an origin-derived value are dropped:
``if origin:`` and ``if DEBUG:`` protect nothing.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from . import configured, expressions
from .index import RawGuard, Scope, Site
from .literals import ForeignSpan, literal_spans
from .model import CheckKind, Guard, OriginCheck
from .sources import is_request_value
from .value_ops import flow_of

_REGEX_FUNCS = {"match": "match", "search": "search", "fullmatch": "fullmatch"}
# subjects the pattern analysis models; tests on anything else are recorded whole
_JUDGED_SUBJECTS = ("origin", "host", "netloc", "scheme")


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
        is_and = isinstance(node.operator, cst.And)
        conjunctive = is_and == positive  # De Morgan
        parts = []
        switches = []
        for side in (node.left, node.right):
            g = _analyze(ev, side, positive, scope, order, depth, bindings, level + 1)
            if g is not None:
                parts.append(g)
            elif not conjunctive and not _origin_absent(ev, side, positive, scope, order, depth, bindings):
                switch = _wildcard_switch(ev, side, positive, scope, order, depth, bindings)
                if switch is None:
                    # "if request.host == 'localhost:8000' or origin in ALLOWED":
                    # one way through tests no origin at all, so nothing is guarded
                    return None
                if switch:
                    switches.append(side)
                # else: '"*" in LITERAL' without "*": never the way through
        if not parts:
            return None
        if switches:
            # '"*" in ALLOWED or origin in ALLOWED': as the intersection
            # {"*", origin} & ALLOWED, a switch the deployment may turn on
            like = next(iter(_all_checks(parts[0])), None)
            if like is None:
                return None
            for side in switches:
                check = OriginCheck(CheckKind.IN_COLLECTION, ("*",), like.subject, span=ev.ctx.span(side), text=ev.ctx.text(side), source=like.source, configured="switch")
                parts.append(Guard((check,)))
        if len(parts) == 1:
            return parts[0]
        checks = tuple(c for p in parts if _flat(p, conjunctive) for c in p.checks)
        children = tuple(p for p in parts if not _flat(p, conjunctive))
        children += tuple(c for p in parts if _flat(p, conjunctive) for c in p.children)
        return Guard(checks, conjunctive, children=children)
    if isinstance(node, cst.Name):
        # "allowed = origin in ALLOWED; if allowed:" - follow the flag, also
        # into the enclosing function (a flag read by a nested send wrapper)
        while scope is not None and node.value not in scope.assignments and scope.kind == "function" and scope.parent is not None and scope.parent.kind == "function":
            scope = scope.parent
            order = 10**9
        if scope is None:
            return None
        defs = [d for d in scope.assignments.get(node.value, []) if d.order < order and d.value is not None and d.kind in ("assign", "walrus", "unpack")]
        if not defs:
            return None
        last = defs[-1]
        if last.kind == "unpack":
            # "origin, allowed = _cors(event)": the helper's returned tuple
            if not positive or not isinstance(last.value, cst.Call):
                return None
            return _unpacked_helper_guard(ev, last.value, last.position, scope, last.order, depth, bindings, level)
        if isinstance(last.value, cst.Call) and _unchecked_origin(ev.eval(last.value, scope, last.order, depth + 1, bindings)):
            # "origin = referer_origin(request); if origin:" - the helper
            # hands back the request value itself: a presence test
            return None
        if positive and last.guards and (_truthy_literal(last.value) or _falsy_literal(last.value) and any(_truthy_literal(d.value) for d in defs)):
            # (also "if test: allow = True / else: allow = False", whose last
            # assignment is the falsy one)
            # "if origin == o: allowed = True" - the flag means the conditions
            # around one of its truthy assignments held
            return _flag_guard(ev, _flag_setters(defs), scope, depth, bindings, level)
        return _analyze(ev, last.value, positive, scope, last.order, depth, bindings, level + 1)
    if isinstance(node, cst.NamedExpr):
        return _analyze(ev, node.value, positive, scope, order, depth, bindings, level + 1)
    if isinstance(node, cst.Call) and positive:
        trusted = _trusted_validator(ev, node)
        if trusted is not None:
            return Guard((trusted,))
        if _returns_the_value(ev, node, scope, order, depth, bindings):
            return None  # "origin = read_header(scope, b'origin'); if origin:" is a presence test
        summary = _helper_guard(ev, node, scope, order, depth, bindings, level)
        if summary is not None:
            return summary
    if _is_none_test(node):
        # "re.match(p, origin) is None" means "not re.match(p, origin)"
        is_none = isinstance(node.comparisons[0].operator, cst.Is)
        return _analyze(ev, node.left, positive != is_none, scope, order, depth, bindings, level + 1)
    check = _atom(ev, node, scope, order, depth, bindings)
    if check is None or check.kind == CheckKind.UNKNOWN or check.subject not in _JUDGED_SUBJECTS:
        # a test on a transformed origin (split, find, partition...): record
        # the whole expression so the checks layer can run it
        check = expressions.expression_check(ev, node, scope, order, depth, bindings, ev.ctx.span(node), ev.ctx.text(node)) or check
    if check is None:
        return None
    # tested against a setting of unknown content but known shape
    check = configured.mark(ev, node, check, scope, order)
    if not positive:
        check = _negate(check)
        if check is None:
            return None
    return Guard((check,))


def _returns_the_value(ev, call: cst.Call, scope, order, depth, bindings) -> bool:
    """Is the call's result the request value itself, unchecked?  A helper
    that finds a header (``_header(scope, b"origin")``) returns the Origin
    or None; testing its result only says that an origin was sent.  A
    helper that returns the origin only after testing it carries that test
    on the flow (``OriginFlow.guards``) and is still summarised."""
    flow = flow_of(ev.eval(call, scope, order, depth + 1, bindings))
    return flow is not None and flow.reflected and not flow.guards


def _unchecked_origin(value) -> bool:
    """Every truthy alternative of ``value`` is the request value itself,
    unchecked (the others are ``None`` or ``""``)."""
    from .value_ops import alternatives

    truthy = [a for a in alternatives(value) if not (a.kind == "const" and not a.const)]
    return bool(truthy) and all(a.flow is not None and a.flow.reflected and not a.flow.guards for a in truthy)


def _is_none_test(node) -> bool:
    if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
        return False
    target = node.comparisons[0]
    return (
        isinstance(target.operator, (cst.Is, cst.IsNot))
        and isinstance(target.comparator, cst.Name)
        and target.comparator.value == "None"
        and isinstance(node.left, (cst.Call, cst.Name))
    )


def _truthy_literal(node) -> bool:
    return (isinstance(node, cst.Name) and node.value == "True") or (isinstance(node, cst.Integer) and node.value not in ("0",))


def _flag_setters(defs: list) -> list:
    """The guarded truthy assignments after the flag's last unconditional
    one (``ok = False``); an unconditional truthy one means no protection."""
    setters = []
    for d in reversed(defs):
        if not d.guards:
            if _truthy_literal(d.value):
                return []
            break
        if _truthy_literal(d.value):
            setters.append(d)
    return setters


def _flag_guard(ev, setters: list, scope, depth, bindings, level) -> Guard | None:
    paths = []
    for d in setters:
        parts = []
        for raw in d.guards:
            g = _analyze(ev, raw.test, raw.polarity, scope, raw.order, depth, bindings, level + 1)
            if g is not None:
                parts.append(g)
        if not parts:
            return None  # set under a condition that does not test the origin
        paths.append(parts[0] if len(parts) == 1 else Guard((), True, children=tuple(parts)))
    if not paths:
        return None
    if len(paths) == 1:
        return paths[0]
    return Guard((), False, children=tuple(paths))


def _origin_absent(ev, node, positive: bool, scope, order, depth, bindings) -> bool:
    """Does this disjunct hold only when there is no origin to reflect
    (``origin is None``, ``not origin``)?  Such a way through is harmless."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        return _origin_absent(ev, node.expression, not positive, scope, order, depth, bindings)
    if _is_none_test(node):
        is_none = isinstance(node.comparisons[0].operator, cst.Is)
        subject = node.left
        holds_when_none = is_none == positive
    else:
        subject = node
        holds_when_none = not positive  # "not origin": falsy
    if not holds_when_none:
        return False
    return flow_of(ev.eval(subject, scope, order, depth + 1, bindings)) is not None


def _all_checks(g: Guard):
    yield from g.checks
    for child in g.children:
        yield from _all_checks(child)


def _wildcard_switch(ev, node, positive: bool, scope, order, depth, bindings) -> bool | None:
    """Is this disjunct ``"*" in <collection>`` (held as written, or as
    ``not ("*" not in ...)``)?  True when the collection's content is
    unknown (a setting the deployment fills: a conditional switch), False
    when it is a literal without ``"*"`` (the disjunct never holds), None
    when it is not such a test or the literal holds ``"*"`` (every origin
    passes: no guard)."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        return _wildcard_switch(ev, node.expression, not positive, scope, order, depth, bindings)
    if not (isinstance(node, cst.Comparison) and len(node.comparisons) == 1):
        return None
    op = node.comparisons[0].operator
    if not isinstance(op, (cst.In, cst.NotIn)) or isinstance(op, cst.In) != positive:
        return None
    evaluate = lambda n: ev.eval(n, scope, order, depth + 1, bindings)  # noqa: E731
    if evaluate(node.left).str_value() != "*":
        return None
    other = evaluate(node.comparisons[0].comparator)
    if flow_of(other) is not None:
        return None
    known = {v.str_value() for v in other.items} if other.kind == "seq" else {None}
    if "*" in known:
        return None
    if other.kind == "const" and isinstance(other.const, str):
        return None if "*" in other.const else False
    return other.kind != "seq" or other.from_default or None in known


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
        # "not ('x' not in origin)": the negated test itself, as recorded
        inner, _, matcher = check.matcher.partition(":")
        try:
            return replace(check, kind=CheckKind(inner), matcher=matcher)
        except ValueError:
            return None
    if kind == CheckKind.UNKNOWN:
        return None
    if kind == CheckKind.EXPRESSION:
        return expressions.negated(check)
    # keep what was negated, so the analyser can run it: "kind:matcher"
    return replace(check, kind=CheckKind.NEGATED, matcher=f"{kind.value}:{check.matcher}")


def _replace(check: OriginCheck, kind: CheckKind) -> OriginCheck:
    return replace(check, kind=kind)


def _atom(ev, node, scope, order, depth, bindings) -> OriginCheck | None:
    ctx = ev.ctx
    bindings = {**_loop_variables(ev, node, scope, order, depth, bindings), **bindings}
    evaluate = lambda n: ev.eval(n, scope, order, depth + 1, bindings)  # noqa: E731
    span = ctx.span(node)
    text = ctx.text(node)

    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        target = node.comparisons[0]
        op = target.operator
        if isinstance(op, (cst.Is, cst.IsNot)):
            return None  # "X is None" around a check is handled by _analyze
        left, right = evaluate(node.left), evaluate(target.comparator)
        lf, rf = flow_of(left), flow_of(right)
        if isinstance(op, (cst.In, cst.NotIn)):
            negated = isinstance(op, cst.NotIn)
            if lf is not None and rf is None:
                check = _with_pattern_spans(ctx, _membership(left, right, lf, span, text), target.comparator, scope, order)
            elif rf is not None and lf is None:
                patterns, resolved = _strings(left)
                kind = CheckKind.CONTAINS if patterns else CheckKind.UNKNOWN
                check = OriginCheck(kind, patterns, rf.part, span=span, text=text, resolved=resolved, source=rf.header)
                if not patterns:
                    # "<setting> in origin": marked before a "not in" negates it
                    check = configured.mark(ev, node, check, scope, order)
            else:
                return None
            check = _mark_default(check, left, right)
            return _negate(check) if negated else check
        if isinstance(op, (cst.Equal, cst.NotEqual)):
            if (lf is None) == (rf is None):
                return None
            other = right if lf is not None else left
            flow = lf or rf
            patterns, resolved = _strings(other)
            # "any(origin == o for o in ALLOWED)" compares against every item
            kind = CheckKind.IN_COLLECTION if other.kind == "seq" else CheckKind.EQUALS
            check = OriginCheck(kind, patterns, flow.part, span=span, text=text, resolved=resolved and bool(patterns), source=flow.header)
            if kind == CheckKind.IN_COLLECTION:
                check = _with_pattern_spans(ctx, check, target.comparator if lf is not None else node.left, scope, order)
            check = _mark_default(check, other)
            return _negate(check) if isinstance(op, cst.NotEqual) else check
        if (lf is None) != (rf is None):
            # origin.find("x") >= 0, len(host) < 64: a test on the origin that
            # is not modelled; unknown strength, never "no check at all"
            return OriginCheck(CheckKind.UNKNOWN, (), (lf or rf).part, span=span, text=text, resolved=False, source=(lf or rf).header)
        return None

    sides = _intersected(node)
    if sides is not None:
        # {origin} & ALLOWED, set(["*", origin]) & settings.ORIGINS,
        # ALLOWED.intersection({origin, "*"}): membership
        for mine, other in (sides, sides[::-1]):
            holder = evaluate(mine)
            flows = [flow_of(i) for i in holder.items if flow_of(i) is not None] if holder.kind == "seq" else []
            if flows:
                return _intersection(holder, evaluate(other), flows[0], span, text)
        if isinstance(node, cst.BinaryOperation):
            return None

    if isinstance(node, cst.Call):
        # bool(re.match(...)) is the match itself
        if isinstance(node.func, cst.Name) and node.func.value == "bool" and len(node.args) == 1:
            return _atom(ev, node.args[0].value, scope, order, depth, bindings)
        return _call_check(ev, node, scope, order, depth, bindings, evaluate, span, text)
    return None


def _intersected(node) -> tuple | None:
    """The two sides of a set intersection, written ``a & b`` or
    ``a.intersection(b)`` (one argument)."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitAnd):
        return node.left, node.right
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "intersection"
        and len(node.args) == 1
        and not node.args[0].star
        and node.args[0].keyword is None
    ):
        return node.func.value, node.args[0].value
    return None


def _strings(value) -> tuple[tuple[str, ...], bool]:
    """The string constants a value stands for (a constant, a sequence of
    them, alternatives), and whether all of it resolved."""
    items = value.items if value.kind in ("seq", "either") else (value,)
    out = []
    for item in items:
        text = item.str_value()
        if text is None:
            return tuple(out), False
        out.append(text)
    return tuple(out), True


def _regexes(value) -> tuple[tuple[str, ...], int, bool]:
    """Patterns from a string/compiled regex or a sequence of them, with the
    flags compiled in (one set of flags for all; mixed flags are OR-ed)."""
    items = value.items if value.kind in ("seq", "either") else (value,)
    out, flags, resolved = [], 0, True
    for item in items:
        if item.kind == "regex" and isinstance(item.const, str):
            out.append(item.const)
            flags |= item.flags
        elif item.str_value() is not None:
            out.append(item.str_value())
        else:
            resolved = False
    return tuple(out), flags, resolved and bool(out)


def _loop_variables(ev, node, scope, order, depth, bindings) -> dict:
    """Bind names that are ``for`` loop variables to the collection they run
    over ("for o in ALLOWED: if origin.startswith(o)"), so the check carries
    every pattern."""
    from .model import Value

    out: dict = {}
    for name in _names(node):
        if name in bindings or name in out:
            continue
        defs = [d for d in scope.assignments.get(name, []) if d.order < order]
        if not defs or defs[-1].kind != "for" or defs[-1].value is None:
            continue
        it = ev.eval(defs[-1].value, scope, defs[-1].order, depth + 1, bindings)
        if it.kind == "seq":
            out[name] = Value("seq", items=it.items)
    return out


def _names(node) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack and len(found) < 20:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.append(current.value)
        elif isinstance(current, (cst.Lambda, cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)):
            continue
        else:
            stack.extend(current.children)
    return found


def _defaulted(value) -> bool:
    return value.from_default or any(_defaulted(i) for i in value.items)


def _mark_default(check: OriginCheck, *values) -> OriginCheck:
    """Record that the patterns came from a default such as
    ``os.getenv("X", "...")`` (lower confidence), when the model carries
    that field."""
    if "from_default" in OriginCheck.__dataclass_fields__ and any(_defaulted(v) for v in values):
        return replace(check, from_default=True)
    return check


def _with_pattern_spans(ctx, check: OriginCheck, node, scope, order) -> OriginCheck:
    """Where the entries of a membership test (or the patterns of a regex
    test) were written (the list literal, maybe extended elsewhere, the
    ``re.compile`` of a module constant), so entry findings point there."""
    if check.kind not in (CheckKind.IN_COLLECTION, CheckKind.REGEX) or not check.patterns or isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return check
    found = literal_spans(ctx, node, Site(node, scope, (), order))
    # an entry in another module: reported there, or here with a note
    spans = tuple((p, found[p].at(check.span) if isinstance(found[p], ForeignSpan) else found[p]) for p in check.patterns if p in found)
    return replace(check, pattern_spans=spans) if spans else check


def _intersection(holder, other, flow, span, text) -> OriginCheck | None:
    """``{"*", origin} & allowed`` is ``"*" in allowed or origin in allowed``:
    a constant beside the origin is a switch that lets every origin through
    when the other side holds it.  Only when the other side is known not to
    hold any of those constants is the test a plain membership check; else it
    does not confine the origin (the same verdict as the spelled-out ``or``)."""
    constants = [item.str_value() for item in holder.items if flow_of(item) is None]
    if constants:
        if None in constants:
            return None  # a switch whose value is unknown
        known = {v.str_value() for v in other.items} if other.kind == "seq" else {None}
        if known & set(constants):
            return None  # the collection holds the switch: every origin passes
        if other.kind != "seq" or other.from_default or None in known:
            # the deployment decides what the collection holds: the switch is
            # on only if it holds one of the constants (a conditional proof)
            return OriginCheck(CheckKind.IN_COLLECTION, tuple(constants), flow.part, span=span, text=text, source=flow.header, configured="switch")
    return _membership(holder, other, flow, span, text)


def _membership(left, right, flow, span, text) -> OriginCheck:
    if right.kind == "const" and isinstance(right.const, (str, bytes)):
        return OriginCheck(CheckKind.IN_STRING, (right.str_value() or "",), flow.part, span=span, text=text, source=flow.header)
    if right.kind == "seq":
        entries = tuple(v.str_value() for v in right.items if v.str_value() is not None)
        resolved = len(entries) == len(right.items)
        return OriginCheck(CheckKind.IN_COLLECTION, entries, flow.part, span=span, text=text, resolved=resolved, source=flow.header)
    if right.kind == "either":
        strings = [v for v in right.items if v.kind == "const" and isinstance(v.const, (str, bytes))]
        if strings:
            return OriginCheck(CheckKind.IN_STRING, (strings[0].str_value() or "",), flow.part, span=span, text=text, source=flow.header)
    return OriginCheck(CheckKind.IN_COLLECTION, (), flow.part, span=span, text=text, resolved=False, source=flow.header)


def _call_check(ev, node: cst.Call, scope, order, depth, bindings, evaluate, span, text) -> OriginCheck | None:
    """The origin check a call makes, tried form by form: an affix test, a
    ``re``/``fnmatch`` function, a compiled pattern's method, ``any``/``all``
    over a generator, a validator function."""
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("startswith", "endswith") and node.args:
        return _affix_check(node, func, evaluate, span, text)
    qual = ev.ctx.qualify(func)
    for q in qual:
        head, _, fn = q.rpartition(".")
        if head in ("re", "regex") and fn in _REGEX_FUNCS and len(node.args) >= 2:
            check = _regex_function_check(ev, node, fn, evaluate, span, text)
            return _with_pattern_spans(ev.ctx, check, node.args[0].value, scope, order) if check is not None else None
        if q in ("fnmatch.fnmatch", "fnmatch.fnmatchcase") and len(node.args) >= 2:
            return _glob_check(node, q, evaluate, span, text)
    if isinstance(func, cst.Attribute) and func.attr.value in _REGEX_FUNCS and node.args:
        check = _compiled_check(node, func, evaluate, span, text)
        return _with_pattern_spans(ev.ctx, check, func.value, scope, order) if check is not None else None
    if isinstance(func, cst.Name) and func.value in ("any", "all") and node.args and isinstance(node.args[0].value, (cst.GeneratorExp, cst.ListComp)):
        return _any_all_check(ev, node, func, scope, order, depth, bindings, span, text)
    return _validator_check(ev, node, qual, scope, order, depth, bindings, evaluate, span, text)


def _affix_check(node: cst.Call, func: cst.Attribute, evaluate, span, text) -> OriginCheck | None:
    """``origin.startswith(...)`` / ``origin.endswith(...)``."""
    flow = flow_of(evaluate(func.value))
    if flow is None:
        return None
    affix = evaluate(node.args[0].value)
    patterns, resolved = _strings(affix)
    kind = CheckKind.STARTSWITH if func.attr.value == "startswith" else CheckKind.ENDSWITH
    check = OriginCheck(kind, patterns, flow.part, span=span, text=text, resolved=resolved and bool(patterns), source=flow.header)
    return _mark_default(check, affix)  # origin.endswith(os.getenv("DOMAIN", "example.com"))


def _regex_function_check(ev, node: cst.Call, fn: str, evaluate, span, text) -> OriginCheck | None:
    """``re.match(p, origin)`` / ``re.search`` / ``re.fullmatch``."""
    flow = flow_of(evaluate(node.args[1].value))
    if flow is None:
        return None
    flags_arg = ev.ctx.arg(node, 2, "flags")
    flags = ev._flags(flags_arg.value) if flags_arg is not None else 0
    pattern = evaluate(node.args[0].value)
    patterns, compiled_flags, resolved = _regexes(pattern)
    check = OriginCheck(CheckKind.REGEX, patterns, flow.part, _REGEX_FUNCS[fn], compiled_flags | flags, span, text, resolved=resolved, source=flow.header)
    return _mark_default(check, pattern)


def _glob_check(node: cst.Call, qualified: str, evaluate, span, text) -> OriginCheck | None:
    """``fnmatch.fnmatch(origin, pattern)`` / ``fnmatchcase``."""
    flow = flow_of(evaluate(node.args[0].value))
    if flow is None:
        return None
    patterns, resolved = _strings(evaluate(node.args[1].value))
    matcher = qualified.rsplit(".", 1)[1]
    return OriginCheck(CheckKind.GLOB, patterns, flow.part, matcher, span=span, text=text, resolved=resolved and bool(patterns), source=flow.header)


def _compiled_check(node: cst.Call, func: cst.Attribute, evaluate, span, text) -> OriginCheck | None:
    """``compiled.match(origin)`` on a ``re.compile`` result (or a list of them)."""
    flow = flow_of(evaluate(node.args[0].value))
    if flow is None:
        return None
    compiled = evaluate(func.value)
    items = compiled.items if compiled.kind in ("seq", "either") else (compiled,)
    if all(i.kind == "regex" for i in items) and items:
        patterns, flags, resolved = _regexes(compiled)
        return OriginCheck(CheckKind.REGEX, patterns, flow.part, _REGEX_FUNCS[func.attr.value], flags, span, text, resolved=resolved, source=flow.header)
    return OriginCheck(CheckKind.REGEX, (), flow.part, _REGEX_FUNCS[func.attr.value], span=span, text=text, resolved=False, source=flow.header)


def _any_all_check(ev, node: cst.Call, func: cst.Name, scope, order, depth, bindings, span, text) -> OriginCheck | None:
    """``any(origin.endswith(d) for d in DOMAINS)`` / ``any(re.match(p, origin) for p in PATTERNS)``."""
    gen = node.args[0].value
    inner = _atom(ev, gen.elt, scope, order, depth, {**bindings, **_loop_binding(ev, gen, scope, order, depth, bindings)})
    if inner is None:
        return None
    if func.value == "all" or gen.for_in.inner_for_in is not None:
        # every pattern must pass: not the "any of them admits" the analyser models
        return OriginCheck(CheckKind.UNKNOWN, (), inner.subject, span=span, text=text, resolved=False)
    return replace(inner, span=span, text=text)


def _validator_check(ev, node: cst.Call, qual, scope, order, depth, bindings, evaluate, span, text) -> OriginCheck | None:
    """A validator function given the origin: ``is_allowed(origin)``, read
    through when it is a function of this module."""
    args = [evaluate(a.value) for a in node.args]
    flows = [flow_of(a) for a in args if flow_of(a) is not None]
    if not flows:
        return None
    name = next(iter(sorted(qual)), ev.ctx.text(node.func))
    local = ev._local_function(node.func, scope)
    if local is not None:
        summary = _validator_summary(ev, node, local, scope, order, depth, bindings)
        if summary is not None:
            return summary
    # given the Origin beside other request values (``allowed(slug, origin)``),
    # it is the Origin the validator is taken to judge
    flow = next((f for f in flows if not is_request_value(f.header)), flows[0])
    return OriginCheck(CheckKind.VALIDATOR, (name,), flow.part, span=span, text=text, source=flow.header)


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


def _helper_guard(ev, call: cst.Call, scope, order, depth, bindings, level) -> Guard | None:
    """A helper (of this module or imported from a project module) that tests the origin (passed in or read by the
    helper itself), as the disjunction of the
    conditions under which it returns something truthy: ``return origin in
    ALLOWED or origin.endswith("example.com")``, or ``if <test>: return
    True`` followed by ``return False``.  None when some truthy return is
    not an origin test (then the call is judged as a plain validator)."""
    # the helper may read the origin itself ("def origin_ok(self): origin =
    # self.headers.get('Origin'); return ..."): its returns decide either way
    return _returned_tests(ev, call, scope, order, depth, bindings, level, lambda value: value, strict=False)


def _unpacked_helper_guard(ev, call: cst.Call, position: int, scope, order, depth, bindings, level) -> Guard | None:
    """Element ``position`` of what a same-module helper returns, as a
    test: ``return origin, origin in ALLOWED`` makes ``allowed`` in
    ``origin, allowed = _cors(event)`` the membership test.  Each return
    is one way through (with its own conditions); one whose element is not
    an origin test protects nothing, so nothing is summarised."""

    def element(value):
        if not isinstance(value, cst.Tuple) or position >= len(value.elements):
            return _NOT_A_TEST
        return value.elements[position].value

    return _returned_tests(ev, call, scope, order, depth, bindings, level, element, strict=True)


_NOT_A_TEST = object()


def _returned_tests(ev, call: cst.Call, scope, order, depth, bindings, level, pick, strict: bool) -> Guard | None:
    """The disjunction, over a helper's returns (a function of this module,
    or in standalone mode one imported from another project module), of the
    conditions under which what ``pick`` takes from the returned value is
    truthy: each return is one way through, guarded by the tests on its way
    and by the value itself when that is a test.  A falsy return is no way
    through; one that is truthy with no origin test on its way protects
    nothing, so nothing is summarised (None).  ``strict``: a returned value
    that is not a literal must itself be an origin test (a tuple element
    named as the flag), not merely follow one."""
    target, home = ev._local_function(call.func, scope), ev
    foreign = None
    if target is None:
        # a helper imported from another project module (standalone mode):
        # its returns are read there, with this call's arguments bound
        from .dataflow import project_function

        found = project_function(ev.ctx, call.func)
        if found is not None:
            foreign, target = found
            home = foreign.evaluator
    if target is None or not target.returns or level > 8:
        return None
    inner = ev.bind_arguments(call, target, scope, order, depth, bindings)
    summary = _summarised_returns(home, target, inner, depth, level, pick, strict)
    if summary is None or foreign is None:
        return summary
    from .dataflow import foreign_guard

    return foreign_guard(summary, foreign, ev.ctx.span(call))


def _summarised_returns(ev, target: Scope, inner: dict, depth, level, pick, strict: bool) -> Guard | None:
    """``_returned_tests`` once the helper is found: ``ev`` is the
    evaluator of the module that defines it."""
    paths: list[Guard] = []
    for ret in target.returns:
        value = pick(ret.node.value)
        if value is _NOT_A_TEST:
            return None
        if _falsy_literal(value):
            continue
        conditions = [g for g in (_analyze(ev, raw.test, raw.polarity, target, raw.order, depth + 1, inner, level + 1) for raw in ret.guards) if g is not None]
        if not _truthy_literal(value):
            g = _analyze(ev, value, True, target, ret.order, depth + 1, inner, level + 1)
            if g is None and (strict or not conditions):
                return None
            if g is not None:
                conditions.append(g)
        if not conditions:
            return None  # an unconditional truthy return: no protection to summarise
        paths.append(conditions[0] if len(conditions) == 1 else Guard((), True, children=tuple(conditions)))
    if not paths:
        return None
    return paths[0] if len(paths) == 1 else Guard((), False, children=tuple(paths))


def _trusted_validator(ev, call: cst.Call) -> OriginCheck | None:
    """A call to a function the user configured as an origin validator
    (``trusted-validators``): trusted as written, even when cors-lint could
    look inside and would judge it otherwise."""
    trusted = ev.ctx.trusted_validators
    if not trusted:
        return None
    func = call.func
    names = set(ev.ctx.qualify(func))
    if isinstance(func, cst.Attribute):
        names.add(func.attr.value)  # self.origin_ok(...)
    for name in sorted(names):
        for wanted in trusted:
            w = wanted.strip(".")
            if name == w or w.endswith("." + name) or name.endswith("." + w):
                return OriginCheck(CheckKind.VALIDATOR, (w,), "origin", span=ev.ctx.span(call), text=ev.ctx.text(call))
    return None


def _falsy_literal(node) -> bool:
    return (isinstance(node, cst.Name) and node.value in ("False", "None")) or (isinstance(node, cst.Integer) and node.value == "0")


def _validator_summary(ev, call: cst.Call, target: Scope, scope, order, depth, bindings) -> OriginCheck | None:
    """Summarise a same-module validator: the check made by its return
    expression, with its parameters bound to this call's arguments."""
    inner = ev.bind_arguments(call, target, scope, order, depth, bindings)
    for ret in target.returns:
        check = _atom(ev, ret.node.value, target, ret.order, depth + 1, inner)
        if check is not None:
            return check
        g = _analyze(ev, ret.node.value, True, target, ret.order, depth + 1, inner, 1)
        if g is not None and g.checks:
            return g.checks[0]
    return None
