"""'Confirm it yourself': a curl line for findings with a concrete attacker origin."""

from __future__ import annotations

import io
import json

from cors_lint.config import Selection
from cors_lint.engine import EngineOptions, lint_source
from cors_lint.findings import Confirm
from cors_lint.reporters import REPORTERS, ReportOptions, RunReport
from cors_lint.routes import route_of

ALL = Selection(select=("ALL",))


def findings(src: str):
    return lint_source(src, "app.py", EngineOptions(enabled=ALL.enabled)).findings


def by_code(src: str, code: str):
    return [f for f in findings(src) if f.code == code]


FLASK = '''from flask import Flask, request

app = Flask(__name__)


@app.route("/api/me", methods=["GET"])
def me():
    resp = make_response("{}")
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp


@app.route("/api/search")
def search():
    origin = request.headers.get("Origin", "")
    resp = make_response("{}")
    if origin.endswith("example.com"):
        resp.headers["Access-Control-Allow-Origin"] = origin
    return resp
'''


def test_reflection_with_credentials() -> None:
    (finding,) = by_code(FLASK, "COR101")
    assert finding.confirm == Confirm("https://attacker.example", credentials=True)
    lines = FLASK.splitlines(keepends=True)
    assert finding.confirm.curl(route_of(lines, finding.line)) == (
        'curl -i -H "Origin: https://attacker.example" "http://localhost:8000/api/me"'
    )
    assert finding.confirm.expected() == (
        "Access-Control-Allow-Origin: https://attacker.example and Access-Control-Allow-Credentials: true"
    )


def test_weak_check_uses_the_proof_origin() -> None:
    (finding,) = by_code(FLASK, "COR102")
    assert finding.confirm is not None and finding.confirm.origin.startswith("https://")
    assert finding.confirm.origin in finding.message  # the origin the message proves passes
    assert not finding.confirm.credentials


def test_starlette_any_origin_with_credentials_sends_a_cookie() -> None:
    src = (
        "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\n"
        'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n'
    )
    (finding,) = by_code(src, "COR202")
    assert finding.confirm == Confirm("https://attacker.example", credentials=True, cookie=True)
    assert finding.confirm.curl() == (
        'curl -i -H "Origin: https://attacker.example" -H "Cookie: session=1" <the view\'s URL>'
    )


def test_preflight_only_reflection_asks_for_a_preflight() -> None:
    src = (
        "import tornado.web\n\n\nclass H(tornado.web.RequestHandler):\n"
        "    def options(self):\n"
        '        self.set_header("Access-Control-Allow-Origin", self.request.headers.get("Origin"))\n'
    )
    (finding,) = by_code(src, "COR101")
    assert finding.confirm is not None and finding.confirm.preflight
    assert finding.confirm.curl().startswith(
        'curl -i -X OPTIONS -H "Access-Control-Request-Method: PUT" -H "Origin: https://attacker.example"'
    )


def test_no_confirm_without_a_concrete_origin() -> None:
    src = FLASK.replace('request.headers.get("Origin")', 'request.headers.get("Referer")')
    assert all(f.confirm is None for f in by_code(src, "COR101"))
    assert all(f.confirm is None for f in findings(src) if f.code in ("COR104", "COR303"))


def test_routes() -> None:
    lines = FLASK.splitlines(keepends=True)
    assert route_of(lines, 9) == "/api/me"
    assert route_of(lines, 19) == "/api/search"
    assert route_of(lines, 3) is None
    nested = ["@app.get('/x')\n", "async def f():\n", "    if a:\n", "        y = 1\n"]
    assert route_of(nested, 4) == "/x"
    undecorated = ["def f():\n", "    y = 1\n"]
    assert route_of(undecorated, 2) is None


def test_text_sarif_and_json_show_it() -> None:
    found = sorted(findings(FLASK))
    run = RunReport(findings=found, files_checked=1, sources={"app.py": FLASK.splitlines(keepends=True)})
    out = io.StringIO()
    REPORTERS["text"](run, out, ReportOptions(show_source=True, show_help=True))
    assert '  confirm: curl -i -H "Origin: https://attacker.example" "http://localhost:8000/api/me"' in out.getvalue()
    assert "    if vulnerable, the response has Access-Control-Allow-Origin: https://attacker.example and" in out.getvalue()
    out = io.StringIO()
    REPORTERS["sarif"](run, out, ReportOptions())
    messages = [r["message"]["text"] for r in json.loads(out.getvalue())["runs"][0]["results"] if r["ruleId"] == "COR101"]
    assert messages[0].endswith(
        '\n\nConfirm it: curl -i -H "Origin: https://attacker.example" "http://localhost:8000/api/me"\n'
        "If the bug is real, the response has Access-Control-Allow-Origin: https://attacker.example and "
        "Access-Control-Allow-Credentials: true."
    )
    out = io.StringIO()
    REPORTERS["json"](run, out, ReportOptions())
    cor101 = next(f for f in json.loads(out.getvalue())["findings"] if f["code"] == "COR101")
    assert cor101["confirm"]["curl"].endswith('"http://localhost:8000/api/me"')
