"""A small import table: local names to dotted qualified names.

Cheaper than libcst's QualifiedNameProvider and enough for what cors-lint
asks: "is this call ``starlette.middleware.cors.CORSMiddleware``?".  All
imports count, wherever they appear (module level, inside ``try``/``if``,
inside functions), because conditional imports are common around optional
CORS libraries.  A name bound by several imports keeps every candidate.
"""

from __future__ import annotations

import libcst as cst

from ..outline import split_qualified  # noqa: F401  (re-exported: one definition for both trees)


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


class ImportTable:
    def __init__(self) -> None:
        # local name -> qualified names it may stand for
        self._names: dict[str, set[str]] = {}
        self.star_imports: list[str] = []  # modules imported with "*" (relative ones keep their dots)

    def add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._names.setdefault(alias.asname.name.value, set()).add(full)
            else:
                top = full.split(".")[0]
                self._names.setdefault(top, set()).add(top)

    def add_import_from(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module is not None else ""
        if module is None:
            return
        dots = "." * len(node.relative)
        base = dots + module
        if isinstance(node.names, cst.ImportStar):
            self.star_imports.append(base)
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            name = alias.name.value
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            qualified = f"{base}.{name}" if base and not base.endswith(".") else f"{base}{name}"
            self._names.setdefault(local, set()).add(qualified)

    def qualify(self, node: cst.BaseExpression) -> set[str]:
        """Qualified names an expression may refer to (empty if unknown).

        ``CORSMiddleware`` imported from ``fastapi.middleware.cors`` gives
        ``{"fastapi.middleware.cors.CORSMiddleware"}``; an unimported name
        gives itself (it may be a builtin or a local definition).
        """
        name = dotted_name(node)
        if name is None:
            return set()
        head, _, rest = name.partition(".")
        bound = self._names.get(head)
        if not bound:
            return {name}
        return {f"{q}.{rest}" if rest else q for q in bound}

    def is_imported(self, local: str) -> bool:
        return local in self._names

    def imported_modules(self) -> set[str]:
        out: set[str] = set()
        for names in self._names.values():
            out.update(names)
        return out


def matches(qualified: set[str], *suffixes: str) -> bool:
    """True if any qualified name equals one of ``suffixes`` or ends with
    ``"." + suffix``.  Suffix matching keeps re-exports working
    (``fastapi.middleware.cors.CORSMiddleware`` vs
    ``starlette.middleware.cors.CORSMiddleware``) without a table of every
    re-export, while the leading dot keeps ``MyCORSMiddleware`` out."""
    for q in qualified:
        for s in suffixes:
            if q == s or q.endswith("." + s):
                return True
    return False
