"""End to end: `haidang up` from an empty data directory, on the embedded default and on PostgreSQL + Redis."""

from __future__ import annotations

import signal
from collections.abc import Callable

import psycopg
import pytest

from tests.integration.conftest import Platform, get_json, wait_until

pytestmark = pytest.mark.integration
ADMIN = {"HAIDANG_ADMIN_EMAIL": "admin@so.example.vn", "HAIDANG_ADMIN_PASSWORD": "Mat-khau-quan-tri-2026!"}


def _fresh_postgres_database(name: str) -> str:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _exercise(platform: Platform) -> None:
    wait_until(platform.healthy, seconds=90, what=f"healthz ok (log: {platform.log})")
    admin_token = platform.haidang("token", "create", ADMIN["HAIDANG_ADMIN_EMAIL"]).stdout.strip()
    status, body = get_json(f"{platform.url}/api/v1/units?limit=1000", admin_token)
    assert status == 200
    assert body["count"] == 88
    assert len({unit["group"]["code"] for unit in body["items"]}) == 7

    unit_id = body["items"][10]["id"]
    added = platform.haidang(
        "user", "add", "canbo@donvi.example.vn", "--role", "unit", "--unit", str(unit_id), "--password-stdin",
        stdin="Mat-khau-can-bo-2026!\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    officer_token = platform.haidang("token", "create", "canbo@donvi.example.vn").stdout.strip()
    status, body = get_json(f"{platform.url}/api/v1/units", officer_token)
    assert (status, [u["id"] for u in body["items"]]) == (200, [unit_id])
    assert get_json(f"{platform.url}/api/v1/units/{body['items'][0]['id'] + 1}", officer_token)[0] == 404
    assert get_json(f"{platform.url}/api/v1/units", "hd_wrong")[0] == 401

    assert platform.process is not None
    platform.process.send_signal(signal.SIGINT)
    assert platform.process.wait(timeout=60) == 0
    assert "Đã dừng Hải Đăng." in platform.log.read_text(encoding="utf-8")


def test_it_runs_on_the_embedded_default(start_platform: Callable[..., Platform]) -> None:
    _exercise(start_platform(**ADMIN))


def test_it_runs_on_postgresql_and_redis(start_platform: Callable[..., Platform]) -> None:
    platform = start_platform(
        HAIDANG_DATABASE_URL=_fresh_postgres_database("haidang_e2e"),
        HAIDANG_BROKER_URL="redis://127.0.0.1:6379/14",
        HAIDANG_CACHE_URL="redis://127.0.0.1:6379/14",
        **ADMIN,
    )
    wait_until(platform.healthy, seconds=90, what="healthz ok")
    _status, body = get_json(f"{platform.url}/healthz")
    assert (body["database"]["detail"], body["broker"]["detail"]) == ("postgresql", "redis")
    _exercise(platform)


def test_it_prints_a_generated_admin_password_once(start_platform: Callable[..., Platform]) -> None:
    platform = start_platform(run=False)
    first = platform.haidang("init")
    assert "Mật khẩu (chỉ hiện một lần)" in first.stdout
    assert "admin@haidang.local" in first.stdout
    second = platform.haidang("init")
    assert "Mật khẩu" not in second.stdout


def test_it_explains_a_weak_admin_password(start_platform: Callable[..., Platform]) -> None:
    platform = start_platform(run=False, HAIDANG_ADMIN_EMAIL="admin@so.example.vn", HAIDANG_ADMIN_PASSWORD="12345678")
    result = platform.haidang("init")
    assert result.returncode == 2
    assert "HAIDANG_ADMIN_PASSWORD" in result.stderr
    assert "Traceback" not in result.stderr
