"""The worker's job of building an insights export (``export_files.build``), queued once the
request that asked for it commits."""

from celery import shared_task
from django.db import transaction

from engagement.analytics import export_files


@shared_task(name="engagement.build_insights_export")
def build_insights_export(export_id: int) -> None:
    """Build the export; what its owner can be told (a policy's refusal, a file not stored) is
    reported on it by ``build``. An unexpected error leaves it FAILED too, never PENDING for
    ever, and is raised for the worker's log: trying again would not cure a bug."""
    try:
        export_files.build(export_id)
    except Exception:
        export_files.fail(export_id, export_files.FAILED_ON_OUR_SIDE)
        raise


def enqueue_build(export_id: int) -> None:
    transaction.on_commit(lambda: build_insights_export.delay(export_id))
