from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from haidang.apps.accounts.models import User
from haidang.apps.accounts.selectors import requires_two_factor

Login = Callable[[User], Client]


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in; roles that must use two-factor get a confirmed authenticator and a verified session."""
    client.force_login(user)
    if requires_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login(client: Client) -> Login:
    return lambda user: sign_in(client, user)
