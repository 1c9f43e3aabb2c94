"""COR203 wildcard-origin: Every origin may read responses (without credentials): a library policy or a hand-written Access-Control-Allow-Origin: *.

Fine for public data; for a private or internal service any website a user
visits can read whatever the browser can fetch without cookies, including
services that trust the caller's network address. Off by default.

The full description, examples and fix: docs/rules/COR203.md.
"""

from __future__ import annotations

from ..display import any_origin_message, library_name
from ..findings import Severity
from .base import Rule
from .common import alternatives, credentialed, response_writes
from ..facts import headers_vocab as vocab
from ..facts.conditions import ORIGIN_ABSENT


class WildcardOrigin(Rule):
    CODE = "COR203"
    NAME = "wildcard-origin"
    SUMMARY = "Every origin may read responses (without credentials): a library policy or a hand-written Access-Control-Allow-Origin: *."
    SEVERITY = Severity.LOW
    DEFAULT_ENABLED = False

    def check(self, facts):
        for policy in facts.policies:
            if policy.websocket or not policy.any_origin or policy.credentials is True:
                continue
            span = policy.origins_setting.span if policy.origins_setting is not None else policy.span
            does = "reflects any Origin" if policy.reflects else "allows any Origin"
            # credentials unknown: configured in a module cors-lint does not see
            creds = "without credentials" if policy.credentials is False else "credentials are configured elsewhere; if they are on, every site can read credentialed responses"
            yield self.finding(
                facts,
                span,
                f"{any_origin_message(policy)}: {library_name(policy.library)} {does} ({creds})",
                confidence=policy.confidence,
            )
        for write in response_writes(facts, vocab.ACAO):
            if credentialed(facts, write):
                continue  # '*' with credentials is COR201's finding
            if any((alt.str_value() or "").strip() == "*" and ORIGIN_ABSENT not in alt.conditions for alt in alternatives(write.value)):
                yield self.finding(
                    facts,
                    write.span,
                    "Access-Control-Allow-Origin: * lets every website read these responses (without credentials); fine for public data, worth a look for private APIs",
                )
