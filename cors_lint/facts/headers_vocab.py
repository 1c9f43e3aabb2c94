"""Names: CORS headers and well-known header constants.  (Which
expressions read the request's Origin is ``facts/sources.py``.)"""

from __future__ import annotations

import libcst as cst

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
ACAH = "access-control-allow-headers"
ACAM = "access-control-allow-methods"
ACEH = "access-control-expose-headers"
ACMA = "access-control-max-age"
ACAPN = "access-control-allow-private-network"
VARY = "vary"

CORS_RESPONSE_HEADERS = {ACAO, ACAC, ACAH, ACAM, ACEH, ACMA, ACAPN}
WATCHED_HEADERS = CORS_RESPONSE_HEADERS | {VARY}

# Constants libraries export for header names (aiohttp.hdrs, flask_cors.core,
# corsheaders.conf/middleware, falcon, werkzeug, starlette tests...).
_CONSTANTS = {
    "ACCESS_CONTROL_ALLOW_ORIGIN": ACAO,
    "ACCESS_CONTROL_ALLOW_CREDENTIALS": ACAC,
    "ACCESS_CONTROL_ALLOW_HEADERS": ACAH,
    "ACCESS_CONTROL_ALLOW_METHODS": ACAM,
    "ACCESS_CONTROL_EXPOSE_HEADERS": ACEH,
    "ACCESS_CONTROL_MAX_AGE": ACMA,
    "ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK": ACAPN,
    "ACL_ORIGIN": ACAO,
    "ACL_CREDENTIALS": ACAC,
    "ACL_ALLOW_HEADERS": ACAH,
    "ACL_METHODS": ACAM,
    "ACL_EXPOSE_HEADERS": ACEH,
    "ACL_MAX_AGE": ACMA,
    "ACL_RESPONSE_PRIVATE_NETWORK": ACAPN,
    "VARY": VARY,
    "ORIGIN": "origin",
    "REFERER": "referer",
}
_CONSTANT_MODULES = ("hdrs", "aiohttp", "flask_cors", "corsheaders", "falcon", "werkzeug", "starlette", "tornado", "sanic", "litestar", "constants")



def display_header(name: str) -> str:
    """``access-control-allow-origin`` -> ``Access-Control-Allow-Origin``."""
    return "-".join(part.capitalize() for part in name.split("-"))


def normalize_header(name: str | bytes, *, underscores: bool = False) -> str:
    """Lower-case header name.  ``underscores``: the name is a Python
    identifier standing for a header (Bottle's ``Access_Control_Allow_Origin=``
    keyword), so ``_`` means ``-``.  Elsewhere an underscored string is a
    constant's name, not a header."""
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    name = name.strip().lower()
    return name.replace("_", "-") if underscores else name


def header_constant(node: cst.BaseExpression, ctx) -> str | None:
    """Header name for a well-known constant (``hdrs.ACCESS_CONTROL_ALLOW_ORIGIN``,
    ``ACL_ORIGIN`` imported from flask_cors), else None."""
    if isinstance(node, cst.Attribute):
        last = node.attr.value
    elif isinstance(node, cst.Name):
        last = node.value
        if not ctx.index.imports.is_imported(last):
            return None
    else:
        return None
    header = _CONSTANTS.get(last)
    if header is None:
        return None
    qualified = ctx.qualify(node)
    if any(any(m in q for m in _CONSTANT_MODULES) for q in qualified):
        return header
    return None
