"""quart-cors: ``cors(app_or_blueprint, ...)``, ``@route_cors(...)``,
``@websocket_cors(...)`` and the ``QUART_CORS_*`` config keys.

What it does (quart-cors 0.8.0):

* Options are merged as ``value or app.config.get(KEY, DEFAULT)``, so an
  explicit ``False`` never overrides a truthy default:
  ``send_origin_wildcard=False`` is ignored (default True).
* Defaults: ``allow_origin=["*"]``, ``allow_credentials=False``,
  ``send_origin_wildcard=True``.
* Origins: a string or compiled pattern is one entry, an iterable a set.
  ``"*"`` accepts everyone and sends ``*`` (or echoes the Origin when the
  config turns the wildcard off); a string is compared with ``==``; a
  compiled pattern with ``.match`` (prefix).
* ``"*"`` with credentials raises ``ValueError`` inside the after-request
  hook, so every request answers 500; a match-all *pattern* with
  credentials is not caught and gives reflect+ACAC.
* ``Vary: Origin`` is added unless ACAO is ``*``.
* WebSockets (``websocket_cors``, and ``cors(app)`` for an app's websocket
  routes) get 400 for an origin that does not pass; ``"*"`` lets every site
  open them.  ``cors(other_app)`` does nothing for websocket routes declared
  on another app.
* The options are keyword-only parameters: an unknown keyword
  (``allow_origins=``) or a positional origin is a ``TypeError`` when the
  module is imported (checked on quart-cors 0.8.0), reported as an unknown
  option, and the call configures nothing.
"""

from __future__ import annotations

import libcst as cst

from ...findings import Confidence
from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Setting, UnknownOption, Value
from . import _app_config
from ..policy_kit import (
    lets_every_origin_in,
    read_options,
    calls_to,
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

LIBRARY = "quart-cors"
PREFIX = "QUART_CORS_"
CONFIG_KEYS = (
    "QUART_CORS_ALLOW_CREDENTIALS",
    "QUART_CORS_ALLOW_HEADERS",
    "QUART_CORS_ALLOW_METHODS",
    "QUART_CORS_ALLOW_ORIGIN",
    "QUART_CORS_EXPOSE_HEADERS",
    "QUART_CORS_MAX_AGE",
    "QUART_CORS_SEND_ORIGIN_WILDCARD",
)
APP_OPTIONS = ("allow_credentials", "allow_headers", "allow_methods", "allow_origin", "expose_headers", "max_age", "send_origin_wildcard")
ROUTE_OPTIONS = APP_OPTIONS + ("provide_automatic_options",)
WEBSOCKET_OPTIONS = ("allow_origin", "send_origin_wildcard")
QUART_APP = ("quart.Quart", "quart.app.Quart")
APP_CORS = ("quart_cors.cors",)
ROUTE_CORS = ("quart_cors.route_cors",)
WEBSOCKET_CORS = ("quart_cors.websocket_cors",)
EXEMPT = ("quart_cors.cors_exempt",)


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    config = _app_config.collect(ctx, PREFIX)
    for key, item in config.items():
        # a module constant is reported only when it looks like a misspelt key
        if key not in CONFIG_KEYS and (not item.module_level or suggest(item.key, CONFIG_KEYS)):
            facts.unknown_options.append(unknown_option(ctx, LIBRARY, item.key, item.node, CONFIG_KEYS, reason="quart-cors only reads its own QUART_CORS_* keys"))
    _misspelt_class_keys(ctx, facts)
    if not imports_any(ctx, "quart_cors"):
        return
    routes = _websocket_route_owners(ctx)
    apps = _quart_apps(ctx)
    for site in calls_to(ctx, *APP_CORS):
        if _unknown_keywords(ctx, facts, site, APP_OPTIONS, first_positional=True):
            continue
        _policy(ctx, facts, site, _config_of(ctx, site, config), http=True, websocket=_checks_websockets(ctx, site, routes, apps))
    for site in calls_to(ctx, *ROUTE_CORS):
        if _unknown_keywords(ctx, facts, site, ROUTE_OPTIONS):
            continue
        _policy(ctx, facts, site, config, http=True, websocket=False)
    for site in calls_to(ctx, *WEBSOCKET_CORS):
        if _unknown_keywords(ctx, facts, site, WEBSOCKET_OPTIONS):
            continue
        _policy(ctx, facts, site, config, http=False, websocket=True)


def _misspelt_class_keys(ctx: ModuleContext, facts: FileFacts) -> None:
    """Config classes (``class BaseConfig: QUART_CORS_ALLOW_ORIGINS = [...]``)
    are loaded with ``app.config.from_object(...)``, which copies every
    upper-case attribute, inherited ones too, as a config module's constants
    are: a ``QUART_CORS_*`` attribute that looks like a misspelt key is one
    quart-cors never reads, whichever module loads the class and however it
    picks it (``from_object(config_for(env))``)."""
    for scope in ctx.index.class_scopes:
        for name, defs in scope.assignments.items():
            d = defs[-1]
            if not (name.isupper() and name.startswith(PREFIX)) or name in CONFIG_KEYS or d.kind != "assign" or d.node is None:
                continue
            if suggest(name, CONFIG_KEYS):
                facts.unknown_options.append(
                    unknown_option(ctx, LIBRARY, name, _app_config.assignment_statement(ctx, d.node), CONFIG_KEYS, reason="quart-cors only reads its own QUART_CORS_* keys")
                )


def _config_of(ctx: ModuleContext, site: Site, config: dict) -> dict:
    """The ``QUART_CORS_*`` keys of the app ``cors(app)`` is given, when the
    module writes to the config of several apps (each has its own)."""
    owners = _app_config.owners(ctx, PREFIX)
    arg = ctx.arg(site.node, 0, "app_or_blueprint")
    name = (ctx.dotted(arg.value) or "") if arg is not None else ""
    if len(owners) < 2 or name not in owners:
        return config
    return _app_config.collect(ctx, PREFIX, owner=name)


def _unknown_keywords(ctx: ModuleContext, facts: FileFacts, site: Site, known: tuple[str, ...], first_positional: bool = False) -> bool:
    """Report keywords the function does not take (and positional arguments
    after the app): its options are keyword-only parameters, so Python
    raises ``TypeError`` when the module is imported and the call never
    configures anything.  True when there was one (no policy then)."""
    call: cst.Call = site.node
    bad = False
    for i, arg in enumerate(call.args):
        if arg.star:
            return False  # **options from a mapping: the names are unknown
        if arg.keyword is None:
            if first_positional and i == 0:
                continue
            facts.unknown_options.append(
                UnknownOption(LIBRARY, f"positional argument {ctx.text(arg.value, 60)}", ctx.span(arg), "allow_origin", "quart-cors takes its options as keywords only: a TypeError when the module is imported")
            )
            bad = True
        elif arg.keyword.value not in known and not (first_positional and arg.keyword.value == "app_or_blueprint"):
            facts.unknown_options.append(
                unknown_option(ctx, LIBRARY, arg.keyword.value, arg, known, reason="a TypeError when the module is imported, so the app does not start")
            )
            bad = True
    return bad


def _websocket_route_owners(ctx: ModuleContext) -> set[str]:
    """The objects websocket routes are declared on (``@app.websocket``,
    ``bp.add_websocket(...)``), by dotted name ("" when not a name), counting
    only routes that ``cors(app)``'s origin test can open: not those with
    their own restrictive ``@websocket_cors`` or with ``@cors_exempt``."""
    out = set()
    for s in ctx.index.calls:
        func = s.node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("websocket", "add_websocket") and not _guarded_on_its_own(ctx, s):
            out.add(ctx.dotted(func.value) or "")
    return out


def _guarded_on_its_own(ctx: ModuleContext, site: Site) -> bool:
    """Is the handler ``@app.websocket(...)`` decorates closed to foreign
    origins whatever ``cors(app)`` allows?  ``cors(app)`` checks the origin
    in a ``before_websocket`` hook and a route's ``@websocket_cors`` checks
    it again in the view, so a handshake must pass both: one with an
    explicit allow_origin that is neither ``"*"`` nor a match-all pattern
    keeps the route closed.  ``@cors_exempt`` routes skip the app's check
    (verified with quart-cors 0.8.0 on Quart 0.22.0: 400 for a foreign
    Origin on such a route under ``cors(app)``'s default ``"*"``)."""
    function = ctx.index.decorated_function(site.node)
    if function is None:
        return False
    for other in function.decorators:
        node = other.decorator
        if ctx.is_name(node, *EXEMPT):
            return True
        if not (isinstance(node, cst.Call) and ctx.is_name(node.func, *WEBSOCKET_CORS)):
            continue
        own = next((s for s in ctx.index.calls if s.node is node), None)
        value = read_options(ctx, node, own).get("allow_origin") if own is not None else None
        if value is None or truth(value) is False:
            return False  # the config or the default '*' applies
        items = list(elements(value, ctx.span(node)))
        return bool(items) and all(e.known and e.text != "*" and not (e.is_regex and lets_every_origin_in(e.text, "prefix-regex", e.value.flags)) for e in items)
    return False


def _quart_apps(ctx: ModuleContext) -> set[str]:
    """Names bound to a ``Quart(...)`` app in this module."""
    out = set()
    for site in calls_to(ctx, *QUART_APP):
        parent = ctx.index.parent(site.node)
        if isinstance(parent, cst.Assign):
            out.update(ctx.dotted(t.target) or "" for t in parent.targets)
    return out


def _checks_websockets(ctx: ModuleContext, site: Site, routes: set[str], apps: set[str]) -> bool:
    """Does ``cors(app)`` guard websocket routes?  It registers a
    ``before_websocket`` hook on the object it is given, which runs for that
    object's websocket routes (and, for an app, those of blueprints
    registered on it).  A module whose websocket routes are all declared on
    other Quart apps gives it none: a handshake there never reaches it
    (verified with quart-cors 0.8.0 on Quart 0.22.0)."""
    if not routes:
        return False
    names = set()
    arg = ctx.arg(site.node, 0, "app_or_blueprint")
    if arg is not None:
        names.add(ctx.dotted(arg.value) or "")
    parent = ctx.index.parent(site.node)
    if isinstance(parent, cst.Assign):
        names.update(ctx.dotted(t.target) or "" for t in parent.targets)
    names.discard("")
    if not names or names & routes:
        return True
    return any(owner not in apps for owner in routes)


def _effective(ctx: ModuleContext, options, config, name: str, key: str, default, call_span) -> tuple[Setting, Value | None]:
    """``value or config.get(key, default)``: the option if truthy, else the
    module's config value, else the library default."""
    value = options.get(name)
    if value is not None and truth(value) is not False:
        return setting(ctx, name, options.node(name), value), value
    item = config.get(key)
    if item is not None:
        return setting(ctx, item.key, item.node, item.value), item.value
    return default_setting(name, const_value(default), call_span), None


def _policy(ctx: ModuleContext, facts: FileFacts, site: Site, config, http: bool, websocket: bool) -> None:
    call_span = ctx.span(site.node)
    options = read_options(ctx, site.node, site)
    wildcard_opt = options.get("send_origin_wildcard")
    if wildcard_opt is not None and truth(wildcard_opt) is False:
        facts.unknown_options.append(
            UnknownOption(
                LIBRARY,
                "send_origin_wildcard=False",
                ctx.span(options.node("send_origin_wildcard")),
                "QUART_CORS_SEND_ORIGIN_WILDCARD",
                "options are merged as `value or config`, so False cannot turn the default True off; set QUART_CORS_SEND_ORIGIN_WILDCARD = False",
            )
        )
    origins_setting, origins = _effective(ctx, options, config, "allow_origin", "QUART_CORS_ALLOW_ORIGIN", ["*"], call_span)
    creds_setting, creds = _effective(ctx, options, config, "allow_credentials", "QUART_CORS_ALLOW_CREDENTIALS", False, call_span)
    wildcard_setting, wildcard = _effective(ctx, options, config, "send_origin_wildcard", "QUART_CORS_SEND_ORIGIN_WILDCARD", True, call_span)
    origins_value = origins if origins is not None else origins_setting.value
    credentials = (truth(creds) if creds is not None else False) if http else None
    sends_wildcard = truth(wildcard) if wildcard is not None else True
    confidence = confidence_for(origins, creds, partial=origins_value.kind == "either")
    if origins is None and (websocket and not http):
        confidence = Confidence.MEDIUM  # the app config may narrow the default elsewhere
    common = dict(library=LIBRARY, span=call_span, origins_setting=origins_setting, private_network=False, vary=True, confidence=confidence)

    items = list(elements(origins_value, origins_setting.span, **(options.where("allow_origin", ctx, site) if origins is not None and options.get("allow_origin") is origins else {})))
    if not items or any(not e.known for e in items):
        if http:
            facts.policies.append(CorsPolicy(origins_unknown=True, credentials=credentials, credentials_setting=creds_setting, **common))
        return
    star = any(e.text == "*" and not e.is_regex for e in items)
    match_all = [e for e in items if e.is_regex and lets_every_origin_in(e.text, "prefix-regex", e.value.flags)]
    if star or match_all:
        if websocket:
            reason = "lets every site open the WebSocket" if star else f"(the pattern {match_all[0].text!r} matches every origin) lets every site open the WebSocket"
            facts.policies.append(CorsPolicy(any_origin=True, any_reason=reason, websocket=True, credentials=None, **common))
        if not http:
            return
        if star and credentials:
            facts.policies.append(
                CorsPolicy(
                    any_origin=True,
                    any_reason="quart-cors raises ValueError for '*' with credentials on every request, so every response is a 500",
                    credentials=False,
                    credentials_setting=creds_setting,
                    **common,
                )
            )
            return
        reflects = bool(match_all) or sends_wildcard is False
        if not reflects:
            reason = "every origin gets '*'"
        elif match_all:
            reason = "the pattern matches every origin and the Origin is echoed back"
        else:
            reason = "the Origin is echoed back because the wildcard is turned off"
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=reason, reflects=reflects, credentials=credentials, credentials_setting=creds_setting, **common))
        return
    if not http:
        return
    entries = tuple(entry(e, "prefix-regex") if e.is_regex else entry(e, "exact") for e in items)
    facts.policies.append(CorsPolicy(entries=entries, credentials=credentials, credentials_setting=creds_setting, **common))
