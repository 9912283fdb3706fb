from django.apps import AppConfig
from django.db.models.signals import post_delete


class EngagementConfig(AppConfig):
    """Videos and every interaction with them, their counters and notifications."""

    name = "engagement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from engagement.analytics.export_files import delete_file  # noqa: PLC0415 (models load before ready)
        from engagement.media.cleanup import delete_files  # noqa: PLC0415
        from engagement.models import InsightsExport, VideoMedia  # noqa: PLC0415

        post_delete.connect(delete_files, sender=VideoMedia, dispatch_uid="engagement.media.delete_files")
        post_delete.connect(delete_file, sender=InsightsExport, dispatch_uid="engagement.analytics.export_delete_file")
