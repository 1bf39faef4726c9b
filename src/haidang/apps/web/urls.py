from django.urls import URLPattern, URLResolver, include, path, re_path

from haidang.apps.web.views import account, assets, audit, auth, dashboard, transfer, two_factor, unit_admin, units

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("account/", account.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", account.token_revoke_view, name="token_revoke"),
    path("account/2fa/", two_factor.two_factor, name="two_factor"),
    path("account/2fa/disable/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("units/", units.unit_list_view, name="unit_list"),
    path("units/new/", unit_admin.unit_create, name="unit_create"),
    path("units/import/", transfer.unit_import, name="unit_import"),
    re_path(r"^units/import/template\.(?P<fmt>csv|xlsx)$", transfer.unit_import_template, name="unit_import_template"),
    re_path(r"^units/export\.(?P<fmt>csv|xlsx)$", transfer.unit_export, name="unit_export"),
    path("units/<int:unit_id>/", units.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", unit_admin.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/merge/", unit_admin.unit_merge, name="unit_merge"),
    path("units/<int:unit_id>/dissolve/", unit_admin.unit_dissolve, name="unit_dissolve"),
    path("units/<int:unit_id>/add/<slug:kind>/", assets.asset_add, name="asset_add"),
    path("units/<int:unit_id>/systems/<int:system_id>/edit/", assets.system_edit, name="system_edit"),
    path("units/<int:unit_id>/<slug:kind>/<int:asset_id>/delete/", assets.asset_delete, name="asset_delete"),
    path("audit/", audit.audit_list_view, name="audit_list"),
    path("duty/", include("haidang.apps.web.urls_duty")),
    path("incidents/", include("haidang.apps.web.urls_incidents")),
    path("notifications/", include("haidang.apps.web.urls_notify")),
    path("public-notices/", include("haidang.apps.web.urls_portal")),
    path("monitoring/", include("haidang.apps.web.urls_monitoring")),
    path("directives/", include("haidang.apps.web.urls_directives")),
    path("warnings/", include("haidang.apps.web.urls_warnings")),
    path("advisories/", include("haidang.apps.web.urls_advisories")),
]
