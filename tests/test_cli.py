"""The `haidang` command's exact forms, which other tools script."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from haidang.apps.accounts.models import Role, User
from haidang.apps.accounts.services import token_authenticate
from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import Organization, Unit
from haidang.cli import app
from tests.personas import World

runner = CliRunner()


def test_it_has_help_everywhere() -> None:
    for args in ([], ["user"], ["user", "add"], ["token", "create"], ["units", "import"], ["up"], ["org", "add"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert "Usage" in result.output


def test_it_adds_a_unit_officer_reading_the_password_from_stdin(world: World) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "moi@stp.example.vn", "--role", "unit", "--unit", str(world.unit_a.id), "--password-stdin"],
        input="Mot-mat-khau-dai-2026\n",
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(email="moi@stp.example.vn")
    assert (user.role, user.unit) == (Role.UNIT, world.unit_a)
    assert user.check_password("Mot-mat-khau-dai-2026")
    assert "Mot-mat-khau" not in result.output
    assert AuditEvent.objects.get(action="user.create").source == "cli"


def test_it_generates_and_prints_a_password(world: World) -> None:
    result = runner.invoke(app, ["user", "add", "x@vnpt.example.vn", "--role", "telecom", "--org", "vnpt-tp"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1].split(": ", 1)[1]
    assert User.objects.get(email="x@vnpt.example.vn").check_password(password)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "unit"], "đơn vị"),
        (["--role", "unit", "--unit", "khong-co"], "khong-co"),
        (["--role", "telecom", "--org", "999"], "999"),
        (["--role", "wizard"], "admin, duty, unit"),
    ],
)
def test_it_explains_bad_user_input(world: World, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["user", "add", "y@example.vn", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not User.objects.filter(email="y@example.vn").exists()


def test_it_prints_only_the_token(world: World) -> None:
    result = runner.invoke(app, ["token", "create", world.officer_a.email])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert "\n" not in token
    assert token_authenticate(token) == world.officer_a
    assert runner.invoke(app, ["token", "create", "nobody@example.vn"]).exit_code == 2


def test_it_exports_and_reimports_units(world: World, tmp_path: Path) -> None:
    csv_file, xlsx_file = tmp_path / "units.csv", tmp_path / "units.xlsx"
    assert runner.invoke(app, ["units", "export", str(csv_file)]).exit_code == 0
    assert runner.invoke(app, ["units", "export", str(xlsx_file)]).exit_code == 0
    assert "so-tu-phap" in csv_file.read_text(encoding="utf-8-sig")
    sheet = load_workbook(xlsx_file).active
    assert sheet is not None
    assert sheet.max_row == 3
    result = runner.invoke(app, ["units", "import", str(xlsx_file)])
    assert result.exit_code == 0, result.output
    assert "0 mới, 0 cập nhật, 2 không đổi" in result.output


def test_it_reports_every_bad_row_and_imports_nothing(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("group_code,name,number\ndistrict,Quận A,1\n,Quận B,x\n", encoding="utf-8")
    result = runner.invoke(app, ["units", "import", str(bad)])
    assert result.exit_code == 1
    assert "dòng 3, cột group_code" in result.output
    assert "dòng 3, cột number" in result.output
    assert not Unit.objects.filter(name="Quận A").exists()


def test_it_refuses_unknown_export_formats(world: World, tmp_path: Path) -> None:
    assert runner.invoke(app, ["units", "export", str(tmp_path / "u.pdf")]).exit_code == 2


def test_it_adds_and_lists_organisations(world: World) -> None:
    result = runner.invoke(app, ["org", "add", "Công ty Bảo mật Đông Á", "--kind", "provider"])
    assert result.exit_code == 0, result.output
    assert Organization.objects.get(short_code="cong-ty-bao-mat-dong-a").kind == "provider"
    assert "cong-ty-bao-mat-dong-a" in runner.invoke(app, ["org", "list"]).output
    assert runner.invoke(app, ["org", "add", "X", "--kind", "bank"]).exit_code == 2


def test_it_lists_units_and_users(world: World) -> None:
    assert "so-y-te" in runner.invoke(app, ["units", "list"]).output
    assert world.officer_b.email in runner.invoke(app, ["user", "list"]).output


def test_it_sets_a_password_from_stdin(world: World) -> None:
    result = runner.invoke(app, ["user", "set-password", world.duty.email], input="Mat-khau-moi-rat-dai-99\n")
    assert result.exit_code == 0
    world.duty.refresh_from_db()
    assert world.duty.check_password("Mat-khau-moi-rat-dai-99")
    assert runner.invoke(app, ["user", "set-password", world.duty.email], input="123\n").exit_code == 2


_MAIL = (
    b"From: Nguyen Van A <a@stp.example.gov.vn>\r\nTo: ungcuu@example.gov.vn\r\n"
    b"Subject: Trang web bi thay doi giao dien\r\nMessage-ID: <cli-1@example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nTrang chu hien noi dung la.\r\n"
)


def test_it_opens_an_incident_from_an_email_on_stdin_once(world: World) -> None:
    first = runner.invoke(app, ["incidents", "mail-in"], input=_MAIL)
    again = runner.invoke(app, ["incidents", "mail-in"], input=_MAIL)
    assert first.exit_code == 0, first.output
    assert again.stdout == first.stdout
    assert first.stdout.strip().startswith("SC-")


def test_it_bounces_what_is_not_an_email(world: World) -> None:
    result = runner.invoke(app, ["incidents", "mail-in"], input=b"\x00\x01 not a message")
    assert result.exit_code == 65
    assert "không phải là một thư điện tử" in result.output
