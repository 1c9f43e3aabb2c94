"""COR201 wildcard-origin-with-credentials: Access-Control-Allow-Origin '*' is sent together with Access-Control-Allow-Credentials: true.

Browsers refuse `*` with credentials, so the requests fail; the usual next
step, reflecting the request's Origin to make them work, gives every site
the user's cookies (COR101).

The full description, examples and fix: docs/rules/COR201.md.
"""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..facts.conditions import ORIGIN_ABSENT
from ..findings import Severity
from .base import Rule
from .common import alternatives, credentialed, response_writes


class WildcardOriginWithCredentials(Rule):
    CODE = "COR201"
    NAME = "wildcard-origin-with-credentials"
    SUMMARY = "Access-Control-Allow-Origin '*' is sent together with Access-Control-Allow-Credentials: true."
    SEVERITY = Severity.HIGH

    def check(self, facts):
        for write in response_writes(facts, vocab.ACAO):
            stars = [
                alt
                for alt in alternatives(write.value)
                if (alt.str_value() or "").strip() == "*" and ORIGIN_ABSENT not in alt.conditions
            ]
            if any(credentialed(facts, write, alt.conditions) for alt in stars):
                yield self.finding(
                    facts,
                    write.span,
                    "Access-Control-Allow-Origin '*' is combined with Access-Control-Allow-Credentials: true on the same response; browsers reject it, and the usual 'fix' (reflecting the origin) trusts every site",
                )
