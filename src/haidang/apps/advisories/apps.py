from django.apps import AppConfig


class AdvisoriesConfig(AppConfig):
    name = "haidang.apps.advisories"
    label = "advisories"
    verbose_name = "Cảnh báo lỗ hổng"
