"""Staff pages that manage what the public portal publishes, in the ``web`` namespace."""

from django.urls import URLPattern, path

from haidang.apps.web.views import portal_admin

urlpatterns: list[URLPattern] = [
    path("", portal_admin.notice_list_view, name="notice_list"),
    path("new/", portal_admin.notice_create, name="notice_create"),
    path("<int:notice_id>/edit/", portal_admin.notice_edit, name="notice_edit"),
    path("<int:notice_id>/publish/", portal_admin.notice_publish, name="notice_publish"),
]
