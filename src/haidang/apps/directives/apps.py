from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "haidang.apps.directives"
    label = "directives"
    verbose_name = "Văn bản chỉ đạo"
