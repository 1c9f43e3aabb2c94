"""Falcon's built-in ``CORSMiddleware`` and ``App(cors_enable=True)``.

``CORSMiddleware(allow_origins='*', expose_headers=None,
allow_credentials=None, allow_private_network=False)`` (falcon 4.x
``falcon/middleware.py``); ``App(cors_enable=True)`` installs it with these
defaults.

* ``allow_origins='*'`` accepts every origin and sends ``*``; a string is one
  origin, a list is an exact, case-sensitive set (``'*'`` inside a list
  raises ``ValueError`` at start-up: no fact).
* ``allow_credentials`` is itself a list of origins (or ``'*'``) that get
  ACAC *and* a reflected ACAO.  ``allow_origins='*', allow_credentials='*'``
  is therefore reflect+ACAC for everyone.  With ``allow_origins='*'`` and a
  credential list, the listed origins are credentialed (second policy) and
  everybody else gets ``*`` without credentials.
* No ``Vary`` is ever sent.
"""

from __future__ import annotations

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Setting, Value
from ..value_ops import alternatives
from ..policy_kit import Element, Options, calls_to, confidence_for, elements, entry, imports_any, option_setting, read_options, setting, truth

LIBRARY = "Falcon"
MIDDLEWARE = ("falcon.CORSMiddleware", "falcon.middleware.CORSMiddleware")
APPS = ("falcon.App", "falcon.asgi.App", "falcon.API", "falcon.app.App")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "falcon"):
        return
    for site in calls_to(ctx, *MIDDLEWARE):
        _middleware(ctx, facts, site, read_options(ctx, site.node, site))
    for site in calls_to(ctx, *APPS):
        options = read_options(ctx, site.node, site)
        enabled = options.get("cors_enable")
        if enabled is not None and truth(enabled) is True:
            _middleware(ctx, facts, site, Options(), enabled_by=setting(ctx, "cors_enable", options.node("cors_enable"), enabled))


def _star(value: Value) -> bool:
    """The string '*' itself (on some branch), Falcon's wildcard."""
    return any(a.kind == "const" and a.const == "*" for a in alternatives(value))


def _star_in_list(value: Value) -> bool:
    return any(a.kind == "seq" and any(i.str_value() == "*" for i in a.items) for a in alternatives(value))


def _middleware(ctx: ModuleContext, facts: FileFacts, site: Site, options: Options, enabled_by: Setting | None = None) -> None:
    call_span = ctx.span(site.node)
    report_span = enabled_by.span if enabled_by is not None else call_span
    origins_setting, origins = option_setting(ctx, options, "allow_origins", "*", report_span)
    creds_setting, creds = option_setting(ctx, options, "allow_credentials", None, report_span)
    pna_setting, pna = option_setting(ctx, options, "allow_private_network", False, report_span)
    origins_value = origins if origins is not None else origins_setting.value
    creds_value = creds if creds is not None else creds_setting.value
    common = dict(
        library=LIBRARY,
        span=call_span,
        origins_setting=origins_setting,
        private_network=truth(pna) if pna is not None else False,
        private_network_setting=pna_setting,
        vary=False,
        confidence=confidence_for(origins, creds, partial=origins_value.kind == "either"),
    )

    origin_items = list(elements(origins_value, origins_setting.span, **options.where("allow_origins", ctx, site)))
    creds_none = creds_value.kind == "const" and creds_value.const is None
    cred_items = [] if creds_none else list(elements(creds_value, creds_setting.span))
    if not origin_items or any(not e.known for e in origin_items):
        facts.policies.append(CorsPolicy(origins_unknown=True, credentials=None, credentials_setting=creds_setting, **common))
        return
    if (not _star(origins_value) and _star_in_list(origins_value)) or (not _star(creds_value) and _star_in_list(creds_value)):
        return  # '*' inside a list: ValueError at start-up
    if _star(origins_value):
        facts.policies.extend(_every_origin(common, creds_setting, creds_value, cred_items))
        return
    facts.policies.append(
        CorsPolicy(
            entries=tuple(entry(e, "exact") for e in origin_items),
            credentials=_listed_credentials(creds_value, cred_items, origin_items),
            credentials_setting=creds_setting,
            **common,
        )
    )


def _every_origin(common: dict, creds_setting: Setting, creds_value: Value, cred_items: list[Element]) -> list[CorsPolicy]:
    """``allow_origins="*"``: every origin gets ``*``, unless ``allow_credentials``
    is ``"*"`` too (then each Origin is echoed back with credentials); the
    origins listed in ``allow_credentials`` are echoed with credentials."""
    creds_none = creds_value.kind == "const" and creds_value.const is None
    creds_known = all(e.known for e in cred_items)
    if _star(creds_value):
        return [
            CorsPolicy(
                any_origin=True,
                any_reason="credentialed origins get their own Origin echoed back, without Vary",
                reflects=True,
                credentials=True,
                credentials_setting=creds_setting,
                **common,
            )
        ]
    out = [CorsPolicy(any_origin=True, any_reason="every origin gets '*'", credentials=False if (creds_none or creds_known) else None, credentials_setting=creds_setting, **common)]
    if not creds_none and creds_known and cred_items:
        out.append(
            CorsPolicy(
                **{**common, "origins_setting": creds_setting},
                entries=tuple(entry(e, "exact") for e in cred_items),
                credentials=True,
                credentials_setting=creds_setting,
            )
        )
    return out


def _listed_credentials(creds_value: Value, cred_items: list[Element], origin_items: list[Element]) -> bool | None:
    """Does some allowed origin get credentials (``allow_credentials`` is
    ``"*"`` or lists one of them)?  None when the list cannot be read."""
    if creds_value.kind == "const" and creds_value.const is None:
        return False
    if _star(creds_value):
        return True
    if all(e.known for e in cred_items):
        listed = {e.text for e in cred_items}
        return any(e.text in listed for e in origin_items)
    return None
