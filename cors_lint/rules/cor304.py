"""COR304 cors-header-on-request: A CORS response header is sent on an outgoing HTTP client request, where it has no effect.

CORS is decided by the server's response and enforced by the browser: a
client sending these headers changes nothing, and the real problem stays
on the server.

The full description, examples and fix: docs/rules/COR304.md.
"""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..findings import Severity
from .base import Rule


class CorsHeaderOnRequest(Rule):
    CODE = "COR304"
    NAME = "cors-header-on-request"
    SUMMARY = "A CORS response header is sent on an outgoing HTTP client request, where it has no effect."
    SEVERITY = Severity.LOW

    def check(self, facts):
        for write in facts.header_writes:
            if write.on_request and write.name in vocab.CORS_RESPONSE_HEADERS:
                yield self.finding(
                    facts,
                    write.span,
                    f"{vocab.display_header(write.name)} is a response header; sending it on an outgoing request has no effect (the server decides CORS)",
                )
