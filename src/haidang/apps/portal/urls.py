"""The public portal (no sign-in), mounted at /portal/ in the ``portal`` namespace."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "portal"
urlpatterns: list[URLPattern] = []
