"""Decide from raw bytes, before parsing, whether a file can hold a finding.

Parsing with libcst costs about 100x a regex scan, and only ~1% of files in a
typical tree mention CORS at all.  The filter must be *sound*: every file
that can produce a finding must contain one of these markers, because every
fact the facts layer extracts starts from one of them:

* a CORS header name, written with dashes or underscores
  (``Access-Control-Allow-Origin``, Werkzeug's ``access_control_allow_origin``
  property, aiohttp's ``hdrs.ACCESS_CONTROL_ALLOW_ORIGIN``);
* flask-cors' header constants (``ACL_ORIGIN`` ...), and its decorator
  called by a name that has no ``cors`` in it: ``cross_origin(`` in a views
  module that gets it from the app package through ``from app import *``;
* the word ``cors`` in any case (every CORS library, setting and option name:
  ``CORSMiddleware``, ``flask_cors``, ``CORS_ALLOWED_ORIGINS``,
  ``cors_allowed_origins``, ``cors_enable``, ``use_cors`` ...);
* WebSocket origin checks: ``check_origin`` (Tornado), ``OriginValidator``
  (Django Channels), and Channels' ``ProtocolTypeRouter`` (a websocket app
  with no validator at all is a finding);
* WebSocket endpoints (COR402), in every way one is declared:
  ``websocket(`` (``@app.websocket(...)``, Litestar's ``@websocket(...)``),
  ``websocket_route``/``WebSocketRoute`` (also ``add_websocket_route``),
  ``WebSocketEndpoint``, ``WebsocketListener``/``websocket_listener``,
  aiohttp's ``WebSocketResponse``, ``flask_sock`` (``@sock.route`` needs
  ``Sock`` imported; ``sock.route`` itself where an app factory creates the
  ``Sock()`` in another module and the views import it), ``websockets`` together with a call of ``serve``/``unix_serve`` (the
  extractor knows the server by that last name) or an import of it,
  and ``websocket`` in a file that mentions ``litestar`` (an aliased
  ``@websocket`` decorator);
* a Django Channels consumer (``...WebsocketConsumer``) in a file that
  mentions ``origin``: the origin test its ``connect`` makes itself (COR102);
  likewise a file naming ``socketio`` and ``connect`` that mentions
  ``origin`` (a Socket.IO connect handler testing the Origin).
  The
  bare word "websocket" is not enough: WebSocket clients, protocol
  libraries and their tests mention it everywhere.
* ``import *`` together with ``middleware``, or an import of ``MIDDLEWARE``:
  a settings module that builds on a base module (where django-cors-headers
  is configured) and rewrites ``MIDDLEWARE`` without the CORS middleware
  names no CORS word itself (COR306/COR307 judge the chain).  A settings module that configures
  CORS itself, or lists ``corsheaders.middleware.CorsMiddleware`` or
  ``corsheaders`` in ``INSTALLED_APPS``, contains ``cors`` already.
* ``sanic`` together with a call that loads configuration from elsewhere
  (``app.update_config(AppConfig)``, ``app.update_config(select_config())``,
  ``app.config.load(AppConfig)``, ``Extend(app, config=EXT_CONFIG)``,
  ``app.config.update(SETTINGS)``): sanic-ext and sanic-cors read their
  ``CORS_*`` keys from objects another module defines, so the app module
  may name no CORS word at all.

* Origin and Referer checks that reject requests (COR107, no CORS header
  involved) need two markers: the request value, as the header's name
  quoted as a key (``"Origin"``, ``'referer'``), its WSGI form
  (``HTTP_ORIGIN``, ``HTTP_REFERER``) or the Flask/Werkzeug attributes
  ``request.origin`` / ``request.referrer``; *and* the rejection, which
  ``facts/origin_gates.py`` recognises by a name written in the file
  (``PermissionDenied``, ``HttpResponseForbidden``, ``abort`` with
  ``HTTPStatus.FORBIDDEN``/``status.HTTP_403_FORBIDDEN`` ...), a 4xx
  integer literal (``abort(403)``, ``return "...", 400``), or a call of a
  project helper that answers 4xx: origin_gates reads the helper's body, the
  filter cannot, so it passes the common helper names (``forbidden(``,
  ``bad_request(``, ``unauthorized(``, ``permission_denied(``); a helper of
  another module with another name is seen only in files that carry some
  other rejection marker.  Reading the
  header alone (logging it, a redirect back to the Referer) is common and
  can never be a finding.

A file that passes on the origin-gate markers alone (``verdict`` gives
``GATES_ONLY``) can only hold an origin gate; ``gate_screen.py`` then asks
Python's tree whether it can before libcst is loaded.

The word "origin" alone is deliberately *not* a marker: it occurs in a third
of all files through "original".  The test suite checks that every fixture
with an expected finding passes this filter.
"""

from __future__ import annotations

import re

#: Files larger than this are not analysed (COR900).  Defined here, with the
#: other decision made before parsing, so that reading a file needs neither
#: the engine nor what it imports.
MAX_FILE_BYTES = 5 * 1024 * 1024

# Lower-casing once and using bytes.__contains__ (about 2 GB/s) beats an
# IGNORECASE regex over the same bytes tenfold.  Each ``in`` is a whole
# scan, so ``verdict`` groups the markers under a few words they share
# (``access``, ``origin``, ``sock``): most files hold none of them, and the
# members are looked for only when one is there.  The request's Origin or
# Referer is read, where a CSRF check can test it, as ``http_origin``,
# ``"origin"``, ``'origin'``, ``request.origin`` (and the same for the
# Referer, ``request.referrer``).
# How ``facts/origin_gates.py`` knows a rejection: a name from its
# REJECTING_NAMES or client-error status names (lower-cased substrings, so a
# superset), or a 4xx integer literal where a status is given: after ``(``,
# ``,`` or the keywords origin_gates reads (``abort(403)``, ``status=403``,
# ``return body, 403``; not ``width=400``;
# ``403``, ``4_03``, and any hexadecimal, octal or binary literal rather than
# decode them).  The test suite checks that every name origin_gates knows is
# covered here.
_REJECTION_WORDS = (
    b"permissiondenied", b"suspiciousoperation", b"disallowedhost", b"forbidden", b"badrequest", b"bad_request",
    b"notallowed", b"unauthorized", b"preconditionfailed", b"precondition_failed", b"csrferror", b"validationerror",
    b"notauthenticated", b"permissionerror", b"http_4", b"permission_denied",
)
# ...and then the name itself, whole and in its case (origin_gates compares
# the callee's or exception's last name exactly: ``PydanticForbiddenQualifier``
# is none of them).
_REJECTING_NAME = re.compile(
    rb"(?<![A-Za-z0-9_])(?:PermissionDenied|SuspiciousOperation|DisallowedHost|HttpResponseForbidden"
    rb"|HttpResponseBadRequest|HttpResponseNotAllowed|Forbidden|BadRequest|Unauthorized|HTTPForbidden"
    rb"|HTTPBadRequest|HTTPUnauthorized|HTTPPreconditionFailed|CSRFError|CsrfError|ValidationError"
    rb"|NotAuthenticated|PermissionError|FORBIDDEN|BAD_REQUEST|UNAUTHORIZED|PRECONDITION_FAILED)(?![A-Za-z0-9_])"
    rb"|(?<![A-Za-z0-9_])HTTP_4"
    # a project helper that answers 4xx (``return forbidden("...")``); helpers
    # are known by what they return, so any name works when the file has
    # another rejection marker, these common ones also when it has none
    rb"|(?<![A-Za-z0-9_])(?:forbidden|bad_request|unauthorized|permission_denied)\s*\("
)
_CLIENT_ERROR_LITERAL = re.compile(
    rb"(?:[(,]|\b(?:status|status_code|code)\s*=)[\s\\]*(?:#[^\n]*[\s\\]*)*(?:4_?\d_?\d(?![\w.])|0[xob])"
)
_WEBSOCKET_ENDPOINT = re.compile(rb"websocket(?:\s*\(|_?route|endpoint|_?listener|response)")
# websockets' server: a call whose callee's last name is serve/unix_serve
# (``serve(h)``, ``websockets.serve (h)``; comments and line continuations
# may stand before the parenthesis), or an import of it by name.
_SERVE_CALL = re.compile(rb"(?<![\w])(?:unix_)?serve[\s\\]*(?:#[^\n]*[\s\\]*)*\(")
_SERVE_IMPORT = re.compile(rb"import\s*\(?[\s\w,\\]*\b(?:unix_)?serve\b")
_ACL = re.compile(rb"acl_(?:origin|credentials|allow|expose|max|methods|response|request)")
# "cors" also starts a few English words (Corsica, corset, corsair, corsage)
# found in data tables; only those exact continuations are excluded.
_CORS = re.compile(rb"cors(?!ica|et|air|age)")
# "from .base import *", or "from .base import MIDDLEWARE" (the settings
# constant, upper case): one scan of the text, from each "import"
_MIDDLEWARE_IMPORT = re.compile(rb"import(?: \*|\s*\(?[\s\w,]*\bMIDDLEWARE\b)")
# Sanic loading configuration from another module (lower-cased text)
_SANIC_CONFIG_LOAD = re.compile(rb"update_config\s*\(|\bextend\s*\(|config\.(?:update|from_mapping|load)\s*\(")


def may_matter(data: bytes | str) -> bool:
    return verdict(data) is not None


#: ``verdict``: the file passed on the origin-gate markers alone
GATES_ONLY = "gates"
#: ``verdict``: some other marker is there
ANY = "any"


def verdict(data: bytes | str) -> str | None:
    """None when no finding can come from ``data``; ``GATES_ONLY`` when only
    an origin gate can (COR107: an Origin or Referer read beside a
    rejection, and no other marker), which ``gate_screen`` then asks of
    Python's tree before libcst is loaded; else ``ANY``."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    low = data.lower()
    # Written out rather than looped over the tables above: each ``in`` is a
    # scan of the whole text, most files hold none of the words, and on a
    # tree like Django's the loops' own overhead cost as much as the scans.
    # Each word is looked for once, and the markers that contain it
    # ("origin": seven of them) by what stands around each occurrence.
    origin = _around(low, b"origin", _ORIGIN_MARKS)
    if _around(low, b"access", _ACCESS_MARKS) & _ANY_MARK:
        return ANY
    if origin & _ANY_MARK:
        return ANY
    if b"protocoltyperouter" in low:
        return ANY
    sock = b"sock" in low
    if sock and (b"flask_sock" in low or b"sock.route" in low):
        return ANY
    if b"cors" in low and _CORS.search(low) is not None:
        return ANY
    if sock and b"websocket" in low:
        if _WEBSOCKET_ENDPOINT.search(low) is not None:
            return ANY
        if b"websockets" in low and b"serve" in low and (_SERVE_CALL.search(low) or _SERVE_IMPORT.search(low)):
            return ANY
        if b"litestar" in low:  # "from litestar import websocket as route"
            return ANY
        if origin and b"websocketconsumer" in low:  # a Channels consumer testing the Origin itself
            return ANY
    if origin and b"socketio" in low and b"connect" in low:  # a Socket.IO connect handler testing the Origin
        return ANY
    if b"middleware" in low and _MIDDLEWARE_IMPORT.search(data) is not None:
        return ANY
    if b"sanic" in low and _SANIC_CONFIG_LOAD.search(low) is not None:
        return ANY
    if b"acl_" in low and _ACL.search(low) is not None:
        return ANY
    if (origin | _around(low, b"refer", _REFERER_MARKS)) & _READ_MARK and _rejects(low, data):
        return GATES_ONLY
    return None


# What may stand around a word for the text to hold a marker: (text just
# before it, text just after it, mark).  ``_around`` gives the marks found
# (1 when the word is there at all), so one scan for the word replaces a
# scan for each marker that contains it.
_FOUND, _ANY_MARK, _READ_MARK = 1, 2, 4
_ORIGIN_MARKS = (
    (b"check_", b"", _ANY_MARK),  # check_origin
    (b"", b"validator", _ANY_MARK),  # OriginValidator
    (b"cross_", b"(", _ANY_MARK),  # cross_origin(
    (b"http_", b"", _READ_MARK),  # HTTP_ORIGIN
    (b'"', b'"', _READ_MARK),
    (b"'", b"'", _READ_MARK),
    (b"request.", b"", _READ_MARK),  # request.origin
)
_ACCESS_MARKS = ((b"", b"-control-", _ANY_MARK), (b"", b"_control_", _ANY_MARK))
_REFERER_MARKS = (
    (b"http_", b"er", _READ_MARK),  # HTTP_REFERER
    (b'"', b'er"', _READ_MARK),
    (b"'", b"er'", _READ_MARK),
    (b"request.", b"rer", _READ_MARK),  # request.referrer
)
#: occurrences looked at one by one; a text with more is scanned per marker
_MAX_OCCURRENCES = 64


def _around(low: bytes, word: bytes, marks: tuple) -> int:
    """The marks of ``marks`` found around occurrences of ``word`` in
    ``low``, plus ``_FOUND`` if the word is there; 0 if it is not."""
    at = low.find(word)
    if at < 0:
        return 0
    found = _FOUND
    size = len(word)
    for _ in range(_MAX_OCCURRENCES):
        for before, after, mark in marks:
            if low.endswith(before, 0, at) and low.startswith(after, at + size):
                found |= mark
        at = low.find(word, at + 1)
        if at < 0:
            return found
    # many occurrences: one scan for each marker instead
    for before, after, mark in marks:
        if before + word + after in low:
            found |= mark
    return found


def _rejects(low: bytes, data: bytes) -> bool:
    """Can this text (``low``: lower-cased) reject a request the way
    origin_gates recognises it?"""
    if any(word in low for word in _REJECTION_WORDS) and _REJECTING_NAME.search(data) is not None:
        return True
    return _CLIENT_ERROR_LITERAL.search(low) is not None
