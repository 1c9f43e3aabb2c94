"""Robyn: ``ALLOW_CORS(app, origins, headers=None)``.

What it does (robyn ``__init__.py``): a string becomes a one-element list.
A request whose Origin is not in the list (exact, case-sensitive) gets 403
unless the list contains ``"*"``.  Preflights answer with the caller's
Origin and ``Access-Control-Allow-Credentials: true``; every other response
gets a static ACAO (the only origin, or ``*`` when there are several) and
ACAC ``true``.  There is no option to turn credentials off and no ``Vary``.

With ``"*"`` every site passes the preflight for credentialed, non-simple
requests (cross-site writes with cookies); reading the answers stays
blocked because the response itself says ``*``.
"""

from __future__ import annotations

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts
from ..policy_kit import calls_to, confidence_for, const_value, default_setting, elements, entry, imports_any, setting

LIBRARY = "Robyn"
CALLS = ("robyn.ALLOW_CORS",)


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "robyn"):
        return
    for site in calls_to(ctx, *CALLS):
        _policy(ctx, facts, site)


def _policy(ctx: ModuleContext, facts: FileFacts, site: Site) -> None:
    arg = ctx.arg(site.node, 1, "origins")
    if arg is None:
        return
    call_span = ctx.span(site.node)
    origins = ctx.evaluate(arg.value, site)
    origins_setting = setting(ctx, "origins", arg, origins)
    common = dict(
        library=LIBRARY,
        span=call_span,
        origins_setting=origins_setting,
        credentials=True,
        credentials_setting=default_setting("Access-Control-Allow-Credentials", const_value("true"), call_span),
        private_network=False,
        vary=False,
        # only preflights echo the origin; other responses carry origins[0]
        # or "*", so shared caches have nothing to mix up
        varies_by_origin=False,
        confidence=confidence_for(origins, partial=origins.kind == "either"),
    )
    items = list(elements(origins, origins_setting.span, **({} if origins.kind == "either" else {"ctx": ctx, "node": arg.value, "site": site})))
    if not items or any(not e.known or e.is_regex for e in items):
        facts.policies.append(CorsPolicy(origins_unknown=True, **common))
        return
    if any(e.text == "*" for e in items):
        facts.policies.append(
            CorsPolicy(
                any_origin=True,
                any_reason="preflights echo the caller's Origin with credentials, so credentialed cross-site writes pass; reads of the '*' responses stay blocked",
                reflects=False,
                **common,
            )
        )
        return
    facts.policies.append(CorsPolicy(entries=tuple(entry(e, "exact") for e in items), **common))
