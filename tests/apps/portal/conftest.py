from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from haidang.apps.portal.abuse import issue_form_token

# Smallest valid PNG (1x1) and PDF headers: enough for magic-number detection.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and used form tokens live in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()


def report_data(**overrides: Any) -> dict[str, Any]:
    """A valid report whose form was opened a minute ago."""
    data: dict[str, Any] = {
        "kind": "incident",
        "description": "Trang chủ của Sở hiển thị dòng chữ 'Hacked by X' và hình ảnh lạ từ sáng nay.",
        "subject_url": "https://stp.example.gov.vn/",
        "happened_at": "",
        "reporter_name": "Nguyễn Thị Dân",
        "reporter_contact": "0912 345 678",
        "website": "",
        "form_token": issue_form_token(now=time.time() - 60),
    }
    data.update(overrides)
    return data
