from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "haidang.apps.registry"
    label = "registry"
    verbose_name = "Danh mục đơn vị và hệ thống"
