"""Entry findings where the user fixes them: across modules in standalone mode."""

from __future__ import annotations

import json
from pathlib import Path

from cli_rows import rows, run, write_package

CONFIG = '''\
DEBUG = False
ALLOWED_ORIGINS = [
    "https://app.example.com",
    "null",
    "http://legacy.example.com",
]
'''
VIEWS = '''\
from flask import Flask, make_response, request

from .config import ALLOWED_ORIGINS

app = Flask(__name__)


@app.route("/a")
def a():
    origin = request.headers.get("Origin")
    resp = make_response("x")
    resp.headers["Vary"] = "Origin"
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    if origin in ALLOWED_ORIGINS:
        resp.headers["Access-Control-Allow-Origin"] = origin
    return resp
'''
API = '''\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.config import ALLOWED_ORIGINS

api = FastAPI()
api.add_middleware(CORSMiddleware, allow_origins=ALLOWED_ORIGINS, allow_credentials=True)
'''


def project(tmp_path: Path) -> Path:
    return write_package(tmp_path, "app", {"config.py": CONFIG, "views.py": VIEWS, "api.py": API})


def test_entry_in_a_linted_module_is_reported_there_once(tmp_path):
    root = project(tmp_path)
    proc = run(root, "app")
    assert proc.returncode == 1, proc.stderr
    # two files use the list: still one finding per entry, at the entry
    assert sorted(rows(proc.stdout)) == [("app/config.py", 4, "COR103"), ("app/config.py", 5, "COR105")]
    assert "(from " not in proc.stdout


def test_entry_outside_the_run_stays_at_the_use_and_says_where(tmp_path):
    root = project(tmp_path)
    proc = run(root, "app/views.py")
    assert sorted(rows(proc.stdout)) == [("app/views.py", 14, "COR103"), ("app/views.py", 14, "COR105")]
    assert "(from app/config.py:4)" in proc.stdout and "(from app/config.py:5)" in proc.stdout


def test_sarif_carries_the_other_place_as_a_related_location(tmp_path):
    root = project(tmp_path)
    at_entry = json.loads(run(root, "--format", "sarif", "app").stdout)["runs"][0]["results"]
    related = {(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in at_entry}
    assert {line for line, _ in related} == {4, 5}
    assert {uri for _, uri in related} <= {"app/views.py", "app/api.py"}
    at_use = json.loads(run(root, "--format", "sarif", "app/api.py").stdout)["runs"][0]["results"]
    assert [r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] for r in at_use] == [4, 5]
    assert all(r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/config.py" for r in at_use)


def test_noqa_at_the_entry_suppresses_it(tmp_path):
    root = project(tmp_path)
    config = root / "app" / "config.py"
    config.write_text(CONFIG.replace('"null",', '"null",  # noqa: COR103'))
    assert sorted(rows(run(root, "app").stdout)) == [("app/config.py", 5, "COR105")]


def test_a_string_passed_for_a_list_is_reported_at_each_use(tmp_path):
    # the constant is a correct single origin; each use that passes it where
    # a list belongs is the mistake, and the fix ([ORIGIN]) is made there
    pkg = tmp_path / "svc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text('EXPORTS_ORIGIN = "https://exports.example.com"\n')
    (pkg / "api.py").write_text(
        "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\n"
        "from svc.config import EXPORTS_ORIGIN\n\napi = FastAPI()\n"
        "api.add_middleware(CORSMiddleware, allow_origins=EXPORTS_ORIGIN, allow_credentials=True)\n"
    )
    (pkg / "settings.py").write_text(
        'from svc.config import EXPORTS_ORIGIN\n\nINSTALLED_APPS = ["corsheaders"]\n'
        'MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = EXPORTS_ORIGIN\n'
    )
    proc = run(tmp_path, "svc")
    assert sorted(rows(proc.stdout)) == [("svc/api.py", 7, "COR102"), ("svc/settings.py", 5, "COR103")]


def _split_settings(tmp_path: Path) -> Path:
    pkg = tmp_path / "site"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "settings.py").write_text(
        'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\n'
        "CORS_ALLOW_CREDENTIALS = True\n"
        "CORS_ALLOWED_ORIGIN_REGEXES = [\n"
        '    r"^https://[a-z]+\\.kb\\.example\\.org$",\n'
        '    r"^https://agent.example.org$",\n'
        "]\n"
    )
    (pkg / "settings_partners.py").write_text('from .settings import *\n\nCORS_ALLOWED_ORIGINS = ["https://partners.example.org"]\n')
    (pkg / "settings_reports.py").write_text('from .settings import *\n\nCORS_ALLOW_CREDENTIALS = False\nCORS_EXPOSE_HEADERS = ["X-Count"]\n')
    return tmp_path


def test_settings_inherited_through_import_star_are_reported_at_the_base_once(tmp_path):
    # two deployments star-import the base settings: the weak regex is one
    # mistake, fixed in the base module, and reported there once
    root = _split_settings(tmp_path)
    proc = run(root, "site")
    assert sorted(rows(proc.stdout)) == [("site/settings.py", 6, "COR102")]


def test_inherited_settings_outside_the_run_stay_at_the_star_import(tmp_path):
    root = _split_settings(tmp_path)
    proc = run(root, "site/settings_partners.py")
    assert sorted(rows(proc.stdout)) == [("site/settings_partners.py", 1, "COR102")]
    assert "(from site/settings.py:6)" in proc.stdout


def _imported_holders(tmp_path: Path) -> Path:
    """A settings instance and a constants module, each imported by name and
    read as ``holder.attribute`` by a hand-written check and a library."""
    pkg = tmp_path / "desk"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "settings.py").write_text(
        "from dataclasses import dataclass\n\n\n"
        "@dataclass\nclass DeskSettings:\n"
        '    shell_origins: tuple = ("app://desk", "null")\n'
        '    portal_origins: tuple = ("https://portal.example.com",)\n\n\n'
        "SETTINGS = DeskSettings()\n"
    )
    (pkg / "origins.py").write_text('PARTNERS = ["https://partner.example.net", "null"]\nREVIEWED = ["https://partner.example.net"]\n')
    (pkg / "views.py").write_text(
        "from flask import Flask, make_response, request\n\n"
        "from . import origins\nfrom .settings import SETTINGS\n\n"
        "app = Flask(__name__)\n\n\n"
        '@app.route("/files")\ndef files():\n'
        '    origin = request.headers.get("Origin", "")\n'
        '    resp = make_response("x")\n    resp.headers["Vary"] = "Origin"\n'
        "    if origin in SETTINGS.shell_origins:\n"
        '        resp.headers["Access-Control-Allow-Origin"] = origin\n'
        "    return resp\n\n\n"
        '@app.route("/portal")\ndef portal():\n'
        '    origin = request.headers.get("Origin", "")\n'
        '    resp = make_response("x")\n    resp.headers["Vary"] = "Origin"\n'
        "    if origin in SETTINGS.portal_origins:\n"
        '        resp.headers["Access-Control-Allow-Origin"] = origin\n'
        "    return resp\n"
    )
    (pkg / "api.py").write_text(
        "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\n"
        "from desk import origins\n\napi = FastAPI()\n"
        "api.add_middleware(CORSMiddleware, allow_origins=origins.PARTNERS, allow_credentials=True)\n"
        "reviewed = FastAPI()\n"
        "reviewed.add_middleware(CORSMiddleware, allow_origins=origins.REVIEWED, allow_credentials=True)\n"
    )
    return tmp_path


def test_entries_behind_an_imported_instance_or_module_are_reported_where_written(tmp_path):
    # SETTINGS.shell_origins (an instance imported from settings.py) and
    # origins.PARTNERS (a module imported whole): "null" is fixed in the
    # module that writes it; the reviewed look-alikes stay silent
    root = _imported_holders(tmp_path)
    proc = run(root, "desk")
    assert sorted(rows(proc.stdout)) == [("desk/origins.py", 1, "COR103"), ("desk/settings.py", 6, "COR103")]


def test_entries_behind_an_imported_instance_outside_the_run_stay_at_the_use(tmp_path):
    root = _imported_holders(tmp_path)
    proc = run(root, "desk/views.py")
    assert sorted(rows(proc.stdout)) == [("desk/views.py", 14, "COR103")]
    assert "(from desk/settings.py:6)" in proc.stdout


def _sanic_config_class(tmp_path: Path) -> Path:
    pkg = tmp_path / "clipper"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text(
        "import re\n\n\nclass AppConfig:\n"
        '    CORS_ORIGINS = re.compile(r"https://[a-z]+.clipper.example.com$")\n'
        "    CORS_SUPPORTS_CREDENTIALS = True\n"
        '    CORS_ALLOW_ORIGINS = "https://clipper.example.com"\n\n\n'
        "class ArchiveConfig:\n"
        '    CORS_ORIGINS = re.compile(r"https://[a-z]+\\.archive\\.example\\.com$")\n'
        "    CORS_SUPPORTS_CREDENTIALS = True\n"
    )
    (pkg / "server.py").write_text(
        "from sanic import Sanic\nfrom sanic_ext import cors\n\nfrom .config import AppConfig\n\n"
        'app = Sanic("clipper")\napp.update_config(AppConfig)\n'
    )
    (pkg / "archive.py").write_text(
        "from sanic import Sanic\nfrom sanic_ext import cors\n\nfrom clipper.config import ArchiveConfig\n\n"
        'archive = Sanic("archive")\narchive.update_config(ArchiveConfig)\n'
    )
    return tmp_path


def test_sanic_config_class_from_another_module_is_judged_where_written(tmp_path):
    # the weak pattern and the misspelt key are fixed in config.py; the
    # archive app's anchored, escaped pattern stays silent
    root = _sanic_config_class(tmp_path)
    assert sorted(rows(run(root, "clipper").stdout)) == [("clipper/config.py", 5, "COR102"), ("clipper/config.py", 7, "COR305")]
    proc = run(root, "clipper/server.py")
    assert sorted(rows(proc.stdout)) == [("clipper/server.py", 7, "COR102"), ("clipper/server.py", 7, "COR305")]
    assert "(from clipper/config.py:5)" in proc.stdout and "(from clipper/config.py:7)" in proc.stdout
