"""Answers about other project modules that skip parsing them with libcst.

``Project`` answers "what is NAME in that module?" and "does that module
define a function NAME?" from Python's own parser or the module's text when
it can (``cors_lint/outline.py``).  The answers must be the ones the full
analysis gives: each test here asks a project that takes the short way and
one that has the module loaded already (so it takes the full way), and
compares.
"""

from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

import libcst as cst
import pytest

from cors_lint.facts.context import LazySpan, ModuleContext
from cors_lint.facts.dataflow import project_function
from cors_lint.findings import Span
from cors_lint.outline import Outline, defined_functions
from cors_lint.parsing import parse_guarded
from cors_lint.project import Project

SIBLING = '''\
import os
from .base import Imported
from . import sub as alias
ORIGINS = ["https://a.example.com", "https://b.example.com"]
TABLE = {"app": ("https://app.example.com",), 3: None, "on": True}
ANNOTATED: list = ["https://c.example.com"]
TWICE = ["https://d.example.com"]
TWICE = ["*"]
GROWN = ["https://e.example.com"]
GROWN.append("*")
FROM_ENV = os.environ.get("ORIGINS", "*")
SPREAD = [*ORIGINS, "*"]
NEGATIVE = -1
FIRST = 1; SECOND = ["*"]
TEXT_TYPE = str
WRAPPED = [bytes, "x"]
SHADOWED = len
if os.environ.get("DEBUG"):
    CONDITIONAL = ["*"]
try:
    GUARDED = ["https://f.example.com"]
except ImportError:
    GUARDED = ["*"]


def helper(origin):
    return origin


def changes_global():
    global LATER
    LATER = ["*"]


LATER = ["https://g.example.com"]


class Settings:
    origins = ["*"]


def twice():
    return 1


def twice():
    return 2


for LOOPED in ("a", "b"):
    pass


def len(x):
    return 0
'''

NAMES = [
    "ORIGINS", "TABLE", "ANNOTATED", "TWICE", "GROWN", "FROM_ENV", "SPREAD", "NEGATIVE", "FIRST", "SECOND",
    "CONDITIONAL", "GUARDED", "helper", "changes_global", "LATER", "Settings", "twice", "LOOPED", "Imported",
    "alias", "os", "missing", "origin", "TEXT_TYPE", "WRAPPED", "SHADOWED",
]


def _write(root: Path, text: str) -> Path:
    pkg = root / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "base.py").write_text("Imported = ['https://base.example.com']\n")
    (pkg / "sub.py").write_text("")
    path = pkg / "sibling.py"
    path.write_text(text)
    return path


@pytest.mark.parametrize("star", [False, True])
def test_module_constants_match_the_full_analysis(tmp_path: Path, star: bool) -> None:
    path = _write(tmp_path, SIBLING + ("from .base import *\n" if star else ""))
    for name in NAMES:
        short = Project(tmp_path)
        full = Project(tmp_path)
        assert full.context(path) is not None  # loaded: the full way
        assert short.module_constant(path, name) == full.module_constant(path, name), name


def test_literal_and_missing_names_leave_the_module_unloaded(tmp_path: Path) -> None:
    path = _write(tmp_path, SIBLING)
    project = Project(tmp_path)
    origins = project.module_constant(path, "ORIGINS")
    assert [i.const for i in origins.items] == ["https://a.example.com", "https://b.example.com"]
    assert project.module_constant(path, "Settings") is None  # a class: no value
    assert project.module_constant(path, "helper") is None  # a function: no value
    assert project.module_constant(path, "missing") is None
    assert project._contexts == {}
    # a value that depends on the rest of the module loads it
    assert project.module_constant(path, "GROWN") is not None
    assert path.resolve() in project._contexts


def test_outline_reads_every_kind_of_binding() -> None:
    outline = Outline(ast.parse(SIBLING))
    literal = {name for name in NAMES if outline.literal_binding(name) is not None}
    # SECOND shares a line with FIRST: not taken on its own
    # builtins' names count as literal while the module does not bind them
    assert literal == {"ORIGINS", "TABLE", "ANNOTATED", "FIRST", "TEXT_TYPE", "WRAPPED"}
    unknown = {name for name in NAMES if outline.constant_is_unknown(name)}
    assert unknown == {"helper", "changes_global", "Settings", "missing"}  # "origin" is a parameter: a binding
    starred = Outline(ast.parse("from x import *\ndef f(): pass\n"))
    assert not starred.constant_is_unknown("f") and not starred.constant_is_unknown("missing")


def test_defined_functions_is_a_superset_of_the_module_functions() -> None:
    text = dedent(
        """\
        def plain(): pass
        async  def coroutine(): pass
        class K:
            def method(self): pass
        def continued\\
        (): pass
        note = "def in_a_string"
        undef = 1
        """
    )
    found = defined_functions(text)
    assert {"plain", "coroutine", "method", "continued"} <= found
    assert "undef" not in found and "K" not in found
    assert {f.name for f in ast.walk(ast.parse(text)) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))} <= found


def test_helper_lookup_loads_only_modules_that_define_it(tmp_path: Path) -> None:
    path = _write(tmp_path, SIBLING)
    app = tmp_path / "pkg" / "app.py"
    app.write_text("from .sibling import helper, Settings\nhelper(x)\nSettings(x)\n")
    module, tree = parse_guarded(app.read_text())
    project = Project(tmp_path)
    ctx = ModuleContext(module, str(app), type("O", (), {"project": project})(), tree)
    calls = [s.node for s in ctx.index.calls]
    assert project_function(ctx, calls[1].func) is None  # Settings is a class
    assert project._contexts == {}
    found = project_function(ctx, calls[0].func)
    assert found is not None and found[1].name == "helper"
    assert path.resolve() in project._contexts


# -- what a helper returns, before its module is loaded ------------------------------

HELPERS = '''\
import status_codes
from django.http import HttpResponseForbidden


def deny(reason):
    return HttpResponseForbidden(reason)


def respond(code, body):
    if code >= 400:
        return {"statusCode": code, "body": body}
    return body, code


def build(request):
    generator = make_generator()
    return generator.generate(request)


def qualified():
    return status_codes.forbidden()


async def nested(x):
    def inner():
        return x
    class Local:
        def method(self):
            return 1
    return inner(), 403


@decorated
def bare():
    return


def empty():
    pass


def rebound():
    return deny("x")


rebound = None


class Klass:
    def method(self):
        return deny("x")
'''


def test_function_returns_match_the_index() -> None:
    """The outline's returns of each top-level function are the index's
    own returns of it (nested functions left out), in kind and number."""
    outline = Outline(ast.parse(HELPERS))
    module, tree = parse_guarded(HELPERS)
    ctx = ModuleContext(module, "helpers.py", None, tree)
    kinds = {cst.Call: "call", cst.Tuple: "tuple", cst.Dict: "dict"}
    for scope in (s for scopes in ctx.index.functions.values() for s in scopes):
        if scope.parent is not ctx.index.module_scope:
            continue
        shapes = outline.function_returns(scope.name)
        if scope.name == "rebound":
            assert shapes is None  # bound twice: the outline cannot say which
            continue
        # bare returns: the outline keeps them as None, the index may not list them
        own = [r.node.value for r in scope.returns if r.scope is scope and r.node.value is not None]
        assert [s[0] for s in shapes if s is not None] == [kinds.get(type(v), type(v).__name__) for v in own], scope.name
    assert outline.function_returns("Klass") is None and outline.function_returns("method") is None
    assert outline.function_returns("nested") == [("tuple", 2)]
    assert outline.function_returns("respond") == [("dict", ("statusCode", "body")), ("tuple", 2)]
    # a call: its last name, the names it may stand for (as the import
    # table qualifies them), and whether it is a function of this module
    assert outline.function_returns("deny") == [("call", "HttpResponseForbidden", ("django.http.HttpResponseForbidden",), False)]
    assert outline.function_returns("build") == [("call", "generate", ("generator.generate",), False)]
    assert outline.function_returns("qualified") == [("call", "forbidden", ("status_codes.forbidden",), False)]
    assert outline.function_returns("rebound") is None
    local = Outline(ast.parse("def f():\n    return g()\n\n\ndef g():\n    return 1\n\n\nclass C:\n    def h(self):\n        return h()\n"))
    assert local.function_returns("f") == [("call", "g", ("g",), True)]
    assert Outline(ast.parse("from x import *\ndef f():\n    return 1\n")).function_returns("f") is None


def test_rejecting_helpers_are_screened_before_loading(tmp_path: Path) -> None:
    """A helper whose returns cannot be rejections is judged without
    loading its module; the others are loaded and judged in full."""
    from cors_lint.facts.origin_gates import _may_reject

    path = _write(tmp_path, HELPERS)
    project = Project(tmp_path)
    assert not _may_reject(project, path, "build")
    assert not _may_reject(project, path, "bare") and not _may_reject(project, path, "empty")
    # status_codes is no module of the project: its forbidden() is no helper
    assert not _may_reject(project, path, "qualified")
    assert project._contexts == {}
    (tmp_path / "status_codes.py").write_text("def forbidden():\n    return 'no', 403\n")
    project = Project(tmp_path)
    for name in ("deny", "respond", "qualified", "nested", "rebound", "missing"):
        assert _may_reject(project, path, name), name
    assert project._contexts == {}
    project.context(path)
    assert _may_reject(project, path, "build")  # loaded: the index judges, not the outline


# -- spans: hashing and comparing without computing positions -----------------------

SPANS = '''\
@app.get("/a")
def a(request):
    origin = request.headers.get("Origin")
    return (origin)


x = f(g(1), g(1)); y = [1,
    2]
'''


def _nodes(text: str):
    module, tree = parse_guarded(text)
    ctx = ModuleContext(module, "m.py", None, tree)
    nodes = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            nodes.append(node)
            return True

    module.visit(Collect())
    return ctx, nodes


def test_lazy_spans_compare_as_their_positions_do() -> None:
    ctx, nodes = _nodes(SPANS)
    exact = {id(n): ctx.resolve_span(n) for n in nodes}
    for a in nodes:
        for b in nodes:
            fresh_a, fresh_b = LazySpan(ctx, a), LazySpan(ctx, b)
            assert (fresh_a == fresh_b) == (exact[id(a)] == exact[id(b)]), (a, b)
    one = LazySpan(ctx, nodes[5])
    assert isinstance(one.resolve(), Span)
    assert hash(one) == hash(one.resolve()) == hash(LazySpan(ctx, nodes[9]))


def test_statement_lines_hold_every_node() -> None:
    ctx, nodes = _nodes(SPANS)
    for node in nodes:
        bounds = ctx.statement_lines(node)
        if bounds is None:
            continue
        span = ctx.resolve_span(node)
        if not isinstance(node, (cst.EmptyLine, cst.TrailingWhitespace, cst.Newline, cst.Comment)):
            assert bounds[0] <= span.line and span.end_line <= bounds[1], (node, span, bounds)
