"""BlackSheep: ``app.use_cors(...)`` and ``app.add_cors_policy(name, ...)``.

Both take ``allow_methods=, allow_headers=, allow_origins=,
allow_credentials=False, max_age=5, expose_headers=`` (blacksheep
``server/application.py``, ``server/cors.py``):

* ``allow_origins`` defaults to nothing allowed.  A string is split on
  whitespace, ``,`` and ``;``; every entry is lower-cased and compared with
  the Origin as sent, so matching is ``exact-ci`` for practical purposes.
* ``"*"`` accepts every origin.  Without credentials ``*`` is sent; with
  ``allow_credentials=True`` BlackSheep 2.6.4 echoes the caller's Origin
  (2.6.2 still sent ``*`` with ACAC, which browsers reject).
* Disallowed origins get 400; ``Vary: Origin`` is added whenever ACAO is not
  ``*``.
"""

from __future__ import annotations

import re

import libcst as cst

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Value
from ..policy_kit import Element, confidence_for, elements, entry, imports_any, option_setting, read_options, setting, truth

LIBRARY = "BlackSheep"
METHODS = ("use_cors", "add_cors_policy")
_SPLIT = re.compile(r"\s|,\s?|;\s?")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "blacksheep"):
        return
    for site in ctx.index.calls:
        func = site.node.func
        if isinstance(func, cst.Attribute) and func.attr.value in METHODS:
            _policy(ctx, facts, site)


def _policy(ctx: ModuleContext, facts: FileFacts, site: Site) -> None:
    call_span = ctx.span(site.node)
    options = read_options(ctx, site.node, site)
    origins = options.get("allow_origins")
    if origins is None or (origins.kind == "const" and origins.const is None):
        return  # nothing is allowed
    origins_setting = setting(ctx, "allow_origins", options.node("allow_origins"), origins)
    creds_setting, creds = option_setting(ctx, options, "allow_credentials", False, call_span)
    credentials = truth(creds) if creds is not None else False
    common = dict(
        library=LIBRARY,
        span=call_span,
        origins_setting=origins_setting,
        credentials=credentials,
        credentials_setting=creds_setting,
        private_network=False,
        vary=True,
        confidence=confidence_for(origins, creds, partial=origins.kind == "either"),
    )
    items: list[Element] = []
    for e in elements(origins, origins_setting.span, **options.where("allow_origins", ctx, site)):
        if e.known and not e.is_regex and e.value.kind == "const" and origins.kind != "seq":
            # a string: split like BlackSheep does
            for part in _SPLIT.split(e.text):
                if part:
                    items.append(Element(Value("const", part, span=e.span, from_default=e.value.from_default), e.span))
        else:
            items.append(e)
    if any(not e.known or e.is_regex for e in items):
        facts.policies.append(CorsPolicy(origins_unknown=True, **common))
        return
    if any(e.text == "*" for e in items):
        reason = "every origin gets '*'"
        if credentials:
            reason = "BlackSheep 2.6.4+ echoes the caller's Origin when credentials are allowed"
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=reason, reflects=bool(credentials), **common))
        return
    lowered = [Element(Value("const", e.text.lower(), span=e.span, from_default=e.value.from_default), e.span) for e in items]
    facts.policies.append(CorsPolicy(entries=tuple(entry(e, "exact-ci") for e in lowered), **common))
