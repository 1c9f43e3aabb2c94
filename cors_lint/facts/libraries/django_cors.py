"""django-cors-headers: ``CORS_*`` settings and ``check_request_enabled``.

A module is judged as a settings module when it assigns a
django-cors-headers setting at module level (new or legacy name), does not
import another web framework (a FastAPI ``config.py`` may well define its own
``CORS_ALLOWED_ORIGINS`` constant) and either looks like Django settings (it
imports Django or ``corsheaders``, sets other Django settings, star-imports a
base module, or is named ``settings``) or defines no classes: settings split
into plain modules (``prod.py`` with no imports, ``cors.py`` that is only
star-imported by the real settings) are settings too.  A module of
flask-cors config keys (``CORS_SUPPORTS_CREDENTIALS``, ``CORS_ORIGINS``;
loaded with ``app.config.from_object``) is a Flask config unless Django's own
settings (not ``SECRET_KEY``, which Flask reads too) or django-cors-headers'
origin and credential names say Django.  List settings are
followed through ``+=``, concatenation and ``.append``/``.extend``/
``.insert`` statements at module level, also in ``if`` blocks.  Only module-level assignments count,
plus attribute assignments on ``django.conf.settings``
(``settings.CORS_ALLOW_CREDENTIALS = True`` in a start-up function), which
are judged per function as overrides of settings we do not see.

Lists built by f-string comprehensions (``[f"^https://{d}" for d in X]``)
are expanded when ``X`` resolves; otherwise a regex template is judged with
a placeholder host standing for the values, in a separate policy of medium
confidence that only carries what the template's own text gets wrong.

In standalone mode, ``from .base import *`` chains are followed through the
``Project``: the effective settings are the inherited ones overridden by the
module's own.  A module is only judged when it sets at least one CORS
setting itself (otherwise the base module's own findings cover it); inherited
settings are reported at the star-import line, or, for an inherited list
entry, where the base module writes it (once, when that module is linted
too).  Other facts made only of inherited settings are the base module's,
judged and reported there: allow-all only when this module writes allow-all,
credentials or private network, and a literal ``"*"`` header list when it
writes the list or the credentials setting.  Under flake8 inherited
settings are unknown.

Modelled behaviour (django-cors-headers 4.x, see
docs/libraries/django-cors-headers.md):

* ``CORS_ALLOW_ALL_ORIGINS`` (legacy ``CORS_ORIGIN_ALLOW_ALL``; the new name
  wins) sends ``*``, or reflects any origin with credentials when
  ``CORS_ALLOW_CREDENTIALS`` is on;
* ``CORS_ALLOWED_ORIGINS`` (``CORS_ORIGIN_WHITELIST``) entries compare scheme
  and netloc of ``urlsplit``; entries without scheme and netloc (``"*"``,
  ``"example.com"``, every character of a string setting) match
  ``Origin: null``;
* ``CORS_ALLOWED_ORIGIN_REGEXES`` (``CORS_ORIGIN_REGEX_WHITELIST``) use
  ``re.match`` (prefix, case-sensitive) and reflect the origin;
* a ``check_request_enabled`` receiver returning a truthy value bypasses the
  origin lists: the origin is reflected;
* ``Vary: Origin`` is always added; header/method lists are sent literally
  (``"*"`` included).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePath
from urllib.parse import urlsplit

import libcst as cst

from ...findings import Confidence, Span
from ..context import ModuleContext
from ..index import Assignment, Scope, Site
from ..model import UNKNOWN, CorsPolicy, FileFacts, OriginEntry, Setting, UnknownOption, Value
from ..literals import inherited_literal_spans
from ..settings_classes import SETTINGS_ROOTS, SettingsClass, derives_from, settings_class
from ..values import flow_of
from ...display import describe_setting
from .. import policy_kit as c

LIBRARY = "django-cors-headers"
ALLOW_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")
ORIGINS = ("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST")
REGEXES = ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST")
CREDENTIALS = "CORS_ALLOW_CREDENTIALS"
PRIVATE_NETWORK = "CORS_ALLOW_PRIVATE_NETWORK"
LITERAL_LISTS = ("CORS_ALLOW_HEADERS", "CORS_ALLOW_METHODS", "CORS_EXPOSE_HEADERS")
OTHER = ("CORS_PREFLIGHT_MAX_AGE", "CORS_URLS_REGEX", "CORS_REPLACE_HTTPS_REFERER", "CORS_MODEL")
KNOWN = (*ALLOW_ALL, *ORIGINS, *REGEXES, CREDENTIALS, PRIVATE_NETWORK, *LITERAL_LISTS, *OTHER)
# names other CORS libraries share (flask-cors, sanic-ext config): on their
# own they do not make a module a django-cors-headers settings module
SHARED = {"CORS_ALLOW_HEADERS", "CORS_EXPOSE_HEADERS", "CORS_ALLOW_PRIVATE_NETWORK"}
DISTINCTIVE = tuple(n for n in KNOWN if n not in SHARED)
# names that only django-cors-headers ever used: Django settings for sure
DJANGO_ONLY = {"CORS_ORIGIN_ALLOW_ALL", "CORS_ORIGIN_WHITELIST", "CORS_ORIGIN_REGEX_WHITELIST", "CORS_ALLOWED_ORIGIN_REGEXES", "CORS_URLS_REGEX", "CORS_PREFLIGHT_MAX_AGE", "CORS_REPLACE_HTTPS_REFERER"}
# settings only Django reads (SECRET_KEY and SESSION_COOKIE_* are Flask
# config keys too, so they prove nothing)
DJANGO_SETTINGS = {"INSTALLED_APPS", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "ROOT_URLCONF", "DATABASES", "ALLOWED_HOSTS", "WSGI_APPLICATION", "ASGI_APPLICATION", "DEFAULT_AUTO_FIELD", "AUTH_PASSWORD_VALIDATORS"}
# app.config keys flask-cors (and sanic-ext / sanic-cors, its ports) read and
# django-cors-headers does not: a module of these, loaded with
# ``app.config.from_object``, is a Flask config, not Django settings
FLASK_CORS_KEYS = {
    "CORS_ORIGINS", "CORS_SUPPORTS_CREDENTIALS", "CORS_SEND_WILDCARD", "CORS_MAX_AGE", "CORS_METHODS",
    "CORS_RESOURCES", "CORS_VARY_HEADER", "CORS_AUTOMATIC_OPTIONS", "CORS_ALWAYS_SEND", "CORS_INTERCEPT_EXCEPTIONS",
}
OTHER_FRAMEWORKS = (
    "fastapi", "starlette", "flask", "flask_cors", "quart", "quart_cors", "sanic", "sanic_ext", "sanic_cors",
    "litestar", "aiohttp", "aiohttp_cors", "falcon", "tornado", "responder", "blacksheep", "masonite",
    "chalice", "robyn", "connexion", "bottle", "pyramid", "pydantic", "pydantic_settings",
)
SIGNAL = ("corsheaders.signals.check_request_enabled",)
DJANGO_SETTINGS_OBJECT = ("django.conf.settings",)
RECEIVER = ("django.dispatch.receiver", "django.dispatch.dispatcher.receiver")
# names another library uses for a setting django-cors-headers calls differently
SYNONYMS = {"CORS_SUPPORTS_CREDENTIALS": CREDENTIALS, "CORS_ALLOW_ALL": "CORS_ALLOW_ALL_ORIGINS"}
TRUE_STRINGS = {"true", "1", "yes", "on", "y", "t"}


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    settings = _module_settings(ctx)
    if not (settings and _is_settings_module(ctx, settings)):
        settings = {}
    if settings:
        _unknown_names(ctx, facts)
        extra: list[CorsPolicy] = []
        policy = _settings_policy(ctx, settings, template_policies=extra)
        if policy is not None:
            facts.policies.append(policy)
        facts.policies.extend(extra)
    for own in _attribute_settings(ctx, facts).values():
        extra = []
        policy = _settings_policy(ctx, own, overrides=True, template_policies=extra)
        if policy is not None:
            facts.policies.append(policy)
        facts.policies.extend(extra)
    for cls in _settings_classes(ctx):
        extra = []
        policy = _settings_policy(ctx, cls.own, template_policies=extra, lineage=cls)
        if policy is not None:
            facts.policies.append(policy)
        facts.policies.extend(extra)
    if not settings and _django_settings_without_cors(ctx):
        # CORS_ALLOWED_ORIGIN = [...] as the module's only CORS setting: the
        # typo is the whole configuration, so it is worth saying
        _unknown_names(ctx, facts)
    if c.imports_any(ctx, "corsheaders"):
        _signal_receivers(ctx, facts, settings)


# -- which module -------------------------------------------------------------------


def _module_settings(ctx: ModuleContext) -> dict[str, list[Assignment]]:
    """Module-level assignments of known settings, without those in
    branches that cannot run (``if not DEBUG:`` with ``DEBUG = True``)."""
    out = {}
    for name, defs in ctx.index.module_scope.assignments.items():
        if name not in KNOWN:
            continue
        live = [d for d in defs if d.kind in ("assign", "aug") and not _dead(ctx, d)]
        if live:
            out[name] = live
    return out


def _dead(ctx: ModuleContext, d: Assignment) -> bool:
    for raw in d.guards:
        holds = _static_truth(ctx, raw.test)
        if holds is not None and holds != raw.polarity:
            return True
    return False


def _static_truth(ctx: ModuleContext, test: cst.BaseExpression) -> bool | None:
    """Truth of a simple condition on module constants (``DEBUG``,
    ``not DEBUG``), or None."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _static_truth(ctx, test.expression)
        return None if inner is None else not inner
    if isinstance(test, cst.Name):
        return c.truth(ctx.evaluate(test))
    return None


def _attribute_settings(ctx: ModuleContext, facts: FileFacts) -> dict[str, dict[str, list[Assignment]]]:
    """``settings.CORS_X = value`` on ``django.conf.settings`` (a function
    that configures CORS at start-up, as some reusable apps do), grouped by
    the function they are written in: each group is one set of overrides
    applied together.  Settings the group does not write keep the values of
    a settings module we do not see, so they are unknown."""
    groups: dict[str, dict[str, list[Assignment]]] = {}
    for site in ctx.index.attribute_assigns:
        node = site.node
        if not isinstance(node, cst.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0].target
        if not (isinstance(target, cst.Attribute) and target.attr.value.startswith("CORS_")):
            continue
        if not c.refers_to(ctx, target.value, *DJANGO_SETTINGS_OBJECT):
            continue
        name = target.attr.value
        if name not in KNOWN:
            hint = SYNONYMS.get(name) or c.suggest(name, KNOWN, cutoff=0.75)
            if hint:
                facts.unknown_options.append(
                    UnknownOption(LIBRARY, name, ctx.span(node), hint, f"django-cors-headers never reads it, so {hint} stays as configured elsewhere")
                )
            continue
        d = _AttributeAssignment(name, node.value, site.order, site.guards, "assign", node, scope=site.scope)
        groups.setdefault(site.scope.qualname, {}).setdefault(name, []).append(d)
    return groups


def _django_settings_without_cors(ctx: ModuleContext) -> bool:
    """A Django settings module (INSTALLED_APPS, MIDDLEWARE ...) that sets no
    django-cors-headers setting by its real name."""
    if c.imports_any(ctx, *OTHER_FRAMEWORKS):
        return False
    assigned = ctx.index.module_scope.assignments
    return any(name in assigned for name in DJANGO_SETTINGS) or c.imports_any(ctx, "django", "corsheaders")


def _is_settings_module(ctx: ModuleContext, settings: dict) -> bool:
    if not any(name in DISTINCTIVE for name in settings):
        return False
    if c.imports_any(ctx, *OTHER_FRAMEWORKS):
        return False
    if any(name in DJANGO_ONLY for name in settings):
        return True
    if c.imports_any(ctx, "django", "corsheaders", "environ", "decouple", "configurations", "split_settings"):
        return True
    if any(name in ctx.index.module_scope.assignments for name in FLASK_CORS_KEYS):
        # flask-cors config keys: a Flask config module unless Django's own
        # settings or django-cors-headers' origin/credential names say Django
        core = (*ALLOW_ALL, *ORIGINS, *REGEXES, CREDENTIALS)
        assigned = ctx.index.module_scope.assignments
        return any(name in settings for name in core) or any(name in assigned for name in DJANGO_SETTINGS)
    if ctx.index.imports.star_imports:
        return True
    if any(name in ctx.index.module_scope.assignments for name in DJANGO_SETTINGS):
        return True
    parts = PurePath(ctx.path).parts
    if any("settings" in part.lower() for part in parts[-2:]):
        return True
    # django-cors-headers names at top level and no other web framework:
    # settings split into modules (``cors.py`` star-imported by the real
    # settings, ``prod.py`` with no imports at all) are settings too
    return not _defines_config_classes(ctx)


def _settings_classes(ctx: ModuleContext) -> list[SettingsClass]:
    """Module-level classes that hold Django settings as class attributes
    (django-configurations: ``class Common(Configuration)``, ``class
    Production(Common)``), each judged with what it inherits: any of them
    may be the one ``DJANGO_CONFIGURATION`` selects.  A class counts when it
    (or a base of this module) assigns a django-cors-headers setting, the
    module imports no other web framework, and the class derives from
    django-configurations' ``Configuration`` or the settings say Django
    (names only django-cors-headers uses, Django's own settings, or a
    module that imports Django).  Only classes that write a CORS setting
    themselves are judged: what they inherit is their bases' own."""
    if not any(name in KNOWN for scope in ctx.index.class_scopes for name in scope.assignments):
        return []
    if c.imports_any(ctx, *OTHER_FRAMEWORKS):
        return []
    out = []
    for info in ctx.index.classes.values():
        got = settings_class(ctx, info, lambda n: n in KNOWN or n in DJANGO_SETTINGS)
        if got is None or got.scope.parent is not ctx.index.module_scope:
            continue
        if not any(name in KNOWN for name in got.own):
            continue
        names = got.settings()
        if not any(name in DISTINCTIVE for name in names):
            continue
        django = (
            derives_from(ctx, got, *SETTINGS_ROOTS)
            or any(name in DJANGO_ONLY or name in DJANGO_SETTINGS for name in names)
            or c.imports_any(ctx, "django", "corsheaders", "configurations")
        )
        if django:
            for name in [n for n in got.own if n not in KNOWN]:
                del got.own[name]
            for name in [n for n in got.inherited if n not in KNOWN]:
                del got.inherited[name]
            out.append(got)
    return out


def _defines_config_classes(ctx: ModuleContext) -> bool:
    """A module of classes is a library's or an app's own config, not
    Django settings (which are module constants)."""
    return bool(ctx.index.classes)


def _unknown_names(ctx: ModuleContext, facts: FileFacts) -> None:
    for name, defs in ctx.index.module_scope.assignments.items():
        if not name.startswith("CORS_") or name in KNOWN:
            continue
        assigns = [d for d in defs if d.kind == "assign" and d.node is not None]
        if not assigns:
            continue
        hint = SYNONYMS.get(name) or c.suggest(name, KNOWN, cutoff=0.75)
        if not hint:
            continue
        facts.unknown_options.append(
            UnknownOption(LIBRARY, name, ctx.span(assigns[0].node), hint, f"django-cors-headers never reads it, so {hint} stays at its default")
        )


# -- values -------------------------------------------------------------------------


@dataclass
class _AttributeAssignment(Assignment):
    """``settings.CORS_X = value`` inside a function (or at module level):
    evaluated in the scope it is written in."""

    scope: Scope | None = None


def _scope_of(ctx: ModuleContext, d: Assignment) -> Scope:
    return getattr(d, "scope", None) or ctx.index.module_scope


def _evaluate(ctx: ModuleContext, d: Assignment) -> Value:
    """The value of one settings assignment, with django-environ /
    python-decouple defaults (``env.bool("X", default=True)``,
    ``config("X", default=False, cast=bool)``) read as defaults."""
    site = Site(d.node, _scope_of(ctx, d), (), d.order)
    if d.kind == "assign" and isinstance(d.value, cst.Call):
        defaulted = _configurations_value(ctx, d.value, site) or _env_default(ctx, d.value, site)
        if defaulted is not None:
            return defaulted
    if d.kind == "assign" and d.value is not None:
        return ctx.evaluate(d.value, site)
    return ctx.evaluate(cst.Name(d.name), Site(d.node, _scope_of(ctx, d), (), d.order + 1))


def _configurations_value(ctx: ModuleContext, call: cst.Call, site: Site) -> Value | None:
    """django-configurations' ``values.ListValue([...])``,
    ``values.BooleanValue(True)``, ...: the default, which an environment
    variable (``DJANGO_<NAME>``) may replace, so it is marked as a default.
    A value class without a default (``SecretValue()``) is unknown."""
    if not any(q.startswith("configurations.values.") and q.endswith("Value") for q in ctx.qualify(call.func)):
        return None
    default = ctx.arg(call, 0, "default")
    if default is None:
        return UNKNOWN
    value = ctx.evaluate(default.value, site)
    return None if value.kind == "unknown" else _defaulted(value)


def _env_default(ctx: ModuleContext, call: cst.Call, site: Site) -> Value | None:
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "split" and isinstance(call.func.value, cst.Call):
        # config("X", default="a,b").split(",")
        inner = _env_default(ctx, call.func.value, site)
        text = inner.str_value() if inner is not None else None
        sep = ctx.evaluate(call.args[0].value, site).str_value() if call.args else None
        if text is None or (call.args and sep is None):
            return None
        parts = text.split(sep) if sep is not None else text.split()
        return Value("seq", items=tuple(Value("const", p, from_default=True) for p in parts), from_default=True)
    func = ctx.dotted(call.func) or ""
    head, _, method = func.rpartition(".")
    if not (func in ("env", "config") or method in ("bool", "list", "tuple", "str") and head in ("env", "environ.Env", "self.env") or ctx.is_name(call.func, "decouple.config")):
        return None
    # env("X", cast, default) takes the cast second; env.bool("X", default)
    # and decouple's config("X", default) take the default second
    default = ctx.arg(call, None if func == "env" else 1, "default")
    if default is None:
        return None
    value = ctx.evaluate(default.value, site)
    cast = ctx.arg(call, None, "cast")
    cast_name = (ctx.dotted(cast.value.func if isinstance(cast.value, cst.Call) else cast.value) or "") if cast else ""
    if cast is not None and cast_name not in ("bool", "str", "list", "tuple", "Csv", "decouple.Csv"):
        return None  # a cast we cannot follow (a lambda, a helper): unknown
    wants_bool = method == "bool" or cast_name == "bool"
    wants_list = method in ("list", "tuple") or cast_name in ("list", "tuple") or cast_name.endswith("Csv")
    text = value.str_value()
    if text is not None and wants_bool:
        value = Value("const", text.strip().lower() in TRUE_STRINGS, text=repr(text))
    elif text is not None and wants_list:
        value = Value("seq", items=tuple(Value("const", p.strip(), from_default=True) for p in text.split(",") if p.strip()), text=repr(text))
    if value.kind == "unknown":
        return None
    return _defaulted(value)


def _defaulted(value: Value) -> Value:
    return replace(value, from_default=True, items=tuple(_defaulted(i) for i in value.items))


# -- the policy ------------------------------------------------------------------------


class _Effective:
    """The settings in force for this module: its own, else inherited."""

    def __init__(self, ctx: ModuleContext, own: dict[str, list[Assignment]], overrides: bool = False, lineage: SettingsClass | None = None) -> None:
        self.ctx = ctx
        self.own = own
        self.inherited: dict[str, Setting] = {}
        # a settings class: the class attributes of its bases in this module
        self.from_bases: dict[str, list[Assignment]] = dict(lineage.inherited) if lineage is not None else {}
        self.conditional = {name for name, defs in {**self.from_bases, **own}.items() if defs and defs[-1].guards}
        # runtime overrides (settings.X = ...) change some settings of a
        # module we do not see: the others are unknown, not defaults
        self.unresolved_stars = overrides or bool(ctx.index.imports.star_imports)
        if lineage is not None:
            # a class inherits from its bases, not from the module's star imports
            self.unresolved_stars = lineage.opaque
            return
        project = ctx.project
        if not overrides and project is not None and ctx.index.imports.star_imports and hasattr(project, "inherited_assignments"):
            self.unresolved_stars = False
            spans = _star_import_spans(ctx)
            for name, got in project.inherited_assignments(ctx.path, ctx.index.imports.star_imports, lambda n: n in KNOWN).items():
                span = spans.get(got.module, Span(1, 0, 1, 0))
                shown = replace(got.value, text=f"{describe_setting(Setting(name, got.value, span)).split('=', 1)[-1]} (from {got.module})")
                self.inherited[name] = Setting(name, shown, span)

    def get(self, name: str) -> Setting | None:
        defs = self.own.get(name) or self.from_bases.get(name)
        if defs:
            value = _evaluate(self.ctx, defs[-1]) if len(defs) == 1 or not defs[-1].guards else self._merged(defs)
            if all(d.kind == "aug" for d in defs) and name in self.inherited:
                value = self._extended(self.inherited[name].value, defs)
            node = _pick(self.ctx, defs)
            single = defs[0].value if len(defs) == 1 and defs[0].kind == "assign" else None
            return c.setting(self.ctx, name, node, value, single)
        return self.inherited.get(name)

    def _extended(self, base: Value, defs: list[Assignment]) -> Value:
        """An inherited list extended here (``CORS_ALLOWED_ORIGINS += [...]``)."""
        value = base
        for d in defs:
            if d.guards or d.value is None:
                return UNKNOWN
            inc = self.ctx.evaluate(d.value, Site(d.node, _scope_of(self.ctx, d), (), d.order))
            if value.kind != "seq" or inc.kind != "seq":
                return UNKNOWN
            value = Value("seq", items=value.items + inc.items)
        return value

    def _merged(self, defs: list[Assignment]) -> Value:
        values = []
        for d in reversed(defs):
            values.append(_evaluate(self.ctx, d))
            if not d.guards:
                break
        out: list[Value] = []
        for v in values:
            out.extend(c.alternatives(v))
        return out[0] if len(out) == 1 else Value("either", items=tuple(out))

    def where(self, setting: Setting | None) -> dict:
        """How to locate entries of an own setting at their literals."""
        if setting is None:
            return {}
        defs = self.own.get(setting.name) or self.from_bases.get(setting.name)
        if not defs and setting.name in self.inherited:
            # inherited through "from .base import *": each entry where the
            # base module writes it (found there once when that module is
            # linted too), else at the star import with "(from base.py:3)"
            return {"literals": inherited_literal_spans(self.ctx, setting.name)}
        if defs and len(defs) > 1 and defs[-1].node is not None:
            # built in several statements (+=, .append under "if DEBUG:"):
            # each element at the literal that added it
            site = Site(defs[-1].node, _scope_of(self.ctx, defs[-1]), (), defs[-1].order + 1)
            return {"ctx": self.ctx, "node": cst.Name(setting.name), "site": site}
        if not defs or len(defs) != 1 or defs[0].value is None or defs[0].kind != "assign":
            return {}
        site = Site(defs[0].node, _scope_of(self.ctx, defs[0]), (), defs[0].order)
        return {"ctx": self.ctx, "node": defs[0].value, "site": site}

    def first(self, names: tuple[str, ...]) -> Setting | None:
        """The setting under its new name, else its legacy one."""
        for name in names:
            got = self.get(name)
            if got is not None:
                return got
        return None

    def contributes(self, *settings: Setting | None) -> bool:
        """Does this module write one of these settings itself?  A fact
        made only of inherited settings is the base module's own, judged
        (and reported) there with the same values: repeating it at every
        star import of a settings package says nothing new."""
        if not self.inherited and not self.from_bases:
            return True
        return any(s is not None and s.name in self.own for s in settings)

    def unknown(self, names: tuple[str, ...]) -> bool:
        """Could these settings be inherited from a module we cannot see?"""
        return self.unresolved_stars and not any(n in self.own for n in names)


def _pick(ctx: ModuleContext, defs: list[Assignment]) -> cst.CSTNode:
    """Where to report a setting: its last assignment, or among conditional
    ones the first that switches it on."""
    candidates = [d for d in defs if d.node is not None]
    if not candidates:
        return ctx.module
    last = candidates[-1]
    if last.guards:
        for d in candidates:
            if c.truth(_evaluate(ctx, d)) is True:
                return d.node
    return last.node


def _star_import_spans(ctx: ModuleContext) -> dict[str, Span]:
    out: dict[str, Span] = {}
    for stmt in ctx.module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
                module = ctx.dotted(small.module) if small.module is not None else ""
                out["." * len(small.relative) + (module or "")] = ctx.span(stmt)
    return out


def _settings_policy(
    ctx: ModuleContext, own: dict[str, list[Assignment]], overrides: bool = False, template_policies: list | None = None, lineage: SettingsClass | None = None
) -> CorsPolicy | None:
    eff = _Effective(ctx, own, overrides, lineage)
    template_policies = template_policies if template_policies is not None else []
    allow_all = eff.first(ALLOW_ALL)
    origins = eff.first(ORIGINS)
    regexes = eff.first(REGEXES)
    creds = eff.get(CREDENTIALS)
    private = eff.get(PRIVATE_NETWORK)
    urls = eff.get("CORS_URLS_REGEX")  # re.match on the path: the paths CORS applies to
    urls_regex = urls.value.str_value() if urls is not None else None
    first_span = ctx.span(_pick(ctx, next(iter(own.values()))))

    credentials = c.truth(creds.value) if creds is not None else (None if eff.unknown((CREDENTIALS,)) else False)
    private_network = c.truth(private.value) if private is not None else (None if eff.unknown((PRIVATE_NETWORK,)) else False)

    found = c.OriginsBuilder(unknown=eff.unknown(ALLOW_ALL) or eff.unknown(ORIGINS) or eff.unknown(REGEXES))
    if allow_all is not None and c.maybe_true(allow_all.value) and eff.contributes(allow_all, creds, private):
        found.accept_any(allow_all, partial=c.truth(allow_all.value) is not True or allow_all.name in eff.conditional)
    if origins is not None:
        # inherited entries keep the span where the base module writes them
        # (a ForeignSpan): reported there once when it is linted too
        _allowed_origins(origins, found, eff)
    templates = _allowed_regexes(regexes, found, eff) if regexes is not None else []
    any_from = found.any_from
    if templates and not found.any_origin:
        # patterns whose loop values are unknown, judged with a placeholder
        # host: what the template's own text does holds whatever the values
        # are, but only as far as they are plain host names
        template_policies.append(
            CorsPolicy(
                library=LIBRARY,
                span=first_span,
                origins_setting=regexes,
                entries=tuple(templates),
                credentials=credentials,
                credentials_setting=creds,
                vary=True,
                confidence=min(Confidence.MEDIUM, c.confidence_for(creds.value if creds else None), key=lambda conf: conf.rank),
            )
        )
    return CorsPolicy(
        library=LIBRARY,
        span=first_span,
        origins_setting=any_from or origins or regexes or allow_all or c.default_setting("CORS_ALLOWED_ORIGINS", c.const_value(()), first_span),
        **found.policy_fields(),
        reflects=found.any_origin and (any_from is regexes or credentials is True),
        credentials=credentials,
        credentials_setting=creds,
        private_network=private_network,
        private_network_setting=private,
        vary=True,
        # settings read from another module through "import *" are a
        # cross-file assumption (the project may pick modules at run time)
        confidence=c.confidence_for(
            any_from.value if any_from else None,
            creds.value if creds else None,
            partial=found.partial or any(s is not None and s.name not in own and s.name not in eff.from_bases for s in (any_from, creds)),
        ),
        preflight_wildcards=tuple(s for s in (eff.get(n) for n in LITERAL_LISTS) if s is not None and _has_star(s.value) and eff.contributes(s, creds)),
        literal_wildcard_headers=True,
        paths=(urls_regex,) if urls_regex else (),
    )


def _allowed_origins(origins: Setting, found: c.OriginsBuilder, eff: _Effective) -> None:
    """``CORS_ALLOWED_ORIGINS``: literal entries, then strings built by comprehensions."""
    found.unknown = _origin_entries(origins, found.entries, eff.where(origins)) or found.unknown
    if "node" in eff.where(origins):
        for built in c.built_strings(**eff.where(origins), regex=False):
            if built.resolved:
                found.entries.append(OriginEntry(built.text, "scheme-netloc", built.span, admits_null=_null_reason(built.text), from_default=built.from_default))


def _allowed_regexes(regexes: Setting, found: c.OriginsBuilder, eff: _Effective) -> list[OriginEntry]:
    """``CORS_ALLOWED_ORIGIN_REGEXES`` (``re.match``): entries, or every
    origin for a regex that lets unrelated origins in.  Returns the
    templates built by comprehensions over values that did not resolve."""
    built_elements = []
    templates: list[OriginEntry] = []
    if "node" in eff.where(regexes):
        for built in c.built_strings(**eff.where(regexes), regex=True):
            if built.resolved:
                built_elements.append(c.Element(Value("const", built.text, from_default=built.from_default), built.span))
            else:
                # judged later with a placeholder host for the loop
                # variable: what the template's own text does holds
                # whatever the values are (``shown`` keeps the template)
                templates.append(OriginEntry(built.text, "prefix-regex", built.span, shown=built.template))
    items = [*c.elements(regexes.value, regexes.span, **eff.where(regexes)), *built_elements]
    found.add_patterns(items, "prefix-regex", regexes, reason="the regex {text!r} matches every origin", partial=regexes.name in eff.conditional)
    return templates


def _origin_entries(origins: Setting, entries: list, where: dict) -> bool:
    """Entries of ``CORS_ALLOWED_ORIGINS``; returns True if part is unknown."""
    unknown = False
    for branch in c.alternatives(origins.value):
        if branch.kind == "const" and isinstance(branch.const, str):
            el = c.string_for_list(branch, origins.span, **where)
            entries.append(
                c.entry(el, "scheme-netloc", admits_null=f"{origins.name.split()[0]} is a string, so django-cors-headers checks each character as an entry, and single characters match Origin null")
            )
            continue
        if branch.kind != "seq":
            unknown = True
            continue
        for el in c.elements(branch, origins.span, **where):
            text = el.text
            if text is None or el.is_regex:
                unknown = unknown or text is None
                continue
            entries.append(c.entry(el, "scheme-netloc", admits_null=_null_reason(text)))
    return unknown


def _null_reason(text: str) -> str:
    if text.strip().lower() == "null":
        return ""  # an explicit "null" entry: reported for what it is
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme or parts.netloc:
        return ""
    if text == "*":
        return "'*' is no wildcard here: it has no scheme and host, exactly like Origin null"
    if not text.strip():
        return "an empty entry (e.g. from splitting an empty string) has no scheme and host, exactly like Origin null"
    return "an entry without scheme and host compares equal to Origin null"


def _has_star(value: Value) -> bool:
    for alt in c.alternatives(value):
        if alt.kind == "seq" and any(i.str_value() == "*" for i in alt.items):
            return True
        if alt.str_value() == "*":
            return True
    return False


# -- the signal -------------------------------------------------------------------------


def _signal_receivers(ctx: ModuleContext, facts: FileFacts, settings: dict) -> None:
    connected: set[str] = set()
    for site in ctx.index.calls:
        call = site.node
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "connect" and c.refers_to(ctx, func.value, *SIGNAL) and call.args:
            name = ctx.dotted(call.args[0].value)
            if name:
                connected.add(name.split(".")[-1])
    creds_defs = settings.get(CREDENTIALS)
    creds = Setting(CREDENTIALS, _evaluate(ctx, creds_defs[-1]), ctx.span(creds_defs[-1].node)) if creds_defs else None
    for name, scopes in ctx.index.functions.items():
        for scope in scopes:
            node = scope.node
            if not isinstance(node, cst.FunctionDef):
                continue
            if name not in connected and not any(_is_receiver_decorator(ctx, d.decorator) for d in node.decorators):
                continue
            reason, confidence = _blind_receiver(ctx, scope)
            if not reason:
                continue
            receiver = Setting(f"check_request_enabled receiver {name}()", Value("unknown"), ctx.span(node.name))
            facts.policies.append(
                CorsPolicy(
                    library=LIBRARY,
                    span=ctx.span(node.name),
                    origins_setting=receiver,
                    any_origin=True,
                    any_reason=reason,
                    reflects=True,
                    credentials=c.truth(creds.value) if creds is not None else None,
                    credentials_setting=creds,
                    private_network=None,
                    vary=True,
                    confidence=confidence,
                )
            )


def _blind_receiver(ctx: ModuleContext, scope) -> tuple[str, Confidence]:
    """Why a receiver lets every origin through (or ``""``): it returns a
    truthy value without ever reading the request's Origin.  A truthy
    receiver result bypasses the origin allowlists entirely."""
    returns = scope.returns
    if not returns or _reads_origin(ctx, scope):
        return "", Confidence.HIGH
    always = [r for r in returns if not r.guards and c.truth(ctx.evaluate(r.node.value, r)) is True]
    if always:
        return f"it returns {ctx.text(always[0].node.value)} for every request, which bypasses the origin allowlists", Confidence.HIGH
    maybe = [r for r in returns if c.truth(ctx.evaluate(r.node.value, r)) is not False]
    if maybe:
        first = maybe[0]
        shown = ctx.text(first.node.value, 60)
        if first.guards:
            raw = first.guards[-1]
            test = ctx.text(raw.test, 60)
            when = test if raw.polarity else f"not {test}"
            return f"it returns {shown} when {when}, without looking at the Origin", Confidence.MEDIUM
        return f"it returns {shown} without looking at the Origin, so every origin is reflected whenever that holds", Confidence.MEDIUM
    return "", Confidence.HIGH


def _reads_origin(ctx: ModuleContext, scope) -> bool:
    """Does the function read the request's Origin anywhere: in a call, an
    argument, an assignment, a condition or a returned expression?"""
    exprs: list[tuple[cst.BaseExpression, Site]] = []
    for site in ctx.index.calls:
        if site.scope is scope:
            exprs.append((site.node, site))
            exprs.extend((a.value, site) for a in site.node.args)
    for ret in scope.returns:
        exprs.append((ret.node.value, ret))
        exprs.extend((raw.test, ret) for raw in ret.guards)
    for defs in scope.assignments.values():
        for d in defs:
            if d.value is not None and d.kind in ("assign", "walrus", "aug"):
                exprs.append((d.value, Site(d.node, scope, d.guards, d.order)))
    for expr, site in exprs:
        for sub in _subexpressions(expr):
            if flow_of(ctx.evaluate(sub, site)) is not None:
                return True
    return False


def _subexpressions(node: cst.CSTNode, limit: int = 200):
    """Calls, subscripts and attributes inside a (small) expression."""
    stack = [node]
    seen = 0
    while stack and seen < limit:
        current = stack.pop()
        seen += 1
        if isinstance(current, (cst.Call, cst.Subscript, cst.Attribute, cst.Name)):
            yield current
        if isinstance(current, (cst.Lambda, cst.FunctionDef)):
            continue
        stack.extend(current.children)


def _is_receiver_decorator(ctx: ModuleContext, deco: cst.BaseExpression) -> bool:
    if not isinstance(deco, cst.Call) or not c.refers_to(ctx, deco.func, *RECEIVER) or not deco.args:
        return False
    target = deco.args[0].value
    if isinstance(target, (cst.List, cst.Tuple)):
        return any(c.refers_to(ctx, e.value, *SIGNAL) for e in target.elements)
    return c.refers_to(ctx, target, *SIGNAL)
