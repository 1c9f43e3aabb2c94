"""Settings written as class attributes, with what each class inherits.

Some projects keep their settings in classes instead of module constants:
django-configurations (``class Common(Configuration)``, ``class
Production(Common)``, one selected at start-up by ``DJANGO_CONFIGURATION``)
and Flask config objects (``class ProdConfig(BaseConfig)`` loaded with
``app.config.from_object``).  Either way a class attribute is read through
the class, so a subclass holds every setting of its bases that it does not
assign itself: the settings in force for a class are its own, then those of
its bases in method resolution order.

This module computes that order for the classes of one module (C3, like
Python) and, for each class, the class-body assignments of the names a
library cares about, split into the class's own and the inherited ones.  A
base that is neither a class of this module nor a known settings root
(``object``, ``configurations.Configuration``) may set more: the class is
then ``opaque`` and settings it does not see are unknown, not defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import libcst as cst

from .context import ModuleContext
from .index import Assignment, ClassInfo, Scope

# roots that define none of the settings libraries read
SETTINGS_ROOTS = ("configurations.Configuration", "configurations.base.Configuration", "configurations.configuration.Configuration")


@dataclass
class ClassAssignment(Assignment):
    """A class-body assignment, evaluated in its class's scope (a name
    there is the class's own attribute before it is a module constant)."""

    scope: Scope | None = None


@dataclass
class SettingsClass:
    info: ClassInfo
    scope: Scope
    own: dict[str, list[Assignment]] = field(default_factory=dict)  # assigned in this class body
    inherited: dict[str, list[Assignment]] = field(default_factory=dict)  # from the first base (MRO) that assigns it
    lineage: tuple[ClassInfo, ...] = ()  # the class and its bases of this module, in MRO
    roots: tuple[str, ...] = ()  # qualified names of the outside bases
    opaque: bool = False  # a base we cannot see may set more

    def settings(self) -> dict[str, list[Assignment]]:
        return {**self.inherited, **self.own}


def class_scope(ctx: ModuleContext, info: ClassInfo) -> Scope | None:
    return next((s for s in ctx.index.class_scopes if s.node is info.node), None)


def lineage(ctx: ModuleContext, info: ClassInfo, _seen: frozenset = frozenset()) -> tuple[list[ClassInfo], list[str], bool]:
    """The class and its bases defined in this module, in method resolution
    order (C3), the qualified names of bases from elsewhere, and whether any
    of those may hold settings (anything but a known root).  Returns the
    class alone, opaque, on an inconsistent hierarchy or a cycle."""
    if info.name in _seen:
        return [info], [], True
    local_bases: list[ClassInfo] = []
    roots: list[str] = []
    opaque = False
    for base in info.bases:
        name = base.value if isinstance(base, cst.Name) else None
        other = ctx.index.classes.get(name) if name else None
        if other is not None and other.node is not info.node and _defined_before(other, info):
            local_bases.append(other)
            continue
        qualified = sorted(ctx.qualify(base)) or [ctx.dotted(base) or ""]
        roots.append(qualified[0])
        if qualified[0] not in ("object", "builtins.object") and not any(ctx.is_name(base, root) for root in SETTINGS_ROOTS):
            opaque = True
    chains = []
    for base in local_bases:
        chain, more_roots, more_opaque = lineage(ctx, base, _seen | {info.name})
        chains.append(chain)
        roots.extend(r for r in more_roots if r not in roots)
        opaque = opaque or more_opaque
    merged = _c3([*[list(ch) for ch in chains], list(local_bases)])
    if merged is None:
        return [info], roots, True
    return [info, *merged], roots, opaque


def _defined_before(base: ClassInfo, info: ClassInfo) -> bool:
    """A base must exist when the class statement runs (a later class of the
    same name, or a forward reference, is something else)."""
    return base.node is not info.node


def _c3(sequences: list[list[ClassInfo]]) -> list[ClassInfo] | None:
    out: list[ClassInfo] = []
    seqs = [list(s) for s in sequences if s]
    while seqs:
        for seq in seqs:
            head = seq[0]
            if not any(head in other[1:] for other in seqs):
                break
        else:
            return None
        out.append(head)
        seqs = [[c for c in s if c is not head] for s in seqs]
        seqs = [s for s in seqs if s]
    return out


def settings_class(ctx: ModuleContext, info: ClassInfo, wanted: Callable[[str], bool]) -> SettingsClass | None:
    """The settings ``wanted`` names of one class: its own class-body
    assignments and, for the others, those of the first base in MRO that
    assigns them."""
    scope = class_scope(ctx, info)
    if scope is None:
        return None
    chain, roots, opaque = lineage(ctx, info)
    out = SettingsClass(info, scope, lineage=tuple(chain), roots=tuple(roots), opaque=opaque)
    for k, cls in enumerate(chain):
        cls_scope = scope if k == 0 else class_scope(ctx, cls)
        if cls_scope is None:
            continue
        target = out.own if k == 0 else out.inherited
        for name, defs in cls_scope.assignments.items():
            if not wanted(name) or name in out.own or name in out.inherited:
                continue
            live = [_in_scope(d, cls_scope) for d in defs if d.kind in ("assign", "aug")]
            if live:
                target[name] = live
    return out


def _in_scope(d: Assignment, scope: Scope) -> ClassAssignment:
    return ClassAssignment(d.name, d.value, d.order, d.guards, d.kind, d.node, d.position, scope=scope)


def derives_from(ctx: ModuleContext, settings: SettingsClass, *roots: str) -> bool:
    """Does the class (through bases of this module) derive from one of these
    qualified names?"""
    for cls in settings.lineage:
        for base in cls.bases:
            if any(ctx.is_name(base, root) for root in roots):
                return True
    return False
