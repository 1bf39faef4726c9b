"""The department's directive pages: list, drafting, dispatch, the matrix; who may see and change what."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from haidang.apps.directives import services
from haidang.apps.directives.models import Directive, DirectiveItem, DirectiveStatus, Recipient
from haidang.apps.registry.models import Unit
from tests.apps.directives.conftest import TEMPLATE, dispatched, draft  # noqa: F401 — fixtures
from tests.apps.web.conftest import Login
from tests.personas import World

CITY_WIDE = ("admin", "duty", "viewer")
OFFICERS = ("officer_a", "officer_b", "telecom_officer", "provider_officer")


def _url(name: str, directive: Directive, *args: object) -> str:
    return reverse(f"web:{name}", args=[directive.id, *args])


@pytest.fixture
def only_a(world: World, draft: Directive) -> Directive:  # noqa: F811 — the fixture above
    """A second directive dispatched to unit A alone."""
    directive = services.directive_create(
        actor=world.admin,
        data=services.DirectiveFields(
            subject="Rà soát riêng Sở Tư pháp",
            issued_on=date(2026, 9, 1),
            effective_from=date(2026, 9, 1),
            effective_until=date(2026, 9, 7),
            report_due_at=draft.report_due_at,
        ),
        items=[services.ItemFields(code="1", text="Rà soát máy chủ")],
    )
    services.directive_dispatch(actor=world.admin, directive=directive, unit_ids=[world.unit_a.id])
    return directive


# --- every page renders for the department ------------------------------------------------------


def test_it_renders_every_page_for_the_department(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
) -> None:
    client = login(world.admin)
    item = draft.items.order_by("order").first()
    assert item is not None
    pages = [
        reverse("web:directive_list"),
        reverse("web:directive_new"),
        reverse("web:directive_new") + "?mode=scratch",
        _url("directive_detail", draft),
        _url("directive_edit", draft),
        _url("directive_item_new", draft),
        _url("directive_item_edit", draft, item.id),
        _url("directive_item_delete", draft, item.id),
        _url("directive_delete", draft),
        _url("directive_dispatch", draft),
        _url("directive_matrix", draft),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    body = client.get(_url("directive_detail", draft)).content.decode()
    assert "Gửi tới nơi nhận" in body
    assert "Xoá bản nháp" in body
    assert "1a" in body


def test_it_shows_a_dispatched_directive_with_its_recipients_and_downloads(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
) -> None:
    response = login(world.duty).get(_url("directive_detail", dispatched))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Sở Tư pháp", "Sở Y tế", "Viễn thông Thành phố", "Công ty An ninh mạng"):
        assert name in body
    assert _url("directive_matrix", dispatched) in body
    assert reverse("web:directive_report", args=[dispatched.id, "docx"]) in body
    assert reverse("web:directive_report", args=[dispatched.id, "pdf"]) in body
    assert _url("directive_matrix_xlsx", dispatched) in body
    recipient = dispatched.recipients.get(unit=world.unit_a)
    assert reverse("web:directive_recipient", args=[recipient.id]) in body
    assert "Gửi thêm" in body
    assert "Xoá bản nháp" not in body


def test_it_lists_directives_with_progress_for_the_department(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
) -> None:
    response = login(world.admin).get(reverse("web:directive_list"))
    body = response.content.decode()
    assert "Tạo văn bản từ mẫu" in body
    assert "Soạn mới" in body
    (row,) = response.context["rows"]
    assert (row.recipients, row.acknowledged) == (4, 0)


def test_it_searches_and_filters_the_list(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
    only_a: Directive,
) -> None:
    client = login(world.admin)
    found = client.get(reverse("web:directive_list"), {"q": "riêng Sở Tư pháp"}).context["rows"]
    assert [row.directive.id for row in found] == [only_a.id]
    closed = client.get(reverse("web:directive_list"), {"status": "closed"})
    assert closed.context["rows"] == []
    assert "Không có văn bản nào phù hợp" in closed.content.decode()


# --- tenancy ------------------------------------------------------------------------------------


def test_it_shows_a_unit_officer_only_what_their_unit_received(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
    only_a: Directive,
) -> None:
    response = login(world.officer_b).get(reverse("web:directive_list"))
    assert response.context["rows"] == []
    assert "Chưa có văn bản chỉ đạo nào gửi tới bạn" in response.content.decode()
    client = login(world.officer_b)
    assert client.get(_url("directive_detail", only_a)).status_code == 404
    assert client.get(_url("directive_detail", draft)).status_code == 404
    assert client.get(_url("directive_matrix", only_a)).status_code == 404


def test_it_links_a_unit_officer_to_their_own_receipt(
    login: Login,
    world: World,
    only_a: Directive,
) -> None:
    client = login(world.officer_a)
    response = client.get(reverse("web:directive_list"))
    body = response.content.decode()
    receipt = only_a.recipients.get(unit=world.unit_a)
    (row,) = response.context["rows"]
    assert row.own == receipt
    assert (row.own_complete, row.own_total) == (0, 1)
    assert reverse("web:directive_recipient", args=[receipt.id]) in body
    assert "Chưa xác nhận đã nhận" in body
    assert "Tạo văn bản từ mẫu" not in body
    detail = client.get(_url("directive_detail", only_a))
    assert detail.status_code == 302
    assert detail["Location"] == reverse("web:directive_recipient", args=[receipt.id])


@pytest.mark.parametrize("persona", OFFICERS)
def test_it_refuses_drafting_and_dispatch_to_officers(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
    persona: str,
) -> None:
    client = login(getattr(world, persona))
    assert client.get(reverse("web:directive_new")).status_code == 403
    assert client.post(reverse("web:directive_new"), {"template": TEMPLATE}).status_code == 403
    assert client.post(_url("directive_dispatch", dispatched), {"kinds": ["unit"]}).status_code == 403
    assert client.post(_url("directive_close", dispatched)).status_code == 403
    assert client.get(reverse("web:directive_report", args=[dispatched.id, "pdf"])).status_code == 403
    assert client.get(_url("directive_matrix_xlsx", dispatched)).status_code == 403
    assert Directive.objects.count() == 1
    assert dispatched.recipients.count() == 4


def test_it_lets_the_leadership_read_but_not_write(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
) -> None:
    client = login(world.viewer)
    listing = client.get(reverse("web:directive_list")).content.decode()
    assert "Tạo văn bản từ mẫu" not in listing
    detail = client.get(_url("directive_detail", dispatched))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Gửi thêm" not in body
    assert "Kết thúc theo dõi" not in body
    assert _url("directive_matrix", dispatched) in body
    assert client.get(_url("directive_matrix", dispatched)).status_code == 200
    assert client.get(reverse("web:directive_new")).status_code == 403
    assert client.get(_url("directive_edit", dispatched)).status_code == 403
    assert client.post(_url("directive_close", dispatched)).status_code == 403
    dispatched.refresh_from_db()
    assert dispatched.status == DirectiveStatus.DISPATCHED


# --- drafting -----------------------------------------------------------------------------------


def test_it_creates_a_draft_from_a_template(login: Login, world: World) -> None:
    prefix = f"tpl-{TEMPLATE}"
    response = login(world.duty).post(
        reverse("web:directive_new"),
        {
            f"{prefix}-template": TEMPLATE,
            f"{prefix}-number": "77/STTTT",
            f"{prefix}-issued_on": "2026-08-30",
        },
    )
    directive = Directive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("directive_detail", directive)
    assert (directive.number, directive.issued_on, directive.template_key) == ("77/STTTT", date(2026, 8, 30), TEMPLATE)
    assert directive.status == DirectiveStatus.DRAFT
    assert directive.items.filter(code="1a").exists()


def test_it_keeps_the_template_form_when_the_date_is_wrong(login: Login, world: World) -> None:
    prefix = f"tpl-{TEMPLATE}"
    response = login(world.admin).post(
        reverse("web:directive_new"),
        {
            f"{prefix}-template": TEMPLATE,
            f"{prefix}-number": "77/X",
            f"{prefix}-issued_on": "hôm qua",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ngày không hợp lệ" in body
    assert 'value="77/X"' in body
    assert not Directive.objects.exists()


def _scratch(**extra: str) -> dict[str, str]:
    data = {
        "head-number": "5/STTTT",
        "head-issued_on": "2026-09-01",
        "head-subject": "Kiểm tra sao lưu",
        "head-effective_from": "2026-09-01",
        "head-effective_until": "2026-09-10",
        "head-report_due_at": "2026-09-10T17:00",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "60",
        "items-0-code": "1",
        "items-0-text": "Sao lưu dữ liệu quan trọng",
        "items-0-applies_to": "unit",
        "items-0-auto_check": "backups_verified",
        "items-1-code": "2",
        "items-1-text": "Doanh nghiệp rà soát hạ tầng",
        "items-1-section": "Doanh nghiệp",
        "items-1-applies_to": "telecom",
    }
    return {**data, **extra}


def test_it_creates_a_draft_from_scratch_leaving_blank_rows_out(login: Login, world: World) -> None:
    client = login(world.admin)
    response = client.post(reverse("web:directive_new") + "?mode=scratch", _scratch())
    directive = Directive.objects.get()
    assert response["Location"] == _url("directive_detail", directive)
    items = list(directive.items.order_by("order"))
    assert [(i.code, i.applies_to, i.auto_check) for i in items] == [
        ("1", ["unit"], "backups_verified"),
        ("2", ["telecom"], ""),
    ]
    assert items[1].section == "Doanh nghiệp"


def test_it_shows_errors_on_the_scratch_form_without_losing_input(login: Login, world: World) -> None:
    data = _scratch(**{"head-effective_until": "2026-08-01", "items-1-code": "1"})
    response = login(world.admin).post(reverse("web:directive_new") + "?mode=scratch", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ngày kết thúc hiệu lực phải sau" in body
    assert "Sao lưu dữ liệu quan trọng" in body
    assert not Directive.objects.exists()
    fixed = _scratch(**{"items-1-code": "1"})
    response = login(world.admin).post(reverse("web:directive_new") + "?mode=scratch", fixed)
    assert response.status_code == 200
    assert "Mỗi mục phải có mã riêng" in response.content.decode()
    assert not Directive.objects.exists()


def test_it_edits_adds_and_deletes_items_of_a_draft(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
) -> None:
    client = login(world.admin)
    response = client.post(
        _url("directive_item_new", draft),
        {"code": "9", "text": "Mục <b>bổ sung</b>", "applies_to": ["unit", "provider"]},
    )
    item = draft.items.get(code="9")
    assert response.status_code == 302
    assert item.applies_to == ["provider", "unit"]
    clash = client.post(_url("directive_item_edit", draft, item.id), {"code": "1a", "text": "x", "applies_to": "unit"})
    assert clash.status_code == 200
    assert "đã có trong văn bản" in clash.content.decode()
    assert client.post(_url("directive_item_delete", draft, item.id)).status_code == 302
    assert not DirectiveItem.objects.filter(id=item.id).exists()


def test_it_deletes_a_draft_only_after_confirmation(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
) -> None:
    client = login(world.admin)
    confirm = client.get(_url("directive_delete", draft))
    assert "Xoá bản nháp sau cùng mọi mục" in confirm.content.decode()
    assert Directive.objects.filter(id=draft.id).exists()
    response = client.post(_url("directive_delete", draft))
    assert response["Location"] == reverse("web:directive_list")
    assert not Directive.objects.filter(id=draft.id).exists()


def test_it_does_not_delete_or_change_items_of_a_dispatched_directive(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
) -> None:
    client = login(world.admin)
    item = dispatched.items.first()
    assert item is not None
    client.post(_url("directive_delete", dispatched))
    client.post(_url("directive_item_delete", dispatched, item.id))
    assert Directive.objects.filter(id=dispatched.id).exists()
    assert DirectiveItem.objects.filter(id=item.id).exists()


def test_it_edits_the_header_and_closes(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
) -> None:
    client = login(world.admin)
    form = client.get(_url("directive_edit", dispatched)).context["form"]
    data = {f"head-{name}": value for name, value in form.initial.items() if value is not None}
    data["head-report_due_at"] = "2026-09-20T17:00"
    data["head-number"] = "999/STTTT"
    assert client.post(_url("directive_edit", dispatched), data).status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.number == "999/STTTT"
    assert client.post(_url("directive_close", dispatched)).status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.status == DirectiveStatus.CLOSED
    assert client.get(_url("directive_edit", dispatched)).status_code == 302


# --- dispatch -----------------------------------------------------------------------------------


def test_it_dispatches_to_a_unit_group(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
    django_capture_on_commit_callbacks: object,
) -> None:
    client = login(world.admin)
    preview = client.post(_url("directive_dispatch", draft), {"groups": [world.group.code], "action": "preview"})
    assert preview.context["preview"] == 2
    assert not draft.recipients.exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(_url("directive_dispatch", draft), {"groups": [world.group.code]}, follow=True)
    assert "Đã gửi tới 2 nơi nhận" in response.content.decode()
    assert set(draft.recipients.values_list("unit_id", flat=True)) == {world.unit_a.id, world.unit_b.id}
    draft.refresh_from_db()
    assert draft.status == DirectiveStatus.DISPATCHED
    again = client.post(_url("directive_dispatch", draft), {"groups": [world.group.code], "action": "preview"})
    assert again.context["preview"] == 0


def test_it_keeps_the_dispatch_choice_when_nothing_is_chosen(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
) -> None:
    response = login(world.admin).post(_url("directive_dispatch", draft), {})
    assert response.status_code == 200
    assert "Chưa chọn nơi nhận nào" in response.content.decode()
    assert not Recipient.objects.exists()


def test_it_shows_the_service_refusal_on_the_dispatch_form(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
) -> None:
    draft.items.all().delete()
    response = login(world.admin).post(_url("directive_dispatch", draft), {"units": [world.unit_a.id]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Văn bản chưa có mục nào để gửi" in body
    assert f'<option value="{world.unit_a.id}" selected>' in body


# --- the matrix ---------------------------------------------------------------------------------


def test_it_renders_the_matrix_with_states_and_filters(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
) -> None:
    client = login(world.duty)
    response = client.get(_url("directive_matrix", dispatched))
    body = response.content.decode()
    assert response.status_code == 200
    assert "dir-cell-pending" in body or "dir-cell-auto" in body or "dir-cell-overdue" in body
    assert "Tính lúc" in body
    assert len(response.context["lines"]) == 4
    filtered = client.get(_url("directive_matrix", dispatched), {"kind": "telecom"})
    assert [line.row.recipient.organization_id for line in filtered.context["lines"]] == [world.telecom.id]
    grouped = client.get(_url("directive_matrix", dispatched), {"group": world.group.code})
    assert len(grouped.context["lines"]) == 2
    assert f"{_url('directive_matrix_xlsx', dispatched)}?group={world.group.code}" in grouped.content.decode()


def test_it_builds_a_large_matrix_in_a_few_queries(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
    django_assert_max_num_queries: object,
) -> None:
    Unit.objects.bulk_create(
        [Unit(group=world.group, number=100 + n, name=f"Đơn vị {n}", short_code=f"don-vi-{n}") for n in range(86)]
    )
    services.directive_dispatch(actor=world.admin, directive=draft, group_codes=[world.group.code])
    assert draft.recipients.count() == 88
    client = login(world.admin)
    client.get(_url("directive_matrix", draft))  # warm the session and caches
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(_url("directive_matrix", draft))
    assert len(response.context["lines"]) == 88
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(_url("directive_detail", draft)).status_code == 200
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("web:directive_list")).status_code == 200


# --- documents ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", CITY_WIDE)
def test_it_serves_the_documents_to_city_wide_roles(
    login: Login,
    world: World,
    dispatched: Directive,  # noqa: F811
    persona: str,
) -> None:
    client = login(getattr(world, persona))
    xlsx = client.get(_url("directive_matrix_xlsx", dispatched), {"group": world.group.code})
    assert xlsx.status_code == 200
    assert "spreadsheetml" in xlsx["Content-Type"]
    docx = client.get(reverse("web:directive_report", args=[dispatched.id, "docx"]))
    assert docx.status_code == 200


# --- escaping -----------------------------------------------------------------------------------


def test_it_escapes_subjects_and_unit_names(
    login: Login,
    world: World,
    draft: Directive,  # noqa: F811
) -> None:
    Directive.objects.filter(id=draft.id).update(subject="<script>alert('s')</script>")
    Unit.objects.filter(id=world.unit_a.id).update(name="<script>alert('u')</script>")
    services.directive_dispatch(actor=world.admin, directive=draft, unit_ids=[world.unit_a.id])
    client: Client = login(world.admin)
    for page in (
        reverse("web:directive_list"),
        _url("directive_detail", draft),
        _url("directive_matrix", draft),
        _url("directive_dispatch", draft),
    ):
        body = client.get(page).content.decode()
        assert "<script>alert(" not in body, page
    assert "&lt;script&gt;alert(" in client.get(_url("directive_matrix", draft)).content.decode()
