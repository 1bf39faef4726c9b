"""Pages of the incidents area, included by haidang.apps.web.urls into the `web` namespace."""

from django.urls import URLPattern, path, re_path

from haidang.apps.web.views import incidents

urlpatterns: list[URLPattern] = [
    path("", incidents.incident_list_view, name="incident_list"),
    path("new/", incidents.incident_create, name="incident_create"),
    path("<int:incident_id>/", incidents.incident_detail, name="incident_detail"),
    path("<int:incident_id>/edit/", incidents.incident_edit, name="incident_edit"),
    path("<int:incident_id>/status/", incidents.incident_status, name="incident_status"),
    path("<int:incident_id>/assign/", incidents.incident_assign, name="incident_assign"),
    path("<int:incident_id>/beyond-capacity/", incidents.incident_beyond_capacity, name="incident_beyond_capacity"),
    path("<int:incident_id>/escalate/", incidents.incident_escalate, name="incident_escalate"),
    path("<int:incident_id>/notes/", incidents.incident_note, name="incident_note"),
    path("<int:incident_id>/tasks/", incidents.incident_task_add, name="incident_task_add"),
    path("<int:incident_id>/tasks/<int:task_id>/done/", incidents.incident_task_done, name="incident_task_done"),
    path("<int:incident_id>/attachments/", incidents.incident_attachment_add, name="incident_attachment_add"),
    path(
        "<int:incident_id>/attachments/<int:attachment_id>/",
        incidents.incident_attachment_download,
        name="incident_attachment",
    ),
    path("<int:incident_id>/indicators/", incidents.incident_indicator_add, name="incident_indicator_add"),
    path(
        "<int:incident_id>/deadlines/<slug:rule_id>/sent/",
        incidents.incident_deadline_sent,
        name="incident_deadline_sent",
    ),
    re_path(
        r"^(?P<incident_id>[0-9]+)/report/(?P<kind>initial|final)\.(?P<fmt>docx|pdf)$",
        incidents.incident_report,
        name="incident_report",
    ),
]
