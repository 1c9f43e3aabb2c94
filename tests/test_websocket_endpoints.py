"""WebSocket endpoint facts (COR402): cases a single fixture file cannot
hold, because they depend on what the whole module or project contains."""

from pathlib import Path

from cors_lint.engine import EngineOptions, lint_source
from cors_lint.project import Project


def _codes(source: str, path: str = "app.py", options: EngineOptions | None = None) -> list[tuple[int, str]]:
    result = lint_source(source.encode(), path, options or EngineOptions())
    assert result.error is None, result.error
    return sorted((f.line, f.code) for f in result.findings)


USER_ENDPOINT = '''
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import WebSocketRoute
{extra_import}

async def feed(websocket):
    user = websocket.user
    await websocket.accept()
    await websocket.send_json({{"name": user.display_name}})

app = Starlette(
    routes=[WebSocketRoute("/ws", feed)],
    middleware=[{extra_middleware}Middleware(AuthenticationMiddleware, backend=ApiKeyBackend())],
)
'''


def test_user_alone_is_not_cookie_authentication() -> None:
    """An authentication middleware may trust an API-key header (a client
    that is not a browser): ``websocket.user`` alone is no cookie."""
    assert _codes(USER_ENDPOINT.format(extra_import="", extra_middleware="")) == []


def test_user_next_to_a_session_middleware_is_cookie_authentication() -> None:
    source = USER_ENDPOINT.format(
        extra_import="from starlette.middleware.sessions import SessionMiddleware",
        extra_middleware='Middleware(SessionMiddleware, secret_key="k"), ',
    )
    assert _codes(source) == [(8, "COR402")]


SERVED_TWICE = '''
from websockets.asyncio.server import serve

async def handler(websocket):
    session = websocket.request.headers.get("Cookie")
    await websocket.send(session)

async def main():
    async with serve(handler, "", 8001, origins=["https://app.example.com"]):
        {second}
'''


def test_each_server_of_a_shared_handler_is_judged() -> None:
    """One server with ``origins=[...]`` does not protect another serving
    the same handler without it."""
    assert _codes(SERVED_TWICE.format(second="pass")) == []
    assert _codes(SERVED_TWICE.format(second='await serve(handler, "", 8002)')) == [(4, "COR402")]


HELPERS = '''
async def current_member(websocket):
    return websocket.cookies.get("member")
'''

ENDPOINT = '''
from fastapi import Depends, FastAPI, WebSocket
from .auth import current_member

app = FastAPI()

@app.websocket("/ws")
async def feed(websocket: WebSocket, member=Depends(current_member)):
    await websocket.accept()
'''


def test_dependency_from_another_module_in_standalone_mode(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "auth.py").write_text(HELPERS)
    app = pkg / "app.py"
    app.write_text(ENDPOINT)
    # flake8 sees one file: the dependency's body is unknown, nothing is reported
    assert _codes(ENDPOINT, str(app)) == []
    assert _codes(ENDPOINT, str(app), EngineOptions(project=Project(tmp_path))) == [(8, "COR402")]


GUARDS = '''
ALLOWED = {"https://app.example.com"}

async def same_site_member(websocket):
    if websocket.headers.get("origin") not in ALLOWED:
        raise PermissionError("cross-site")
    return websocket.cookies.get("member")
'''


def test_origin_check_in_a_dependency_from_another_module(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "auth.py").write_text(GUARDS)
    source = ENDPOINT.replace("current_member", "same_site_member")
    app = pkg / "app.py"
    app.write_text(source)
    assert _codes(source, str(app), EngineOptions(project=Project(tmp_path))) == []


def test_origin_check_in_a_registered_middleware_class() -> None:
    source = '''
from fastapi import FastAPI, WebSocket

ALLOWED = {"https://app.example.com"}

class OriginGuard:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            origin = dict(scope["headers"]).get(b"origin", b"").decode()
            if origin not in ALLOWED:
                await send({"type": "websocket.close", "code": 1008})
                return
        await self.app(scope, receive, send)

app = FastAPI()
{registration}

@app.websocket("/ws")
async def feed(websocket: WebSocket):
    user_id = websocket.session["user_id"]
    await websocket.accept()
'''
    assert _codes(source.replace("{registration}", "app.add_middleware(OriginGuard)")) == []
    assert _codes(source.replace("{registration}", "")) == [(22, "COR402")]


SOCK_VIEWS = '''
from flask import session

from .extensions import sock


@sock.route("/ws/notifications")
def notifications(ws):
    ws.send(str(session.get("user_id")))
'''


def test_sock_created_in_another_module_in_standalone_mode(tmp_path: Path) -> None:
    """An app factory creates ``Sock()`` in ``extensions.py``; the views
    import it.  Standalone mode follows the import; flake8, which sees one
    file, cannot tell a Flask-Sock route from an HTTP one."""
    pkg = tmp_path / "dash"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "extensions.py").write_text("from flask_sock import Sock\n\nsock = Sock()\n")
    views = pkg / "live.py"
    views.write_text(SOCK_VIEWS)
    assert _codes(SOCK_VIEWS, str(views), EngineOptions(project=Project(tmp_path))) == [(8, "COR402")]
    assert _codes(SOCK_VIEWS, str(views)) == []
    (pkg / "extensions.py").write_text("from flask import Blueprint\n\nsock = Blueprint('live', __name__)\n")
    assert _codes(SOCK_VIEWS, str(views), EngineOptions(project=Project(tmp_path))) == []  # a Blueprint route is HTTP


def test_a_denylist_check_names_the_branch_that_lets_origins_through() -> None:
    """A same-site test followed by a setting that may say "*": the weak
    check is reported where the origin is tested, and the message names the
    branch that accepts what it rejects (sockjs-tornado's check_origin)."""
    source = (
        "import tornado.websocket\n\n\n"
        "class Feed(tornado.websocket.WebSocketHandler):\n"
        "    def check_origin(self, origin):\n"
        "        if super().check_origin(origin):\n"
        "            return True\n"
        "        mode = self.settings.get('cross_site')\n"
        "        if mode == 'any':\n"
        "            return True\n"
        "        return False\n"
    )
    (finding,) = [f for f in lint_source(source, "feed.py").findings if f.code == "COR102"]
    assert finding.line == 6
    assert finding.message.endswith("every origin it rejects is accepted on line 10 when `mode == 'any'`")
