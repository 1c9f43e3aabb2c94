"""The origin a malformed origin literal was meant to be (pure string work).

Only the repairs that cannot change which browser origin is meant: a
trailing slash, a path, and the scheme's default port (``:443`` for https,
``:80`` for http).  Anything else (a missing scheme, wildcards, several
origins, user info, a query) needs a human.
"""

from __future__ import annotations

import re

DEFAULT_PORTS = {"http": "80", "https": "443"}
_ORIGIN = re.compile(
    r"(?P<scheme>https?)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)"
    r"(?::(?P<port>[0-9]{1,5}))?(?P<path>/[A-Za-z0-9._~/%-]*)?"
)


def canonical_origin(literal: str) -> str | None:
    """``scheme://host[:port]`` for a literal that is one with a slash, a path
    or a default port added; None when the literal is anything else."""
    match = _ORIGIN.fullmatch(literal)
    if match is None:
        return None
    scheme, host, port = match.group("scheme"), match.group("host"), match.group("port")
    if scheme != scheme.lower():
        return None
    if port is not None and port != DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"
