from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, privacy settings and the follow graph."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
