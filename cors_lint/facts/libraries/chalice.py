"""AWS Chalice: ``@app.route(..., cors=True)``, ``cors=CORSConfig(...)`` and
``app.api.cors = True``.

``CORSConfig(allow_origin='*', allow_headers=None, expose_headers=None,
max_age=None, allow_credentials=None)`` (chalice ``app.py``) turns into
*static* response headers: ACAO is ``allow_origin`` verbatim (no matching,
no reflection, no Vary), ACAC ``true`` when ``allow_credentials`` is set.
``cors=True`` is ``CORSConfig()``.

So:

* ``'*'`` is a public wildcard (COR203 territory).  With
  ``allow_credentials=True`` browsers reject every credentialed response:
  the policy records credentials as not usable, and the two static headers
  are emitted as ``HeaderWrite`` facts on one synthetic response so that the
  hand-written-header rule for ``*`` + ACAC (COR201) reports it.
* A comma- or space-separated ``allow_origin`` is sent as one header value
  that never matches (emitted as an ACAO ``HeaderWrite`` for COR301).
* Any other value is one exact origin.
"""

from __future__ import annotations

import libcst as cst

from ...findings import Span
from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, HeaderWrite, Setting, Value
from ..policy_kit import Element, calls_to, confidence_for, const_value, default_setting, entry, imports_any, option_setting, read_options, setting, truth

LIBRARY = "Chalice"
CONFIG = ("chalice.CORSConfig", "chalice.app.CORSConfig")
ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "chalice"):
        return
    for site in calls_to(ctx, *CONFIG):
        _config(ctx, facts, site)
    for site in ctx.index.calls:
        call: cst.Call = site.node
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "route":
            arg = ctx.arg(call, None, "cors")
            if arg is not None and _is_true(ctx.evaluate(arg.value, site)):
                _policy(ctx, facts, ctx.span(call), setting(ctx, "cors", arg, ctx.evaluate(arg.value, site)), None, None)
    for site in ctx.index.attribute_assigns:
        node = site.node
        if not isinstance(node, cst.Assign):
            continue
        target = node.targets[0].target
        if (ctx.dotted(target) or "").endswith(".api.cors") and _is_true(ctx.evaluate(node.value, site)):
            _policy(ctx, facts, ctx.span(node), setting(ctx, "api.cors", node, ctx.evaluate(node.value, site)), None, None)


def _is_true(value: Value) -> bool:
    return value.kind == "const" and value.const is True


def _config(ctx: ModuleContext, facts: FileFacts, site: Site) -> None:
    options = read_options(ctx, site.node, site)
    call_span = ctx.span(site.node)
    origin_setting, origin = option_setting(ctx, options, "allow_origin", "*", call_span)
    creds = options.get("allow_credentials")
    creds_setting = setting(ctx, "allow_credentials", options.node("allow_credentials"), creds) if creds is not None else None
    _policy(ctx, facts, call_span, origin_setting, creds_setting, origin)


def _policy(ctx: ModuleContext, facts: FileFacts, span: Span, origin_setting: Setting, creds_setting: Setting | None, origin: Value | None) -> None:
    value = origin if origin is not None else const_value("*")
    if origin_setting.name in ("cors", "api.cors"):
        origin_setting = default_setting("allow_origin", value, origin_setting.span)
    credentials = truth(creds_setting.value) if creds_setting is not None else False
    common = dict(
        library=LIBRARY,
        span=span,
        origins_setting=origin_setting,
        credentials_setting=creds_setting,
        private_network=False,
        vary=False,
        confidence=confidence_for(origin, creds_setting.value if creds_setting else None, partial=value.kind == "either"),
    )
    text = value.str_value()
    if text is None:
        facts.policies.append(CorsPolicy(origins_unknown=True, credentials=credentials, **common))
        return
    group = -(span.line * 10_000 + span.col + 1)  # a synthetic response, apart from headers.py's groups
    if text.strip() == "*":
        reason = "Chalice sends a static '*'"
        if credentials:
            reason += "; browsers reject it together with its Access-Control-Allow-Credentials: true"
            facts.header_writes.append(HeaderWrite(ACAO, Value("const", "*", span=origin_setting.span, text="'*'"), origin_setting.span, group, via="chalice CORSConfig"))
            facts.header_writes.append(HeaderWrite(ACAC, Value("const", "true", span=creds_setting.span, text="'true'"), creds_setting.span, group, via="chalice CORSConfig"))
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=reason, credentials=False, **common))
        return
    if "," in text or " " in text.strip():
        facts.header_writes.append(HeaderWrite(ACAO, Value("const", text, span=origin_setting.span, text=repr(text)), origin_setting.span, group, via="chalice CORSConfig"))
        return
    facts.policies.append(CorsPolicy(entries=(entry(Element(value, origin_setting.span), "exact"),), credentials=credentials, **common))
