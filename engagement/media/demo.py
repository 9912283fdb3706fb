"""Playable files for the demo's videos, so that `make run` shows videos that play: a moving test
pattern with a tone for each of the demo creator's most viewed public videos, put through the
worker's own processing (``engagement.media.processing``) in this process."""

from collections.abc import Callable

from django.db import transaction

from engagement.media import ffmpeg, processing, storage
from engagement.models import ProcessingState, Video, VideoMedia, Visibility


def demo_videos(owner_username: str, count: int) -> list[Video]:
    """The owner's public originals without a file, most viewed first, as many as it takes for
    ``count`` of their videos to have one."""
    missing = count - VideoMedia.objects.filter(video__owner__username=owner_username).count()
    return list(
        Video.objects.filter(
            owner__username=owner_username,
            visibility=Visibility.PUBLIC,
            remix_of__isnull=True,
            media__isnull=True,
            processing_state=ProcessingState.READY,
        ).order_by("-counters__view_count", "pk")[: max(missing, 0)]
    )


def attach_clip(video: Video, *, number: int, seconds: int) -> None:
    """Make a clip for ``video``, store it as its upload, and process it as the worker would."""
    pattern = ffmpeg.PATTERNS[number % len(ffmpeg.PATTERNS)]
    with storage.workspace() as scratch:
        clip = scratch / "clip.mp4"
        ffmpeg.make_pattern_clip(clip, seconds=seconds, pattern=pattern, tone_hz=220 + 110 * number)
        with transaction.atomic():
            key = storage.save(storage.new_key(video.pk, "original"), clip)
            VideoMedia.objects.create(
                video=video, original=key, original_bytes=clip.stat().st_size, content_type="video/mp4"
            )
            Video.objects.filter(pk=video.pk).update(processing_state=ProcessingState.UPLOADED)
    try:
        processing.process(video.pk)
    except (ffmpeg.MediaError, OSError) as exc:
        processing.fail(video.pk, str(exc))
        raise


def attach_clips(videos: list[Video], *, seconds: int, advance: Callable[[], object]) -> None:
    for number, video in enumerate(videos):
        attach_clip(video, number=number, seconds=seconds)
        advance()
