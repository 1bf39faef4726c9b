"""The public portal (no sign-in), mounted at /portal/ in the ``portal`` namespace."""

from django.urls import URLPattern, path

from haidang.apps.portal import views

app_name = "portal"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/received/", views.receipt, name="receipt"),
    path("status/", views.status, name="status"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
]
