"""flask-cors keys in config classes of another project module, loaded
with ``app.config.from_object(...)``: a class imported by name, an entry of
a dict of classes, and the variants derived from a loaded class, with the
extension made in yet another module (``cors = CORS()`` then
``cors.init_app(app)``).  Entries are reported in the config module when it
is linted too, else at the configuring call with ``(from ...)``; safe
classes stay silent."""

from __future__ import annotations

from pathlib import Path

from cli_rows import rows, run, write_package

CONFIG = '''\
import os


class BaseConfig:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")
    CORS_SUPPORTS_CREDENTIALS = True
    CORS_ORIGINS = ["https://desk.parcel.example", "https://agents.parcel.example"]


class DevelopmentConfig(BaseConfig):
    CORS_ORIGINS = BaseConfig.CORS_ORIGINS + [
        "http://localhost:8080",
        "http://desk.staging.parcel.example",
    ]


class ProductionConfig(BaseConfig):
    CORS_ORIGINS = BaseConfig.CORS_ORIGINS + [r"https://.*\\.customers\\.parcel\\.example"]


class EmbedConfig:
    CORS_ORIGINS = ["https://widget.parcel.example", "null"]


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig}
'''
EXTENSIONS = '''\
from flask_cors import CORS

cors = CORS()
'''
FACTORY = '''\
import os

from flask import Flask

from .config import CONFIGS
from .extensions import cors


def create_app(config_name=None):
    app = Flask(__name__)
    app.config.from_object(CONFIGS[config_name or os.environ.get("DESK_ENV", "production")])
    cors.init_app(app)
    return app
'''
WIDGET = '''\
from flask import Flask
from flask_cors import CORS

from desk.config import EmbedConfig

widget = Flask("widget")
widget.config.from_object(EmbedConfig)
CORS(widget)
'''


def project(tmp_path: Path) -> Path:
    return write_package(tmp_path, "desk", {"__init__.py": FACTORY, "config.py": CONFIG, "extensions.py": EXTENSIONS, "widget.py": WIDGET})


def test_entries_of_loaded_config_classes_are_reported_in_the_config_module(tmp_path):
    proc = run(project(tmp_path), "desk")
    assert proc.returncode == 1, proc.stderr
    # plain-http staging origin with the inherited credentials, the
    # unanchored customer pattern, and "null" in the embed config; the base
    # lists and the loopback origin stay silent
    assert sorted(rows(proc.stdout)) == [
        ("desk/config.py", 13, "COR105"),
        ("desk/config.py", 18, "COR102"),
        ("desk/config.py", 22, "COR103"),
    ], proc.stdout
    assert "(from " not in proc.stdout


def test_config_module_outside_the_run_is_reported_at_the_configuring_call(tmp_path):
    proc = run(project(tmp_path), "desk/__init__.py", "desk/widget.py")
    assert sorted(rows(proc.stdout)) == [
        ("desk/__init__.py", 12, "COR102"),
        ("desk/__init__.py", 12, "COR105"),
        ("desk/widget.py", 8, "COR103"),
    ], proc.stdout
    assert "(from desk/config.py:18)" in proc.stdout
    assert "(from desk/config.py:22)" in proc.stdout


RESCUE_CONFIG = '''\
import os


class BaseConfig:
    CORS_ORIGINS = ["https://rescue.example.org"]
    CORS_SUPPORTS_CREDENTIALS = True


class PartnerConfig(BaseConfig):
    CORS_ORIGINS = os.environ.get("PARTNER_ORIGINS", "*")


class ClinicConfig(BaseConfig):
    CORS_ORIGINS = os.environ.get("CLINIC_ORIGINS", "https://clinic.example.org")


CONFIGS = {"partner": PartnerConfig, "clinic": ClinicConfig}


def get_config(name=None):
    return CONFIGS.get(name or os.environ.get("RESCUE_ENV", "production"), BaseConfig)
'''
RESCUE_FACTORY = '''\
from flask import Flask
from flask_cors import CORS

from .config import get_config


def create_app(env_name=None):
    app = Flask(__name__)
    app.config.from_object(get_config(env_name))
    CORS(app, resources={r"/api/.*": {"origins": app.config["CORS_ORIGINS"]}})
    return app
'''


def test_config_class_returned_by_a_getter_and_read_back_by_a_resource(tmp_path):
    """from_object(get_config(env)) with get_config in the config module
    returning CONFIGS.get(env, BaseConfig): each class is one configuration,
    and a resource's app.config["CORS_ORIGINS"] is that class's value, so
    the '*' default with inherited credentials is reported where it is
    written (and the safe classes stay silent)."""
    pkg = tmp_path / "rescue"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(RESCUE_FACTORY)
    (pkg / "config.py").write_text(RESCUE_CONFIG)
    proc = run(tmp_path, "rescue")
    assert proc.returncode == 1, proc.stderr
    assert sorted(rows(proc.stdout)) == [("rescue/config.py", 10, "COR202")], proc.stdout
