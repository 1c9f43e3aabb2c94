"""COR104 dynamic-origin-without-vary: Access-Control-Allow-Origin depends on the request but the response never sends Vary: Origin.

Without `Vary: Origin` a shared cache can replay the answer chosen for one
origin to a request from another: legitimate origins fail at random, and
one origin's permission reaches whoever asks next.

The full description, examples and fix: docs/rules/COR104.md.
"""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..findings import Edit, Fix, Severity
from ..checks import EXACT_MODES
from ..display import is_request_value, library_name, request_value
from .base import Rule
from .common import flows, is_dynamic, reflected_flows, response_writes


def _how(write) -> str:
    reflected = reflected_flows(write.value)
    if reflected and is_request_value(reflected[0].header):
        return f"echoes {request_value(reflected[0].header)} ({reflected[0].source})"
    if reflected:
        what = "Referer" if reflected[0].header == "referer" else "Origin"
        return f"echoes the request {what} ({reflected[0].source})"
    derived = flows(write.value)
    if derived and is_request_value(derived[0].header):
        return f"is derived from {request_value(derived[0].header)} ({write.value.text or 'a lookup'})"
    if derived:
        return f"is derived from the request Origin ({write.value.text or 'a lookup'})"
    return f"({write.value.text or 'its value'}) is only sent when a test on the request Origin passes"


# writes after which fixes/ knows the framework's merging idiom for Vary
FIXABLE_WRITES = ("subscript", "set_header", "add_header", "send_header")


class DynamicOriginWithoutVary(Rule):
    CODE = "COR104"
    NAME = "dynamic-origin-without-vary"
    SUMMARY = "Access-Control-Allow-Origin depends on the request but the response never sends Vary: Origin."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        varied_groups = {v.group for v in facts.vary_writes}  # any Vary at all, Origin or not
        varied_scopes = {v.scope for v in facts.vary_writes}
        origin_varies = [v for v in facts.vary_writes if any(n.strip().lower() in ("origin", "*") for n in v.names)]
        for write in response_writes(facts, vocab.ACAO):
            if not is_dynamic(write):
                continue
            if write.value.kind == "const" and write.value.const == "*":
                continue  # "*" is the same answer for every origin: caches may share it
            vary_groups = facts.vary_origin_groups(write)
            if write.group in vary_groups or (write.responses and write.responses <= vary_groups) or any(v.scope == write.scope and v.covers(write) for v in origin_varies):
                continue
            fix = None
            if write.via in FIXABLE_WRITES and write.group not in varied_groups and write.scope not in varied_scopes:
                # no Vary at all on this response: one added right after the write cannot be overwritten by it
                fix = Fix("add Vary: Origin after the header write", (Edit(write.span, "vary", write.via, "Origin"),))
            yield self.finding(
                facts,
                write.span,
                f"Access-Control-Allow-Origin {_how(write)} but this response never sets Vary: Origin, so shared caches can serve it to other origins",
                fix=fix,
            )
        for policy in facts.policies:
            if policy.vary or policy.websocket or policy.any_origin or policy.origins_unknown:
                continue  # reflect-any is COR202/COR203's finding
            if policy.varies_by_origin is False:
                continue
            patterns = [e for e in policy.entries if e.match not in EXACT_MODES]
            if policy.varies_by_origin is None and len(policy.entries) < 2 and not patterns:
                continue  # one fixed origin: ACAO never changes
            setting = policy.origins_setting
            yield self.finding(
                facts,
                setting.span if setting is not None else policy.span,
                f"{library_name(policy.library)} echoes whichever allowed origin matches in Access-Control-Allow-Origin but never sends Vary: Origin, so shared caches can serve one origin's response to another",
            )
