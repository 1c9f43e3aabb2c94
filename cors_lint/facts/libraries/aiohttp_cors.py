"""aiohttp-cors: ``aiohttp_cors.setup(app, defaults={origin: ResourceOptions(...)})``
and ``cors.add(route, {origin: ResourceOptions(...)})``.

What the library does (aiohttp-cors 0.8.1, ``_CorsConfigImpl``): the request
Origin is looked up with ``config.get(origin, config.get("*"))``, an exact,
case-sensitive dict lookup.  Whatever key matched, the response carries the
caller's own Origin (aiohttp-cors never sends ``*``), ACAC when that key's
``ResourceOptions(allow_credentials=True)``, and never ``Vary``.  So a
``"*"`` key is "reflect any origin", with credentials if asked.

Each key of a configuration mapping becomes one ``CorsPolicy`` (the keys
carry their own credential settings).
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Setting, Value
from ..policy_kit import Element, assigned_call, read_options, calls_to, confidence_for, const_value, default_setting, dict_literal, elements, entry, imports_any, last_assignment, setting, truth

LIBRARY = "aiohttp-cors"
SETUP = ("aiohttp_cors.setup", "aiohttp_cors.CorsConfig", "aiohttp_cors.cors_config.CorsConfig")
RESOURCE_OPTIONS = ("aiohttp_cors.ResourceOptions", "aiohttp_cors.resource_options.ResourceOptions")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "aiohttp_cors"):
        return
    for site in calls_to(ctx, *SETUP):
        arg = ctx.arg(site.node, None, "defaults")
        if arg is not None:
            _mapping(ctx, facts, arg.value, site)
    for site in ctx.index.calls:
        call = site.node
        # cors.add(route, {"https://a.example": ResourceOptions(...)})
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "add":
            arg = ctx.arg(call, 1, "config")
            if arg is not None:
                _mapping(ctx, facts, arg.value, site)


def _mapping(ctx: ModuleContext, facts: FileFacts, node: cst.BaseExpression, site: Site) -> None:
    if isinstance(node, cst.Name):
        assigned = last_assignment(ctx, node.value, site)
        if isinstance(assigned, cst.DictComp):
            node = assigned
    if isinstance(node, cst.DictComp):
        _comprehension(ctx, facts, node, site)
        return
    literal = dict_literal(ctx, node, site)
    if not isinstance(literal, cst.Dict):
        return
    policies = []
    for el in literal.elements:
        if not isinstance(el, cst.DictElement):
            continue
        options_call = _resource_options(ctx, el.value, site)
        if options_call is None:
            continue  # not an aiohttp-cors mapping (some other .add())
        key = ctx.evaluate(el.key, site)
        policies.append(_policy(ctx, el, key, options_call, site))
    facts.policies.extend(_mark_varying(policies))


def _comprehension(ctx: ModuleContext, facts: FileFacts, node: cst.DictComp, site: Site) -> None:
    """``{origin: ResourceOptions(...) for origin in ORIGINS}``: one policy per
    element of the iterated collection (when it resolves)."""
    options_call = _resource_options(ctx, node.value, site)
    target = node.for_in.target
    if options_call is None or not isinstance(target, cst.Name) or not (isinstance(node.key, cst.Name) and node.key.value == target.value):
        return
    collection = ctx.evaluate(node.for_in.iter, site)
    keys = list(elements(collection, ctx.span(node.for_in.iter)))
    if not keys or any(not k.known for k in keys):
        facts.policies.append(_policy(ctx, node, Value("unknown", text=ctx.text(node.for_in.iter)), options_call, site, ctx.span(node.for_in.iter)))
        return
    facts.policies.extend(_mark_varying([_policy(ctx, node, k.value, options_call, site, k.span) for k in keys]))


def _mark_varying(policies: list[CorsPolicy]) -> list[CorsPolicy]:
    """aiohttp-cors echoes whichever key matched and never sends Vary: with
    several exact keys the ACAO changes per origin.  The mapping yields one
    policy per key; only the first carries ``varies_by_origin`` so the
    mapping is reported once."""
    exact = [p for p in policies if p.entries and not p.any_origin]
    if len(exact) < 2:
        return policies
    first = exact[0]
    return [
        replace(p, varies_by_origin=(p is first)) if p in exact else p
        for p in policies
    ]


def _resource_options(ctx: ModuleContext, node: cst.BaseExpression, site: Site) -> cst.Call | None:
    return assigned_call(ctx, node, site, *RESOURCE_OPTIONS)


def _policy(ctx: ModuleContext, el: cst.DictElement | cst.DictComp, key: Value, options_call: cst.Call, site: Site, key_span=None) -> CorsPolicy:
    options = read_options(ctx, options_call, site)
    key_span = key_span or ctx.span(el.key)
    origins = Setting("origin key", key, key_span)
    cred_value = options.get("allow_credentials")
    if cred_value is None:
        credentials_setting: Setting = default_setting("allow_credentials", const_value(False), ctx.span(options_call))
        credentials: bool | None = False
    else:
        credentials_setting = setting(ctx, "allow_credentials", options.node("allow_credentials"), cred_value)
        credentials = truth(cred_value)
    text = key.str_value()
    common = dict(
        library=LIBRARY,
        span=ctx.span(el),
        origins_setting=origins,
        credentials=credentials,
        credentials_setting=credentials_setting,
        private_network=False,
        vary=False,
        confidence=confidence_for(key, cred_value, partial=key.kind == "either"),
    )
    if text is None:
        return CorsPolicy(origins_unknown=True, **common)
    if text == "*":
        return CorsPolicy(
            any_origin=True,
            any_reason="the '*' key echoes every caller's Origin (aiohttp-cors never sends '*'), without Vary",
            reflects=True,
            **common,
        )
    return CorsPolicy(entries=(entry(Element(key, key_span), "exact"),), **common)
