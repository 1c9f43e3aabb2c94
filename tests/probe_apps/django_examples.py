"""examples/django_settings.py made runnable: its CORS settings plus the
shared base (secret key, hosts, URLs)."""

from django_base import *  # noqa: F401,F403
from examples.django_settings import *  # noqa: F401,F403
