"""From a finding's properties to the request that would show it.

Nothing here parses messages: the proof origin, the credential claim, the
route and the kind of request come from ``Finding.properties`` (see
``rules/proof.py``), so a report saved as JSON plans the same requests.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..findings import Finding

# Only what a browser would send for the attack, plus a harmless cookie for
# credentialed claims: a credentialed cross-site request carries the user's
# cookies, and some libraries reflect the origin only then (Starlette before
# 1.0 and Litestar with any-origin + credentials).
PROBE_COOKIE = "cors_lint_probe=1"
# framework placeholders in route templates: {id} {id:int} <int:id> <id> :id
_PLACEHOLDER = re.compile(r"\{[^}/]*\}|<[^>/]*>|(?<=/):[A-Za-z_]\w*")
_ORIGIN = re.compile(r"^(null|[a-z][a-z0-9+.-]*://[^/?#\s]+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    """One request the probe may send: method, path (with query) and headers."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    kind: str  # cors | preflight | websocket

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Plan:
    """A finding and the request that shows it (``request`` None: ``skipped``
    says why)."""

    finding: Finding
    request: Request | None = None
    skipped: str = ""
    route_source: str = ""  # route | policy path | --path | base URL


def base_path(base_url: str) -> str:
    return urlsplit(base_url).path.rstrip("/")


def fill_placeholders(path: str) -> str:
    """``/items/{id}`` -> ``/items/1``: any value reaches the handler's CORS
    code, which is all the probe needs."""
    return _PLACEHOLDER.sub("1", path)


def plan_for(finding: Finding, base_url: str, fallback_path: str | None = None, app: str | None = None) -> Plan:
    props = finding.properties or {}
    origin = props.get("proof_origin")
    if not isinstance(origin, str) or not origin:
        return Plan(finding, skipped="no proof origin")
    if app and props.get("app") and props["app"] != app:
        return Plan(finding, skipped=f"configures {props['app']!r}, not the probed application {app!r} (--app)")
    if not _ORIGIN.match(origin):
        return Plan(finding, skipped=f"proof origin {origin!r} is not a serialized origin")
    route = props.get("route") if isinstance(props.get("route"), dict) else None
    if route and isinstance(route.get("path"), str) and route["path"].startswith("/"):
        # a route without a handler is a path the policy covers (flask-cors resources)
        path, source = fill_placeholders(route["path"]), "route" if route.get("handler") else "policy path"
    elif fallback_path:
        path, source = fallback_path, "--path"
    else:
        path, source = "/", "base URL"
    prefix = base_path(base_url)
    target = (prefix + path) if path.startswith("/") else f"{prefix}/{path}"
    if not target.startswith("/"):
        target = "/" + target
    headers: list[tuple[str, str]] = [("Origin", origin)]
    if props.get("origin_header") == "referer":
        headers.append(("Referer", origin.rstrip("/") + "/"))
    if props.get("websocket"):
        key = base64.b64encode(os.urandom(16)).decode()
        headers += [
            ("Connection", "Upgrade"),
            ("Upgrade", "websocket"),
            ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Key", key),
            ("Cookie", PROBE_COOKIE),  # handshakes carry the user's cookies
        ]
        return Plan(finding, Request("GET", target, tuple(headers), "websocket"), route_source=source)
    if props.get("preflight_only"):
        methods = [m for m in (route or {}).get("methods") or () if isinstance(m, str)]
        method = "GET" if not methods or "GET" in methods else methods[0]
        headers.append(("Access-Control-Request-Method", method))
        if props.get("private_network"):
            headers.append(("Access-Control-Request-Private-Network", "true"))
        return Plan(finding, Request("OPTIONS", target, tuple(headers), "preflight"), route_source=source)
    if props.get("credentialed"):
        headers.append(("Cookie", PROBE_COOKIE))
    return Plan(finding, Request("GET", target, tuple(headers), "cors"), route_source=source)
