"""Production: HTTPS only, strict cookies, a secret key that must come from the environment."""

from haidang.config.env import ConfigurationError, env_bool, env_int, env_str
from haidang.config.settings.base import *

if not env_str("HAIDANG_SECRET_KEY"):
    raise ConfigurationError("HAIDANG_SECRET_KEY (or HAIDANG_SECRET_KEY_FILE) is required in production")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("HAIDANG_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("HAIDANG_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"

# `haidang web` runs collectstatic, which pre-compresses every file once per release.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
WHITENOISE_USE_FINDERS = False
