"""Settings for the test suite: fast hashing, eager tasks, an isolated data directory."""

import os
import tempfile

# Before base reads it: every test run gets its own directory for SQLite, secret key and cache.
os.environ.setdefault("HAIDANG_DATA_DIR", tempfile.mkdtemp(prefix="haidang-test-"))

from haidang.config.settings.base import *
from haidang.config.settings.base import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test speed only
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
