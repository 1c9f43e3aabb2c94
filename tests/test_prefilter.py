"""The pre-filter must be sound for every kind of marker it claims, and skip
ordinary code (including the word "original")."""

import pytest

from cors_lint.prefilter import may_matter


@pytest.mark.parametrize(
    "text",
    [
        'resp.headers["Access-Control-Allow-Origin"] = o',
        "resp.access_control_allow_origin = o",
        "r.headers[hdrs.ACCESS_CONTROL_ALLOW_ORIGIN] = o",
        "from flask_cors import CORS",
        "CORS_ALLOWED_ORIGINS = []",
        "app.add_middleware(CORSMiddleware)",
        "from corsheaders.defaults import default_headers",
        "Litestar(cors_config=CORSConfig())",
        "ALLOW_CORS(app, ['*'])",
        "sio = socketio.Server(cors_allowed_origins='*')",
        "def check_origin(self, origin): return True",
        "application = OriginValidator(app, ['*'])",
        "application = ProtocolTypeRouter({'websocket': app})",
        "from flask_cors.core import ACL_ORIGIN",
        b"(b'access-control-allow-origin', b'*')",
        # CSRF origin checks (COR107): no CORS header involved
        'if not request.headers["Origin"].startswith(SITE): abort(403)',
        "origin = request.META.get('HTTP_ORIGIN')",
        "if 'example.com' not in request.META['HTTP_REFERER']: raise PermissionDenied",
        "ref = request.headers.get('referer', '')",
        "if not request.referrer.startswith(SITE): abort(400)",
        # COR402: every way to declare a WebSocket endpoint
        '@app.websocket("/ws")\nasync def feed(ws):\n    user = ws.session["uid"]',
        '@router.websocket_route("/ws")',
        "class Feed(WebSocketEndpoint): pass",
        "ws = web.WebSocketResponse()",
        "from flask_sock import Sock\nsock = Sock(app)\n@sock.route('/ws')\ndef feed(ws): return session['uid']",
        "from litestar import websocket\n@websocket('/ws')\nasync def feed(socket): ...",
        "async with websockets.serve(handler, 'localhost', 8765): pass",
        "@app.websocket ('/ws')",
        "app.add_api_websocket_route('/ws', feed)",
        "@websocket_listener('/ws')",
        "from websockets.asyncio.server import serve as ws_serve",
        "from litestar import websocket as ws_route",
        # a settings module built on a base one, rewriting the middleware stack
        "from .base import *\nMIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n",
        "from .base import *  # noqa\nMIDDLEWARE.remove('x')\n",
        "from .base import INSTALLED_APPS, MIDDLEWARE\nMIDDLEWARE = [*MIDDLEWARE, 'x']\n",
        "from .base import (\n    INSTALLED_APPS,\n    MIDDLEWARE,\n)\nMIDDLEWARE.insert(0, 'x')\n",
    ],
)
def test_markers_pass(text):
    assert may_matter(text)


@pytest.mark.parametrize(
    "text",
    [
        "original = request.headers.get('X-Original-Url')",  # "original" is no marker
        "origin = geo.lookup(ip).origin_country",
        "import os\nprint('hello')\n",
        "s3.put_bucket_acl(ACL_PRIVATE)",
        "from flask import session\nsession['uid'] = user.id\n",  # a session alone is no WebSocket endpoint
        "async with websockets.connect(uri) as websocket:\n    await websocket.send('hi')\n",  # a client
        "class WebSocketProtocol:\n    \"\"\"Frames of the websocket protocol.\"\"\"\n",
        "AIRPORTS = {'AJA': 'Ajaccio, Corsica', 'XYZ': 'corsair corset corsage'}",
        b"\x00\x01binary",
        "MIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n",  # no CORS in sight, no chain
        "from .base import *\nDEBUG = False\n",
        "from app import middleware\nurlpatterns = []\n",
    ],
)
def test_ordinary_code_is_skipped(text):
    assert not may_matter(text)
