from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "haidang.apps.audit"
    label = "audit"
    verbose_name = "Nhật ký thao tác"
