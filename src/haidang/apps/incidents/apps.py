from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "haidang.apps.incidents"
    label = "incidents"
    verbose_name = "Sự cố"
