"""A directive at city scale, each measured against a plain baseline in the same run.

The letter's template dispatched to all 88 seeded units (8 items each), half of the units having
reported every item. Measured:

* ``directive_dispatch`` to all 88 units (704 task rows, 88 notifications, the automatic checks)
  against inserting the same rows with two plain ``bulk_create`` calls;
* the status matrix (``status_matrix``: tenancy, states, progress per group) against one plain query of
  the report rows;
* the matrix page as the department sees it, and the API's ``/status`` JSON;
* the leadership's follow-up report as DOCX and the matrix as XLSX.

Run: make benchmark   (or: .venv/bin/pytest benchmarks/test_directives.py --benchmark-only)
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haidang.apps.accounts.models import Role, User
from haidang.apps.directives import reports, services
from haidang.apps.directives.models import Directive, ItemReport, Recipient, ReportStatus
from haidang.apps.directives.selectors import status_matrix
from haidang.apps.registry.models import Unit

pytestmark = pytest.mark.django_db
TEMPLATE = "tang-cuong-attt-quoc-khanh"


def _draft(admin: User) -> Directive:
    return services.directive_from_template(actor=admin, template_key=TEMPLATE, issued_on=date(2026, 8, 29))


@pytest.fixture
def directive(city: dict[str, Any]) -> dict[str, Any]:
    admin = city["admin"]
    User.objects.bulk_create(
        User(email=f"o{unit.id}@bench.vn", role=Role.UNIT, unit=unit, password="!")  # noqa: S106 - unusable
        for unit in Unit.objects.all()
    )
    draft = _draft(admin)
    services.directive_dispatch(actor=admin, directive=draft, kinds=["unit"])
    half = Recipient.objects.filter(directive=draft).order_by("id").values_list("id", flat=True)[:44]
    ItemReport.objects.filter(recipient_id__in=list(half)).update(
        status=ReportStatus.DONE, review="submitted", reported_at=timezone.now()
    )
    duty = User.objects.create_user("duty@bench.vn", "x", role=Role.DUTY)  # no second factor, unlike admin
    return {**city, "directive": draft, "duty": duty}


def test_dispatch_to_all_units(benchmark: Any, city: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    admin = city["admin"]
    User.objects.bulk_create(
        User(email=f"o{unit.id}@bench.vn", role=Role.UNIT, unit=unit, password="!")  # noqa: S106 - unusable
        for unit in Unit.objects.all()
    )

    def dispatch() -> int:
        draft = _draft(admin)
        # The after-commit work counts too: 88 notifications and the automatic checks of 176 reports.
        with django_capture_on_commit_callbacks(execute=True):
            created = services.directive_dispatch(actor=admin, directive=draft, kinds=["unit"])
        return len(created)

    assert benchmark.pedantic(dispatch, rounds=5, iterations=1) == 88


def test_dispatch_plain_bulk_insert_baseline(benchmark: Any, city: dict[str, Any]) -> None:
    """The same 88 receipts and 704 task rows with two bulk inserts: no checks, events, audit or notifications."""
    admin = city["admin"]

    def insert() -> int:
        draft = _draft(admin)
        items = [item for item in draft.items.all() if item.applies("unit")]
        now = timezone.now()
        recipients = Recipient.objects.bulk_create(
            Recipient(directive=draft, kind="unit", unit=unit, dispatched_at=now) for unit in Unit.objects.all()
        )
        ItemReport.objects.bulk_create(
            [ItemReport(recipient=recipient, item=item) for recipient in recipients for item in items], batch_size=500
        )
        return len(recipients)

    assert benchmark.pedantic(insert, rounds=5, iterations=1) == 88


def test_status_matrix(benchmark: Any, directive: dict[str, Any]) -> None:
    matrix = benchmark(lambda: status_matrix(visible_to=directive["admin"], directive=directive["directive"]))
    assert len(matrix.rows) == 88
    assert matrix.complied == 44


def test_status_matrix_plain_query_baseline(benchmark: Any, directive: dict[str, Any]) -> None:
    rows = benchmark(
        lambda: list(
            ItemReport.objects.filter(recipient__directive=directive["directive"]).values_list(
                "recipient__unit__name", "item__code", "status"
            )
        )
    )
    assert len(rows) == 88 * 8


def test_matrix_page(benchmark: Any, directive: dict[str, Any]) -> None:
    client = Client()
    client.force_login(directive["duty"])
    response = benchmark(lambda: client.get(f"/directives/{directive['directive'].id}/matrix/"))
    assert response.status_code == 200
    assert response.content.count(b'class="dir-cell dir-cell-') == 88 * 12  # 8 items apply, 4 are empty cells


def test_api_status_json(benchmark: Any, directive: dict[str, Any]) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {directive['admin_token']}"}
    response = benchmark(lambda: client.get(f"/api/v1/directives/{directive['directive'].id}/status", headers=headers))
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 88


def test_followup_report_docx(benchmark: Any, directive: dict[str, Any]) -> None:
    response = benchmark(
        lambda: reports.followup_response(directive=directive["directive"], visible_to=directive["admin"], fmt="docx")
    )
    assert response.content.startswith(b"PK")


def test_matrix_xlsx(benchmark: Any, directive: dict[str, Any]) -> None:
    matrix = status_matrix(visible_to=directive["admin"], directive=directive["directive"])
    assert benchmark(lambda: reports.matrix_xlsx(matrix)).startswith(b"PK")
