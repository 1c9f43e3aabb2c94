"""Django settings using django-cors-headers.

``CORS_ALLOW_ALL_ORIGINS`` with ``CORS_ALLOW_CREDENTIALS`` lets every site make
credentialed requests; ``"null"`` in the allowlist admits sandboxed iframes.
"""

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "corsheaders",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
]

CORS_ALLOW_ALL_ORIGINS = True  # dangerous with credentials
CORS_ALLOW_CREDENTIALS = True

CORS_ALLOWED_ORIGINS = [
    "https://app.example.com",  # safe: exact origin
    "null",  # dangerous: any sandboxed iframe sends Origin: null
]

# Dangerous: not anchored at the end, so https://api.example.com.attacker.net matches.
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\w+\.example\.com"]
