"""The safe twin of django_vuln.py: exact https origins, an anchored regex."""

from django_base import *  # noqa: F401,F403

INSTALLED_APPS = ["django.contrib.contenttypes", "corsheaders"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]

CORS_ALLOWED_ORIGINS = ["https://app.example.com", "https://admin.example.com"]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\w+\.example\.com$"]
CORS_ALLOW_CREDENTIALS = True
# CORS only on the API (re.match on the path); the probe goes where it applies
CORS_URLS_REGEX = r"^/api/account/"
