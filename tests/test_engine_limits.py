"""The engine stays fast and quiet on pathological but valid input."""

import time

from cors_lint.engine import lint_source


def test_long_expression_chain_is_bounded():
    source = "CORS_ENABLED = True\nx = " + " + ".join(["1"] * 20000) + "\n"
    start = time.perf_counter()
    result = lint_source(source.encode(), "chain.py")
    # a generous safety net: libcst alone would take minutes on this file
    assert time.perf_counter() - start < 10
    assert result.error is not None and "nested too deeply" in result.error.message
    assert [f.code for f in result.findings] == ["COR900"]


def test_deep_but_parseable_nesting_is_analysed():
    chain = " + ".join(["1"] * 1500)
    source = f'x = {chain}\nresp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")\n'
    result = lint_source(source.encode(), "deep.py")
    assert result.error is None
    assert {f.code for f in result.findings} == {"COR101", "COR104"}
