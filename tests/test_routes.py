"""Route facts: which URL paths a module declares (used by ``cors-lint probe``)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from cors_lint.facts import extract_facts
from cors_lint.rules.proof import proof, route_at, sample_path


def routes(source: str) -> set[tuple]:
    facts = extract_facts(cst.parse_module(textwrap.dedent(source)), "app.py")
    return {(r.path, r.methods, r.handler, r.app, r.websocket) for r in facts.routes}


def test_flask_decorators_blueprint_prefix_and_add_url_rule() -> None:
    assert routes('''
        from flask import Blueprint, Flask
        app = Flask(__name__)
        bp = Blueprint("bp", __name__, url_prefix="/v1")
        admin = Blueprint("admin", __name__, url_prefix="/ignored")
        @app.route("/a", methods=["GET", "post"])
        def a(): ...
        @bp.get("/items/<int:item>")
        def b(item): ...
        @admin.route("/users")
        def c(): ...
        app.add_url_rule("/r", view_func=a)
        app.register_blueprint(admin, url_prefix="/admin")
    ''') == {
        ("/a", ("GET", "POST"), "a", "app", False),
        ("/v1/items/<int:item>", ("GET",), "b", "bp", False),
        ("/admin/users", (), "c", "admin", False),
        ("/r", (), "a", "app", False),
    }


def test_fastapi_router_prefixes_add_up() -> None:
    assert routes('''
        from fastapi import APIRouter, FastAPI
        PREFIX = "/api"
        app = FastAPI()
        router = APIRouter(prefix="/items")
        @router.get(PREFIX + "/{item_id}")
        async def item(item_id: int): ...
        @app.websocket("/ws")
        async def ws(websocket): ...
        app.include_router(router, prefix="/v2")
    ''') == {
        ("/v2/items/api/{item_id}", ("GET",), "item", "router", False),
        ("/ws", ("GET",), "ws", "app", True),
    }


def test_registration_calls() -> None:
    found = routes('''
        from aiohttp import web
        from django.urls import include, path, re_path
        from litestar import get
        from starlette.applications import Starlette
        from starlette.routing import Route, WebSocketRoute
        import tornado.web

        async def view(request): ...
        class Feed(tornado.websocket.WebSocketHandler): ...

        app = Starlette(routes=[Route("/s", view, methods=["GET"]), WebSocketRoute("/sw", view)])
        urlpatterns = [
            path("x/<int:pk>/", view),
            re_path(r"^y/(?P<pk>[0-9]+)/$", view),
            re_path(r"^z|w$", view),
            path("api/", include("api.urls")),  # a prefix, not a route
        ]
        application = tornado.web.Application([(r"/feed/(\\d+)", Feed)])
        aio = web.Application()
        aio.router.add_get("/aio", view)
        aio.router.add_route("POST", "/aio-post", view)

        @get("/lit")
        async def lit() -> None: ...
    ''')
    assert found == {
        ("/s", ("GET",), "view", "app", False),
        ("/sw", (), "view", "app", True),
        ("/x/<int:pk>/", (), "view", "", False),
        ("/y/<pk>/", (), "view", "", False),  # the alternation r"^z|w$" is not a plain path: left out
        ("/feed/<arg>", (), "Feed", "application", False),
        ("/aio", ("GET",), "view", "aio", False),
        ("/aio-post", ("POST",), "view", "aio", False),
        ("/lit", ("GET",), "lit", "", False),
    }


@pytest.mark.parametrize("source", [
    'import requests\nrequests.get("/not-a-route")\n',
    'cache = {}\nvalue = cache.get("/key")\n',
    'from pathlib import Path\np = Path("/etc/hosts")\n',
    'from flask import Flask\napp = Flask(__name__)\n@app.route(ROUTE_FROM_ELSEWHERE)\ndef a(): ...\n',  # unknown path: left out
    'from flask import Flask\napp = Flask(__name__)\n@app.errorhandler(404)\ndef a(e): ...\n',
])
def test_look_alikes_are_not_routes(source: str) -> None:
    assert routes(source) == set()


def test_a_fact_inside_a_handler_belongs_to_its_route() -> None:
    source = textwrap.dedent('''
        from flask import Flask
        app = Flask(__name__)

        @app.route("/one")
        def one():
            return 1

        @app.route("/two")
        @app.route("/two-get", methods=["GET"])
        def two():
            return 2
    ''')
    facts = extract_facts(cst.parse_module(source), "app.py")
    Span = type(facts.routes[0].span.resolve())
    assert route_at(facts, Span(7, 4, 7, 12)).path == "/one"
    assert route_at(facts, Span(5, 0, 5, 10)).path == "/one"  # the decorator line belongs to it
    assert route_at(facts, Span(12, 4, 12, 12)).path in ("/two", "/two-get")
    assert route_at(facts, Span(3, 0, 3, 10)) is None  # module level: no route


def test_a_policy_limited_to_paths_is_probed_inside_them() -> None:
    def probe_route(source: str):
        facts = extract_facts(cst.parse_module(textwrap.dedent(source)), "app.py")
        (policy,) = facts.policies
        return proof(facts, policy.span, "https://attacker.example", app=policy.app, paths=policy.paths).get("route", {}).get("path")

    served = probe_route('''
        from flask import Flask
        from flask_cors import CORS
        app = Flask(__name__)
        CORS(app, resources=r"/api/*", supports_credentials=True)
        @app.route("/")
        def index(): ...
        @app.route("/api/users/<int:uid>")
        def user(uid): ...
        @app.route("/api/users")
        def users(): ...
    ''')
    assert served == "/api/users"  # inside the resource, and without a placeholder
    unserved = probe_route('''
        from flask_cors import CORS
        from app import app
        CORS(app, resources={r"/v1/.*": {"origins": "*"}}, supports_credentials=True)
    ''')
    assert unserved == "/v1/"  # no route here: a path the resource covers (handler "")


@pytest.mark.parametrize("pattern, sample", [
    ("/api/*", "/api/"),
    (r"/v1/.*", "/v1/"),
    (r"^/static/(css|js)/", "/static/"),
    ("*", None),
    (r".*", None),
])
def test_sample_path(pattern: str, sample: str | None) -> None:
    assert sample_path(pattern) == sample


def test_django_cors_urls_regex_says_where_cors_applies() -> None:
    source = textwrap.dedent('''
        CORS_ALLOW_ALL_ORIGINS = True
        CORS_ALLOW_CREDENTIALS = True
        CORS_URLS_REGEX = r"^/api/v2/.*$"
    ''')
    facts = extract_facts(cst.parse_module(source), "settings.py")
    (policy,) = facts.policies
    assert policy.paths == (r"^/api/v2/.*$",)
    props = proof(facts, policy.span, "https://attacker.example", app=policy.app, paths=policy.paths)
    assert props["route"] == {"path": "/api/v2/", "methods": [], "handler": ""}
