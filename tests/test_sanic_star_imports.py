"""Sanic configuration that reaches the app through ``from .config import *``:
``Extend(app, config=EXT_CONFIG)``, ``app.config.update(PARTNER_CORS)``,
``app.update_config(AdminConfig)`` (sanic-ext) and ``app.config.update(...)``
before ``CORS(app)`` (sanic-cors 2.2.0 reads the app config when
``CORS(app)`` runs).  Entries written in config.py are reported there when it
is linted too, else at the call that reads them."""

from __future__ import annotations

from pathlib import Path

from tests.cli_rows import rows, run

CONFIG = '''import re

EXT_CONFIG = {
    "CORS_ORIGINS": re.compile(r"https://[a-z]+\\.shop\\.example\\.com"),
    "CORS_SUPPORTS_CREDENTIALS": True,
}
PARTNER_CORS = {"CORS_ORIGINS": re.compile(r"https://partner\\.example\\.com")}
SUPPLIER_CORS = {"CORS_ORIGINS": "https://suppliers.example.com,https://www.suppliers.example.com"}
LEGACY_CORS = {"CORS_ORIGINS": "https://*.legacy.example.com", "CORS_SUPPORTS_CREDENTIALS": True}


class AdminConfig:
    CORS_ORIGINS = re.compile(r"https://admin\\.example\\.com$")
    CORS_SUPPORTS_CREDENTIALS = True


class ReportsConfig:
    CORS_ORIGINS = re.compile(r"https://[a-z]+\\.reports\\.example\\.com")
'''

MODULES = {
    "shop.py": 'from sanic import Sanic\nfrom sanic_ext import Extend\n\nfrom .config import *\n\napp = Sanic("shop")\nExtend(app, config=EXT_CONFIG)\n',
    "partner.py": 'from sanic import Sanic\n\nfrom .config import *\n\npartner = Sanic("partner")\npartner.config.update(PARTNER_CORS)\n',
    "supplier.py": 'from sanic import Sanic\n\nfrom .config import *\n\nsupplier = Sanic("supplier")\nsupplier.config.update(SUPPLIER_CORS)\n',
    "admin.py": 'from sanic import Sanic\n\nfrom .config import *\n\nadmin = Sanic("admin")\nadmin.update_config(AdminConfig)\n',
    "reports.py": 'from sanic import Sanic\n\nfrom .config import *\n\nreports = Sanic("reports")\nreports.update_config(ReportsConfig)\n',
    "legacy.py": 'from sanic import Sanic\nfrom sanic_cors import CORS\n\nfrom .config import *\n\nlegacy = Sanic("legacy")\nlegacy.config.update(LEGACY_CORS)\nCORS(legacy)\n',
}


def _project(tmp_path: Path) -> Path:
    pkg = tmp_path / "storefront"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "config.py").write_text(CONFIG)
    for name, text in MODULES.items():
        (pkg / name).write_text(text)
    return tmp_path


def test_star_imported_sanic_config_is_judged_where_written(tmp_path):
    root = _project(tmp_path)
    assert sorted(rows(run(root, "storefront").stdout)) == [
        ("storefront/config.py", 4, "COR102"),  # EXT_CONFIG: re.match, no end anchor
        ("storefront/config.py", 7, "COR102"),  # PARTNER_CORS: the same
        ("storefront/config.py", 9, "COR102"),  # LEGACY_CORS (sanic-cors): "*" makes it a prefix regex
        ("storefront/config.py", 18, "COR102"),  # ReportsConfig: no end anchor
    ]


def test_star_imported_sanic_config_linted_alone_is_reported_at_the_call(tmp_path):
    root = _project(tmp_path)
    for module, line in (("shop.py", 7), ("partner.py", 6), ("legacy.py", 7), ("reports.py", 6)):
        proc = run(root, f"storefront/{module}")
        assert rows(proc.stdout) == [(f"storefront/{module}", line, "COR102")], (module, proc.stdout)
        assert "(from storefront/config.py:" in proc.stdout
    for module in ("supplier.py", "admin.py"):
        proc = run(root, f"storefront/{module}")
        assert rows(proc.stdout) == [], (module, proc.stdout)
