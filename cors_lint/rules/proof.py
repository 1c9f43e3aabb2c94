"""The structured claim behind a finding, for tools that act on it.

Rules attach these ``properties`` to findings whose claim can be shown with
one request: the attacker origin that passes (already verified against the
code's own check, or chosen because nothing is checked), whether the claim
includes credentials, and the route the finding sits in.  ``cors-lint
probe`` builds its requests from them and nothing else, so a saved JSON
report can be probed later; messages stay for people and are never parsed.

Keys (all optional except ``proof_origin``):

``proof_origin``   the ``Origin`` to send (``null`` for the null origin)
``credentialed``   the claim is "allowed *with* ``Access-Control-Allow-Credentials: true``"
``preflight_only`` only a preflight shows it
``private_network`` the claim is about Private Network Access (preflight with
                   ``Access-Control-Request-Private-Network: true``)
``websocket``      shown by a WebSocket handshake, not by CORS headers
``origin_header``  the request header the code reads instead of ``Origin`` (``referer``)
``app``            the application object a library policy configures (``app``, ``bp``)
``route``          ``{"path", "methods", "handler"}`` of the route containing the
                   finding, else (a policy configured on ``app``) one of that app's
                   routes inside the policy's paths; else, for a policy limited
                   to some paths, a path they cover (``handler`` empty)
"""

from __future__ import annotations

import re

from ..checks import safe_accepts
from ..facts.model import FileFacts, Route
from ..findings import Span

# A name under the reserved .example TLD: no real site is trusted by it
# unless the check under test lets every origin through.
ANY_ORIGIN = "https://attacker.example"
NULL_ORIGIN = "null"


def proof(
    facts: FileFacts,
    span: Span | None,
    origin: str | None,
    *,
    credentialed: bool = False,
    preflight_only: bool = False,
    private_network: bool = False,
    websocket: bool = False,
    origin_header: str = "origin",
    app: str = "",
    paths: tuple[str, ...] = (),
) -> dict:
    """Properties for a finding at ``span`` shown by sending ``origin``
    (empty when there is no origin to send)."""
    if not origin:
        return {}
    props: dict = {"proof_origin": origin, "credentialed": bool(credentialed)}
    if preflight_only:
        props["preflight_only"] = True
    if private_network:
        props["private_network"] = True
    if websocket:
        props["websocket"] = True
    if origin_header != "origin":
        props["origin_header"] = origin_header
    if app:
        props["app"] = app
    route = route_at(facts, span) if span is not None else None
    if route is None and (app or paths):
        route = route_of_app(facts, app, paths)
    if route is not None:
        props["route"] = {"path": route.path, "methods": list(route.methods), "handler": route.handler}
    elif paths:
        sample = sample_path(paths[0])
        if sample is not None:  # no route known, but a path the policy covers
            props["route"] = {"path": sample, "methods": [], "handler": ""}
    return props


def route_of_app(facts: FileFacts, app: str, paths: tuple[str, ...] = ()) -> Route | None:
    """A route declared on ``app`` (any app when unnamed) for a policy
    configured on it, inside the policy's ``paths`` if it has any: one that
    answers GET and needs no path parameter if there is one."""
    mine = [r for r in facts.routes if (r.app == app or not app) and not r.websocket and _covered(r.path, paths)]
    if not mine:
        return None
    return min(mine, key=lambda r: ("{" in r.path or "<" in r.path or ":" in r.path, bool(r.methods) and "GET" not in r.methods))


def _covered(path: str, patterns: tuple[str, ...]) -> bool:
    """Does a path pattern cover this route?  flask-cors matches resource
    patterns with ``re.match`` (a prefix match), ``*`` meaning ``.*``."""
    if not patterns:
        return True
    for pattern in patterns:
        regex = ".*" if pattern == "*" else pattern
        if safe_accepts(regex, path, "match") or path.startswith(pattern.split("*")[0]):
            return True
    return False


def sample_path(pattern: str) -> str | None:
    """A path a resource pattern covers: its literal beginning
    (``/api/*`` -> ``/api/``, ``r"/v1/.*"`` -> ``/v1/``)."""
    literal = re.split(r"[\\^$.*+?()\[\]{}|]", pattern.lstrip("^"), maxsplit=1)[0]
    return literal if literal.startswith("/") else None


def route_at(facts: FileFacts, span: Span) -> Route | None:
    """The innermost route whose handler contains ``span``."""
    if not facts.routes:
        return None
    line, col = span.line, span.col
    inside = [r for r in facts.routes if r.contains(line, col)]
    if not inside:
        return None
    # innermost first; among routes of one handler, one that answers GET
    def key(r: Route):
        start = r.decorated_from or r.span
        return (start.line, start.col, not r.methods or "GET" in r.methods)

    return max(inside, key=key)
