from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "haidang.apps.duty"
    label = "duty"
    verbose_name = "Lịch trực"
