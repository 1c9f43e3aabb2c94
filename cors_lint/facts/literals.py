"""Where a string of a value was written: the literal the user edits.

Values carry no positions (they are compared and merged freely), so when a
rule reports one entry of a list (a malformed origin, ``"null"``, an
``http://`` origin with credentials) the facts find the literal again: in
the expression itself, or in every assignment and in-place extension of
the name it reads (``ORIGINS = [...]``, ``ORIGINS += [...]``,
``ORIGINS.append(...)`` under ``if DEBUG:``), or in the default of a
settings-class field (``settings.cors_origins``).
"""

from __future__ import annotations

import libcst as cst

import os
from pathlib import Path

from .index import Scope, Site
from .imports import split_qualified
from .model import Span

MAX_NODES = 2000  # a settings module's list literals are small; stop on generated code


def _strings_in(ctx, roots, out: dict[str, Span]) -> None:
    stack = list(reversed(roots))
    seen = 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            out.setdefault(value, ctx.span(node))
            continue
        stack.extend(reversed(node.children))


class ForeignSpan:
    """An entry written in another project file (standalone mode).

    When that file is linted in the same run, the finding goes there
    (``path`` is set, the numbers are the entry's); otherwise it stays at
    ``use`` (where this file uses the value) and ``note`` says where the
    entry is: `` (from config.py:3)``.  Rules need not know: ``Rule.finding``
    reads ``path`` and ``note`` when a span has them."""

    __slots__ = ("_entry", "_shown", "_file", "use")

    def __init__(self, entry, file: str, shown: str | None, use=None) -> None:
        self._entry = entry
        self._file = file
        self._shown = shown
        self.use = use

    def at(self, use) -> "ForeignSpan":
        return ForeignSpan(self._entry, self._file, self._shown, use if self.use is None else self.use)

    @property
    def path(self) -> str | None:
        return self._shown

    @property
    def note(self) -> str:
        if self._shown is not None:
            return ""
        try:
            where = os.path.relpath(self._file)
        except ValueError:
            where = self._file
        if where.startswith(".."):
            where = Path(self._file).name
        return f" (from {where}:{self._entry.line})"

    def related(self, here: str) -> tuple:
        """The other place: where the value is used (reported at the entry),
        or where the entry is written (reported at the use)."""
        if self._shown is not None:
            if self.use is None:
                return ()
            return ((here, self.use.line, self.use.col, "the value is used here"),)
        try:
            shown = os.path.relpath(self._file)
        except ValueError:
            shown = self._file
        return ((shown, self._entry.line, self._entry.col, "the entry is written here"),)

    def _here(self):
        return self._entry if self._shown is not None or self.use is None else self.use

    line = property(lambda self: self._here().line)
    col = property(lambda self: self._here().col)
    end_line = property(lambda self: self._here().end_line)
    end_col = property(lambda self: self._here().end_col)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ForeignSpan) and (self._file, self._entry) == (other._file, other._entry) and self.use == other.use

    def __hash__(self) -> int:
        return hash((self._file, self._entry.line, self._entry.col))


def _imported(ctx, name: cst.Name, out: dict, depth: int) -> None:
    """The literals of a constant imported from another project module."""
    project = ctx.project
    if project is None or not hasattr(project, "context") or depth > 3:
        return
    for qualified in ctx.qualify(name):
        dots = len(qualified) - len(qualified.lstrip("."))
        module, _, attr = qualified[dots:].rpartition(".")
        if not attr or not (module or dots):
            continue
        path = project.module_path("." * dots + module, ctx.path)
        other = project.context(path) if path is not None else None
        if other is None:
            continue
        shown = getattr(project, "linted", {}).get(str(Path(path).resolve()))
        for text, span in literal_spans(other, cst.Name(attr), None, depth + 1).items():
            out.setdefault(text, span if isinstance(span, ForeignSpan) else ForeignSpan(span, str(path), shown))
        return


def inherited_literal_spans(ctx, name: str, depth: int = 0) -> dict[str, "ForeignSpan"]:
    """The literals of module-level ``name`` that this module receives
    through ``from .base import *`` (the last star import that provides it
    wins, and a base module's own star imports are followed), each as a
    ``ForeignSpan`` in the module that writes it: a settings module built on
    a base one is reported where the entry is written, once."""
    project = ctx.project
    if project is None or not hasattr(project, "context") or depth > 3:
        return {}
    for star in reversed(ctx.index.imports.star_imports):
        path = project.module_path(star, ctx.path)
        other = project.context(path) if path is not None else None
        if other is None:
            continue
        if name in other.index.module_scope.assignments:
            shown = getattr(project, "linted", {}).get(str(Path(path).resolve()))
            out: dict[str, ForeignSpan] = {}
            for text, span in literal_spans(other, cst.Name(name), None, depth + 1).items():
                out.setdefault(text, span if isinstance(span, ForeignSpan) else ForeignSpan(span, str(path), shown))
            return out
        deeper = inherited_literal_spans(other, name, depth + 1)
        if deeper:
            return deeper
    return {}


def _scope_defs(site: Site | None, ctx, name: str):
    scope: Scope | None = site.scope if site is not None else ctx.index.module_scope
    while scope is not None:
        defs = scope.assignments.get(name)
        if defs and scope.kind != "class":
            return defs
        scope = scope.parent
    return ()


def literal_spans(ctx, node: cst.BaseExpression | None, site: Site | None, depth: int = 0) -> dict[str, Span]:
    """Each string literal that may make up the value of ``node``, with the
    span of its first occurrence (a ``ForeignSpan`` when it is in another
    project module)."""
    out: dict[str, Span] = {}
    if node is None:
        return out
    if isinstance(node, cst.Name):
        defs = _scope_defs(site, ctx, node.value)
        if defs and defs[-1].kind == "import":
            _imported(ctx, node, out, depth)
            return out
        # a parameter's default is what calls that leave it out get
        roots = [d.value for d in defs if d.value is not None and d.kind in ("assign", "aug", "walrus", "param")]
        _strings_in(ctx, roots, out)
        # ORIGINS = BASE + [...], frozenset(allowed): one more hop through
        # the names it reads
        for root in roots:
            for side in _operands(root):
                if side.value != node.value and depth < 4:
                    for text, span in literal_spans(ctx, side, site, depth + 1).items():
                        out.setdefault(text, span)
        return out
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self" and site is not None and depth < 4:
        # self.allowed, stored by a method of the same class
        # (self.allowed = frozenset(allowed) in __init__)
        stored = _self_stores(ctx, site.scope.class_name, node.attr.value)
        if stored:
            for store_site, value in stored:
                _strings_in(ctx, [value], out)
                for side in _operands(value):
                    for text, span in literal_spans(ctx, side, store_site, depth + 1).items():
                        out.setdefault(text, span)
            return out
    holder = node.value if isinstance(node, cst.Attribute) else None
    if isinstance(holder, cst.Call):
        holder = holder.func  # CorsConfig().origins
    if isinstance(node, cst.Attribute) and isinstance(holder, cst.Name):
        field = _class_field(ctx, holder.value, node.attr.value)
        if field is not None:
            _strings_in(ctx, [field], out)
            return out
        if _imported_field(ctx, holder.value, node.attr.value, out):
            return out
        if _imported_holder(ctx, holder.value, node.attr.value, out, depth):
            return out
    _strings_in(ctx, [node], out)
    return out


def _operands(root: cst.BaseExpression) -> list[cst.Name]:
    """The names a value expression is built from: both sides of ``+``,
    the argument of a conversion (``frozenset(allowed)``, ``set(...)``,
    ``tuple(...)``), another name (a parameter's default ``allowed=SITES``)."""
    if isinstance(root, cst.Name):
        return [root]
    if isinstance(root, cst.BinaryOperation):
        return [side for side in (root.left, root.right) if isinstance(side, cst.Name)]
    if isinstance(root, cst.Call) and isinstance(root.func, cst.Name) and root.func.value in ("frozenset", "set", "tuple", "list", "sorted") and len(root.args) == 1:
        arg = root.args[0].value
        return [arg] if isinstance(arg, cst.Name) else []
    return []


def _self_stores(ctx, class_name: str | None, attr: str) -> list[tuple[Site, cst.BaseExpression]]:
    """``self.<attr> = value`` in the methods of ``class_name``."""
    if class_name is None:
        return []
    out = []
    for site in ctx.index.attribute_assigns:
        stmt = site.node
        if not isinstance(stmt, cst.Assign) or site.scope.class_name != class_name:
            continue
        for target in stmt.targets:
            t = target.target
            if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) and t.value.value == "self" and t.attr.value == attr:
                out.append((site, stmt.value))
    return out


def _imported_field(ctx, holder: str, attr: str, out: dict) -> bool:
    """``settings.cors_origins`` where ``settings = get_settings()`` or
    ``Settings()`` with the getter or the class imported from another
    project module: the literals of that class's field, in that module."""
    project = ctx.project
    if project is None or not hasattr(project, "context"):
        return False
    defs = ctx.index.module_scope.assignments.get(holder, [])
    callee = ctx.evaluator._imported_callee(defs[0].value) if len(defs) == 1 else None
    if callee is None:
        return False
    for qualified in sorted(ctx.qualify(cst.Name(callee))):
        module, name = split_qualified(qualified)
        path = project.module_path(module, ctx.path) if module else None
        other = project.context(path) if path is not None else None
        if other is None or other is ctx:
            continue
        cls_name = other.evaluator._instance_class(cst.Call(func=cst.Name(name)))
        field = _class_field(other, cls_name, attr) if cls_name is not None else None
        if field is None:
            continue
        found: dict[str, Span] = {}
        _strings_in(other, [field], found)
        shown = getattr(project, "linted", {}).get(str(Path(path).resolve()))
        for text, span in found.items():
            out.setdefault(text, ForeignSpan(span, str(path), shown))
        return True
    return False


def _imported_holder(ctx, holder: str, attr: str, out: dict, depth: int) -> bool:
    """``SETTINGS.trusted_origins`` or ``settings.ALLOWED_ORIGINS`` where the
    holder itself is imported from another project module: an instance or
    class written there (``SETTINGS = Settings()``), or the module itself
    (``from . import settings``).  The literals are found in that module,
    as it would find them, each a ``ForeignSpan`` there."""
    project = ctx.project
    if project is None or not hasattr(project, "context") or depth > 3:
        return False
    defs = ctx.index.module_scope.assignments.get(holder, [])
    if not defs or defs[-1].kind != "import":
        return False
    for qualified in sorted(ctx.qualify(cst.Name(holder))):
        dots = len(qualified) - len(qualified.lstrip("."))
        module, _, name = qualified[dots:].rpartition(".")
        # the holder is a module of the project: its module-level constant
        path = project.module_path(qualified, ctx.path)
        if path is not None:
            target = cst.Name(attr)
        elif module or dots:
            path = project.module_path("." * dots + module, ctx.path)
            target = cst.Attribute(value=cst.Name(name), attr=cst.Name(attr))
        else:
            continue
        other = project.context(path) if path is not None else None
        if other is None or other is ctx:
            continue
        found = literal_spans(other, target, None, depth + 1)
        if not found:
            continue
        shown = getattr(project, "linted", {}).get(str(Path(path).resolve()))
        for text, span in found.items():
            out.setdefault(text, span if isinstance(span, ForeignSpan) else ForeignSpan(span, str(path), shown))
        return True
    return False


def _class_field(ctx, holder: str, attr: str) -> cst.BaseExpression | None:
    """``settings.cors_origins``: the class attribute's default expression,
    where ``settings`` is a class of this module or an instance of one."""
    index = ctx.index
    cls = holder if holder in index.classes else None
    if cls is None:
        defs = index.module_scope.assignments.get(holder, [])
        if len(defs) == 1:
            # Settings(), or a getter of this module returning Settings()
            cls = ctx.evaluator._instance_class(defs[0].value)
    if cls is None:
        return None
    info = index.classes[cls]
    scope = next((s for s in index.class_scopes if s.node is info.node), None)
    bound = scope.assignments.get(attr) if scope is not None else None
    return bound[-1].value if bound and bound[-1].value is not None else None
