"""Which codes exist and which are on by default, without importing a rule.

Configuration is validated, and selections decided, before any file is
known to need analysis.  Importing the rule modules would import libcst
(about 0.15 s) in every run, including a pre-commit call on a file that has
no CORS code at all.  The rule modules are read as text instead: each
declares ``CODE = "CORnnn"`` and, when opt-in, ``DEFAULT_ENABLED = False``
in its class body.  ``tests/test_registry.py`` checks that this table equals
the registry of imported rules, so the two cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_CODE = re.compile(r'^\s+CODE\s*=\s*["\'](COR\d+)["\']', re.M)
_OPT_IN = re.compile(r"^\s+DEFAULT_ENABLED\s*=\s*False\b", re.M)

_table: dict[str, bool] | None = None


def default_enabled_by_code() -> dict[str, bool]:
    """``code -> on by default`` for every rule module, sorted by code.

    Rules registered at run time (once the registry has been imported for
    analysis anyway) are included too."""
    table = _scanned()
    base = sys.modules.get("cors_lint.rules.base")
    registry = getattr(base, "REGISTRY", None)
    if registry and any(code not in table for code in registry):
        merged = dict(table)
        merged.update((code, rule.DEFAULT_ENABLED) for code, rule in registry.items())
        return dict(sorted(merged.items()))
    return table


def _scanned() -> dict[str, bool]:
    global _table
    if _table is None:
        found: dict[str, bool] = {}
        for module in sorted((Path(__file__).parent / "rules").glob("cor*.py")):
            text = module.read_text(encoding="utf-8")
            for match in _CODE.finditer(text):
                found[match.group(1)] = _OPT_IN.search(text) is None
        _table = dict(sorted(found.items()))
    return _table


def known(code: str) -> bool:
    return code in default_enabled_by_code()


def on_by_default(code: str) -> bool:
    return default_enabled_by_code().get(code, False)
