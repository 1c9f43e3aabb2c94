"""COR204 wildcard-in-credentialed-preflight: '*' in Access-Control-Allow-Headers/-Methods/Expose-Headers on a credentialed response is taken literally.

With credentials, browsers read `*` in these headers as a name literally
`*`, so the preflight does not allow what was meant and the request fails
(a bug more than a vulnerability).

The full description, examples and fix: docs/rules/COR204.md.
"""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..findings import Severity
from .base import Rule
from .common import alternatives, credentialed, response_writes

_NAMES = {vocab.ACAH: "Access-Control-Allow-Headers", vocab.ACAM: "Access-Control-Allow-Methods", vocab.ACEH: "Access-Control-Expose-Headers"}


def _has_star(value) -> bool:
    for alt in alternatives(value):
        s = alt.str_value()
        if s is not None and "*" in [p.strip() for p in s.split(",")]:
            return True
        if alt.kind in ("seq", "join") and any(i.str_value() is not None and i.str_value().strip() == "*" for i in alt.items):
            return True
    return False


class WildcardInCredentialedPreflight(Rule):
    CODE = "COR204"
    NAME = "wildcard-in-credentialed-preflight"
    SUMMARY = "'*' in Access-Control-Allow-Headers/-Methods/Expose-Headers on a credentialed response is taken literally."
    SEVERITY = Severity.LOW

    def check(self, facts):
        for name, label in _NAMES.items():
            for write in response_writes(facts, name):
                if _has_star(write.value) and credentialed(facts, write):
                    yield self.finding(
                        facts,
                        write.span,
                        f"{label} '*' on a credentialed response is treated as a literal name by browsers, so the request fails; list the names explicitly",
                    )
        for policy in facts.policies:
            if policy.credentials and policy.literal_wildcard_headers:
                for setting in policy.preflight_wildcards:
                    yield self.finding(
                        facts,
                        setting.span,
                        f"{policy.library} sends {setting.name}='*' literally, and with credentials browsers treat '*' as a name, not a wildcard",
                    )
