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
        "original = request.headers.get('Origin')",  # reading Origin alone sets no CORS header
        "import os\nprint('hello')\n",
        "s3.put_bucket_acl(ACL_PRIVATE)",
        "AIRPORTS = {'AJA': 'Ajaccio, Corsica', 'XYZ': 'corsair corset corsage'}",
        b"\x00\x01binary",
        "MIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n",  # no CORS in sight, no chain
        "from .base import *\nDEBUG = False\n",
        "from app import middleware\nurlpatterns = []\n",
    ],
)
def test_ordinary_code_is_skipped(text):
    assert not may_matter(text)
