from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "haidang.apps.audit"
    label = "audit"
    verbose_name = "Nhật ký thao tác"

    def ready(self) -> None:
        # Sign-ins are recorded from Django's auth signals: they fire for every login path
        # (web form, admin tools, tests) without each path having to remember.
        from haidang.apps.audit import receivers  # noqa: F401
