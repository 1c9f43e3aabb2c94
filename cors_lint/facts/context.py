"""Everything fact extractors share about one parsed module.

``ModuleContext`` bundles the module, its index (one walk), positions and a
value evaluator.  Extractors (header writes, each CORS library) receive it
and append to ``FileFacts``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from ..findings import Span
from .imports import dotted_name, matches
from .index import ModuleIndex, Scope, Site
from .model import Value

if TYPE_CHECKING:
    from .values import Evaluator

DEEP_RECURSION = 30_000


class ModuleContext:
    def __init__(self, module: cst.Module, path: str, options=None) -> None:
        self.module = module
        self.path = path
        self.options = options
        self.project = getattr(options, "project", None)
        self.trusted_validators: tuple[str, ...] = tuple(getattr(options, "trusted_validators", ()) or ())
        # Positions are the only metadata we resolve; the wrapper must not
        # deep-copy the freshly parsed tree.
        self._positions = None  # resolved on first use: most files yield no facts
        self.index = ModuleIndex.build(module)
        self._evaluator: Evaluator | None = None

    # -- positions and text ----------------------------------------------
    def span(self, node: cst.CSTNode) -> Span:
        """Where ``node`` is.  Returned lazily: libcst computes positions for
        the whole module at once (as costly as parsing), so they are only
        computed when some fact's location is actually read."""
        return LazySpan(self, node)  # type: ignore[return-value]

    def resolve_span(self, node: cst.CSTNode) -> Span:
        if self._positions is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            # libcst's code generation recurses once per nesting level; the
            # file already passed Python's own parser, which bounds the depth
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(limit, DEEP_RECURSION))
            try:
                self._positions = wrapper.resolve(PositionProvider)
            finally:
                sys.setrecursionlimit(limit)
        rng: CodeRange | None = self._positions.get(node)
        if rng is None:
            return Span(1, 0, 1, 0)
        return Span(rng.start.line, rng.start.column, rng.end.line, rng.end.column)

    def text(self, node: cst.CSTNode, limit: int = 80) -> str:
        code = self.module.code_for_node(node).strip()
        code = " ".join(code.split())
        return code if len(code) <= limit else code[: limit - 3] + "..."

    # -- names --------------------------------------------------------------
    def qualify(self, node: cst.BaseExpression) -> set[str]:
        return self.index.imports.qualify(node)

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

    line = property(lambda self: self.resolve().line)
    col = property(lambda self: self.resolve().col)
    end_line = property(lambda self: self.resolve().end_line)
    end_col = property(lambda self: self.resolve().end_col)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazySpan):
            if other._node is self._node:
                return True
            other = other.resolve()
        return self.resolve() == other

    def __hash__(self) -> int:
        return hash(self.resolve())

    def __repr__(self) -> str:
        return repr(self.resolve())
