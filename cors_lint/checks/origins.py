"""What an origin looks like, and who could own one.

A proof origin is only convincing when a browser could really send it and an
attacker could really own it: ``scheme://host[:port]`` with a lower-case
host, under a domain nobody intended to trust.  Ownership is judged by the
registrable domain (the label below the public suffix), approximated with a
short list of multi-label public suffixes; hosts sharing a registrable domain
with an intended host are never offered as proofs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The one attacker-controlled domain every proof is built on.
ATTACKER = "attacker.example"
#: A label an attacker glues onto an intended name ("attackerexample.com").
ATTACKER_LABEL = "attacker"

# Public suffixes with more than one label that show up in CORS settings.
# Anyone may register a name directly below them.
MULTI_LABEL_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "com.au", "net.au", "org.au", "co.jp", "ne.jp",
        "co.nz", "com.br", "com.cn", "co.in", "co.za", "com.mx", "com.tr", "co.kr", "com.sg",
        "github.io", "gitlab.io", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev",
        "workers.dev", "web.app", "firebaseapp.com", "appspot.com", "azurewebsites.net",
        "cloudfront.net", "onrender.com", "fly.dev", "ngrok.io", "ngrok-free.app", "glitch.me",
        "repl.co", "surge.sh", "now.sh", "s3.amazonaws.com", "blogspot.com",
    }
)
# Hosts that name the local machine: never attacker-registrable.
LOOPBACK = re.compile(r"^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$")

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: str = ""  # digits, or "" for the scheme default

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}" if self.port else self.host

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}"


def parse_origin(text: str) -> Origin | None:
    """``scheme://host[:port]`` exactly as a browser serialises it, else None
    (``null`` is not an ``Origin`` here; callers handle it on its own)."""
    scheme, sep, rest = text.partition("://")
    if not sep or not _SCHEME.match(scheme) or not rest:
        return None
    host, _, port = rest.partition(":") if not rest.startswith("[") else (rest, "", "")
    if port and (not port.isdigit() or len(port) > 5 or port.startswith("0")):
        return None
    if not is_hostname(host) and not LOOPBACK.match(host):
        return None
    return Origin(scheme, host, port)


def is_hostname(host: str) -> bool:
    """A lower-case DNS name (or IPv4 address) a browser could put in an
    origin."""
    if not host or len(host) > 253 or host != host.lower():
        return False
    if _IPV4.match(host):
        return True
    labels = host.split(".")
    return all(_LABEL.match(label) for label in labels)


def registrable_domain(host: str) -> str:
    """The part of ``host`` one owner controls: the label below the public
    suffix (``a.b.example.co.uk`` -> ``example.co.uk``).  IP addresses and
    single labels are their own domain."""
    host = host.strip(".").lower()
    if _IPV4.match(host) or "." not in host:
        return host
    labels = host.split(".")
    for size in (3, 2):  # labels in the public suffix
        if len(labels) >= size and ".".join(labels[-size:]) in MULTI_LABEL_SUFFIXES:
            return ".".join(labels[-(size + 1):]) if len(labels) > size else host
    return ".".join(labels[-2:])


def is_public_suffix(name: str) -> bool:
    return name in MULTI_LABEL_SUFFIXES or ("." not in name and name.isalpha())


def attacker_registrable(host: str) -> bool:
    """Could someone register this host (or the domain it sits in) on the
    public internet?  Needs a plausible alphabetic top-level label and no
    loopback or IP address."""
    if LOOPBACK.match(host) or _IPV4.match(host) or not is_hostname(host):
        return False
    labels = host.split(".")
    if len(labels) < 2:
        return False
    tld = labels[-1]
    return tld.isalpha() and len(tld) >= 2


def is_foreign(host: str, intended_hosts: tuple[str, ...]) -> bool:
    """``host`` belongs to nobody the check meant to trust: its registrable
    domain differs from that of every intended host (so neither the intended
    host nor any of its genuine subdomains or siblings count)."""
    domain = registrable_domain(host)
    for intended in intended_hosts:
        intended = intended.strip(".").lower()
        if not intended:
            continue
        if host == intended:
            return False
        if host.endswith("." + intended) and not is_public_suffix(intended):
            return False
        if registrable_domain(intended) == domain:
            return False
    return True


def is_proof_origin(text: str, intended_hosts: tuple[str, ...]) -> bool:
    """A convincing attacker origin: browser-shaped, registrable, foreign."""
    origin = parse_origin(text)
    if origin is None or origin.scheme not in ("http", "https"):
        return False
    return attacker_registrable(origin.host) and is_foreign(origin.host, intended_hosts)
