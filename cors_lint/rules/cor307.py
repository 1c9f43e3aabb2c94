"""COR307 cors-middleware-not-outermost.

## What it does
Finds a CORS middleware that sits inside another middleware which can send
a response by itself (a redirect, a 400 or 429, a response returned before
the next handler is called).

## Why is this bad?
The CORS middleware only adds headers to responses that pass through it.
The outer middleware's own responses carry no `Access-Control-Allow-Origin`,
so the browser hides them behind a CORS error ("CORS header
'Access-Control-Allow-Origin' missing") instead of showing the redirect or
status, and the frontend cannot react to it.

## Example
```python
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["api.example.com"])
```

Use instead:
```python
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["api.example.com"])
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
```
"""

from __future__ import annotations

from ..findings import Confidence, Severity
from .base import Rule


class CorsMiddlewareNotOutermost(Rule):
    CODE = "COR307"
    NAME = "cors-middleware-not-outermost"
    SUMMARY = "The CORS middleware sits inside a middleware that answers by itself, so those answers carry no CORS headers."
    SEVERITY = Severity.LOW
    CWE = 0  # a correctness defect: CORS silently does not apply

    def check(self, facts):
        for stack in facts.middleware_stacks:
            for k, cors in enumerate(stack.entries):
                if not cors.is_cors:
                    continue
                outer = [e for e in stack.entries[:k] if e.answers and not e.is_cors]
                # judged where something of the pair is written in this file
                here = [e for e in outer if cors.span is not None or e.span is not None]
                if not here:
                    continue
                first = here[0]
                span = cors.span or stack.span
                others = f" (and {len(here) - 1} more)" if len(here) > 1 else ""
                note = f" ({stack.order_note})" if stack.order_note else ""
                message = (
                    f"{first.name} runs before {cors.name}{others} and {first.answers}; {first.answer} reaches the "
                    f"browser without Access-Control-Allow-Origin, so it shows a CORS error (\"CORS header "
                    f"'Access-Control-Allow-Origin' missing\") instead; "
                    + stack.move_hint.format(cors=cors.name, other=first.name)
                    + note
                )
                unsure = first.conditional or cors.conditional or not first.certain
                confidence = Confidence.MEDIUM if unsure else Confidence.HIGH
                yield self.finding(facts, span, message, confidence=confidence)
