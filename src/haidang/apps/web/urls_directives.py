"""Pages of the directives area, included by haidang.apps.web.urls into the `web` namespace.

The department's pages (list, drafting, dispatch, matrix, documents) are in views.directives; the
recipient's task list, evidence and the department's review are in views.directive_reports.
"""

from django.urls import URLPattern, path, re_path

from haidang.apps.web.views import directive_reports, directives

urlpatterns: list[URLPattern] = [
    path("", directives.directive_list_view, name="directive_list"),
    path("new/", directives.directive_new, name="directive_new"),
    path("<int:directive_id>/", directives.directive_detail, name="directive_detail"),
    path("<int:directive_id>/edit/", directives.directive_edit, name="directive_edit"),
    path("<int:directive_id>/delete/", directives.directive_delete_view, name="directive_delete"),
    path("<int:directive_id>/items/new/", directives.item_edit, name="directive_item_new"),
    path("<int:directive_id>/items/<int:item_id>/edit/", directives.item_edit, name="directive_item_edit"),
    path("<int:directive_id>/items/<int:item_id>/delete/", directives.item_delete_view, name="directive_item_delete"),
    path("<int:directive_id>/dispatch/", directives.directive_dispatch_view, name="directive_dispatch"),
    path("<int:directive_id>/close/", directives.directive_close_view, name="directive_close"),
    path("<int:directive_id>/matrix/", directives.directive_matrix, name="directive_matrix"),
    re_path(
        r"^(?P<directive_id>[0-9]+)/report\.(?P<fmt>docx|pdf)$", directives.directive_report, name="directive_report"
    ),
    path("<int:directive_id>/matrix.xlsx", directives.directive_matrix_xlsx, name="directive_matrix_xlsx"),
    path("receipts/<int:recipient_id>/", directive_reports.recipient_detail, name="directive_recipient"),
    path(
        "receipts/<int:recipient_id>/acknowledge/",
        directive_reports.recipient_acknowledge_view,
        name="directive_acknowledge",
    ),
    path("reports/<int:report_id>/", directive_reports.report_update_view, name="directive_report_update"),
    path("reports/<int:report_id>/evidence/", directive_reports.evidence_add_view, name="directive_evidence_add"),
    path("reports/<int:report_id>/review/", directive_reports.report_review_view, name="directive_review"),
    path("evidence/<int:evidence_id>/", directive_reports.evidence_download, name="directive_evidence"),
    path(
        "evidence/<int:evidence_id>/delete/", directive_reports.evidence_delete_view, name="directive_evidence_delete"
    ),
]
