from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "haidang.apps.web"
    label = "web"
    verbose_name = "Giao diện web"
