"""The worker's jobs on a video's files, run by ``engagement.media.tasks``: the playable copy and
the poster of an uploaded draft, which publish it, and the download copy marked with the
creator's @username. Each job claims its video in the database first, so a job delivered twice,
or run by two workers at once, does its work once; files are made in a scratch folder and stored
only when all of them are made, and the files they replace are deleted after the commit."""

import math
from dataclasses import dataclass

from django.db import transaction

from engagement import services
from engagement.media import ffmpeg, storage
from engagement.models import MAX_DURATION_SECONDS, ProcessingState, Video, VideoMedia

PROCESSING_FAILED = "The video could not be processed: {reason} Upload it again, or another file."
FAILED_ON_OUR_SIDE = "an error on our side."


@dataclass(frozen=True)
class Made:
    playback: str
    poster: str
    download: str
    watermark: str
    probe: ffmpeg.Probe


def _claim(video_id: int) -> VideoMedia | None:
    """Mark the draft PROCESSING and count the attempt; None when there is nothing to do (the
    video is gone, already published, or not uploaded)."""
    with transaction.atomic():
        media = (
            VideoMedia.objects.select_for_update(of=("self",))
            .select_related("video__owner")
            .filter(
                video_id=video_id, video__processing_state__in=(ProcessingState.UPLOADED, ProcessingState.PROCESSING)
            )
            .first()
        )
        if media is None or not media.original:
            return None
        media.attempts += 1
        media.save(update_fields=["attempts", "updated_at"])
        Video.objects.filter(pk=video_id).update(processing_state=ProcessingState.PROCESSING)
        return media


def process(video_id: int) -> bool:
    """Make the playable copy, the poster and (when the creator allows downloads) the download
    copy of an uploaded draft, then publish it. False when there was nothing to do."""
    media = _claim(video_id)
    if media is None:
        return False
    video = media.video
    with storage.workspace() as scratch:
        source = storage.fetch(media.original, scratch / "original")
        probe = ffmpeg.probe(source)
        playback, poster = scratch / "playback.mp4", scratch / "poster.jpg"
        ffmpeg.make_rendition(source, playback)
        ffmpeg.make_poster(playback, poster, duration=probe.duration)
        download, watermark = scratch / "download.mp4", ""
        if video.allow_download:
            watermark = video.owner.username
            ffmpeg.make_watermarked(playback, download, username=watermark)
        made = Made(
            playback=storage.save(storage.new_key(video_id, "playback.mp4"), playback),
            poster=storage.save(storage.new_key(video_id, "poster.jpg"), poster),
            download=storage.save(storage.new_key(video_id, "download.mp4"), download) if watermark else "",
            watermark=watermark,
            probe=probe,
        )
    _publish(video_id, made)
    return True


def _publish(video_id: int, made: Made) -> None:
    new_keys = (made.playback, made.poster, made.download)
    with transaction.atomic():
        # The media row alone, which every writer of a draft locks first; not the joined rows:
        # PostgreSQL cannot lock the outer-joined remix source.
        media = (
            VideoMedia.objects.select_for_update(of=("self",))
            .select_related("video__owner", "video__remix_of__owner")
            .filter(video_id=video_id, video__processing_state=ProcessingState.PROCESSING)
            .first()
        )
        if media is None:  # deleted, or re-uploaded meanwhile: what was made is for no one
            transaction.on_commit(lambda: storage.delete(*new_keys))
            return
        old_keys = (media.playback, media.poster, media.download)
        media.playback, media.poster = made.playback, made.poster
        media.download, media.download_watermark = made.download, made.watermark
        media.width, media.height, media.error = made.probe.width, made.probe.height, ""
        media.save()
        video = media.video
        video.duration_seconds = min(max(math.ceil(made.probe.duration), 1), MAX_DURATION_SECONDS)
        video.processing_state = ProcessingState.READY
        video.save(update_fields=["duration_seconds", "processing_state"])
        services.video_published(video)
        transaction.on_commit(lambda: storage.delete(*old_keys))


def fail(video_id: int, reason: str) -> None:
    """Give up on a draft after its retries: FAILED with the reason for its owner, and none of its
    files kept (the upload included: they upload again with ``restartVideoUpload``)."""
    with transaction.atomic():
        media = (
            VideoMedia.objects.select_for_update(of=("self",))
            .filter(video_id=video_id)
            .exclude(video__processing_state=ProcessingState.READY)
            .first()
        )
        if media is None:  # gone, or published by another delivery of the job: its files stay
            return
        keys = (media.original, media.playback, media.poster, media.download)
        media.original = media.playback = media.poster = media.download = media.download_watermark = ""
        media.error = PROCESSING_FAILED.format(reason=reason)[:300]
        media.save()
        Video.objects.filter(pk=video_id).exclude(processing_state=ProcessingState.READY).update(
            processing_state=ProcessingState.FAILED
        )
        transaction.on_commit(lambda: storage.delete(*keys))


def make_download_copy(video_id: int) -> bool:
    """The download copy of a published video, marked with the owner's @username as it is now;
    False when one is current already or the video is not one to download."""
    media = VideoMedia.objects.select_related("video__owner").filter(video_id=video_id).first()
    if media is None or not _needs_download_copy(media):
        return False
    username = media.video.owner.username
    with storage.workspace() as scratch:
        copy = scratch / "download.mp4"
        ffmpeg.make_watermarked(storage.fetch(media.playback, scratch / "playback.mp4"), copy, username=username)
        key = storage.save(storage.new_key(video_id, "download.mp4"), copy)
    with transaction.atomic():
        current = VideoMedia.objects.select_for_update().filter(video_id=video_id, playback=media.playback).first()
        if current is None or not _needs_download_copy(current, username=username):
            transaction.on_commit(lambda: storage.delete(key))
            return False
        replaced = current.download
        current.download, current.download_watermark = key, username
        current.save(update_fields=["download", "download_watermark", "updated_at"])
        transaction.on_commit(lambda: storage.delete(replaced))
    return True


def _needs_download_copy(media: VideoMedia, *, username: str | None = None) -> bool:
    video = media.video
    wanted = username if username is not None else video.owner.username
    return (
        video.processing_state == ProcessingState.READY
        and bool(media.playback)
        and (not media.download or media.download_watermark != wanted)
    )


def download_copy_is_current(media: VideoMedia) -> bool:
    """Whether the download copy carries the owner's @username as it is now."""
    return bool(media.download) and media.download_watermark == media.video.owner.username
