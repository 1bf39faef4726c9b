from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "haidang.apps.ops"
    label = "ops"
    verbose_name = "Vận hành"
