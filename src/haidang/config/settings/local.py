"""The embedded default: SQLite (WAL) and files under HAIDANG_DATA_DIR, served on 127.0.0.1."""

from haidang.config.settings.base import *
