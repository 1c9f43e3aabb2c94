"""Small operations on abstract ``Value``s shared by the evaluator and the
facts extractors: building, flattening and annotating values."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from .model import UNKNOWN, OriginFlow, Value

def literal_string(node: cst.BaseExpression) -> str | bytes | None:
    if isinstance(node, cst.SimpleString):
        try:
            return node.evaluated_value
        except Exception:  # pragma: no cover - libcst rejects odd literals
            return None
    if isinstance(node, cst.ConcatenatedString):
        left = literal_string(node.left)
        right = literal_string(node.right)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        if isinstance(left, bytes) and isinstance(right, bytes):
            return left + right
    return None


def const(value, node: cst.CSTNode | None = None, ctx=None, from_default: bool = False) -> Value:
    return Value("const", value, from_default=from_default)


#: Alternatives kept in one value.  A parameter fed by call sites whose
#: arguments are parameters fed by call sites multiplies its alternatives at
#: every hop (fastapi's routing.py grew past 24 GB); past this many, only the
#: request-derived ones matter to a rule, and the rest become "unknown".
MAX_ALTERNATIVES = 48


def either(*values: Value) -> Value:
    flat: list[Value] = []
    seen: set = set()
    for v in values:
        for item in v.items if v.kind == "either" else (v,):
            try:
                key = item if len(flat) < MAX_ALTERNATIVES else id(item)
                hash(key)
            except TypeError:
                key = id(item)
            if key in seen:
                continue
            seen.add(key)
            flat.append(item)
    if len(flat) > MAX_ALTERNATIVES:
        flat = [item for item in flat if flow_of(item) is not None][: MAX_ALTERNATIVES - 1] + [UNKNOWN]
    if len(flat) == 1:
        return flat[0]
    return Value("either", items=tuple(flat))


def alternatives(value: Value) -> tuple[Value, ...]:
    return value.items if value.kind == "either" else (value,)


def flow_of(value: Value) -> OriginFlow | None:
    """The first origin flow in a value (looking through alternatives,
    sequences, joins and the values of a dict)."""
    if value.flow is not None:
        return value.flow
    for item in value.items + value.values:
        f = flow_of(item)
        if f is not None:
            return f
    return None


def with_guards(value: Value, guards: tuple) -> Value:
    if not guards:
        return value
    if value.kind == "either":
        return Value("either", items=tuple(with_guards(v, guards) for v in value.items))
    if value.flow is not None:
        return replace(value, flow=replace(value.flow, guards=value.flow.guards + guards))
    if value.items or value.values:
        return replace(value, items=tuple(with_guards(v, guards) for v in value.items), values=tuple(with_guards(v, guards) for v in value.values))
    return value


def with_conditions(value: Value, atoms: frozenset) -> Value:
    if not atoms:
        return value
    if value.kind == "either":
        return Value("either", items=tuple(with_conditions(v, atoms) for v in value.items))
    return replace(value, conditions=value.conditions | atoms)


def bitor_parts(node: cst.BaseExpression):
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        yield from bitor_parts(node.left)
        yield from bitor_parts(node.right)
    else:
        yield node


def strip_spans(value: Value) -> Value:
    """A copy without source positions (for values from another file, whose
    spans would point at wrong lines here)."""
    if value.flow is not None:
        return UNKNOWN  # request data of another module means nothing here
    items = tuple(strip_spans(i) for i in value.items)
    return replace(value, span=None, items=items)
