"""Starlette's ``CORSMiddleware`` (also FastAPI, Connexion 3 and Responder).

Recognised forms (imports resolved through aliases):

* ``app.add_middleware(CORSMiddleware, allow_origins=..., ...)`` (FastAPI,
  Starlette, Connexion 3 with its extra ``position=`` keyword);
* ``Middleware(CORSMiddleware, ...)`` in a ``middleware=[...]`` list (also
  ``functools.partial(CORSMiddleware, ...)``);
* direct wrapping ``app = CORSMiddleware(app, ...)``;
* Responder ``responder.API(cors=True, cors_params={...})``.

Modelled behaviour (Starlette 1.x, see docs/libraries/starlette.md):

* ``"*" in allow_origins`` allows every origin; with
  ``allow_credentials=True`` the middleware then reflects the caller's origin
  with credentials (it never raises for this combination).
* Other ``allow_origins`` entries match exactly and case-sensitively; a
  *string* instead of a list turns both tests into substring tests (so a
  string containing ``*`` allows everyone).
* ``allow_origin_regex`` is used with ``re.fullmatch`` (no IGNORECASE); a
  matching origin is reflected.
* ``Vary: Origin`` is always added; ``allow_private_network`` answers the
  private-network preflight; ``allow_headers=["*"]`` mirrors the requested
  headers (no literal ``*`` is sent).
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..context import ModuleContext
from ..index import Site
from ..model import CorsPolicy, FileFacts, Setting, Value
from .. import policy_kit as c

LIBRARY = "starlette"
MIDDLEWARE = ("starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware")
WRAPPERS = ("starlette.middleware.Middleware", "fastapi.middleware.Middleware", "litestar.middleware.DefineMiddleware", "functools.partial")
RESPONDER_API = ("responder.API", "responder.api.API")
OPTIONS = (
    "allow_origins",
    "allow_methods",
    "allow_headers",
    "allow_credentials",
    "allow_origin_regex",
    "allow_private_network",
    "expose_headers",
    "max_age",
)
# keywords that belong to the surrounding call, not to the middleware
WRAPPER_KEYWORDS = {"add_middleware": {"position"}, "direct": {"app"}}
PREFLIGHT_LISTS = ("allow_headers", "allow_methods", "expose_headers")


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    for site in ctx.index.calls:
        call: cst.Call = site.node
        form = _form(ctx, call)
        if form is None:
            continue
        if form == "responder":
            _responder(ctx, facts, site)
            continue
        options = c.read_options(ctx, call, site)
        _unknown_options(ctx, facts, options, WRAPPER_KEYWORDS.get(form, set()))
        facts.policies.append(replace(policy(ctx, options, ctx.span(call), site), app=_app_name(ctx, call, form)))


def _app_name(ctx: ModuleContext, call: cst.Call, form: str) -> str:
    """The application a CORSMiddleware configures, when the code says:
    ``app.add_middleware(...)``, ``app = CORSMiddleware(app, ...)``, or
    ``app = Starlette(middleware=[Middleware(CORSMiddleware, ...)])``."""
    if form == "add_middleware" and isinstance(call.func, cst.Attribute):
        return ctx.dotted(call.func.value) or ""
    if form == "direct":
        first = ctx.arg(call, 0, "app")
        return (ctx.dotted(first.value) or "") if first is not None else ""
    return ctx.constructor_target(call)  # the wrapper sits in the app constructor's arguments


def _form(ctx: ModuleContext, call: cst.Call) -> str | None:
    """Which configuring form ``call`` is, or None."""
    if c.refers_to(ctx, call.func, *MIDDLEWARE):
        return "direct"
    if c.refers_to(ctx, call.func, *RESPONDER_API):
        return "responder"
    args = c.positional(call)
    if not args or not c.refers_to(ctx, args[0].value, *MIDDLEWARE):
        return None
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "add_middleware":
        return "add_middleware"
    # Middleware(CORSMiddleware, ...) / DefineMiddleware(...): a wrapper
    # class that stores the keyword arguments for the middleware.
    last = (ctx.dotted(func) or "").split(".")[-1]
    if c.refers_to(ctx, func, *WRAPPERS) or last.endswith("Middleware"):
        return "wrapper"
    return None


def _responder(ctx: ModuleContext, facts: FileFacts, site: Site) -> None:
    call: cst.Call = site.node
    enabled = ctx.arg(call, None, "cors")
    if enabled is None or c.truth(ctx.evaluate(enabled.value, site)) is False:
        return  # CORS is off unless cors=True
    params = ctx.arg(call, None, "cors_params")
    if params is None:
        return  # Responder's defaults allow no origin
    literal = c.dict_literal(ctx, params.value, site)
    if literal is None:
        facts.policies.append(CorsPolicy(LIBRARY, ctx.span(call), origins_unknown=True, credentials=None))
        return
    options = c.read_options(ctx, literal, site)
    _unknown_options(ctx, facts, options, set())
    facts.policies.append(policy(ctx, options, ctx.span(call), site))


def _unknown_options(ctx: ModuleContext, facts: FileFacts, options: c.Options, extra: set[str]) -> None:
    for name, (node, _, _) in options.values.items():
        if name in OPTIONS or name in extra:
            continue
        facts.unknown_options.append(
            c.unknown_option(ctx, LIBRARY, name, node, OPTIONS, reason="CORSMiddleware raises TypeError for it when the app starts")
        )


def policy(ctx: ModuleContext, options: c.Options, call_span, site: Site | None = None) -> CorsPolicy:
    """The ``CorsPolicy`` of one set of ``CORSMiddleware`` keyword arguments
    (also used by other extractors whose library wraps this middleware)."""

    def explicit(name: str) -> Setting | None:
        node = options.node(name)
        return c.setting(ctx, name, node, options.get(name), options.values[name][1]) if node is not None else None

    origins = explicit("allow_origins")
    regex = explicit("allow_origin_regex")
    creds = explicit("allow_credentials")
    private = explicit("allow_private_network")
    credentials = c.truth(creds.value) if creds is not None else (None if options.opaque else False)
    private_network = c.truth(private.value) if private is not None else (None if options.opaque else False)

    found = c.OriginsBuilder(unknown=options.opaque and origins is None and regex is None)
    if origins is not None:
        _read_origins(origins, found, options.where("allow_origins", ctx, site))
    if regex is not None:
        # a regex letting every origin in is expressed by any_origin, not as an entry (one finding, not two)
        found.add_patterns(c.elements(regex.value, regex.span, **options.where("allow_origin_regex", ctx, site)), "fullmatch-regex", regex, reason="it matches every origin")

    any_from = found.any_from
    return CorsPolicy(
        library=LIBRARY,
        span=call_span,
        origins_setting=any_from or origins or regex or c.default_setting("allow_origins", c.const_value(()), call_span),
        **found.policy_fields(),
        reflects=found.any_origin and (any_from is regex or credentials is True),
        credentials=credentials,
        credentials_setting=creds,
        private_network=private_network,
        private_network_setting=private,
        vary=True,
        confidence=c.confidence_for(any_from.value if any_from else None, creds.value if creds else None, partial=found.partial),
        preflight_wildcards=tuple(s for s in (explicit(n) for n in PREFLIGHT_LISTS) if s is not None and _has_star(s.value)),
        literal_wildcard_headers=False,
    )


def _read_origins(origins: Setting, found: c.OriginsBuilder, where: dict) -> None:
    """``allow_origins``, branch by branch: every origin when some branch
    holds ``'*'`` (only on some branches: ``partial``)."""
    branches = c.alternatives(origins.value)
    reasons: list[str] = []
    hits = 0
    for branch in branches:
        wildcard, branch_unknown = _origins_branch(branch, origins, found, reasons, where)
        hits += wildcard
        found.unknown = found.unknown or (branch_unknown and not wildcard)
    if hits:
        found.accept_any(origins, partial=hits < len(branches))
    found.reasons.extend(reasons)


def _origins_branch(branch: Value, origins: Setting, found: c.OriginsBuilder, reasons: list[str], where: dict) -> tuple[bool, bool]:
    """Read one alternative of ``allow_origins``.  Returns (allows every
    origin, contains something unresolved)."""
    if branch.kind == "const" and isinstance(branch.const, (str, bytes)):
        text = branch.str_value() or ""
        el = c.string_for_list(branch, origins.span, **where)
        if text.strip() == "*":
            return True, False
        if "*" in text:
            reasons.append(f"allow_origins is the string {text!r}, and Starlette's test '\"*\" in allow_origins' is a substring test that is true")
            return True, False
        found.add(el, "substring")
        return False, False
    if branch.kind != "seq":
        return False, True
    wildcard = False
    unknown = False
    for el in c.elements(branch, origins.span, **where):
        if el.text is None:
            unknown = True
        elif el.text == "*":
            wildcard = True
        else:
            found.add(el, "exact")
    if wildcard:
        reasons.append("allow_origins contains '*'")
    return wildcard, unknown


def _has_star(value: Value) -> bool:
    for alt in c.alternatives(value):
        if alt.str_value() is not None and "*" in (alt.str_value() or ""):
            return True
        if alt.kind == "seq" and any(i.str_value() == "*" for i in alt.items):
            return True
    return False
