"""Everything fact extractors share about one parsed module.

``ModuleContext`` bundles the module, its index (one walk), positions and a
value evaluator.  Extractors (header writes, each CORS library) receive it
and append to ``FileFacts``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Iterator

import libcst as cst
from libcst._position import CodePosition, CodeRange
from libcst.metadata import MetadataWrapper, PositionProvider

from ..findings import SPAN_HASH, Span
from .imports import dotted_name, matches, split_qualified
from .index import ModuleIndex, Scope, Site
from .model import Value

if TYPE_CHECKING:
    from .values import Evaluator

DEEP_RECURSION = 30_000


class ModuleContext:
    def __init__(self, module: cst.Module, path: str, options=None, tree=None) -> None:
        self.module = module
        self.path = path
        self.options = options
        self.project = getattr(options, "project", None)
        self.trusted_validators: tuple[str, ...] = tuple(getattr(options, "trusted_validators", ()) or ())
        # Positions are the only metadata we resolve; the wrapper must not
        # deep-copy the freshly parsed tree.
        self._positions = None  # module-wide positions: only a fallback
        self._by_statement: dict[int, dict] = {}  # id(top-level statement) -> positions in it
        self._statement_lines: dict[int, int] | None = None
        self._statement_bounds: dict[int, tuple[int, float]] | None = None
        self._tree = tree  # Python's ast of the same text, when the caller has it
        self.index = ModuleIndex.build(module)
        self._evaluator: Evaluator | None = None
        self._texts: dict[int, str] = {}  # id(node) -> its code on one line

    def release(self) -> None:
        """Break the reference cycles the analysis made, once the facts are
        extracted; afterwards the context answers positions only.

        A scope lists its return sites and each site names its scope, and
        the evaluator names this context: two cycles that kept the whole
        libcst tree, the index and every cache alive until the garbage
        collector walked them (a site-packages run spent 0.4-0.6 s there,
        and peak memory held several files' trees).  Broken here, all of it
        is freed by reference counting the moment the file's findings are
        made; the lazy spans of those findings still reach the tree and the
        statement positions they need."""
        index = self.index
        for scope in (index.module_scope, *index.class_scopes, *(s for scopes in index.functions.values() for s in scopes)):
            scope.returns = []
        self._evaluator = None

    # -- positions and text ----------------------------------------------
    def span(self, node: cst.CSTNode) -> Span:
        """Where ``node`` is, looked up lazily: most facts are never
        reported, so their positions are never computed."""
        return LazySpan(self, node)  # type: ignore[return-value]

    def resolve_span(self, node: cst.CSTNode) -> Span:
        """Positions come from one top-level statement, never the module.

        libcst's ``PositionProvider`` regenerates the code of the whole
        module (61% of the time on CORS-dense files, and on 3.12 it hits
        the interpreter's fixed C recursion limit on deep expressions).  A
        finding only needs the statement it is in: that statement's code is
        generated once with positions recorded, starting at the line
        Python's own parser gives for it.  Columns are libcst's: characters,
        0-based (reporters add one, as flake8 does)."""
        top = self._top_statement(node)
        positions = self._statement_positions(top) if top is not None else None
        if positions is None:
            positions = self._module_positions()
        rng = positions.get(node)
        if rng is None:
            if top is not None and top in positions:
                rng = positions[top]  # codegen gave up inside: the statement's start
            else:
                return Span(1, 0, 1, 0)
        return Span(rng.start.line, rng.start.column, rng.end.line, rng.end.column)

    def _top_statement(self, node: cst.CSTNode) -> cst.CSTNode | None:
        current, parent = node, self.index.parent(node)
        while parent is not None and parent is not self.module:
            current, parent = parent, self.index.parent(parent)
        return current if parent is self.module else None

    def _statement_positions(self, top: cst.CSTNode) -> dict | None:
        """Positions of every node in ``top`` (cached per statement), or None
        when the statement cannot be placed (then the module is used)."""
        cached = self._by_statement.get(id(top))
        if cached is not None:
            return cached
        first_lines = self._first_lines()
        line = first_lines.get(id(top)) if first_lines is not None else None
        if line is None:
            return None
        from libcst.metadata.position_provider import PositionProvidingCodegenState

        leading = len(top.leading_lines) if hasattr(top, "leading_lines") else 0
        decorators = getattr(top, "decorators", ())
        if decorators:
            leading += len(decorators[0].leading_lines)
        collector = _Collected()
        state = PositionProvidingCodegenState(
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
            provider=collector,
        )
        state.line = line - leading
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, DEEP_RECURSION))
        try:
            top._codegen(state)
        except RecursionError:
            # too deep for this interpreter's C stack (3.12): the statement's
            # own start, from Python's parser, stands in for its nodes
            start = CodePosition(line, 0)
            collector._computed = {top: CodeRange(start, start)}
        finally:
            sys.setrecursionlimit(limit)
        positions = collector._computed
        first = _first_token_node(top)
        if first is not None and first in positions and positions[first].start.line != line:
            return None  # not where Python puts it: trust the module-wide positions
        self._by_statement[id(top)] = positions
        return positions

    def apart(self, a: cst.CSTNode, b: cst.CSTNode) -> bool:
        """Do ``a`` and ``b`` certainly have different spans?  Two nodes of
        this tree that hold at least one token each (expressions,
        statements, parameters, arguments, decorators) and neither of which
        contains the other cover disjoint text, so their spans differ.
        Nested nodes may share one (a statement and its expression):
        those, and anything else, are left to the positions."""
        if not (isinstance(a, _SOLID) and isinstance(b, _SOLID)):
            return False
        if self._top_statement(a) is None or self._top_statement(b) is None:
            return False  # not in the tree: both are placed at the start
        return not any(n is b for n in self.index.ancestors(a)) and not any(n is a for n in self.index.ancestors(b))

    def statement_lines(self, node: cst.CSTNode) -> tuple[int, float] | None:
        """Lines the node can lie on, without generating any code: from
        the first token of the top-level statement holding it to the first
        token of the next one (Python's parser gives both); None when not
        known.  For questions such as "is this line inside that handler?"
        asked about many nodes of which few are near the line."""
        bounds = self._statement_bounds
        if bounds is None:
            first_lines = self._first_lines()
            if first_lines is None:
                return None
            starts = [first_lines[id(stmt)] for stmt in self.module.body]
            ends = starts[1:] + [float("inf")]
            bounds = self._statement_bounds = {id(stmt): (lo, hi) for stmt, lo, hi in zip(self.module.body, starts, ends)}
        top = self._top_statement(node)
        return bounds.get(id(top)) if top is not None else None

    def _first_lines(self) -> dict[int, int] | None:
        """``id(top-level statement) -> line of its first token``, from
        Python's parser (libcst's ``a; b`` line is two ``ast`` statements)."""
        if self._statement_lines is None:
            if self._tree is None:
                return None
            body = self._tree.body
            lines: dict[int, int] = {}
            i = 0
            for stmt in self.module.body:
                if i >= len(body):
                    return None
                node = body[i]
                decorators = getattr(node, "decorator_list", None)
                lines[id(stmt)] = decorators[0].lineno if decorators else node.lineno
                i += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
            if i != len(body):
                return None
            self._statement_lines = lines
        return self._statement_lines

    def _module_positions(self):
        if self._positions is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(limit, DEEP_RECURSION))
            try:
                self._positions = wrapper.resolve(PositionProvider)
            except RecursionError:
                self._positions = {}
            finally:
                sys.setrecursionlimit(limit)
        return self._positions

    def text(self, node: cst.CSTNode, limit: int = 80) -> str:
        # generated once per node: value tracing asks for the same
        # conditions' text again and again (conditions.atoms_of_guards)
        code = self._texts.get(id(node))
        if code is None:
            code = self._texts[id(node)] = " ".join(self.module.code_for_node(node).split())
        return code if len(code) <= limit else code[: limit - 3] + "..."

    # -- names --------------------------------------------------------------
    def qualify(self, node: cst.BaseExpression) -> set[str]:
        return self.index.imports.qualify(node)

    def imported_from(self, node: cst.BaseExpression) -> Iterator[tuple[ModuleContext, str]]:
        """``(context, name)`` of each other project module ``node``'s name
        may be imported from, in a fixed order.  Nothing without a project:
        flake8 sees one file, and there a cross-module fact stays unknown
        rather than guessed.  A relative ``from . import x`` keeps the
        package's ``__init__`` (``split_qualified``)."""
        project = self.project
        if project is None or not hasattr(project, "context"):
            return
        for qualified in sorted(self.qualify(node)):
            module, name = split_qualified(qualified)
            path = project.module_path(module, self.path) if module else None
            other = project.context(path) if path is not None else None
            if other is not None and other is not self:
                yield other, name

    def is_name(self, node: cst.BaseExpression, *qualified_suffixes: str) -> bool:
        """Does ``node`` refer to one of these qualified names (via imports)?"""
        return matches(self.qualify(node), *qualified_suffixes)

    @staticmethod
    def dotted(node: cst.BaseExpression) -> str | None:
        return dotted_name(node)

    # -- values -------------------------------------------------------------
    @property
    def evaluator(self) -> "Evaluator":
        if self._evaluator is None:
            from .values import Evaluator

            self._evaluator = Evaluator(self)
        return self._evaluator

    def evaluate(self, node: cst.BaseExpression, site: Site | None = None) -> Value:
        """Evaluate an expression where it stands (``site`` gives its scope
        and position; None means module level, after everything)."""
        if site is None:
            return self.evaluator.eval(node, self.index.module_scope, 10**9)
        return self.evaluator.eval(node, site.scope, site.order)

    def evaluate_in(self, node: cst.BaseExpression, scope: Scope, order: int) -> Value:
        return self.evaluator.eval(node, scope, order)

    # -- calls --------------------------------------------------------------
    def constructor_target(self, node: cst.CSTNode) -> str:
        """The name assigned a constructor call whose arguments hold ``node``
        (``app = Starlette(routes=[Route(...)], middleware=[...])`` ->
        ``app``), or "" when ``node`` is not inside such a call."""
        inside_call = False
        for parent in self.index.ancestors(node):
            inside_call = inside_call or isinstance(parent, cst.Call)
            if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
                return (self.dotted(parent.targets[0].target) or "") if inside_call else ""
            if isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.SimpleStatementLine)):
                break
        return ""

    @staticmethod
    def arg(call: cst.Call, index: int | None = None, keyword: str | None = None) -> cst.Arg | None:
        """The argument at positional ``index`` or with ``keyword``."""
        if keyword is not None:
            for a in call.args:
                if a.keyword is not None and a.keyword.value == keyword:
                    return a
        if index is not None:
            positional = [a for a in call.args if a.keyword is None and not a.star]
            if index < len(positional):
                return positional[index]
        return None



class LazySpan:
    """A ``Span`` whose numbers are looked up on first access."""

    __slots__ = ("_ctx", "_node", "_span")

    def __init__(self, ctx: ModuleContext, node: cst.CSTNode) -> None:
        self._ctx = ctx
        self._node = node
        self._span: Span | None = None

    def resolve(self) -> Span:
        if self._span is None:
            self._span = self._ctx.resolve_span(self._node)
        return self._span

    def may_hold_line(self, line: int) -> bool:
        """False when the node certainly does not reach ``line`` (known
        from statement lines alone, no positions computed)."""
        if self._span is not None:
            return True  # computed already: the exact test costs nothing
        bounds = self._ctx.statement_lines(self._node)
        return bounds is None or bounds[0] <= line <= bounds[1]

    line = property(lambda self: self.resolve().line)
    col = property(lambda self: self.resolve().col)
    end_line = property(lambda self: self.resolve().end_line)
    end_col = property(lambda self: self.resolve().end_col)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazySpan):
            if other._node is self._node:
                return True
            if (self._span is None or other._span is None) and other._ctx is self._ctx and self._ctx.apart(self._node, other._node):
                return False  # alternatives read at two places: no positions needed to tell them apart
            other = other.resolve()
        return self.resolve() == other

    def __hash__(self) -> int:
        # the hash every Span has: merging values that hold spans must not
        # generate code for positions nobody reads; equality still resolves
        return SPAN_HASH

    def __repr__(self) -> str:
        return repr(self.resolve())


#: nodes that always hold a token of their own (see ``ModuleContext.apart``)
_SOLID = (cst.BaseExpression, cst.BaseStatement, cst.BaseSmallStatement, cst.Param, cst.Arg, cst.Decorator)


class _Collected:
    """What libcst's position-recording code generation writes into."""

    def __init__(self) -> None:
        self._computed: dict = {}


def _first_token_node(top: cst.CSTNode) -> cst.CSTNode | None:
    """The node whose start Python's parser reports as the statement's line."""
    if isinstance(top, cst.SimpleStatementLine):
        return top.body[0] if top.body else None
    decorators = getattr(top, "decorators", ())
    return decorators[0] if decorators else top
