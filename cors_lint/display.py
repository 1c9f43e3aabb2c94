"""How findings word things: the vocabulary rules (and reporters) share.

Rules judge facts; this module only says how a fact reads in a message, so
that every rule names a library, quotes a value and describes a setting the
same way.  It knows no framework beyond the display names of the
``CorsPolicy.library`` values, and it takes no decisions.
"""

from __future__ import annotations

from .facts.model import CorsPolicy, Setting, Value
from .facts.sources import is_request_value  # noqa: F401  (rules word request values through display)

#: How messages name a library (``CorsPolicy.library`` -> display name);
#: libraries whose identifier already reads well are shown as they are.
LIBRARY_NAMES = {
    "starlette": "Starlette",
    "fastapi": "FastAPI",
    "responder": "Responder",
    "connexion": "Connexion",
    "flask-cors": "flask-cors",
    "django-cors-headers": "django-cors-headers",
}


def library_name(library: str) -> str:
    """Display name of a ``CorsPolicy.library`` value (unknown ones as is)."""
    return LIBRARY_NAMES.get(library, library)


def quoted(text: str) -> str:
    """A value as it reads in source: ``'^https://\\w+'`` shows one
    backslash, not ``repr``'s two.  Falls back to ``repr`` when quoting
    plainly would mislead (quotes or unprintable characters inside).
    Long values are shortened: a message is one readable line, not a copy
    of a 4 MB literal."""
    if len(text) > 120:
        return quoted(text[:100]) + f" (+{len(text) - 100} more characters)"
    if "'" not in text and text.isprintable():
        return f"'{text}'"
    return repr(text)


def describe_setting(s: Setting | None, default: str = "") -> str:
    """``name=value`` for messages (``allow_origins=['*']``); a setting left
    at the library default reads ``name left at its default value``.
    ``default`` is the text used when there is no setting at all."""
    if s is None:
        return default
    rendered = render_value(s.value) if s.value.kind != "unknown" else ""
    shown = s.value.text or rendered
    limit = 120 if " when " in rendered else 60
    if rendered and "?" not in rendered and len(rendered) <= limit and _squeeze(rendered) not in _squeeze(shown):
        shown = f"{shown} ({rendered})"
    if not s.explicit:
        return f"{s.name} left at its default {shown}" if shown else f"{s.name} left at its default"
    return f"{s.name}={shown}" if shown else s.name


def any_origin_message(policy: CorsPolicy) -> str:
    """``allow_origins=['*']`` (plus why it means every origin, when that is
    not obvious): how a policy that accepts every origin is described."""
    where = describe_setting(policy.origins_setting, "the default origins")
    reason = policy.any_reason
    if reason and reason != "allow_origins contains '*'" and reason not in where:
        return f"{where} ({reason})"
    return where


def render_value(value: Value) -> str:
    """A resolved value as Python source (``['*']``, ``re.compile('.*')``);
    ``?`` stands for an unknown part."""
    if value.kind == "const":
        return repr(value.const)
    if value.kind == "seq":
        return "[" + ", ".join(render_value(i) for i in value.items) + "]"
    if value.kind == "regex":
        return f"re.compile({value.const!r})"
    if value.kind == "either":
        return " or ".join(_render_branches(value.items))
    return "?"


def _squeeze(text: str) -> str:
    return text.replace("'", '"').replace(" ", "")


def _render_branches(items: tuple[Value, ...]) -> list[str]:
    """Known branches, each with the condition it is chosen under when the
    code says (``['*'] when settings.CORS_ALLOW_ALL_ORIGINS``).  An unknown
    branch chosen under a condition is left out (the known branch's
    condition already tells when it applies); any other unknown branch
    stays ``?``, which keeps the value from being shown at all."""
    out = []
    for item in items:
        if item.kind == "unknown":
            if not item.conditions:
                out.append("?")
            continue
        shown = render_value(item)
        if item.conditions:
            shown += " when " + " and ".join(_condition(test, holds) for test, holds in sorted(item.conditions))
        out.append(shown)
    return out


def _condition(test: str, holds: bool) -> str:
    test = test if len(test) <= 50 else test[:47] + "..."
    return test if holds else f"not {test}"


#: How a kind of request-controlled value reads (see ``OriginFlow.header``).
_REQUEST_VALUE_KINDS = {
    "query": "query parameter",
    "form": "form field",
    "param": "request parameter",
    "json": "JSON body field",
    "body": "request body field",
    "cookie": "cookie",
    "path": "path parameter",
    "header": "request header",
}
_UNNAMED = {"query": "the query string", "cookie": "a cookie", "body": "the request body", "json": "the JSON body"}


def request_value(header: str) -> str:
    """A request-controlled value by where it comes from:
    ``query:origin`` -> "the `origin` query parameter",
    ``header:X-Embed-Origin`` -> "the `X-Embed-Origin` request header",
    ``cookie:`` -> "a cookie"."""
    kind, _, name = header.partition(":")
    what = _REQUEST_VALUE_KINDS.get(kind, "request value")
    if not name:
        return _UNNAMED.get(kind, f"a {what}")
    return f"the `{name}` {what}"
