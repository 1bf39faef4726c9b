"""Pages of the duty area, included by haidang.apps.web.urls into the `web` namespace."""

from django.urls import URLPattern, path, re_path

from haidang.apps.web.views import duty

urlpatterns: list[URLPattern] = [
    path("", duty.duty_board, name="duty_board"),
    path("periods/", duty.period_list, name="period_list"),
    path("periods/new/", duty.period_create, name="period_create"),
    path("periods/<int:period_id>/", duty.period_detail, name="period_detail"),
    path("periods/<int:period_id>/edit/", duty.period_edit, name="period_edit"),
    path("periods/<int:period_id>/rosters/open/", duty.roster_start, name="roster_start"),
    path("rosters/<int:roster_id>/", duty.roster_detail, name="roster_detail"),
    path("rosters/<int:roster_id>/submit/", duty.roster_submit, name="roster_submit"),
    path("rosters/<int:roster_id>/import/", duty.roster_import, name="roster_import"),
    path("rosters/<int:roster_id>/calendar.ics", duty.roster_ical, name="roster_ical"),
    path("rosters/<int:roster_id>/shifts/new/", duty.shift_add, name="shift_add"),
    path("rosters/<int:roster_id>/shifts/<int:shift_id>/edit/", duty.shift_edit, name="shift_edit"),
    path("rosters/<int:roster_id>/shifts/<int:shift_id>/delete/", duty.shift_delete, name="shift_delete"),
    path("rosters/<int:roster_id>/shifts/<int:shift_id>/handover/", duty.handover_add, name="handover_add"),
    re_path(r"^import/template\.(?P<fmt>csv|xlsx)$", duty.roster_import_template, name="roster_import_template"),
    path("my-shifts.ics", duty.my_shifts_ical, name="my_shifts_ical"),
]
