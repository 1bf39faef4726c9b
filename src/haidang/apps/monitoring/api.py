"""Website monitoring API routes under /api/v1/."""

from ninja import Router

router = Router(tags=["Giám sát trang web"])
