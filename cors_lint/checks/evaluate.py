"""Run a recorded origin test (``facts/expressions``) on a candidate origin.

A small interpreter of pure operations only: ``str`` methods, slicing and
indexing, comparisons and ``in``, ``urlparse``/``urlsplit`` attributes,
the ``re`` functions and compiled patterns (screened by ``regex_safety``
before they are compiled, and run under the caller's deadline),
``fnmatch``, ``len``/``str``/``bool`` and ``any``/``all`` over known
collections.  Nothing from the scanned code is imported or executed.

``holds(tree, origin)`` answers whether the test passes.  An exception the
real code would raise (``origin.split("://")[1]`` on ``null``, a ``None``
hostname) means the request does not get through: ``False``.  Anything the
interpreter does not model raises ``Unknown``: the verdict is then unknown,
never strong.
"""

from __future__ import annotations

import fnmatch
import itertools
import operator
import re
from urllib.parse import urlparse, urlsplit

from . import regex_safety as rs

MAX_CHOICES = 64
MAX_TEXT = 4000  # longest string any operation may build


class Unknown(Exception):
    """The expression uses something the interpreter does not model."""


class _Raised(Exception):
    """The real code would raise here."""


_STR_METHODS = frozenset(
    {
        "split", "rsplit", "partition", "rpartition", "find", "rfind", "index", "rindex", "count",
        "lower", "upper", "casefold", "strip", "lstrip", "rstrip", "removeprefix", "removesuffix",
        "replace", "startswith", "endswith", "isdigit", "isalpha", "isalnum",
    }
)
_COMPARE = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "in": lambda a, b: operator.contains(b, a), "not in": lambda a, b: not operator.contains(b, a),
}
_URL_ATTRIBUTES = frozenset({"netloc", "hostname", "scheme", "port", "path"})


class _Pattern:
    """A screened, compiled regex (the only kind the interpreter runs)."""

    __slots__ = ("compiled",)

    def __init__(self, pattern: str, flags: int) -> None:
        try:
            self.compiled = rs.compile_screened(pattern, flags)
        except rs.UnsafePattern as exc:
            raise Unknown(f"regex {pattern!r} not evaluated: {exc}") from None
        except re.error as exc:
            raise _Raised(str(exc)) from None


def holds(tree: tuple, origin: str) -> bool:
    """Does the recorded test pass for ``origin``?  (``Unknown`` when it
    cannot be run.)"""
    choices = _choices(tree, [])
    if not choices:
        return _truth(tree, origin, {})
    names = [name for name, _ in choices]
    pools = []
    for _, it in choices:
        items = _run(it, origin, {})
        if not isinstance(items, tuple):
            raise Unknown("a loop over something that is not a known collection")
        pools.append(items)
    for count, combo in enumerate(itertools.product(*pools)):
        if count >= MAX_CHOICES:
            raise Unknown("too many combinations of loop variables")
        if _truth(tree, origin, dict(zip(names, combo))):
            return True
    return False


def nodes(tree):
    """Every operation node of a tree (argument tuples looked through)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, tuple) or not node:
            continue
        if isinstance(node[0], str):
            yield node
            if node[0] in ("const", "regex"):
                continue
            stack.extend(reversed(node[1:]))
        else:
            stack.extend(reversed(node))


def constants(tree) -> list[str]:
    """Every string constant in the tree (where intended origins come from)."""
    return [n[1] for n in nodes(tree) if n[0] == "const" and isinstance(n[1], str)]


def regexes(tree) -> list[tuple[str, int]]:
    """Regex patterns the tree runs: compiled ones and ``re.*`` first arguments."""
    out: list[tuple[str, int]] = []
    for node in nodes(tree):
        if node[0] == "regex":
            out.append((node[1], node[2]))
        elif node[0] == "call" and node[1].startswith("re.") and node[2] and node[2][0][0] == "const" and isinstance(node[2][0][1], str):
            out.append((node[2][0][1], node[3]))
    return out


def globs(tree) -> list[str]:
    return [
        n[2][1][1]
        for n in nodes(tree)
        if n[0] == "call" and n[1] in ("fnmatch", "fnmatchcase") and len(n[2]) == 2 and n[2][1][0] == "const" and isinstance(n[2][1][1], str)
    ]


def substring_haystacks(tree) -> list[str]:
    """Constant strings the origin (or part of it) is looked up in with
    ``in``: truncated entries of them are candidates."""
    out: list[str] = []
    for node in nodes(tree):
        if node[0] == "cmp":
            for op, left, right in zip(node[1], node[2], node[2][1:]):
                if op in ("in", "not in") and right[0] == "const" and isinstance(right[1], str) and _mentions_origin(left):
                    out.append(right[1])
    return out


def _mentions_origin(tree) -> bool:
    if tree == ("origin",):
        return True
    return isinstance(tree, tuple) and any(isinstance(t, tuple) and _mentions_origin(t) for t in tree)


def _choices(tree, found: list) -> list:
    for node in nodes(tree):
        if node[0] == "choice" and all(name != node[1] for name, _ in found):
            found.append((node[1], node[2]))
    return found


def _truth(tree, origin: str, env: dict) -> bool:
    try:
        return bool(_run(tree, origin, env))
    except _Raised:
        return False
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, OverflowError):
        return False


def _run(tree, origin: str, env: dict):
    tag = tree[0]
    if tag == "origin":
        return origin
    if tag == "const":
        return tree[1]
    if tag == "seq":
        return tuple(_run(t, origin, env) for t in tree[1])
    if tag == "regex":
        return _Pattern(tree[1], tree[2])
    if tag in ("var", "choice"):
        if tree[1] not in env:
            raise Unknown(f"unbound name {tree[1]}")
        return env[tree[1]]
    if tag == "not":
        return not _run(tree[1], origin, env)
    if tag == "neg":
        value = _run(tree[1], origin, env)
        if not isinstance(value, int) or isinstance(value, bool):
            raise Unknown("negating something that is not a number")
        return -value
    if tag == "and":
        return _run(tree[1], origin, env) and _run(tree[2], origin, env)
    if tag == "or":
        return _run(tree[1], origin, env) or _run(tree[2], origin, env)
    if tag == "cmp":
        left = _run(tree[2][0], origin, env)
        for op, right_tree in zip(tree[1], tree[2][1:]):
            right = _run(right_tree, origin, env)
            _check_operands(op, left, right)
            if not _COMPARE[op](left, right):
                return False
            left = right
        return True
    if tag == "method":
        return _method(tree[1], _run(tree[2], origin, env), [_run(a, origin, env) for a in tree[3]])
    if tag == "attr":
        recv = _run(tree[2], origin, env)
        if not hasattr(recv, "_fields") or tree[1] not in _URL_ATTRIBUTES:
            raise Unknown(f"attribute {tree[1]} of something that is not a parsed URL")
        return getattr(recv, tree[1])
    if tag == "index":
        recv, key = _run(tree[1], origin, env), _run(tree[2], origin, env)
        if not isinstance(recv, (str, tuple, list)) or not isinstance(key, int) or isinstance(key, bool):
            raise Unknown("indexing something that is not a string or sequence")
        return recv[key]
    if tag == "slice":
        recv = _run(tree[1], origin, env)
        bounds = [_run(t, origin, env) for t in tree[2:5]]
        if not isinstance(recv, (str, tuple, list)) or not all(b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in bounds):
            raise Unknown("slicing something that is not a string or sequence")
        return recv[slice(*bounds)]
    if tag == "call":
        return _call(tree[1], [_run(a, origin, env) for a in tree[2]], tree[3])
    if tag in ("any", "all"):
        items = _run(tree[3], origin, env)
        if not isinstance(items, tuple):
            raise Unknown(f"{tag}() over something that is not a known collection")
        results = (_run(tree[1], origin, {**env, tree[2]: item}) for item in items)
        return any(results) if tag == "any" else all(results)
    raise Unknown("an operation that is not modelled")


def _check_operands(op: str, left, right) -> None:
    if op in ("in", "not in"):
        if not isinstance(right, (str, tuple)):
            raise Unknown("membership in something that is not a string or collection")
        if isinstance(right, str) and not isinstance(left, str):
            raise _Raised("'in <string>' requires a string")
    for side in (left, right):
        if isinstance(side, _Pattern) or side is ...:
            raise Unknown("a comparison with a regex object")


def _method(name: str, recv, args: list):
    if isinstance(recv, _Pattern):
        if name not in ("match", "search", "fullmatch") or len(args) != 1 or not isinstance(args[0], str):
            raise Unknown(f"regex method {name}")
        return _regex(recv, name, args[0])
    if not isinstance(recv, str):
        if recv is None:
            raise _Raised("a method of None")
        raise Unknown(f"{name}() on something that is not a string")
    if name not in _STR_METHODS:
        raise Unknown(f"str.{name} is not modelled")
    for arg in args:
        if not (arg is None or isinstance(arg, (str, int)) or (isinstance(arg, tuple) and all(isinstance(a, str) for a in arg))):
            raise Unknown(f"str.{name} with an argument that is not a constant")
    result = getattr(recv, name)(*args)
    if isinstance(result, str) and len(result) > MAX_TEXT:
        raise Unknown("a string too long to analyse")
    if isinstance(result, list):
        result = tuple(result)
    return result


def _regex(pattern: _Pattern, fn: str, subject: str):
    if len(subject) > rs.MAX_SUBJECT:
        raise Unknown("subject too long to match safely")
    return getattr(pattern.compiled, fn)(subject) is not None


def _call(name: str, args: list, flags: int):
    if name in ("re.match", "re.search", "re.fullmatch"):
        if len(args) != 2 or not isinstance(args[1], str):
            raise _Raised("re function on a non-string")
        pattern = args[0] if isinstance(args[0], _Pattern) else None
        if pattern is None:
            if not isinstance(args[0], str):
                raise Unknown("a regex that is not a constant")
            pattern = _Pattern(args[0], flags)
        return _regex(pattern, name.split(".", 1)[1], args[1])
    if name in ("fnmatch", "fnmatchcase"):
        if len(args) != 2 or not all(isinstance(a, str) for a in args):
            raise Unknown("fnmatch with a pattern that is not a constant")
        if len(args[1]) > 200:
            raise Unknown("glob too long")
        return (fnmatch.fnmatch if name == "fnmatch" else fnmatch.fnmatchcase)(*args)
    if name in ("urlparse", "urlsplit"):
        if len(args) != 1 or not isinstance(args[0], str):
            raise Unknown(f"{name} of something that is not a string")
        return (urlparse if name == "urlparse" else urlsplit)(args[0])
    if name == "len" and len(args) == 1 and isinstance(args[0], (str, tuple)):
        return len(args[0])
    if name == "str" and len(args) == 1 and isinstance(args[0], (str, int, type(None))):
        return str(args[0])
    if name == "bool" and len(args) == 1:
        return bool(args[0])
    raise Unknown(f"{name}() is not modelled")
