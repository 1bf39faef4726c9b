"""What the accounts API returns."""

from __future__ import annotations

from ninja import Schema


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    unit_id: int | None
    organization_id: int | None
