"""Decide how strong an origin check is.

``judge(check)`` returns a ``Verdict``: STRONG (only intended origins pass),
WEAK (an attacker-registrable origin passes; ``proof`` names one), UNKNOWN
(cannot tell), or NONE (the check does not restrict the origin at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ..facts.model import CheckKind, Guard, OriginCheck


class Strength(IntEnum):
    NONE = 0
    WEAK = 1
    UNKNOWN = 2
    STRONG = 3


@dataclass(frozen=True)
class Verdict:
    strength: Strength
    proof: str | None = None  # an origin an attacker controls that passes
    reason: str = ""
    check: OriginCheck | None = None


ATTACKER = "attacker.example"


def judge(check: OriginCheck, trusted_validators: tuple[str, ...] = ()) -> Verdict:
    kind = check.kind
    if kind in (CheckKind.EQUALS, CheckKind.IN_COLLECTION):
        return Verdict(Strength.STRONG, check=check)
    if kind in (CheckKind.NOT_EQUALS, CheckKind.NOT_IN_COLLECTION, CheckKind.NEGATED):
        return Verdict(Strength.WEAK, f"https://{ATTACKER}", "a denylist lets every other origin through", check)
    if kind == CheckKind.IN_STRING:
        s = check.patterns[0] if check.patterns else ""
        proof = s[: max(1, len(s) - 1)] if s else ""
        return Verdict(Strength.WEAK, proof or None, "membership in a string is a substring test", check)
    if kind == CheckKind.CONTAINS:
        p = check.patterns[0] if check.patterns else "example.com"
        host = p.split("://", 1)[-1]
        return Verdict(Strength.WEAK, f"https://{host}.{ATTACKER}", "a substring test", check)
    if kind == CheckKind.STARTSWITH:
        p = check.patterns[0] if check.patterns else "https://example.com"
        return Verdict(Strength.WEAK, f"{p}.{ATTACKER}", "startswith() accepts any longer host", check)
    if kind == CheckKind.ENDSWITH:
        weak = [p for p in check.patterns if not (p.startswith(".") or "://" in p)]
        if not weak:
            return Verdict(Strength.STRONG, check=check)
        host = weak[0].split("://", 1)[-1]
        return Verdict(Strength.WEAK, f"https://attacker{host}", "endswith() without a leading dot", check)
    if kind == CheckKind.REGEX:
        p = check.patterns[0] if check.patterns else ""
        if check.matcher != "fullmatch" and not (p.endswith("$") or p.endswith("\\Z")):
            return Verdict(Strength.WEAK, None, f"re.{check.matcher or 'match'} without an end anchor", check)
        return Verdict(Strength.STRONG, check=check)
    if kind == CheckKind.VALIDATOR:
        return Verdict(Strength.UNKNOWN, check=check)
    return Verdict(Strength.UNKNOWN, check=check)


def judge_guard(guard: Guard, trusted_validators: tuple[str, ...] = ()) -> Verdict:
    """Strength of a whole guard: a conjunction is as strong as its strongest
    part, a disjunction as weak as its weakest."""
    verdicts = [judge(c, trusted_validators) for c in guard.checks]
    verdicts += [judge_guard(g, trusted_validators) for g in guard.children]
    if not verdicts:
        return Verdict(Strength.NONE)
    if guard.conjunctive:
        return max(verdicts, key=lambda v: v.strength)
    return min(verdicts, key=lambda v: v.strength)


def judge_guards(guards, trusted_validators: tuple[str, ...] = ()) -> Verdict:
    """All guards hold at once: the strongest one decides."""
    verdicts = [judge_guard(g, trusted_validators) for g in guards]
    verdicts = [v for v in verdicts if v.strength != Strength.NONE]
    if not verdicts:
        return Verdict(Strength.NONE)
    return max(verdicts, key=lambda v: v.strength)
