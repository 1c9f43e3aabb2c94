"""Tornado ``WebSocketHandler.check_origin`` overrides.

Tornado's own ``check_origin`` accepts a handshake only when the Origin's
netloc equals the Host header.  An override decides instead: returning a
constant truthy value on every path accepts every origin (COR401); the
origin tests it makes before returning ``True`` (or returns directly, as in
``return origin in ALLOWED``) become ``OriginCheck``s, kept with the guards
they came from (``GuardedChecks``), that COR102 judges.

The ``origin`` parameter of ``check_origin(self, origin)`` is already an
origin source for the value evaluator, so the ordinary guard analysis turns
``if not origin.endswith(".example.com"): return False`` into checks here.
"""

from __future__ import annotations

import libcst as cst

from ..context import ModuleContext
from ..index import ClassInfo, RawGuard, Scope
from ..model import FileFacts, Guard, GuardedChecks, OriginCheck, WebSocketCheck
from ..policy_kit import imports_any, truth
from ..sources import is_request_value

METHOD = "check_origin"


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    tornado = imports_any(ctx, "tornado")
    for info in ctx.index.classes.values():
        if not (tornado or _looks_like_handler(ctx, info)):
            continue
        scope = info.methods.get(METHOD)
        if scope is not None and len(scope.param_names()) == 2:
            check = _method_check(ctx, scope)
            if check is not None:
                facts.websocket_checks.append(check)
            continue
        lam = _lambda_attribute(info)
        if lam is not None:
            value = ctx.evaluate(lam.body)
            if value.kind == "const" and truth(value) is True:
                facts.websocket_checks.append(WebSocketCheck(ctx.span(lam), always_true=True, text=ctx.text(lam)))


def _looks_like_handler(ctx: ModuleContext, info: ClassInfo) -> bool:
    return any((ctx.dotted(b) or "").endswith("WebSocketHandler") for b in info.bases)


def _method_check(ctx: ModuleContext, scope: Scope) -> WebSocketCheck | None:
    returns = [r for r in scope.returns if _owned_by(ctx, r.node, scope)]
    if not returns:
        return None  # falls off the end: None rejects every handshake
    evaluator = ctx.evaluator
    groups: list[GuardedChecks] = []
    all_true = True
    guarded = False
    first_true = None
    for ret in returns:
        expr = ret.node.value
        value = ctx.evaluate_in(expr, scope, ret.order)
        verdict = truth(value) if value.kind == "const" else None
        if verdict is True:
            first_true = first_true or ret.node
            guards = [g for g in (evaluator.guard(raw, scope, raw.order) for raw in ret.guards) if g is not None]
            found = [c for g in guards for c in _flatten(g)]
            if found:
                guarded = True
                groups.append(GuardedChecks(tuple(guards), tuple(found)))
            continue
        all_true = False
        if verdict is False:
            continue
        guard = evaluator.guard(RawGuard(expr, True, ret.order), scope, ret.order)
        if guard is not None:
            groups.append(GuardedChecks((guard,), tuple(_flatten(guard))))
    if all_true and not guarded and first_true is not None:
        return WebSocketCheck(ctx.span(first_true), always_true=True, text=ctx.text(first_true))
    if any(group.checks for group in groups):
        return WebSocketCheck(ctx.span(scope.node.name), always_true=False, groups=tuple(g for g in groups if g.checks), text=f"{scope.qualname}()")
    return None


def _owned_by(ctx: ModuleContext, node: cst.CSTNode, scope: Scope) -> bool:
    """A return of this method, not of a function nested inside it."""
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


def _lambda_attribute(info: ClassInfo) -> cst.Lambda | None:
    """``check_origin = lambda self, origin: True`` in the class body."""
    body = info.node.body
    if not isinstance(body, cst.IndentedBlock):
        return None
    for stmt in body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.Lambda):
                if any(isinstance(t.target, cst.Name) and t.target.value == METHOD for t in small.targets):
                    return small.value
    return None
