"""'Confirm it yourself': a curl line for findings with a concrete attacker
origin, built from the finding's proof properties (rules/proof.py)."""

from __future__ import annotations

import io
import json

from cors_lint.config import Selection
from cors_lint.confirm import confirmation
from cors_lint.engine import EngineOptions, lint_source
from cors_lint.reporters import REPORTERS, ReportOptions, RunReport

ALL = Selection(select=("ALL",))


def findings(src: str):
    return lint_source(src, "app.py", EngineOptions(enabled=ALL.enabled)).findings


def by_code(src: str, code: str):
    return [f for f in findings(src) if f.code == code]


FLASK = '''from flask import Flask, make_response, request

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


def test_reflection_with_credentials_on_a_route() -> None:
    (finding,) = by_code(FLASK, "COR101")
    found = confirmation(finding.properties)
    assert found is not None
    assert found.curl == (
        'curl -i -H "Origin: https://attacker.example" -H "Cookie: session=1" "http://localhost:8000/api/me"'
    )
    assert found.expect == (
        "Access-Control-Allow-Origin: https://attacker.example and Access-Control-Allow-Credentials: true"
    )


def test_weak_check_uses_the_proof_origin() -> None:
    (finding,) = by_code(FLASK, "COR102")
    found = confirmation(finding.properties)
    assert found is not None
    origin = finding.properties["proof_origin"]
    assert origin in finding.message and f'-H "Origin: {origin}"' in found.curl
    assert found.curl.endswith('"http://localhost:8000/api/search"')
    assert "Cookie" not in found.curl and "Credentials" not in found.expect


def test_any_origin_with_credentials_sends_a_cookie() -> None:
    src = (
        "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\n"
        'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n'
    )
    (finding,) = by_code(src, "COR202")
    found = confirmation(finding.properties)
    assert found is not None and '-H "Cookie: session=1"' in found.curl  # Starlette <1.0 reflects only then


def test_preflight_only_and_private_network() -> None:
    found = confirmation({"proof_origin": "https://attacker.example", "preflight_only": True, "private_network": True})
    assert found is not None
    assert found.curl == (
        'curl -i -X OPTIONS -H "Access-Control-Request-Method: PUT" -H "Access-Control-Request-Private-Network: true" '
        "-H \"Origin: https://attacker.example\" <the view's URL>"
    )
    assert found.expect.endswith("and Access-Control-Allow-Private-Network: true")


def test_no_line_without_a_concrete_origin() -> None:
    assert confirmation({}) is None
    assert confirmation({"proof_origin": "https://attacker.example", "websocket": True}) is None
    assert confirmation({"proof_origin": "https://attacker.example", "origin_header": "referer"}) is None
    src = FLASK.replace('request.headers.get("Origin")', 'request.headers.get("Referer")')
    assert all(confirmation(f.properties) is None for f in by_code(src, "COR101"))


def test_text_sarif_and_json_show_it() -> None:
    found = sorted(findings(FLASK))
    run = RunReport(findings=found, files_checked=1, sources={"app.py": FLASK.splitlines(keepends=True)})
    out = io.StringIO()
    REPORTERS["text"](run, out, ReportOptions(show_source=True, show_help=True))
    text = out.getvalue()
    assert '  confirm: curl -i -H "Origin: https://attacker.example" -H "Cookie: session=1" "http://localhost:8000/api/me"' in text
    assert "    if vulnerable, the response has Access-Control-Allow-Origin: https://attacker.example and" in text
    out = io.StringIO()
    REPORTERS["sarif"](run, out, ReportOptions())
    results = json.loads(out.getvalue())["runs"][0]["results"]
    message = next(r["message"]["text"] for r in results if r["ruleId"] == "COR101")
    assert message.endswith(
        '\n\nConfirm it: curl -i -H "Origin: https://attacker.example" -H "Cookie: session=1" '
        '"http://localhost:8000/api/me"\nIf the bug is real, the response has Access-Control-Allow-Origin: '
        "https://attacker.example and Access-Control-Allow-Credentials: true."
    )
    out = io.StringIO()
    REPORTERS["json"](run, out, ReportOptions())
    cor101 = next(f for f in json.loads(out.getvalue())["findings"] if f["code"] == "COR101")
    assert cor101["confirm"]["curl"].endswith('"http://localhost:8000/api/me"')
