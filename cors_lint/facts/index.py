"""One pass over a parsed module that indexes what the facts layer needs.

The walk records, in source order: imports, assignments per function (with
the conditions that hold where they happen), return values, calls, subscript
and attribute assignments, dict and tuple literals, classes and functions.
Everything later (value evaluation, header writes, library policies) reads
this index; nothing walks the tree again.

Guards are tracked as a stack of ``RawGuard``: the test of every enclosing
``if`` (with the branch taken), plus the negated test of every earlier
``if ...: return/raise/abort()`` in an enclosing block, plus ``assert``s.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import libcst as cst

from .imports import ImportTable, dotted_name

EXIT_CALLS = {"abort", "exit", "sys.exit", "os._exit", "flask.abort", "quart.abort", "bottle.abort"}

# Reads that can mean "this code looks at the caller's cookies or session"
# (judged by facts/websocket_endpoints.py): ``ws.cookies``, ``ws.session``,
# ``scope["user"]``, ``headers["Cookie"]``, Flask's ``session`` and
# Flask-Login's ``current_user``.  Recorded during the one walk, so finding
# them costs no second pass.
CREDENTIAL_ATTRIBUTES = frozenset({"cookies", "session", "user", "COOKIES"})
CREDENTIAL_KEYS = frozenset({"session", "user", "cookie", "cookies", "http_cookie"})
CREDENTIAL_NAMES = frozenset({"session", "current_user"})


def string_key(node: cst.SimpleString) -> str:
    """The lower-cased text of a string literal used as a key."""
    try:
        value = node.evaluated_value
    except Exception:  # malformed escapes: libcst accepted what Python would not
        return ""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value.lower() if isinstance(value, str) else ""


@dataclass(frozen=True)
class RawGuard:
    test: cst.BaseExpression
    polarity: bool  # True: the test holds; False: it does not
    order: int  # visit order of the test


@dataclass
class Assignment:
    name: str
    value: cst.BaseExpression | None
    order: int
    guards: tuple[RawGuard, ...]
    kind: str = "assign"  # assign | aug | for | with | param | walrus | import | def | unpack
    node: cst.CSTNode | None = None
    position: int = 0  # for "unpack": which element of ``value`` this name receives


@dataclass
class Site:
    node: cst.CSTNode
    scope: "Scope"
    guards: tuple[RawGuard, ...]
    order: int


@dataclass
class Scope:
    """A function (or the module, or a class body)."""

    name: str
    qualname: str
    kind: str  # module | function | class
    node: cst.CSTNode
    parent: "Scope | None" = None
    class_name: str | None = None  # enclosing class, for methods
    params: list[cst.Param] = field(default_factory=list)
    assignments: dict[str, list[Assignment]] = field(default_factory=dict)
    returns: list[Site] = field(default_factory=list)
    globals_: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.qualname

    @property
    def in_class(self) -> bool:
        """Defined directly in a class body (nested functions are not)."""
        return self.kind == "function" and self.parent is not None and self.parent.kind == "class"

    @property
    def is_method(self) -> bool:
        """Called with an implicit first argument (self or cls): defined in a
        class and not a ``@staticmethod``."""
        if not self.in_class:
            return False
        for dec in getattr(self.node, "decorators", ()):
            d = dec.decorator
            if isinstance(d, cst.Name) and d.value == "staticmethod":
                return False
        return True

    def param_names(self) -> list[str]:
        return [p.name.value for p in self.params]

    def call_param_names(self) -> list[str]:
        """The parameters a call's arguments fill (``self``/``cls`` dropped
        for methods)."""
        names = self.param_names()
        return names[1:] if self.is_method and names and names[0] in ("self", "cls") else names


@dataclass
class ClassInfo:
    name: str
    node: cst.ClassDef
    bases: list[cst.BaseExpression]
    methods: dict[str, Scope] = field(default_factory=dict)


def _case_values(pattern: cst.MatchPattern) -> list[cst.BaseExpression]:
    """The literal values of ``case "a"`` / ``case "a" | "b"``, else []."""
    if isinstance(pattern, cst.MatchValue):
        return [pattern.value]
    if isinstance(pattern, cst.MatchOr):
        values = []
        for element in pattern.patterns:
            inner = _case_values(element.pattern)
            if not inner:
                return []
            values.extend(inner)
        return values
    return []


def _always_exits(block: cst.BaseSuite) -> bool:
    if isinstance(block, cst.SimpleStatementSuite):
        stmts = block.body
        last = stmts[-1] if stmts else None
    else:
        body = block.body
        if not body:
            return False
        last_stmt = body[-1]
        if isinstance(last_stmt, cst.SimpleStatementLine):
            last = last_stmt.body[-1] if last_stmt.body else None
        elif isinstance(last_stmt, cst.If):
            return (
                _always_exits(last_stmt.body)
                and last_stmt.orelse is not None
                and _always_exits(last_stmt.orelse.body if isinstance(last_stmt.orelse, cst.Else) else cst.IndentedBlock(body=[last_stmt.orelse]))
            )
        else:
            return False
    if isinstance(last, (cst.Return, cst.Raise, cst.Continue, cst.Break)):
        return True
    if isinstance(last, cst.Expr) and isinstance(last.value, cst.Call):
        name = dotted_name(last.value.func) or ""
        return name in EXIT_CALLS or name.split(".")[-1] == "abort"
    return False


_SKIP_FIELDS = {"lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header", "footer", "newline", "trailing_whitespace", "indent", "operator", "star", "equal", "colon", "dot", "asynchronous", "whitespace_before_indent"}
_child_fields_cache: dict[type, tuple[str, ...]] = {}


def _child_fields(tp: type) -> tuple[str, ...]:
    names = _child_fields_cache.get(tp)
    if names is None:
        names = tuple(
            f.name for f in dataclasses.fields(tp) if f.name not in _SKIP_FIELDS and "whitespace" not in f.name
        )
        _child_fields_cache[tp] = names
    return names


_node_types: dict[type, bool] = {}
_BLOCKS = frozenset({cst.IndentedBlock, cst.SimpleStatementSuite, cst.Module})


def _is_node(value: object) -> bool:
    """``isinstance(value, cst.CSTNode)`` by a dict lookup: CSTNode is an
    ABC, and ABC instance checks were a quarter of the index walk."""
    tp = type(value)
    known = _node_types.get(tp)
    if known is None:
        known = _node_types[tp] = issubclass(tp, cst.CSTNode)
    return known


def iter_children(node: cst.CSTNode):
    """Syntax children in field order, without whitespace and punctuation.

    Walking dataclass fields directly is ~9x faster than libcst's visitor
    machinery, which rebuilds every node it passes."""
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if _is_node(value):
            yield value
        elif type(value) in (list, tuple):
            for item in value:
                if _is_node(item):
                    yield item


class ModuleIndex:
    """Build with ``ModuleIndex.build(module)``.

    The walk dispatches to ``visit_<NodeType>`` / ``leave_<NodeType>``
    methods like a libcst visitor, but over the fields directly (see
    ``iter_children``)."""

    _visit_table: dict[type, object] = {}
    _leave_table: dict[type, object] = {}

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.imports = ImportTable()
        self.module_scope = Scope("<module>", "<module>", "module", module)
        self.scopes: list[Scope] = [self.module_scope]
        self.functions: dict[str, list[Scope]] = {}  # plain name -> scopes (module functions and methods)
        self.classes: dict[str, ClassInfo] = {}
        self.class_scopes: list[Scope] = []
        self.calls: list[Site] = []
        self.subscript_assigns: list[Site] = []  # Assign/AugAssign nodes with a Subscript target
        self.attribute_assigns: list[Site] = []  # Assign nodes with an Attribute target
        self.dicts: list[Site] = []
        self.tuples: list[Site] = []
        self.raises: list[Site] = []  # raise statements (a bare "raise PermissionDenied" is no call)
        self.strings_with_headers: list[Site] = []
        self.parents: dict[int, cst.CSTNode] = {}
        self.names_compared: set[str] = set()  # names read inside comparisons/asserts
        self.credential_reads: list[Site] = []  # see CREDENTIAL_ATTRIBUTES
        # ids of the scope nodes (module, classes, functions) with a name or
        # a plain string in them that looks like the Origin or Referer
        # header (``origin``, ``HTTP_REFERER``): ``mentions_origin`` asks
        self.origin_mentions: set[int] = set()
        self._order = 0
        self._stack: list[cst.CSTNode] = []
        self._guards: list[RawGuard] = []
        self._frames: list[int] = []  # guard-stack heights at block entry
        self._saved_guards: list[tuple[list[RawGuard], list[int]]] = []
        self._class_stack: list[ClassInfo] = []
        self._compare_depth = 0
        self._synthetic: dict[int, cst.Comparison] = {}  # match cases as membership tests

    @classmethod
    def build(cls, module: cst.Module) -> "ModuleIndex":
        if not cls._visit_table:
            for attr in dir(cls):
                for prefix, table in (("visit_", cls._visit_table), ("leave_", cls._leave_table)):
                    if attr.startswith(prefix):
                        node_type = getattr(cst, attr[len(prefix):], None)
                        if isinstance(node_type, type):
                            table[node_type] = getattr(cls, attr)
        index = cls(module)
        index._walk(module)
        return index

    def _walk(self, root: cst.CSTNode) -> None:
        """Depth-first, in source order, without recursion: generated code
        nests thousands of levels deep (long ``a + b + ...`` chains).

        The loop is ``on_visit``/``on_leave`` and ``iter_children`` written
        out in place, with the tables in local names: it runs once per node
        of every analysed file, and the calls cost as much as the work."""
        visit_table = self._visit_table
        leave_table = self._leave_table
        fields_cache = _child_fields_cache
        node_types = _node_types
        parents = self.parents
        stack = self._stack
        blocks = _BLOCKS
        If, MatchCase = cst.If, cst.MatchCase
        Name, SimpleString = cst.Name, cst.SimpleString
        mentions = self.origin_mentions
        scopes = self.scopes
        todo: list[tuple[cst.CSTNode, bool]] = [(root, False)]
        pop, push = todo.pop, todo.append
        while todo:
            node, leaving = pop()
            tp = type(node)
            if leaving:
                leave = leave_table.get(tp)
                if leave is not None:
                    leave(self, node)
                # on_leave
                stack.pop()
                if tp in blocks:
                    del self._guards[self._frames.pop() :]
                if stack:
                    parent = stack[-1]
                    parent_type = type(parent)
                    if parent_type is If and (node is parent.body or node is parent.orelse):
                        self._guards.pop()
                    elif parent_type is MatchCase and node is parent.body:
                        guards = self._guards
                        del guards[len(guards) - len(self._case_guards(parent)) :]
                continue
            # on_visit
            self._order += 1
            if stack:
                parent = stack[-1]
                parents[id(node)] = parent
                # exact type tests: libcst's node classes are ABCs, and ABC
                # isinstance checks on every node cost more than the walk itself
                parent_type = type(parent)
                if parent_type is If:
                    if node is parent.body:
                        self._guards.append(RawGuard(parent.test, True, self._order))
                    elif node is parent.orelse:
                        self._guards.append(RawGuard(parent.test, False, self._order))
                elif parent_type is MatchCase and node is parent.body:
                    self._guards.extend(self._case_guards(parent))
            if tp in blocks:
                self._frames.append(len(self._guards))
            stack.append(node)
            visit = visit_table.get(tp)
            if visit is not None:
                visit(self, node)
            if tp is Name or tp is SimpleString:
                low = node.value.lower()
                if ("origin" in low or "refer" in low) and id(scopes[-1].node) not in mentions:
                    mentions.update(id(scope.node) for scope in scopes)
            push((node, True))
            # iter_children, reversed onto the stack
            names = fields_cache.get(tp)
            if names is None:
                names = _child_fields(tp)
            children = []
            for name in names:
                value = getattr(node, name)
                value_type = type(value)
                if value_type is list or value_type is tuple:
                    for item in value:
                        known = node_types.get(type(item))
                        if known is None:
                            known = _is_node(item)
                        if known:
                            children.append((item, False))
                else:
                    known = node_types.get(value_type)
                    if known is None:
                        known = _is_node(value)
                    if known:
                        children.append((value, False))
            children.reverse()
            todo.extend(children)

    # -- helpers ---------------------------------------------------------
    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    def _site(self, node: cst.CSTNode) -> Site:
        return Site(node, self.scope, tuple(self._guards), self._order)

    def _bind(self, name: str, value: cst.BaseExpression | None, kind: str, node: cst.CSTNode | None = None, position: int = 0) -> None:
        scope = self.scope
        if name in scope.globals_:
            scope = self.module_scope
        scope.assignments.setdefault(name, []).append(
            Assignment(name, value, self._order, tuple(self._guards), kind, node, position)
        )

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None, kind: str) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, value, kind, target)
        elif isinstance(target, (cst.Tuple, cst.List)):
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(target.elements):
                for elt, val in zip(target.elements, value.elements):
                    self._bind_target(elt.value, val.value, kind)
                return
            for position, elt in enumerate(target.elements):
                if value is not None and kind == "assign" and isinstance(elt.value, cst.Name) and not isinstance(elt, cst.StarredElement):
                    # "code, origin = check(headers)": element ``position`` of the value
                    self._bind(elt.value.value, value, "unpack", elt.value, position)
                else:
                    self._bind_target(elt.value, None, "other")

    def _case_guards(self, case: cst.MatchCase) -> list[RawGuard]:
        """``case "a" | "b":`` holds ``subject in ("a", "b")`` (a test built
        here, in the shape an ``if`` would have); ``case ... if cond:`` holds
        ``cond``.  Capture patterns and classes test nothing we model."""
        out = []
        match = self._stack[-2] if len(self._stack) >= 2 and isinstance(self._stack[-2], cst.Match) else self._match_of(case)
        values = _case_values(case.pattern)
        if match is not None and values:
            test = cst.Comparison(
                match.subject,
                [cst.ComparisonTarget(cst.In(), cst.Tuple([cst.Element(v) for v in values]))],
            )
            self._synthetic.setdefault(id(case), test)
            out.append(RawGuard(self._synthetic[id(case)], True, self._order))
        if case.guard is not None:
            out.append(RawGuard(case.guard, True, self._order))
        return out

    def _match_of(self, case: cst.MatchCase) -> cst.Match | None:
        for node in reversed(self._stack):
            if isinstance(node, cst.Match) and case in node.cases:
                return node
        return None

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(id(node))

    def decorated_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        """The function ``node`` decorates when it is a decorator's
        expression (``@cors(...)`` above a ``def``), else None."""
        decorator = self.parent(node)
        function = self.parent(decorator) if isinstance(decorator, cst.Decorator) else None
        return function if isinstance(function, cst.FunctionDef) else None

    def ancestors(self, node: cst.CSTNode):
        current = self.parents.get(id(node))
        while current is not None:
            yield current
            current = self.parents.get(id(current))

    # -- generic hooks -----------------------------------------------------
    # The generic hooks, as _walk runs them (kept for readers and subclasses
    # of the walk; _walk has them written out in place).
    def on_visit(self, node: cst.CSTNode) -> bool:
        self._order += 1
        parent = self._stack[-1] if self._stack else None
        if parent is not None:
            self.parents[id(node)] = parent
            # exact type tests: libcst's node classes are ABCs, and ABC
            # isinstance checks on every node cost more than the walk itself
            parent_type = type(parent)
            if parent_type is cst.If:
                if node is parent.body:
                    self._guards.append(RawGuard(parent.test, True, self._order))
                elif node is parent.orelse:
                    self._guards.append(RawGuard(parent.test, False, self._order))
            elif parent_type is cst.MatchCase and node is parent.body:
                self._guards.extend(self._case_guards(parent))
        if type(node) in _BLOCKS:
            self._frames.append(len(self._guards))
        self._stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self._stack.pop()
        if type(original_node) in _BLOCKS:
            height = self._frames.pop()
            del self._guards[height:]
        parent = self._stack[-1] if self._stack else None
        parent_type = type(parent)
        if parent_type is cst.If and (original_node is parent.body or original_node is parent.orelse):
            self._guards.pop()
        elif parent_type is cst.MatchCase and original_node is parent.body:
            del self._guards[len(self._guards) - len(self._case_guards(parent)) :]

    # -- scopes ------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        outer = self.scope
        cls = self._class_stack[-1] if self._class_stack and outer.kind == "class" else None
        qual = f"{outer.qualname}.{node.name.value}" if outer.kind != "module" else node.name.value
        scope = Scope(node.name.value, qual, "function", node, outer, cls.name if cls else outer.class_name)
        params = node.params
        scope.params = [*params.posonly_params, *params.params, *params.kwonly_params]
        for extra in (params.star_arg, params.star_kwarg):
            if isinstance(extra, cst.Param):
                scope.params.append(extra)
        self._bind(node.name.value, None, "def", node)
        self.functions.setdefault(node.name.value, []).append(scope)
        if cls is not None:
            cls.methods[node.name.value] = scope
        self.scopes.append(scope)
        # guards outside a def do not dominate code inside it
        self._saved_guards.append((self._guards, self._frames))
        # A function defined inside another is only defined where the outer
        # conditions hold (the ASGI "if origin not in ALLOWED: return" then
        # "async def send_with_cors(...)" shape): it inherits them.  A
        # module-level function or a method starts with none.
        inherited = list(self._guards) if outer.kind == "function" else []
        self._guards, self._frames = inherited, []
        for p in scope.params:
            scope.assignments.setdefault(p.name.value, []).append(
                Assignment(p.name.value, p.default, self._order, (), "param", p)
            )

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self._guards, self._frames = self._saved_guards.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        info = ClassInfo(node.name.value, node, [a.value for a in node.bases])
        self.classes[node.name.value] = info
        self._class_stack.append(info)
        outer = self.scope
        qual = f"{outer.qualname}.{node.name.value}" if outer.kind != "module" else node.name.value
        class_scope = Scope(node.name.value, qual, "class", node, outer, node.name.value)
        self.class_scopes.append(class_scope)
        self.scopes.append(class_scope)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._class_stack.pop()
        self.scopes.pop()

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.scope.globals_.add(item.name.value)

    # -- imports -------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self.imports.add_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.add_import_from(node)
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                local = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(local, cst.Name):
                    self._bind(local.value, None, "import", node)

    # -- control flow -------------------------------------------------------
    def leave_If(self, original_node: cst.If) -> None:
        parent = self._stack[-2] if len(self._stack) >= 2 else None
        if isinstance(parent, cst.If) and parent.orelse is original_node:
            return  # an elif: its exits are folded into the outer if's branches
        body_exits = _always_exits(original_node.body)
        orelse = original_node.orelse
        if isinstance(orelse, cst.Else):
            else_exits = _always_exits(orelse.body)
        elif isinstance(orelse, cst.If):
            else_exits = False
        else:
            else_exits = False
        if body_exits and not else_exits:
            self._guards.append(RawGuard(original_node.test, False, self._order))
        elif else_exits and not body_exits:
            self._guards.append(RawGuard(original_node.test, True, self._order))

    def visit_Assert(self, node: cst.Assert) -> None:
        self._compare_depth += 1

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self._compare_depth -= 1
        self._guards.append(RawGuard(original_node.test, True, self._order))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._compare_depth += 1

    def leave_Comparison(self, original_node: cst.Comparison) -> None:
        self._compare_depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        if self._compare_depth and not self._member_name(node):
            self.names_compared.add(node.value)
        if node.value in CREDENTIAL_NAMES:
            self.credential_reads.append(self._site(node))

    def _member_name(self, node: cst.Name) -> bool:
        """The ``headers`` of ``websocket.headers`` or a keyword's name:
        not a variable read (the walk pushes ``node`` before visiting it)."""
        parent = self._stack[-2] if len(self._stack) > 1 else None
        return (isinstance(parent, cst.Attribute) and parent.attr is node) or (isinstance(parent, cst.Arg) and parent.keyword is node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in CREDENTIAL_ATTRIBUTES:
            self.credential_reads.append(self._site(node))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) == 1:
            key = getattr(node.slice[0].slice, "value", None)
            if isinstance(key, cst.SimpleString) and string_key(key) in CREDENTIAL_KEYS:
                self.credential_reads.append(self._site(node))

    # -- bindings -------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            t = target.target
            self._bind_target(t, node.value, "assign")
            if isinstance(t, cst.Subscript):
                self.subscript_assigns.append(self._site(node))
            elif isinstance(t, cst.Attribute):
                self.attribute_assigns.append(self._site(node))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value, "assign")
            if isinstance(node.target, cst.Subscript):
                self.subscript_assigns.append(self._site(node))
            elif isinstance(node.target, cst.Attribute):
                self.attribute_assigns.append(self._site(node))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self._bind(node.target.value, node.value, "aug", node)
        elif isinstance(node.target, cst.Subscript):
            self.subscript_assigns.append(self._site(node))

    def visit_For(self, node: cst.For) -> None:
        target = node.target
        if isinstance(target, (cst.Tuple, cst.List)) and all(isinstance(e.value, cst.Name) for e in target.elements):
            # "for key, value in scope['headers']": each name is one element
            # of the items iterated (judged in dataflow, kind "for-item")
            for position, element in enumerate(target.elements):
                self._bind(element.value.value, node.iter, "for-item", element.value, position)
            return
        self._bind_target(node.target, None, "for")
        # remember the iterable for "for o in ALLOWED" style loops
        if isinstance(node.target, cst.Name):
            bound = self.scope.assignments.get(node.target.value)
            if bound:
                bound[-1].value = node.iter

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, node.item, "with")

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if isinstance(node.target, cst.Name):
            self._bind(node.target.value, node.value, "walrus", node)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.scope.returns.append(self._site(node))

    # -- sites -----------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(self._site(node))
        if self.scope.kind == "module":
            self._list_mutation(node)

    def _list_mutation(self, node: cst.Call) -> None:
        """``ORIGINS.append(x)`` / ``.extend(xs)`` / ``.insert(i, x)`` as a
        statement at module level (also in ``if`` blocks): recorded like
        ``ORIGINS += [x]``, so settings built up step by step are seen."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in ("append", "extend", "insert")):
            return
        name = func.value.value
        if name not in self.scope.assignments or not isinstance(self.parent(node), cst.Expr):
            return
        args = [a.value for a in node.args if a.keyword is None and not a.star]
        if func.attr.value == "extend" and len(args) == 1:
            value: cst.BaseExpression = args[0]
        elif func.attr.value == "append" and len(args) == 1:
            value = cst.List([cst.Element(args[0])])
        elif func.attr.value == "insert" and len(args) == 2:
            value = cst.List([cst.Element(args[1])])
        else:
            return
        self._bind(name, value, "aug", node)

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is not None:
            self.raises.append(self._site(node))

    def visit_Dict(self, node: cst.Dict) -> None:
        self.dicts.append(self._site(node))

    def visit_Tuple(self, node: cst.Tuple) -> None:
        if len(node.elements) >= 2:
            first = node.elements[0].value
            if isinstance(first, (cst.SimpleString, cst.Name, cst.Attribute, cst.ConcatenatedString)):
                self.tuples.append(self._site(node))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "ccess-control-" in node.value.lower() and ":" in node.value:
            self.strings_with_headers.append(self._site(node))
