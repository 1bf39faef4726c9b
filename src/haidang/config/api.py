"""The HTTP API under /api/v1/: one NinjaAPI, one router per app."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Hải Đăng API",
    version="1",
    description="API của nền tảng Hải Đăng. Xác thực: `Authorization: Bearer <token>` (tạo bằng `haidang token create`).",
    urls_namespace="api",
)
