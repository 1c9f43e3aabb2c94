"""Framework config keys set in one module (``app.config[...]`` and friends).

quart-cors and Sanic read their CORS options from the application config as
well as from call arguments.  This collects, for keys with a given prefix,
the last value written in the module, from:

* ``app.config["KEY"] = value`` and ``app.config.KEY = value``;
* ``app.config.update({"KEY": value})`` / ``update(KEY=value)`` /
  ``from_mapping(...)``, also of a dict another project module binds
  (``from .config import *`` then ``app.config.update(CORS_SETTINGS)``);
* module-level ``KEY = value`` (config modules loaded with ``from_object``).

Keys are compared upper-cased (sanic-ext also accepts ``cors_origins``).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..context import ModuleContext
from ..index import Site
from ..model import Value
from ..policy_kit import dict_literal, foreign_options, imported_dict, read_options

UPDATERS = ("update", "from_mapping")


@dataclass(frozen=True)
class ConfigValue:
    key: str  # as written
    node: cst.CSTNode  # where to report (assignment, dict element, keyword)
    value: Value
    order: int
    value_node: cst.BaseExpression | None = None
    module_level: bool = False  # a module constant rather than an app.config write
    # where the key was written when that is another module (a ForeignSpan;
    # ``node`` is then the call in this module that reads it)
    span: object = None
    owner: str = ""  # the object whose config it is (``app``, ``self.app``); "" for module constants


def owner_of(ctx: ModuleContext, config: cst.BaseExpression) -> str:
    """``app`` for ``app.config``: whose config a write goes to."""
    if isinstance(config, cst.Attribute):
        return ctx.dotted(config.value) or ""
    return ""


def _is_config(ctx: ModuleContext, node: cst.BaseExpression) -> bool:
    dotted = ctx.dotted(node) or ""
    return dotted == "config" or dotted.endswith(".config")


def collect(ctx: ModuleContext, prefix: str, module_level: bool = True, owner: str | None = None) -> dict[str, ConfigValue]:
    """The last value of each key; with ``owner``, only the writes to that
    object's config (and module constants): a module that configures two
    apps gives each its own keys."""
    out: dict[str, ConfigValue] = {}
    for item in sorted(collect_all(ctx, prefix, module_level), key=lambda c: c.order):
        if owner is None or item.owner in ("", owner):
            out[item.key.upper()] = item
    return out


def collect_all(ctx: ModuleContext, prefix: str, module_level: bool = True) -> list[ConfigValue]:
    """Every write of a key with ``prefix``, in no particular order."""
    found: list[ConfigValue] = []
    for site in ctx.index.subscript_assigns:
        node = site.node
        if not isinstance(node, cst.Assign):
            continue
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Subscript) and _is_config(ctx, t.value) and len(t.slice) == 1 and isinstance(t.slice[0].slice, cst.Index):
                key = ctx.evaluate(t.slice[0].slice.value, site).str_value()
                if key and key.upper().startswith(prefix):
                    found.append(ConfigValue(key, node, ctx.evaluate(node.value, site), site.order, node.value, owner=owner_of(ctx, t.value)))
    for site in ctx.index.attribute_assigns:
        node = site.node
        if not isinstance(node, cst.Assign):
            continue
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Attribute) and _is_config(ctx, t.value) and t.attr.value.upper().startswith(prefix):
                found.append(ConfigValue(t.attr.value, node, ctx.evaluate(node.value, site), site.order, node.value, owner=owner_of(ctx, t.value)))
    for site in ctx.index.calls:
        func = site.node.func
        if isinstance(func, cst.Attribute) and func.attr.value in UPDATERS and _is_config(ctx, func.value):
            found.extend(_from_call(ctx, site, prefix))
    if module_level:
        for name, defs in ctx.index.module_scope.assignments.items():
            if name.upper().startswith(prefix) and name.isupper():
                for d in defs:
                    if d.kind == "assign" and d.value is not None and isinstance(d.node, cst.Name):
                        value = ctx.evaluate_in(d.value, ctx.index.module_scope, d.order + 1)
                        found.append(ConfigValue(name, assignment_statement(ctx, d.node), value, d.order, d.value, module_level=True))
    return found


def owners(ctx: ModuleContext, prefix: str) -> list[str]:
    """The objects whose config this module writes keys with ``prefix``
    to, in order of first write."""
    seen: list[str] = []
    for item in sorted(collect_all(ctx, prefix), key=lambda c: c.order):
        if item.owner and item.owner not in seen:
            seen.append(item.owner)
    return seen


def _from_call(ctx: ModuleContext, site: Site, prefix: str) -> list[ConfigValue]:
    call: cst.Call = site.node
    out = []
    options = None
    if call.args and call.args[0].keyword is None and not call.args[0].star:
        literal = dict_literal(ctx, call.args[0].value, site)
        if literal is not None:
            options = read_options(ctx, literal, site)
        else:
            found = imported_dict(ctx, call.args[0].value, site)
            if found is not None:
                other, literal = found
                for key, (span, value, _text) in foreign_options(ctx, other, literal, call).items():
                    if key.upper().startswith(prefix):
                        out.append(ConfigValue(key, call, value, site.order, None, span=span, owner=owner_of(ctx, call.func.value)))
                return out
    else:
        options = read_options(ctx, call, site)
    if options is None:
        return out
    for key, (node, value_node, value) in options.values.items():
        if key.upper().startswith(prefix):
            out.append(ConfigValue(key, node, value, site.order, value_node, owner=owner_of(ctx, call.func.value)))
    return out


def assignment_statement(ctx: ModuleContext, node: cst.CSTNode) -> cst.CSTNode:
    """The assignment statement around a bound name (to report on its line)."""
    for parent in ctx.index.ancestors(node):
        if isinstance(parent, (cst.Assign, cst.AnnAssign)):
            return parent
    return node
