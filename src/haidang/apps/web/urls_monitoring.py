"""Pages of website monitoring, included by haidang.apps.web.urls into the `web` namespace."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
