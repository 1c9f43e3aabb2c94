"""COR306 cors-middleware-not-installed: A CORS library is configured but its middleware is not in the middleware stack, so it never runs.

Without its middleware the library's settings do nothing: no response and
no preflight carries CORS headers, and every cross-origin request fails
with the browser's "CORS header 'Access-Control-Allow-Origin' missing".

The full description, examples and fix: docs/rules/COR306.md.
"""

from __future__ import annotations

from ..findings import Severity
from .base import Rule


class CorsMiddlewareNotInstalled(Rule):
    CODE = "COR306"
    NAME = "cors-middleware-not-installed"
    SUMMARY = "A CORS library is configured but its middleware is not in the middleware stack, so it never runs."
    SEVERITY = Severity.MEDIUM
    CWE = 0  # a correctness defect: CORS silently does not apply

    def check(self, facts):
        for stack in facts.middleware_stacks:
            if not stack.cors_configured or not stack.complete or stack.extended_elsewhere:
                continue
            if stack.cors_entries():
                continue
            yield self.finding(
                facts,
                stack.span,
                f"{stack.cors_configured} configures {stack.library}, but {stack.cors_middleware} is not in "
                f"{stack.container}, so no response or preflight gets CORS headers and browsers report "
                f"\"CORS header 'Access-Control-Allow-Origin' missing\"; add {stack.cors_middleware} as the "
                f"first entry of {stack.container}",
            )
