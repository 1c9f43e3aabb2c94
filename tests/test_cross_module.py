"""Standalone mode follows helpers imported from other project modules."""

from pathlib import Path

from cors_lint.engine import EngineOptions, lint_source
from cors_lint.project import Project

HELPERS = '''
from flask import request

def get_origin():
    return request.headers.get("Origin", "")

def fixed_origin():
    return "https://app.example.com"
'''

APP = '''
from flask import Flask
from .helpers import get_origin, fixed_origin

app = Flask(__name__)

@app.after_request
def add_cors(resp):
    resp.headers["Access-Control-Allow-Origin"] = get_origin()
    resp.headers["Access-Control-Allow-Origin"] = fixed_origin()
    return resp
'''


def _lint(tmp_path: Path, project: bool):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "helpers.py").write_text(HELPERS)
    app = pkg / "app.py"
    app.write_text(APP)
    options = EngineOptions(project=Project(tmp_path) if project else None)
    return lint_source(app.read_bytes(), str(app), options)


def test_helper_in_another_module_reflects_origin(tmp_path):
    result = _lint(tmp_path, project=True)
    assert [(f.line, f.code) for f in result.findings] == [(9, "COR101"), (9, "COR104")]
    assert "request.headers.get" in result.findings[0].message


def test_without_project_the_helper_is_unknown(tmp_path):
    # under flake8 there is no project: an imported helper is unknown, never assumed
    result = _lint(tmp_path, project=False)
    assert result.findings == []


CONFIG = '''
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    BACKEND_CORS_ORIGINS: list[str] = ["*"]

settings = Settings()
'''

MAIN = '''
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from .config import settings

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=settings.BACKEND_CORS_ORIGINS, allow_credentials=True)
'''


def test_settings_object_imported_from_another_module(tmp_path):
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text(CONFIG)
    main = pkg / "main.py"
    main.write_text(MAIN)
    result = lint_source(main.read_bytes(), str(main), EngineOptions(project=Project(tmp_path)))
    assert [(f.line, f.code, f.confidence.value) for f in result.findings] == [(7, "COR202", "medium")]
    # without the project (flake8) the value is unknown: nothing is assumed
    assert lint_source(main.read_bytes(), str(main), EngineOptions()).findings == []


ENV_CONFIG = '''
import os
from functools import lru_cache


class Settings:
    def __init__(self):
        self.cors_origins = os.getenv("CORS_ORIGINS", "*").split(",")
        self.admin_origins = os.getenv("ADMIN_ORIGINS", "https://admin.example.com").split(",")


@lru_cache
def get_settings():
    return Settings()


settings = Settings()
'''

ENV_MAIN = '''
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from .config import get_settings, settings

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True)
app.add_middleware(CORSMiddleware, allow_origins=get_settings().cors_origins, allow_credentials=True)
app.add_middleware(CORSMiddleware, allow_origins=settings.admin_origins, allow_credentials=True)
'''


def test_env_default_set_in_init_of_a_settings_class_in_another_module(tmp_path):
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text(ENV_CONFIG)
    main = pkg / "main.py"
    main.write_text(ENV_MAIN)
    result = lint_source(main.read_bytes(), str(main), EngineOptions(project=Project(tmp_path)))
    assert [(f.line, f.code, f.confidence.value) for f in result.findings] == [(7, "COR202", "medium"), (8, "COR202", "medium")]
    assert lint_source(main.read_bytes(), str(main), EngineOptions()).findings == []


FLASK_PACKAGE = '''\
from flask import Flask
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, resources={r"/health": {"origins": "https://status.example.com"}})
'''
FLASK_VIEWS = '''\
from shop import *


@app.route("/orders")
@cross_origin(origin="https://admin.example.com", supports_credentials=True)
def orders():
    return "[]"


@app.route("/catalog")
@cross_origin(origins=["https://admin.example.com"])
def catalog():
    return "[]"
'''
LOCAL_DECORATOR_PACKAGE = '''\
from flask import Flask

app = Flask(__name__)


def cross_origin(**options):
    return lambda view: view
'''
SANIC_PACKAGE = '''\
from sanic import Sanic
from sanic_cors import CORS, cross_origin

app = Sanic("shop")
CORS(app, origins=["https://admin.example.com"])
'''
SANIC_VIEWS = '''\
from shop import *


@app.route("/orders")
@cross_origin(app, "https://admin.example.com", supports_credentials=True)
async def orders(request):
    return None


@app.route("/catalog")
@cross_origin(app, origins=["https://admin.example.com"], supports_credentials=True)
async def catalog(request):
    return None
'''


def _star_project(tmp_path, package: str, views: str):
    from cors_lint.engine import EngineOptions, lint_source
    from cors_lint.prefilter import may_matter
    from cors_lint.project import Project

    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(package)
    (pkg / "views.py").write_text(views)
    path = pkg / "views.py"
    assert may_matter(path.read_bytes())
    out = {}
    for mode, project in (("standalone", Project(tmp_path)), ("flake8", None)):
        result = lint_source(path.read_bytes(), str(path), EngineOptions(project=project))
        out[mode] = sorted({(f.line, f.code) for f in result.findings})
    return out


def test_flask_cors_names_from_a_star_imported_project_package(tmp_path):
    # the views get cross_origin through "from shop import *": the misspelt
    # origin= is flask-cors' (standalone); flake8 cannot see the package
    got = _star_project(tmp_path, FLASK_PACKAGE, FLASK_VIEWS)
    assert got["standalone"] == [(5, "COR202"), (5, "COR305")]
    assert got["flake8"] == []


def test_a_project_function_named_cross_origin_is_not_flask_cors(tmp_path):
    got = _star_project(tmp_path, LOCAL_DECORATOR_PACKAGE, FLASK_VIEWS)
    assert got["standalone"] == [] and got["flake8"] == []


def test_sanic_cors_names_from_a_star_imported_project_package(tmp_path):
    got = _star_project(tmp_path, SANIC_PACKAGE, SANIC_VIEWS)
    assert got["standalone"] == [(5, "COR202")]
    assert got["flake8"] == []


PKG_INIT_WITH_SOCK = '''
from flask import Flask
from flask_sock import Sock

sock = Sock()


def create_app():
    app = Flask(__name__)
    sock.init_app(app)
    from . import live  # noqa: F401
    return app
'''

LIVE_FROM_PACKAGE = '''
from flask import abort, request

from . import sock

TRUSTED = {"https://forms.example.com"}


@sock.route("/ws/results")
def results_feed(ws):
    session_id = request.cookies.get("forms_session")
    if not session_id:
        ws.close()
        return
    ws.send(session_id)


@sock.route("/ws/checked")
def checked_feed(ws):
    if request.headers.get("Origin") not in TRUSTED:
        abort(403)
    ws.send(request.cookies.get("forms_session", ""))


@sock.route("/ws/token")
def token_feed(ws):
    if ws.receive(timeout=5) != "let-me-in":
        ws.close()
'''


def test_extension_imported_from_the_package_init(tmp_path):
    # ``from . import sock`` names the package's __init__, not a module "";
    # the Sock() made there makes @sock.route a Flask-Sock endpoint
    pkg = tmp_path / "forms"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(PKG_INIT_WITH_SOCK)
    live = pkg / "live.py"
    live.write_text(LIVE_FROM_PACKAGE)
    result = lint_source(live.read_bytes(), str(live), EngineOptions(project=Project(tmp_path)))
    assert [(f.line, f.code) for f in result.findings] == [(10, "COR402")]
    alone = lint_source(live.read_bytes(), str(live), EngineOptions(project=None))
    assert alone.findings == []


INI_POLICY = '''
import configparser


class Policy:
    def __init__(self):
        self._cfg = configparser.ConfigParser()
        self._cfg.read("server.ini")

    @property
    def partner_origins(self):
        return self._cfg.get("cors", "partner_origins", fallback="")

    @property
    def exact_origins(self):
        return set(self._cfg.get("cors", "exact_origins", fallback="").split())


POLICY = Policy()
'''

INI_APP = '''
from flask import Flask, jsonify, request
from .policy import POLICY

app = Flask(__name__)

@app.get("/a")
def partner():
    resp = jsonify({})
    origin = request.headers.get("Origin", "")
    if origin in POLICY.partner_origins:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp

@app.get("/b")
def exact():
    resp = jsonify({})
    origin = request.headers.get("Origin", "")
    if origin in POLICY.exact_origins:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp
'''


def test_ini_string_property_of_a_settings_object_from_another_module(tmp_path):
    # POLICY.partner_origins returns a raw configparser option: `in` is a
    # substring test (COR102, low confidence); the split set is exact
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "policy.py").write_text(INI_POLICY)
    app = pkg / "app.py"
    app.write_text(INI_APP)
    found = lint_source(app.read_bytes(), str(app), EngineOptions(project=Project(tmp_path))).findings
    assert [(f.line, f.code, f.confidence.value) for f in found] == [(11, "COR102", "low")]
    alone = lint_source(app.read_bytes(), str(app), EngineOptions(project=None)).findings
    assert alone == []


SITE_UTILS = '''
from flask import current_app


def site_origin():
    return current_app.config.get("SITE_URL", "https://shelter.example").rstrip("/")


def site_label():
    return "shelter"
'''

SITE_VIEWS = '''
from flask import Blueprint, abort, request
from .utils import site_origin, site_label

bp = Blueprint("forms", __name__)

@bp.post("/apply")
def apply():
    if not request.headers.get("Origin", "").startswith(site_origin()):
        abort(403)
    return "ok"

@bp.post("/foster")
def foster():
    if not request.headers.get("Origin", "").startswith(site_label()):
        abort(403)
    return "ok"
'''


def test_prefix_check_against_a_setting_returned_by_a_helper_of_another_module(tmp_path):
    # site_origin() returns a configuration value: startswith() on it is a
    # prefix test whatever it holds (COR107, low confidence); a helper
    # returning a constant is judged as the constant (not a setting)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "utils.py").write_text(SITE_UTILS)
    views = pkg / "views.py"
    views.write_text(SITE_VIEWS)
    found = lint_source(views.read_bytes(), str(views), EngineOptions(project=Project(tmp_path))).findings
    assert [(f.line, f.code, f.confidence.value) for f in found if f.line == 9] == [(9, "COR107", "low")]
    alone = lint_source(views.read_bytes(), str(views), EngineOptions(project=None)).findings
    assert [f for f in alone if f.line == 9] == []


LAMBDA_RESPONSES = '''
import json
import os

APP_URL = os.environ.get("APP_URL", "https://app.inkwell.example")


def header(event, name):
    headers = event.get("headers") or {}
    lowered = {k.lower(): v for k, v in headers.items()}
    return lowered.get(name.lower())


def respond(status, body):
    return {"statusCode": status, "body": json.dumps(body)}


def forbidden(reason):
    return respond(403, {"error": reason})


def accepted(reason):
    return respond(202, {"note": reason})
'''

LAMBDA_HANDLERS = '''
from inkwell.responses import APP_URL, accepted, forbidden, header, respond


def sign(event, context):
    referer = header(event, "referer") or ""
    if not referer.startswith(APP_URL):
        return forbidden("cross-site signing refused")
    return respond(200, {"ok": True})


def queue(event, context):
    referer = header(event, "referer") or ""
    if not referer.startswith(APP_URL):
        return accepted("queued for review")
    return respond(200, {"ok": True})
'''


def test_rejection_and_header_helpers_in_another_module(tmp_path):
    # the header read and the 403 both go through helpers of another module:
    # the helper that answers 403 (through respond(403, ...)) is the rejection,
    # the one that answers 202 is not
    pkg = tmp_path / "inkwell"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "responses.py").write_text(LAMBDA_RESPONSES)
    handlers = pkg / "handlers.py"
    handlers.write_text(LAMBDA_HANDLERS)
    result = lint_source(handlers.read_bytes(), str(handlers), EngineOptions(project=Project(tmp_path)))
    assert [(f.line, f.code) for f in result.findings] == [(7, "COR107")]
    assert "Referer" in result.findings[0].message
    alone = lint_source(handlers.read_bytes(), str(handlers), EngineOptions())
    assert alone.findings == []  # under flake8 the helpers are unknown


STORING_INIT = '''
from flask import Flask, g, request

PARTNERS = {"https://partner.example"}

app = Flask(__name__)


@app.before_request
def remember_embedder():
    g.embedder = request.headers.get("X-Embedder", "")
    origin = request.headers.get("Origin", "")
    if origin in PARTNERS:
        g.partner_origin = origin
'''

READING_VIEWS = '''
from flask import g, make_response

from . import app


@app.route("/widget")
def widget():
    resp = make_response("w")
    resp.headers["Access-Control-Allow-Origin"] = g.embedder
    resp.headers["Vary"] = "Origin, X-Embedder"
    return resp


@app.route("/partner")
def partner():
    resp = make_response("p")
    resp.headers["Access-Control-Allow-Origin"] = g.get("partner_origin", "")
    resp.headers["Vary"] = "Origin"
    return resp
'''


def test_request_scoped_values_stored_by_another_module_of_the_package(tmp_path):
    """A ``before_request`` hook of the package stores a header the
    requester chooses on ``g`` and a view module reflects it: COR101 at the
    view.  The partner origin it stores only after an allowlist check is
    no finding.  Linted alone, the view knows neither."""
    pkg = tmp_path / "embeds"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(STORING_INIT)
    views = pkg / "views.py"
    views.write_text(READING_VIEWS)
    (tmp_path / "unrelated.py").write_text("from flask import g\n\ndef f(request):\n    g.embedder = request.args['e']\n")
    found = lint_source(views.read_bytes(), str(views), EngineOptions(project=Project(tmp_path))).findings
    assert [(f.line, f.code) for f in found] == [(10, "COR101")]
    assert "`X-Embedder` request header" in found[0].message
    assert lint_source(views.read_bytes(), str(views), EngineOptions()).findings == []


def test_stores_found_for_one_reader_serve_the_next_in_the_same_directory(tmp_path):
    """The stores of a directory are found once for all its readers: a
    module that stores and reads the key itself, linted first, does not
    hide its store from the module linted after it, and two modules that
    each store what they read from the other do not loop."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    hook = "from flask import g, request\n\n\ndef before():\n    g.embed = g.embed or request.headers.get('X-Embed')\n"
    view = "\n\ndef view(resp):\n    resp.headers['Access-Control-Allow-Origin'] = g.embed\n    return resp\n"
    (pkg / "a.py").write_text(hook + view)
    (pkg / "b.py").write_text("from flask import g" + view)

    def codes(name, project):
        path = pkg / name
        return {f.code for f in lint_source(path.read_bytes(), str(path), EngineOptions(project=project)).findings}

    project = Project(tmp_path)
    assert "COR101" in codes("a.py", project) and "COR101" in codes("b.py", project)
    (pkg / "c.py").write_text(hook.replace("X-Embed", "X-Other") + view)  # stores what it reads, as a.py does
    project = Project(tmp_path)
    assert "COR101" in codes("a.py", project) and "COR101" in codes("c.py", project)
