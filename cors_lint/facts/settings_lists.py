"""Module-level lists of a Django settings chain, in statement order.

``MIDDLEWARE`` and ``INSTALLED_APPS`` are rarely one literal: split settings
packages star-import a base module and then extend, insert into or rebuild
the lists (``MIDDLEWARE += [...]``, ``MIDDLEWARE.insert(0, ...)``,
``MIDDLEWARE = ["corsheaders...", *MIDDLEWARE]``, ``BASE + EXTRA``).  The
walker below replays those statements without executing anything, so the
facts layer can say which entries the list ends up with, in which order,
and where each entry was written.

A list becomes *unknown* (None) as soon as one step cannot be followed: a
star import that cannot be resolved (always the case under flake8), an
insert at a computed index, a comprehension, a loop that changes it.
Statements under a condition that cannot be decided add their entries
marked ``conditional``; a conditional rebuild that drops entries makes the
list unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst

from .context import ModuleContext
from .imports import dotted_name
from .index import iter_children

MUTATORS = {"append", "extend", "insert", "remove"}


@dataclass(frozen=True)
class Item:
    """One list entry: its string value (None when not a known string), the
    node that wrote it in the walked module (None when it came from another
    module), and whether a condition guards it."""

    name: str | None
    node: cst.CSTNode | None = None
    conditional: bool = False


@dataclass
class Lists:
    """The outcome of walking one module (with its star-imported chain)."""

    values: dict[str, list[Item] | None] = field(default_factory=dict)  # None: unknown
    # the last statement of this module that set or changed each name
    final: dict[str, cst.CSTNode] = field(default_factory=dict)
    # for names received through "import *" and not changed here: that import
    via_star: dict[str, cst.CSTNode] = field(default_factory=dict)
    assigned: set[str] = field(default_factory=set)  # every module-level name set in the chain
    opaque: bool = False  # an "import *" could not be followed: any name may exist


def walk(ctx: ModuleContext, _seen: frozenset = frozenset()) -> Lists:
    """Replay the module-level statements of ``ctx``."""
    return _Walker(ctx, _seen | {ctx.path}).run()


def walk_class(ctx: ModuleContext, lineage: tuple, module_lists: Lists) -> Lists:
    """Replay the class bodies of a settings class (django-configurations)
    and its bases of this module, farthest base first, so that each class
    overrides what its bases assign.  Names the class bodies do not assign
    keep their module-level values.  Entries the class inherits carry no
    node: the base that writes them reports them, once.  ``final`` holds
    the statements of the class itself."""
    walker = _Walker(ctx, frozenset({ctx.path}))
    walker.out.values = dict(module_lists.values)
    walker.out.assigned = set(module_lists.assigned)
    walker.out.opaque = module_lists.opaque
    *bases, cls = reversed(lineage)
    for base in bases:
        walker._block(base.node.body.body)
    for name, items in walker.out.values.items():
        if items is not None and name in walker.out.final:
            walker.out.values[name] = [replace(i, node=None) for i in items]
            walker.out.via_star[name] = cls.node
    walker.out.final = {}
    walker._block(cls.node.body.body)
    return walker.out


def walk_path(ctx: ModuleContext, module: str, seen: frozenset) -> Lists | None:
    """Walk another project module (``.base``, ``config.settings.base``)
    named from ``ctx``; None without a project, when missing or in a cycle."""
    project = ctx.project
    if project is None:
        return None
    path = project.module_path(module, ctx.path)
    if path is None or str(path) in seen:
        return None
    other = project.context(Path(path))
    if other is None:
        return None
    return walk(other, seen)


class _Walker:
    def __init__(self, ctx: ModuleContext, seen: frozenset) -> None:
        self.ctx = ctx
        self.seen = seen
        self.out = Lists()
        self.conditional = False
        self.imported: dict[str, tuple[str, str]] = {}  # local name -> (module, name)
        self.positions: dict[str, int] = {}  # "_index = MIDDLEWARE.index(...)": the index it held

    def run(self) -> Lists:
        self._block(self.ctx.module.body)
        # functions that change a module list through "global NAME" may run
        # at import time: treat them like a loop at the end of the module
        for scope in (f for scopes in self.ctx.index.functions.values() for f in scopes):
            if not scope.globals_:
                continue
            changed = _changed_names(scope.node, inside_functions=True)
            for name in scope.globals_ & set(changed):
                if name in self.out.values:
                    self._grow_or_forget(name, changed[name], scope.node, keep_final=True)
        return self.out

    def _grow_or_forget(self, name: str, appends_only: bool, stmt: cst.CSTNode, keep_final: bool = False) -> None:
        items = self.out.values.get(name) if name in self.out.values else (None if not self._defined(name) else self._lookup(name))
        grown = [*items, Item(None, None, True)] if appends_only and items is not None else None
        if keep_final:
            self.out.values[name] = grown
        else:
            self._set(name, grown, stmt)

    # -- statements ------------------------------------------------------------------
    def _block(self, body) -> None:
        for stmt in body:
            self._statement(stmt)

    def _statement(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self._small(small, stmt)
        elif isinstance(stmt, cst.If):
            self._if(stmt)
        elif isinstance(stmt, cst.Try):
            self._conditionally(lambda: self._block(stmt.body.body))
            for handler in stmt.handlers:
                self._conditionally(lambda h=handler: self._block(h.body.body))
            if stmt.orelse is not None:
                self._conditionally(lambda: self._block(stmt.orelse.body.body))
            if stmt.finalbody is not None:
                self._block(stmt.finalbody.body.body)
        elif not isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            # loops, with, match ...: a list they only extend keeps its known
            # entries in order and gains unknown ones at the end; any other
            # change makes it unknown
            for name, appends_only in _changed_names(stmt).items():
                self._grow_or_forget(name, appends_only, stmt)

    def _if(self, stmt: cst.If) -> None:
        from .libraries.django_cors import _static_truth

        holds = _static_truth(self.ctx, stmt.test)
        orelse = stmt.orelse
        if holds is True:
            self._block(stmt.body.body)
            return
        if holds is False:
            if isinstance(orelse, cst.If):
                self._if(orelse)
            elif isinstance(orelse, cst.Else):
                self._block(orelse.body.body)
            return
        self._conditionally(lambda: self._block(stmt.body.body))
        if isinstance(orelse, cst.If):
            self._conditionally(lambda: self._if(orelse))
        elif isinstance(orelse, cst.Else):
            self._conditionally(lambda: self._block(orelse.body.body))

    def _conditionally(self, run) -> None:
        saved = self.conditional
        self.conditional = True
        try:
            run()
        finally:
            self.conditional = saved

    def _small(self, small: cst.CSTNode, stmt: cst.SimpleStatementLine) -> None:
        if isinstance(small, cst.ImportFrom):
            self._import_from(small, stmt)
        elif isinstance(small, (cst.Assign, cst.AnnAssign)):
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            if small.value is None:
                return
            for target in targets:
                if isinstance(target, cst.Name):
                    self._assign(target.value, small.value, stmt)
                else:
                    for name in _names_in(target):
                        self._set(name, None, stmt)
        elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
            name = small.target.value
            if isinstance(small.operator, cst.AddAssign):
                added = self._eval(small.value)
                base = self._lookup(name)
                if added is None:
                    added = [Item(None, small.value, True)]  # "+= something()": unknown entries at the end
                self._set(name, None if base is None else base + self._mark(added), stmt)
            else:
                self._set(name, None, stmt)
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            self._call(small.value, stmt)
        elif isinstance(small, cst.Del):
            for name in _names_in(small.target):
                self._set(name, None, stmt)

    def _import_from(self, node: cst.ImportFrom, stmt: cst.SimpleStatementLine) -> None:
        module = "." * len(node.relative) + (dotted_name(node.module) or "" if node.module is not None else "")
        if isinstance(node.names, cst.ImportStar):
            base = walk_path(self.ctx, module, self.seen)
            if base is None:
                self.out.opaque = True
                return
            self.out.opaque = self.out.opaque or base.opaque
            self.out.assigned |= base.assigned
            for name, items in base.values.items():
                self.out.values[name] = None if items is None else [replace(i, node=None) for i in items]
                self.out.via_star[name] = stmt
                self.out.final.pop(name, None)
            return
        for alias in node.names:
            if isinstance(alias.name, cst.Name):
                local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else alias.name.value
                self.imported[local] = (module, alias.name.value)
                self.out.values.pop(local, None)

    def _assign(self, name: str, value: cst.BaseExpression, stmt: cst.CSTNode) -> None:
        self.positions.pop(name, None)
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "index":
            listed = self._eval(value.func.value)
            at = self._index(value, listed) if listed is not None else None
            if at is not None:
                self.positions[name] = at
        new = self._eval(value)
        if self.conditional and new is not None:
            old = self._lookup(name) if self._defined(name) else []
            if old is None or not all(any(n is o for n in new) for o in old):
                new = None  # a conditional rebuild that may drop entries
            else:
                new = [i if any(i is o for o in old) else replace(i, conditional=True) for i in new]
        elif self.conditional:
            new = None
        self.out.assigned.add(name)
        self._set(name, new, stmt)

    def _call(self, call: cst.Call, stmt: cst.CSTNode) -> None:
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in MUTATORS):
            return
        name = func.value.value
        if not self._defined(name):
            return
        items = self._lookup(name)
        method = func.attr.value
        args = [a.value for a in call.args]
        if items is None:
            return
        items = list(items)
        if method == "append" and len(args) == 1:
            items.append(self._item(args[0], conditional=True if self.conditional else False))
        elif method == "extend" and len(args) == 1:
            added = self._eval(args[0])
            items = items + (self._mark(added) if added is not None else [Item(None, args[0], True)])
        elif method == "insert" and len(args) == 2:
            at = self._index(args[0], items)
            if at is None:
                items = None
            else:
                items.insert(at, self._item(args[1], conditional=self.conditional))
        elif method == "remove" and len(args) == 1:
            gone = self._item(args[0])
            if gone.name is None:
                items = None
            elif not self.conditional:
                hit = next((k for k, i in enumerate(items) if i.name == gone.name), None)
                if hit is not None:
                    del items[hit]
        else:
            items = None
        self._set(name, items, stmt)

    # -- values --------------------------------------------------------------------------
    def _set(self, name: str, items: list[Item] | None, stmt: cst.CSTNode) -> None:
        self.out.values[name] = items
        self.out.final[name] = stmt
        self.out.via_star.pop(name, None)

    def _defined(self, name: str) -> bool:
        return name in self.out.values or name in self.imported or self.out.opaque

    def _lookup(self, name: str) -> list[Item] | None:
        if name in self.out.values:
            return self.out.values[name]
        if name in self.imported:
            module, original = self.imported[name]
            other = walk_path(self.ctx, module, self.seen)
            got = other.values.get(original) if other is not None else None
            return None if got is None else [replace(i, node=None) for i in got]
        return None

    def _mark(self, items: list[Item]) -> list[Item]:
        return [replace(i, conditional=True) for i in items] if self.conditional else items

    def _item(self, node: cst.BaseExpression, conditional: bool = False) -> Item:
        text = self.ctx.evaluate(node).str_value() if not isinstance(node, cst.SimpleString) else node.evaluated_value
        if isinstance(text, bytes):
            text = None
        return Item(text, node, conditional)

    def _eval(self, node: cst.BaseExpression) -> list[Item] | None:
        if isinstance(node, (cst.List, cst.Tuple)):
            out: list[Item] = []
            for el in node.elements:
                if isinstance(el, cst.StarredElement):
                    inner = self._eval(el.value)
                    # unknown entries in between keep the others' order
                    out.extend(inner if inner is not None else [Item(None, el.value, self.conditional)])
                else:
                    out.append(self._item(el.value, self.conditional))
            return out
        if isinstance(node, cst.Name):
            return self._lookup(node.value)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left, right = self._eval(node.left), self._eval(node.right)
            return None if left is None or right is None else left + right
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("list", "tuple") and len(node.args) == 1:
            return self._eval(node.args[0].value)
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
            return self._slice(node)
        if isinstance(node, cst.ListComp):
            return self._filtered(node)
        return None

    def _slice(self, node: cst.Subscript) -> list[Item] | None:
        """``MIDDLEWARE[1:]``: the entries a constant slice keeps."""
        items = self._eval(node.value)
        sl = node.slice[0].slice
        bounds = []
        for part in (sl.lower, sl.upper, sl.step):
            if part is None:
                bounds.append(None)
                continue
            at = self._index(part, items or [])
            if at is None or isinstance(part, cst.Name):
                return None
            bounds.append(at)
        return None if items is None else list(items)[slice(*bounds)]

    def _filtered(self, node: cst.ListComp) -> list[Item] | None:
        """``[m for m in MIDDLEWARE if "Cors" not in m]``: the entries for
        which the condition holds, when it can be decided for each one."""
        loop = node.for_in
        if loop.inner_for_in is not None or not isinstance(loop.target, cst.Name) or not isinstance(node.elt, cst.Name):
            return None
        if node.elt.value != loop.target.value or len(loop.ifs) > 1:
            return None
        items = self._eval(loop.iter)
        if items is None:
            return None
        if not loop.ifs:
            return list(items)
        kept = []
        for item in items:
            if item.name is None:
                return None
            holds = _decide(loop.ifs[0].test, loop.target.value, item.name)
            if holds is None:
                return None
            if holds:
                kept.append(item)
        return kept

    def _index(self, node: cst.BaseExpression, items: list[Item]) -> int | None:
        if isinstance(node, cst.Name):
            return self.positions.get(node.value)
        if isinstance(node, cst.Integer):
            return int(node.value, 0)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
            return -int(node.expression.value, 0)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.right, cst.Integer):
            base = self._index(node.left, items)
            if base is None:
                return None
            step = int(node.right.value, 0)
            if isinstance(node.operator, cst.Add):
                return base + step
            if isinstance(node.operator, cst.Subtract):
                return base - step
            return None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "index" and len(node.args) == 1:
            wanted = self._item(node.args[0].value).name
            hit = next((k for k, i in enumerate(items) if wanted is not None and i.name == wanted), None)
            return hit
        return None


def _literal(node: cst.BaseExpression):
    """A string, or a list/tuple/set of strings, written literally; else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        values = [_literal(el.value) for el in node.elements]
        return None if any(not isinstance(v, str) for v in values) else tuple(values)
    return None


def _decide(test: cst.BaseExpression, var: str, value: str) -> bool | None:
    """Whether ``test`` holds when the loop variable ``var`` is ``value``:
    ``in``/``not in``/``==``/``!=`` against literals, ``startswith``/
    ``endswith``, ``not``, ``and``/``or``.  None when it cannot be decided."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _decide(test.expression, var, value)
        return None if inner is None else not inner
    if isinstance(test, cst.BooleanOperation):
        left, right = _decide(test.left, var, value), _decide(test.right, var, value)
        if left is None or right is None:
            return None
        return (left and right) if isinstance(test.operator, cst.And) else (left or right)
    if isinstance(test, cst.Call) and isinstance(test.func, cst.Attribute) and test.func.attr.value in ("startswith", "endswith"):
        if not (isinstance(test.func.value, cst.Name) and test.func.value.value == var) or len(test.args) != 1:
            return None
        affix = _literal(test.args[0].value)
        if affix is None:
            return None
        return getattr(value, test.func.attr.value)(affix if isinstance(affix, str) else tuple(affix))
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        op = test.comparisons[0].operator
        right_node = test.comparisons[0].comparator
        is_var = lambda n: isinstance(n, cst.Name) and n.value == var  # noqa: E731
        if is_var(test.left):
            other, var_left = _literal(right_node), True
        elif is_var(right_node):
            other, var_left = _literal(test.left), False
        else:
            return None
        if other is None:
            return None
        if isinstance(op, (cst.Equal, cst.NotEqual)):
            return (value == other) == isinstance(op, cst.Equal)
        if isinstance(op, (cst.In, cst.NotIn)):
            if var_left:  # m in ("a", "b") / m in "a b"
                found = value in other
            elif isinstance(other, str):  # "Cors" in m
                found = other in value
            else:
                return None
            return found == isinstance(op, cst.In)
    return None


def _names_in(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for el in target.elements for n in _names_in(el.value)]
    return []


def _changed_names(stmt: cst.CSTNode, limit: int = 2000, inside_functions: bool = False) -> dict[str, bool]:
    """Names a compound statement assigns, extends or mutates, each with
    whether it is only appended to (``append``/``extend``/``+=``)."""
    out: dict[str, bool] = {}

    def note(name: str, appends_only: bool) -> None:
        out[name] = out.get(name, True) and appends_only

    stack = [stmt]
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        if isinstance(node, cst.Assign):
            for t in node.targets:
                for name in _names_in(t.target):
                    note(name, False)
        elif isinstance(node, cst.AugAssign):
            for name in _names_in(node.target):
                note(name, isinstance(node.operator, cst.AddAssign))
        elif isinstance(node, (cst.AnnAssign, cst.For)):
            for name in _names_in(node.target):
                note(name, False)
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name) and node.func.attr.value in MUTATORS:
            note(node.func.value.value, node.func.attr.value in ("append", "extend"))
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and not (inside_functions and node is stmt):
            continue
        stack.extend(iter_children(node))
    if seen >= limit:
        return {name: False for name in out}
    return out
