"""Settings read from the environment fail loudly and accept *_FILE secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from haidang.config.env import ConfigurationError, data_dir, env_bool, env_int, env_list, env_str


def test_it_reads_secrets_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n", encoding="utf-8")
    monkeypatch.setenv("HAIDANG_X", "from-env")
    monkeypatch.setenv("HAIDANG_X_FILE", str(secret))
    assert env_str("HAIDANG_X") == "s3cr3t"


def test_it_fails_on_an_unreadable_secret_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HAIDANG_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="HAIDANG_X_FILE"):
        env_str("HAIDANG_X")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", None)])
def test_it_parses_booleans(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool | None) -> None:
    monkeypatch.setenv("HAIDANG_B", raw)
    assert env_bool("HAIDANG_B", default=None) is expected  # type: ignore[arg-type]


def test_it_refuses_malformed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIDANG_V", "maybe")
    with pytest.raises(ConfigurationError, match="HAIDANG_V"):
        env_bool("HAIDANG_V")
    with pytest.raises(ConfigurationError, match="HAIDANG_V"):
        env_int("HAIDANG_V", 1)


def test_it_reads_lists_and_the_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HAIDANG_L", " a.vn, ,b.vn ")
    assert env_list("HAIDANG_L") == ["a.vn", "b.vn"]
    monkeypatch.setenv("HAIDANG_DATA_DIR", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"
