"""'Confirm it yourself': the curl request that shows a finding on a running
server, built from the finding's ``properties`` (``rules/proof.py``) and
nothing else, like ``cors-lint probe``.

The request sends the proof origin; a credentialed claim also sends a
cookie (Starlette before 1.0 and Litestar reflect an any-origin credentialed
policy only for requests carrying one, and a real attack carries the
victim's cookies anyway); a preflight-only claim is an ``OPTIONS`` request
with ``Access-Control-Request-Method``.  WebSocket claims and reflections of
the Referer get no line.  The route comes from the facts' route decorators;
without one the line ends in "<the view's URL>".
"""

from __future__ import annotations

from dataclasses import dataclass

BASE_URL = "http://localhost:8000"


@dataclass(frozen=True)
class Confirmation:
    curl: str
    expect: str


def confirmation(properties: dict) -> Confirmation | None:
    origin = properties.get("proof_origin")
    if not origin or properties.get("websocket") or properties.get("origin_header", "origin") != "origin":
        return None
    parts = ["curl -i"]
    if properties.get("preflight_only") or properties.get("private_network"):
        parts.append('-X OPTIONS -H "Access-Control-Request-Method: PUT"')
    if properties.get("private_network"):
        parts.append('-H "Access-Control-Request-Private-Network: true"')
    parts.append(f'-H "Origin: {origin}"')
    credentialed = bool(properties.get("credentialed"))
    if credentialed:
        parts.append('-H "Cookie: session=1"')
    route = (properties.get("route") or {}).get("path")
    parts.append(f'"{BASE_URL}{route}"' if route else "<the view's URL>")
    expect = f"Access-Control-Allow-Origin: {origin}"
    if credentialed:
        expect += " and Access-Control-Allow-Credentials: true"
    if properties.get("private_network"):
        expect += " and Access-Control-Allow-Private-Network: true"
    return Confirmation(" ".join(parts), expect)
