"""The short-lived links to a video's files, and what they grant when used.

A playback or poster link is signed (Django's signing, the secret key) and names the video, the
file and the viewer it was issued to, with its time of issue; it works for ``MEDIA_URL_SECONDS``.
On every request, each byte range included, the video's visibility is decided again for that
viewer, so a link outlives neither the viewer's access (the video made friends-only or private, a
follow removed, a block) nor the file. An upload link names a draft and its ticket
(``VideoMedia.upload_nonce``) and works for ``MEDIA_UPLOAD_URL_SECONDS``, until the upload is
received or a new ticket is issued. Download links are single-use (``engagement.media.downloads``)."""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.urls import reverse

from accounts.models import User
from accounts.policies import Viewer, is_signed_in
from engagement import policies
from engagement.models import ProcessingState, Video, VideoMedia

_MEDIA_SALT = "engagement.media.links.file"
_UPLOAD_SALT = "engagement.media.links.upload"


class MediaFile(enum.StrEnum):
    PLAYBACK = "playback"
    POSTER = "poster"


def media_of(video: Video) -> VideoMedia | None:
    """The video's files, joined by the list that loaded it or read now (and kept on the row)."""
    try:
        return video.media
    except VideoMedia.DoesNotExist:
        return None


def file_url(viewer: Viewer, video: Video, kind: MediaFile) -> str | None:
    """A link to the video's ``kind`` for ``viewer``, who may see the video (the caller's field
    audience made sure); None while the video has no such file."""
    media = media_of(video)
    if video.processing_state != ProcessingState.READY or media is None or not getattr(media, kind.value):
        return None
    viewer_id = viewer.pk if is_signed_in(viewer) else 0
    token = signing.dumps([video.pk, kind.value, viewer_id], salt=_MEDIA_SALT)
    return reverse("video-media", kwargs={"token": token})


@dataclass(frozen=True)
class GrantedFile:
    key: str
    video: Video
    kind: MediaFile


def _viewer(viewer_id: int) -> Viewer:
    if viewer_id == 0:
        return AnonymousUser()
    user = User.objects.filter(pk=viewer_id, is_active=True).first()
    return user if user is not None else AnonymousUser()


def redeem_file(token: str) -> GrantedFile | None:
    """The file a link grants now, or None: a forged or expired link, a viewer who may no longer
    see the video, or a file that is gone all answer the same."""
    try:
        video_id, kind, viewer_id = signing.loads(token, salt=_MEDIA_SALT, max_age=settings.MEDIA_URL_SECONDS)
        kind = MediaFile(kind)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    viewer = _viewer(int(viewer_id))
    if viewer_id and not is_signed_in(viewer):
        return None  # the person it was issued to is gone or deactivated
    video = (
        policies.visible_videos(viewer, Video.objects.filter(pk=video_id, processing_state=ProcessingState.READY))
        .select_related("media")
        .first()
    )
    media = media_of(video) if video is not None else None
    key = getattr(media, kind.value, "") if media is not None else ""
    return GrantedFile(key=key, video=video, kind=kind) if video is not None and key else None


def upload_url(media: VideoMedia) -> str:
    token = signing.dumps([media.video_id, media.upload_nonce], salt=_UPLOAD_SALT)
    return reverse("video-upload", kwargs={"token": token})


def upload_target(token: str) -> tuple[int, str] | None:
    """(video id, ticket) an upload link names while it is within its time; None otherwise."""
    try:
        video_id, nonce = signing.loads(token, salt=_UPLOAD_SALT, max_age=settings.MEDIA_UPLOAD_URL_SECONDS)
        return int(video_id), str(nonce)
    except (signing.BadSignature, ValueError, TypeError):
        return None
