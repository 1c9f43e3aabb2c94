"""The evaluator caches guards per (test, scope, polarity).  A guard computed
with argument bindings (a helper evaluated for one call) depends on those
bindings, so it must never be served to an unbound evaluation, nor the
reverse; and the recursion stop of a bound evaluation must not be left
behind as a cached "no guard"."""

from __future__ import annotations

import libcst as cst

from cors_lint.facts.context import ModuleContext
from cors_lint.facts.values import flow_of

SOURCE = '''
from flask import Flask, request

app = Flask(__name__)
PARTNERS = {"https://partner.example.com"}
SAMPLE = "https://static.example.com"


def partner_origin(origin):
    if origin in PARTNERS:
        return origin
    return None


@app.route("/feed")
def feed():
    response = app.make_response("")
    response.headers["Access-Control-Allow-Origin"] = partner_origin(request.headers.get("Origin"))
    return response
'''


def _setup():
    ctx = ModuleContext(cst.parse_module(SOURCE), "feed.py", None)
    ev = ctx.evaluator
    (scope,) = ctx.index.functions["partner_origin"]
    guarded = next(ret for ret in scope.returns if ret.guards)
    raw = guarded.guards[0]
    module = ctx.index.module_scope
    sample = next(a for a in module.assignments["SAMPLE"])
    constant = ev.eval(sample.value, module, 10**9)
    call = next(site for site in ctx.index.calls if ctx.dotted(site.node.func) == "request.headers.get")
    origin = ev.eval(call.node, call.scope, call.order)
    assert flow_of(origin) is not None and flow_of(constant) is None
    return ev, raw, scope, guarded.order, constant, origin


def _unbound_fresh():
    ev, raw, scope, order, _, _ = _setup()
    return ev.guard(raw, scope, order)


def test_unbound_guard_is_an_origin_check() -> None:
    guard = _unbound_fresh()
    assert guard is not None and guard.checks


def test_bound_evaluation_leaves_no_none_for_unbound_callers() -> None:
    expected = _unbound_fresh()
    ev, raw, scope, order, constant, _ = _setup()
    assert ev.guard(raw, scope, order, 0, {"origin": constant}) is None  # a constant is no origin
    assert ev.guard(raw, scope, order) == expected


def test_unbound_result_is_not_served_to_bound_callers() -> None:
    ev, raw, scope, order, constant, origin = _setup()
    assert ev.guard(raw, scope, order) is not None
    assert ev.guard(raw, scope, order, 0, {"origin": constant}) is None
    bound = ev.guard(raw, scope, order, 0, {"origin": origin})
    assert bound is not None and bound.checks


def test_bound_results_do_not_leak_between_bindings() -> None:
    ev, raw, scope, order, constant, origin = _setup()
    assert ev.guard(raw, scope, order, 0, {"origin": constant}) is None
    bound = ev.guard(raw, scope, order, 0, {"origin": origin})
    assert bound is not None and bound.checks
    assert ev.guard(raw, scope, order, 0, {"origin": constant}) is None
