"""Tornado ``WebSocketHandler.check_origin`` overrides.

Tornado's own ``check_origin`` accepts a handshake only when the Origin's
netloc equals the Host header.  An override decides instead: returning a
constant truthy value on every path accepts every origin (COR401); the
origin tests it makes before returning ``True`` (or returns directly, as in
``return origin in ALLOWED``) become ``OriginCheck``s, kept with the guards
they came from (``GuardedChecks``), that COR102 judges
(``facts/origin_predicates.py``, shared with Socket.IO's origin callables).

The ``origin`` parameter of ``check_origin(self, origin)`` is already an
origin source for the value evaluator, so the ordinary guard analysis turns
``if not origin.endswith(".example.com"): return False`` into checks here.
"""

from __future__ import annotations

import libcst as cst

from ..context import ModuleContext
from ..index import ClassInfo
from ..model import FileFacts, WebSocketCheck
from ..origin_predicates import accepting_paths
from ..policy_kit import imports_any, truth

METHOD = "check_origin"


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    tornado = imports_any(ctx, "tornado")
    for info in ctx.index.classes.values():
        if not (tornado or _looks_like_handler(ctx, info)):
            continue
        scope = info.methods.get(METHOD)
        if scope is not None and len(scope.param_names()) == 2:
            check = accepting_paths(ctx, scope)
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
