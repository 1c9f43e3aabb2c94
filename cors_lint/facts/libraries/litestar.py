"""Litestar ``CORSConfig`` (passed as ``Litestar(cors_config=...)``).

``CORSConfig(allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
allow_credentials=False, allow_origin_regex=None, expose_headers=[],
max_age=600)`` (litestar 2.x ``litestar/config/cors.py``): the defaults
allow everything, so a bare ``CORSConfig()`` is a public wildcard.

* ``"*"`` in ``allow_origins`` accepts every origin: ``*`` is sent, and with
  ``allow_credentials=True`` cookie-bearing requests get their Origin echoed
  back with ACAC (no error is raised).
* Other entries are escaped, each ``*`` becomes ``.*`` (crossing dots), and
  all of them plus ``allow_origin_regex`` are joined with ``|`` and tested
  with ``fullmatch``.  Entries with a ``*`` are ``glob`` entries, the rest
  ``exact``, the regex ``regex-fullmatch``.  (Before 2.20 entries were raw
  regexes; that version difference is not modelled.)
* A *string* ``allow_origins`` is iterated per character: ``"*" in s`` allows
  everything, otherwise nothing can match (reported as an ignored argument).
* ``Vary: Origin`` is set whenever the origin is echoed.
* ``CORSConfig`` is a dataclass: a keyword it does not know
  (``allow_origin=``, ``allow_credential=``) raises ``TypeError`` when the
  module is imported, so the app never starts (COR305, with the option it
  was probably meant to be).
"""

from __future__ import annotations


from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, OriginEntry, Setting, UnknownOption, Value
from ..policy_kit import (
    lets_every_origin_in,
    read_options,
    calls_to,
    confidence_for,
    option_setting,
    elements,
    entry,
    imports_any,
    setting,
    truth,
    unknown_option,
)

LIBRARY = "Litestar"
STAR = "allow_origins contains '*'"
CONFIG = ("litestar.config.cors.CORSConfig", "litestar.config.CORSConfig")
# the dataclass fields of CORSConfig (litestar 2.x)
OPTIONS = ("allow_origins", "allow_methods", "allow_headers", "allow_credentials", "allow_origin_regex", "expose_headers", "max_age")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "litestar"):
        return
    for site in calls_to(ctx, *CONFIG):
        _config(ctx, facts, site)


def _config(ctx: ModuleContext, facts: FileFacts, site: Site) -> None:
    call_span = ctx.span(site.node)
    options = read_options(ctx, site.node, site)
    for name, (node, _, _) in options.values.items():
        if name not in OPTIONS:
            facts.unknown_options.append(
                unknown_option(ctx, LIBRARY, name, node, OPTIONS, reason="CORSConfig is a dataclass and raises TypeError for it, so the app does not start")
            )
    origins_setting, origins = option_setting(ctx, options, "allow_origins", ["*"], call_span)
    origins_value = origins if origins is not None else origins_setting.value
    creds_setting, creds = option_setting(ctx, options, "allow_credentials", False, call_span)
    credentials = truth(creds) if creds is not None else False
    regex = options.get("allow_origin_regex")
    common = dict(
        library=LIBRARY,
        span=call_span,
        origins_setting=origins_setting,
        credentials=credentials,
        credentials_setting=creds_setting,
        private_network=False,
        vary=True,
        confidence=confidence_for(origins, creds, regex, partial=origins_value.kind == "either"),
    )
    found = _Found()
    if origins_value.kind == "const" and isinstance(origins_value.const, str):
        _string_origins(facts, origins_value.const, origins_setting, found)
    else:
        _origin_list(origins_value, origins_setting, found, options.where("allow_origins", ctx, site))
    if regex is not None and not (regex.kind == "const" and regex.const is None):
        regex_setting = setting(ctx, "allow_origin_regex", options.node("allow_origin_regex"), regex)
        if _origin_regex(regex, regex_setting, found):
            common["origins_setting"] = regex_setting

    any_reason = found.reason
    if any_reason:
        if credentials:
            echoed = "cookie-bearing requests get their Origin echoed back"
            any_reason = echoed if any_reason == STAR else f"{any_reason}; {echoed}"
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=any_reason, reflects=bool(credentials), **common))
        return
    facts.policies.append(CorsPolicy(entries=tuple(found.entries), origins_unknown=found.unknown, **common))


class _Found:
    """Entries, the reason every origin is let in (the first one found) and
    whether something could not be read."""

    def __init__(self) -> None:
        self.entries: list[OriginEntry] = []
        self.reason = ""
        self.unknown = False


def _string_origins(facts: FileFacts, text: str, origins_setting: Setting, found: _Found) -> None:
    """``allow_origins="..."``: Litestar iterates the string per character."""
    if "*" in text:
        found.reason = "a string is iterated per character, and one of them is '*'"
        return
    facts.unknown_options.append(
        UnknownOption(
            LIBRARY,
            "a string allow_origins",
            origins_setting.span,
            "allow_origins",
            "a string is iterated per character, so no origin can match; pass a list",
        )
    )


def _origin_list(origins_value: Value, origins_setting: Setting, found: _Found, where: dict) -> None:
    """``allow_origins=[...]``: ``'*'`` lets every origin in, other entries
    with ``*`` are globs whose ``*`` crosses dots, the rest exact."""
    for e in elements(origins_value, origins_setting.span, **where):
        if not e.known or e.is_regex:
            found.unknown = True
        elif e.text == "*":
            found.reason = STAR
        elif "*" in e.text:
            if lets_every_origin_in(e.text, "glob-crossing-dots"):
                found.reason = f"the glob {e.text!r} matches every origin"
            found.entries.append(entry(e, "glob-crossing-dots"))
        else:
            found.entries.append(entry(e, "exact"))


def _origin_regex(regex: Value, regex_setting: Setting, found: _Found) -> bool:
    """``allow_origin_regex`` (``re.fullmatch``).  True when it lets every
    origin in (then findings point at it)."""
    pattern = regex.str_value()
    if pattern is None:
        found.unknown = True
        return False
    if lets_every_origin_in(pattern, "fullmatch-regex", regex.flags):
        found.reason = found.reason or "the regex matches every origin"
        return True
    for e in elements(regex, regex_setting.span):
        found.entries.append(entry(e, "fullmatch-regex"))
    return False
