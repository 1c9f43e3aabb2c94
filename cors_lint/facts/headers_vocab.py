"""Names: CORS headers, well-known header constants, and Origin sources."""

from __future__ import annotations

import re

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

ORIGIN_KEYS = {"origin", "http_origin", "referer", "http_referer", "referrer", "sec-websocket-origin", "http_sec_websocket_origin"}
_REQUESTISH = re.compile(r"header|meta|environ|request|req\b|req\.|scope|event|env\b|rq\b|self\.headers", re.IGNORECASE)


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


def is_origin_key(value) -> bool:
    s = value.str_value() if value is not None else None
    return s is not None and s.strip().lower() in ORIGIN_KEYS


def requestish(node: cst.BaseExpression, ctx) -> bool:
    """Is ``node`` plausibly the request or its headers/environ?"""
    return bool(_REQUESTISH.search(ctx.text(node, limit=200)))


def origin_attribute(node: cst.Attribute) -> str | None:
    """``request.origin`` / ``request.referrer`` style attributes."""
    attr = node.attr.value
    if attr not in ("origin", "referrer", "referer"):
        return None
    recv = node.value
    name = recv.attr.value if isinstance(recv, cst.Attribute) else (recv.value if isinstance(recv, cst.Name) else "")
    if name.lower() in ("request", "req", "rq", "r", "http_request", "incoming"):
        return f"{name}.{attr}"
    return None


def origin_parameter(param: cst.Param, scope, ctx) -> str | None:
    """Parameters that carry the origin: Tornado's ``check_origin(self, origin)``,
    FastAPI's ``origin: str = Header(None)``."""
    name = param.name.value
    if scope.name == "check_origin" and scope.class_name is not None and scope.param_names()[1:2] == [name]:
        return f"{scope.name}({name})"
    if name.lower() in ("origin", "referer", "referrer") and _is_header_param(param, ctx):
        return f"{name}: Header"
    return None


def _is_header_param(param: cst.Param, ctx) -> bool:
    for node in (param.default, param.annotation.annotation if param.annotation else None):
        if node is None:
            continue
        text = ctx.text(node, limit=200)
        if re.search(r"\bHeader\(", text):
            return True
    return False
