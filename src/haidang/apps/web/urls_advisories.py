"""Pages of the vulnerability records (NVD, CISA KEV), included by haidang.apps.web.urls into the `web` namespace."""

from django.urls import URLPattern, path, re_path

from haidang.apps.web.views import advisories, inventory

urlpatterns: list[URLPattern] = [
    path("", advisories.advisory_list, name="advisory_list"),
    path("import/", advisories.advisory_import, name="advisory_import"),
    path("refresh/", advisories.advisory_refresh, name="advisory_refresh"),
    path("affected/", advisories.exposure_list_view, name="exposure_list"),
    path("review/", advisories.match_review, name="match_review"),
    path("inventory/", inventory.inventory_view, name="inventory"),
    path("inventory/import/", inventory.inventory_import, name="inventory_import"),
    path("inventory/template.csv", inventory.inventory_template, name="inventory_template"),
    re_path(r"^(?P<cve_id>[Cc][Vv][Ee]-[0-9]{4}-[0-9]{4,})/$", advisories.advisory_detail, name="advisory_detail"),
]
