"""The ``haidang`` command. Every sub-command honours HAIDANG_DATA_DIR and the other settings."""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from haidang.intel_cli import match as advisories_match_command
from haidang.scan_cli import scan as scan_command

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from haidang.apps.advisories.models import FeedImport
    from haidang.apps.registry.models import Organization, Unit

    M = TypeVar("M", bound=Model)

app = typer.Typer(
    help="Hải Đăng — nền tảng điều phối an toàn thông tin của thành phố. / Hai Dang security platform.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
user_app = typer.Typer(help="Quản lý người dùng. / Manage users.", no_args_is_help=True)
token_app = typer.Typer(help="Mã truy cập API. / API tokens.", no_args_is_help=True)
units_app = typer.Typer(help="Danh mục đơn vị: nhập, xuất. / Unit registry import and export.", no_args_is_help=True)
org_app = typer.Typer(help="Doanh nghiệp viễn thông và nhà cung cấp. / Telecoms and providers.", no_args_is_help=True)
incidents_app = typer.Typer(help="Sự cố: tiếp nhận qua thư điện tử. / Incident intake by e-mail.", no_args_is_help=True)
advisories_app = typer.Typer(
    help="Cảnh báo lỗ hổng: đối chiếu CVE với phần mềm của đơn vị. / Vulnerability advisories.", no_args_is_help=True
)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(units_app, name="units")
app.add_typer(org_app, name="org")
app.add_typer(incidents_app, name="incidents")
app.add_typer(advisories_app, name="advisories")
app.command("scan")(scan_command)
advisories_app.command("match")(advisories_match_command)

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidang.config.settings.local")
    import django

    django.setup()


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]Lỗi:[/] {message}")
    return typer.Exit(code)


def _messages(exc: Exception) -> str:
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc)


def _cli_origin() -> AbstractContextManager[None]:
    from haidang.apps.audit.context import Origin, origin

    return origin(Origin(source="cli"))


@app.command()
def init() -> None:
    """Tạo/cập nhật cơ sở dữ liệu, nạp 88 đơn vị và tạo quản trị viên đầu tiên. / Migrate and seed."""
    _setup()
    _initialise(verbose=True)


def _initialise(*, verbose: bool) -> None:
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from haidang.apps.ops.services import platform_bootstrap
    from haidang.config.env import env_str

    call_command("migrate", interactive=False, verbosity=0)
    try:
        with _cli_origin():
            report = platform_bootstrap(
                admin_email=env_str("HAIDANG_ADMIN_EMAIL", "admin@haidang.local"),
                admin_password=env_str("HAIDANG_ADMIN_PASSWORD") or None,
            )
    except ValidationError as exc:
        raise _fail(
            f"không tạo được quản trị viên từ HAIDANG_ADMIN_EMAIL/HAIDANG_ADMIN_PASSWORD: {_messages(exc)}", 2
        ) from exc
    if report.units_created:
        out.print(f"Đã nạp {report.units_created} đơn vị từ phụ lục văn bản.")
    if report.admin is not None:
        out.print(f"Đã tạo quản trị viên [bold]{report.admin.user.email}[/].")
        if report.admin.generated_password:
            out.print(
                f"Mật khẩu (chỉ hiện một lần): [bold yellow]{report.admin.generated_password}[/]"
                "\nHãy đổi mật khẩu và bật xác thực hai yếu tố khi đăng nhập lần đầu."
            )
    elif verbose:
        out.print("Cơ sở dữ liệu đã sẵn sàng.")


HostOption = Annotated[str, typer.Option("--host", help="Địa chỉ lắng nghe. / Address to bind.")]
PortOption = Annotated[int, typer.Option("--port", help="Cổng. / Port.", min=1, max=65535)]


@app.command()
def up(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    web_workers: Annotated[int, typer.Option(help="Số tiến trình web.", min=1)] = 2,
    concurrency: Annotated[int, typer.Option(help="Số tác vụ nền chạy song song.", min=1)] = 2,
) -> None:
    """Chạy web, tác vụ nền và bộ lập lịch cùng lúc (Ctrl-C để dừng). / Run web, worker and scheduler."""
    from haidang.supervisor import Child, Supervisor

    _setup()
    _initialise(verbose=False)
    children = [
        Child("web", _web_argv(host, port, web_workers)),
        Child("worker", _worker_argv(concurrency)),
        Child("scheduler", _scheduler_argv()),
    ]
    out.print(f"Hải Đăng đang chạy tại [bold]http://{host}:{port}[/] — nhấn Ctrl-C để dừng.")
    status = Supervisor(children, report=err.print).run()
    out.print("Đã dừng Hải Đăng.")
    raise typer.Exit(status)


@app.command()
def web(host: HostOption = "127.0.0.1", port: PortOption = 8000, workers: int = 2) -> None:
    """Chỉ chạy máy chủ web (khi triển khai nhiều máy). / Web server only, for scale-out."""
    _setup()
    _collect_static()
    os.execv(sys.executable, _web_argv(host, port, workers))  # noqa: S606 - replaces this process


@app.command()
def worker(concurrency: int = 2, queues: str = "celery") -> None:
    """Chỉ chạy tác vụ nền (có thể chạy trên nhiều máy). / Celery worker only, for scale-out."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidang.config.settings.local")
    os.execv(sys.executable, [*_worker_argv(concurrency), "--queues", queues])  # noqa: S606


@app.command()
def scheduler() -> None:
    """Chỉ chạy bộ lập lịch — đúng MỘT bản trong cả hệ thống. / Celery beat only: run exactly one."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidang.config.settings.local")
    os.execv(sys.executable, _scheduler_argv())  # noqa: S606


def _collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _web_argv(host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable, "-m", "gunicorn", "haidang.config.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", "4",
        "--access-logfile", "-", "--graceful-timeout", "10", "--timeout", "60",
    ]  # fmt: skip


def _worker_argv(concurrency: int) -> list[str]:
    return [
        sys.executable, "-m", "celery", "-A", "haidang.config", "worker",
        "--loglevel", "INFO", "--concurrency", str(concurrency), "--without-mingle", "--without-gossip",
    ]  # fmt: skip


def _scheduler_argv() -> list[str]:
    from haidang.config.env import data_dir

    schedule = data_dir() / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "haidang.config",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(schedule),
    ]


# --- users and tokens --------------------------------------------------------------------------


@user_app.command("add")
def user_add(  # noqa: PLR0917 - Typer maps parameters to options
    email: str,
    role: Annotated[str, typer.Option("--role", help="admin, duty, unit, telecom, provider, viewer")],
    unit: Annotated[str | None, typer.Option("--unit", help="Mã số hoặc mã viết tắt đơn vị (vai trò unit).")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Mã số hoặc mã viết tắt tổ chức (telecom, provider).")
    ] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Đọc mật khẩu từ stdin.")] = False,
    name: Annotated[str, typer.Option("--name", help="Họ và tên.")] = "",
) -> None:
    """Tạo người dùng; mật khẩu được sinh ngẫu nhiên và in ra nếu không dùng --password-stdin."""
    _setup()
    from django.core.exceptions import ValidationError

    from haidang.apps.accounts.services import user_create

    password = _read_password() if password_stdin else None
    try:
        with _cli_origin():
            user, generated = user_create(
                acting_user=None,
                email=email,
                role=role,
                unit=_find_unit(unit) if unit else None,
                organization=_find_org(org) if org else None,
                password=password,
                full_name=name,
            )
    except ValidationError as exc:
        raise _fail(_messages(exc), 2) from exc
    out.print(f"Đã tạo {user.email} (vai trò {user.role}, mã số {user.id}).")
    if generated:
        out.print(f"Mật khẩu (chỉ hiện một lần): {generated}")


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise _fail("không đọc được mật khẩu từ stdin.", 2)
    return password


def _find_unit(ref: str) -> Unit:
    from haidang.apps.registry.models import Unit

    return _find(Unit.objects.all(), ref, f"không có đơn vị {ref!r}. Xem danh sách: haidang units list")


def _find_org(ref: str) -> Organization:
    from haidang.apps.registry.models import Organization

    return _find(Organization.objects.all(), ref, f"không có tổ chức {ref!r}. Xem danh sách: haidang org list")


def _find(rows: QuerySet[M], ref: str, missing: str) -> M:
    """The row whose id (all digits) or short code is ``ref``; exit with ``missing`` otherwise."""
    found = rows.filter(id=int(ref)).first() if ref.isdigit() else rows.filter(short_code=ref).first()
    if found is None:
        raise _fail(missing, 2)
    return found


@user_app.command("list")
def user_list() -> None:
    """Liệt kê người dùng. / List users."""
    _setup()
    from haidang.apps.accounts.models import User

    for user in User.objects.select_related("unit", "organization").order_by("email"):
        scope = user.unit.short_code if user.unit else (user.organization.short_code if user.organization else "")
        out.print(f"{user.id}\t{user.email}\t{user.role}\t{scope}\t{'' if user.is_active else 'khoá'}")


@user_app.command("set-password")
def user_set_password(email: str) -> None:
    """Đặt mật khẩu mới, đọc từ stdin. / Set a password read from stdin."""
    _setup()
    from django.core.exceptions import ValidationError

    from haidang.apps.accounts.models import User
    from haidang.apps.accounts.services import user_set_password as set_password

    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        raise _fail(f"không có người dùng {email}.", 2)
    try:
        with _cli_origin():
            set_password(acting_user=None, user=user, password=_read_password())
    except ValidationError as exc:
        raise _fail(_messages(exc), 2) from exc
    out.print("Đã đặt mật khẩu mới.")


@token_app.command("create")
def token_create(email: str, name: Annotated[str, typer.Option(help="Tên gợi nhớ.")] = "cli") -> None:
    """Tạo mã truy cập API; chỉ in mã ra stdout. / Print only the new token on stdout."""
    _setup()
    from django.core.exceptions import ValidationError

    from haidang.apps.accounts.models import User
    from haidang.apps.accounts.services import token_create as issue

    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        raise _fail(f"không có người dùng {email}.", 2)
    try:
        with _cli_origin():
            issued = issue(acting_user=None, user=user, name=name)
    except ValidationError as exc:
        raise _fail(_messages(exc), 2) from exc
    sys.stdout.write(issued.token + "\n")


# --- units and organisations -------------------------------------------------------------------


@units_app.command("import")
def units_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="Tệp .csv hoặc .xlsx")],
) -> None:
    """Nhập đơn vị; nếu có dòng sai thì không nhập gì và liệt kê lỗi từng dòng."""
    _setup()
    from haidang.apps.registry.unit_io import read_rows
    from haidang.apps.registry.unit_io import units_import as run_import
    from haidang.apps.tabular import ImportFileError

    try:
        with file.open("rb") as stream:
            rows = read_rows(stream, filename=file.name)
    except ImportFileError as exc:
        raise _fail(str(exc), 2) from exc
    with _cli_origin():
        result = run_import(acting_user=None, rows=rows)
    if not result.ok:
        err.print(f"[bold red]Không nhập dòng nào[/]: {len(result.errors)} lỗi.")
        for error in result.errors:
            err.print(f"  dòng {error.row}, cột {error.column}: {error.message}")
        raise typer.Exit(1)
    out.print(f"Đã nhập: {result.created} mới, {result.updated} cập nhật, {result.unchanged} không đổi.")


@units_app.command("export")
def units_export(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Tệp .csv hoặc .xlsx sẽ ghi")],
    include_inactive: Annotated[bool, typer.Option(help="Kèm đơn vị đã sáp nhập/giải thể.")] = True,
) -> None:
    """Xuất danh mục đơn vị ra CSV hoặc XLSX (theo phần mở rộng của tệp)."""
    _setup()
    from haidang.apps.registry.models import Unit
    from haidang.apps.registry.unit_io import export_rows, write_csv, write_xlsx

    suffix = file.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise _fail("tệp xuất phải có đuôi .csv hoặc .xlsx.", 2)
    units = Unit.objects.select_related("group", "parent")
    if not include_inactive:
        units = units.filter(status="active")
    rows = export_rows(list(units))
    if suffix == ".csv":
        with file.open("w", encoding="utf-8-sig", newline="") as text:
            write_csv(rows, text)
    else:
        with file.open("wb") as binary:
            write_xlsx(rows, binary)
    out.print(f"Đã xuất {len(rows)} đơn vị ra {file}.")


@units_app.command("list")
def units_list(group: Annotated[str, typer.Option(help="Lọc theo mã khối.")] = "") -> None:
    """Liệt kê đơn vị: mã số, mã viết tắt, khối, tên."""
    _setup()
    from haidang.apps.registry.models import Unit

    units = Unit.objects.select_related("group")
    if group:
        units = units.filter(group__code=group)
    for unit in units:
        out.print(f"{unit.id}\t{unit.short_code}\t{unit.group.code}\t{unit.name}\t{unit.status}")


@org_app.command("add")
def org_add(
    name: str,
    kind: Annotated[str, typer.Option("--kind", help="telecom hoặc provider")],
    code: Annotated[str, typer.Option("--code", help="Mã viết tắt (tự sinh nếu bỏ trống).")] = "",
) -> None:
    """Thêm doanh nghiệp viễn thông hoặc nhà cung cấp dịch vụ an toàn thông tin."""
    _setup()
    from django.core.exceptions import ValidationError

    from haidang.apps.registry.services import organization_create

    try:
        with _cli_origin():
            org = organization_create(acting_user=None, kind=kind, name=name, short_code=code)
    except ValidationError as exc:
        raise _fail(_messages(exc), 2) from exc
    out.print(f"Đã tạo {org.name} (mã số {org.id}, mã {org.short_code}).")


@org_app.command("list")
def org_list() -> None:
    """Liệt kê các tổ chức."""
    _setup()
    from haidang.apps.registry.models import Organization

    for org in Organization.objects.all():
        out.print(f"{org.id}\t{org.short_code}\t{org.kind}\t{org.name}")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Chạy lệnh quản trị của Django (ví dụ: haidang manage check --deploy)."""
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["haidang manage", *ctx.args])


def main() -> None:
    app()


# --- incidents ---------------------------------------------------------------------------------

#: sysexits.h codes a mail transport understands: bounce the message, or keep it and retry.
EX_DATAERR = 65
EX_TEMPFAIL = 75


@incidents_app.command("mail-in")
def incidents_mail_in() -> None:
    """Đọc một thư từ stdin và tạo sự cố (postfix pipe); in mã sự cố. / One e-mail on stdin → an incident.

    Exit 0 when the incident exists (a repeated message is not duplicated), 65 when the message is
    refused (the mail server bounces it), 75 when the database is unavailable (it retries).
    """
    _setup()
    from django.conf import settings
    from django.db import DatabaseError

    from haidang.apps.incidents.mail_intake import MailRejectedError, incident_from_email

    raw = sys.stdin.buffer.read(settings.HAIDANG_INCIDENT_MAIL_MAX_BYTES + 1)
    try:
        with _cli_origin():
            incident = incident_from_email(raw)
    except MailRejectedError as exc:
        raise _fail(str(exc), EX_DATAERR) from exc
    except DatabaseError as exc:
        raise _fail(f"cơ sở dữ liệu không sẵn sàng: {exc}", EX_TEMPFAIL) from exc
    sys.stdout.write(incident.reference + "\n")


@advisories_app.command("import")
def advisories_import(
    nvd: Annotated[
        list[Path] | None,
        typer.Option("--nvd", help="Tệp NVD CVE 2.0 JSON (có thể nén gzip), lặp lại được. / NVD file(s)."),
    ] = None,
    kev: Annotated[Path | None, typer.Option("--kev", help="Danh mục CISA KEV JSON. / KEV catalogue.")] = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh/--no-refresh",
            help="Đối chiếu lại kiểm kê sau khi nhập. / Match the inventory again afterwards.",
        ),
    ] = True,
) -> None:
    """Nhập tệp NVD/KEV vào cơ sở dữ liệu (cài đặt không có Internet). / Offline import of NVD and KEV files.

    Nhập lại cùng tệp không tạo bản ghi trùng; bản ghi cũ hơn không ghi đè bản mới hơn. Sau đó đối chiếu
    lại kiểm kê của các đơn vị. Exit 1 nếu có tệp nhập lỗi. / Re-imports are idempotent; the inventory is
    matched again afterwards; exit 1 when any file failed.
    """
    if not nvd and kev is None:
        raise _fail("cần ít nhất một tệp --nvd hoặc --kev. / give --nvd and/or --kev.", 2)
    _setup()
    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

    from haidang.apps.advisories.services import import_kev_file, import_nvd_file

    results: list[FeedImport] = []
    with _cli_origin():
        for path in nvd or []:
            with Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
            ) as progress:
                label = f"NVD {path.name}"
                task = progress.add_task(f"{label}: 0 bản ghi / records")

                def shown(read: int, task: TaskID = task, label: str = label, progress: Progress = progress) -> None:
                    progress.update(task, description=f"{label}: {read} bản ghi / records")

                results.append(import_nvd_file(path=path, progress=shown))
            _print_import(results[-1])
        if kev is not None:
            results.append(import_kev_file(path_or_bytes=kev))
            _print_import(results[-1])
        if refresh and any(result.ok for result in results):
            _refresh_exposures()
    if not all(result.ok for result in results):
        raise typer.Exit(1)


def _refresh_exposures() -> None:
    from haidang.apps.advisories.matching import exposures_refresh

    with err.status("Đối chiếu kiểm kê… / matching the inventory…"):
        run = exposures_refresh()
    out.print(
        f"Đối chiếu {run.rows} dòng kiểm kê: {run.matches} cặp hệ thống – CVE, {run.opened} mới, {run.closed} hết "
        f"ảnh hưởng, {run.review_total} cần xem xét. / {run.rows} inventory rows: {run.matches} system–CVE pairs, "
        f"{run.opened} new, {run.closed} resolved, {run.review_total} to review."
    )


@advisories_app.command("refresh")
def advisories_refresh() -> None:
    """Đối chiếu lại toàn bộ kiểm kê với dữ liệu lỗ hổng. / Match the whole inventory against the stored records."""
    _setup()
    with _cli_origin():
        _refresh_exposures()


@advisories_app.command("download")
def advisories_download() -> None:
    """Tải ngay danh mục KEV và các thay đổi của NVD (cần Internet), rồi đối chiếu lại. / Download the feeds now.

    Dùng HAIDANG_KEV_URL, HAIDANG_NVD_API_URL, HAIDANG_NVD_API_KEY. Exit 1 nếu nguồn nào lỗi. / Exit 1 when a
    source failed.
    """
    _setup()
    from haidang.apps.advisories.feeds import download_kev, download_nvd

    with _cli_origin():
        with err.status("Tải danh mục KEV… / downloading KEV…"):
            kev = download_kev()
        _print_import(kev)
        with err.status("Tải thay đổi từ NVD… / downloading NVD changes…"):
            nvd = download_nvd()
        _print_import(nvd)
        if kev.ok or nvd.ok:
            _refresh_exposures()
    if not (kev.ok and nvd.ok):
        raise typer.Exit(1)


def _print_import(result: FeedImport) -> None:
    from rich.markup import escape

    name, message = escape(result.file_name or result.source), escape(result.message)
    if result.ok:
        out.print(
            f"[green]✓[/] {name}: {message} / read {result.records_read}, created {result.created}, "
            f"updated {result.updated}, unchanged {result.unchanged}, skipped {result.skipped}."
        )
    else:
        err.print(f"[bold red]✗[/] {name}: {message} / import failed.")
