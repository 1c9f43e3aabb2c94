"""Masonite: the ``CORS = {...}`` dict of ``config/security.py``.

Keys (masonite 4.x ``masonite/cors/Cors.py``): ``paths``,
``allowed_methods``, ``allowed_origins``, ``allowed_headers``,
``exposed_headers``, ``max_age``, ``supports_credentials``.  Other keys are
silently ignored.

* ``"*" in allowed_origins`` accepts every origin: ``*`` is sent, unless
  ``supports_credentials`` is set, in which case the caller's Origin is
  echoed back with ACAC.
* One origin is sent statically; several are matched with ``origin in
  allowed_origins`` (exact) and echoed with ``Vary: Origin``.
* A *string* ``allowed_origins`` turns both tests into substring tests:
  ``"*" in s`` and ``origin in s``.

The dict is recognised by its name and by holding at least one Masonite key
besides ``paths`` (settings modules need not import Masonite).
"""

from __future__ import annotations

import libcst as cst

from ..context import ModuleContext
from ..model import CorsPolicy, FileFacts
from ..policy_kit import confidence_for, elements, entry, option_setting, string_for_list, read_options, setting, truth, unknown_option

LIBRARY = "Masonite"
KEYS = ("paths", "allowed_methods", "allowed_origins", "allowed_headers", "exposed_headers", "max_age", "supports_credentials")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    for d in ctx.index.module_scope.assignments.get("CORS") or []:
        if d.kind == "assign" and isinstance(d.value, cst.Dict):
            _config(ctx, facts, d.value)


def _config(ctx: ModuleContext, facts: FileFacts, node: cst.Dict) -> None:
    options = read_options(ctx, node, None)
    if not any(k in options.values for k in KEYS if k != "paths"):
        return
    for name in options.values:
        if name not in KEYS:
            facts.unknown_options.append(
                unknown_option(ctx, LIBRARY, name, options.node(name), KEYS, reason="Masonite ignores keys it does not know", cutoff=0.6)
            )
    span = ctx.span(node)
    creds_setting, creds = option_setting(ctx, options, "supports_credentials", False, span)
    credentials = truth(creds) if creds is not None else False
    origins = options.get("allowed_origins")
    if origins is None:
        return  # nothing allowed
    origins_setting = setting(ctx, "allowed_origins", options.node("allowed_origins"), origins)
    common = dict(
        library=LIBRARY,
        span=span,
        origins_setting=origins_setting,
        credentials=credentials,
        credentials_setting=creds_setting,
        private_network=False,
        vary=True,
        confidence=confidence_for(origins, creds, partial=origins.kind == "either"),
    )
    echoed = "the caller's Origin is echoed back because supports_credentials is set"
    if origins.kind == "const" and isinstance(origins.const, str):
        text = origins.const
        if "*" in text:
            reason = "a string is searched with `in`, and it contains '*'"
            facts.policies.append(CorsPolicy(any_origin=True, any_reason=f"{reason}; {echoed}" if credentials else reason, reflects=bool(credentials), **common))
        else:
            facts.policies.append(CorsPolicy(entries=(entry(string_for_list(origins, origins_setting.span), "substring"),), **common))
        return
    items = list(elements(origins, origins_setting.span, **options.where("allowed_origins", ctx, None)))
    if any(not e.known or e.is_regex for e in items):
        facts.policies.append(CorsPolicy(origins_unknown=True, **common))
        return
    if any(e.text == "*" for e in items):
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=echoed if credentials else "every origin gets '*'", reflects=bool(credentials), **common))
        return
    facts.policies.append(CorsPolicy(entries=tuple(entry(e, "exact") for e in items), **common))
