"""Production settings pass Django's deployment checklist and refuse to start without a secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HAIDANG_", "DJANGO_"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="haidang.config.settings.production",
        HAIDANG_DATA_DIR=str(tmp_path),
        HAIDANG_ALLOWED_HOSTS="haidang.example.gov.vn",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_passes_check_deploy(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("k" * 20 + "-a-long-random-production-secret-key-for-tests-0123456789", encoding="utf-8")
    result = _run(tmp_path, HAIDANG_SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode != 0
    assert "HAIDANG_SECRET_KEY" in result.stderr
