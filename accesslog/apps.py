from django.apps import AppConfig


class AccesslogConfig(AppConfig):
    """Staff access to people's private rows: the explicit permission it takes and the log of
    every access (docs/PRIVACY.md, "Staff")."""

    name = "accesslog"
    verbose_name = "Personal data access"
    default_auto_field = "django.db.models.BigAutoField"
