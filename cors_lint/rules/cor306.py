"""COR306 cors-middleware-not-installed.

## What it does
Finds a CORS library that is configured but never runs: its settings (or its
app) are there, and its middleware is missing from the application's
middleware stack, across the whole settings chain.

## Why is this bad?
The configuration does nothing: no response and no preflight carries CORS
headers, and every cross-origin request fails with the browser's "CORS
header 'Access-Control-Allow-Origin' missing".

## Example
```python
INSTALLED_APPS = ["django.contrib.auth", "corsheaders"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
```

Use instead:
```python
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]
```
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
