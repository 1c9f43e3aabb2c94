"""COR306/COR307 across modules: split settings packages, project
middleware read from other files, and what stays silent without a project
(flake8 lints one file at a time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import read_annotations
from cors_lint.engine import EngineOptions, lint_source
from cors_lint.prefilter import may_matter
from cors_lint.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "middleware_order"
SAFE = sorted(FIXTURES.glob("_safe_*.py"))
CORS = "corsheaders.middleware.CorsMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"


@pytest.mark.parametrize("path", SAFE, ids=[p.name for p in SAFE])
def test_safe_settings_stay_silent(path: Path) -> None:
    # safe look-alikes (no expected finding, so not in the annotated corpus)
    ann = read_annotations(path)
    assert ann.ok_lines and not ann.expected
    result = lint_source(path.read_bytes(), str(path), EngineOptions())
    assert result.error is None
    assert [(f.line, f.code, f.message) for f in result.findings] == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    pkg = tmp_path / "proj" / "settings"
    pkg.mkdir(parents=True)
    (tmp_path / "proj" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    for name, text in files.items():
        target = tmp_path / "proj" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return tmp_path


def _lint(root: Path, name: str, project: bool = True) -> list[tuple[int, str]]:
    path = root / "proj" / name
    data = path.read_bytes()
    if not may_matter(data):
        return []
    options = EngineOptions(project=Project(root) if project else None)
    result = lint_source(data, str(path), options)
    assert result.error is None
    return [(f.line, f.code) for f in result.findings if f.code in ("COR306", "COR307")]


BASE_WITHOUT = f"""
INSTALLED_APPS = ["django.contrib.contenttypes", "corsheaders"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "{COMMON}",
]
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
"""

BASE_WITH = f"""
INSTALLED_APPS = ["django.contrib.contenttypes", "corsheaders"]
MIDDLEWARE = [
    "{CORS}",
    "{COMMON}",
]
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
"""


@pytest.mark.parametrize(
    "production",
    [
        f'from .base import *\n\nMIDDLEWARE.insert(0, "{CORS}")\n',
        f'from .base import *\n\nMIDDLEWARE = ["{CORS}", *MIDDLEWARE]\n',
        f'from .base import *  # noqa\n\nMIDDLEWARE = ["{CORS}"] + MIDDLEWARE\n',
        f'from .base import MIDDLEWARE\n\nMIDDLEWARE = ["{CORS}", *MIDDLEWARE]\n',
    ],
)
def test_cors_added_by_the_module_built_on_the_base(tmp_path, production):
    root = _package(tmp_path, {"settings/base.py": BASE_WITHOUT, "settings/production.py": production})
    assert _lint(root, "settings/base.py") == []
    assert _lint(root, "settings/production.py") == []


def test_base_without_cors_and_a_module_that_keeps_its_middleware(tmp_path):
    root = _package(tmp_path, {"settings/base.py": BASE_WITHOUT, "settings/production.py": "from .base import *\n\nDEBUG = False\n"})
    assert _lint(root, "settings/base.py") == [(3, "COR306")]
    assert _lint(root, "settings/production.py") == []


def test_project_settings_module_answers_for_its_own_list_when_a_variant_extends_it(tmp_path):
    # <project>/settings.py runs as written (Django's default
    # DJANGO_SETTINGS_MODULE); settings_ci.py replacing MIDDLEWARE with one
    # that has CorsMiddleware does not fix it
    ci = f'from .settings import *\n\nMIDDLEWARE = [\n    "{CORS}",\n    "{COMMON}",\n]\n'
    root = _package(tmp_path, {"settings.py": BASE_WITHOUT, "settings_ci.py": ci})
    assert _lint(root, "settings.py") == [(3, "COR306")]
    assert _lint(root, "settings_ci.py") == []
    # the other way round: the variant is the one that drops it
    ci = f'from .settings import *\n\nMIDDLEWARE = [\n    "{COMMON}",\n]\n'
    root = _package(tmp_path / "two", {"settings.py": BASE_WITH, "settings_ci.py": ci})
    assert _lint(root, "settings.py") == []
    assert _lint(root, "settings_ci.py") == [(3, "COR306")]
    # a base module of a settings package stays a base
    root = _package(tmp_path / "three", {"settings/base.py": BASE_WITHOUT, "settings/ci.py": ci.replace(".settings", ".base")})
    assert _lint(root, "settings/base.py") == []


def test_module_that_drops_the_inherited_cors_middleware(tmp_path):
    production = f'from .base import *\n\nDEBUG = False\nMIDDLEWARE = [\n    "{COMMON}",\n]\n'
    root = _package(tmp_path, {"settings/base.py": BASE_WITH, "settings/production.py": production})
    assert "cors" not in production.lower()  # found through the pre-filter's chain marker
    assert _lint(root, "settings/production.py") == [(4, "COR306")]
    assert _lint(root, "settings/base.py") == []


@pytest.mark.parametrize(
    "production",
    [
        f'from .base import *\n\nMIDDLEWARE = [\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    *MIDDLEWARE[1:],\n]\n',
        'from .base import *  # noqa\n\nMIDDLEWARE = [m for m in MIDDLEWARE if "Cors" not in m]\n',
        'from .base import *\n\nMIDDLEWARE = [mw for mw in MIDDLEWARE if not mw.startswith("corsheaders.")]\n',
        'from .base import *\n\nMIDDLEWARE = list(MIDDLEWARE[-1:])\n',
    ],
)
def test_module_that_rebuilds_the_inherited_list_without_it(tmp_path, production):
    root = _package(tmp_path, {"settings/base.py": BASE_WITH, "settings/production.py": production})
    assert _lint(root, "settings/production.py") == [(3, "COR306")]


@pytest.mark.parametrize(
    "production",
    [
        f'from .base import *\n\nMIDDLEWARE = [*MIDDLEWARE[:1], "x.Timing", *MIDDLEWARE[1:]]\n',
        'from .base import *\n\nMIDDLEWARE = [m for m in MIDDLEWARE if m != "debug_toolbar.middleware.DebugToolbarMiddleware"]\n',
        'from .base import *\n\nMIDDLEWARE = [m for m in MIDDLEWARE if m not in ("x.A", "x.B")]\n',
        # a condition that cannot be decided: the list is unknown, nothing is said
        'from .base import *\n\nMIDDLEWARE = [m for m in MIDDLEWARE if wanted(m)]\n',
        'from .base import *\n\nMIDDLEWARE = [*MIDDLEWARE[1:n]]\n',
    ],
)
def test_module_that_rebuilds_the_inherited_list_keeping_it(tmp_path, production):
    root = _package(tmp_path, {"settings/base.py": BASE_WITH, "settings/production.py": production})
    assert _lint(root, "settings/production.py") == []


def test_module_that_removes_it(tmp_path):
    production = f'from .base import *\n\nMIDDLEWARE.remove("{CORS}")\n'
    root = _package(tmp_path, {"settings/base.py": BASE_WITH, "settings/production.py": production})
    assert _lint(root, "settings/production.py") == [(3, "COR306")]


def test_split_settings_are_silent_without_a_project(tmp_path):
    # flake8: the star import cannot be followed, and base.py may be extended
    root = _package(tmp_path, {"settings/base.py": BASE_WITHOUT, "settings/production.py": f'from .base import *\n\nMIDDLEWARE += ["x.Y"]\nCORS_ALLOW_CREDENTIALS = True\n'})
    assert _lint(root, "settings/base.py", project=False) == []
    assert _lint(root, "settings/production.py", project=False) == []


def test_order_inherited_from_the_base_is_reported_once(tmp_path):
    base = f'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = [\n    "{COMMON}",\n    "{CORS}",\n]\n'
    production = 'from .base import *\n\nMIDDLEWARE += ["debug_toolbar.middleware.DebugToolbarMiddleware"]\n'
    root = _package(tmp_path, {"settings/base.py": base, "settings/production.py": production})
    assert _lint(root, "settings/base.py") == [(4, "COR307")]
    assert _lint(root, "settings/production.py") == []


def test_answering_middleware_added_by_the_child_is_reported_there(tmp_path):
    production = f'from .base import *\n\nMIDDLEWARE.insert(0, "{COMMON}")\n'
    root = _package(tmp_path, {"settings/base.py": BASE_WITH, "settings/production.py": production})
    assert _lint(root, "settings/production.py") == [(3, "COR307")]


PROJECT_MIDDLEWARE = """
from django.http import JsonResponse
from django.utils.deprecation import MiddlewareMixin


class ApiKey:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_KEY" not in request.META:
            return JsonResponse({"detail": "no key"}, status=401)
        return self.get_response(request)


class Timing:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Time"] = "1"
        return response


class Maintenance(MiddlewareMixin):
    def process_request(self, request):
        if request.path != "/health":
            return JsonResponse({"detail": "maintenance"}, status=503)
        return None


def tagging(get_response):
    def middleware(request):
        response = get_response(request)
        response["X-Tag"] = "1"
        return response
    return middleware


def blocking(get_response):
    def middleware(request):
        if request.method == "POST":
            return JsonResponse({"detail": "read-only"}, status=405)
        return get_response(request)
    return middleware
"""


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("proj.middleware.ApiKey", [(4, "COR307")]),
        ("proj.middleware.Maintenance", [(4, "COR307")]),
        ("proj.middleware.Timing", []),
        ("proj.middleware.tagging", []),
        ("proj.middleware.blocking", [(4, "COR307")]),
        ("proj.middleware.Missing", []),
    ],
)
def test_project_middleware_before_cors(tmp_path, listed, expected):
    settings = f'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = [\n    "{listed}",\n    "{CORS}",\n]\n'
    root = _package(tmp_path, {"settings.py": settings, "middleware.py": PROJECT_MIDDLEWARE})
    assert _lint(root, "settings.py") == expected
    assert _lint(root, "settings.py", project=False) == []  # flake8 cannot read the middleware


def test_project_middleware_message_names_the_response(tmp_path):
    settings = f'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["proj.middleware.ApiKey", "{CORS}"]\n'
    root = _package(tmp_path, {"settings.py": settings, "middleware.py": PROJECT_MIDDLEWARE})
    path = root / "proj" / "settings.py"
    result = lint_source(path.read_bytes(), str(path), EngineOptions(project=Project(root)))
    (finding,) = [f for f in result.findings if f.code == "COR307"]
    assert "proj.middleware.ApiKey" in finding.message
    assert "status=401" in finding.message
    assert f"list {CORS} above proj.middleware.ApiKey" in finding.message


def test_starlette_middleware_from_another_module(tmp_path):
    middleware = """
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse


class ApiKey(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if "x-key" not in request.headers:
            return JSONResponse({"detail": "no key"}, status_code=401)
        return await call_next(request)
"""
    app = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .middleware import ApiKey

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
app.add_middleware(ApiKey)
"""
    root = _package(tmp_path, {"middleware.py": middleware, "main.py": app})
    assert _lint(root, "main.py") == [(8, "COR307")]
    assert _lint(root, "main.py", project=False) == []


def test_list_extended_in_a_loop_or_a_global_function_keeps_its_order(tmp_path):
    settings = f'''
INSTALLED_APPS = ["corsheaders"]
MIDDLEWARE = ["{COMMON}", "{CORS}"]
for plugin in PLUGINS:
    MIDDLEWARE.extend(plugin.middleware)


def enable_remote_user():
    global MIDDLEWARE
    MIDDLEWARE.append("x.RemoteUser")
'''
    root = _package(tmp_path, {"settings.py": settings})
    assert _lint(root, "settings.py") == [(3, "COR307")]


def test_cors_maybe_added_by_a_loop_or_a_function_is_not_missing(tmp_path):
    for extra in ("for m in EXTRA:\n    MIDDLEWARE.append(m)\n", "def add():\n    global MIDDLEWARE\n    MIDDLEWARE = [*EXTRA, *MIDDLEWARE]\n"):
        settings = f'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["{COMMON}"]\n{extra}'
        root = _package(tmp_path / str(len(extra)), {"settings.py": settings})
        assert _lint(root, "settings.py") == []


def test_insert_at_an_index_held_in_a_name(tmp_path):
    settings = f'''
INSTALLED_APPS = ["corsheaders"]
MIDDLEWARE = ["{CORS}", "{COMMON}"]
_index = MIDDLEWARE.index("{CORS}")
MIDDLEWARE.insert(_index, "django.middleware.locale.LocaleMiddleware")
'''
    root = _package(tmp_path, {"settings.py": settings})
    assert _lint(root, "settings.py") == [(3, "COR307")]


def test_project_middleware_returning_a_helper_call_is_not_judged(tmp_path):
    # the helper may call get_response itself: only responses built in
    # place (JsonResponse(...), redirect(...)) count as answering
    middleware = """
class Wrapper:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.handle(request)

    def handle(self, request):
        return self.get_response(request)
"""
    settings = f'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["proj.middleware.Wrapper", "{CORS}"]\n'
    root = _package(tmp_path, {"settings.py": settings, "middleware.py": middleware})
    assert _lint(root, "settings.py") == []


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        ("from django.conf.urls.i18n import i18n_patterns\nurlpatterns = i18n_patterns()\n", [(3, "COR307")]),
        ("urlpatterns = []\n", []),  # LocaleMiddleware never redirects without i18n_patterns
    ],
)
def test_locale_middleware_answers_only_with_i18n_patterns(tmp_path, urls, expected):
    settings = f'ROOT_URLCONF = "proj.urls"\nINSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["django.middleware.locale.LocaleMiddleware", "{CORS}"]\n'
    root = _package(tmp_path, {"settings.py": settings, "urls.py": urls})
    assert _lint(root, "settings.py") == expected
    # flake8 cannot read the URLconf: reported, with medium confidence
    path = root / "proj" / "settings.py"
    (finding,) = lint_source(path.read_bytes(), str(path), EngineOptions()).findings
    assert (finding.code, finding.confidence.value) == ("COR307", "medium")


def test_asgi_middleware_calling_its_base_class_passes_the_request_on(tmp_path):
    app = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware


class QuietGZip(GZipMiddleware):
    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        return await super().__call__(scope, receive, send)


app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
app.add_middleware(QuietGZip)
"""
    root = _package(tmp_path, {"main.py": app})
    assert _lint(root, "main.py") == []


TENANT_MIDDLEWARE = """
from django.http import HttpResponse, JsonResponse
from django.utils.deprecation import MiddlewareMixin


class TenantGate(MiddlewareMixin):
    def process_request(self, request):
        if request.path.startswith("/health"):
            return None
        return self._resolve_tenant(request)

    def _resolve_tenant(self, request):
        tenant = lookup(request.get_host())
        if tenant is None:
            return HttpResponse(b"unknown tenant", status=404)
        request.tenant = tenant
        return None


class TenantTagger(MiddlewareMixin):
    def process_request(self, request):
        return self._tag(request)

    def _tag(self, request):
        request.tenant = lookup(request.get_host())
        return None
"""


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        # process_request has no next handler to call: whatever a helper it
        # returns from builds ends the request before CorsMiddleware runs
        ("proj.tenants.TenantGate", [(4, "COR307")]),
        ("proj.tenants.TenantTagger", []),  # the helper never answers
    ],
)
def test_process_request_returning_a_helper_response(tmp_path, listed, expected):
    settings = f'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = [\n    "{listed}",\n    "{CORS}",\n]\n'
    root = _package(tmp_path, {"settings.py": settings, "tenants.py": TENANT_MIDDLEWARE})
    assert _lint(root, "settings.py") == expected


def _namespace_project(tmp_path: Path, files: dict[str, str]) -> Path:
    """``services/shop/...`` without any ``__init__.py`` (a namespace
    package), linted from ``tmp_path``: the dotted names in the settings
    start at ``shop``, below the lint root."""
    for name, text in files.items():
        target = tmp_path / "services" / "shop" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return tmp_path


def _lint_at(root: Path, relative: str) -> list[tuple[int, str]]:
    path = root / relative
    result = lint_source(path.read_bytes(), str(path), EngineOptions(project=Project(root)))
    assert result.error is None
    return [(f.line, f.code) for f in result.findings if f.code in ("COR306", "COR307")]


@pytest.mark.parametrize(("listed", "expected"), [("shop.middleware.Maintenance", [(4, "COR307")]), ("shop.middleware.Timing", [])])
def test_django_middleware_of_a_namespace_package_below_the_lint_root(tmp_path, listed, expected):
    settings = f'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = [\n    "{listed}",\n    "{CORS}",\n]\n'
    root = _namespace_project(tmp_path, {"config/settings.py": settings, "middleware.py": PROJECT_MIDDLEWARE})
    assert _lint_at(root, "services/shop/config/settings.py") == expected


@pytest.mark.parametrize(("name", "expected"), [("ApiKey", [(8, "COR307")]), ("Timing", [])])
def test_starlette_middleware_of_a_namespace_package_below_the_lint_root(tmp_path, name, expected):
    middleware = """
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse


class ApiKey(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if "x-key" not in request.headers:
            return JSONResponse({"detail": "no key"}, status_code=401)
        return await call_next(request)


class Timing(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        response.headers["X-Time"] = "1"
        return response
"""
    app = f"""
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from shop.web.middleware import {name}

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
app.add_middleware({name})
"""
    root = _namespace_project(tmp_path, {"web/middleware.py": middleware, "web/main.py": app})
    assert _lint_at(root, "services/shop/web/main.py") == expected
