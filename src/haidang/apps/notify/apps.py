from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "haidang.apps.notify"
    label = "notify"
    verbose_name = "Thông báo"
