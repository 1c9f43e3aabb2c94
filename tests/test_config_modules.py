"""Which modules are django-cors-headers settings: Flask and Sanic config
modules (loaded with ``app.config.from_object``) use flask-cors' ``CORS_*``
key names, which are misspelt settings only in a module that really is
Django's.  The decision reads one file, so standalone and flake8 agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import read_annotations
from cors_lint.engine import EngineOptions, lint_source
from cors_lint.project import Project

FIXTURES = Path(__file__).parent / "fixtures"
SAFE = [
    FIXTURES / "flask_cors" / "_safe_settings_flask_config.py",
    FIXTURES / "sanic" / "_safe_sanic_config_module.py",
    FIXTURES / "sanic" / "_safe_sanic_ext_update_config_class.py",  # the look-alike of sanic_ext_update_config_class.py
]
DJANGO = FIXTURES / "django_cors" / "settings_flask_cors_names.py"


def _findings(path: Path, standalone: bool) -> set[tuple[int, str]]:
    options = EngineOptions(enabled=lambda code: True, project=Project(path.parent) if standalone else None)
    result = lint_source(path.read_bytes(), str(path), options)
    assert result.error is None
    return {(f.line, f.code) for f in result.findings}


@pytest.mark.parametrize("standalone", [True, False], ids=["standalone", "flake8"])
@pytest.mark.parametrize("path", SAFE, ids=[p.name for p in SAFE])
def test_flask_cors_config_modules_are_not_django_settings(path: Path, standalone: bool) -> None:
    ann = read_annotations(path)
    assert ann.ok_lines and not ann.expected
    assert _findings(path, standalone) == set()


@pytest.mark.parametrize("standalone", [True, False], ids=["standalone", "flake8"])
def test_flask_cors_names_in_real_django_settings_are_reported(standalone: bool) -> None:
    assert _findings(DJANGO, standalone) == read_annotations(DJANGO).expected
