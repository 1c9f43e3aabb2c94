"""COR201 wildcard-origin-with-credentials."""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..findings import Severity
from .base import Rule
from .common import const_strings, credentialed_groups, response_writes


class WildcardOriginWithCredentials(Rule):
    """Hand-written ``Access-Control-Allow-Origin: *`` together with
    ``Access-Control-Allow-Credentials: true`` on the same response."""

    CODE = "COR201"
    NAME = "wildcard-origin-with-credentials"
    SUMMARY = "Access-Control-Allow-Origin '*' is sent together with Access-Control-Allow-Credentials: true."
    SEVERITY = Severity.HIGH

    def check(self, facts):
        credentialed = credentialed_groups(facts)
        for write in response_writes(facts, vocab.ACAO):
            if write.group in credentialed and any(s.strip() == "*" for s in const_strings(write.value)):
                yield self.finding(
                    facts,
                    write.span,
                    "Access-Control-Allow-Origin '*' is combined with Access-Control-Allow-Credentials: true on the same response; browsers reject it, and the usual 'fix' (reflecting the origin) trusts every site",
                )
