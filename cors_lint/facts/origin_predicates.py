"""Functions that decide whether an origin is accepted, judged by their
returns.

Tornado's ``check_origin(self, origin)`` and the origin callables that
python-socketio / python-engineio accept (``cors_allowed_origins=origin_ok``,
called as ``origin_ok(origin)`` or ``origin_ok(origin, environ)``) answer
the same question: is this handshake's Origin allowed?  A function that
returns a constant truthy value on every path accepts every origin
(COR401); otherwise the origin tests made on each accepting path (the
conditions before ``return True``, or a returned test such as ``return
origin in ALLOWED``) become ``OriginCheck``s grouped by path
(``GuardedChecks``), which COR102 judges.
"""

from __future__ import annotations

import libcst as cst

from .context import ModuleContext
from .index import RawGuard, Scope, Site
from .model import Guard, GuardedChecks, OriginCheck, OriginFlow, Value, WebSocketCheck
from .policy_kit import truth
from .sources import is_request_value


def accepting_paths(ctx: ModuleContext, scope: Scope, bindings: dict | None = None) -> WebSocketCheck | None:
    """Judge ``scope`` as an origin predicate.  ``bindings`` give the
    parameter that holds the Origin when the evaluator does not know it
    already (Tornado's ``check_origin`` parameter it does)."""
    returns = [r for r in scope.returns if _owned_by(ctx, r.node, scope)]
    if not returns:
        return None  # falls off the end: None rejects every handshake
    evaluator = ctx.evaluator
    bindings = bindings or {}
    groups: list[GuardedChecks] = []
    all_true = True
    guarded = False
    first_true = None
    for ret in returns:
        expr = ret.node.value
        if expr is None:
            all_true = False
            continue
        value = evaluator.eval(expr, scope, ret.order, 0, bindings)
        verdict = truth(value) if value.kind == "const" else None
        if verdict is True:
            first_true = first_true or ret.node
            judged = [(raw, evaluator.guard(raw, scope, raw.order, 0, bindings)) for raw in ret.guards]
            guards = [g for _, g in judged if g is not None]
            found = [c for g in guards for c in _flatten(g)]
            if found:
                guarded = True
                when = _nearest_other_condition(ctx, judged)
                groups.append(GuardedChecks(tuple(guards), tuple(found), ctx.span(ret.node), when))
            continue
        all_true = False
        if verdict is False:
            continue
        guard = evaluator.guard(RawGuard(expr, True, ret.order), scope, ret.order, 0, bindings)
        if guard is not None:
            groups.append(GuardedChecks((guard,), tuple(_flatten(guard))))
    if all_true and not guarded and first_true is not None:
        return WebSocketCheck(ctx.span(first_true), always_true=True, text=ctx.text(first_true))
    if any(group.checks for group in groups):
        return WebSocketCheck(ctx.span(scope.node.name), always_true=False, groups=tuple(g for g in groups if g.checks), text=f"{scope.qualname}()")
    return None


def origin_callable(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None = None) -> WebSocketCheck | None:
    """The checks of a callable passed where a library expects an origin
    predicate called with the Origin first: a module function passed by
    name (``cors_allowed_origins=_auctioneer_origin_ok``) or a lambda
    written at ``site``; None for anything else (a constant truthy
    callable is the extractor's any-origin case)."""
    if isinstance(node, cst.Lambda):
        return _lambda_check(ctx, node, site)
    if not isinstance(node, cst.Name):
        return None
    scopes = ctx.index.functions.get(node.value, [])
    if len(scopes) != 1 or scopes[0].in_class or not isinstance(scopes[0].node, cst.FunctionDef):
        return None
    scope = scopes[0]
    names = scope.param_names()
    if not names:
        return None
    param = scope.node.params.params[0]
    flow = OriginFlow(f"{scope.name}({names[0]})", ctx.span(param.name), header="origin")
    check = accepting_paths(ctx, scope, {names[0]: Value("origin", flow=flow, span=flow.span, text=names[0])})
    return check if check is not None and not check.always_true else None


def _lambda_check(ctx: ModuleContext, node: cst.Lambda, site: Site | None) -> WebSocketCheck | None:
    """``lambda origin, environ: origin.startswith("https://app.example.com")``."""
    params = node.params.params
    if site is None or not params:
        return None
    name = params[0].name.value
    flow = OriginFlow(f"lambda {name}", ctx.span(params[0].name), header="origin")
    bindings = {name: Value("origin", flow=flow, span=flow.span, text=name)}
    guard = ctx.evaluator.guard(RawGuard(node.body, True, site.order), site.scope, site.order, 0, bindings)
    checks = tuple(_flatten(guard)) if guard is not None else ()
    if not checks:
        return None
    return WebSocketCheck(ctx.span(node), always_true=False, groups=(GuardedChecks((guard,), checks),), text=ctx.text(node, 60))


def _nearest_other_condition(ctx: ModuleContext, judged: list) -> str:
    """The condition written nearest to an accepting return, as the path
    takes it, when it tests no origin (``allow_origin == "*"``); "" when
    the nearest condition is an origin test itself."""
    if not judged:
        return ""
    raw, guard = max(judged, key=lambda item: item[0].order)
    if guard is not None and _flatten(guard):
        return ""
    text = ctx.text(raw.test, 60)
    return text if raw.polarity else f"not ({text})"


def _owned_by(ctx: ModuleContext, node: cst.CSTNode, scope: Scope) -> bool:
    """A return of this function, not of a function nested inside it."""
    for parent in ctx.index.ancestors(node):
        if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
            return parent is scope.node
    return False


def _flatten(guard: Guard) -> list[OriginCheck]:
    """The origin tests in a guard; a test of another request value (a
    token query argument) is no origin check."""
    out = [c for c in guard.checks if not is_request_value(c.source)]
    for child in guard.children:
        out.extend(_flatten(child))
    return out
