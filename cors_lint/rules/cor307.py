"""COR307 cors-middleware-not-outermost: The CORS middleware sits inside a middleware that answers by itself, so those answers carry no CORS headers.

A CORS middleware only adds headers to the responses that pass through it:
a redirect, 400, 401 or 429 sent by a middleware further out reaches the
browser without them, so the browser reports a CORS error instead of the
real status (and may reject the preflight too).

The full description, examples and fix: docs/rules/COR307.md.
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
