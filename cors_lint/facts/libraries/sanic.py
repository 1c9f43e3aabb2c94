"""Sanic's two CORS implementations: sanic-ext (built in) and sanic-cors.

**sanic-ext** (25.x ``sanic_ext/extensions/http/cors.py``) reads
``app.config.CORS_*`` (also given as ``Extend(app, config={"cors_origins": ...})``,
or as attributes of a class or module loaded with ``app.update_config(...)``)
and the route decorator ``@cors(origin=, supports_credentials=, ...)``:

* ``CORS_ORIGINS`` defaults to ``""`` (nothing allowed).  The string ``"*"``
  becomes ``re.compile(".*")``; other strings are split on ``,`` and each
  part becomes ``re.escape(part) + "$"`` used with ``.match``, i.e. exact and
  case-sensitive; list items likewise (so ``["*"]`` is a literal ``*``);
  compiled patterns use ``.match`` (prefix).
* A match-all origin is echoed back unless ``CORS_SEND_WILDCARD``.
* ``CORS_ORIGINS == "*"`` with ``CORS_SUPPORTS_CREDENTIALS`` stops start-up
  (``SanicException``); a match-all *pattern*, or ``@cors(origin="*",
  supports_credentials=True)`` on a route, is not caught: reflect+ACAC.
* ``Vary`` is overwritten with ``origin`` whenever ACAO is not ``*``;
  ``CORS_VARY_HEADER`` exists but is never read.

**sanic-cors** (2.2.0, a flask-cors port): ``CORS(app, **options)``,
``cross_origin(app, **options)`` and the ``CORS_*`` config keys.  Origins
default to ``"*"`` (echoed back unless ``send_wildcard``); a string holding
one of ``* \\ ] ?`` is a regex used with ``re.match`` and IGNORECASE, a
compiled pattern with ``re.match``; other strings compare
case-insensitively.  Unknown options only log a warning; positional
arguments after the app are ignored by ``cross_origin`` (the every-origin
default is reported at the call, like every option left at its default).  ``resources={pattern: {options}}`` gives each
path pattern its own options over the call's, and other paths get no CORS
headers (verified with sanic-cors 2.2.0 on Sanic 25.12.1).

A module importing ``sanic_cors`` is read with sanic-cors semantics,
otherwise a module importing ``sanic``/``sanic_ext`` with sanic-ext's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import libcst as cst

from ..context import ModuleContext
from ..index import Site
from ..dataflow import foreign_positions
from ..literals import ForeignSpan
from ..model import CorsPolicy, FileFacts, Setting, UnknownOption, Value
from . import _app_config
from ..policy_kit import (
    Element,
    Options,
    lets_every_origin_in,
    alternatives,
    read_options,
    calls_to,
    confidence_for,
    const_value,
    default_setting,
    dict_literal,
    elements,
    entry,
    foreign_options,
    imported_dict,
    imports_any,
    positional,
    reexported,
    refers_to,
    setting,
    suggest,
    truth,
    unknown_option,
)

EXT = "sanic-ext"
CORS_LIB = "sanic-cors"
EXT_KEYS = (
    "CORS",
    "CORS_ALLOW_HEADERS",
    "CORS_ALWAYS_SEND",
    "CORS_AUTOMATIC_OPTIONS",
    "CORS_EXPOSE_HEADERS",
    "CORS_MAX_AGE",
    "CORS_METHODS",
    "CORS_ORIGINS",
    "CORS_SEND_WILDCARD",
    "CORS_SUPPORTS_CREDENTIALS",
    "CORS_VARY_HEADER",
)
SANIC_CORS_OPTIONS = (
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
)
SANIC_CORS_KEYS = tuple("CORS_" + o.upper() for o in SANIC_CORS_OPTIONS) + ("CORS_OPTIONS",)
REGEX_HINTS = ("*", "\\", "]", "?")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if imports_any(ctx, "sanic_cors") or reexported(ctx, "sanic_cors"):
        _sanic_cors(ctx, facts)
    elif imports_any(ctx, "sanic", "sanic_ext"):
        _sanic_ext(ctx, facts)


# ---------------------------------------------------------------------------
# sanic-ext
# ---------------------------------------------------------------------------


def _ext_owners(ctx: ModuleContext) -> list[str]:
    """The apps this module configures (``app.config.CORS_* = ...``,
    ``app.update_config(...)``, ``Extend(app, config=...)``), by name."""
    seen = _app_config.owners(ctx, "CORS")
    for site in ctx.index.calls:
        func = site.node.func
        if _config_loader(ctx, site) is not None:
            owner = _config_loader(ctx, site) or ""
        elif (ctx.is_name(func, "sanic_ext.Extend") or (isinstance(func, cst.Attribute) and func.attr.value == "extend")) and ctx.arg(site.node, None, "config") is not None:
            owner = _extended_app(ctx, site.node)
        else:
            continue
        if owner and owner not in seen:
            seen.append(owner)
    return seen


def _extended_app(ctx: ModuleContext, call: cst.Call) -> str:
    """``app`` in ``Extend(app, ...)`` or ``app.extend(...)``."""
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "extend":
        return ctx.dotted(call.func.value) or ""
    arg = ctx.arg(call, 0, "app")
    return (ctx.dotted(arg.value) or "") if arg is not None else ""


def _ext_config(ctx: ModuleContext, owner: str | None = None) -> dict[str, tuple[object, Value, str]]:
    """CORS_* values, each with where it is written and its source text:
    ``Extend(config=...)`` first, then ``app.update_config(Config)`` and
    ``app.config`` writes over it, in the order they run.  With ``owner``,
    only what configures that app (a module may configure several, each
    with its own ``app.config``)."""

    def mine(name: str) -> bool:
        return owner is None or not name or name == owner

    out: dict[str, tuple[object, Value, str]] = {}
    for site in ctx.index.calls:
        func = site.node.func
        is_extend = ctx.is_name(func, "sanic_ext.Extend") or (isinstance(func, cst.Attribute) and func.attr.value == "extend")
        if is_extend and not mine(_extended_app(ctx, site.node)):
            continue
        if is_extend:
            arg = ctx.arg(site.node, None, "config")
            literal = dict_literal(ctx, arg.value, site) if arg is not None else None
            if literal is not None:
                for key, (node, value_node, value) in read_options(ctx, literal, site).values.items():
                    if key.upper().startswith("CORS"):
                        out[key.upper()] = (ctx.span(node), value, ctx.text(value_node, 60))
            elif arg is not None:
                # config=EXT_CONFIG from another module (``from .config import *``)
                found = imported_dict(ctx, arg.value, site)
                for key, item in (foreign_options(ctx, *found, site.node) if found else {}).items():
                    if key.upper().startswith("CORS"):
                        out[key.upper()] = item
        elif ctx.is_name(func, "sanic_ext.Config", "sanic_ext.config.Config"):
            for key, (node, value_node, value) in read_options(ctx, site.node, site).values.items():
                if key.upper().startswith("CORS"):
                    out[key.upper()] = (ctx.span(node), value, ctx.text(value_node, 60))
    later: list[tuple[int, str, tuple]] = []
    for site in ctx.index.calls:
        func = site.node.func
        loader = _config_loader(ctx, site)
        if loader is not None and mine(loader):
            for key, item in _config_object(ctx, site).items():
                later.append((site.order, key, item))
    for key, item in _app_config.collect(ctx, "CORS", owner=owner).items():
        later.append((item.order, key, (item.span or ctx.span(item.node), item.value, ctx.text(item.value_node, 60) if item.value_node is not None else "")))
    for _order, key, item in sorted(later, key=lambda t: t[0]):
        out[key] = item
    return out


LOADERS = ("update_config", "load")  # Config.load is an alias of update_config


def _config_loader(ctx: ModuleContext, site: Site) -> str | None:
    """The app whose config ``app.update_config(obj)``,
    ``app.config.update_config(obj)`` or ``app.config.load(obj)`` fills
    (its dotted name), or None when the call is none of these."""
    func = site.node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in LOADERS and site.node.args):
        return None
    receiver = func.value
    if isinstance(receiver, cst.Attribute) and receiver.attr.value == "config":
        return ctx.dotted(receiver.value) or ""
    if func.attr.value == "load":
        return None  # only Config.load; other objects' load() is something else
    return ctx.dotted(receiver) or ""


def _config_object(ctx: ModuleContext, site: Site) -> dict[str, tuple[object, Value, str]]:
    """The ``CORS_*`` attributes of the object given to
    ``app.update_config(...)``: a dict literal, a class of this module, a
    class (or module) imported from another project module, or the classes
    a project function returns (``update_config(select_config())``).
    Sanic copies the upper-case attributes of the object's own ``__dict__``
    into ``app.config`` (a class's bases are not read: verified on Sanic
    25.12.1).  Keys written in another file are reported there when it is
    linted too, else at this call.  With several candidate classes, a key
    counts only when every candidate carries the same assignment (unknown
    keys of any candidate are reported all the same)."""
    arg = site.node.args[0].value
    out: dict[str, tuple[object, Value, str]] = {}
    literal = dict_literal(ctx, arg, site)
    if literal is not None:
        for key, (node, value_node, value) in read_options(ctx, literal, site).values.items():
            if key.upper().startswith("CORS"):
                out[key.upper()] = (ctx.span(node), value, ctx.text(value_node, 60))
        return out
    if isinstance(arg, cst.Call):
        candidates = [_class_keys(ctx, site, cctx, name) for cctx, name in _returned_classes(ctx, arg)]
        for keys in candidates:
            for key, item in keys.items():
                if key not in EXT_KEYS or all(other.get(key, (None,))[0] == item[0] for other in candidates):
                    out.setdefault(key, item)
        return out
    if not isinstance(arg, cst.Name):
        return out
    imported = imported_dict(ctx, arg, site)
    if imported is not None:
        for key, item in foreign_options(ctx, *imported, site.node).items():
            if key.upper().startswith("CORS"):
                out[key.upper()] = item
        return out
    if _class_attributes(ctx, arg.value) is not None:
        return _class_keys(ctx, site, ctx, arg.value)
    other, name = _imported_object(ctx, arg)
    if other is None:
        return out
    if name is not None:
        return _class_keys(ctx, site, other, name)
    use = ctx.span(site.node)
    shown = getattr(ctx.project, "linted", {}).get(str(Path(other.path).resolve()))
    for key, (node, value_node, value) in _module_attributes(other).items():
        span = ForeignSpan(other.span(node), str(other.path), shown, use)
        out[key] = (span, foreign_positions(value, other, use), other.text(value_node, 60))
    return out


def _class_keys(ctx: ModuleContext, site: Site, cctx: ModuleContext, name: str) -> dict[str, tuple[object, Value, str]]:
    """The ``CORS_*`` attributes of class ``name`` of module ``cctx``, each
    with where it is reported from this module's ``site``."""
    out: dict[str, tuple[object, Value, str]] = {}
    found = _class_attributes(cctx, name) or {}
    if cctx is ctx:
        for key, (node, value_node, value) in found.items():
            out[key] = (ctx.span(node), value, ctx.text(value_node, 60))
        return out
    use = ctx.span(site.node)
    shown = getattr(ctx.project, "linted", {}).get(str(Path(cctx.path).resolve()))
    for key, (node, value_node, value) in found.items():
        out[key] = (ForeignSpan(cctx.span(node), str(cctx.path), shown, use), foreign_positions(value, cctx, use), cctx.text(value_node, 60))
    return out


def _base_keys(ctx: ModuleContext, site: Site) -> dict[str, tuple[object, Value, str]]:
    """``CORS_*`` attributes the bases of the loaded classes set and the
    classes themselves do not: ``update_config`` never copies them, but they
    are the settings block written for sanic-ext (a misspelt key there is
    still a misspelt key).  Bases in the class's own module only."""
    arg = site.node.args[0].value
    if isinstance(arg, cst.Call):
        classes = _returned_classes(ctx, arg)
    elif isinstance(arg, cst.Name) and _class_attributes(ctx, arg.value) is not None:
        classes = [(ctx, arg.value)]
    elif isinstance(arg, cst.Name):
        other, name = _imported_object(ctx, arg)
        classes = [(other, name)] if other is not None and name is not None else []
    else:
        classes = []
    out: dict[str, tuple[object, Value, str]] = {}
    for cctx, name in classes:
        own = _class_keys(ctx, site, cctx, name)
        for base in _bases(cctx, name):
            for key, item in _class_keys(ctx, site, cctx, base).items():
                if key not in own:
                    out.setdefault(key, item)
    return out


def _bases(ctx: ModuleContext, name: str) -> list[str]:
    """The classes of the same module ``name`` derives from, nearest first."""
    out: list[str] = []
    todo = [name]
    while todo and len(out) < 12:
        info = ctx.index.classes.get(todo.pop(0))
        for base in info.bases if info is not None else ():
            if isinstance(base, cst.Name) and base.value in ctx.index.classes and base.value not in out and base.value != name:
                out.append(base.value)
                todo.append(base.value)
    return out


def _returned_classes(ctx: ModuleContext, call: cst.Call) -> list[tuple[ModuleContext, str]]:
    """The classes a call to a project function may return
    (``select_config()``, this module's or imported from another project
    module): ``return ProductionConfig``, ``return CONFIGS[name]`` or
    ``return CONFIGS.get(name, DevelopmentConfig)`` over a module-level dict
    of classes.  Empty when any return is something else."""
    found = _function_scope(ctx, call.func)
    if found is None:
        return []
    fctx, scope = found
    out: list[tuple[ModuleContext, str]] = []
    for ret in scope.returns:
        value = getattr(ret.node, "value", None)
        classes = _classes_of(fctx, value) if value is not None else []
        if not classes:
            return []
        out.extend(c for c in classes if c not in out)
    return out[:12]


def _function_scope(ctx: ModuleContext, func: cst.BaseExpression):
    """(module context, scope) of the module-level function ``func`` names."""
    if not isinstance(func, cst.Name):
        return None
    if not ctx.index.imports.is_imported(func.value):
        scope = next((s for s in ctx.index.functions.get(func.value, []) if s.parent is not None and s.parent.kind == "module"), None)
        return (ctx, scope) if scope is not None else None
    for other, name in ctx.imported_from(func):
        found = _function_scope(other, cst.Name(name))
        if found is not None:
            return found
    return None


def _classes_of(ctx: ModuleContext, node: cst.BaseExpression) -> list[tuple[ModuleContext, str]]:
    """The classes of this module an expression may be: a class name, an
    entry of a module-level dict of classes (subscript or ``.get`` with a
    default); empty when it may be anything else."""
    if isinstance(node, cst.Name):
        return [(ctx, node.value)] if node.value in ctx.index.classes and not ctx.index.imports.is_imported(node.value) else []
    holder = None
    extra: list[tuple[ModuleContext, str]] = []
    if isinstance(node, cst.Subscript):
        holder = node.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
        holder = node.func.value
        if len(node.args) > 1:
            extra = _classes_of(ctx, node.args[1].value)
            if not extra:
                return []
    literal = dict_literal(ctx, holder, None) if holder is not None else None
    if not isinstance(literal, cst.Dict):
        return []
    out: list[tuple[ModuleContext, str]] = []
    for el in literal.elements:
        classes = _classes_of(ctx, el.value) if isinstance(el, cst.DictElement) else []
        if not classes:
            return []
        out.extend(c for c in classes if c not in out)
    return out + [c for c in extra if c not in out]


def _class_attributes(ctx: ModuleContext, name: str) -> dict | None:
    """``CORS_*`` assignments in the body of class ``name`` of this module."""
    info = ctx.index.classes.get(name)
    scope = next((s for s in ctx.index.class_scopes if s.node is info.node), None) if info is not None else None
    if scope is None:
        return None
    out = {}
    for key, defs in scope.assignments.items():
        d = defs[-1]
        if key.isupper() and key.startswith("CORS") and d.value is not None and d.kind == "assign":
            out[key] = (_app_config.assignment_statement(ctx, d.node) if d.node is not None else d.value, d.value, ctx.evaluate_in(d.value, scope, 10**9))
    return out


def _module_attributes(ctx: ModuleContext) -> dict:
    return {key: (item.node, item.value_node, item.value) for key, item in _app_config.collect(ctx, "CORS").items() if item.module_level and item.value_node is not None}


def _imported_object(ctx: ModuleContext, name: cst.Name):
    """(module context, class name) of an imported class, or (module
    context, None) of an imported project module; (None, None) otherwise."""
    project = ctx.project
    if project is None or not hasattr(project, "context"):
        return None, None
    for qualified in sorted(ctx.qualify(name)):
        dots = len(qualified) - len(qualified.lstrip("."))
        path = project.module_path(qualified, ctx.path)
        if path is not None:
            other = project.context(path)
            if other is not None and other is not ctx:
                return other, None
        module, _, attr = qualified[dots:].rpartition(".")
        if module or dots:
            path = project.module_path("." * dots + module, ctx.path)
            other = project.context(path) if path is not None else None
            if other is not None and other is not ctx and attr in other.index.classes:
                return other, attr
    if not ctx.index.imports.is_imported(name.value) and name.value not in ctx.index.module_scope.assignments:
        # a class that arrives through "from .config import *"
        for star in reversed(ctx.index.imports.star_imports):
            path = project.module_path(star, ctx.path)
            other = project.context(path) if path is not None else None
            if other is not None and other is not ctx and name.value in other.index.classes:
                return other, name.value
    return None, None


def _sanic_ext(ctx: ModuleContext, facts: FileFacts) -> None:
    _unknown_base_keys(ctx, facts)
    apps = _ext_owners(ctx)
    if len(apps) < 2:
        _ext_app(ctx, facts, _ext_config(ctx))
        return
    # several apps configured here: each gets its own config, and a route
    # decorator the config of the app its route is declared on
    for app in apps:
        _ext_app(ctx, facts, _ext_config(ctx, app), routes_of=[app])
    # decorators on routes of other objects (blueprints): the module's config as a whole
    _ext_app(ctx, facts, _ext_config(ctx), routes_of=[None, *(r for r in _decorated_routes(ctx) if r not in apps)], app_level=False)


def _unknown_base_keys(ctx: ModuleContext, facts: FileFacts) -> None:
    """Misspelt ``CORS_*`` keys in the bases of classes given to
    ``update_config``: never loaded (only the class's own attributes are),
    and not the option the author meant either."""
    seen: set[int] = set()
    for site in ctx.index.calls:
        if _config_loader(ctx, site) is None:
            continue
        for key, (span, _value, _text) in _base_keys(ctx, site).items():
            if key in EXT_KEYS or key == "CORS_OPTIONS" or id(span) in seen:
                continue
            seen.add(id(span))
            facts.unknown_options.append(
                UnknownOption(EXT, key, span, suggest(key, EXT_KEYS), "sanic-ext only reads its own CORS_* keys (and update_config() copies only the loaded class's own attributes, not its bases')")
            )


def _decorated_routes(ctx: ModuleContext) -> set[str | None]:
    return {_route_owner(ctx, site) for site in calls_to(ctx, "sanic_ext.cors", "sanic_ext.extensions.http.cors.cors")}


def _route_owner(ctx: ModuleContext, site: Site) -> str | None:
    """The app a ``@cors(...)`` decorator's function is routed on
    (``@app.get(...)`` beside it), if any."""
    function = ctx.index.decorated_function(site.node)
    if function is None:
        return None
    for decorator in function.decorators:
        call = decorator.decorator
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value in ("route", "get", "post", "put", "patch", "delete", "options", "head", "websocket"):
            return ctx.dotted(call.func.value.value if isinstance(call.func.value, cst.Attribute) and call.func.value.attr.value == "router" else call.func.value)
    return None


def _ext_app(ctx: ModuleContext, facts: FileFacts, config: dict, routes_of: list | None = None, app_level: bool = True) -> None:
    """The policies of one app's config (``app_level``) and of the route
    decorators on routes of ``routes_of`` (every decorator when None)."""
    for key, (span, value, _text) in (config.items() if app_level else ()):
        if key not in EXT_KEYS and key != "CORS_OPTIONS":
            facts.unknown_options.append(UnknownOption(EXT, key, span, suggest(key, EXT_KEYS), "sanic-ext only reads its own CORS_* keys"))
        elif key == "CORS_VARY_HEADER" and truth(value) is False:
            facts.unknown_options.append(
                UnknownOption(EXT, "CORS_VARY_HEADER=False", span, "", "the key is defined but never read; sanic-ext always sets Vary: origin")
            )
    creds_item = config.get("CORS_SUPPORTS_CREDENTIALS")
    app_creds = truth(creds_item[1]) if creds_item is not None else False
    app_creds_setting = _config_setting("CORS_SUPPORTS_CREDENTIALS", creds_item) if creds_item is not None else None
    wildcard_item = config.get("CORS_SEND_WILDCARD")
    send_wildcard = truth(wildcard_item[1]) if wildcard_item is not None else False
    origins_item = config.get("CORS_ORIGINS")
    if origins_item is not None and app_level:
        span, value, _text = origins_item
        _ext_policy(ctx, facts, span, _config_setting("CORS_ORIGINS", origins_item), value, app_creds, app_creds_setting, send_wildcard, app_level=True)
    for site in calls_to(ctx, "sanic_ext.cors", "sanic_ext.extensions.http.cors.cors"):
        if routes_of is not None and _route_owner(ctx, site) not in routes_of:
            continue
        options = read_options(ctx, site.node, site)
        origin = options.get("origin")
        if origin is None:
            continue  # the app-level origins apply
        creds = options.get("supports_credentials")
        if creds is not None:
            credentials, creds_setting = truth(creds), setting(ctx, "supports_credentials", options.node("supports_credentials"), creds)
        else:
            credentials, creds_setting = app_creds, app_creds_setting
        _ext_policy(ctx, facts, ctx.span(site.node), setting(ctx, "origin", options.node("origin"), origin), origin, credentials, creds_setting, send_wildcard, app_level=False)


def _config_setting(name: str, item: tuple) -> Setting:
    span, value, text = item
    if text and not value.text and "#" not in text:
        value = replace(value, text=text)
    return Setting(name, value, span, explicit=True)


def _ext_policy(ctx, facts, span, origins_setting: Setting, value: Value, credentials, creds_setting, send_wildcard, app_level: bool) -> None:
    common = dict(
        library=EXT,
        span=span,
        origins_setting=origins_setting,
        credentials_setting=creds_setting,
        private_network=False,
        vary=True,
        confidence=confidence_for(value, creds_setting.value if creds_setting else None, partial=value.kind == "either"),
    )
    items: list[Element] = []
    star_string = False
    for alt in alternatives(value):
        for e in elements(alt, origins_setting.span):
            if alt.kind == "const" and e.known and not e.is_regex:
                # a string: "*" is the wildcard, anything else a comma list
                if e.text == "*":
                    star_string = True
                    continue
                items.extend(_split(e))
            else:
                items.append(e)
    if any(not e.known for e in items):
        facts.policies.append(CorsPolicy(origins_unknown=True, credentials=credentials, **common))
        return
    match_all = [e for e in items if e.is_regex and lets_every_origin_in(e.text, "prefix-regex", e.value.flags)]
    if star_string or match_all:
        if star_string and app_level and credentials:
            facts.policies.append(CorsPolicy(any_origin=True, any_reason="with credentials sanic-ext refuses to start (SanicException)", credentials=False, **common))
            return
        reason = "'*' becomes the pattern '.*'" if star_string else "the pattern matches every origin"
        reason += ", and the Origin is echoed back" if not send_wildcard else ", and '*' is sent"
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=reason, reflects=not send_wildcard, credentials=credentials, **common))
        return
    entries = tuple(entry(e, "prefix-regex") if e.is_regex else entry(e, "exact") for e in items)
    if entries:
        facts.policies.append(CorsPolicy(entries=entries, credentials=credentials, **common))


def _split(e: Element) -> list[Element]:
    return [Element(Value("const", part.strip(), span=e.span, from_default=e.value.from_default), e.span) for part in e.text.split(",") if part.strip()]


# ---------------------------------------------------------------------------
# sanic-cors
# ---------------------------------------------------------------------------


def _sanic_cors(ctx: ModuleContext, facts: FileFacts) -> None:
    config = _app_config.collect(ctx, "CORS_")
    base = Options()
    foreign: dict[int, tuple] = {}
    for key, item in config.items():
        if key == "CORS_OPTIONS":
            # the options dict of the extension: {"origins": ..., ...}
            literal = dict_literal(ctx, item.value_node, None) if item.value_node is not None else None
            if literal is not None:
                base = read_options(ctx, literal, None).merged_over(base)
            continue
        if key not in SANIC_CORS_KEYS:
            if not item.module_level or suggest(item.key, SANIC_CORS_KEYS):
                facts.unknown_options.append(unknown_option(ctx, CORS_LIB, item.key, item.node, SANIC_CORS_KEYS, reason="sanic-cors only reads its own CORS_* keys"))
            continue
        option = (item.node, item.node if item.span is None else None, item.value)
        base.values[key[len("CORS_"):].lower()] = option
        if item.span is not None:
            # written in another module: reported there (see ``_written_at``)
            foreign[id(option)] = (option, item.span)
    names = ("sanic_cors.CORS", "sanic_cors.extension.CORS", "sanic_cors.cross_origin", "sanic_cors.decorator.cross_origin")
    for site in (s for s in ctx.index.calls if refers_to(ctx, s.node.func, *names)):
        call: cst.Call = site.node
        options = read_options(ctx, call, site)
        for name in options.values:
            if name not in SANIC_CORS_OPTIONS and name not in ("app", "config"):
                facts.unknown_options.append(
                    unknown_option(ctx, CORS_LIB, name, options.node(name), SANIC_CORS_OPTIONS, reason="sanic-cors only logs a warning and keeps its default, which accepts every origin", cutoff=0.6)
                )
        if refers_to(ctx, call.func, "sanic_cors.cross_origin", "sanic_cors.decorator.cross_origin"):
            for extra in positional(call)[1:]:
                facts.unknown_options.append(
                    UnknownOption(CORS_LIB, "positional arguments", ctx.span(extra), "origins", "cross_origin(app, *args, **kwargs) ignores them; pass origins=...")
                )
        merged = options.merged_over(base)
        if not _per_resource(ctx, facts, site, merged, foreign):
            _sanic_cors_policy(ctx, facts, site, merged, foreign=foreign)


def _per_resource(ctx: ModuleContext, facts: FileFacts, site: Site, options: Options, foreign: dict) -> bool:
    """``resources={r"/api/*": {"origins": ...}}``: as in flask-cors, each
    path pattern gets its own options over the call's, and paths outside
    every pattern get no CORS headers at all.  One policy per pattern,
    reported at its entry; False when ``resources`` is not a dict literal."""
    if options.node("resources") is None:
        return False
    literal = dict_literal(ctx, options.values["resources"][1], site)
    if not isinstance(literal, cst.Dict):
        return False
    for el in literal.elements:
        if not isinstance(el, cst.DictElement):
            continue
        inner = dict_literal(ctx, el.value, site)
        own = read_options(ctx, inner, site) if inner is not None else Options(opaque=True)
        for name in own.values:
            if name not in SANIC_CORS_OPTIONS:
                facts.unknown_options.append(
                    unknown_option(ctx, CORS_LIB, name, own.node(name), SANIC_CORS_OPTIONS, reason="sanic-cors only logs a warning and keeps its default, which accepts every origin", cutoff=0.6)
                )
        path = ctx.evaluate(el.key, site).str_value()
        _sanic_cors_policy(ctx, facts, site, own.merged_over(options), span=ctx.span(el), paths=(path,) if path else (), foreign=foreign)
    return True


def _written_at(options: Options, name: str, foreign: dict):
    """Where an option was written when that is another module (a
    ``ForeignSpan``), else None.  ``foreign``: the app.config options read
    from a dict another module binds, by the identity of their
    ``Options.values`` entry, as (the entry, where it was written)."""
    got = options.values.get(name)
    found = foreign.get(id(got)) if got is not None else None
    return found[1] if found is not None and found[0] is got else None


def _sanic_cors_policy(ctx: ModuleContext, facts: FileFacts, site: Site, options: Options, span=None, paths: tuple[str, ...] = (), foreign: dict | None = None) -> None:
    """One sanic-cors policy, at ``span`` (a ``resources`` entry) or the
    call; options left at their defaults are the configuring call's."""
    call_span = ctx.span(site.node)
    span = span or call_span

    def opt(name: str, default) -> tuple[Setting, Value | None]:
        value = options.get(name)
        if value is None:
            return default_setting(name, const_value(default), call_span), None
        found = setting(ctx, name, options.node(name), value)
        elsewhere = _written_at(options, name, foreign or {})
        return (replace(found, span=elsewhere) if elsewhere is not None else found), value

    origins_setting, origins = opt("origins", "*")
    creds_setting, creds = opt("supports_credentials", False)
    _w, wildcard = opt("send_wildcard", False)
    _v, vary = opt("vary_header", True)
    credentials = truth(creds) if creds is not None else False
    value = origins if origins is not None else origins_setting.value
    common = dict(
        library=CORS_LIB,
        span=span,
        origins_setting=origins_setting,
        credentials=credentials,
        credentials_setting=creds_setting,
        private_network=False,
        vary=truth(vary) is not False if vary is not None else True,
        confidence=confidence_for(origins, creds, partial=value.kind == "either"),
        paths=paths,
    )
    items = list(elements(value, origins_setting.span, **(options.where("origins", ctx, site) if origins is not None else {})))
    if not items or any(not e.known for e in items):
        facts.policies.append(CorsPolicy(origins_unknown=True, **common))
        return
    entries = []
    any_reason = ""
    for e in items:
        text = e.text
        if not e.is_regex and text == "*":
            any_reason = "'*' becomes the regex '.*'"
            continue
        if e.is_regex:
            match, flags = "prefix-regex", 0
        elif any(h in text for h in REGEX_HINTS):
            match, flags = "prefix-regex", re.IGNORECASE
        else:
            entries.append(entry(e, "exact-ci"))
            continue
        if lets_every_origin_in(text, "prefix-regex", flags | e.value.flags):
            any_reason = any_reason or f"the regex {text!r} matches every origin"
        entries.append(entry(e, match, flags=flags))
    if any_reason:
        sends_star = truth(wildcard) is True if wildcard is not None else False
        if sends_star and credentials:
            return  # ValueError at start-up
        if not sends_star:
            any_reason += ", and the Origin is echoed back"
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=any_reason, reflects=not sends_star, **common))
        return
    facts.policies.append(CorsPolicy(entries=tuple(entries), **common))
