"""python-engineio and what sits on it: python-socketio, Flask-SocketIO.

``Server(cors_allowed_origins=None, cors_credentials=True)`` (python-engineio
4.x ``base_server.py``), passed through unchanged by ``socketio.Server`` /
``socketio.AsyncServer`` and ``flask_socketio.SocketIO(app, ...)``:

* ``None`` (default): only the server's own ``scheme://Host`` (or its
  X-Forwarded variant) is accepted.  No fact: that is the safe default.
* ``"*"`` or a list containing ``"*"``: every origin is accepted.  On the
  HTTP long-polling transport the caller's Origin is copied into ACAO, with
  ``Access-Control-Allow-Credentials: true`` unless ``cors_credentials=False``
  and without ``Vary``; the WebSocket handshake is not checked at all.
* a string or list: exact, case-sensitive membership.
* a callable: called as ``f(origin, environ)`` (or ``f(origin)``) and the
  origin accepted when the result is truthy.  One that returns a constant
  truthy value on every path (``lambda origin, environ: True``) accepts
  every origin exactly like ``"*"``; the tests a module function makes
  before accepting are judged like Tornado's ``check_origin``
  (``facts/origin_predicates.py``: COR102 at a weak one).
* ``[]``: CORS headers are switched off *and so is the Origin check of the
  handshake* (``if self.cors_allowed_origins != []`` guards it), so every
  site can open the socket.

Each configuration gives up to two policies: the HTTP one (``websocket``
false: COR202/COR203 and the entry rules read it) and a WebSocket one
(``websocket`` true, only when every origin passes: COR401 reads it).
Unknown ``cors_*`` keywords are swallowed by engineio's ``**kwargs``.
"""

from __future__ import annotations

import libcst as cst

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Setting, Value
from ..origin_predicates import origin_callable
from ..policy_kit import (
    Options,
    always_true_callable,
    read_options,
    confidence_for,
    const_value,
    default_setting,
    elements,
    entry,
    imports_any,
    setting,
    suggest,
    truth,
    unknown_option,
)

SERVERS = {
    "socketio.Server": "python-socketio",
    "socketio.AsyncServer": "python-socketio",
    # the same classes through their modules (from engineio import server)
    "socketio.server.Server": "python-socketio",
    "socketio.async_server.AsyncServer": "python-socketio",
    "engineio.Server": "python-engineio",
    "engineio.AsyncServer": "python-engineio",
    "engineio.server.Server": "python-engineio",
    "engineio.async_server.AsyncServer": "python-engineio",
    "flask_socketio.SocketIO": "Flask-SocketIO",
}
KNOWN = ("cors_allowed_origins", "cors_credentials")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "socketio", "engineio", "flask_socketio"):
        return
    for site in ctx.index.calls:
        library = _library(ctx, site)
        if library is None:
            continue
        options = read_options(ctx, site.node, site)
        _unknown_keywords(ctx, facts, library, options)
        origins = options.get("cors_allowed_origins")
        if origins is None:
            continue  # same-origin default
        _policies(ctx, facts, library, site, options, origins)


def _library(ctx: ModuleContext, site: Site) -> str | None:
    call: cst.Call = site.node
    for name, library in SERVERS.items():
        if ctx.is_name(call.func, name):
            return library
    # socketio = SocketIO(); socketio.init_app(app, cors_allowed_origins=...)
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "init_app" and imports_any(ctx, "flask_socketio"):
        if any(a.keyword is not None and a.keyword.value.startswith("cors") for a in call.args):
            return "Flask-SocketIO"
    return None


def _unknown_keywords(ctx: ModuleContext, facts: FileFacts, library: str, options: Options) -> None:
    for name in options.values:
        if name in KNOWN:
            continue
        if "cors" in name.lower() or suggest(name, KNOWN):
            facts.unknown_options.append(
                unknown_option(
                    ctx,
                    library,
                    name,
                    options.node(name),
                    KNOWN,
                    reason="python-engineio swallows unknown keyword arguments, so its default (same origin only) stays in force",
                    cutoff=0.6,
                )
            )


def _policies(ctx: ModuleContext, facts: FileFacts, library: str, site: Site, options: Options, origins: Value) -> None:
    call_span = ctx.span(site.node)
    origins_setting = setting(ctx, "cors_allowed_origins", options.node("cors_allowed_origins"), origins, options.values["cors_allowed_origins"][1])
    cred_value = options.get("cors_credentials")
    if cred_value is None:
        credentials_setting: Setting = default_setting("cors_credentials", const_value(True), call_span)
        credentials: bool | None = True
    else:
        credentials_setting = setting(ctx, "cors_credentials", options.node("cors_credentials"), cred_value)
        credentials = truth(cred_value)
    confidence = confidence_for(origins, cred_value, partial=origins.kind == "either")
    common = dict(library=library, span=call_span, origins_setting=origins_setting, private_network=False, vary=False, confidence=confidence,
                  # polling responses belong to one session (sid): not shared-cacheable
                  varies_by_origin=False)

    items = list(elements(origins, origins_setting.span, **options.where("cors_allowed_origins", ctx, site)))
    if origins.kind == "const" and origins.const is None:
        return
    if always_true_callable(ctx, options.values["cors_allowed_origins"][1], site):
        _any_origin(facts, "callable", credentials, credentials_setting, common)
        return
    predicate = origin_callable(ctx, options.values["cors_allowed_origins"][1], site)
    if predicate is not None:  # cors_allowed_origins=origin_ok: its tests decide (COR102)
        facts.websocket_checks.append(predicate)
    if origins.kind == "seq" and not origins.items:
        facts.policies.append(
            CorsPolicy(
                any_origin=True,
                any_reason="turns off CORS handling and with it the handshake's Origin check",
                websocket=True,
                credentials=credentials,
                **common,
            )
        )
        return
    if any(not e.known for e in items) or not items:
        facts.policies.append(CorsPolicy(origins_unknown=True, credentials=credentials, credentials_setting=credentials_setting, **common))
        return
    if any(e.text == "*" for e in items):
        _any_origin(facts, "", credentials, credentials_setting, common)
        return
    facts.policies.append(
        CorsPolicy(
            entries=tuple(entry(e, "exact") for e in items),
            credentials=credentials,
            credentials_setting=credentials_setting,
            **common,
        )
    )


def _any_origin(facts: FileFacts, callable_text: str, credentials: bool | None, credentials_setting: Setting, common: dict) -> None:
    """Every origin passes: two facts that say different things.  Over HTTP
    (long-polling), engineio copies the caller's Origin into ACAO (COR202 /
    COR203); on the WebSocket transport the handshake is not checked at all
    (COR401)."""
    if callable_text:
        http = "it accepts every origin, and on HTTP long-polling engineio echoes the caller's Origin, without Vary"
        ws = "returns a truthy value for every origin, so the handshake's Origin check passes for any site (cross-site WebSocket hijacking)"
    else:
        http = "on HTTP long-polling engineio echoes the caller's Origin, without Vary"
        ws = "skips the handshake's Origin check (cross-site WebSocket hijacking)"
    facts.policies.append(CorsPolicy(any_origin=True, any_reason=http, reflects=True, credentials=credentials, credentials_setting=credentials_setting, **common))
    facts.policies.append(CorsPolicy(any_origin=True, any_reason=ws, websocket=True, credentials=credentials, **common))
