from django.apps import AppConfig


class EngagementConfig(AppConfig):
    """Videos and every interaction with them, their counters and notifications."""

    name = "engagement"
    default_auto_field = "django.db.models.BigAutoField"
