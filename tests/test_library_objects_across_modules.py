"""Library objects an app factory imports from another project module:
standalone mode follows the import, flake8 (one file) does not guess."""

from __future__ import annotations

from pathlib import Path

from cors_lint.engine import EngineOptions, lint_source
from cors_lint.project import Project

EXTENSIONS = '''
from flask_cors import CORS
from flask_sock import Sock

cors = CORS()
preset_cors = CORS(origins=["https://partners.example.org"])
sock = Sock()
'''

FACTORY = '''
from flask import Flask

from {source} import cors, preset_cors, sock


def create_app():
    app = Flask(__name__)
    app.config.from_prefixed_env("SHOP")
    cors.init_app(
        app,
        resources={{
            r"/api/*": {{
                "origins": [
                    "https://shop.example.org",
                    "http://kiosk.example.org",
                ]
            }}
        }},
        supports_credentials=True,
    )
    return app


def create_partner_app():
    app = Flask("partners")
    preset_cors.init_app(app, supports_credentials=True)
    sock.init_app(app)
    return app


def create_kiosk_app():
    app = Flask("kiosk")
    cors.init_app(app, resources={{r"/api/*": {{"origins": ["https://kiosk.example.org"]}}}}, supports_credentials=True)
    return app
'''


def _project(tmp_path: Path, source: str) -> Path:
    pkg = tmp_path / "shop"
    pkg.mkdir()
    if source == ".":
        (pkg / "__init__.py").write_text(EXTENSIONS)
    else:
        (pkg / "__init__.py").write_text("")
        (pkg / "extensions.py").write_text(EXTENSIONS)
    factory = pkg / "factory.py"
    factory.write_text(FACTORY.format(source=source))
    return factory


def _findings(factory: Path, project: Project | None):
    result = lint_source(factory.read_bytes(), str(factory), EngineOptions(project=project))
    return [(f.line, f.code) for f in result.findings]


def test_init_app_of_an_extension_created_in_another_module(tmp_path):
    factory = _project(tmp_path, ".extensions")
    # the plain-HTTP entry with credentials; the https-only kiosk app, the
    # constructor with its own options (not read from here) and Sock stay silent
    assert _findings(factory, Project(tmp_path)) == [(16, "COR105")]


def test_extension_created_in_the_package_init(tmp_path):
    factory = _project(tmp_path, ".")
    assert _findings(factory, Project(tmp_path)) == [(16, "COR105")]


def test_under_flake8_an_imported_object_is_not_guessed(tmp_path):
    factory = _project(tmp_path, ".extensions")
    assert _findings(factory, None) == []


SANIC_CONFIG = '''
import os


class LeagueConfig:
    CORS_ORIGINS = "https://league.example.org"
    CORS_EXPOSE_HEADER = ["X-Total-Count"]


class ProductionConfig(LeagueConfig):
    CORS_MAX_AGE = 600


class TestingConfig(LeagueConfig):
    CORS_ORIGNS = "http://localhost:3000"


CONFIGS = {"production": ProductionConfig, "testing": TestingConfig}


def select_config(name=None):
    try:
        return CONFIGS[name or os.environ.get("LEAGUE_ENV", "production")]
    except KeyError:
        raise RuntimeError(name)
'''

SANIC_SERVER = '''
from sanic import Sanic

from .config import select_config

app = Sanic("league")
app.update_config(select_config())
'''


def _sanic_project(tmp_path: Path) -> tuple[Path, Path]:
    pkg = tmp_path / "league"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text(SANIC_CONFIG)
    server = pkg / "server.py"
    server.write_text(SANIC_SERVER)
    return pkg / "config.py", server


def test_sanic_config_class_picked_by_an_imported_function(tmp_path):
    # both modules linted: each misspelt key is reported in config.py, at
    # the key (the base's, which update_config never copies, and a candidate's own)
    from cli_rows import rows, run

    _sanic_project(tmp_path)
    out = run(tmp_path, "league")
    assert rows(out.stdout) == [("league/config.py", 7, "COR305"), ("league/config.py", 15, "COR305")]
    # the server alone: the keys stay at the call, with where they are
    alone = run(tmp_path, "league/server.py")
    assert rows(alone.stdout) == [("league/server.py", 7, "COR305"), ("league/server.py", 7, "COR305")]
    assert "(from league/config.py:7)" in alone.stdout and "(from league/config.py:15)" in alone.stdout


def test_sanic_config_function_under_flake8_is_not_guessed(tmp_path):
    config, server = _sanic_project(tmp_path)
    assert _findings(server, None) == []
    assert _findings(config, None) == []
