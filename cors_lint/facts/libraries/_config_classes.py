"""Config classes a Flask-style app loads with ``app.config.from_object(...)``.

Flask copies every upper-case attribute of the object into ``app.config``,
inherited ones included, and extensions such as flask-cors read their
``CORS_*`` keys from there.  The object is written in several ways:

* a class of this module, or one imported from another project module
  (``from .config import BaseConfig``);
* an import string, ``from_object("survey.config.StagingConfig")``;
* an entry of a dict of classes, ``from_object(CONFIGS[env])``: any of them
  may be the one loaded;
* a parameter of the app factory with a class as its default
  (``def create_app(config_class=Config)``).

Config classes derived from a loaded one (``class StagingConfig(BaseConfig)``
in the same module) are the deployment's variants of it: a factory is handed
one of them by tests, the WSGI entry point or an environment variable.  Each
candidate is one alternative configuration of the app.

Values are read in the module that defines the class, and a candidate whose
base classes cannot all be read is *incomplete*: keys it does not set may
still come from the unseen bases.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..context import ModuleContext
from ..dataflow import project_function
from ..index import Site
from ..model import Value
from ..policy_kit import dict_literal
from ._app_config import assignment_statement

MAX_CANDIDATES = 12


@dataclass(frozen=True)
class ConfigClass:
    """One class that may be loaded: its module, name, and whether it is a
    variant (a subclass of the class named at the call)."""

    ctx: ModuleContext
    name: str
    variant: bool = False


@dataclass(frozen=True)
class ClassKey:
    """An upper-case attribute of a config class (own or inherited)."""

    key: str
    node: cst.CSTNode  # the assignment statement (where to report)
    value_node: cst.BaseExpression
    value: Value


def loaded_classes(ctx: ModuleContext, call: cst.Call, site: Site | None) -> list[ConfigClass] | None:
    """The classes ``from_object(arg)`` may load (with their variants), or
    None when the argument is not a class we can find."""
    if not call.args or call.args[0].keyword is not None or call.args[0].star:
        return None
    named = _named(ctx, call.args[0].value, site, 0)
    if not named:
        return None
    out: list[ConfigClass] = []
    for cctx, name in named:
        for found in [ConfigClass(cctx, name)] + [ConfigClass(cctx, sub, True) for sub in _subclasses(cctx, name)]:
            if not any(found.ctx is c.ctx and found.name == c.name for c in out):
                out.append(found)
    return out[:MAX_CANDIDATES]


def class_keys(cclass: ConfigClass, prefix: str) -> tuple[dict[str, ClassKey], bool]:
    """The ``prefix`` keys of a class, its own over its bases' (in its
    module, or imported from another project module), and whether every
    base could be read."""
    return _keys(cclass.ctx, cclass.name, prefix, 0)


def _keys(ctx: ModuleContext, name: str, prefix: str, depth: int) -> tuple[dict[str, ClassKey], bool]:
    info = ctx.index.classes.get(name)
    scope = next((s for s in ctx.index.class_scopes if info is not None and s.node is info.node), None)
    if info is None or scope is None or depth > 8:
        return {}, False
    merged: dict[str, ClassKey] = {}
    complete = True
    for base in reversed(info.bases):  # the first base wins: read it last
        if isinstance(base, cst.Name) and base.value == "object":
            continue
        found = _class_ref(ctx, base)
        if found is None:
            complete = False
            continue
        inherited, whole = _keys(found[0], found[1], prefix, depth + 1)
        merged.update(inherited)
        complete = complete and whole
    for key, defs in scope.assignments.items():
        d = defs[-1]
        if key.isupper() and key.startswith(prefix) and d.value is not None and d.kind == "assign":
            merged[key] = ClassKey(key, assignment_statement(ctx, d.node) if d.node is not None else d.value, d.value, ctx.evaluate_in(d.value, scope, 10**9))
    return merged, complete


def _named(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None, depth: int) -> list[tuple[ModuleContext, str]]:
    if depth > 4:
        return []
    if isinstance(node, (cst.Name, cst.Attribute)):
        found = _class_ref(ctx, node)
        if found is not None:
            return [found]
        if isinstance(node, cst.Name) and site is not None:
            default_node = _param_default_node(ctx, node, site)
            if default_node is not None:
                return _named(ctx, default_node, None, depth + 1)
        return []
    if isinstance(node, cst.Subscript):
        # CONFIGS[env]: every class the dict holds
        holder = _dict_of(ctx, node.value, site)
        if holder is None:
            return []
        hctx, literal = holder
        out = []
        for el in literal.elements:
            if isinstance(el, cst.DictElement):
                out.extend(_named(hctx, el.value, None, depth + 1))
        return out
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        text = ctx.evaluate(node, site).str_value()
        return [found] if text and (found := _import_string(ctx, text)) is not None else []
    if isinstance(node, cst.Call):
        return _called(ctx, node, site, depth)
    return []


def _called(ctx: ModuleContext, call: cst.Call, site: Site | None, depth: int) -> list[tuple[ModuleContext, str]]:
    """``CONFIGS.get(env, BaseConfig)``: every class of the dict and the
    fallback; ``get_config(env)``: what the getter (of this module, or
    imported from another project module) returns on each path."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "get" and call.args:
        holder = _dict_of(ctx, func.value, site)
        if holder is None:
            return []
        hctx, literal = holder
        out = [found for el in literal.elements if isinstance(el, cst.DictElement) for found in _named(hctx, el.value, None, depth + 1)]
        if len(call.args) > 1:
            out.extend(_named(ctx, call.args[1].value, site, depth + 1))
        return out
    getter = None
    if isinstance(func, cst.Name) and not ctx.index.imports.is_imported(func.value):
        local = [s for s in ctx.index.functions.get(func.value, []) if s.parent is ctx.index.module_scope]
        getter = (ctx, local[-1]) if local else None
    if getter is None:
        getter = project_function(ctx, func)
    if getter is None:
        return []
    gctx, scope = getter
    out = []
    for ret in scope.returns:
        value = getattr(ret.node, "value", None)
        if value is not None:
            out.extend(f for f in _named(gctx, value, ret, depth + 1) if f not in out)
    return out


def _class_ref(ctx: ModuleContext, node: cst.BaseExpression) -> tuple[ModuleContext, str] | None:
    """A class named by ``node``: of this module, or imported from another
    project module (``from .config import Config``, ``config.Config``)."""
    if isinstance(node, cst.Name) and node.value in ctx.index.classes and not ctx.index.imports.is_imported(node.value):
        return ctx, node.value
    project = ctx.project
    if project is None or not hasattr(project, "context"):
        return None
    for qualified in sorted(ctx.qualify(node)):
        found = _import_string(ctx, qualified)
        if found is not None:
            return found
    return None


def _import_string(ctx: ModuleContext, dotted: str) -> tuple[ModuleContext, str] | None:
    """``pkg.config.Config`` (or ``.config.Config``) to the class."""
    project = ctx.project
    if project is None or not hasattr(project, "context"):
        return None
    module, _, name = dotted.rpartition(".")
    if not module or not name:
        return None
    path = project.module_path(module, ctx.path)
    other = project.context(path) if path is not None else None
    if other is None or name not in other.index.classes:
        return None
    return other, name


def _dict_of(ctx: ModuleContext, node: cst.BaseExpression, site: Site | None) -> tuple[ModuleContext, cst.Dict] | None:
    """The dict literal a name stands for, here or in the project module it
    is imported from."""
    literal = dict_literal(ctx, node, site)
    if isinstance(literal, cst.Dict):
        return ctx, literal
    project = ctx.project
    if not isinstance(node, cst.Name) or project is None or not hasattr(project, "context"):
        return None
    for qualified in sorted(ctx.qualify(node)):
        module, _, name = qualified.rpartition(".")
        path = project.module_path(module, ctx.path) if module else None
        other = project.context(path) if path is not None else None
        if other is None or other is ctx:
            continue
        defs = other.index.module_scope.assignments.get(name, [])
        if defs and isinstance(defs[-1].value, cst.Dict):
            return other, defs[-1].value
    return None


def _subclasses(ctx: ModuleContext, name: str) -> list[str]:
    """Classes of the same module derived from ``name``, directly or not."""
    out: list[str] = []
    todo = [name]
    while todo and len(out) < MAX_CANDIDATES:
        parent = todo.pop()
        for cname, info in ctx.index.classes.items():
            if cname not in out and cname != name and any(isinstance(b, cst.Name) and b.value == parent for b in info.bases):
                out.append(cname)
                todo.append(cname)
    return out


def _param_default_node(ctx: ModuleContext, node: cst.Name, site: Site) -> cst.BaseExpression | None:
    """The default written for the parameter ``node`` names, in the
    function the call is in (``def create_app(config_class=Config)``)."""
    scope = site.scope
    while scope is not None and scope.kind == "function":
        for param in scope.params:
            if param.name.value == node.value:
                return param.default
        scope = scope.parent
    return None

