"""The one way a module is parsed with libcst: Python's parser first, then budgets.

Every module cors-lint parses goes through ``parse_guarded``: the files it
lints and the sibling modules ``project.Project`` loads on demand for
cross-module constants alike.  libcst's native parser cannot be interrupted
and crashes the process (a segfault, not an exception) on deeply nested
code, and it is quadratic on long chains of calls, so the input is measured
before libcst sees it:

1. ``ast.parse`` (about ten times cheaper than libcst): exact syntax errors,
   and the interpreter's own refusals (too many nested parentheses, parser
   stack overflow, recursion during AST construction).
2. One iterative walk of the ``ast`` tree measures the number of nodes, the
   nesting depth and the longest chain of calls, attributes and subscripts
   (``a.b().c()[0]...``), and compares them with fixed budgets.

The budgets are plain numbers checked on the tree, never the interpreter's
recursion limit, so a file is accepted or refused the same way on every
supported Python.  They sit well below the depths at which any supported
interpreter refuses a file itself (about 1,500 levels on 3.11 and 3.12),
so "too deep" means the same thing everywhere, whoever notices it first.

Refusals raise ``ParseRefused`` with a one-line reason and a position; the
engine turns it into COR900.
"""

from __future__ import annotations

import ast
import warnings
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # libcst is imported only when a file is really parsed
    import libcst as cst

#: Syntax nodes (as counted by ``ast``) in one file.  libcst needs about
#: 1.3 KB of memory per node, and the facts about as much again; 200,000
#: nodes (about 1.5 MB of dense code, far more than any hand-written module)
#: keeps one file under roughly 600 MB.
MAX_NODES = 200_000
#: Nesting depth of the ``ast`` tree (a chain of ``+`` is as deep as it is
#: long, as is a run of unary minus signs).
MAX_DEPTH = 1_000
#: Links in one chain of calls, attribute reads and subscripts (``.b()`` is
#: two links: an attribute read and a call).  libcst's parser is quadratic in
#: it (1,000 ``.b()`` take 1.4 s, 2,000 several seconds, 2,900 over a
#: minute); fluent code rarely passes 50 links.
MAX_CHAIN = 600

# One reason for both depth budgets: a long chain is also deeply nested,
# and an interpreter that refuses it itself cannot say which budget it met.
DEPTH_REASON = (
    f"code nested too deeply to analyze (limits: {MAX_DEPTH} levels, {MAX_CHAIN} chained calls or attributes)"
)

# Messages with which supported interpreters refuse nesting themselves.
_NESTING_MESSAGES = ("too many nested", "too complex", "stack overflow", "recursion")


class ParseRefused(Exception):
    """The file is not parsed; ``reason`` is one line for COR900."""

    def __init__(self, reason: str, line: int = 1, col: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.col = col


def check_with_python(text: str) -> ast.Module:
    """Python's parser, with every failure turned into ``ParseRefused``.
    Its warnings about the scanned code (``SyntaxWarning`` for ``"\\d"`` on
    3.12+) are not ours to print."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except SyntaxError as err:
        if any(m in str(err.msg).lower() for m in _NESTING_MESSAGES):
            raise ParseRefused(DEPTH_REASON, err.lineno or 1, 0) from None
        raise ParseRefused(f"syntax error: {err.msg}", err.lineno or 1, max(0, (err.offset or 1) - 1)) from None
    except (RecursionError, MemoryError):
        # 3.11+ refuse deep nesting this way; 3.10 reports MemoryError
        raise ParseRefused(DEPTH_REASON) from None
    except ValueError as err:  # NUL bytes in a str source
        raise ParseRefused(f"cannot parse: {err}") from None


# Fields through which a chain of trailers continues: ``a.b`` -> ``a``,
# ``f()`` -> ``f``, ``a[0]`` -> ``a``.
_CHAIN = {ast.Attribute: "value", ast.Subscript: "value", ast.Call: "func"}


def measure(tree: ast.AST) -> tuple[int, int, int, int]:
    """(nodes, depth, longest chain, line where a budget is first exceeded).

    Iterative, so no tree is too deep to measure.  Stops early once a budget
    is exceeded (the numbers are then lower bounds)."""
    nodes = depth_max = chain_max = 0
    where = 1
    stack: list[tuple[ast.AST, int, int]] = [(tree, 1, 0)]
    pop, push = stack.pop, stack.append
    AST = ast.AST
    chain_field = _CHAIN
    while stack:
        node, depth, chain = pop()
        nodes += 1
        if depth > depth_max:
            depth_max = depth
        if chain > chain_max:
            chain_max = chain
        if nodes > MAX_NODES or depth > MAX_DEPTH or chain > MAX_CHAIN:
            where = getattr(node, "lineno", 1)
            break
        link = chain_field.get(type(node))
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                if value._fields:  # skip Load/Store contexts and operators
                    push((value, depth + 1, chain + 1 if name == link else 0))
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        push((item, depth + 1, 0))
    return nodes, depth_max, chain_max, where


def check_budgets(tree: ast.AST) -> None:
    nodes, depth, chain, line = measure(tree)
    if nodes > MAX_NODES:
        raise ParseRefused(f"file too large to analyze (more than {MAX_NODES} syntax nodes)")
    if depth > MAX_DEPTH or chain > MAX_CHAIN:
        raise ParseRefused(DEPTH_REASON, line)


class Parsed(NamedTuple):
    module: "cst.Module"
    tree: ast.Module  # Python's view of the same text (statement lines)


def check_guards(text: str) -> ast.Module:
    """Python's tree of ``text`` once it passed the checks above (the
    first half of ``parse_guarded``); raises ``ParseRefused``."""
    tree = check_with_python(text)
    check_budgets(tree)
    return tree


def parse_guarded(text: str, tree: ast.Module | None = None) -> Parsed:
    """Parse ``text`` with libcst after the checks above.  Raises
    ``ParseRefused`` for anything that is not parsed.  ``tree`` is what
    ``check_guards`` already returned for this very text, if anything."""
    if tree is None:
        tree = check_guards(text)
    import libcst as cst

    try:
        return Parsed(_parse_unvalidated(cst, text), tree)
    except cst.ParserSyntaxError as exc:
        # Python accepted the file, so libcst lacks support for some syntax
        # in it; its message lists every token it expected.
        first = str(exc.message).splitlines()[0] if exc.message else "unsupported syntax"
        if len(first) > 120:
            first = first[:117] + "..."
        raise ParseRefused(f"libcst cannot parse this file ({first})", exc.raw_line, exc.raw_column) from None
    except RecursionError:
        raise ParseRefused(DEPTH_REASON) from None


def _parse_unvalidated(cst, text: str) -> "cst.Module":
    """``libcst.parse_module`` without the per-node validation.

    Every node libcst builds checks its own fields in ``__post_init__``
    (whitespace matches its pattern, parentheses balance...): a guard for
    trees built by hand, which costs about a fifth of parsing and cannot
    fail on what the parser itself built from text Python has just
    accepted.  libcst's own comment there says as much.  Validation is off
    only while the parser runs; nodes made later (fixes) are checked."""
    from libcst._nodes.base import CSTNode

    validate = CSTNode.__dict__.get("__post_init__")
    if validate is None:  # a libcst without the hook: nothing to skip
        return cst.parse_module(text)
    CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = validate  # type: ignore[method-assign]


def _no_validation(self) -> None:
    pass
