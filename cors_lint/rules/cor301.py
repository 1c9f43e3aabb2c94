"""COR301 multiple-origins-in-header: Access-Control-Allow-Origin holds several origins; browsers accept exactly one.

`Access-Control-Allow-Origin` carries exactly one origin, so a list fails the
CORS check for every origin, and the usual workaround is to reflect the
Origin without a check (COR101).

The full description, examples and fix: docs/rules/COR301.md.
"""

from __future__ import annotations

import re

from ..facts import headers_vocab as vocab
from ..findings import Confidence, Severity
from ..display import quoted
from .base import Rule
from .common import alternatives, response_writes

# One non-separator, a run of separators, one non-separator.  Linear: the
# obvious ``[^\s,]+[\s,]+[^\s,]+`` rescans the rest of the string from every
# start position, and took over a minute on a 100 KB literal.
_SEPARATED = re.compile(r"[^\s,][\s,]+[^\s,]")


def _separates(sep: str) -> bool:
    """``", ".join`` lists origins; ``"".join(["https://", host])`` builds one."""
    return "," in sep or (sep != "" and sep.strip() == "")


class MultipleOriginsInHeader(Rule):
    CODE = "COR301"
    NAME = "multiple-origins-in-header"
    SUMMARY = "Access-Control-Allow-Origin holds several origins; browsers accept exactly one."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        for write in response_writes(facts, vocab.ACAO):
            for alt in alternatives(write.value):
                found = self._several(alt)
                if found is None:
                    continue
                what, confidence = found
                yield self.finding(
                    facts,
                    write.span,
                    f"Access-Control-Allow-Origin is set to {what}; browsers accept exactly one origin, so pick the matching one per request",
                    confidence=confidence,
                )
                break

    @staticmethod
    def _several(alt):
        """(description, confidence) when this value holds several origins."""
        s = alt.str_value()
        if s is not None and _SEPARATED.search(s.strip()):
            return quoted(s), Confidence.HIGH
        if alt.kind == "join" and isinstance(alt.const, str) and _separates(alt.const):
            # a list from an environment default (its items, or an empty
            # one) may hold several origins where it is deployed
            unresolved = any(item.kind == "unknown" for item in alt.items) or alt.from_default
            if not unresolved and len(alt.items) < 2:
                return None  # joining one origin gives one origin
            return f"a list joined with {quoted(alt.const)} ({alt.text or 'join'})", Confidence.MEDIUM if unresolved else Confidence.HIGH
        if alt.kind == "seq" and len(alt.items) != 1:
            # an environment default's list: the deployed value may hold one
            return f"a list ({alt.text or 'list'})", Confidence.MEDIUM if alt.from_default else Confidence.HIGH
        return None
