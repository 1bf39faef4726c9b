"""Staff pages that manage what the public portal publishes, in the ``web`` namespace."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
