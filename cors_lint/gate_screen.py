"""Can this module hold an origin gate?  Asked of Python's ``ast``, before
libcst parses anything.

A file can pass the byte pre-filter on its origin-gate markers alone: it
reads the ``Origin`` or ``Referer`` (or merely says ``"origin"``) and holds
a rejection marker somewhere (a ``403``, ``PermissionDenied``).  Such a file
can only ever yield origin gates (COR107, ``facts/origin_gates.py``): every
other fact starts from a marker it does not have.  Typing code says
``origin`` everywhere (``get_origin(tp)``), raster code keys dictionaries by
``"origin"``, test suites set ``HTTP_ORIGIN`` and assert 403s, and parsing
and indexing those files with libcst was a fifth of the time of a run over
installed packages (typing_extensions.py alone: 470 ms).

``may_hold_origin_gate`` answers from the ``ast`` tree the engine builds
anyway for its guards, and answers True whenever ``origin_gates`` could find
a gate, by asking for less than it does:

* a statement that rejects, as ``origin_gates._rejections`` lists them:
  ``raise``/``return``/an expression statement whose value is a call named
  in ``REJECTING_NAMES`` or ``STATUS_CALLS`` (their arguments are not
  read); ``return helper(...)`` where the helper can be a project function
  (a plain name, or a dotted name on an imported one); ``return body,
  <4xx>``; ``return {"status": <4xx>, ...}``; ``raise <rejecting name>``;
* in a function whose own text (decorators included) mentions ``origin`` or
  ``refer`` in any case, or that calls, by name or through ``self``/``cls``,
  a function of the module with a name of such a function.
  ``origin_gates`` asks the same of the names and strings in the function
  (``mentions_origin``); comments and docstrings only make this screen say
  yes more often.

Guards are not looked at: a rejection with no origin test around it is
still a yes here.
"""

from __future__ import annotations

import ast

from .outline import AstImports, dotted_name, split_qualified

#: exceptions and responses whose very name says "client error" (the
#: pre-filter passes an Origin read only beside one of these names, a status
#: name or a 4xx literal: tests/test_prefilter.py checks it knows them all)
REJECTING_NAMES = frozenset(
    {
        "PermissionDenied", "SuspiciousOperation", "DisallowedHost", "HttpResponseForbidden", "HttpResponseBadRequest",
        "HttpResponseNotAllowed", "Forbidden", "BadRequest", "Unauthorized", "HTTPForbidden", "HTTPBadRequest",
        "HTTPUnauthorized", "HTTPPreconditionFailed", "CSRFError", "CsrfError", "ValidationError", "NotAuthenticated",
        "PermissionError",
    }
)
#: callables that take a status code (first argument or ``status``/``status_code``/``code``)
STATUS_CALLS = frozenset(
    {
        "abort", "HTTPException", "HTTPError", "HTTPStatusError", "SanicException", "Response", "JSONResponse",
        "PlainTextResponse", "HTMLResponse", "HttpResponse", "JsonResponse", "json_response", "make_response",
        "send_error", "set_status", "send_response", "HTTPResponse", "json", "text", "error",
    }
)
STATUS_KEYWORDS = ("status", "status_code", "code")
#: names of a client-error status (``HTTPStatus.FORBIDDEN``); ``HTTP_4xx_*`` too
CLIENT_ERROR_NAMES = ("FORBIDDEN", "BAD_REQUEST", "UNAUTHORIZED", "PRECONDITION_FAILED")
#: how many helpers deep a rejection is followed (``return forbidden()``
#: whose ``forbidden`` returns ``respond(403)`` ...)
HELPER_DEPTH = 3
#: keys of a response dict that hold the status (Lambda proxy integrations,
#: Chalice-style dicts, hand-rolled ASGI/WSGI helpers)
STATUS_KEYS = frozenset({"statusCode", "status_code", "status", "code"})

_MARKERS = ("origin", "refer")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def may_hold_origin_gate(tree: ast.Module, lines: list[str], helper=None) -> bool:
    """``lines``: the module's text split as Python numbers its lines
    (``lines.physical_lines``); ``helper``: ``helper_judge`` of the
    project, None when there is none (one file alone: only this module's
    functions can be helpers)."""
    return any(True for _ in gate_candidates(tree, lines, helper))


def gate_candidates(tree: ast.Module, lines: list[str], helper=None):
    """The statements that may reject in functions that may test the
    origin (``may_hold_origin_gate`` is whether there is one)."""
    functions: list[ast.AST] = []
    statements: list[tuple[ast.AST, ast.AST]] = []  # (innermost function, statement)
    imports = AstImports()
    methods: set[int] = set()
    _collect(tree, functions, statements, imports, methods)
    local = _LocalHelpers(functions, statements, methods, imports, helper)
    rejecting = [(f, stmt) for f, stmt in statements if _may_reject_here(stmt, imports, local, helper)]
    if not rejecting:
        return
    relevant = _relevant(functions, lines)
    for function, stmt in rejecting:
        if id(function) in relevant:
            yield stmt


def _collect(tree: ast.Module, functions: list, statements: list, imports: AstImports, methods: set[int]) -> None:
    """Every function, every statement that may reject (with its innermost
    scope, when that is a function), the imports, and the functions written
    directly in a class body.

    All of these are statements, and statements sit only in the blocks of
    other statements (a lambda's body or a comprehension holds none), so
    the walk descends through blocks alone and never into an expression:
    a tenth of the nodes, in the order a walk of every node meets them."""
    todo: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
    while todo:
        node, scope = todo.pop()
        kind = type(node)
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            functions.append(node)
            scope = node
        elif kind is ast.ClassDef:
            scope = None  # a class body is no function's: its statements gate nothing
            methods.update(id(item) for item in node.body if type(item) in _FUNCTIONS)
        elif kind is ast.Import or kind is ast.ImportFrom:
            imports.add(node)
        elif scope is not None and (kind is ast.Raise or kind is ast.Return or kind is ast.Expr):
            statements.append((scope, node))
        fields = _BLOCKS.get(kind)
        if fields is None:
            fields = _BLOCKS[kind] = tuple(name for name in kind._fields if name in _BLOCK_FIELDS)
        for name in fields:
            todo.extend((child, scope) for child in getattr(node, name))


#: the fields that hold blocks of statements (``handlers`` and ``cases``
#: hold the except clauses and match cases, whose ``body`` is a block)
_BLOCK_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
#: node type -> its block fields, in the order of its ``_fields``
_BLOCKS: dict[type, tuple[str, ...]] = {}


class _LocalHelpers:
    """Functions of this module (outside class bodies: ``origin_gates``
    looks a plain name up there first) judged as helpers by what they
    return, ``HELPER_DEPTH`` levels deep as ``origin_gates`` follows them."""

    def __init__(self, functions: list, statements: list, methods: set[int], imports: AstImports, helper) -> None:
        self.by_name: dict[str, list] = {}
        for function in functions:
            if id(function) not in methods:
                self.by_name.setdefault(function.name, []).append(function)
        self.returns: dict[int, list] = {}
        for function, stmt in statements:
            if type(stmt) is ast.Return and stmt.value is not None:
                self.returns.setdefault(id(function), []).append(stmt.value)
        self.imports = imports
        self.helper = helper

    def __contains__(self, name: str | None) -> bool:
        return name in self.by_name

    def may_reject(self, name: str, depth: int = HELPER_DEPTH) -> bool:
        """Some function ``name`` of the module returns nothing but what
        may be a rejection (its parameters may be bound to a 4xx)."""
        if depth <= 0:
            return True
        return any(
            bool(self.returns.get(id(f))) and all(self._returned(v, depth) for v in self.returns[id(f)])
            for f in self.by_name.get(name, ())
        )

    def _returned(self, value: ast.AST, depth: int) -> bool:
        if type(value) is ast.Call:
            dotted = dotted_name(value.func)
            qualified = tuple(self.imports.qualify(dotted)) if dotted is not None else ()
            local = dotted in self and self.may_reject(dotted, depth - 1)
            return call_may_reject(_last_name(value.func), qualified, local, self.helper)
        if type(value) is ast.Tuple:
            return len(value.elts) >= 2
        if type(value) is ast.Dict:
            return any(type(key) is ast.Constant and key.value in STATUS_KEYS for key in value.keys)
        return False


def _may_reject_here(stmt: ast.AST, imports: AstImports, local: _LocalHelpers, helper) -> bool:
    kind = type(stmt)
    value = stmt.exc if kind is ast.Raise else stmt.value
    if value is None:
        return False
    if type(value) is ast.Call:
        if kind is not ast.Return:  # a helper's answer rejects only when returned
            name = _last_name(value.func)
            return name in REJECTING_NAMES or name in STATUS_CALLS
        dotted = dotted_name(value.func)
        qualified = tuple(imports.qualify(dotted)) if dotted is not None else ()
        return call_may_reject(_last_name(value.func), qualified, dotted in local and local.may_reject(dotted), helper)
    if kind is ast.Raise:
        return type(value) in (ast.Name, ast.Attribute) and _last_name(value) in REJECTING_NAMES
    if kind is not ast.Return:
        return False
    return _value_may_reject(value)


def _value_may_reject(value: ast.AST) -> bool:
    """``return body, <4xx>`` or ``return {"status": <4xx>, ...}``."""
    if type(value) is ast.Tuple:
        return len(value.elts) >= 2 and _client_error(value.elts[1])
    if type(value) is ast.Dict:
        return any(
            type(key) is ast.Constant and key.value in STATUS_KEYS and _client_error(item)
            for key, item in zip(value.keys, value.values)
        )
    return False


def call_may_reject(last: str, qualified: tuple[str, ...], local: bool, helper) -> bool:
    """Can a returned call be a rejection (``origin_gates._rejecting_call``)?
    Its name says so, or it may be a helper: a function of the same module
    (``local``), or, with a project, a function of another project module
    that ``helper`` cannot rule out."""
    if last in REJECTING_NAMES or last in STATUS_CALLS or local:
        return True
    return helper is not None and any(helper(q) for q in qualified)


def returns_may_reject(shapes: list, helper) -> bool:
    """Can every return of a helper be a rejection, judging by the shapes
    of what it returns (``outline.shape``)?  A helper with one return of
    anything else (a name, an attribute, a constant, a method of a local
    object) rejects nothing.  A status given as a name counts: the helper's
    parameters are bound to its caller's arguments."""
    shapes = [s for s in shapes if s is not None]
    return bool(shapes) and all(_shape_may_reject(s, helper) for s in shapes)


def _shape_may_reject(shape: tuple, helper) -> bool:
    kind = shape[0]
    if kind == "call":
        _, last, qualified, local = shape
        return call_may_reject(last, qualified, local, helper)
    if kind == "tuple":
        return shape[1] >= 2
    if kind == "dict":
        return any(k in STATUS_KEYS for k in shape[1])
    return False


def helper_judge(project, from_path, depth: int = 1):
    """For the module at ``from_path``: a function telling whether a
    qualified name may be a function of another project module whose every
    return may be a rejection.  The module is not loaded: its outline says
    where it is, that it defines the function (``Project.may_define_function``)
    and what the function returns (``Project.function_returns``), ``depth``
    levels of helpers deep; below that, existing is enough.  None without a
    project."""
    if project is None or not hasattr(project, "function_returns"):
        return None

    def judge(qualified: str) -> bool:
        module, name = split_qualified(qualified)
        if not module:
            return False  # a plain name nothing imports: no other module's
        target = project.module_path(module, from_path)
        if target is None or not project.may_define_function(target, name):
            return False
        if depth <= 0:
            return True
        shapes = project.function_returns(target, name)
        return shapes is None or returns_may_reject(shapes, helper_judge(project, target, depth - 1))

    return judge


def _client_error(node: ast.AST) -> bool:
    """A status ``origin_gates._client_error`` takes for a client error
    where nothing binds a helper's parameters (a rejecting statement is
    judged as written; a helper's returns only through its call)."""
    if type(node) is ast.Constant:
        value = node.value
        return type(value) is int and 400 <= value < 500
    name = _last_name(node)
    return name in CLIENT_ERROR_NAMES or name.startswith("HTTP_4")


def _last_name(node: ast.AST) -> str:
    if type(node) is ast.Name:
        return node.id
    if type(node) is ast.Attribute:
        return node.attr
    return ""


def _relevant(functions: list, lines: list[str]) -> set[int]:
    """ids of the functions ``origin_gates`` may ask about: their text
    mentions the header, or they call (by name, or through ``self``/``cls``)
    a function named like one that does, repeated until nothing changes."""
    texts = {}
    relevant = set()
    for function in functions:
        start = min([function.lineno] + [d.lineno for d in function.decorator_list])
        text = texts[id(function)] = "".join(lines[start - 1 : function.end_lineno])
        if any(m in text.lower() for m in _MARKERS):
            relevant.add(id(function))
    names = {f.name for f in functions if id(f) in relevant}
    calls: dict[int, set[str]] = {}
    changed = bool(names)
    while changed:
        changed = False
        for function in functions:
            key = id(function)
            if key in relevant:
                continue
            text = texts[key]
            # A name it calls is written in its text; walking its tree costs
            # far more than looking (identifiers outside ASCII are
            # normalised by the parser: their text may not show them).
            if text.isascii() and not any(name in text for name in names):
                continue
            if key not in calls:
                calls[key] = _called_names(function)
            if calls[key] & names:
                relevant.add(key)
                names.add(function.name)
                changed = True
    return relevant


def _called_names(function: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(function):
        if type(node) is ast.Call:
            func = node.func
            if type(func) is ast.Name:
                out.add(func.id)
            elif type(func) is ast.Attribute and type(func.value) is ast.Name and func.value.id in ("self", "cls"):
                out.add(func.attr)
    return out
