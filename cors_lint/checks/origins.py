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

# Public suffixes with more than one label that show up in CORS settings:
# country second levels, and the shared-hosting, preview and tunnel domains
# where anyone can get a subdomain for free (PaaS apps, static sites,
# serverless functions, notebook/demo hosts, dev tunnels).  A small,
# hand-kept excerpt of the Public Suffix List's private section: a check
# that trusts ``*.vercel.app`` trusts every Vercel customer.  Entries must
# be domains whose subdomains belong to unrelated customers; add one only
# when that is documented by the provider.
COUNTRY_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "com.au", "net.au", "org.au", "co.jp", "ne.jp",
        "co.nz", "com.br", "com.cn", "co.in", "co.za", "com.mx", "com.tr", "co.kr", "com.sg",
    }
)
SHARED_HOSTING_SUFFIXES = frozenset(
    {
        # static sites and git hosting
        "github.io", "gitlab.io", "bitbucket.io", "pages.dev", "netlify.app", "vercel.app", "now.sh",
        "surge.sh", "web.app", "firebaseapp.com", "azurestaticapps.net", "amplifyapp.com", "readthedocs.io",
        # application platforms
        "herokuapp.com", "onrender.com", "fly.dev", "railway.app", "up.railway.app", "koyeb.app",
        "appspot.com", "azurewebsites.net", "pythonanywhere.com", "glitch.me", "deno.dev",
        "workers.dev", "cloudfront.net", "s3.amazonaws.com", "blogspot.com",
        # notebooks, demos, online IDEs
        "repl.co", "replit.app", "replit.dev", "hf.space", "streamlit.app", "gradio.live", "csb.app",
        "app.github.dev",
        # tunnels to a developer's machine
        "ngrok.io", "ngrok.app", "ngrok.dev", "ngrok-free.app", "ngrok-free.dev", "trycloudflare.com",
        "loca.lt", "devtunnels.ms",
    }
)
MULTI_LABEL_SUFFIXES = COUNTRY_SUFFIXES | SHARED_HOSTING_SUFFIXES
# Suffixes one more label deep than listed: every ``<label>.<parent>`` is a
# public suffix too (Dev Tunnels put a region label before the customer's
# name: ``abc-8000.use.devtunnels.ms``).
WILDCARD_PARENTS = frozenset({"devtunnels.ms"})
# Top-level domains every reader recognises: a truncated host such as
# ``careops-01.net`` (inside ``careops-01.netlify.app``) makes a clearer
# proof than ``careops-01.netlify.ap``, though both are registrable.
COMMON_TLDS = frozenset({"com", "net", "org", "io", "co", "app", "dev", "ai", "me", "info", "biz", "us", "uk", "de", "fr", "es", "it", "nl", "eu", "in", "cn", "jp", "ru", "br", "au", "ca"})
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
        if len(labels) >= size and is_public_suffix(".".join(labels[-size:])):
            return ".".join(labels[-(size + 1):]) if len(labels) > size else host
    return ".".join(labels[-2:])


def is_public_suffix(name: str) -> bool:
    if name in MULTI_LABEL_SUFFIXES or ("." not in name and name.isalpha()):
        return True
    _, _, parent = name.partition(".")
    return parent in WILDCARD_PARENTS


def has_common_tld(origin: str) -> bool:
    parsed = parse_origin(origin)
    return parsed is not None and parsed.host.rsplit(".", 1)[-1] in COMMON_TLDS


def public_suffix(host: str) -> str:
    """The public suffix ``host`` sits under (``a.b.vercel.app`` ->
    ``vercel.app``; ``a.example.com`` -> ``com``)."""
    labels = host.strip(".").lower().split(".")
    for size in (3, 2):
        if len(labels) > size and is_public_suffix(".".join(labels[-size:])):
            return ".".join(labels[-size:])
    return labels[-1]


def is_shared_hosting(suffix: str) -> bool:
    """A suffix where a provider hands out subdomains to its customers."""
    if suffix in SHARED_HOSTING_SUFFIXES:
        return True
    _, _, parent = suffix.partition(".")
    return parent in WILDCARD_PARENTS


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
    if origin is not None and origin.scheme.endswith("-extension"):
        # anyone can publish an extension: any id the check does not name
        return origin.host not in intended_hosts
    if origin is None or origin.scheme not in ("http", "https"):
        return False
    return attacker_registrable(origin.host) and is_foreign(origin.host, intended_hosts)
