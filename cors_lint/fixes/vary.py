"""COR104's fix: ``Vary: Origin`` right after a dynamic ACAO write, in the
framework's own merging idiom (so a ``Vary`` the framework or a middleware
sets is extended, never replaced).

| the write                          | framework (from the imports) | added                                 |
|------------------------------------|------------------------------|---------------------------------------|
| ``r.headers[ACAO] = v``            | Flask, Werkzeug, Quart       | ``r.vary.add("Origin")``              |
| ``r.headers[ACAO] = v``            | Starlette, FastAPI           | ``r.headers.add_vary_header("Origin")``|
| ``self.set_header(ACAO, v)``       | Tornado                      | ``self.add_header("Vary", "Origin")`` |
| ``resp.set_header(ACAO, v)``       | Falcon                       | ``resp.append_header("Vary", "Origin")``|
| ``response.set_header(ACAO, v)``   | Bottle                       | ``response.add_header("Vary", "Origin")``|
| ``x.add_header(ACAO, v)``          | any                          | ``x.add_header("Vary", "Origin")``    |
| ``self.send_header(ACAO, v)``      | http.server                  | ``self.send_header("Vary", "Origin")``|

Anything else (Django's ``response[...]``, dict literals, a write inside a
larger expression, a receiver that is not a plain name or attribute chain,
a file importing two of these frameworks) is refused.
"""

from __future__ import annotations

import libcst as cst

FRAMEWORKS = {
    "flask": "werkzeug",
    "werkzeug": "werkzeug",
    "quart": "werkzeug",
    "starlette": "starlette",
    "fastapi": "starlette",
    "tornado": "tornado",
    "falcon": "falcon",
    "bottle": "bottle",
}


def frameworks(module: cst.Module) -> set[str]:
    """Which of ``FRAMEWORKS`` the module imports at top level."""
    found: set[str] = set()
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            names: list[str] = []
            if isinstance(small, cst.Import):
                names = [module.code_for_node(alias.name) for alias in small.names]
            elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                names = [module.code_for_node(small.module)]
            for name in names:
                top = name.split(".")[0]
                if top in FRAMEWORKS:
                    found.add(FRAMEWORKS[top])
    return found


def _plain(node: cst.BaseExpression) -> bool:
    """A name or attribute chain: repeating it has no side effects."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def vary_statement(module: cst.Module, small: cst.BaseSmallStatement, value: str) -> str | None:
    """The statement adding ``Vary: value`` after ``small``, or None."""
    kinds = frameworks(module)
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if not (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Attribute)):
            return None
        headers = target.value
        if headers.attr.value != "headers" or not _plain(headers.value):
            return None
        if kinds == {"werkzeug"}:
            return f'{module.code_for_node(headers.value)}.vary.add("{value}")'
        if kinds == {"starlette"}:
            return f'{module.code_for_node(headers)}.add_vary_header("{value}")'
        return None
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if not (isinstance(func, cst.Attribute) and _plain(func.value)):
            return None
        receiver, method = module.code_for_node(func.value), func.attr.value
        if method == "set_header":
            method = {frozenset({"tornado"}): "add_header", frozenset({"falcon"}): "append_header",
                      frozenset({"bottle"}): "add_header"}.get(frozenset(kinds), "")
            if not method:
                return None
        elif method not in ("add_header", "send_header"):
            return None
        return f'{receiver}.{method}("Vary", "{value}")'
    return None
