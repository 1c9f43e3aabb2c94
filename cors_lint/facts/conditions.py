"""Path conditions as plain atoms, to tell apart writes that never meet.

A condition ``if ALLOW_ALL and not CREDENTIALS:`` holds the atoms
``("ALLOW_ALL", True)`` and ``("CREDENTIALS", False)``.  Two facts whose atoms
contradict (the same test text with opposite polarity) are on exclusive
paths: ``Access-Control-Allow-Origin: *`` in that branch and
``Access-Control-Allow-Credentials: true`` under ``if CREDENTIALS:`` never
end up on the same response.  Only conjunctions are split; a disjunction is
one opaque atom.
"""

from __future__ import annotations

from typing import Iterable

import libcst as cst

Atom = tuple[str, bool]

# The value is only a fallback for requests that carry no Origin header
# (``origin or "*"``, ``origin if origin else "*"``): no browser applies CORS
# to such a response, so what the fallback is does not matter.
ORIGIN_ABSENT: Atom = ("<no Origin header>", True)


def atoms_of(test: cst.BaseExpression, polarity: bool, text) -> frozenset[Atom]:
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return atoms_of(test.expression, not polarity, text)
    whole = frozenset({(text(test), polarity)})
    if isinstance(test, cst.BooleanOperation):
        splits = isinstance(test.operator, cst.And) == polarity
        if splits:
            # keep the whole test as well: the same condition may be seen
            # elsewhere unsplit ("if a or b:" vs the survivor of "not (a or b)")
            return whole | atoms_of(test.left, polarity, text) | atoms_of(test.right, polarity, text)
    return whole


def atoms_of_guards(raw_guards: Iterable, text) -> frozenset[Atom]:
    out: frozenset[Atom] = frozenset()
    for raw in raw_guards:
        out |= atoms_of(raw.test, raw.polarity, text)
    return out


def exclusive(a: frozenset[Atom], b: frozenset[Atom]) -> bool:
    """True if the two sets of conditions can never hold together."""
    if not a or not b:
        return False
    return any((t, not p) in b for t, p in a)
