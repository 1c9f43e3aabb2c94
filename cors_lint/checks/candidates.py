"""Intended origins, and the attacker origins built from them.

A check's *intended* origins are read off its patterns: literal strings are
split into scheme/host/port, regexes are sampled (the parse tree is walked to
produce a few strings the pattern matches, e.g. ``^https://[a-z0-9-]+\\.
example\\.com$`` -> ``https://a.example.com``), globs have their wildcards
filled in.  Attacker candidates are then the classic bypasses of each
intended host ``h`` in registrable domain ``D``:

* a wholly foreign origin (``https://attacker.example``), first, because a
  check that admits it admits everyone;
* suffix: ``h.attacker.example`` and ``www.h.attacker.example`` (beats
  ``startswith``, ``re.match`` without ``$``, substring tests);
* prefix: ``attackerD``, ``attacker-D``, ``attackerh`` (beats ``endswith``
  without a leading dot, ``.*`` running into the domain);
* unescaped dot: each ``.`` of ``h`` replaced by ``-`` or ``x``
  (``app-example.com``);
* sibling: ``attacker.h`` (foreign only when ``h`` is a public suffix such as
  ``github.io`` or ``com``), and first of all ``attacker.S`` for the public
  suffix ``S`` of ``h`` (a pattern ``[a-z0-9-]+\\.vercel\\.app`` samples to
  ``a.vercel.app`` but trusts every Vercel customer);
* ``null`` (last: it is COR103's business, but it still gets through).

Every candidate is checked by running the real check before it is used.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass

from . import regex_safety as rs
from .origins import ATTACKER, ATTACKER_LABEL, LOOPBACK, is_hostname, public_suffix, registrable_domain

C = rs.C
MAX_SAMPLES = 8
MAX_CANDIDATES = 80
_PREFERRED = "a0-.b1" + string.ascii_lowercase + string.digits + "_:/" + string.ascii_uppercase


@dataclass(frozen=True)
class Intended:
    """What a pattern appears to mean: a scheme (may be ""), a host, a port."""

    scheme: str
    host: str
    port: str = ""

    def origins(self) -> list[str]:
        netloc = f"{self.host}:{self.port}" if self.port else self.host
        if self.scheme in EXTENSION_IDS:
            return [f"{self.scheme}://{self.host}"]
        schemes = [self.scheme] if self.scheme in ("http", "https") else ["https", "http"]
        return [f"{s}://{netloc}" for s in schemes]


# -- reading intended hosts ---------------------------------------------------


def intended_from_text(text: str) -> Intended | None:
    """Split a literal (or a regex sample) into scheme/host/port:
    ``https://app.example.com:8443/x`` -> (https, app.example.com, 8443);
    ``.example.com`` -> ("", example.com)."""
    text = text.strip()
    scheme = ""
    if "://" in text:
        scheme, _, text = text.partition("://")
        scheme = scheme.lower().strip("^")
        if not scheme.isalpha():
            scheme = scheme.rsplit("/", 1)[-1] if scheme else ""
    for stop in "/?#":
        text = text.split(stop, 1)[0]
    host, _, port = text.partition(":")
    host = host.strip(".-").lower()  # "-partner.com" (an endswith suffix) means hosts in partner.com
    port = port if port.isdigit() else ""
    if not host or not (is_hostname(host) or LOOPBACK.match(host)):
        return None
    return Intended(scheme, host, port)


def intended_from_glob(pattern: str) -> Intended | None:
    filled = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            pass  # "*" may match nothing: "https://*example.com" -> "https://example.com"
        elif ch == "?":
            filled.append("a")
        elif ch == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                filled.append(ch)
            else:
                body = pattern[i + 1:end].lstrip("!^")
                filled.append(body[:1] or "a")
                i = end
        else:
            filled.append(ch)
        i += 1
    return intended_from_text("".join(filled))


# -- sampling regexes ------------------------------------------------------------


def regex_samples(pattern: str, flags: int = 0) -> list[str]:
    """A few strings ``pattern`` should match (not verified here)."""
    try:
        tree = rs.parse(pattern, flags)
    except Exception:
        return []
    out = _seq(list(tree), flags, False)
    return out[:MAX_SAMPLES]


def _combine(parts: list[list[str]]) -> list[str]:
    out: list[str] = []
    for combo in itertools.product(*parts):
        out.append("".join(combo))
        if len(out) >= MAX_SAMPLES:
            break
    return out or [""]


def _seq(seq, flags: int, repeated: bool) -> list[str]:
    parts = [_node(op, av, flags, repeated) for op, av in seq]
    return _combine([p for p in parts if p])


def _pick(av, flags: int) -> str:
    for ch in _PREFERRED:
        if rs._in_set(av, ch, flags):
            return ch
    return "a"


def _node(op, av, flags: int, repeated: bool) -> list[str]:
    if op is C.LITERAL:
        return [chr(av)]
    if op is C.NOT_LITERAL:
        return ["b" if chr(av) == "a" else "a"]
    if op is C.ANY:
        # a lone "." in a host is most likely a dot the author forgot to escape
        return ["a" if repeated else "."]
    if op is C.IN:
        return [_pick(av, flags)]
    if op in rs._REPEATS:
        lo, hi, body = av
        body_samples = _seq(list(body), flags, True)
        # the sample must match: a required count ({32}) is kept as it is
        least = lo if lo <= 64 else 3
        counts = sorted({least, max(least, min(max(lo, 1), hi, 3))})
        if hi == 1:
            counts.reverse()  # "s?" in "https?" most likely means "https"
        out: list[str] = []
        for n in counts:
            if n == 0:
                out.append("")
            elif n == 1:
                out.extend(body_samples)
            else:
                out.append(body_samples[0] * n)
        return out[:MAX_SAMPLES]
    if op is C.SUBPATTERN or op == rs._ATOMIC:
        return _seq(list(av[-1]), flags, repeated)
    if op is C.BRANCH:
        out = []
        for alt in av[1]:
            out.extend(_seq(list(alt), flags, repeated))
        return out[:MAX_SAMPLES]
    if op is C.GROUPREF_EXISTS:
        out = []
        for part in av[1:]:
            if part is not None:
                out.extend(_seq(list(part), flags, repeated))
        return out[:MAX_SAMPLES] or [""]
    return [""]  # anchors, lookarounds, backreferences


# -- attacker candidates -------------------------------------------------------


#: Candidate families, named in messages.
FOREIGN, SUFFIX, PREFIX, DOT, SIBLING, TRUNCATED, NULL = "foreign", "suffix", "prefix", "dot", "sibling", "truncated", "null"
EXTENSION = "extension"
EMBEDDED = "embedded"  # a URL on the attacker's origin carrying an intended address

# A browser extension's origin is its id, and anyone can publish an extension
# (Chrome: 32 letters a-p; Firefox: a random UUID per installation).  A check
# that admits an id it does not name admits the attacker's extension.
EXTENSION_IDS = {
    "chrome-extension": "abcdefghijklmnopabcdefghijklmnop",
    "moz-extension": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "safari-web-extension": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
}


def attack_hosts(host: str) -> list[tuple[str, str]]:
    """Hosts an attacker could own that a weak check on ``host`` may let
    in, each with its family."""
    domain = registrable_domain(host)
    out = []
    suffix = public_suffix(host)
    if domain != suffix and host != suffix:
        # a name of our own next to the intended one, directly under its
        # public suffix: a check that admits it trusts every customer of a
        # hosting provider (or every .com), whatever else it gets wrong
        out.append((f"{ATTACKER_LABEL}.{suffix}", SIBLING))
    out += [
        (f"{host}.{ATTACKER}", SUFFIX),
        (f"www.{host}.{ATTACKER}", SUFFIX),  # for tests that want a dot before the host
        (f"{ATTACKER_LABEL}{domain}", PREFIX),
        (f"{ATTACKER_LABEL}-{domain}", PREFIX),
        (f"{ATTACKER_LABEL}{host}", PREFIX),
    ]
    dots = [i for i, ch in enumerate(host) if ch == "."]
    for i in dots:
        for filler in ("-", "x"):
            out.append((host[:i] + filler + host[i + 1:], DOT))
    out.append((f"{ATTACKER_LABEL}.{host}", SIBLING))
    if domain != host:
        out.append((f"{domain}.{ATTACKER}", SUFFIX))
    return out


def attack_origins(intended: list[Intended]) -> list[tuple[str, str]]:
    """Ordered, de-duplicated candidate attacker origins (unverified), each
    with its family."""
    out: list[tuple[str, str]] = [(f"https://{ATTACKER}", FOREIGN), (f"http://{ATTACKER}", FOREIGN)]
    for item in intended:
        if item.scheme in EXTENSION_IDS:
            out.append((f"{item.scheme}://{EXTENSION_IDS[item.scheme]}", EXTENSION))
            continue
        schemes = [item.scheme] if item.scheme in ("http", "https") else ["https"]
        for host, family in attack_hosts(item.host):
            for scheme in schemes:
                if item.port:
                    out.append((f"{scheme}://{host}:{item.port}", family))
                out.append((f"{scheme}://{host}", family))
            if "http" not in schemes:
                out.append((f"http://{host}", family))
    # a test on the scheme alone (startswith("chrome-extension://")) names
    # no extension, so no intended origin brings these in: try them anyway
    out.extend((f"{scheme}://{ext_id}", EXTENSION) for scheme, ext_id in EXTENSION_IDS.items())
    out.append(("null", NULL))
    seen: set[str] = set()
    unique = []
    for origin, family in out:
        if origin not in seen and len(origin) <= rs.MAX_SUBJECT:
            seen.add(origin)
            unique.append((origin, family))
    return unique[:MAX_CANDIDATES]


def insecure_variants(intended: list[Intended]) -> list[tuple[str, str]]:
    """(https origin, http twin) pairs for intended non-loopback hosts."""
    out = []
    for item in intended:
        if LOOPBACK.match(item.host) or "." not in item.host:
            continue
        netloc = f"{item.host}:{item.port}" if item.port else item.host
        out.append((f"https://{netloc}", f"http://{netloc}"))
    return out



#: Request values that hold a full URL rather than an origin (the sources
#: ``facts`` name, ``OriginFlow.header``): a check on them is run on URLs.
URL_SOURCES = frozenset({"referer"})


def as_urls(candidates: list[tuple[str, str]], intended: list[Intended], embeds: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Attacker candidates for a value that is a full URL (the Referer).

    A browser sends the address of the page a request came from, and the
    attacker's page can ask for the full address to be sent (its own
    ``Referrer-Policy: unsafe-url``), so the attacker controls everything
    after its own origin.  First each candidate origin with a path (a page
    on that origin), then pages on the attacker's origin that carry an
    intended origin or host in the query or the path, or one of ``embeds``
    (the check's own strings, samples of its regexes): these pass substring
    and search tests whatever the intended address looks like.  ``null`` is
    never a Referer and is dropped."""
    out: list[tuple[str, str]] = []
    for origin, family in candidates:
        if origin != "null" and "://" in origin:
            out.append((f"{origin}/", family))
    for item in intended:
        if item.scheme in EXTENSION_IDS:
            continue
        for origin in item.origins()[:1]:
            out.append((f"https://{ATTACKER}/?next={origin}/", EMBEDDED))
        out.append((f"https://{ATTACKER}/{item.host}/", EMBEDDED))
    for text in embeds[:MAX_SAMPLES]:
        if text and not any(ch.isspace() for ch in text):
            out.append((f"https://{ATTACKER}/?next={text}", EMBEDDED))
    seen: set[str] = set()
    return [(u, f) for u, f in out if not (u in seen or seen.add(u))]


def url_origin(url: str) -> str:
    """``scheme://host[:port]`` of a candidate URL (the part a proof's
    ownership is judged on)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"
