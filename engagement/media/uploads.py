"""Posting a video with its file: a draft and an upload link first, then the file itself, checked
before anything is kept, then the worker (``engagement.tasks``).

The file goes to this service (``PUT`` to the upload link) rather than straight to a bucket, so
that it is checked where the refusal can still be answered: a body larger than
``MEDIA_MAX_UPLOAD_BYTES``, of a type not listed, that ffprobe cannot read, that holds no video
stream or that runs longer than ``MEDIA_MAX_DURATION_SECONDS`` is refused with its reason, and
nothing of it is stored. Sending the same file again is safe until the worker has taken it (the upload
replaces the previous one); a new link (``upload_restart``) ends the old one."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.selectors import require_signed_in
from accounts.viewers import Viewer
from engagement import policies, selectors, services
from engagement.media import ffmpeg, links, storage
from engagement.models import MAX_DURATION_SECONDS, ProcessingState, Video, VideoMedia
from kernel.errors import DomainError, InvalidInput, NotFound, PermissionDenied, Unavailable

UPLOAD_GONE = "This upload link is invalid, has expired, or its upload was already received."
# States in which a draft still takes a file: before the worker took it, or after it failed.
_TAKES_A_FILE = (ProcessingState.AWAITING_UPLOAD, ProcessingState.UPLOADED, ProcessingState.FAILED)


class UploadRefused(DomainError):
    """The body is not an acceptable video; ``status`` is the HTTP answer's."""

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class Readable(Protocol):
    """A request body (Django's ``HttpRequest`` reads like a file)."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class UploadTicket:
    """Where and until when to ``PUT`` the draft's file, and how large it may be."""

    video: Video
    url: str
    expires_at: datetime
    max_bytes: int
    content_types: tuple[str, ...]


def _ticket(media: VideoMedia) -> UploadTicket:
    media.upload_nonce = secrets.token_hex(16)
    media.save(update_fields=["upload_nonce", "updated_at"])
    return UploadTicket(
        video=media.video,
        url=links.upload_url(media),
        expires_at=timezone.now() + timedelta(seconds=settings.MEDIA_UPLOAD_URL_SECONDS),
        max_bytes=settings.MEDIA_MAX_UPLOAD_BYTES,
        content_types=tuple(settings.MEDIA_UPLOAD_CONTENT_TYPES),
    )


def clean_declared_file(*, content_type: str, size_bytes: int) -> None:
    """What the client says of the file, checked before it uploads anything."""
    if content_type.split(";")[0].strip().lower() not in settings.MEDIA_UPLOAD_CONTENT_TYPES:
        allowed = ", ".join(settings.MEDIA_UPLOAD_CONTENT_TYPES)
        raise InvalidInput(f"contentType: a video of one of these types is accepted: {allowed}.", field="contentType")
    if not 0 < size_bytes <= settings.MEDIA_MAX_UPLOAD_BYTES:
        raise InvalidInput(
            f"sizeBytes: a video of 1 to {settings.MEDIA_MAX_UPLOAD_BYTES} bytes is accepted.", field="sizeBytes"
        )


@transaction.atomic
def upload_start(*, actor: Viewer, content_type: str, size_bytes: int, **settings_of_video: Any) -> UploadTicket:
    """A draft with the given settings (``services.video_draft``) and the link to upload its file to."""
    require_signed_in(actor)
    clean_declared_file(content_type=content_type, size_bytes=size_bytes)
    video = services.video_draft(actor=actor, **settings_of_video)
    return _ticket(VideoMedia.objects.create(video=video))


@transaction.atomic
def upload_restart(*, actor: Viewer, video_id: int) -> UploadTicket:
    """A new upload link for one's draft that has no file in the worker's hands (its link expired,
    or the file failed): the old link stops working."""
    me = require_signed_in(actor)
    video = selectors.video_get(viewer=me, video_id=video_id)
    if not policies.can_manage_video(me, video):
        raise PermissionDenied("Only the video's owner can upload its file.")
    media = VideoMedia.objects.select_for_update().filter(video=video).first()
    if media is None or video.processing_state not in _TAKES_A_FILE:
        raise InvalidInput("videoId: this video's file is already being processed or published.", field="videoId")
    return _ticket(media)


def _receive(body: Readable, target: Path, *, length: int) -> None:
    """Copy exactly ``length`` bytes of the body to ``target``; a short body is refused."""
    remaining = length
    with target.open("wb") as out:
        while remaining > 0:
            chunk = body.read(min(remaining, 1024 * 1024))
            if not chunk:
                raise UploadRefused("The upload ended before Content-Length bytes arrived.", status=400)
            out.write(chunk)
            remaining -= len(chunk)


def _checked_length(content_type: str, length: str | None) -> int:
    if content_type.split(";")[0].strip().lower() not in settings.MEDIA_UPLOAD_CONTENT_TYPES:
        allowed = ", ".join(settings.MEDIA_UPLOAD_CONTENT_TYPES)
        raise UploadRefused(f"Content-Type must be one of: {allowed}.", status=415)
    if length is None or not length.isdigit():
        raise UploadRefused("Content-Length is required (send the whole file in one request).", status=411)
    if not 0 < int(length) <= settings.MEDIA_MAX_UPLOAD_BYTES:
        raise UploadRefused(f"The file must be 1 to {settings.MEDIA_MAX_UPLOAD_BYTES} bytes long.", status=413)
    return int(length)


def _awaits_its_file(target: tuple[int, str]) -> bool:
    """Whether the link's ticket is still the draft's and the draft still takes a file. Asked
    before the body is read, so that a used or replaced link is refused like a forged one, at no
    cost; ``_keep`` asks again, with the row locked."""
    video_id, nonce = target
    return VideoMedia.objects.filter(
        video_id=video_id, upload_nonce=nonce, video__processing_state__in=_TAKES_A_FILE
    ).exists()


def upload_receive(
    *, token: str, body: Readable, content_type: str, length: str | None, enqueue: Callable[[int], None]
) -> Video:
    """Take the file an upload link was issued for: checked in a scratch folder, kept only when it
    is a video within the limits, then handed to the worker (``enqueue``, after the commit)."""
    target = links.upload_target(token)
    if target is None or not _awaits_its_file(target):
        raise NotFound(UPLOAD_GONE)
    size = _checked_length(content_type, length)
    with storage.workspace() as scratch:
        received = scratch / "upload"
        _receive(body, received, length=size)
        try:
            probe = ffmpeg.probe(received)
        except ffmpeg.FFmpegMissing as exc:
            raise Unavailable(str(exc)) from exc
        except ffmpeg.MediaError as exc:
            raise UploadRefused(str(exc)) from exc
        longest = min(settings.MEDIA_MAX_DURATION_SECONDS, MAX_DURATION_SECONDS)
        if probe.duration > longest:
            raise UploadRefused(f"The video runs {probe.duration:.0f} s; at most {longest} s are accepted.")
        if max(probe.width, probe.height) > settings.MEDIA_MAX_FRAME_SIDE:
            raise UploadRefused(
                f"The video is {probe.width}x{probe.height}; at most {settings.MEDIA_MAX_FRAME_SIDE} pixels a side "
                "are accepted."
            )
        return _keep(target, received, size=size, content_type=content_type, enqueue=enqueue)


def _keep(
    target: tuple[int, str], received: Path, *, size: int, content_type: str, enqueue: Callable[[int], None]
) -> Video:
    """Store the file and mark the draft UPLOADED, both or neither: a stored file whose
    transaction fails is deleted again, the file it replaced only once the transaction commits."""
    video_id, nonce = target
    stored = ""
    try:
        with transaction.atomic():
            media = (
                VideoMedia.objects.select_for_update(of=("self",))
                .select_related("video")
                .filter(video_id=video_id, upload_nonce=nonce, video__processing_state__in=_TAKES_A_FILE)
                .first()
            )
            if media is None:
                raise NotFound(UPLOAD_GONE)
            replaced = media.original
            stored = storage.save(storage.new_key(video_id, "original"), received)
            media.original = stored
            media.original_bytes, media.content_type = size, content_type.split(";")[0].strip().lower()
            media.attempts, media.error = 0, ""
            media.save()
            Video.objects.filter(pk=video_id).update(processing_state=ProcessingState.UPLOADED)
            transaction.on_commit(lambda: storage.delete(replaced))
            transaction.on_commit(lambda: enqueue(video_id))
    except BaseException:
        storage.delete(stored)
        raise
    media.video.processing_state = ProcessingState.UPLOADED
    return media.video
