from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haidang.apps.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
