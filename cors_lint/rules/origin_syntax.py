"""Why an origin literal can never equal a browser's serialized Origin.

Browsers send ``scheme://host[:port]``: lower-case host, no path, no
trailing slash, default port omitted (Fetch/HTML origin serialization).
"""

from __future__ import annotations

import re

_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}
_ORIGIN = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>\[[^\]]*\]|[^/:?#]*)(?::(?P<port>[^/?#]*))?(?P<rest>.*)$")


def malformed_reason(origin: str, *, case_sensitive: bool = True, path_ignored: bool = False, star_is_literal: bool = False) -> str | None:
    """A short reason why ``origin`` never matches, or None if it is fine.

    ``case_sensitive``: the comparison is case-sensitive (an upper-case host
    never matches).  ``star_is_literal``: a lone ``*`` is compared as text
    (an exact-match allowlist entry, not the ACAO wildcard).  ``path_ignored``: the library strips paths before
    comparing (django-cors-headers), so a path is harmless.
    """
    value = origin.strip()
    if value == "*" and star_is_literal:
        return "the library compares '*' literally, so it matches no origin"
    if value in ("*", "null", ""):
        return None
    if "," in value or any(c.isspace() for c in value):
        return None  # several origins in one value: COR301's finding
    if value != origin:
        return "it has surrounding whitespace"
    m = _ORIGIN.match(value)
    if m is None:
        return "it has no scheme (browsers send scheme://host)"
    scheme, host, port, rest = m.group("scheme"), m.group("host"), m.group("port"), m.group("rest")
    if "*" in host:
        return "a '*' glob in an exact-match allowlist is compared literally"
    if rest and not path_ignored:
        if rest == "/":
            return "it has a trailing slash"
        return f"it has a path ('{rest}')"
    if port is not None and (reason := _port_reason(port)):
        return reason
    if port is not None and _DEFAULT_PORTS.get(scheme.lower()) == port:
        return f"it names the default port :{port}, which browsers omit"
    if case_sensitive and (host != host.lower() or scheme != scheme.lower()):
        return "it has upper-case letters, and browsers send the host in lower case"
    if not host:
        return "it has no host"
    return None


def _port_reason(port: str) -> str | None:
    """Why a port can never appear in a serialized origin, or None.

    Browsers write the port as a plain decimal number from 1 to 65535
    without leading zeros, so a ``*`` wildcard (``http://10.0.0.5:*``), a
    range, an empty port or ``:08080`` is compared as text and never
    equals one."""
    if "*" in port:
        return f"a '*' port (':{port}') is compared literally, and browsers send one port number"
    if not port:
        return "it has an empty port after ':'"
    if not (port.isascii() and port.isdigit()):
        return f"its port ':{port}' is not a number"
    if port.startswith("0") or int(port) > 65535:
        return f"its port ':{port}' is not one a browser sends (1-65535, no leading zeros)"
    return None
