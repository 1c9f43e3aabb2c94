"""Which middleware can send a response by itself.

A CORS middleware only adds its headers to the responses that pass through
it.  A middleware further out that answers on its own (a redirect, a 400, a
429, a response returned before calling the next handler) sends responses
without CORS headers, and the browser then reports a CORS error instead of
the real status.  This module knows the well-known middleware of Django and
Starlette that do (and, by their absence, those that do not: GZip,
sessions, authentication of Django, timing ...), and reads custom middleware
of the project to see whether some path returns without calling the next
handler.

What was verified on the released libraries is recorded in
docs/rules/COR307.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from .context import ModuleContext
from .imports import dotted_name, split_qualified
from .index import ClassInfo, Scope


@dataclass(frozen=True)
class Answer:
    """How a middleware answers by itself: ``how`` for the message
    (``redirects to add a trailing slash``), ``what`` the short noun
    (``the 301 redirect``)."""

    how: str
    what: str
    certain: bool = True  # False: only under configuration that cannot be seen from here


DJANGO_COMMON = "django.middleware.common.CommonMiddleware"
DJANGO_LOCALE = "django.middleware.locale.LocaleMiddleware"
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"

# Django middleware that answer without calling get_response (or replace the
# response they get back).  Not here on purpose: SecurityMiddleware (answers
# only with SECURE_SSL_REDIRECT, for plain-http requests that a browser blocks
# as mixed content first), SessionMiddleware, AuthenticationMiddleware,
# CsrfViewMiddleware and LoginRequiredMiddleware (they answer from
# process_view, which runs inside every middleware), GZip, ConditionalGet,
# XFrameOptions, and WhiteNoise under its defaults (it sends
# "Access-Control-Allow-Origin: *" on static files itself).
DJANGO_KNOWN: dict[str, Answer] = {
    DJANGO_COMMON: Answer(
        "redirects requests without a trailing slash (APPEND_SLASH) or without www (PREPEND_WWW) and answers 403 to DISALLOWED_USER_AGENTS",
        "the 301 redirect",
    ),
    DJANGO_LOCALE: Answer("redirects to the language-prefixed URL (the root URLconf uses i18n_patterns)", "the 302 redirect"),
}
# without the root URLconf at hand (flake8), LocaleMiddleware may redirect
LOCALE_MAYBE = Answer("redirects to the language-prefixed URL when the root URLconf uses i18n_patterns", "the 302 redirect", certain=False)
WHITENOISE_NO_ORIGINS = Answer(
    "serves static files itself, and WHITENOISE_ALLOW_ALL_ORIGINS = False removes its own Access-Control-Allow-Origin",
    "the static file",
)

TRUSTED_HOST = Answer("answers 400 'Invalid host header' to a Host outside allowed_hosts", "the 400 response")
AUTHENTICATION = Answer("answers 400 (or its on_error response) when the authentication backend raises AuthenticationError", "the authentication error")
RATE_LIMIT = Answer("answers 429 Too Many Requests when the limit is hit", "the 429 response")
STARLETTE_KNOWN: dict[str, Answer] = {
    "starlette.middleware.trustedhost.TrustedHostMiddleware": TRUSTED_HOST,
    "fastapi.middleware.trustedhost.TrustedHostMiddleware": TRUSTED_HOST,
    "starlette.middleware.authentication.AuthenticationMiddleware": AUTHENTICATION,
    "slowapi.middleware.SlowAPIMiddleware": RATE_LIMIT,
    "slowapi.middleware.SlowAPIASGIMiddleware": RATE_LIMIT,
    "slowapi.SlowAPIMiddleware": RATE_LIMIT,
}


# -- finding the code of a middleware --------------------------------------------------


def find_definition(ctx: ModuleContext, qualified: str) -> tuple[ModuleContext, str] | None:
    """The module context holding the class or function ``qualified``
    (``app.middleware.Auth``, ``.middleware.Auth`` or a local ``Auth``), and
    its plain name.  Other modules are only read in standalone mode."""
    module, name = split_qualified(qualified)
    if not module:
        return (ctx, name) if name in ctx.index.classes or name in ctx.index.functions else None
    project = ctx.project
    if project is None:
        return None
    path = project.module_path(module, ctx.path)
    other = project.context(path) if path is not None else None
    if other is None:
        return None
    if name in other.index.classes or name in other.index.functions:
        return other, name
    # re-exported from a package: follow one "from .x import Name"
    for q in other.qualify(cst.Name(name)):
        if q != name and q != qualified:
            return find_definition(other, q) if q.count(".") else None
    return None


def _mentions(node: cst.CSTNode, names: set[str], attrs: set[str], limit: int = 400) -> bool:
    """Does the expression use one of these names (or ``x.attr`` with one of
    these attributes)?"""
    stack = [node]
    seen = 0
    while stack and seen < limit:
        current = stack.pop()
        seen += 1
        if isinstance(current, cst.Name) and current.value in names:
            return True
        if isinstance(current, cst.Attribute) and current.attr.value in attrs:
            return True
        stack.extend(current.children)
    return False


def _derived(scope: Scope, names: set[str], attrs: set[str]) -> set[str]:
    """Names whose value comes from the next handler (``response = await
    call_next(request)``), closed over reassignments."""
    out = set(names)
    changed = True
    while changed:
        changed = False
        for name, defs in scope.assignments.items():
            if name in out:
                continue
            if any(d.value is not None and _mentions(d.value, out, attrs) for d in defs):
                out.add(name)
                changed = True
    return out


RESPONSE_WORDS = ("response", "redirect", "render", "abort")


def _builds_response(node: cst.BaseExpression, scope: Scope, depth: int = 0) -> bool:
    """Is the expression a response made here: a call of something named
    like a response (``JSONResponse(...)``, ``HttpResponseForbidden()``,
    ``redirect(...)``, ``render(...)``), or a name assigned one?  Other
    calls (``self.handle(request)``) may well call the next handler
    themselves, so they do not count."""
    if isinstance(node, cst.Await):
        return _builds_response(node.expression, scope, depth)
    if isinstance(node, cst.Call):
        name = (dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
        return any(word in name for word in RESPONSE_WORDS)
    if isinstance(node, cst.Name) and depth < 3:
        defs = scope.assignments.get(node.value) or []
        return bool(defs) and all(d.value is not None and d.kind == "assign" and _builds_response(d.value, scope, depth + 1) for d in defs)
    return False


def returns_without(ctx: ModuleContext, scope: Scope, names: set[str], attrs: set[str] = frozenset()) -> str:
    """The first returned expression of ``scope`` that is a response built
    without the next handler (named by ``names``/``attrs``), as source
    text, or ``""``."""
    derived = _derived(scope, names, set(attrs))
    for site in scope.returns:
        value = site.node.value if isinstance(site.node, cst.Return) else None
        if value is None or _mentions(value, derived, set(attrs)):
            continue
        if _builds_response(value, scope):
            return ctx.text(value, 60)
    return ""


def _param(scope: Scope, position: int) -> str | None:
    names = scope.param_names()
    return names[position] if len(names) > position else None


# -- Django ------------------------------------------------------------------------------


def django_custom(ctx: ModuleContext, dotted: str) -> Answer | None:
    """Read a project middleware named in MIDDLEWARE (a class with
    ``__call__``/``process_request``/``process_response``, or a factory
    function returning the middleware function)."""
    found = find_definition(ctx, dotted)
    if found is None:
        return None
    other, name = found
    info = other.index.classes.get(name)
    if info is not None:
        return _django_class(other, info)
    for scope in other.index.functions.get(name, ()):
        if scope.parent is not None and scope.parent.kind == "module":
            return _django_factory(other, scope)
    return None


def _django_class(ctx: ModuleContext, info: ClassInfo) -> Answer | None:
    for method in ("__call__", "__acall__"):
        scope = info.methods.get(method)
        if scope is not None:
            shown = returns_without(ctx, scope, {"get_response"}, {"get_response"})
            if shown:
                return Answer(f"returns {shown} without calling get_response", "that response")
    scope = info.methods.get("process_request")
    if scope is not None:
        shown = _request_hook_response(ctx, info, scope)
        if shown:
            return Answer(f"returns {shown} from process_request, before the inner middleware run", "that response")
    scope = info.methods.get("process_response")
    response = _param(scope, 2) if scope is not None else None
    if scope is not None and response:
        shown = returns_without(ctx, scope, {response})
        if shown:
            return Answer(f"replaces the response with {shown} in process_response", "that response")
    return None


def _request_hook_response(ctx: ModuleContext, info: ClassInfo, scope: Scope, depth: int = 0) -> str:
    """A response ``process_request`` returns, as source text, or ``""``.
    Whatever it returns that is not None ends the request there (it has no
    next handler to call), so a helper method of the same class it returns
    from (``return self._check_tenant(request)``) is read as well."""
    for site in scope.returns:
        value = site.node.value if isinstance(site.node, cst.Return) else None
        if value is None:
            continue
        if _builds_response(value, scope):
            return ctx.text(value, 60)
        helper = _own_method(info, value)
        inner = _request_hook_response(ctx, info, helper, depth + 1) if helper is not None and depth < 2 else ""
        if inner:
            return f"{inner} (through {ctx.text(value.func if isinstance(value, cst.Call) else value, 40)})"
    return ""


def _own_method(info: ClassInfo, node: cst.BaseExpression) -> Scope | None:
    """The method of this class a ``self.name(...)`` call runs."""
    if isinstance(node, cst.Await):
        node = node.expression
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name) and node.func.value.value == "self":
        return info.methods.get(node.func.attr.value)
    return None


def _django_factory(ctx: ModuleContext, factory: Scope) -> Answer | None:
    get_response = _param(factory, 0)
    if get_response is None:
        return None
    for inner in (f for scopes in ctx.index.functions.values() for f in scopes):
        if inner.parent is factory:
            shown = returns_without(ctx, inner, {get_response})
            if shown:
                return Answer(f"returns {shown} without calling {get_response}", "that response")
    return None


# -- Starlette / FastAPI -------------------------------------------------------------------


def starlette_known(qualified: set[str]) -> Answer | None:
    for q in qualified:
        if q in STARLETTE_KNOWN:
            return STARLETTE_KNOWN[q]
    return None


def http_function(ctx: ModuleContext, scope: Scope) -> Answer | None:
    """A FastAPI ``@app.middleware("http")`` function ``(request, call_next)``."""
    call_next = _param(scope, 1)
    if call_next is None:
        return None
    shown = returns_without(ctx, scope, {call_next})
    return Answer(f"returns {shown} without calling {call_next}", "that response") if shown else None


def starlette_custom(ctx: ModuleContext, qualified: str) -> Answer | None:
    """A project middleware class: a ``BaseHTTPMiddleware`` ``dispatch``
    that can return without ``call_next``, or a pure ASGI ``__call__`` that
    sends a response of its own (``await response(scope, receive, send)``)."""
    found = find_definition(ctx, qualified)
    if found is None:
        return None
    other, name = found
    info = other.index.classes.get(name)
    if info is None:
        return None
    dispatch = info.methods.get("dispatch")
    if dispatch is not None:
        call_next = _param(dispatch, 2)
        shown = returns_without(other, dispatch, {call_next}) if call_next else ""
        if shown:
            return Answer(f"returns {shown} from dispatch without calling {call_next}", "that response")
        return None
    call = info.methods.get("__call__")
    if call is None or len(call.param_names()) < 4:
        return None
    asgi = call.param_names()[1:4]
    for site in other.index.calls:
        if site.scope is not call:
            continue
        node: cst.Call = site.node
        args = [a.value for a in node.args]
        if len(args) != 3 or [a.value if isinstance(a, cst.Name) else None for a in args] != asgi:
            continue
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == call.param_names()[0]:
            continue  # self.app(scope, receive, send): passes the request on
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call) and dotted_name(func.value.func) == "super":
            continue  # super().__call__(scope, receive, send): the base class passes it on
        return Answer(f"sends its own response ({other.text(node, 60)}) without calling the wrapped app", "that response")
    return None
