"""Composition root: settings, URLs, the Celery app. Importing it makes ``shared_task`` bind to our app."""

from haidang.config.celery import app as celery_app

__all__ = ["celery_app"]
