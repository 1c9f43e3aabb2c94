"""Questions several rules ask of the facts (no tree access here either)."""

from __future__ import annotations

from ..checks import Strength, Verdict, guards_pass, judge, judge_guard, judge_guards, without_refuted_insecure
from ..display import is_request_value
from ..facts import headers_vocab as vocab
from ..facts.conditions import exclusive
from ..facts.model import CheckKind, FileFacts, Guard, HeaderWrite, OriginCheck, OriginFlow, Value, WebSocketCheck, unique_checks
from ..facts.value_ops import alternatives


def response_writes(facts: FileFacts, name: str) -> list[HeaderWrite]:
    """Writes of header ``name`` that go on responses (not client requests)."""
    return [w for w in facts.header_writes if w.name == name and not w.on_request]


def const_strings(value: Value) -> list[str]:
    return [s for s in (alt.str_value() for alt in alternatives(value)) if s is not None]


def flows(value: Value) -> list[OriginFlow]:
    out = []
    for alt in alternatives(value):
        if alt.flow is not None:
            out.append(alt.flow)
    return out


def reflected_flows(value: Value) -> list[OriginFlow]:
    return [f for f in flows(value) if f.reflected]


def is_true_credentials(value: Value) -> bool:
    for alt in alternatives(value):
        if alt.const is True:
            return True
        s = alt.str_value()
        if s is not None and s.strip().lower() == "true":
            return True
    return False


def credentialed(facts: FileFacts, write: HeaderWrite, conditions: frozenset = frozenset()) -> bool:
    """Does the response of ``write`` also get ``Access-Control-Allow-Credentials:
    true``?  Same response group, and not on a path that excludes it
    (``conditions``: extra conditions of the value alternative in question)."""
    mine = write.conditions | conditions
    for acac in response_writes(facts, vocab.ACAC):
        if write.same_response(acac) and is_true_credentials(acac.value) and not exclusive(mine, acac.conditions):
            return True
    return False


def guards_of(write: HeaderWrite, flow: OriginFlow | None) -> tuple[Guard, ...]:
    """Every guard that holds where this value reaches this write."""
    seen: dict[tuple, Guard] = {}
    for g in write.guards + (flow.guards if flow is not None else ()):
        seen.setdefault((g.span, g.text, g.checks), g)
    return tuple(seen.values())


_DENYLIST = {CheckKind.NOT_EQUALS, CheckKind.NOT_IN_COLLECTION, CheckKind.NEGATED}


def _only_other_source(guard: Guard, header: str) -> bool:
    """Does every check of ``guard`` test a value other than ``header``?

    A validator given the Origin or the Referer may judge the request as a
    whole, so it still counts; one given another request value
    (``INDEX.get(project, slug)`` with a path parameter, before raising a
    404) says nothing about the value written."""
    checks = list(guard.checks)
    stack = list(guard.children)
    while stack:
        child = stack.pop()
        checks.extend(child.checks)
        stack.extend(child.children)
    return bool(checks) and all(c.source != header and (c.kind != CheckKind.VALIDATOR or is_request_value(c.source)) for c in checks)


def _presence_test(verdict: Verdict) -> bool:
    """``origin != ""`` only says an origin was sent, like ``if origin:``."""
    check = verdict.check
    return (
        check is not None
        and check.kind in (CheckKind.NOT_EQUALS, CheckKind.NOT_IN_COLLECTION)
        and bool(check.patterns)
        and all(not p.strip() for p in check.patterns)
    )


def protection(write: HeaderWrite, flow: OriginFlow | None, trusted: tuple[str, ...]) -> Verdict:
    """The strongest guard protecting this value at this write.

    Among equally weak guards, a positive test is the one to blame: in
    ``if trusted(o): ... elif o.endswith("x.com"):`` the elif branch also
    carries "not trusted(o)", which restricts nothing by itself."""
    guards = guards_of(write, flow)
    if flow is not None:
        # a check of the Referer protects nothing when the Origin is echoed
        guards = tuple(g for g in guards if not _only_other_source(g, flow.header))
    verdicts = [judge_guard(g, trusted) for g in guards]
    verdicts = [v for v in verdicts if v.strength != Strength.NONE and not _presence_test(v)]
    if not verdicts:
        return Verdict(Strength.NONE)
    best = max(verdicts, key=lambda v: (v.strength, v.check is not None and not _denial(v.check)))
    # nested tests hold together: a plain-HTTP twin one admits must pass the others
    return without_refuted_insecure(best, lambda origin: guards_pass(guards, origin))


def _denial(check: OriginCheck) -> bool:
    """A test that only says which origins are *not* let through: a
    denylist, or the negation of an earlier branch's test (``not (scheme_ok
    and host in HOSTS)`` on the way to the next ``if``)."""
    return check.kind in _DENYLIST or (check.kind == CheckKind.EXPRESSION and bool(check.expr) and check.expr[0] == "not")


def is_dynamic(write: HeaderWrite) -> bool:
    """ACAO depends on the request: it carries or was looked up from the
    origin, or a test on the origin decides whether it is sent."""
    if flows(write.value):
        return True
    return any((g.checks or g.children) and not _only_other_source(g, "origin") for g in write.guards)


def websocket_checks_to_judge(ws: WebSocketCheck, trusted_validators: tuple[str, ...] = ()) -> tuple[OriginCheck, ...]:
    """The checks of a WebSocket ``check_origin`` worth judging one by one:
    none from an accepting path whose guards together already hold only for
    exact origins (``origin.startswith("https://") and origin in ALLOWED``
    is strong as a whole), and, on a weak path, not a part whose own proof
    the rest of the path rejects (in ``scheme == "https" and
    host.endswith("example.com")`` the scheme test is not the weak one)."""
    out = []
    for group in ws.groups:
        if judge_guards(group.guards, trusted_validators).strength == Strength.STRONG:
            continue
        for check in group.checks:
            if len(group.checks) > 1:
                verdict = judge(check, trusted_validators)
                if verdict.is_weak and verdict.proof and guards_pass(group.guards, verdict.proof) is False:
                    continue
            out.append(check)
    return unique_checks(out)


def denial_bypass(ws: WebSocketCheck, check: OriginCheck) -> str:
    """For a denylist-style ``check`` of a WebSocket origin predicate: the
    path that accepts the origins it rejects, when a condition on something
    else decides it (sockjs-tornado: ``if not same_domain`` ... ``elif
    allow_origin == "*": return True``).  The denylist is where the origin
    is tested, but that branch is where an attacker gets through."""
    if not _denial(check):
        return ""
    for group in ws.groups:
        if check in group.checks and group.accepted_when and group.accepted_at is not None:
            return f"; every origin it rejects is accepted on line {group.accepted_at.line} when `{group.accepted_when}`"
    return ""


def any_origin_with_credentials_at(facts: FileFacts, span) -> bool:
    """Is ``span`` where a policy that accepts every origin with credentials
    has its origins (COR202 reports there), or inside the configuring call
    that leaves them at an every-origin default?  An ignored argument that
    leaves the origins at that default is then one mistake, reported once,
    by the rule that says what it costs."""
    return any(
        not p.websocket
        and p.any_origin
        and p.credentials is True
        and p.origins_setting is not None
        and (p.origins_setting.span == span or (not p.origins_setting.explicit and _inside(span, p.origins_setting.span)))
        for p in facts.policies
    )


def _inside(inner, outer) -> bool:
    return (outer.line, outer.col) <= (inner.line, inner.col) and (inner.end_line, inner.end_col) <= (outer.end_line, outer.end_col)
