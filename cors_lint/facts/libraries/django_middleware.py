"""django-cors-headers: the ``MIDDLEWARE`` stack its settings depend on.

django-cors-headers does nothing without
``corsheaders.middleware.CorsMiddleware`` in ``MIDDLEWARE`` (no header on
responses or preflights), and the middleware only adds headers to responses
that pass through it: a middleware listed before it that answers by itself
(``CommonMiddleware``'s APPEND_SLASH redirect, ``LocaleMiddleware``, a
project middleware returning without ``get_response``) sends responses
without CORS headers.

This extractor turns a Django settings module into one ``MiddlewareStack``
fact: the ``MIDDLEWARE`` entries of the whole settings chain (see
``facts/settings_lists.py``), what configures CORS for that chain
(django-cors-headers settings, or ``corsheaders`` in ``INSTALLED_APPS``),
and which entries answer by themselves (``facts/middleware_answers.py``).

A stack is produced for a module that writes ``MIDDLEWARE`` itself or
configures CORS itself; entries inherited through ``import *`` carry no
position, so the module that wrote them reports them.  Under flake8 a
star import cannot be followed and the stack is incomplete; a module of a
split settings package (a directory named like ``settings``) may be the
base another module extends, so it is marked ``extended_elsewhere`` there.
In standalone mode the sibling modules that star-import it tell instead.
"""

from __future__ import annotations

from pathlib import Path, PurePath

import libcst as cst

from .. import middleware_answers as answers
from ..context import ModuleContext
from ..model import FileFacts, MiddlewareEntry, MiddlewareStack
from ..settings_classes import SETTINGS_ROOTS, derives_from, settings_class
from ..settings_lists import Item, Lists, walk, walk_class
from .. import policy_kit as c
from . import django_cors as settings

LIBRARY = "django-cors-headers"
CORS = "corsheaders.middleware.CorsMiddleware"
APP = "corsheaders"
WHITENOISE_SETTING = "WHITENOISE_ALLOW_ALL_ORIGINS"


def extract(ctx: ModuleContext, facts: FileFacts) -> None:
    if not _may_be_settings(ctx):
        return
    lists = walk(ctx)
    _class_stacks(ctx, facts, lists)
    if "MIDDLEWARE" not in lists.values:
        return  # never set in the chain we can see (or only through a loader)
    own_config = _own_configuration(ctx, lists)
    middleware_here = "MIDDLEWARE" in lists.final
    configured = own_config or _inherited_configuration(lists)
    if not (middleware_here or own_config) or not (configured or _lists_cors(lists)):
        return
    items = lists.values["MIDDLEWARE"]
    where = lists.final.get("MIDDLEWARE") or lists.via_star.get("MIDDLEWARE")
    if where is None:
        return
    entries = _entries(ctx, lists, items or [])
    facts.middleware_stacks.append(
        MiddlewareStack(
            container="MIDDLEWARE",
            entries=entries,
            span=ctx.span(where),
            complete=items is not None and all(i.name is not None for i in items),
            cors_middleware=CORS,
            library=LIBRARY,
            cors_configured=configured,
            extended_elsewhere=_extended_elsewhere(ctx),
            move_hint="list {cors} above {other} in MIDDLEWARE",
        )
    )


def _may_be_settings(ctx: ModuleContext) -> bool:
    """Cheap test before walking: the module sets or changes MIDDLEWARE, or
    star-imports a module that may, or a class of it assigns MIDDLEWARE,
    and it is not another framework's config."""
    index = ctx.index
    if c.imports_any(ctx, *settings.OTHER_FRAMEWORKS):
        return False
    return bool(index.imports.star_imports) or _writes_middleware(ctx) or any("MIDDLEWARE" in s.assignments for s in index.class_scopes)


def _class_stacks(ctx: ModuleContext, facts: FileFacts, module_lists: Lists) -> None:
    """Settings classes (django-configurations): one stack per class that
    assigns MIDDLEWARE or configures CORS itself, with what it inherits
    from its bases; entries written by a base are reported by the base."""
    if not any("MIDDLEWARE" in scope.assignments for scope in ctx.index.class_scopes):
        return
    for info in ctx.index.classes.values():
        got = settings_class(ctx, info, lambda name: name.isupper())
        if got is None or got.scope.parent is not ctx.index.module_scope:
            continue
        names = got.settings()
        if "MIDDLEWARE" not in names or not _django_class(ctx, got):
            continue
        own_cors = next((n for n in settings.KNOWN if n in got.own and n in settings.DISTINCTIVE), "")
        if "MIDDLEWARE" not in got.own and not own_cors:
            continue
        lists = walk_class(ctx, got.lineage, module_lists)
        items = lists.values.get("MIDDLEWARE")
        configured = own_cors or next((n for n in settings.KNOWN if n in names and n in settings.DISTINCTIVE and n not in settings.SHARED), "")
        apps = lists.values.get("INSTALLED_APPS") or []
        if not configured and any(_is_app(i.name) for i in apps):
            configured = f"{APP!r} in INSTALLED_APPS"
        if not (configured or _lists_cors(lists)):
            continue
        where = lists.final.get("MIDDLEWARE") or info.node.name
        facts.middleware_stacks.append(
            MiddlewareStack(
                container="MIDDLEWARE",
                entries=_entries(ctx, lists, items or []),
                span=ctx.span(where),
                complete=items is not None and all(i.name is not None for i in items),
                cors_middleware=CORS,
                library=LIBRARY,
                cors_configured=configured,
                extended_elsewhere=False,
                move_hint="list {cors} above {other} in MIDDLEWARE",
            )
        )


def _django_class(ctx: ModuleContext, got) -> bool:
    """Does the class hold Django settings (django-configurations'
    ``Configuration``, Django's own setting names, or a module that imports
    Django)?"""
    names = got.settings()
    return (
        derives_from(ctx, got, *SETTINGS_ROOTS)
        or any(n in settings.DJANGO_SETTINGS and n != "MIDDLEWARE" for n in names)
        or c.imports_any(ctx, "django", "corsheaders", "configurations")
    )


def _writes_middleware(ctx: ModuleContext) -> bool:
    """Does the module assign, extend or mutate MIDDLEWARE at module level?"""
    index = ctx.index
    if "MIDDLEWARE" in index.module_scope.assignments:
        return True
    return any(
        isinstance(site.node.func, cst.Attribute) and isinstance(site.node.func.value, cst.Name) and site.node.func.value.value == "MIDDLEWARE"
        for site in index.calls
        if site.scope is index.module_scope
    )


def _own_configuration(ctx: ModuleContext, lists: Lists) -> str:
    """What in this module itself configures django-cors-headers."""
    own = settings._module_settings(ctx)
    if own and settings._is_settings_module(ctx, own):
        for name in settings.KNOWN:
            if name in own and name in settings.DISTINCTIVE:
                return name
    apps = lists.values.get("INSTALLED_APPS") or []
    if any(i.node is not None and _is_app(i.name) for i in apps):
        return f"{APP!r} in INSTALLED_APPS"
    return ""


def _inherited_configuration(lists: Lists) -> str:
    for name in settings.KNOWN:
        if name in lists.assigned and name in settings.DISTINCTIVE and name not in settings.SHARED:
            return name
    apps = lists.values.get("INSTALLED_APPS") or []
    if any(_is_app(i.name) for i in apps):
        return f"{APP!r} in INSTALLED_APPS"
    return ""


def _lists_cors(lists: Lists) -> bool:
    return any(i.name == CORS for i in lists.values.get("MIDDLEWARE") or [])


def _is_app(name: str | None) -> bool:
    return name is not None and (name == APP or name.startswith(APP + ".apps."))


def _entries(ctx: ModuleContext, lists: Lists, items: list[Item]) -> tuple[MiddlewareEntry, ...]:
    cors_at = next((k for k, i in enumerate(items) if i.name == CORS), None)
    out = []
    for k, item in enumerate(items):
        answer = _answer(ctx, lists, item.name) if cors_at is not None and k < cors_at else None
        out.append(
            MiddlewareEntry(
                name=item.name or "?",
                span=ctx.span(item.node) if item.node is not None else None,
                answers=answer.how if answer else "",
                answer=answer.what if answer else "",
                certain=answer.certain if answer else True,
                is_cors=item.name == CORS,
                conditional=item.conditional,
                known=item.name is not None,
            )
        )
    return tuple(out)


def _answer(ctx: ModuleContext, lists: Lists, name: str | None) -> answers.Answer | None:
    if name is None:
        return None
    if name == answers.DJANGO_LOCALE:
        uses = _uses_i18n_patterns(ctx, lists)
        return None if uses is False else answers.DJANGO_KNOWN[name] if uses else answers.LOCALE_MAYBE
    if name in answers.DJANGO_KNOWN:
        return answers.DJANGO_KNOWN[name]
    if name == answers.WHITENOISE:
        return answers.WHITENOISE_NO_ORIGINS if _whitenoise_without_origins(ctx) else None
    if name.split(".")[0] in ("django", "corsheaders", "whitenoise"):
        return None
    return answers.django_custom(ctx, name)


def _uses_i18n_patterns(ctx: ModuleContext, lists: Lists) -> bool | None:
    """Does the root URLconf use ``i18n_patterns`` (the only place Django
    allows it)?  LocaleMiddleware redirects only then.  None when the
    URLconf cannot be read (flake8, a computed ROOT_URLCONF)."""
    project = ctx.project
    if project is None:
        return None
    value = None
    if "ROOT_URLCONF" in ctx.index.module_scope.assignments:
        value = ctx.evaluate(cst.Name("ROOT_URLCONF")).str_value()
    elif ctx.index.imports.star_imports:
        got = project.inherited_assignments(ctx.path, ctx.index.imports.star_imports, lambda n: n == "ROOT_URLCONF")
        value = got["ROOT_URLCONF"].value.str_value() if "ROOT_URLCONF" in got else None
    path = project.module_path(value, ctx.path) if value else None
    if path is None:
        return None
    try:
        return b"i18n_patterns" in Path(path).read_bytes()
    except OSError:
        return None


def _whitenoise_without_origins(ctx: ModuleContext) -> bool:
    """``WHITENOISE_ALLOW_ALL_ORIGINS = False`` in this module or its chain."""
    if WHITENOISE_SETTING in ctx.index.module_scope.assignments:
        return c.truth(ctx.evaluate(cst.Name(WHITENOISE_SETTING))) is False
    project = ctx.project
    if project is None or not ctx.index.imports.star_imports:
        return False
    got = project.inherited_assignments(ctx.path, ctx.index.imports.star_imports, lambda n: n == WHITENOISE_SETTING)
    return WHITENOISE_SETTING in got and c.truth(got[WHITENOISE_SETTING].value) is False


def _extended_elsewhere(ctx: ModuleContext) -> bool:
    """Does another settings module build on this one (``from .base import
    *`` or ``import MIDDLEWARE``) and write its own MIDDLEWARE (which it
    then answers for)?"""
    project = ctx.project
    if _default_settings_module(ctx):
        return False
    if project is not None and hasattr(project, "settings_importers"):
        for path in project.settings_importers(Path(ctx.path), "MIDDLEWARE"):
            other = project.context(path)
            if other is not None and _writes_middleware(other):
                return True
        return False
    parts = PurePath(ctx.path).parts
    return len(parts) >= 2 and "settings" in parts[-2].lower()


def _default_settings_module(ctx: ModuleContext) -> bool:
    """``<project>/settings.py``, the module Django's project layout names
    in ``DJANGO_SETTINGS_MODULE`` (manage.py, wsgi.py, asgi.py): it runs as
    written even when variants (``settings_ci.py``, ``test_settings.py``)
    star-import it and replace ``MIDDLEWARE``; those answer for their own
    list.  A module of a ``settings/`` package is a base instead."""
    parts = PurePath(ctx.path).parts
    return PurePath(ctx.path).stem == "settings" and not (len(parts) >= 2 and "settings" in parts[-2].lower())
