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
"""

from __future__ import annotations

import re

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, UnknownOption
from ..policy_kit import (
    accepts_every_origin,
    read_options,
    calls_to,
    confidence_for,
    const_value,
    default_setting,
    elements,
    entry,
    imports_any,
    setting,
    truth,
)

LIBRARY = "Litestar"
STAR = "allow_origins contains '*'"
CONFIG = ("litestar.config.cors.CORSConfig", "litestar.config.CORSConfig")


def glob_regex(glob: str) -> str:
    """Litestar's translation of one ``allow_origins`` entry."""
    return ".*".join(re.escape(part) for part in glob.split("*"))


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not imports_any(ctx, "litestar"):
        return
    for site in calls_to(ctx, *CONFIG):
        _config(ctx, facts, site)


def _config(ctx: ModuleContext, facts: FileFacts, site: Site) -> None:
    call_span = ctx.span(site.node)
    options = read_options(ctx, site.node, site)
    origins = options.get("allow_origins")
    origins_setting = (
        setting(ctx, "allow_origins", options.node("allow_origins"), origins)
        if origins is not None
        else default_setting("allow_origins", const_value(["*"]), call_span)
    )
    origins_value = origins if origins is not None else origins_setting.value
    creds = options.get("allow_credentials")
    creds_setting = (
        setting(ctx, "allow_credentials", options.node("allow_credentials"), creds)
        if creds is not None
        else default_setting("allow_credentials", const_value(False), call_span)
    )
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
    any_reason = ""
    entries = []
    unknown = False

    if origins_value.kind == "const" and isinstance(origins_value.const, str):
        text = origins_value.const
        if "*" in text:
            any_reason = "a string is iterated per character, and one of them is '*'"
        else:
            facts.unknown_options.append(
                UnknownOption(
                    LIBRARY,
                    "a string allow_origins",
                    origins_setting.span,
                    "allow_origins",
                    "a string is iterated per character, so no origin can match; pass a list",
                )
            )
    else:
        for e in elements(origins_value, origins_setting.span):
            if not e.known or e.is_regex:
                unknown = True
            elif e.text == "*":
                any_reason = STAR
            elif "*" in e.text:
                if accepts_every_origin(glob_regex(e.text), "fullmatch"):
                    any_reason = f"the glob {e.text!r} matches every origin"
                entries.append(entry(e, "glob-crossing-dots"))
            else:
                entries.append(entry(e, "exact"))

    regex_setting = None
    if regex is not None and not (regex.kind == "const" and regex.const is None):
        regex_setting = setting(ctx, "allow_origin_regex", options.node("allow_origin_regex"), regex)
        pattern = regex.str_value()
        if pattern is None:
            unknown = True
        elif accepts_every_origin(pattern, "fullmatch", regex.flags):
            any_reason = any_reason or "the regex matches every origin"
            common["origins_setting"] = regex_setting
        else:
            for e in elements(regex, regex_setting.span):
                entries.append(entry(e, "fullmatch-regex"))

    if any_reason:
        if credentials:
            echoed = "cookie-bearing requests get their Origin echoed back"
            any_reason = echoed if any_reason == STAR else f"{any_reason}; {echoed}"
        facts.policies.append(CorsPolicy(any_origin=True, any_reason=any_reason, reflects=bool(credentials), **common))
        return
    facts.policies.append(CorsPolicy(entries=tuple(entries), origins_unknown=unknown, **common))
