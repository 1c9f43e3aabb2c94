"""The interpreter that runs recorded origin tests (checks/evaluate.py)."""
import time

import pytest

from cors_lint.checks import evaluate, judge, Strength
from cors_lint.facts.model import CheckKind, OriginCheck

O = ("origin",)


def c(v):
    return ("const", v)


def method(name, recv, *args):
    return ("method", name, recv, tuple(args))


def expression(tree):
    return OriginCheck(CheckKind.EXPRESSION, text="test", expr=tree)


def test_partition_then_suffix_runs_like_python():
    host = ("index", method("partition", O, c("://")), c(2))
    tree = method("endswith", host, c("example.com"))
    assert evaluate.holds(tree, "https://attackerexample.com")
    assert not evaluate.holds(tree, "https://example.org")


def test_exception_in_real_code_means_the_request_does_not_pass():
    # "null".split("://")[1] raises IndexError in the scanned code
    tree = method("endswith", ("index", method("split", O, c("://")), c(1)), c(".example.com"))
    assert evaluate.holds(tree, "null") is False


def test_unmodelled_operations_are_unknown_not_false():
    with pytest.raises(evaluate.Unknown):
        evaluate.holds(("call", "open", (O,), 0), "https://a.example.com")
    with pytest.raises(evaluate.Unknown):
        evaluate.holds(method("format", O, c("x")), "https://a.example.com")


def test_find_not_minus_one_is_weak_with_a_verified_proof():
    tree = ("cmp", ("!=",), (method("find", O, c("example.com")), c(-1)))
    verdict = judge(expression(tree))
    assert verdict.strength == Strength.WEAK
    assert "example.com" in verdict.proof and evaluate.holds(tree, verdict.proof)


def test_hostname_equality_and_dotted_suffix_are_strong():
    hostname = ("attr", "hostname", ("call", "urlparse", (O,), 0))
    assert judge(expression(("cmp", ("==",), (hostname, c("example.com"))))).strength == Strength.STRONG
    assert judge(expression(method("endswith", hostname, c(".example.com")))).strength == Strength.STRONG


def test_opaque_expression_is_unknown():
    tree = ("cmp", ("==",), (("opaque",), c("x")))
    assert judge(expression(tree)).strength == Strength.UNKNOWN


def test_hostile_regex_is_refused_quickly():
    tree = ("call", "re.match", (c(r"(a+)+$"), ("index", method("split", O, c("//")), c(1))), 0)
    start = time.perf_counter()
    verdict = judge(expression(tree))
    assert time.perf_counter() - start < 1.0
    assert verdict.strength == Strength.UNKNOWN


def test_loop_choice_passes_when_one_item_passes():
    tree = ("cmp", ("in",), (("choice", "site", ("seq", (c("a.example.com"), c("b.example.com")))), method("lower", O)))
    assert evaluate.holds(tree, "https://b.example.com.attacker.example")
    assert not evaluate.holds(tree, "https://attacker.example")
