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
        "origin = request.META.get('HTTP_ORIGIN')\nif origin != SITE:\n    return HttpResponseForbidden()",
        "if request.META.get('HTTP_ORIGIN') not in OK: return JsonResponse({}, status=status.HTTP_403_FORBIDDEN)",
        "if request.origin != SITE: abort(HTTPStatus.FORBIDDEN)",
        "if request.origin != SITE:\n    abort(  # cross-site\n        400)",
        "if request.headers.get('origin') != SITE:\n    return JSONResponse({}, status_code = 403)",
        "if request.headers['Origin'] != SITE:\n    return {'error': 'origin'}, 0x193",
        "if not request.headers['origin'].endswith(SITE):\n    return 'cross-site request', 4_03",
        "if 'example.com' not in request.META['HTTP_REFERER']: raise PermissionDenied",
        "ref = request.headers.get('referer', '')\nif SITE not in ref: raise CSRFError('bad referer')",
        "if not request.referrer.startswith(SITE): abort(400)",
        # Sanic config loaders: the loaded class lives in another module
        "app = Sanic('league')\napp.update_config(select_config())",
        "from sanic import Sanic\napp.config.load(ProductionConfig)",
        # COR402: every way to declare a WebSocket endpoint
        '@app.websocket("/ws")\nasync def feed(ws):\n    user = ws.session["uid"]',
        '@router.websocket_route("/ws")',
        "class Feed(WebSocketEndpoint): pass",
        "ws = web.WebSocketResponse()",
        "from flask_sock import Sock\nsock = Sock(app)\n@sock.route('/ws')\ndef feed(ws): return session['uid']",
        "from litestar import websocket\n@websocket('/ws')\nasync def feed(socket): ...",
        "async with websockets.serve(handler, 'localhost', 8765): pass",
        "import websockets\nserver = websockets.unix_serve  (handler, path)",
        "import websockets\nasync with websockets.serve(  # the app\n    handler, port=8765): pass",
        "from websockets.asyncio.server import (\n    broadcast,\n    serve,\n)",
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
        # the Origin or Referer read without any rejection: no CSRF check (COR107)
        "origin = request.META.get('HTTP_ORIGIN')",
        "ref = request.headers.get('referer', '')\nreturn redirect(ref or '/', code=302)",
        "log.info('origin %s', request.headers.get('Origin'))\nreturn Response(status=204)",
        # a 4xx number that is no status given to anything
        "PORTS = {'origin': [443, 8443]}\nif request.headers['origin'] in ORIGINS: seen[443] += 1",
        "chart = alt.Chart(data).encode(color='origin').properties(width=400, height=400)",
        # a rejecting name only inside a longer identifier (origin_gates wants it whole)
        "meta = cls.__pydantic_generic_metadata__.get('origin')\nraise PydanticForbiddenQualifier(q)",
        "if request.headers.get('origin'):\n    forbidden_hosts.add(host)",
        # a rejection without the Origin or Referer
        "if request.headers.get('X-Token') != TOKEN: abort(403)",
        # websockets without a server being started (a client; docs that say "serve")
        "import websockets\n# clients connect to the servers we serve\nasync with websockets.connect(uri): pass",
        "import websockets\nobserve(websockets.connect(uri))",
        # config reads and other objects' load(): no Sanic config loader
        "settings = config.get('app')\ndata = json.load(fh)",
    ],
)
def test_ordinary_code_is_skipped(text):
    assert not may_matter(text)


def test_every_rejection_origin_gates_knows_is_a_marker():
    """COR107 files pass only with a rejection marker; every name the
    extractor accepts as a rejection must be one."""
    from cors_lint.facts import origin_gates

    names = set(origin_gates.REJECTING_NAMES) | set(origin_gates.CLIENT_ERROR_NAMES) | {"HTTP_400_BAD_REQUEST"}
    for name in sorted(names):
        assert may_matter(f"if request.headers['Origin'] != SITE:\n    raise {name}"), name
        assert not may_matter(f"if request.headers['X-Token'] != SITE:\n    raise {name}"), name


def test_markers_after_many_look_alikes():
    """The pre-filter judges a word by what stands around each occurrence,
    and past a number of occurrences by one scan per marker: both ways see
    a marker that comes after many look-alikes, and neither takes the
    look-alikes for one."""
    from cors_lint.prefilter import ANY, GATES_ONLY, verdict

    for count in (3, 200):
        noise = "original = origins(x)\nreference = preferred\naccess_log(x)\n" * count
        assert verdict(noise + "abort(403)\n") is None
        assert verdict(noise + "def check_origin(self, o): return True\n") == ANY
        assert verdict(noise + "h['Access-Control-Allow-Origin'] = o\n") == ANY
        assert verdict(noise + "if request.origin != SITE: abort(403)\n") == GATES_ONLY
        assert verdict(noise + "if SITE not in request.META['HTTP_REFERER']: abort(403)\n") == GATES_ONLY
