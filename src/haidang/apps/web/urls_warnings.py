"""Pages of the vulnerability warnings, included by haidang.apps.web.urls into the `web` namespace.

The department's pages (list, composing, sending, follow-up, documents) are in views.warnings; a
unit's page (receipt, report per system, evidence, re-scan) is in views.warning_receipts. The
notifications of the advisories' warning services link to these names.
"""

from django.urls import URLPattern, path, re_path

from haidang.apps.web.views import warning_receipts, warnings

urlpatterns: list[URLPattern] = [
    path("", warnings.warning_list_view, name="warning_list"),
    path("new/", warnings.warning_new, name="warning_new"),
    path("<int:warning_id>/", warnings.warning_detail, name="warning_detail"),
    path("<int:warning_id>/edit/", warnings.warning_edit, name="warning_edit"),
    path("<int:warning_id>/delete/", warnings.warning_delete_view, name="warning_delete"),
    path("<int:warning_id>/send/", warnings.warning_send_view, name="warning_send"),
    path("<int:warning_id>/close/", warnings.warning_close_view, name="warning_close"),
    re_path(
        r"^(?P<warning_id>[0-9]+)/document\.(?P<fmt>docx|pdf)$", warnings.warning_document, name="warning_document"
    ),
    path("receipts/<int:recipient_id>/", warning_receipts.recipient_detail, name="warning_recipient"),
    path(
        "receipts/<int:recipient_id>/acknowledge/",
        warning_receipts.recipient_acknowledge_view,
        name="warning_acknowledge",
    ),
    path("systems/<int:system_id>/report/", warning_receipts.system_report_view, name="warning_system_report"),
    path("systems/<int:system_id>/evidence/", warning_receipts.evidence_add_view, name="warning_evidence_add"),
    path("systems/<int:system_id>/rescan/", warning_receipts.rescan_view, name="warning_rescan"),
    path("evidence/<int:evidence_id>/", warning_receipts.evidence_download, name="warning_evidence"),
    path("evidence/<int:evidence_id>/delete/", warning_receipts.evidence_delete_view, name="warning_evidence_delete"),
]
