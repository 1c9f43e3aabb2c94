"""The facts layer: framework-specific code in, neutral facts out.

``extract_facts`` builds one ``ModuleContext`` (index + positions + value
evaluator) and runs every extractor over it: hand-written header writes, and
each CORS library's configuration (modules in ``facts/libraries/``, each
exposing ``extract(ctx, facts)``; they are discovered automatically, so
adding a library touches only that package), and the WebSocket endpoints
the application serves itself (``websocket_endpoints.py``).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

from .model import FileFacts

if TYPE_CHECKING:
    import libcst as cst

# Importing ``facts.model`` (as configuration and reporters do) must not
# import libcst: the heavy modules load on first use of ``extract_facts``.

_extractors: list | None = None


def library_extractors() -> list:
    global _extractors
    if _extractors is None:
        from . import libraries

        found = []
        for info in sorted(pkgutil.iter_modules(libraries.__path__), key=lambda i: i.name):
            if info.name.startswith("_"):
                continue
            mod = importlib.import_module(f"{libraries.__name__}.{info.name}")
            if hasattr(mod, "extract"):
                found.append(mod.extract)
        _extractors = found
    return _extractors


def extract_facts(module: "cst.Module", path: str, options=None, tree=None) -> FileFacts:
    """``tree``: Python's ``ast`` of the same text, when the caller has it
    (positions are then computed per statement, not for the whole module)."""
    from .context import ModuleContext
    from .headers import extract_header_writes
    from .origin_gates import extract as extract_origin_gates
    from .routes import extract_routes
    from .websocket_endpoints import extract_websocket_endpoints

    ctx = ModuleContext(module, path, options, tree)
    facts = FileFacts(path)
    try:
        extract_header_writes(ctx, facts)
        for extract in library_extractors():
            extract(ctx, facts)
        extract_origin_gates(ctx, facts)
        extract_websocket_endpoints(ctx, facts)
        extract_routes(ctx, facts)
    finally:
        ctx.release()  # facts are plain data: nothing evaluates after this
    return facts


def __getattr__(name: str):
    if name == "ModuleContext":
        from .context import ModuleContext

        return ModuleContext
    raise AttributeError(name)
