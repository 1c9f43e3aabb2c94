"""Which codes exist and which are on by default, without importing a rule.

Configuration is validated, and selections decided, before any file is
known to need analysis.  Importing the rule modules would import libcst
(about 0.15 s) in every run, including a pre-commit call on a file that has
no CORS code at all; reading them as text costs about 7 ms of a budget of a
few tens.  So the table is written out here, one line per rule module.
``tests/test_startup.py`` checks that it equals the registry of imported
rules, so the two cannot drift apart: a new rule fails that test until its
code is added here.
"""

from __future__ import annotations

import sys

#: ``code -> on by default`` for every shipped rule, sorted by code
#: (``DEFAULT_ENABLED = False`` in the rule's class makes it opt-in).
CODES: dict[str, bool] = {
    "COR101": True,
    "COR102": True,
    "COR103": True,
    "COR104": True,
    "COR105": True,
    "COR106": True,
    "COR107": True,
    "COR201": True,
    "COR202": True,
    "COR203": False,
    "COR204": True,
    "COR301": True,
    "COR302": True,
    "COR303": True,
    "COR304": True,
    "COR305": True,
    "COR306": True,
    "COR307": True,
    "COR401": True,
    "COR402": True,
    "COR900": True,
}


def default_enabled_by_code() -> dict[str, bool]:
    """``code -> on by default`` for every rule, sorted by code.

    Rules registered at run time (once the registry has been imported for
    analysis anyway) are included too."""
    base = sys.modules.get("cors_lint.rules.base")
    registry = getattr(base, "REGISTRY", None)
    if not registry:
        return CODES
    global _merged
    if _merged[0] != len(registry):  # asked per rule per file: merged once per registry size
        extra = any(code not in CODES for code in registry)
        merged = dict(CODES)
        merged.update((code, rule.DEFAULT_ENABLED) for code, rule in registry.items())
        _merged = (len(registry), dict(sorted(merged.items())) if extra else CODES)
    return _merged[1]


# (registry size, codes) last merged: the registry only grows
_merged: tuple[int, dict[str, bool]] = (-1, CODES)


def known(code: str) -> bool:
    return code in default_enabled_by_code()


def on_by_default(code: str) -> bool:
    return default_enabled_by_code().get(code, False)
