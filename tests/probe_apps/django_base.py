"""Settings every Django probe app shares (no CORS configuration here)."""

SECRET_KEY = "probe-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "django_urls"
USE_TZ = True
