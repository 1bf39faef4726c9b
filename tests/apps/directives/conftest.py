"""A directive made from the letter's template and dispatched to the two units, the telecom and the provider."""

from __future__ import annotations

from datetime import date

import pytest

from haidang.apps.directives import services
from haidang.apps.directives.models import Directive
from tests.personas import World

TEMPLATE = "tang-cuong-attt-quoc-khanh"


@pytest.fixture
def draft(world: World) -> Directive:
    return services.directive_from_template(
        actor=world.admin, template_key=TEMPLATE, issued_on=date(2026, 8, 29), number="1234/STTTT-BCVT"
    )


@pytest.fixture
def dispatched(world: World, draft: Directive, django_capture_on_commit_callbacks: object) -> Directive:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.directive_dispatch(
            actor=world.admin,
            directive=draft,
            unit_ids=[world.unit_a.id, world.unit_b.id],
            organization_ids=[world.telecom.id, world.provider.id],
        )
    draft.refresh_from_db()
    return draft
