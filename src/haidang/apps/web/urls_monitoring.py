"""Pages of website monitoring, included by haidang.apps.web.urls into the `web` namespace."""

from django.urls import URLPattern, path, re_path

from haidang.apps.web.views import monitoring

urlpatterns: list[URLPattern] = [
    path("", monitoring.overview, name="monitoring_overview"),
    path("units/<int:unit_id>/", monitoring.unit_page, name="monitoring_unit"),
    path("websites/<int:website_id>/", monitoring.website_page, name="monitoring_website"),
    path("websites/<int:website_id>/scan/", monitoring.scan_now, name="monitoring_scan_now"),
    path("websites/<int:website_id>/settings/", monitoring.watch_settings, name="monitoring_watch"),
    path("findings/", monitoring.finding_list_view, name="monitoring_findings"),
    path("findings/<int:finding_id>/", monitoring.finding_page, name="monitoring_finding"),
    re_path(
        r"^findings/(?P<finding_id>[0-9]+)/(?P<action>acknowledge|assign|legitimate|false_positive)/$",
        monitoring.finding_action,
        name="monitoring_finding_action",
    ),
    path("periods/", monitoring.periods, name="monitoring_periods"),
    path("periods/<int:period_id>/delete/", monitoring.period_delete, name="monitoring_period_delete"),
]
