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

import libcst as cst

from .context import ModuleContext
from .headers import extract_header_writes
from .model import FileFacts
from .origin_gates import extract as extract_origin_gates
from .websocket_endpoints import extract_websocket_endpoints
from .routes import extract_routes

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


def extract_facts(module: cst.Module, path: str, options=None) -> FileFacts:
    ctx = ModuleContext(module, path, options)
    facts = FileFacts(path)
    extract_header_writes(ctx, facts)
    for extract in library_extractors():
        extract(ctx, facts)
    extract_origin_gates(ctx, facts)
    extract_websocket_endpoints(ctx, facts)
    extract_routes(ctx, facts)
    return facts
