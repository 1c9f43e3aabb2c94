"""Rules: one module per code (``cor101.py`` ...), discovered automatically.

Adding a rule means adding a module here, and its code to the table in
``cors_lint/codes.py`` (which configuration reads without importing any
rule); ``tests/test_startup.py`` fails until the two agree.
"""

from __future__ import annotations

import importlib
import pkgutil

_loaded = False


def load_all() -> None:
    global _loaded
    if _loaded:
        return
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("cor"):
            importlib.import_module(f"{__name__}.{info.name}")
    _loaded = True
