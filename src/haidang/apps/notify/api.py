"""The notify API routes under /api/v1/."""

from ninja import Router

router = Router(tags=["Thông báo"])
