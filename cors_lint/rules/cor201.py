"""COR201 wildcard-origin-with-credentials."""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..facts.conditions import ORIGIN_ABSENT
from ..findings import Severity
from .base import Rule
from .common import alternatives, credentialed, response_writes


class WildcardOriginWithCredentials(Rule):
    """Hand-written ``Access-Control-Allow-Origin: *`` together with
    ``Access-Control-Allow-Credentials: true`` on the same response."""

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
