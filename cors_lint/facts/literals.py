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

from .index import Scope, Site
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


def _scope_defs(site: Site | None, ctx, name: str):
    scope: Scope | None = site.scope if site is not None else ctx.index.module_scope
    while scope is not None:
        defs = scope.assignments.get(name)
        if defs and scope.kind != "class":
            return defs
        scope = scope.parent
    return ()


def literal_spans(ctx, node: cst.BaseExpression | None, site: Site | None) -> dict[str, Span]:
    """Each string literal that may make up the value of ``node``, with the
    span of its first occurrence."""
    out: dict[str, Span] = {}
    if node is None:
        return out
    if isinstance(node, cst.Name):
        roots = [d.value for d in _scope_defs(site, ctx, node.value) if d.value is not None and d.kind in ("assign", "aug", "walrus")]
        _strings_in(ctx, roots, out)
        # ORIGINS = BASE + [...]: one more hop through the names it reads
        for root in roots:
            if isinstance(root, cst.BinaryOperation):
                for side in (root.left, root.right):
                    if isinstance(side, cst.Name) and side.value != node.value:
                        for text, span in literal_spans(ctx, side, site).items():
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
    _strings_in(ctx, [node], out)
    return out


def _class_field(ctx, holder: str, attr: str) -> cst.BaseExpression | None:
    """``settings.cors_origins``: the class attribute's default expression,
    where ``settings`` is a class of this module or an instance of one."""
    index = ctx.index
    cls = holder if holder in index.classes else None
    if cls is None:
        defs = index.module_scope.assignments.get(holder, [])
        if len(defs) == 1 and isinstance(defs[0].value, cst.Call) and isinstance(defs[0].value.func, cst.Name):
            cls = defs[0].value.func.value if defs[0].value.func.value in index.classes else None
    if cls is None:
        return None
    info = index.classes[cls]
    scope = next((s for s in index.class_scopes if s.node is info.node), None)
    bound = scope.assignments.get(attr) if scope is not None else None
    return bound[-1].value if bound and bound[-1].value is not None else None
