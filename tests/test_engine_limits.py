"""The engine's budgets: fixed numbers measured on the ``ast`` tree, so a file
is accepted or refused the same way on every supported Python."""

import pytest

from cors_lint.engine import lint_source
from cors_lint.parsing import DEPTH_REASON, MAX_CHAIN, MAX_DEPTH, MAX_NODES, ParseRefused, check_budgets, check_with_python

HEADER = 'resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")\n'


def refusal(source: str) -> str:
    result = lint_source(source.encode(), "f.py")
    assert result.error is not None, "expected a refusal"
    assert [f.code for f in result.findings] == ["COR900"]
    return result.error.message


def test_long_expression_chain_is_bounded():
    # 3.10's parser accepts this chain, 3.11+ refuse it themselves: same message
    source = "CORS_ENABLED = True\nx = " + " + ".join(["1"] * 20000) + "\n"
    assert refusal(source) == DEPTH_REASON


def test_deep_but_parseable_nesting_is_analysed():
    chain = " + ".join(["1"] * (MAX_DEPTH - 100))
    source = f"x = {chain}\n{HEADER}"
    result = lint_source(source.encode(), "deep.py")
    assert result.error is None
    assert {f.code for f in result.findings} == {"COR101", "COR104"}


def test_depth_just_past_the_budget_is_refused_on_every_python():
    """1,100 levels: below what any supported interpreter refuses itself."""
    source = "x = " + " + ".join(["1"] * (MAX_DEPTH + 100)) + "\n" + HEADER
    assert DEPTH_REASON == refusal(source)


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "-" * 20000 + "1\n",
        "x = " + "(" * 2000 + "1" + ")" * 2000 + "\n",
        "x = " + "not " * 5000 + "y\n",
    ],
    ids=["unary-minus", "parentheses", "not"],
)
def test_deep_nesting_of_every_kind_is_refused(source):
    assert DEPTH_REASON == refusal("CORS = 1\n" + source)


def test_long_call_chain_is_refused_before_libcst_sees_it():
    source = HEADER + "q = a" + ".b()" * (MAX_CHAIN // 2 + 1) + "\n"
    assert refusal(source) == DEPTH_REASON


def test_call_chain_within_budget_is_analysed():
    source = "q = a" + ".b()" * (MAX_CHAIN // 2) + "\n" + HEADER
    result = lint_source(source.encode(), "chain.py")
    assert result.error is None and "COR101" in {f.code for f in result.findings}


def test_node_budget():
    body = "".join(f"h{i} = [1, 2, 3, 4]\n" for i in range(MAX_NODES // 7 + 1))
    assert refusal("CORS = 1\n" + body) == f"file too large to analyze (more than {MAX_NODES} syntax nodes)"


def test_refusals_name_a_line():
    source = "\n" * 5 + "q = a" + "[0]" * (MAX_CHAIN + 1) + "\n"
    with pytest.raises(ParseRefused) as info:
        check_budgets(check_with_python(source))
    assert info.value.line == 6


def test_python_warnings_about_scanned_code_are_not_printed(recwarn):
    source = 'import re\nP = "\\d+"\nx = 1(2)\n' + HEADER
    result = lint_source(source.encode(), "warns.py")
    assert result.error is None
    assert [w for w in recwarn if issubclass(w.category, SyntaxWarning)] == []


GATE = "def view(request):\n    if request.headers.get('Origin') != SITE:\n        abort(403)\n"
NO_GATE = "RASTER = {'origin': (0, 0)}\n\n\ndef scale(request):\n    abort(403)\n"


def test_budgets_guard_libcst_so_a_gates_only_file_the_screen_settles_is_not_refused():
    """A file that passed the pre-filter on origin-gate markers alone and
    holds no gate never reaches libcst, so its size is no reason to report
    it as not analysed; one that may hold a gate is measured as before."""
    deep = "x = " + " + ".join(["1"] * (MAX_DEPTH + 100)) + "\n"
    assert lint_source((NO_GATE + deep).encode(), "raster.py").findings == []
    assert refusal(GATE + deep) == DEPTH_REASON


def test_without_libcst_the_engine_defers_what_needs_it():
    """``with_libcst=False`` (the runner's own process): settled files give
    their usual result, the others say they need libcst."""
    from cors_lint.engine import EngineOptions

    options = EngineOptions(with_libcst=False)
    assert not lint_source(NO_GATE, "raster.py", options).deferred
    assert lint_source(GATE, "view.py", options).deferred
    assert lint_source(HEADER, "cors.py", options).deferred
    assert lint_source("x = 1\n", "plain.py", options).findings == []
    assert not lint_source("x = 1\n", "plain.py", options).deferred
