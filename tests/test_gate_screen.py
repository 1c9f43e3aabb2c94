"""The screen that keeps libcst away from files that can only hold origin
gates and hold none (``cors_lint/gate_screen.py``).

It must be sound: whenever ``facts/origin_gates.py`` finds a gate, the
screen says the file may hold one.  Checked here on every fixture and on
hand-written look-alikes; the pre-filter's verdict decides which files it
is asked about.
"""

from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

import pytest

from cors_lint.engine import EngineOptions, decode_source, lint_source
from cors_lint.facts import extract_facts
from cors_lint.gate_screen import helper_judge, may_hold_origin_gate
from cors_lint.lines import physical_lines
from cors_lint.parsing import ParseRefused, parse_guarded
from cors_lint.prefilter import ANY, GATES_ONLY, verdict
from cors_lint.project import Project

FIXTURES = Path(__file__).parent / "fixtures"


def _screen(text: str, project=None, path: str = "app.py") -> bool:
    return may_hold_origin_gate(ast.parse(text), physical_lines(text, keepends=True), helper_judge(project, path))


def _gates(text: str, project=None, path: str = "app.py") -> list:
    module, tree = parse_guarded(text)
    return extract_facts(module, path, EngineOptions(project=project), tree).origin_gates


MAY_HOLD = [
    # every way origin_gates knows a rejection, in a function that reads the origin
    """
    def view(request):
        if request.headers.get("Origin") != SITE:
            abort(403)
    """,
    """
    def view(request):
        if request.META["HTTP_REFERER"] != SITE:
            raise PermissionDenied
    """,
    """
    def view(request):
        if request.META["HTTP_ORIGIN"] != SITE:
            raise exceptions.PermissionDenied("cross-site")
    """,
    """
    def handler(event):
        if event["headers"].get("origin") not in ALLOWED:
            return {"statusCode": 403, "body": "no"}
    """,
    """
    def view():
        if not request.origin.endswith(SITE):
            return "cross-site", HTTPStatus.FORBIDDEN
    """,
    """
    def view():
        if not request.origin.endswith(SITE):
            return "cross-site", 0x193
    """,
    # a helper of this module, judged by what it returns
    """
    def forbidden(reason):
        return respond(403, reason)

    def respond(code, body):
        return {"statusCode": code, "body": body}

    def view(request):
        if request.headers["Origin"] != SITE:
            return forbidden("cross-site")
    """,
    # the origin is read in a function the rejecting one calls
    """
    class Guard:
        def origin_ok(self, request):
            return request.headers.get("Origin") == SITE

        def check(self, request):
            if not self.origin_ok(request):
                raise Forbidden()
    """,
]

HOLDS_NONE = [
    # typing code says "origin" everywhere and rejects nothing
    """
    from typing import get_origin

    def unwrap(tp):
        origin = get_origin(tp)
        if origin is None:
            raise TypeError(tp)
        return origin, tp
    """,
    # a 403 in a function that never looks at the origin
    """
    def view(request):
        if not request.user.is_staff:
            abort(403)

    def log(request):
        print(request.META.get("HTTP_REFERER"))
    """,
    # assertions on 403s in tests, the origin only written
    """
    def test_cross_site(client):
        response = client.post("/", HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 403
        self.assertEqual(response.status_code, 403)
    """,
    # a "helper" that is a method of a local object, or returns a plain value
    """
    def schema(cls, origin):
        generator = make_generator(origin)
        return generator.generate(cls)

    def pick(origin):
        return origin
    """,
    # raising in a class body is no function's rejection
    """
    class Raster:
        origin = property(lambda self: self._origin)
        if broken:
            raise ValidationError("origin")
    """,
]


@pytest.mark.parametrize("text", MAY_HOLD)
def test_rejections_beside_an_origin_read_may_hold_a_gate(text):
    text = dedent(text)
    assert _screen(text)


@pytest.mark.parametrize("text", HOLDS_NONE)
def test_look_alikes_hold_no_gate(text):
    text = dedent(text)
    assert not _screen(text)
    assert _gates(text) == []  # and the full analysis agrees


def test_helpers_of_other_modules_are_judged_by_their_returns(tmp_path: Path):
    (tmp_path / "responses.py").write_text(
        "def deny(reason):\n    return respond(403, reason)\n\n\n"
        "def respond(code, body):\n    return {'statusCode': code, 'body': body}\n\n\n"
        "def render(body):\n    return body\n"
    )
    app = tmp_path / "app.py"
    text = dedent(
        """
        from responses import deny, render

        def view(request):
            if request.headers["Origin"] != SITE:
                return {call}("cross-site")
        """
    )
    project = Project(tmp_path)
    assert _screen(text.format(call="deny"), project, str(app))
    assert not _screen(text.format(call="render"), project, str(app))
    assert project._contexts == {}  # the helpers' module was never loaded
    # alone (flake8 sees one file), an imported helper is never followed
    assert not _screen(text.format(call="deny"))
    # and the full analysis agrees on both
    assert _gates(text.format(call="deny"), project, str(app))
    assert _gates(text.format(call="render"), Project(tmp_path), str(app)) == []


def test_verdicts():
    assert verdict('if request.headers["Origin"] != SITE: abort(403)') == GATES_ONLY
    assert verdict('if request.headers["Origin"] != SITE: abort(403)\nfrom flask_cors import CORS') == ANY
    assert verdict("x = 1") is None


def _fixture_files():
    return sorted(p for p in FIXTURES.rglob("*.py"))


def test_screen_is_sound_on_every_fixture():
    """Every fixture the pre-filter passes: where the analysis finds an
    origin gate, alone or in its project, the screen says so too."""
    checked = 0
    projects: dict[Path, Project] = {}
    for path in _fixture_files():
        data = path.read_bytes()
        if verdict(data) is None:
            continue
        try:
            text = decode_source(data)
            parse_guarded(text)
        except (ValueError, ParseRefused):
            continue
        project = projects.setdefault(path.parent, Project(path.parent))
        for proj in (None, project):
            if _gates(text, proj, str(path)):
                checked += 1
                assert _screen(text, proj, str(path)), path
    assert checked > 20  # the fixtures hold origin gates in many shapes


def test_a_screened_file_is_never_parsed_by_libcst(monkeypatch):
    """A file that passes the pre-filter on origin-gate markers alone and
    holds no gate costs Python's parser only."""
    import cors_lint.parsing as parsing

    def refuse(*args, **kwargs):
        raise AssertionError("libcst was asked to parse a screened file")

    monkeypatch.setattr(parsing, "_parse_unvalidated", refuse)
    text = dedent(HOLDS_NONE[0]) + '\nRASTER = {"origin": (0, 0)}\n\n\ndef v(request):\n    abort(403)\n'
    assert verdict(text) == GATES_ONLY
    assert lint_source(text, "typing_like.py").findings == []
