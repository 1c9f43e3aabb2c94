"""An origin test made by a helper imported from another project module
(``if partner_origin_ok(origin):``) is judged by reading the helper's
returns there, as for a helper of the same module: a weak test is reported
at the check, in the helper's module when it is linted too, otherwise at
the call with a note saying where the check is.  Exact membership and an
anchored full match stay silent, and under flake8 (one file) the helper
stays unknown."""

from __future__ import annotations

from pathlib import Path

from cli_rows import rows, run, write_package

ORIGIN_RULES = '''\
"""Which browser origins the partner endpoints answer."""
import re

from django.conf import settings

PARTNER_HOSTS = re.compile(r"https://([a-z0-9-]+\\.)?partners\\.tallyhq\\.example")
STRICT_PARTNER_HOSTS = re.compile(r"https://[a-z0-9-]+\\.partners\\.tallyhq\\.example")
PORTAL_ORIGINS = frozenset({"https://portal.tallyhq.example", "https://app.tallyhq.example"})


def partner_origin_ok(origin):
    return bool(PARTNER_HOSTS.search(origin))


def strict_partner_origin(origin):
    return STRICT_PARTNER_HOSTS.fullmatch(origin) is not None


def portal_origin(origin):
    if origin in PORTAL_ORIGINS:
        return True
    return False


def configured_origin_ok(origin):
    return re.match(settings.PARTNER_ORIGIN_REGEX, origin) is not None
'''
DRF_VIEWS = '''\
from django.utils.cache import patch_vary_headers
from rest_framework.response import Response
from rest_framework.views import APIView

from .origin_rules import configured_origin_ok, partner_origin_ok, portal_origin, strict_partner_origin


class StatementView(APIView):
    def get(self, request):
        origin = request.headers.get("Origin", "")
        response = Response({"rows": []})
        if partner_origin_ok(origin):
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Credentials"] = "true"
            patch_vary_headers(response, ("Origin",))
        return response


class LedgerView(APIView):
    def get(self, request):
        origin = request.headers.get("Origin", "")
        response = Response({"rows": []})
        if strict_partner_origin(origin) or portal_origin(origin):
            response["Access-Control-Allow-Origin"] = origin
            patch_vary_headers(response, ("Origin",))
        return response


class SettlementView(APIView):
    def get(self, request):
        origin = request.META.get("HTTP_ORIGIN", "")
        response = Response({"ok": True})
        if configured_origin_ok(origin):
            response["Access-Control-Allow-Origin"] = origin
            response["Vary"] = "Origin"
        return response
'''
FLASK_VIEWS = '''\
from flask import Blueprint, jsonify, request

from tally import origin_rules

exports = Blueprint("exports", __name__)


@exports.get("/exports")
def list_exports():
    origin = request.headers.get("Origin", "")
    resp = jsonify([])
    if origin_rules.partner_origin_ok(origin):
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp


@exports.get("/exports/portal")
def portal_exports():
    origin = request.headers.get("Origin", "")
    resp = jsonify([])
    if origin_rules.portal_origin(origin):
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp
'''


def project(tmp_path: Path) -> Path:
    return write_package(tmp_path, "tally", {"origin_rules.py": ORIGIN_RULES, "api_views.py": DRF_VIEWS, "exports.py": FLASK_VIEWS})


def test_weak_imported_helper_is_reported_at_its_check_when_linted(tmp_path):
    proc = run(project(tmp_path), "tally")
    assert proc.returncode == 1, proc.stderr
    # the unanchored search (used from Django and from Flask) once, and the
    # configured pattern under re.match (low confidence); the full match and
    # the frozenset membership stay silent
    assert sorted(rows(proc.stdout)) == [("tally/origin_rules.py", 12, "COR102"), ("tally/origin_rules.py", 26, "COR102")], proc.stdout
    assert "[high/low]" in proc.stdout.splitlines()[1]


def test_helper_outside_the_run_is_reported_at_the_call(tmp_path):
    root = project(tmp_path)
    proc = run(root, "tally/api_views.py", "tally/exports.py")
    assert sorted(rows(proc.stdout)) == [
        ("tally/api_views.py", 12, "COR102"),
        ("tally/api_views.py", 33, "COR102"),
        ("tally/exports.py", 12, "COR102"),
    ], proc.stdout
    assert "(from tally/origin_rules.py:12)" in proc.stdout
    assert "(from tally/origin_rules.py:26)" in proc.stdout


def test_helper_in_an_unread_module_stays_unknown(tmp_path):
    root = project(tmp_path)
    (root / "tally" / "origin_rules.py").unlink()
    proc = run(root, "tally/api_views.py", "tally/exports.py")
    assert rows(proc.stdout) == [], proc.stdout
