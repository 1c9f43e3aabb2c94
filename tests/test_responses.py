"""One response per path: severities and messages the fixture annotations cannot state."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from cors_lint.engine import EngineOptions, lint_source
from cors_lint.facts.responses import method_verb, on_options_path, route_methods
from cors_lint.facts.index import RawGuard
from cors_lint.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures" / "responses"


def findings(name: str):
    path = FIXTURES / name
    return {(f.line, f.code): f for f in lint_source(path.read_bytes(), str(path), EngineOptions()).findings}


@pytest.mark.parametrize(
    "name, line, severity",
    [
        ("tornado_methods.py", 11, Severity.MEDIUM),  # options() only, no credentials anywhere on it
        ("tornado_methods.py", 70, Severity.HIGH),  # options() gets the helper's credentials
        ("http_server_methods.py", 14, Severity.MEDIUM),  # do_OPTIONS: _cors() runs for do_GET only
        ("falcon_resources.py", 9, Severity.MEDIUM),
        ("django_views.py", 11, Severity.MEDIUM),
        ("django_views.py", 32, Severity.HIGH),  # if request.method == "OPTIONS": with credentials
        ("bottle_routes.py", 25, Severity.MEDIUM),
        ("flask_bottle_hooks.py", 23, Severity.MEDIUM),
        ("fastapi_sanic_preflight.py", 14, Severity.MEDIUM),
        ("fastapi_sanic_preflight.py", 28, Severity.HIGH),
    ],
)
def test_preflight_only_reflection_is_medium_with_its_own_message(name, line, severity):
    finding = findings(name)[(line, "COR101")]
    assert finding.severity == severity
    assert "preflight (OPTIONS) response" in finding.message
    assert "send non-simple requests" in finding.message and "not read the responses" in finding.message
    assert ("with credentials" in finding.message) == (severity == Severity.HIGH)


@pytest.mark.parametrize(
    "name, line, severity",
    [
        ("falcon_resources.py", 31, Severity.HIGH),  # a helper run for GET and OPTIONS
        ("fastapi_sanic_preflight.py", 33, Severity.HIGH),  # methods=["GET", "OPTIONS"]
        ("flask_bottle_hooks.py", 16, Severity.HIGH),
        ("django_views.py", 41, Severity.HIGH),  # if request.method == "GET":
    ],
)
def test_reflection_reaching_a_real_response_keeps_its_severity(name, line, severity):
    finding = findings(name)[(line, "COR101")]
    assert finding.severity == severity
    assert "preflight" not in finding.message
    assert "every site can read the responses" in finding.message


@pytest.mark.parametrize(
    "name, verb",
    [("get", "get"), ("options", "options"), ("do_OPTIONS", "options"), ("do_GET", "get"), ("on_get", "get"), ("on_options_item", "options"), ("do_get", None), ("on_message", None), ("getter", None), ("_cors", None)],
)
def test_method_verb(name, verb):
    assert method_verb(name) == verb


@pytest.mark.parametrize(
    "decorator, methods",
    [
        ('app.options("/x")', ["OPTIONS"]),
        ('app.route("/x", methods=["OPTIONS"])', ["OPTIONS"]),
        ('app.route("/x", methods=("GET", "options"))', ["GET", "OPTIONS"]),
        ('route("/x", method="OPTIONS")', ["OPTIONS"]),
        ('app.route("/x")', ["GET"]),
        ('app.route("/x", methods=METHODS)', None),
        ('require_http_methods(["OPTIONS"])', ["OPTIONS"]),
        ("login_required", None),
    ],
)
def test_route_methods(decorator, methods):
    assert route_methods(cst.parse_expression(decorator)) == methods


@pytest.mark.parametrize(
    "test, polarity, only",
    [
        ('request.method == "OPTIONS"', True, True),
        ('request.method == "OPTIONS"', False, False),
        ('request.method != "OPTIONS"', False, True),
        ('self.command.upper() in ("OPTIONS",)', True, True),
        ('environ["REQUEST_METHOD"] == "OPTIONS"', True, True),
        ('request.method in ("GET", "OPTIONS")', True, False),
        ('request.method == "OPTIONS" and origin', True, True),
        ('request.method == "OPTIONS" or origin', True, False),
        ('origin == "OPTIONS"', True, False),
    ],
)
def test_options_paths(test, polarity, only):
    assert on_options_path((RawGuard(cst.parse_expression(test), polarity, 0),)) == only
