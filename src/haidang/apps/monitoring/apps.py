from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "haidang.apps.monitoring"
    label = "monitoring"
    verbose_name = "Giám sát trang web"

    def ready(self) -> None:
        from haidang.apps.monitoring import receivers  # noqa: F401
