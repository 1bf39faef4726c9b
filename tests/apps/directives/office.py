"""Open generated documents the way a reader will: LibreOffice converts them to PDF, poppler reads that.

Each conversion runs headless with its own user profile (a shared or default profile makes a second
``soffice`` wait on the first one's lock) and a timeout, so a stuck office cannot hang the test run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest

SOFFICE_TIMEOUT = 120
POPPLER_TIMEOUT = 60
TOOLS = ("soffice", "pdftoppm", "pdftotext", "pdfinfo")


def require_office(environ: Mapping[str, str] = os.environ) -> None:
    """Skip when LibreOffice or poppler is missing, unless HAIDANG_REQUIRE_BROWSER=1 (CI) makes that a failure."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (make browser-deps)"
    if environ.get("HAIDANG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HAIDANG_REQUIRE_BROWSER=1 but {message}")
    pytest.skip(message)


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def render_with_libreoffice(path: Path, outdir: Path, *, profile: Path | None = None) -> Path:
    """Convert ``path`` (DOCX, XLSX, …) to PDF in ``outdir`` with headless LibreOffice; return the PDF."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as scratch:
        home = profile or Path(scratch)
        result = _run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation={home.resolve().as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(path),
            ],
            SOFFICE_TIMEOUT,
        )
    pdf = outdir / f"{path.stem}.pdf"
    if result.returncode != 0 or not pdf.exists():
        raise AssertionError(f"LibreOffice could not convert {path.name}: {result.stdout}\n{result.stderr}")
    return pdf


def pdf_pages_png(pdf: Path, outdir: Path, *, resolution: int = 60) -> list[Path]:
    """Every page of ``pdf`` as a PNG in ``outdir``, in page order."""
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / pdf.stem
    result = _run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(prefix)], POPPLER_TIMEOUT)
    if result.returncode != 0:
        raise AssertionError(f"pdftoppm failed on {pdf.name}: {result.stderr}")
    return sorted(outdir.glob(f"{pdf.stem}-*.png"))


def pdf_text(pdf: Path, *, layout: bool = True) -> str:
    """The text of ``pdf``: with its layout kept (``pdftotext -layout``), or in reading order."""
    result = _run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"], POPPLER_TIMEOUT)
    if result.returncode != 0:
        raise AssertionError(f"pdftotext failed on {pdf.name}: {result.stderr}")
    return result.stdout


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height in points of every page (``pdfinfo``), to tell portrait from landscape."""
    result = _run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], POPPLER_TIMEOUT)
    sizes = []
    for line in result.stdout.splitlines():
        if line.startswith("Page") and "size:" in line:
            width, _, height = line.split("size:", 1)[1].split()[:3]
            sizes.append((float(width), float(height)))
    return sizes
