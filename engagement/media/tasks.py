"""The worker's media jobs (Celery): processing an upload, with retries and then a reported
failure, and the watermarked download copy. ``enqueue_*`` queue them after the current commit."""

import logging

from celery import shared_task
from celery.app.task import Task
from django.conf import settings
from django.db import transaction

from engagement.media import ffmpeg, processing

logger = logging.getLogger(__name__)
# What a retry may cure: a tool missing for now, a file system or bucket that failed, a timeout.
_RETRYABLE = (ffmpeg.MediaError, ffmpeg.FFmpegMissing, OSError)


def _backoff(retries: int) -> int:
    return 10 * 3**retries


@shared_task(bind=True, name="media.process_video", max_retries=None)
def process_video(self: Task, video_id: int) -> None:
    """Process an uploaded draft; ``MEDIA_PROCESSING_RETRIES`` more tries after a failure, then
    FAILED with the reason (``Video.processingError``); FAILED at once on an unexpected error."""
    try:
        processing.process(video_id)
    except _RETRYABLE as exc:
        if self.request.retries < settings.MEDIA_PROCESSING_RETRIES:
            logger.warning("processing video %s failed, retrying: %s", video_id, exc)
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
        logger.error("processing video %s failed for good: %s", video_id, exc)
        processing.fail(video_id, str(exc))
    except Exception:
        # A bug is not cured by trying again, but the draft must not stay PROCESSING: its owner
        # could never upload it again (``restartVideoUpload`` takes a FAILED draft).
        processing.fail(video_id, processing.FAILED_ON_OUR_SIDE)
        raise


@shared_task(bind=True, name="media.make_download_copy", max_retries=None)
def make_download_copy(self: Task, video_id: int) -> None:
    """The watermarked download copy of a published video (``downloadVideo`` asks for it)."""
    try:
        processing.make_download_copy(video_id)
    except _RETRYABLE as exc:
        if self.request.retries < settings.MEDIA_PROCESSING_RETRIES:
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
        logger.error("the download copy of video %s failed: %s", video_id, exc)


def enqueue_processing(video_id: int) -> None:
    transaction.on_commit(lambda: process_video.delay(video_id))


def enqueue_download_copy(video_id: int) -> None:
    transaction.on_commit(lambda: make_download_copy.delay(video_id))
