"""Standalone-mode cross-module resolution (``cors_lint.project.Project``).

Each test builds a small project tree under ``tmp_path`` and lints one file
of it with a ``Project``; the same file linted without a project (flake8
mode) must stay silent where the verdict depends on another module.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from cors_lint.engine import EngineOptions, lint_source
from cors_lint.project import Project
from cors_lint.rules.base import REGISTRY, all_rules


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")


def lint(path: Path, project: Project | None) -> set[tuple[int, str]]:
    all_rules()
    options = EngineOptions(enabled=lambda code: REGISTRY[code].DEFAULT_ENABLED, project=project)
    result = lint_source(path.read_bytes(), str(path), options)
    assert result.error is None, result.error
    return {(f.line, f.code) for f in result.findings}


# -- constants imported from other modules -----------------------------------------


def test_relative_and_absolute_constants(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/config.py": 'ORIGINS = ["*"]\nCREDS = True\nSAFE = ["https://app.example.com"]\n',
            "svc/app.py": """\
                from fastapi.middleware.cors import CORSMiddleware
                from .config import ORIGINS, SAFE
                from svc.config import CREDS
                app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=CREDS)
                app.add_middleware(CORSMiddleware, allow_origins=SAFE, allow_credentials=True)
            """,
        },
    )
    app = tmp_path / "svc" / "app.py"
    assert lint(app, Project(tmp_path)) == {(4, "COR202")}
    assert lint(app, None) == set()  # under flake8 the imported values are unknown


def test_module_attribute_and_flat_layout(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "settings_cors.py": 'ORIGINS = "*"\n',
            "main.py": """\
                import settings_cors as conf
                from flask_cors import CORS
                CORS(app, origins=conf.ORIGINS, supports_credentials=True)
            """,
        },
    )
    assert lint(tmp_path / "main.py", Project(tmp_path)) == {(3, "COR202")}


def test_constant_chains_and_reexports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "from .defaults import *\n",
            "pkg/defaults.py": 'BASE = ["https://app.example.com"]\nALL = BASE + ["*"]\n',
            "pkg/web.py": """\
                from starlette.middleware.cors import CORSMiddleware
                from pkg import ALL
                mw = CORSMiddleware(app, allow_origins=ALL, allow_credentials=True)
            """,
        },
    )
    project = Project(tmp_path)
    assert lint(tmp_path / "pkg" / "web.py", project) == {(3, "COR202")}
    value = project.resolve_constant("pkg.ALL", str(tmp_path / "pkg" / "web.py"))
    assert value is not None and [i.const for i in value.items] == ["https://app.example.com", "*"]
    assert value.span is None and all(i.span is None for i in value.items)  # positions of another file are dropped


def test_cycles_missing_and_broken_modules_are_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.py": "from b import X\n",
            "b.py": "from a import X\n",
            "broken.py": "ORIGINS = [\n",
            "c.py": "from a import *\nfrom c import *\n",
        },
    )
    project = Project(tmp_path)
    here = str(tmp_path / "main.py")
    assert project.resolve_constant("a.X", here) is None
    assert project.resolve_constant("broken.ORIGINS", here) is None
    assert project.resolve_constant("missing.module.X", here) is None
    assert project.resolve_constant("c.X", here) is None
    assert project.resolve_constant(".a.X", here) is None  # relative, same directory: still the cycle


def test_loading_is_lazy(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "used.py": 'ORIGINS = ["*"]\n',
            "unused.py": 'ORIGINS = ["*"]\n',
            "app.py": """\
                from fastapi.middleware.cors import CORSMiddleware
                from used import ORIGINS
                app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)
            """,
        },
    )
    project = Project(tmp_path)
    assert lint(tmp_path / "app.py", project) == {(3, "COR202")}
    loaded = {p.name for p in project._contexts}
    assert loaded == {"used.py"}


def test_relative_import_resolves_against_the_importing_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "one/__init__.py": "",
            "one/conf.py": 'ORIGINS = ["https://app.example.com"]\n',
            "two/__init__.py": "",
            "two/conf.py": 'ORIGINS = ["*"]\n',
            "two/sub/__init__.py": "",
            "two/sub/app.py": """\
                from fastapi.middleware.cors import CORSMiddleware
                from ..conf import ORIGINS
                app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)
            """,
        },
    )
    assert lint(tmp_path / "two" / "sub" / "app.py", Project(tmp_path)) == {(3, "COR202")}


# -- Django settings packages ---------------------------------------------------------

SETTINGS_PACKAGE = {
    "mysite/__init__.py": "",
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": """\
        INSTALLED_APPS = ["corsheaders"]
        CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
        CORS_ALLOW_ALL_ORIGINS = True
    """,
    "mysite/settings/production.py": """\
        from .base import *

        CORS_ALLOW_CREDENTIALS = True
    """,
    "mysite/settings/staging.py": """\
        from .production import *

        CORS_ALLOW_ALL_ORIGINS = False
    """,
    "mysite/settings/local.py": """\
        from mysite.settings.base import *

        CORS_ALLOWED_ORIGINS = ["https://app.example.com", "http://intranet.example.com"]
    """,
}


def test_settings_package_effective_settings(tmp_path: Path) -> None:
    write(tmp_path, SETTINGS_PACKAGE)
    project = Project(tmp_path)
    settings = tmp_path / "mysite" / "settings"
    # base alone: allow-all without credentials (only the opt-in COR203)
    assert lint(settings / "base.py", project) == set()
    # production inherits allow-all and adds credentials: reported at the star import
    assert lint(settings / "production.py", project) == {(1, "COR202")}
    # staging switches allow-all off again: the inherited list applies
    assert lint(settings / "staging.py", project) == set()
    # an absolute star import works the same; http entries need credentials
    assert lint(settings / "local.py", project) == set()
    effective = project.module_assignments_with_star_imports(settings / "staging.py", lambda n: n.startswith("CORS_"))
    assert {k: v.const for k, v in effective.items() if v.kind == "const"} == {
        "CORS_ALLOW_ALL_ORIGINS": False,
        "CORS_ALLOW_CREDENTIALS": True,
    }


def test_settings_package_without_project_is_unknown(tmp_path: Path) -> None:
    write(tmp_path, SETTINGS_PACKAGE)
    production = tmp_path / "mysite" / "settings" / "production.py"
    assert lint(production, None) == set()


def test_inherited_entries_are_reported_at_the_star_import(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/settings/__init__.py": "",
            "site/settings/base.py": 'CORS_ALLOWED_ORIGINS = ["https://app.example.com", "http://legacy.example.com", "null"]\n',
            "site/settings/prod.py": "import os\nfrom .base import *\n\nCORS_ALLOW_CREDENTIALS = True\n",
        },
    )
    assert lint(tmp_path / "site" / "settings" / "prod.py", Project(tmp_path)) == {(2, "COR105"), (2, "COR103")}


def test_inherited_list_extended_in_place(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings/__init__.py": "",
            "proj/settings/base.py": 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_CREDENTIALS = True\n',
            "proj/settings/dev.py": 'from .base import *\n\nCORS_ALLOWED_ORIGINS += ["http://dev.example.com"]\n',
        },
    )
    assert lint(tmp_path / "proj" / "settings" / "dev.py", Project(tmp_path)) == {(3, "COR105")}


def test_inherited_literal_wildcard_is_reported_once(tmp_path: Path) -> None:
    # base sends CORS_ALLOW_HEADERS "*" with credentials: reported in base;
    # a child that inherits both reports nothing new; a child that turns
    # credentials on makes the inherited "*" a problem of its own
    write(
        tmp_path,
        {
            "crm/__init__.py": "",
            "crm/settings/__init__.py": "",
            "crm/settings/base.py": """\
                INSTALLED_APPS = ["corsheaders"]
                MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]
                CORS_ALLOW_CREDENTIALS = True
                CORS_ALLOW_HEADERS = ["*"]
            """,
            "crm/settings/prod.py": 'from .base import *\n\nCORS_ALLOWED_ORIGINS = ["https://crm.example.com"]\n',
            "crm/settings/public.py": """\
                INSTALLED_APPS = ["corsheaders"]
                CORS_EXPOSE_HEADERS = ["*"]
            """,
            "crm/settings/partner.py": "from .public import *\n\nCORS_ALLOW_CREDENTIALS = True\n",
        },
    )
    settings = tmp_path / "crm" / "settings"
    project = Project(tmp_path)
    assert lint(settings / "base.py", project) == {(4, "COR204")}
    assert lint(settings / "prod.py", project) == set()
    assert lint(settings / "public.py", project) == set()
    assert lint(settings / "partner.py", project) == {(1, "COR204")}


def test_findings_made_only_of_inherited_settings_stay_in_the_base(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/settings/__init__.py": "",
            "shop/settings/base.py": """\
                INSTALLED_APPS = ["corsheaders"]
                MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]
                CORS_ALLOWED_ORIGINS = ["https://Shop.example.com", "http://legacy.example.com", "null"]
                CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.shop\\.example\\.com"]
                CORS_ALLOW_CREDENTIALS = True
                CORS_ALLOW_PRIVATE_NETWORK = True
            """,
            # changes nothing about the origins: its inherited entries are the
            # base's findings (moved there when the base is linted in the same
            # run, test_entry_locations.py; linted alone, at the star import)
            "shop/settings/prod.py": 'from .base import *\n\nCORS_URLS_REGEX = r"^/api/"\n',
            # allow-all of its own: new findings, at its own setting and,
            # for the inherited private-network switch, at the star import
            "shop/settings/dev.py": "from .base import *\n\nCORS_ALLOW_ALL_ORIGINS = True\n",
        },
    )
    settings = tmp_path / "shop" / "settings"
    project = Project(tmp_path)
    assert lint(settings / "base.py", project) == {(3, "COR302"), (3, "COR105"), (3, "COR103"), (4, "COR102")}
    assert lint(settings / "prod.py", project) == {(1, "COR302"), (1, "COR105"), (1, "COR103"), (1, "COR102")}
    assert lint(settings / "dev.py", project) == {(3, "COR202"), (1, "COR106"), (1, "COR302"), (1, "COR105"), (1, "COR103"), (1, "COR102")}


def test_settings_instance_from_another_module_is_reported_at_its_field(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "gw/__init__.py": "",
            "gw/config.py": """\
                from functools import lru_cache

                from pydantic_settings import BaseSettings


                class Settings(BaseSettings):
                    tenant_origin_regex: str = r"https://[a-z0-9-]+.tenants.example.io"
                    docs_origins: list[str] = ["https://docs.example.io", "null"]
                    safe_origin_regex: str = r"https://[a-z0-9-]+\\.tenants\\.example\\.io"


                @lru_cache
                def get_settings() -> Settings:
                    return Settings()
            """,
            "gw/main.py": """\
                from fastapi import FastAPI
                from fastapi.middleware.cors import CORSMiddleware

                from .config import get_settings

                settings = get_settings()
                app = FastAPI()
                app.add_middleware(CORSMiddleware, allow_origin_regex=settings.tenant_origin_regex, allow_credentials=True)
                safe = FastAPI()
                safe.add_middleware(CORSMiddleware, allow_origin_regex=settings.safe_origin_regex, allow_credentials=True)
            """,
            "gw/docs.py": """\
                from litestar import Litestar
                from litestar.config.cors import CORSConfig

                from .config import Settings

                settings = Settings()
                app = Litestar(route_handlers=[], cors_config=CORSConfig(allow_origins=settings.docs_origins, allow_credentials=True))
            """,
        },
    )
    all_rules()
    project = Project(tmp_path)
    main = tmp_path / "gw" / "main.py"
    options = EngineOptions(enabled=lambda code: REGISTRY[code].DEFAULT_ENABLED, project=project)
    result = lint_source(main.read_bytes(), str(main), options)
    # the pattern is written in config.py (not linted in this run): reported
    # at the use, with a note pointing at the field
    assert [(f.line, f.code) for f in result.findings] == [(8, "COR102")]
    assert "config.py:7" in result.findings[0].message
    # an imported class instantiated here (Litestar)
    assert lint(tmp_path / "gw" / "docs.py", project) == {(7, "COR103")}
    # flake8 (no project): the instance's class is unknown, nothing is said
    assert lint(tmp_path / "gw" / "main.py", None) == set()


def test_star_imported_constant(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": 'ORIGINS = ["*"]\n',
            "pkg/more.py": 'ORIGINS = ["https://app.example.com"]\n',
        },
    )
    project = Project(tmp_path)
    here = tmp_path / "pkg" / "settings.py"
    value = project.star_imported_constant(here, [".base", ".more"], "ORIGINS")
    assert value is not None and [i.const for i in value.items] == ["https://app.example.com"]
    assert project.star_imported_constant(here, [".base"], "ORIGINS").items[0].const == "*"
    assert project.star_imported_constant(here, [".base"], "MISSING") is None


def test_inherited_verdicts_have_lower_confidence(tmp_path: Path) -> None:
    write(tmp_path, SETTINGS_PACKAGE)
    all_rules()
    production = tmp_path / "mysite" / "settings" / "production.py"
    options = EngineOptions(enabled=lambda code: REGISTRY[code].DEFAULT_ENABLED, project=Project(tmp_path))
    [finding] = lint_source(production.read_bytes(), str(production), options).findings
    assert (finding.code, finding.confidence.value) == ("COR202", "medium")
    assert "CORS_ALLOW_ALL_ORIGINS=True (from .base)" in finding.message
