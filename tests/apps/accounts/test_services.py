"""Users, roles and API tokens."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haidang.apps.accounts.models import ApiToken, Role, User
from haidang.apps.accounts.services import (
    admin_bootstrap,
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
)
from haidang.apps.audit.models import AuditEvent
from tests.personas import World


def test_it_creates_a_unit_officer_with_a_generated_password(world: World) -> None:
    user, generated = user_create(acting_user=world.admin, email="A@Example.VN", role=Role.UNIT, unit=world.unit_a)
    assert user.email == "a@example.vn"
    assert generated is not None
    assert user.check_password(generated)
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert AuditEvent.objects.get(action="user.create").unit_id == world.unit_a.id


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("unit", {}),
        ("telecom", {}),
        ("provider", {}),
        ("telecom", {"organization": "provider"}),
        ("duty", {"unit": "unit_a"}),
        ("nobody", {}),
    ],
)
def test_it_requires_the_right_scope_for_each_role(world: World, role: str, scope: dict[str, str]) -> None:
    kwargs = {name: getattr(world, ref) for name, ref in scope.items()}
    with pytest.raises(ValidationError):
        user_create(acting_user=world.admin, email="x@example.vn", role=role, **kwargs)


def test_it_rejects_weak_passwords_and_duplicates(world: World) -> None:
    with pytest.raises(ValidationError):
        user_create(acting_user=None, email="weak@example.vn", role=Role.DUTY, password="12345678")
    with pytest.raises(ValidationError):
        user_create(acting_user=None, email=world.duty.email, role=Role.DUTY)


def test_it_lets_only_admins_create_users(world: World) -> None:
    with pytest.raises(PermissionDenied):
        user_create(acting_user=world.officer_a, email="x@example.vn", role=Role.UNIT, unit=world.unit_a)


def test_it_stores_only_a_digest_of_the_token(world: World) -> None:
    issued = token_create(acting_user=None, user=world.officer_a)
    assert issued.token.startswith("hd_")
    record = ApiToken.objects.get()
    assert issued.token not in (record.digest, record.prefix)
    assert token_authenticate(issued.token) == world.officer_a


def test_it_refuses_revoked_unknown_and_inactive_tokens(world: World) -> None:
    issued = token_create(acting_user=None, user=world.officer_a)
    assert token_authenticate("hd_unknown") is None
    assert token_authenticate("not-our-format") is None
    User.objects.filter(id=world.officer_a.id).update(is_active=False)
    assert token_authenticate(issued.token) is None
    User.objects.filter(id=world.officer_a.id).update(is_active=True)
    token_revoke(acting_user=world.officer_a, token=issued.record)
    assert token_authenticate(issued.token) is None


def test_it_refuses_tokens_for_someone_else_unless_admin(world: World) -> None:
    with pytest.raises(PermissionDenied):
        token_create(acting_user=world.officer_a, user=world.officer_b)
    assert token_create(acting_user=world.admin, user=world.officer_b).record.user == world.officer_b


def test_it_bootstraps_the_admin_once(db: None) -> None:
    first = admin_bootstrap(email="root@so.example.vn", password=None)
    assert first is not None
    assert first.generated_password
    assert first.user.role == Role.ADMIN
    assert admin_bootstrap(email="other@so.example.vn", password=None) is None
