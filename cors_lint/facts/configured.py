"""Values that come from configuration: content unknown, shape known.

``origin in os.environ["ALLOWED_ORIGINS"]`` tests membership in a *string*
whatever the environment holds, so it is a substring test, and so is
``settings.SITE_URL in referer`` the other way round; ``re.match(
settings.ORIGIN_REGEX, origin)`` is a prefix match whatever the pattern
is.  The facts layer records that the tested value is such a setting
(``OriginCheck.configured``); ``checks`` turns it into a conditional proof.

Known strings: environment reads (``os.environ[...]``, ``os.environ.get``,
``os.getenv``), ``configparser`` options (``parser.get(section, key)``,
``parser[section][key]``), class fields annotated ``str`` (pydantic
settings, dataclasses), settings mappings read with a string default
(``registry.settings.get("cors.origins", "")``), and Pyramid's deployment
settings however they are read (``request.registry.settings["cors.origins"]``:
ini values are strings).  Configured patterns: any of those, or an attribute
or key read of a settings object (``settings.CORS_REGEX``,
``app.config["ORIGIN_PATTERN"]``), compiled or not, also as the loop
variable of a ``for``/generator over such a collection.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from .model import CheckKind, OriginCheck

ENV_READS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
CONFIG_PARSERS = frozenset({"configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser", "ConfigParser.ConfigParser", "ConfigParser.SafeConfigParser"})
STR_ANNOTATIONS = frozenset({"str", "Optional[str]", "str | None", "None | str", "typing.Optional[str]"})
MAX_HOPS = 4
# names of settings mappings read with .get(key, default)
SETTINGS_HOLDERS = frozenset({"settings", "config", "conf", "configuration", "registry_settings"})


def mark(ev, node, check: OriginCheck, scope, order: int) -> OriginCheck:
    """``check`` with ``configured`` set when the value it tests against is
    a setting whose content is unknown (see the module docstring)."""
    if check.configured:
        return check
    if check.kind in (CheckKind.IN_COLLECTION, CheckKind.IN_STRING) and isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        if not (check.kind == CheckKind.IN_STRING and check.from_default) and (check.patterns or check.resolved):
            return check  # a resolved allowlist: judged as it is
        if check.kind == CheckKind.IN_STRING and any(check.patterns):
            return check  # a real default such as "https://a.com https://b.com" is judged as written
        right = node.comparisons[0].comparator
        written = _ini_value(ev, right, scope, order, MAX_HOPS)
        if written is not None:
            # the deployment's ini file says what the string holds: judged as written
            return replace(check, kind=CheckKind.IN_STRING, patterns=(written,), resolved=True)
        if _known_string(ev, right, scope, order, MAX_HOPS):
            return replace(check, kind=CheckKind.IN_STRING, patterns=(), resolved=False, configured="string")
        if check.kind == CheckKind.IN_COLLECTION and _string_list(ev, right, scope, order, MAX_HOPS):
            # os.environ["ALLOWED"].split(","): exact strings, whatever they are
            return replace(check, resolved=True)
        return check
    if check.kind in (CheckKind.CONTAINS, CheckKind.UNKNOWN) and not check.patterns and isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        # settings.SITE_URL in referer: a substring test whatever the setting holds
        if isinstance(node.comparisons[0].operator, (cst.In, cst.NotIn)) and _setting_value(ev, node.left, scope, order, MAX_HOPS):
            return replace(check, kind=CheckKind.CONTAINS, resolved=False, configured="contains")
        return check
    if check.kind == CheckKind.STARTSWITH and not check.resolved and isinstance(node, cst.Call) and node.args:
        # origin.startswith(settings.SITE_URL): a prefix test whatever the setting holds
        if _setting_value(ev, node.args[0].value, scope, order, MAX_HOPS):
            return replace(check, configured="prefix")
        return check
    if check.kind == CheckKind.REGEX and not check.resolved and check.matcher in ("match", "search"):
        pattern = _pattern_node(node)
        if pattern is not None and _configured(ev, pattern, scope, order, MAX_HOPS):
            return replace(check, configured="pattern")
    return check


def _pattern_node(node):
    """The pattern expression of ``re.match(p, origin)`` / ``p.match(origin)``
    / ``any(re.match(p, origin) for p in PATTERNS)`` (the loop's iterable)."""
    if not isinstance(node, cst.Call):
        return None
    func = node.func
    if isinstance(func, cst.Name) and func.value in ("any",) and node.args and isinstance(node.args[0].value, cst.GeneratorExp):
        gen = node.args[0].value
        inner = _pattern_node(gen.elt)
        if isinstance(inner, cst.Name) and isinstance(gen.for_in.target, cst.Name) and inner.value == gen.for_in.target.value:
            return gen.for_in.iter
        return inner
    if isinstance(func, cst.Attribute) and func.attr.value in ("match", "search") and node.args:
        if isinstance(func.value, cst.Name) and func.value.value in ("re", "regex"):
            return node.args[0].value
        return func.value
    return None


def _follow(ev, node, scope, order):
    """The expression a local name was last assigned (None for parameters
    and names with several definitions), and where; a ``for`` variable
    yields its iterable."""
    if not isinstance(node, cst.Name) or scope is None:
        return None, order
    defs = [d for d in scope.assignments.get(node.value, []) if d.order < order]
    outer = scope
    while not defs and outer.kind == "function" and outer.parent is not None:
        # a closure reads the enclosing function's (a tween factory's
        # settings read), else the module's
        outer = outer.parent
        defs = outer.assignments.get(node.value, []) if outer.kind in ("function", "module") else []
    if not defs and scope.kind == "function":
        defs = ev.index.module_scope.assignments.get(node.value, [])
    if len(defs) != 1 or defs[0].value is None or defs[0].kind not in ("assign", "walrus", "for"):
        return None, order
    return defs[0].value, defs[0].order


def _known_string(ev, node, scope, order, hops) -> bool:
    if hops <= 0:
        return False
    if isinstance(node, cst.Name):
        value, at = _follow(ev, node, scope, order)
        return value is not None and _known_string(ev, value, scope, at, hops - 1)
    if _env_read(ev, node) or _config_option(ev, node, scope, order) or _settings_get_str(node) or _registry_setting(node):
        return True
    if isinstance(node, cst.Attribute):
        return _str_field(ev, node, scope)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("strip", "lower", "casefold"):
        return _known_string(ev, node.func.value, scope, order, hops - 1)
    return False


def _string_list(ev, node, scope, order, hops) -> bool:
    """A list of exact strings whatever the setting holds: ``<str>.split()``,
    and comprehensions stripping its items."""
    if hops <= 0:
        return False
    if isinstance(node, cst.Name):
        value, at = _follow(ev, node, scope, order)
        return value is not None and _string_list(ev, value, scope, at, hops - 1)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("split", "rsplit", "splitlines"):
        return True
    if isinstance(node, (cst.ListComp, cst.SetComp)) and node.for_in.inner_for_in is None:
        elt = node.elt
        strip = isinstance(elt, cst.Call) and isinstance(elt.func, cst.Attribute) and elt.func.attr.value in ("strip", "lower", "casefold", "rstrip")
        plain = isinstance(elt, cst.Name) or (strip and isinstance(elt.func.value, cst.Name))
        return plain and _string_list(ev, node.for_in.iter, scope, order, hops - 1)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("set", "frozenset", "tuple", "list") and len(node.args) == 1:
        return _string_list(ev, node.args[0].value, scope, order, hops - 1)
    return False


def _configured(ev, node, scope, order, hops) -> bool:
    if hops <= 0:
        return False
    if isinstance(node, cst.Name):
        value, at = _follow(ev, node, scope, order)
        return value is not None and _configured(ev, value, scope, at, hops - 1)
    if _env_read(ev, node) or _config_option(ev, node, scope, order):
        return True
    if isinstance(node, cst.Call) and ev.ctx.qualify(node.func) & {"re.compile", "regex.compile"} and node.args:
        return _configured(ev, node.args[0].value, scope, order, hops - 1)
    if isinstance(node, cst.Attribute):
        return not isinstance(node.value, cst.Call) and node.attr.value not in ("pattern",)
    if isinstance(node, cst.Subscript):
        key = node.slice[0].slice if len(node.slice) == 1 else None
        return isinstance(key, cst.Index) and isinstance(key.value, cst.SimpleString) and isinstance(node.value, (cst.Attribute, cst.Name))
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
        return isinstance(node.args[0].value, cst.SimpleString) and isinstance(node.func.value, (cst.Attribute, cst.Name))
    return False


def _setting_value(ev, node, scope, order, hops) -> bool:
    """A string from configuration: an environment or ``configparser``
    read, ``getattr(settings, "SITE_URL", ...)``, an attribute or key of a
    settings object (``settings.SITE_URL``, ``app.config["SITE_URL"]``), or
    ``self.site_url`` that ``__init__`` sets from one of these."""
    if hops <= 0:
        return False
    if isinstance(node, cst.Name):
        value, at = _follow(ev, node, scope, order)
        return value is not None and _setting_value(ev, value, scope, at, hops - 1)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("strip", "rstrip", "lower", "casefold"):
        return _setting_value(ev, node.func.value, scope, order, hops - 1)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "getattr" and len(node.args) >= 2:
        return isinstance(node.args[1].value, cst.SimpleString) and _settings_object(ev, node.args[0].value, scope)
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        member = _instance_member(ev, node.attr.value, scope)
        return member is not None and _setting_value(ev, member[0], member[1], 10**9, hops - 1)
    if isinstance(node, cst.Attribute):
        return _settings_object(ev, node.value, scope)
    return _env_read(ev, node) or _config_option(ev, node, scope, order) or (
        isinstance(node, (cst.Subscript, cst.Call)) and _configured(ev, node, scope, order, hops)
    )


#: Attributes of the request that lead to the server's own application
#: objects, never to what the client sent: Pyramid's ``request.registry``,
#: Starlette's ``request.app`` (``request.app.state.site_url``).
APP_LINKS = frozenset({"registry", "app"})


def _settings_object(ev, node, scope, hops: int = MAX_HOPS) -> bool:
    """A module-level object (imported or bound at module level, not a
    parameter or local value): ``settings``, ``app.config``, ``config``; or
    an application object reached from the request (``request.registry.gate``,
    ``request.app.state``), also through a local it was assigned to
    (``gate = request.registry.gate``)."""
    root = node
    links = []
    while isinstance(root, cst.Attribute):
        links.append(root.attr.value)
        root = root.value
    if not isinstance(root, cst.Name) or root.value in ("self", "cls"):
        return False
    if root.value in ("request", "req"):
        return bool(links) and links[-1] in APP_LINKS
    s = scope
    while s is not None and s.kind == "function":
        if root.value in s.param_names():
            return False
        if root.value in s.assignments:
            value, _ = _follow(ev, root, s, 10**9) if s is scope else (None, 0)
            return value is not None and hops > 0 and _settings_object(ev, value, scope, hops - 1)
        s = s.parent
    return root.value in ev.index.module_scope.assignments


def _instance_member(ev, attr, scope):
    """(expression, scope) that sets ``self.<attr>`` for the class ``scope``
    belongs to."""
    name = scope.class_name if scope is not None else None
    info = ev.index.classes.get(name) if name else None
    if info is None:
        return None
    class_scope = next((s for s in ev.index.class_scopes if s.node is info.node), None)
    return ev._member(info, class_scope, attr)


def _settings_get_str(node) -> bool:
    """``registry.settings.get("cors.origins", "")``, ``app.config.get(
    "ORIGINS", "")``: a settings mapping read with a string default (ini
    and environment settings are strings), so the value is a ``str``."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and len(node.args) == 2):
        return False
    key, default = node.args[0].value, node.args[1].value
    if not isinstance(key, cst.SimpleString) or not isinstance(default, (cst.SimpleString, cst.ConcatenatedString)):
        return False
    holder = node.func.value
    name = holder.attr.value if isinstance(holder, cst.Attribute) else (holder.value if isinstance(holder, cst.Name) else "")
    return name.lower() in SETTINGS_HOLDERS


def registry_setting_key(node) -> str | None:
    """The key of a read of Pyramid's deployment settings:
    ``request.registry.settings["app.origins"]``, ``config.registry.settings
    .get("app.origins")`` (also with a default), ``registry.settings[...]``.
    They come from the ``[app:main]`` section of the ini file, so they are
    strings unless the application converts them (``aslist``, ``asbool``:
    a call around the read, which is then no longer this node)."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        holder, key = node.value, node.slice[0].slice.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args and len(node.args) <= 2:
        holder, key = node.func.value, node.args[0].value
        if len(node.args) == 2 and not isinstance(node.args[1].value, (cst.SimpleString, cst.ConcatenatedString)):
            return None  # a non-string default: the value may be anything
    else:
        return None
    if not isinstance(key, cst.SimpleString) or not isinstance(key.evaluated_value, str):
        return None
    if not (isinstance(holder, cst.Attribute) and holder.attr.value == "settings"):
        return None
    parent = holder.value
    registry = parent.attr.value if isinstance(parent, cst.Attribute) else (parent.value if isinstance(parent, cst.Name) else "")
    return key.evaluated_value if registry == "registry" else None


def _ini_value(ev, node, scope, order, hops) -> str | None:
    """The value the project's ini file gives a Pyramid setting read here
    (followed through local names)."""
    if hops <= 0:
        return None
    if isinstance(node, cst.Name):
        value, at = _follow(ev, node, scope, order)
        return _ini_value(ev, value, scope, at, hops - 1) if value is not None else None
    key = registry_setting_key(node)
    if key is None:
        return None
    from .deployment_ini import ini_setting

    return ini_setting(ev.ctx.path, key)


def _registry_setting(node) -> bool:
    return registry_setting_key(node) is not None


def _env_read(ev, node) -> bool:
    if isinstance(node, cst.Call):
        if not (ev.ctx.qualify(node.func) & ENV_READS):
            return False
        default = ev.ctx.arg(node, 1, "default")
        return default is None or isinstance(default.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
    if isinstance(node, cst.Subscript):
        return bool(ev.ctx.qualify(node.value) & {"os.environ"})
    return False


def _config_option(ev, node, scope, order) -> bool:
    """``parser.get("cors", "origins")`` or ``parser["cors"]["origins"]`` on a
    ``configparser`` object bound in this module."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and len(node.args) >= 2:
        return _is_parser(ev, node.func.value, scope, order)
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Subscript):
        return _is_parser(ev, node.value.value, scope, order)
    return False


def _is_parser(ev, node, scope, order) -> bool:
    if isinstance(node, cst.Call):
        return bool(ev.ctx.qualify(node.func) & CONFIG_PARSERS)
    value, at = _follow(ev, node, scope, order)
    return isinstance(value, cst.Call) and bool(ev.ctx.qualify(value.func) & CONFIG_PARSERS)


def _str_field(ev, node: cst.Attribute, scope) -> bool:
    """``settings.allowed_origins`` where the local settings class declares
    ``allowed_origins: str`` (with or without a default)."""
    if not isinstance(node.value, cst.Name):
        return False
    name = node.value.value
    cls = name if name in ev.index.classes else None
    if cls is None:
        value, _ = _follow(ev, node.value, scope, 10**9)
        if value is None:
            value, _ = _follow(ev, node.value, ev.index.module_scope, 10**9)
        cls = ev._instance_class(value) if value is not None else None
    if cls is None or cls not in ev.index.classes:
        return False
    body = ev.index.classes[cls].node.body
    for stmt in getattr(body, "body", ()):
        for small in getattr(stmt, "body", ()):
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value == node.attr.value:
                return ev.ctx.text(small.annotation.annotation).replace(" ", "") in {a.replace(" ", "") for a in STR_ANNOTATIONS}
    return False
