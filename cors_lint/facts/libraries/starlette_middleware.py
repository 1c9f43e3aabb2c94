"""Starlette/FastAPI: the order of the middleware around ``CORSMiddleware``.

Starlette builds the stack from ``user_middleware``: the constructor's
``middleware=[...]`` list, with every ``app.add_middleware(...)`` inserted
at the front, so the first entry is the outermost and the **last**
``add_middleware`` call wraps everything before it.  FastAPI's
``@app.middleware("http")`` decorator is an ``add_middleware`` call made
where the function is defined.  ``CORSMiddleware`` only adds headers to
responses that pass through it, so a middleware outside it that answers by
itself (TrustedHost's 400, an authentication error, a rate limiter's 429, a
dispatch returning before ``call_next``) sends responses without CORS
headers.

One ``MiddlewareStack`` is produced per application object and scope (the
calls of a factory function are one stack; calls spread over several
functions are not combined, since the order they run in is not known), and
only when the stack holds the CORS middleware.  Connexion's
``add_middleware(..., position=...)`` places middleware elsewhere: such a
stack is not produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from .. import middleware_answers as answers
from ..context import ModuleContext
from ..index import Scope, Site
from ..model import FileFacts, MiddlewareEntry, MiddlewareStack
from . import starlette

LIBRARY = "starlette"
APPLICATIONS = ("fastapi.FastAPI", "fastapi.applications.FastAPI", "starlette.applications.Starlette")
WRAPPERS = ("starlette.middleware.Middleware", "fastapi.middleware.Middleware")
BASE_HTTP = ("starlette.middleware.base.BaseHTTPMiddleware",)


@dataclass
class _Stack:
    added: list[tuple[int, MiddlewareEntry, str]] = field(default_factory=list)  # (order, entry, form)
    listed: list[MiddlewareEntry] = field(default_factory=list)  # middleware=[...], outermost first
    span_node: cst.CSTNode | None = None
    positioned: bool = False


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    open_stacks: dict[tuple[str, str], _Stack] = {}
    done: list[tuple[str, _Stack]] = []

    def stack_for(scope: Scope, receiver: str, fresh: bool = False) -> _Stack:
        key = (scope.qualname, receiver)
        if fresh and key in open_stacks:
            done.append((receiver, open_stacks.pop(key)))  # "app = FastAPI()" again: a new application
        return open_stacks.setdefault(key, _Stack())

    for site in ctx.index.calls:
        call: cst.Call = site.node
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_middleware" and call.args:
            receiver = ctx.dotted(func.value)
            if receiver is None:
                continue
            stack = stack_for(site.scope, receiver)
            if any(a.keyword is not None and a.keyword.value == "position" for a in call.args):
                stack.positioned = True
            stack.added.append((site.order, _class_entry(ctx, call.args[0].value, call, site), "add_middleware"))
            stack.span_node = stack.span_node or call
        elif isinstance(func, cst.Attribute) and func.attr.value == "middleware" and _is_http_decorator(ctx, site):
            function = ctx.index.parent(ctx.index.parent(call))
            receiver = ctx.dotted(func.value)
            outer = site.scope.parent if site.scope.node is function else site.scope
            if receiver is None or outer is None or not isinstance(function, cst.FunctionDef):
                continue
            stack = stack_for(outer, receiver)
            stack.added.append((site.order, _function_entry(ctx, site.scope, function, receiver), "decorator"))
        elif ctx.is_name(func, *APPLICATIONS):
            receiver = _assigned_name(ctx, call)
            if receiver is None:
                continue
            stack = stack_for(site.scope, receiver, fresh=True)
            listed = ctx.arg(call, None, "middleware")
            if listed is not None:
                stack.listed = _listed(ctx, listed.value, site)
                stack.span_node = call
    done.extend((receiver, stack) for (_, receiver), stack in open_stacks.items())
    for receiver, stack in done:
        if stack.positioned:
            continue
        added = [entry for _, entry, _ in sorted(stack.added, key=lambda t: t[0], reverse=True)]
        entries = (*added, *stack.listed)
        if not any(e.is_cors for e in entries) or stack.span_node is None:
            continue
        cors_added = any(e.is_cors for _, e, _ in stack.added)
        wrapped_list = not cors_added and any(e.answers for _, e, _ in stack.added)
        if cors_added:
            hint = f"add {{cors}} after {{other}}: {receiver}.add_middleware({{cors}}, ...) as the last call"
            note = "the last add_middleware call is the outermost"
        elif wrapped_list:
            hint = f"add {{cors}} with {receiver}.add_middleware after {{other}} instead of listing it in middleware=[...]"
            note = "add_middleware wraps the middleware=[...] list"
        else:
            hint = "put {cors} before {other} in middleware=[...]"
            note = "the first entry of middleware=[...] is the outermost"
        facts.middleware_stacks.append(
            MiddlewareStack(
                container=f"the middleware of {receiver}",
                entries=entries,
                span=ctx.span(stack.span_node),
                complete=all(e.known for e in entries),
                cors_middleware="CORSMiddleware",
                library=LIBRARY,
                move_hint=hint,
                order_note=note,
            )
        )


def _is_http_decorator(ctx: ModuleContext, site: Site) -> bool:
    call: cst.Call = site.node
    parent = ctx.index.parent(call)
    if not isinstance(parent, cst.Decorator) or not call.args:
        return False
    return ctx.evaluate(call.args[0].value).str_value() == "http"


def _assigned_name(ctx: ModuleContext, call: cst.Call) -> str | None:
    parent = ctx.index.parent(call)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        return ctx.dotted(parent.targets[0].target)
    if isinstance(parent, cst.AnnAssign):
        return ctx.dotted(parent.target)
    return None


def _listed(ctx: ModuleContext, node: cst.BaseExpression, site: Site) -> list[MiddlewareEntry]:
    """Entries of ``middleware=[Middleware(A), ...]`` (or a module-level
    list it names)."""
    if isinstance(node, cst.Name):
        defs = ctx.index.module_scope.assignments.get(node.value) or []
        plain = [d for d in defs if d.kind == "assign"]
        if len(plain) != 1 or len(defs) != 1:
            return [MiddlewareEntry("?", known=False)]
        node = plain[0].value
    if not isinstance(node, (cst.List, cst.Tuple)):
        return [MiddlewareEntry("?", known=False)]
    out = []
    for el in node.elements:
        value = el.value
        if isinstance(el, cst.StarredElement) or not isinstance(value, cst.Call) or not value.args:
            out.append(MiddlewareEntry("?", known=False))
            continue
        out.append(_class_entry(ctx, value.args[0].value, value, site))
    return out


def _class_entry(ctx: ModuleContext, node: cst.BaseExpression, where: cst.Call, site: Site) -> MiddlewareEntry:
    name = ctx.dotted(node)
    if name is None:
        return MiddlewareEntry(ctx.text(node, 40), ctx.span(where), known=False)
    shown = name.split(".")[-1]
    if ctx.is_name(node, *starlette.MIDDLEWARE):
        return MiddlewareEntry(shown, ctx.span(where), is_cors=True)
    qualified = ctx.qualify(node)
    answer = answers.starlette_known(qualified)
    if ctx.is_name(node, *BASE_HTTP):
        answer = _dispatch_function(ctx, where)
    if answer is answers.TRUSTED_HOST and _allows_every_host(ctx, where, site):
        return MiddlewareEntry(shown, ctx.span(where))
    if answer is None:
        for q in sorted(qualified):
            if q.split(".")[0] in ("starlette", "fastapi"):
                continue
            answer = answers.starlette_custom(ctx, q)
            if answer is not None:
                break
    return MiddlewareEntry(shown, ctx.span(where), answers=answer.how if answer else "", answer=answer.what if answer else "")


def _dispatch_function(ctx: ModuleContext, call: cst.Call) -> answers.Answer | None:
    """``add_middleware(BaseHTTPMiddleware, dispatch=check)`` with ``check``
    a function of this module taking ``(request, call_next)``."""
    arg = ctx.arg(call, None, "dispatch")
    if arg is None or not isinstance(arg.value, cst.Name):
        return None
    for scope in ctx.index.functions.get(arg.value.value, ()):
        if scope.parent is not None and scope.parent.kind == "module":
            return answers.http_function(ctx, scope)
    return None


def _allows_every_host(ctx: ModuleContext, call: cst.Call, site: Site) -> bool:
    """``TrustedHostMiddleware`` with ``"*"`` in ``allowed_hosts`` (its
    default) never rejects a request."""
    arg = ctx.arg(call, 1, "allowed_hosts")
    if arg is None:
        return True
    value = ctx.evaluate(arg.value, site)
    return value.kind == "seq" and any(item.str_value() == "*" for item in value.items)


def _function_entry(ctx: ModuleContext, scope: Scope, function: cst.FunctionDef, receiver: str) -> MiddlewareEntry:
    answer = answers.http_function(ctx, scope)
    return MiddlewareEntry(
        f'the @{receiver}.middleware("http") function {function.name.value}()',
        ctx.span(function.name),
        answers=answer.how if answer else "",
        answer=answer.what if answer else "",
    )
