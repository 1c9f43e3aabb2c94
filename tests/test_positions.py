"""Positions computed per top-level statement equal libcst's module-wide
``PositionProvider`` for every node of every fixture (and of awkward
layouts), so findings keep their exact lines and columns."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from cors_lint.facts.context import ModuleContext
from cors_lint.findings import Span
from cors_lint.parsing import ParseRefused, parse_guarded

FIXTURES = sorted((Path(__file__).parent / "fixtures").rglob("*.py"))

AWKWARD = [
    "# header comment\n\n\nimport os\n\n\n@decorator\n\n# between\n@other(1,\n  2)\nclass A:\n    x = 1\n",
    "a = 1; b = 2\nif a:\n    c = 'é' + \"ü\"; d = c\nelse:\n    pass\n\n\n# trailing comment\n",
    "x = 1  # \x0c form feed in a comment\n\x0cy = (1,\n     2)\n",
    "def f():\r\n    return 1\r\nz = f()\r\n",
    "async def g():\n    async with a as b:\n        await b\n\n\n\n\n@d\nasync def h(): pass\n",
    "s = '''\nmulti\nline'''; t = s\\\n    + s\n",
]


def nodes(module: cst.CSTNode):
    todo = [module]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(node.children)


def check_same_positions(text: str) -> int:
    module, tree = parse_guarded(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    ctx = ModuleContext(module, "f.py", None, tree)
    count = 0
    inside = [n for n in nodes(module) if n in expected and ctx._top_statement(n) is not None]
    outside = [n for n in nodes(module) if n is not module and n in expected and ctx._top_statement(n) is None]
    for node in inside + outside:  # header/footer comments use module-wide positions
        rng = expected[node]
        assert ctx.resolve_span(node) == Span(rng.start.line, rng.start.column, rng.end.line, rng.end.column), (
            type(node).__name__,
            ctx.text(node),
        )
        count += 1
        if count == len(inside):
            assert ctx._positions is None, "fell back to module-wide positions"
    return count


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_positions(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    try:
        parse_guarded(text)
    except ParseRefused:
        pytest.skip("a fixture of a file that is not parsed")
    assert check_same_positions(text) > 0


@pytest.mark.parametrize("text", AWKWARD, ids=range(len(AWKWARD)))
def test_awkward_layouts(text: str) -> None:
    assert check_same_positions(text) > 0
