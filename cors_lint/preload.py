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
stage, and imports what ``cli.lint_file`` loads on its first file
(``noqa``).  The snippet is this module's own text, never scanned code.
When all of it is loaded, the server creates the file named by
``CORS_LINT_SERVER_READY`` (``runner.start_server`` sets it for the
server alone): from then on a worker starts at once, so the command's
process hands out files while it is still scanning the tree.
"""

from __future__ import annotations

import gc
import os

from . import noqa  # noqa: F401  (lint_file's suppressions: loaded here, not by the first file)
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

# Everything loaded so far lives as long as the workers: frozen, the
# collector never walks it again (``runner._settle`` does the same between
# files), and no worker's first file pays for a pass over it.
gc.collect()
gc.freeze()

# Tell the command-line process that workers now start at once
# (``runner.server_ready``); the variable is set only for this server.
_ready = os.environ.get("CORS_LINT_SERVER_READY")
if _ready:
    try:
        open(_ready, "x").close()
    except OSError:
        pass
