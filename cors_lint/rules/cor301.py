"""COR301 multiple-origins-in-header."""

from __future__ import annotations

import re

from ..facts import headers_vocab as vocab
from ..findings import Severity
from .base import Rule
from .common import alternatives, response_writes

_SEPARATED = re.compile(r"[^\s,]+[\s,]+[^\s,]+")


class MultipleOriginsInHeader(Rule):
    """ACAO holds several origins; browsers accept exactly one."""

    CODE = "COR301"
    NAME = "multiple-origins-in-header"
    SUMMARY = "Access-Control-Allow-Origin holds several origins; browsers accept exactly one."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        for write in response_writes(facts, vocab.ACAO):
            for alt in alternatives(write.value):
                s = alt.str_value()
                if s is not None and _SEPARATED.search(s.strip()):
                    what = repr(s)
                elif alt.kind == "join":
                    what = f"a join of {len(alt.items)} values ({alt.text or 'join'})"
                elif alt.kind == "seq" and len(alt.items) != 1:
                    what = f"a list ({alt.text or 'list'})"
                else:
                    continue
                yield self.finding(
                    facts,
                    write.span,
                    f"Access-Control-Allow-Origin is set to {what}; browsers accept exactly one origin, so pick the matching one per request",
                )
                break
