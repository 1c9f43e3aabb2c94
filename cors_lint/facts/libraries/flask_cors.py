"""flask-cors: ``CORS(app, ...)``, ``CORS().init_app(app, ...)``,
``@cross_origin(...)``, per-path ``resources={...}`` and ``CORS_*`` config.

Recognised forms (imports resolved through aliases):

* ``CORS(app, **opts)`` and ``CORS(**opts)`` followed by
  ``cors.init_app(app, **opts)`` in the same module (init_app options win);
* ``@cross_origin(**opts)``: positional arguments are **ignored** by
  flask-cors, so they are reported and the origins stay at ``"*"``;
* ``resources={path: {opts}}``: one policy per path, resource options over
  call options;
* ``app.config["CORS_X"] = v``, ``app.config.update(...)`` and
  ``app.config.from_mapping(...)`` in a module that imports flask_cors;
  ``app.config.from_object(Config)`` with config classes cors-lint can read
  (``_config_classes``): one policy per class the call may load;
* ``cors.init_app(app)`` on a bare ``cors = CORS()`` imported from another
  project module.
  Config applies to extensions for the same app created after it (they read
  it once) and to decorators (they read ``current_app``'s config per
  request).  Defaults are only assumed for options the config could not
  have set: the app (or blueprint) must be created in the module and its
  config must not also come from elsewhere (``from_object``,
  ``from_pyfile``, ``update(mapping)`` ...); decorators need the module to
  create the app.  Otherwise those options are unknown.

Modelled behaviour (flask-cors 6.0, see docs/libraries/flask-cors.md):

* the default origins are ``"*"``; ``"*"`` anywhere in the list allows every
  origin, and unless ``send_wildcard=True`` the caller's origin is reflected
  (with credentials when ``supports_credentials=True``);
* a string containing one of ``* \\ ] ? $ ^ [ ( )`` is a regex used with
  ``re.match`` (a prefix match) and IGNORECASE; compiled patterns keep their
  own flags; other strings match case-insensitively;
* ``Vary: Origin`` unless ``vary_header=False``;
* unknown option names are only logged, so the option falls back to its
  default.
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from ...findings import Confidence
from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Setting, UnknownOption, Value
from .. import policy_kit as c
from . import _config_classes

LIBRARY = "flask-cors"
CORS_CLASS = ("flask_cors.CORS", "flask_cors.extension.CORS", "flask.ext.cors.CORS")
DECORATOR = ("flask_cors.cross_origin", "flask_cors.decorator.cross_origin", "flask.ext.cors.cross_origin")
OPTIONS = (
    "origins",
    "methods",
    "allow_headers",
    "expose_headers",
    "supports_credentials",
    "max_age",
    "send_wildcard",
    "automatic_options",
    "vary_header",
    "resources",
    "intercept_exceptions",
    "always_send",
    "allow_private_network",
)
CONFIG_KEYS = {"CORS_" + name.upper(): name for name in OPTIONS}
# names other libraries use for the same thing: better hints than difflib's
SYNONYMS = {
    "origin": "origins",
    "allow_origin": "origins",
    "allow_origins": "origins",
    "allowed_origins": "origins",
    "cors_origins": "origins",
    "allow_credentials": "supports_credentials",
    "allow_credential": "supports_credentials",
    "credentials": "supports_credentials",
    "support_credentials": "supports_credentials",
    "supports_credential": "supports_credentials",
    "allow_methods": "methods",
    "headers": "allow_headers",
    "expose": "expose_headers",
    "resource": "resources",
}
FLASK_APP = ("flask.Flask", "flask.app.Flask")
BLUEPRINT = ("flask.Blueprint", "flask.blueprints.Blueprint")
CONNEXION_APP = ("connexion.App", "connexion.FlaskApp", "connexion.apps.flask_app.FlaskApp")
EXTERNAL_CONFIG = {"from_object", "from_pyfile", "from_envvar", "from_file", "from_prefixed_env", "from_json"}
REGEX_CHARS = ("*", "\\", "]", "?", "$", "^", "[", "(", ")")


def probably_regex(text: str) -> bool:
    """flask-cors' heuristic for "this origin string is a regex"."""
    return any(ch in text for ch in REGEX_CHARS)


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not (c.imports_any(ctx, "flask_cors", "flask.ext.cors") or c.reexported(ctx, "flask_cors") or _inits_imported_extension(ctx)):
        return
    opaque: set[str] = set()
    loaded: dict[str, list] = {}  # app -> the config classes from_object may load
    config = _config_options(ctx, facts, opaque, loaded)
    apps = _created_apps(ctx)
    consumed: set[int] = set()  # CORS() calls configured through init_app
    for site in ctx.index.calls:
        call: cst.Call = site.node
        if c.refers_to(ctx, call.func, *DECORATOR):
            _decorator(ctx, facts, site, *_decorator_config(config, apps, opaque))
        elif isinstance(call.func, cst.Attribute) and call.func.attr.value == "init_app":
            ctor = _constructor_of(ctx, call.func.value, site)
            if ctor is not None:
                consumed.add(id(ctor[0]))
                base = c.read_options(ctx, ctor[0], ctor[1])
                own = c.read_options(ctx, call, site)
                _report_unknown(ctx, facts, own)
                app = _app_of(ctx, call)
                before = len(facts.policies)
                if app in loaded:
                    _emit_per_class(ctx, facts, own.merged_over(base), config, site, app, loaded[app], _config_known(app, apps, opaque))
                else:
                    _emit(ctx, facts, own.merged_over(base), _config_for(config, site, app), call, config_known=_config_known(app, apps, opaque))
                _tag_app(facts, before, app)
    for site in ctx.index.calls:
        call = site.node
        if not c.refers_to(ctx, call.func, *CORS_CLASS) or id(call) in consumed:
            continue
        options = c.read_options(ctx, call, site)
        _report_unknown(ctx, facts, options)
        has_app = bool(c.positional(call)) or ctx.arg(call, None, "app") is not None
        if not has_app and not options.values and not options.opaque:
            continue  # CORS() configured by an init_app elsewhere
        app = _app_of(ctx, call)
        before = len(facts.policies)
        if app in loaded:
            _emit_per_class(ctx, facts, options, config, site, app, loaded[app], _config_known(app, apps, opaque))
        else:
            _emit(ctx, facts, options, _config_for(config, site, app), call, config_known=_config_known(app, apps, opaque))
        _tag_app(facts, before, app)


def _tag_app(facts: FileFacts, start: int, app: str | None) -> None:
    """Name the app (or blueprint) on the policies emitted from ``start`` on."""
    if app:
        facts.policies[start:] = [replace(p, app=app) for p in facts.policies[start:]]


# -- forms --------------------------------------------------------------------


def _decorator(ctx: ModuleContext, facts: FileFacts, site: Site, config: list, config_known: bool) -> None:
    call: cst.Call = site.node
    ignored = [a for a in call.args if a.keyword is None and not a.star]
    for arg in ignored:
        facts.unknown_options.append(
            UnknownOption(
                LIBRARY,
                f"positional argument {ctx.text(arg.value, 60)}",
                ctx.span(arg),
                "origins" if ctx.evaluate(arg.value, site).kind in ("const", "seq") else "",
                "cross_origin() accepts keyword arguments only and drops it"
                + ("" if ctx.arg(call, None, "origins") else ", so origins stay '*' (every origin)"),
            )
        )
    options = c.read_options(ctx, call, site)
    _report_unknown(ctx, facts, options)
    reason = ""
    dropped = None
    if ignored and options.node("origins") is None:
        reason = f"the positional argument {ctx.text(ignored[0].value, 60)} is ignored"
        # the origins the author meant to allow were written there; the
        # every-origin default that replaces them is the call's (COR202 at
        # the call, the dropped argument's COR305 folded into it)
        dropped = ctx.span(ignored[0])
    _emit(ctx, facts, options, config, call, ignored_reason=reason, config_known=config_known, dropped_span=dropped)


def _constructor_of(ctx: ModuleContext, receiver: cst.BaseExpression, site: Site) -> tuple[cst.Call, Site | None] | None:
    """The ``CORS(...)`` call an ``init_app`` receiver stands for."""
    node: cst.BaseExpression | None = receiver
    if isinstance(receiver, cst.Name):
        node = c.last_assignment(ctx, receiver.value, site)
        if node is None:
            node = c.last_assignment(ctx, receiver.value, None)
    if isinstance(node, cst.Call) and c.refers_to(ctx, node.func, *CORS_CLASS):
        return node, _site_of(ctx, node)
    if node is None and isinstance(receiver, cst.Name):
        return _imported_constructor(ctx, receiver)
    return None


def _inits_imported_extension(ctx: ModuleContext) -> bool:
    """Does the module call ``init_app`` on a ``CORS()`` made in another
    project module (``from .extensions import cors``)?"""
    for site in ctx.index.calls:
        func = site.node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "init_app" and isinstance(func.value, cst.Name) and ctx.index.imports.is_imported(func.value.value):
            if _imported_constructor(ctx, func.value) is not None:
                return True
    return False


def _imported_constructor(ctx: ModuleContext, receiver: cst.Name) -> tuple[cst.Call, Site | None] | None:
    """``cors.init_app(app)`` with ``cors = CORS()`` in another project
    module (an ``extensions.py``): the extension is configured here.  Only
    a bare ``CORS()`` is taken (options written there stay unread)."""
    for other, name in ctx.imported_from(receiver):
        defs = other.index.module_scope.assignments.get(name, [])
        value = defs[-1].value if defs and defs[-1].kind == "assign" else None
        if isinstance(value, cst.Call) and c.refers_to(other, value.func, *CORS_CLASS) and not value.args:
            return cst.Call(func=value.func), None
    return None


def _site_of(ctx: ModuleContext, call: cst.Call) -> Site | None:
    for site in ctx.index.calls:
        if site.node is call:
            return site
    return None


# -- config ---------------------------------------------------------------------


def _config_options(ctx: ModuleContext, facts: FileFacts, opaque: set[str], loaded: dict[str, list]) -> list[tuple]:
    """``CORS_*`` keys set on a Flask config in this module, in order:
    (order, owner, option name, node to report at, value, value node); the owner is the
    object whose ``.config`` it is (``app``, ``self.app``).  Owners whose
    config is also loaded from elsewhere (``from_object``, ``from_pyfile``,
    ``update(mapping)``) are added to ``opaque``."""
    out: list[tuple] = []

    def add(key: str | None, node: cst.CSTNode, value: Value, order: int, owner: cst.BaseExpression, value_node: cst.CSTNode) -> None:
        if key is None or not key.upper().startswith("CORS_"):
            return
        name = CONFIG_KEYS.get(key)
        if name is None:
            hint = c.suggest(key, CONFIG_KEYS, cutoff=0.8)
            if hint:
                facts.unknown_options.append(
                    UnknownOption(LIBRARY, key, ctx.span(node), hint, _consequence(CONFIG_KEYS[hint], config=True, origins_set=any(i[2] == "origins" for i in out)))
                )
            return
        out.append((order, ctx.dotted(owner) or "", name, node, value, value_node))

    for site in ctx.index.subscript_assigns:
        stmt = site.node
        if not isinstance(stmt, cst.Assign):
            continue
        for target in stmt.targets:
            sub = target.target
            if isinstance(sub, cst.Subscript) and _is_config(sub.value) and len(sub.slice) == 1 and isinstance(sub.slice[0].slice, cst.Index):
                key = ctx.evaluate(sub.slice[0].slice.value, site).str_value()
                add(key, stmt, ctx.evaluate(stmt.value, site), site.order, sub.value.value, stmt.value)
    for site in ctx.index.calls:
        call = site.node
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in EXTERNAL_CONFIG and _is_config(func.value):
            owner = ctx.dotted(func.value.value) or ""
            classes = _config_classes.loaded_classes(ctx, call, site) if func.attr.value == "from_object" else None
            if not classes:
                opaque.add(owner)
                continue
            if len(classes) > 1 or classes[0].ctx is not ctx:
                # several candidates, or a class of another module: one
                # configuration per class (_emit_per_class)
                loaded[owner] = [(cls, *_config_classes.class_keys(cls, "CORS_")) for cls in classes]
                continue
            # from_object(Config) with the one class in this module: its
            # CORS_* attributes (inherited ones too) are the config, and
            # what it leaves out is default when every base could be read
            keys, complete = _config_classes.class_keys(classes[0], "CORS_")
            if not complete:
                opaque.add(owner)
            for name, key in keys.items():
                add(name, key.node, key.value, site.order, func.value.value, key.value_node)
            continue
        if not (isinstance(func, cst.Attribute) and func.attr.value in ("update", "from_mapping", "setdefault") and _is_config(func.value)):
            continue
        if func.attr.value == "setdefault":
            if call.args:
                key = ctx.evaluate(call.args[0].value, site).str_value()
                if len(call.args) > 1:
                    add(key, call, ctx.evaluate(call.args[1].value, site), site.order, func.value.value, call.args[1].value)
            continue
        options = c.read_options(ctx, call, site)
        for arg in c.positional(call):
            literal = c.dict_literal(ctx, arg.value, site)
            if literal is not None:
                options = c.read_options(ctx, literal, site).merged_over(options)
            else:
                options.opaque = True
        if options.opaque:
            opaque.add(ctx.dotted(func.value.value) or "")
        for key, (node, value_node, value) in options.values.items():
            add(key, node, value, site.order, func.value.value, value_node)
    return out


def _is_config(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value == "config"


def _config_for(config: list, site: Site | None, app: str | None) -> list:
    """The config entries that reach one configuration.  Extensions read the
    config of the app they are given, when they are created (so only earlier
    assignments count); decorators read ``current_app``'s config per
    request, which is only known when the module configures a single app."""
    if app is None:
        owners = {item[1] for item in config}
        return config if len(owners) == 1 else []
    return [item for item in config if item[1] == app and (site is None or item[0] < site.order)]


def _created_apps(ctx: ModuleContext) -> dict[str, str]:
    """Names bound to a ``Flask(...)`` (``"app"``) or ``Blueprint(...)``
    (``"blueprint"``, which has no config) in this module."""
    out: dict[str, str] = {}
    for site in ctx.index.calls:
        call = site.node
        kind = "app" if c.refers_to(ctx, call.func, *FLASK_APP) else "blueprint" if c.refers_to(ctx, call.func, *BLUEPRINT) else None
        wrapped = c.refers_to(ctx, call.func, *CONNEXION_APP)  # its Flask app is ``.app``
        if kind is None and not wrapped:
            continue
        parent = ctx.index.parent(call)
        if isinstance(parent, cst.Assign):
            for target in parent.targets:
                name = ctx.dotted(target.target)
                if name:
                    out[f"{name}.app" if wrapped else name] = kind or "app"
    return out


def _config_known(app: str | None, apps: dict[str, str], opaque: set[str]) -> bool:
    """Can the module see every ``CORS_*`` config key this app may carry?
    Only for an app (or blueprint) created here whose config is not loaded
    from elsewhere."""
    if app is None or app not in apps:
        return False
    return apps[app] == "blueprint" or app not in opaque


def _decorator_config(config: list, apps: dict[str, str], opaque: set[str]) -> tuple[list, bool]:
    """The config a decorator sees (``current_app``'s, per request) and
    whether it is fully known: only when the module creates the app(s) and
    at most one of them sets ``CORS_*`` keys."""
    flask_apps = [name for name, kind in apps.items() if kind == "app"]
    if not flask_apps or any(name in opaque for name in flask_apps):
        return [], False
    owners = {item[1] for item in config}
    if not owners:
        return [], True
    if len(flask_apps) == 1 and owners == set(flask_apps):
        return config, True
    return [], False


def _app_of(ctx: ModuleContext, call: cst.Call) -> str | None:
    """The dotted name of the app (or blueprint) a CORS()/init_app call gets."""
    arg = ctx.arg(call, 0, "app")
    if arg is None:
        return None
    return ctx.dotted(arg.value) or ""


# -- config classes ------------------------------------------------------------


def _emit_per_class(ctx: ModuleContext, facts: FileFacts, options: c.Options, config: list, site: Site, app: str | None, classes: list, known: bool) -> None:
    """One policy per config class ``from_object`` may load into ``app``:
    the class's ``CORS_*`` keys under this module's own config writes and
    the call's options.  Keys of a class in another project module are
    reported there when it is linted too (else here, with ``(from ...)``);
    a variant (a subclass of the class named at the call) is one
    deployment's configuration, so its findings are medium confidence."""
    call: cst.Call = site.node
    own = _config_for(config, site, app)
    for cls, keys, complete in classes:
        from_class = [(-1, app or "", CONFIG_KEYS[k], key.node, key.value, key.value_node) for k, key in keys.items() if k in CONFIG_KEYS]
        view = ctx if cls.ctx is ctx else _ClassModule(ctx, cls.ctx, ctx.span(call))
        before = len(facts.policies)
        _emit(view, facts, options, from_class + own, call, config_known=known and complete)
        if cls.variant:
            facts.policies[before:] = [replace(p, confidence=Confidence.MEDIUM) if p.confidence.rank > Confidence.MEDIUM.rank else p for p in facts.policies[before:]]


class _ClassModule:
    """This module's context, except for nodes of the module that defines a
    config class: their places become ``ForeignSpan``s and their text and
    values are read there."""

    def __init__(self, own: ModuleContext, other: ModuleContext, use) -> None:
        from ..dataflow import _foreign_span_of

        self._own = own
        self._other = other
        self._foreign = _foreign_span_of(other, use)

    def _theirs(self, node) -> bool:
        return node is not None and self._other.index.parent(node) is not None and self._own.index.parent(node) is None

    def span(self, node):
        return self._foreign(self._other.span(node)) if self._theirs(node) else self._own.span(node)

    def text(self, node, limit: int = 80) -> str:
        return self._other.text(node, limit) if self._theirs(node) else self._own.text(node, limit)

    def evaluate(self, node, site=None):
        return self._other.evaluate(node, None) if self._theirs(node) else self._own.evaluate(node, site)

    def __getattr__(self, name):
        return getattr(self._own, name)


# -- policies ---------------------------------------------------------------------


def _report_unknown(ctx: ModuleContext, facts: FileFacts, options: c.Options) -> None:
    for name, (node, _, _) in options.values.items():
        if name in OPTIONS or name == "app":
            continue
        hint = SYNONYMS.get(name.lower()) or c.suggest(name, OPTIONS)
        facts.unknown_options.append(UnknownOption(LIBRARY, name, ctx.span(node), hint, _consequence(hint, origins_set=options.node("origins") is not None)))


def _misspelt_origins(options: c.Options) -> tuple[str, cst.CSTNode] | None:
    """The keyword written for ``origins`` under another library's name or a
    misspelling (``origin=``, ``allow_origins=``), with its node."""
    for name, (node, _, _) in options.values.items():
        if name not in OPTIONS and name != "app" and (SYNONYMS.get(name.lower()) or c.suggest(name, OPTIONS)) == "origins":
            return name, node
    return None


def _consequence(hint: str, config: bool = False, origins_set: bool = False) -> str:
    if config:
        if hint == "origins" and not origins_set:
            return "flask-cors never reads this config key, so origins stay '*' (every origin)"
        return "flask-cors never reads this config key"
    if hint == "origins" and not origins_set:
        return "flask-cors ignores it and allows every origin"
    if hint == "supports_credentials":
        return "flask-cors ignores it, so credentials stay off"
    return "flask-cors ignores it (it only logs a warning)"


def _emit(
    ctx: ModuleContext,
    facts: FileFacts,
    options: c.Options,
    config: list,
    call: cst.Call,
    ignored_reason: str = "",
    config_known: bool = True,
    dropped_span=None,
) -> None:
    merged = _with_config(ctx, options, config)
    if not config_known:
        # the app's config may set any option the call leaves out
        merged.opaque = True
    if dropped_span is None and merged.node("origins") is None:
        misspelt = _misspelt_origins(options)
        if misspelt is not None:
            # origin=/allow_origins= was meant as the restriction, as a
            # positional origin is: the every-origin default replaces it
            dropped_span = ctx.span(misspelt[1])
            ignored_reason = f"{misspelt[0]}= is not a flask-cors option"
    resources = merged.values.get("resources")
    per_path = None
    if resources is not None:
        literal = c.dict_literal(ctx, resources[1], _site_of(ctx, call))
        if literal is not None and isinstance(literal, cst.Dict):
            per_path = literal
    if per_path is None:
        policy = _policy(ctx, merged, ctx.span(call), ignored_reason, _site_of(ctx, call), dropped_span)
        if policy is not None:
            patterns = _path_patterns(resources[2]) if resources is not None else ()
            facts.policies.append(replace(policy, paths=patterns) if patterns else policy)
        return
    site = _site_of(ctx, call)
    for el in per_path.elements:
        if not isinstance(el, cst.DictElement):
            continue
        inner = c.dict_literal(ctx, el.value, site)
        resource_options = c.read_options(ctx, inner, site) if inner is not None else c.Options(opaque=True)
        resource_options = _config_reads(ctx, resource_options, config, site)
        _report_unknown(ctx, facts, resource_options)
        # a path left at the default origins is reported at the configuring call
        policy = _policy(ctx, resource_options.merged_over(merged), ctx.span(el), ignored_reason, site, default_span=ctx.span(call))
        if policy is not None:
            key = ctx.evaluate(el.key, site).str_value()
            facts.policies.append(replace(policy, paths=(key,)) if key else policy)


def _config_reads(ctx: ModuleContext, options: c.Options, config: list, site: Site | None) -> c.Options:
    """Options whose value is read back from the app's config
    (``{"origins": app.config["CORS_ORIGINS"]}``) take the config value this
    configuration has (a key of the config class being judged, or a
    ``app.config[...]`` write), reported where that value is written."""
    written = {name: (node, value_node, value) for _, _, name, node, value, value_node in config}
    out = None
    for name, (node, value_node, value) in options.values.items():
        if value.kind != "unknown" or not isinstance(value_node, cst.Subscript) or not _is_config(value_node.value):
            continue
        if len(value_node.slice) != 1 or not isinstance(value_node.slice[0].slice, cst.Index):
            continue
        key = ctx.evaluate(value_node.slice[0].slice.value, site).str_value()
        option = CONFIG_KEYS.get(key or "")
        if option is None or option not in written:
            continue
        out = out or c.Options(dict(options.values), options.opaque, dict(options.labels))
        out.values[name] = written[option]
        out.labels[name] = key
    return out or options


def _path_patterns(value: Value) -> tuple[str, ...]:
    """``resources=r"/api/*"`` or a list of such strings: the path patterns
    (all of them known, else none: an unknown one may cover any path)."""
    items = value.items if value.kind == "seq" else (value,)
    patterns = tuple(s for s in (item.str_value() for item in items) if s is not None)
    return patterns if len(patterns) == len(items) else ()


def _with_config(ctx: ModuleContext, options: c.Options, config: list) -> c.Options:
    base = c.Options()
    for _, _, name, node, value, value_node in config:
        if value.kind == "const" and value.const is None:
            continue  # None config values are skipped by flask-cors
        base.values[name] = (node, value_node, value)
        base.labels[name] = "CORS_" + name.upper()
    return options.merged_over(base)


def _policy(ctx: ModuleContext, options: c.Options, call_span, ignored_reason: str, site: Site | None, dropped_span=None, default_span=None) -> CorsPolicy | None:
    """One policy; ``call_span`` is where it is configured (the call, or a
    ``resources`` entry), ``default_span`` the configuring call that leaves
    origins at their default (the call itself unless given).  A dropped
    origin (``dropped_span``: a positional argument or a misspelt keyword)
    only says that the every-origin default was not meant: the finding about
    that default is the call's, the catalog's place for defaults."""
    def explicit(name: str) -> Setting | None:
        node = options.node(name)
        return c.setting(ctx, options.label(name), node, options.get(name), options.values[name][1]) if node is not None else None

    origins = explicit("origins")
    creds = explicit("supports_credentials")
    wildcard_setting = explicit("send_wildcard")
    vary_setting = explicit("vary_header")
    private = explicit("allow_private_network")
    opaque = options.opaque

    credentials = c.truth(creds.value) if creds is not None else (None if opaque else False)
    send_wildcard = c.truth(wildcard_setting.value) if wildcard_setting is not None else (None if opaque else False)
    private_network = c.truth(private.value) if private is not None else (None if opaque else False)

    found = c.OriginsBuilder()
    # origins passed positionally were meant as this view's restriction: the
    # author relies on no CORS_ORIGINS in an app config we cannot see, so the
    # every-origin default stands, at lower confidence
    assumed = opaque and dropped_span is not None and origins is None
    if origins is None:
        if opaque and not assumed:
            return CorsPolicy(LIBRARY, call_span, origins_unknown=True, credentials=credentials, credentials_setting=creds)
        origins = c.default_setting("origins", c.const_value("*"), default_span or call_span)
        found.accept_any(origins, ignored_reason)
    else:
        _read_origins(ctx, options, origins, found, site)
    any_origin = found.any_origin
    if any_origin and credentials is True and send_wildcard is True:
        return None  # flask-cors raises ValueError for this combination: nothing is served
    vary = c.truth(vary_setting.value) is not False if vary_setting is not None else True
    wildcards = tuple(s for s in (explicit("methods"), explicit("expose_headers")) if s is not None and _is_star(s.value))
    return CorsPolicy(
        library=LIBRARY,
        span=call_span,
        origins_setting=origins,
        **found.policy_fields(),
        reflects=any_origin and send_wildcard is not True,
        credentials=credentials,
        credentials_setting=creds,
        private_network=private_network,
        private_network_setting=private,
        vary=vary,
        confidence=Confidence.MEDIUM if assumed else c.confidence_for(origins.value if origins.explicit else None, creds.value if creds else None, partial=found.partial),
        preflight_wildcards=wildcards,
        literal_wildcard_headers=bool(wildcards),
    )


def _read_origins(ctx: ModuleContext, options: c.Options, origins: Setting, found: c.OriginsBuilder, site: Site | None) -> None:
    """``origins``, branch by branch: every origin when some branch holds
    ``'*'`` or a pattern matching everything (only on some: ``partial``)."""
    where = {}
    got = options.values.get("origins")
    if got is not None and origins.value.kind != "either":
        where = {"ctx": ctx, "node": got[1], "site": site}
    branches = c.alternatives(origins.value)
    reasons: list[str] = []
    hits = 0
    for branch in branches:
        wild, branch_unknown = _origins_branch(branch, origins, found.entries, reasons, where)
        hits += wild
        found.unknown = found.unknown or (branch_unknown and not wild)
    if hits:
        found.accept_any(origins, partial=hits < len(branches))
    found.reasons.extend(r for r in reasons if r)


def _origins_branch(branch: Value, origins: Setting, entries: list, reasons: list[str], where: dict) -> tuple[bool, bool]:
    """One alternative of ``origins``: (allows every origin, unresolved parts)."""
    if branch.kind not in ("const", "seq", "regex"):
        return False, True
    wild = False
    unknown = False
    for el in c.elements(branch, origins.span, **where):
        text = el.text
        if text is None:
            unknown = True
            continue
        if el.is_regex:
            if c.lets_every_origin_in(text, "prefix-regex", el.value.flags):
                wild = True
                reasons.append(f"the pattern {text!r} matches every origin")
            else:
                entries.append(c.entry(el, "prefix-regex"))
            continue
        if text in ("*", ".*"):
            wild = True
            reasons.append("origins contains '*'" if branch.kind == "seq" else "")
            continue
        if probably_regex(text):
            if c.lets_every_origin_in(text, "prefix-regex", re.IGNORECASE):
                wild = True
                reasons.append(f"flask-cors treats {text!r} as a regex that matches every origin")
            else:
                entries.append(c.entry(el, "prefix-regex", flags=re.IGNORECASE))
        else:
            entries.append(c.entry(el, "exact-ci"))
    return wild, unknown


def _is_star(value: Value) -> bool:
    for alt in c.alternatives(value):
        if alt.str_value() == "*":
            return True
        if alt.kind == "seq" and any(i.str_value() == "*" for i in alt.items):
            return True
    return False
