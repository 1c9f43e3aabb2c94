"""Origin and Referer checks that reject the request: CSRF defences.

``if not request.headers["Origin"].startswith(SITE): abort(403)`` involves
no CORS header, yet it is an origin check whose strength matters: when an
attacker's origin passes it, the state-changing request it was meant to
stop goes through.  This extractor finds statements that reject a request
with a client error (``abort(403)``, ``raise PermissionDenied``, ``return
HttpResponseForbidden()``, ``return "...", 403``, ``raise
HTTPException(status_code=403)``, ``self.send_error(403)`` ...) and records
the innermost condition that leads there, negated (what must hold for the
request to go on), as an ``OriginGate`` when it tests an Origin-like value.
Judging the gate is left to ``checks``.
"""

from __future__ import annotations

import libcst as cst

# the rejection vocabulary lives beside the screen that asks Python's tree
# the same questions before libcst is loaded (gate_screen.py)
from ..gate_screen import (
    CLIENT_ERROR_NAMES,
    HELPER_DEPTH,
    REJECTING_NAMES,
    STATUS_CALLS,
    STATUS_KEYS,
    STATUS_KEYWORDS,
    helper_judge,
    returns_may_reject,
)
from .expressions import mentions_origin
from .index import RawGuard, Site
from .model import Guard, OriginGate


def extract(ctx, facts) -> None:
    ev = ctx.evaluator
    seen: set[tuple] = set()
    for site in _rejections(ctx, lambda scope: scope.kind == "function" and mentions_origin(ev, scope)):
        if not site.guards:
            # "for e in ALLOWED: if e in referer: return view(...)" then an
            # unconditional rejection: the request goes on only where an
            # earlier return lets it
            guard = _accepting_returns(ev, site)
            if guard is not None and ("fallthrough", id(site.node)) not in seen:
                seen.add(("fallthrough", id(site.node)))
                facts.origin_gates.append(OriginGate(guard, ctx.span(site.node), site.scope.qualname, ctx.text(site.node, limit=80)))
            continue
        raw = site.guards[-1]
        key = (id(raw.test), raw.polarity)
        if key in seen:
            continue
        seen.add(key)
        guard = _passing_guard(ev, raw, site)
        if guard is None or not (guard.checks or guard.children):
            continue
        facts.origin_gates.append(OriginGate(guard, ctx.span(site.node), site.scope.qualname, ctx.text(site.node, limit=80)))


def _passing_guard(ev, raw: RawGuard, site: Site) -> Guard | None:
    """What must hold for the request to go on.  ``if request.method ==
    "POST" and origin and not ok(origin): reject`` applies the check only
    to some requests; the conjuncts that do not test the origin say *when*
    the gate applies, not how strong it is, so only the origin tests are
    negated (the request passes when one of them fails)."""
    test = raw.test
    if raw.polarity and isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        parts = []
        for conjunct in _conjuncts(test):
            guard = ev.guard(RawGuard(conjunct, False, raw.order), site.scope, site.order)
            if guard is not None and (guard.checks or guard.children):
                parts.append(guard)
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return Guard((), False, ev.ctx.span(test), ev.ctx.text(test), children=tuple(parts))
    return ev.guard(RawGuard(test, not raw.polarity, raw.order), site.scope, site.order)


def _accepting_returns(ev, site: Site) -> Guard | None:
    """For a rejection every path reaches unless it returned before: the
    origin tests under which an earlier ``return`` of the same function
    lets the request go on, one way through per return.  None when some
    earlier return tests no origin (the rejection is then not the gate)."""
    scope = site.scope
    paths = []
    for ret in scope.returns:
        if ret.order >= site.order or ret.scope is not scope or _rejects(ev.ctx, ret.node.value):
            continue
        if not ret.guards:
            return None
        parts = [g for g in (ev.guard(raw, scope, raw.order) for raw in ret.guards) if g is not None and (g.checks or g.children)]
        if not parts:
            return None
        paths.append(parts[0] if len(parts) == 1 else Guard((), True, children=tuple(parts)))
    if not paths:
        return None
    return paths[0] if len(paths) == 1 else Guard((), False, children=tuple(paths))


def _rejects(ctx, value, bound: dict | None = None, depth: int = 0) -> bool:
    """A returned value that is itself a rejection: a rejecting call,
    ``body, 403``, or a response dict whose status is a client error
    (``{"statusCode": 403, ...}``, the AWS Lambda proxy shape).  ``bound``:
    a helper's parameters and the literal arguments of the call being
    judged (``def respond(status, body): return {"statusCode": status}``)."""
    if isinstance(value, cst.Call):
        return _rejecting_call(ctx, value, bound, depth)
    if isinstance(value, cst.Tuple):
        return len(value.elements) >= 2 and _client_error(ctx, value.elements[1].value, bound)
    if isinstance(value, cst.Dict):
        return any(
            isinstance(e, cst.DictElement) and _string(e.key) in STATUS_KEYS and _client_error(ctx, e.value, bound)
            for e in value.elements
        )
    return False




def _string(node) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _rejecting_helper(ctx, call: cst.Call, bound: dict | None, depth: int) -> bool:
    """A function of the project (this module or, in standalone mode, an
    imported one) every return of which turns the request away, with its
    parameters bound to this call's literal arguments: ``forbidden("...")``
    returning ``respond(403, ...)``, ``respond(403, body)`` returning
    ``{"statusCode": status, ...}``.  A helper whose name says nothing is
    still known by what it returns."""
    if depth >= HELPER_DEPTH:
        return False
    from .dataflow import project_function

    target = ctx.evaluator._local_function(call.func, ctx.index.module_scope) if isinstance(call.func, cst.Name) else None
    target_ctx = ctx
    if target is None:
        found = project_function(ctx, call.func, _may_reject)
        if found is None:
            return False
        target_ctx, target = found
    returns = [r for r in target.returns if r.scope is target and r.node.value is not None]
    if not returns:
        return False
    params = target.call_param_names()
    inner: dict = {}
    for i, name in enumerate(params):
        arg = ctx.arg(call, i, name)
        if arg is not None:
            value = arg.value
            if isinstance(value, cst.Name) and bound and value.value in bound:
                value = bound[value.value]
            inner[name] = value
    return all(_rejects(target_ctx, r.node.value, inner, depth + 1) for r in returns)


def _may_reject(project, path, name: str) -> bool:
    """Before another module is loaded for a helper: can every return of
    the helper be a rejection, judging by the shape of what it returns
    (``gate_screen.returns_may_reject``)?  pydantic/main.py no longer
    parses json_schema.py (2,700 lines) to learn that its helper returns a
    method call of a local object."""
    if not hasattr(project, "function_returns"):
        return True
    shapes = project.function_returns(path, name)
    if shapes is None:
        return True  # the outline cannot tell: load it
    return returns_may_reject(shapes, helper_judge(project, path, depth=0))


def _conjuncts(node):
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.And):
        yield from _conjuncts(node.left)
        yield from _conjuncts(node.right)
    else:
        yield node


def _rejections(ctx, relevant):
    """The statements that turn a request away, in functions ``relevant``
    accepts (asked first: judging a call may read a helper's body)."""
    index = ctx.index
    for site in index.calls:
        parent = index.parent(site.node)
        if not isinstance(parent, (cst.Raise, cst.Return, cst.Expr)) or not relevant(site.scope):
            continue
        # a helper's answer rejects only when it is returned (``forbidden()``
        # alone as a statement throws the 403 away)
        if _rejecting_call(ctx, site.node, helpers=isinstance(parent, cst.Return)):
            yield site
    for scope in (s for scopes in index.functions.values() for s in scopes):
        if not scope.returns or not relevant(scope):
            continue
        for site in scope.returns:
            value = site.node.value
            # return "cross-site request", 403 / return {"statusCode": 403, ...}
            if isinstance(value, (cst.Tuple, cst.Dict)) and _rejects(ctx, value):
                yield site
    for site in getattr(index, "raises", ()):
        exc = site.node.exc
        if isinstance(exc, (cst.Name, cst.Attribute)) and _last_name(exc) in REJECTING_NAMES and relevant(site.scope):
            yield site


def _last_name(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return ""


def _rejecting_call(ctx, call: cst.Call, bound: dict | None = None, depth: int = 0, helpers: bool = True) -> bool:
    name = _last_name(call.func)
    if name in REJECTING_NAMES:
        return True
    if name not in STATUS_CALLS:
        return helpers and _rejecting_helper(ctx, call, bound, depth)
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in STATUS_KEYWORDS and _client_error(ctx, arg.value, bound):
            return True
    positional = [a for a in call.args if a.keyword is None]
    if name in ("abort", "HTTPException", "HTTPError", "send_error", "set_status", "send_response", "error") and positional:
        return _client_error(ctx, positional[0].value, bound)
    return False


def _client_error(ctx, node, bound: dict | None = None) -> bool:
    """A 4xx status: an integer literal, ``HTTPStatus.FORBIDDEN``,
    ``status.HTTP_403_FORBIDDEN``, or a helper parameter given one."""
    if isinstance(node, cst.Name) and bound and node.value in bound:
        node = bound[node.value]
    if isinstance(node, cst.Integer):
        try:
            return 400 <= int(node.evaluated_value) < 500
        except ValueError:
            return False
    name = _last_name(node)
    return name in CLIENT_ERROR_NAMES or name.startswith("HTTP_4")


