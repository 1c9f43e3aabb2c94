"""The names a module binds, read from Python's own ``ast`` (no libcst).

In standalone mode the analysis of one file asks other project modules
about one name at a time: the value of a constant it imports from there,
or a helper function it calls.  Most answers are "nothing": the imported
name is a class or a function, or the called name is a class.  Parsing the
other module with libcst and indexing it (eight to ten times the cost of
Python's own parser) only to learn that made the sibling modules cost more
than the file being linted.  An ``Outline`` answers the questions about
constants from the names the module binds, anywhere in it, the way the
full index would answer them (whether a module defines a function at all
is read from its text, ``defined_functions``); every other question still
loads the module whole (``Project.context``).

Each question is answered conservatively: a binding the outline cannot
place (any assignment, import, parameter, ``global``, match capture, list
mutation, in any scope) makes it say "ask the full analysis".
"""

from __future__ import annotations

import ast
import bisect
import builtins
import re

#: ``NAME.append(x)`` at module level extends ``NAME`` as an assignment
#: would (``facts/index.py``, ``_list_mutation``)
_MUTATORS = frozenset({"append", "extend", "insert"})


class Outline:
    """Who binds which name in one module."""

    __slots__ = ("star", "top_defs", "other", "stores", "unusual", "literals", "_defs", "_returns", "_by_function", "_imports", "_methods")

    def __init__(self, tree: ast.Module) -> None:
        self.star = False  # an ``import *`` anywhere: names may come from elsewhere
        self.top_defs: dict[str, int] = {}  # top-level ``def``/``class`` statements per name
        self.stores: dict[str, int] = {}  # plain name targets (``NAME = ...``, ``for NAME``, ``del NAME``), any scope
        # names bound any other way: imports, parameters, ``global``,
        # ``except ... as``, match captures, nested defs and classes, list
        # mutations
        self.unusual: set[str] = set()
        # top-level statements "NAME = <literal>" (one target, nothing but constants in the value)
        self.literals: dict[str, ast.stmt] = {}
        for stmt in tree.body:
            found = _literal_target(stmt)
            if found is not None:
                self.literals[found[0]] = (stmt, found[1])
        top = {id(s) for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        unusual = self.unusual
        stores = self.stores
        # where each def and each return statement is (and the value
        # returned), to answer ``function_returns`` when it is asked; not
        # the nodes themselves, which would keep the module's tree alive
        self._defs: list[tuple] = []  # (start, end, name, top-level?, method?)
        self._returns: list[tuple] = []  # (start, shape of the value)
        self._by_function: dict[str, list] | None = None
        self._imports = AstImports()
        self._methods: set[int] = set()  # ids of the functions written directly in a class body
        for node in ast.walk(tree):
            kind = type(node)
            if kind is ast.Name:
                if not isinstance(node.ctx, ast.Load):
                    stores[node.id] = stores.get(node.id, 0) + 1
            elif kind is ast.Return:
                self._returns.append(((node.lineno, node.col_offset), shape(node.value)))
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef:
                if kind is not ast.ClassDef:
                    start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
                    self._defs.append((start, end, node.name, id(node) in top, id(node) in self._methods))
                else:  # visited before its body (ast.walk goes breadth first)
                    self._methods.update(id(item) for item in node.body if type(item) in _FUNCTIONS)
                if id(node) in top:
                    self.top_defs[node.name] = self.top_defs.get(node.name, 0) + 1
                else:
                    unusual.add(node.name)
            elif kind is ast.Attribute:
                if node.attr in _MUTATORS and type(node.value) is ast.Name:
                    unusual.add(node.value.id)
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._imports.add(node)
            elif kind is ast.alias:
                if node.name == "*":
                    self.star = True
                else:
                    unusual.add(node.asname or node.name.split(".")[0])
            elif kind is ast.arg:
                unusual.add(node.arg)
            elif kind is ast.Global or kind is ast.Nonlocal:
                unusual.update(node.names)
            else:
                # except ... as name, match captures (name, *rest, **rest),
                # type parameters (3.12)
                for field in ("name", "rest"):
                    value = getattr(node, field, None)
                    if isinstance(value, str):
                        unusual.add(value)
        #: bound by anything but a top-level def or class
        self.other = unusual | set(stores)

    def constant_is_unknown(self, name: str) -> bool:
        """Would the module's value of ``name`` be unknown whatever its
        code says?  True when nothing can bring the name in from elsewhere
        (no ``import *``) and it is bound at most once, by a top-level
        ``def`` or ``class`` (a function's value is unknown; a class binds
        no value) and by nothing else."""
        return not self.star and name not in self.other and self.top_defs.get(name, 0) <= 1

    def literal_binding(self, name: str) -> ast.stmt | None:
        """The one statement that gives ``name`` its value, when that is
        all the module does with the name: a top-level ``NAME = <literal>``
        (constants, and lists, tuples, sets and dicts of them), no other
        binding of the name anywhere, no ``import *``.  Its value is then
        the literal's, whatever the rest of the module holds."""
        entry = self.literals.get(name)
        if entry is None or self.star or self.top_defs.get(name) or name in self.unusual or self.stores.get(name) != 1:
            return None
        stmt, builtins_used = entry
        if any(b in self.other or b in self.top_defs for b in builtins_used):
            return None  # a builtin's name the module binds itself: its value is the module's
        return stmt


    def function_returns(self, name: str) -> list | None:
        """The shapes (``shape``) of the values of the return statements of the top-level function ``name``, those in
        functions nested in it left out: what the full index lists as that
        function's own returns.  None unless one top-level ``def`` is all
        that binds the name (a second ``def``, an assignment, an import or
        an ``import *`` could make the function another one)."""
        if self.star or name in self.other or self.top_defs.get(name) != 1:
            return None
        if self._by_function is None:
            self._by_function = self._own_returns()
        return self._by_function.get(name)

    def _own_returns(self) -> dict[str, list]:
        """Each return statement goes to the innermost ``def`` around it
        (definitions nest, so the innermost is the one that starts last
        among those that contain it); kept for top-level functions only."""
        defs = sorted(self._defs)
        functions = {name for _, _, name, _, method in defs if not method}
        starts = [d[0] for d in defs]
        out: dict[str, list] = {name: [] for _, _, name, is_top, _ in defs if is_top}
        for at, value in sorted(self._returns, key=lambda r: r[0]):  # source order
            i = bisect.bisect_right(starts, at) - 1
            while i >= 0 and not at <= defs[i][1]:
                i -= 1
            if i >= 0 and defs[i][3]:
                if value is not None and value[0] == "call":
                    value = self._call_shape(value, functions)
                out[defs[i][2]].append(value)
        self._defs, self._returns, self._methods = [], [], set()  # answered: nothing else reads them
        return out


    def _call_shape(self, raw: tuple, functions: set[str]) -> tuple:
        """``("call", last name, qualified names, local?)``: the names the
        callee may stand for (``AstImports.qualify``), and whether it is a
        plain name this module defines as a function outside a class body
        (a function of the module answers for it first).  ``functions``:
        those names."""
        _, last, dotted = raw
        if dotted is None:
            return ("call", last, (), False)
        local = "." not in dotted and dotted in functions
        return ("call", last, tuple(sorted(self._imports.qualify(dotted))), local)


def shape(value: ast.expr | None) -> tuple | None:
    """What a returned value looks like, without keeping its nodes: None
    for a bare ``return``; ``("call", last name, dotted callee or None)``
    (``function_returns`` gives ``Outline._call_shape`` instead);
    ``("tuple", n)``; ``("dict",
    keys)`` with its plain string keys; else ``(type name,)``."""
    if value is None:
        return None
    kind = type(value)
    if kind is ast.Call:
        func = value.func
        last = func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else ""
        return ("call", last, dotted_name(func))
    if kind is ast.Tuple:
        return ("tuple", len(value.elts))
    if kind is ast.Dict:
        return ("dict", tuple(k.value for k in value.keys if type(k) is ast.Constant and isinstance(k.value, str)))
    return (kind.__name__,)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


class AstImports:
    """Local names to the qualified names they may stand for, from Python's
    tree, built exactly as ``facts.imports.ImportTable`` builds them from
    libcst's (every import, wherever it is; a name bound twice keeps both),
    so that a question asked here gets the answer the analysis would."""

    __slots__ = ("names",)

    def __init__(self) -> None:
        self.names: dict[str, set[str]] = {}

    def add(self, node: ast.Import | ast.ImportFrom) -> None:
        names = self.names
        if type(node) is ast.Import:
            for alias in node.names:
                if alias.asname:
                    names.setdefault(alias.asname, set()).add(alias.name)
                else:
                    top = alias.name.split(".")[0]
                    names.setdefault(top, set()).add(top)
            return
        base = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            qualified = f"{base}.{alias.name}" if base and not base.endswith(".") else f"{base}{alias.name}"
            names.setdefault(alias.asname or alias.name, set()).add(qualified)

    def qualify(self, dotted: str) -> set[str]:
        """``ImportTable.qualify``: an unimported name stands for itself."""
        head, _, rest = dotted.partition(".")
        bound = self.names.get(head)
        if not bound:
            return {dotted}
        return {f"{q}.{rest}" if rest else q for q in bound}


def split_qualified(qualified: str) -> tuple[str, str]:
    """``(module, name)`` of a qualified name, keeping a relative import's
    dots: ``pkg.ext.sock`` -> ``("pkg.ext", "sock")``, ``.ext.sock`` ->
    ``(".ext", "sock")``, and ``.sock`` (``from . import sock``) ->
    ``(".", "sock")``, the package's ``__init__``, where a plain
    ``rpartition`` would lose the dot.  An unqualified name has module ``""``.
    (Here, without libcst, for the screens that run before it is loaded;
    ``facts.imports`` re-exports it.)"""
    dots = len(qualified) - len(qualified.lstrip("."))
    module, _, name = qualified[dots:].rpartition(".")
    return "." * dots + module, name


def _literal_target(stmt: ast.stmt) -> tuple[str, set[str]] | None:
    """``NAME`` of a top-level ``NAME = <literal>`` / ``NAME: T = <literal>``
    written at the start of its line, and the builtins' names the literal
    uses (``unicode_type = str``); else None."""
    if stmt.col_offset != 0:
        return None
    if type(stmt) is ast.Assign and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
    elif type(stmt) is ast.AnnAssign and stmt.value is not None and stmt.simple:
        target, value = stmt.target, stmt.value
    else:
        return None
    if type(target) is not ast.Name:
        return None
    builtins_used: set[str] = set()
    if not _is_literal(value, builtins_used):
        return None
    return target.id, builtins_used


_CONTAINERS = (ast.List, ast.Tuple, ast.Set, ast.Dict)


#: names a module sees without binding them (``str``, ``len`` ...)
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))


def _is_literal(node: ast.expr, builtins_used: set[str]) -> bool:
    """Constants, containers of them, and builtins' names (collected in
    ``builtins_used``: the statement means the same alone only while the
    module binds none of them)."""
    todo = [node]
    while todo:
        node = todo.pop()
        kind = type(node)
        if kind is ast.Constant:
            continue
        if kind is ast.Name and node.id in _BUILTINS:
            builtins_used.add(node.id)
            continue
        if kind is ast.Dict:
            if any(k is None for k in node.keys):  # {**other}
                return False
            todo.extend(node.keys)
            todo.extend(node.values)
        elif kind in _CONTAINERS:
            todo.extend(node.elts)
        else:
            return False
    return True


#: ``def NAME`` (whitespace and backslash continuations between the two)
_DEF = re.compile(r"\bdef(?:[ \t\f]|\\(?:\r\n|\r|\n))+(\w+)")


def defined_functions(text: str) -> set[str]:
    """Every name that follows a ``def`` in ``text``: a superset of the
    module's functions (strings and comments may add names), each spelled
    as written, as libcst keeps it.  Meant for ASCII names: a ``\\w`` run
    stops before a combining mark, so a name holding one is cut short."""
    return set(_DEF.findall(text))
