"""The duty API routes under /api/v1/."""

from ninja import Router

router = Router(tags=["Lịch trực"])
