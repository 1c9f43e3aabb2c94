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

import libcst as cst

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Setting, Value
from ._common import Element, call_options, calls_to, confidence_for, const_value, default_setting, dict_literal, entry, imports_any, last_assignment, setting, truth

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
    literal = dict_literal(ctx, node, site)
    if not isinstance(literal, cst.Dict):
        return
    for el in literal.elements:
        if not isinstance(el, cst.DictElement):
            continue
        options_call = _resource_options(ctx, el.value, site)
        if options_call is None:
            continue  # not an aiohttp-cors mapping (some other .add())
        key = ctx.evaluate(el.key, site)
        facts.policies.append(_policy(ctx, el, key, options_call, site))


def _resource_options(ctx: ModuleContext, node: cst.BaseExpression, site: Site) -> cst.Call | None:
    for _ in range(5):
        if isinstance(node, cst.Call):
            return node if ctx.is_name(node.func, *RESOURCE_OPTIONS) else None
        if isinstance(node, cst.Name):
            assigned = last_assignment(ctx, node.value, site)
            if assigned is None:
                return None
            node = assigned
            continue
        return None
    return None


def _policy(ctx: ModuleContext, el: cst.DictElement, key: Value, options_call: cst.Call, site: Site) -> CorsPolicy:
    options = call_options(ctx, options_call, site)
    origins = setting(ctx, "origin key", el.key, key)
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
        confidence=confidence_for(key, cred_value),
    )
    if text is None:
        return CorsPolicy(origins_unknown=True, **common)
    if text == "*":
        return CorsPolicy(
            any_origin=True,
            any_reason="aiohttp-cors answers every Origin with the caller's own origin for the '*' key (it never sends '*'), without Vary",
            reflects=True,
            **common,
        )
    return CorsPolicy(entries=(entry(Element(key, ctx.span(el.key)), "exact"),), **common)
