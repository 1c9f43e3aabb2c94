"""A weak origin check inside a helper of another project module is
reported at the check, in that module, when it is linted too; otherwise at
the call, saying where the check is.  Also when the helper returns the
origin inside a tuple or a dict."""

from __future__ import annotations

from pathlib import Path

from cli_rows import rows, run, write_package

CORS_UTILS = '''\
"""Origin helpers shared by the web apps."""

PARTNER_ORIGINS = ("https://partners.example.org", "https://portal.example.org")


def partner_pair(origin):
    """(allow-origin, allow-credentials) for the partner exports."""
    if origin and origin.lower().startswith("https://partners."):
        return origin, "true"
    return PARTNER_ORIGINS[0], "true"


def portal_pair(origin):
    if origin in PARTNER_ORIGINS:
        return origin, "true"
    return PARTNER_ORIGINS[0], "true"


def embed_headers(origin):
    if origin.endswith("example.org"):
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {}
'''
FLASK_VIEWS = '''\
from flask import Flask, jsonify, request

from .cors_utils import embed_headers, partner_pair, portal_pair

app = Flask(__name__)


@app.get("/exports")
def exports():
    acao, acac = partner_pair(request.headers.get("Origin"))
    resp = jsonify([])
    resp.headers["Access-Control-Allow-Origin"] = acao
    resp.headers["Access-Control-Allow-Credentials"] = acac
    resp.headers["Vary"] = "Origin"
    return resp


@app.get("/portal")
def portal():
    acao, acac = portal_pair(request.headers.get("Origin"))
    resp = jsonify([])
    resp.headers["Access-Control-Allow-Origin"] = acao
    resp.headers["Vary"] = "Origin"
    return resp
'''
FALCON_RESOURCES = '''\
import falcon

from .cors_utils import embed_headers


class EmbedResource:
    def on_get(self, req, resp):
        resp.set_headers(embed_headers(req.get_header("Origin") or ""))
        resp.media = {"embed": True}
'''


def project(tmp_path: Path) -> Path:
    return write_package(tmp_path, "web", {"cors_utils.py": CORS_UTILS, "views.py": FLASK_VIEWS, "resources.py": FALCON_RESOURCES})


def test_weak_check_in_a_linted_helper_module_is_reported_at_the_check(tmp_path):
    proc = run(project(tmp_path), "web")
    assert proc.returncode == 1, proc.stderr
    found = sorted(rows(proc.stdout))
    # the prefix test (tuple return) and the suffix test (dict return), once
    # each, where they are written; the exact membership stays silent
    assert found == [("web/cors_utils.py", 8, "COR102"), ("web/cors_utils.py", 20, "COR102")], proc.stdout
    assert "(from " not in proc.stdout


def test_weak_check_outside_the_run_stays_at_the_call_and_says_where(tmp_path):
    proc = run(project(tmp_path), "web/views.py")
    assert sorted(rows(proc.stdout)) == [("web/views.py", 10, "COR102")], proc.stdout
    assert "(from web/cors_utils.py:8)" in proc.stdout
