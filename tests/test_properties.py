"""Property: no program Python accepts makes the engine fail internally.

hypothesmith generates syntactically valid programs; CORS code is injected
around and inside them so the pre-filter passes them and the facts layer
and rules really run.  Whatever the program, the engine may report findings
or refuse the file with a budget, but never produce a COR900 "internal
error" (which is how an exception inside cors-lint surfaces).

The normal run tries a bounded number of examples; ``pytest -m fuzz`` tries
many more.
"""

from __future__ import annotations

import ast

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cors_lint.engine import lint_source

INJECTED = [
    'resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")\n',
    'resp.headers["Access-Control-Allow-Credentials"] = "true"\n',
    "from starlette.middleware.cors import CORSMiddleware\n",
    'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n',
    "CORS_ALLOWED_ORIGINS = ['https://a.example', 'null']\n",
    "from flask_cors import CORS\nCORS(app, origins='*', supports_credentials=True)\n",
]


def inject(program: str, picks: list[int], where: int, statements: list[str]) -> str:
    """Insert ``statements`` before or inside the generated program
    (between top-level lines, where that stays valid)."""
    lines = program.splitlines(keepends=True)
    head = "".join(statements[i % len(statements)] for i in picks)
    cut = where % (len(lines) + 1)
    candidate = "".join(lines[:cut]) + head + "".join(lines[cut:])
    try:
        ast.parse(candidate)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        candidate = head + program
    return candidate


def with_cors(program: str, picks: list[int], where: int) -> str:
    """CORS statements before, inside and after the generated program."""
    return inject(program, picks, where, INJECTED) + "\n" + INJECTED[0]


def check(program: str, picks: list[int], where: int) -> None:
    source = with_cors(program, picks, where)
    result = lint_source(source.encode("utf-8", "surrogatepass"), "generated.py")
    if result.error is not None:
        assert "internal error" not in result.error.message, (result.error.message, source)


programs = hypothesmith.from_grammar()
picks = st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=4)
where = st.integers(min_value=0, max_value=1000)
common = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
#: each property runs twice: a bounded, repeatable run in the normal suite,
#: and a long random one behind the ``fuzz`` marker
generated = given(programs, picks, where)
bounded = settings(max_examples=30, **common)
long_run = settings(max_examples=2000, **{**common, "derandomize": False})


@bounded
@generated
def test_generated_programs_never_fail_internally(program: str, picks: list[int], where: int) -> None:
    check(program, picks, where)


@pytest.mark.fuzz
@long_run
@generated
def test_generated_programs_never_fail_internally_long_run(program: str, picks: list[int], where: int) -> None:
    check(program, picks, where)


# Markers of a CSRF origin check only (no CORS header): such files take the
# gate screen's way (gate_screen.py), which walks Python's tree itself.
GATE_INJECTED = [
    'def _view(request):\n    if request.headers.get("Origin") != SITE:\n        abort(403)\n',
    'def _referer(request):\n    return request.META["HTTP_REFERER"]\n',
    'def _deny(reason):\n    return {"statusCode": 403, "body": reason}\n',
    'RASTER = {"origin": (0, 0)}\n',
    "raise PermissionDenied\n",
]


def check_gates(program: str, picks: list[int], where: int) -> None:
    """No internal error on the screen's way, and the screen is sound: it
    says a file may hold a gate wherever the extractor finds one."""
    from cors_lint.facts import extract_facts
    from cors_lint.gate_screen import may_hold_origin_gate
    from cors_lint.lines import physical_lines
    from cors_lint.parsing import ParseRefused, parse_guarded

    source = inject(program, picks, where, GATE_INJECTED)
    result = lint_source(source.encode("utf-8", "surrogatepass"), "generated.py")
    if result.error is not None:
        assert "internal error" not in result.error.message, (result.error.message, source)
    try:
        module, tree = parse_guarded(source)
    except (ParseRefused, RecursionError):
        return
    if extract_facts(module, "generated.py", None, tree).origin_gates:
        assert may_hold_origin_gate(tree, physical_lines(source, keepends=True)), source


@bounded
@generated
def test_generated_programs_on_the_gate_screens_way(program: str, picks: list[int], where: int) -> None:
    check_gates(program, picks, where)


@pytest.mark.fuzz
@long_run
@generated
def test_generated_programs_on_the_gate_screens_way_long_run(program: str, picks: list[int], where: int) -> None:
    check_gates(program, picks, where)
