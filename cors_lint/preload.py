"""Loaded once by the process that starts the pool's workers.

Workers are forked from a small server process (``multiprocessing``'s
forkserver), started as soon as a run knows it will walk a directory, so the
server imports libcst, the engine, the facts layer and the rules while the
command-line process is still walking and pre-filtering the tree.  Each
worker is then a copy of a process that has all of it loaded, and the
imports are paid once per run instead of once per worker.

Most of the analysis loads lazily (library extractors, libcst's native
parser, compiled regular expressions), so importing the modules is not
enough: the server lints one small built-in snippet, which touches every
stage.  The snippet is this module's own text, never scanned code.
"""

from __future__ import annotations

from .engine import EngineOptions, lint_source

_SNIPPET = b"""\
from flask import request
from flask_cors import CORS
from django.core.exceptions import PermissionDenied

CORS(app, origins=["https://example.com"], supports_credentials=True)


def check(response):
    origin = request.headers.get("Origin", "")
    if not origin.startswith("https://example.com"):
        raise PermissionDenied
    response.headers["Access-Control-Allow-Origin"] = origin
    return response
"""

lint_source(_SNIPPET, "preload.py", EngineOptions(enabled=lambda code: True))
