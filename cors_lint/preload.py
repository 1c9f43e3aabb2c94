"""Loaded once by the server that forks the pool's workers (``server.py``).

The server is started as soon as a run knows it will walk a directory, so
it imports libcst, the engine, the facts layer and the rules while the
command-line process is still walking and pre-filtering the tree.  Each
worker is then a copy of a process that has all of it loaded, and the
imports are paid once per run instead of once per worker.

Most of the analysis loads lazily (library extractors, libcst's native
parser, compiled regular expressions), so importing the modules is not
enough: the server lints one small built-in snippet, which touches every
stage, and imports what ``cli.lint_file`` loads on its first file
(``noqa``).  The snippet is this module's own text, never scanned code.
When this module is loaded the server says it is ready, and from then on a
worker starts at once, so the command's process hands out files while it
is still scanning the tree.
"""

from __future__ import annotations

import gc

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
# files), and no worker's first file pays for a pass over it.  No
# collection first: the imports and the snippet leave no cyclic garbage
# (the snippet's module context breaks its own cycles), and a full pass
# over everything loaded found nothing and cost 10 ms of the server's
# start, which every directory run waits for.
gc.freeze()
