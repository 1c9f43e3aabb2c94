"""The route of the view a finding sits in, when a decorator names it.

Used only to print a ready-to-run ``curl`` line.  It reads the source lines
the reporters already hold (no tree walk): the nearest enclosing ``def``
above the finding, then the decorators right above that ``def``, for
``@app.route("/x")``, ``@app.get("/x")``, ``@router.post("/x")``,
``@bp.api_route("/x")`` and the like.  A view without such a decorator
(Django URLconfs, class-based handlers, middleware) gets no route, and the
curl line says "the view's URL" instead.
"""

from __future__ import annotations

import re

_DEF = re.compile(r"(\s*)(?:async\s+)?def\s+\w+")
_ROUTE = re.compile(
    r"\s*@[\w.]+\.(?:route|get|post|put|patch|delete|options|head|api_route|websocket_route)"
    r"\(\s*(?:path\s*=\s*)?[rbuRBU]?[\"'](/[^\"'\s]*)[\"']"
)
_DECORATOR = re.compile(r"\s*@")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def route_of(lines: list[str], line: int) -> str | None:
    """``/path`` of the decorated view enclosing 1-based ``line``, or None."""
    if not (0 < line <= len(lines)):
        return None
    depth = _indent(lines[line - 1])
    for index in range(line - 2, -1, -1):
        text = lines[index]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = _DEF.match(text)
        if match and len(match.group(1)) < depth:
            for above in range(index - 1, -1, -1):
                if not _DECORATOR.match(lines[above]):
                    break
                route = _ROUTE.match(lines[above])
                if route:
                    return route.group(1)
            return None
        if _indent(text) < depth:
            depth = _indent(text)  # a block opener: keep looking for its def
    return None
