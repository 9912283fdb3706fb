"""Downloads: counted, never notified, and handed out as a link that works once.

``downloadVideo`` is granted only while the creator allows downloads (the owner may always fetch
their own video), and the link leads to the copy marked with the creator's @username; when that
copy is missing or carries an old username, the worker is asked for one and the caller to try
again shortly (``UNAVAILABLE``), and nothing is counted. A link is decided again when it is used:
downloads turned off, the video hidden from the downloader, or the file replaced since, and it is
refused like an unknown one."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.policies import is_self
from accounts.selectors import require_signed_in
from accounts.viewers import Viewer
from engagement import counters, policies, selectors
from engagement.media import links, processing, tasks
from engagement.models import Download, ProcessingState, Video, VideoMedia
from kernel.errors import NotFound, PermissionDenied, Unavailable

DOWNLOAD_URL_TTL = timedelta(minutes=10)
DOWNLOAD_LINK_GONE = "This download link is invalid or has expired."
NO_FILE = "This video has no file to download."
PREPARING = "The download is being prepared; ask again in a few seconds."
PREPARING_SECONDS = 120


@dataclass(frozen=True)
class DownloadGrant:
    """A single-use link to the video's download copy, valid until ``expires_at``."""

    video: Video
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class DownloadFile:
    """What a used link serves: the file's key and the name to save it under."""

    key: str
    filename: str


def _link_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _file_for(viewer: Viewer, video: Video, media: VideoMedia | None) -> str:
    """The key ``viewer`` downloads: the marked copy, current; the owner's own playable copy when
    there is none (their video, their choice to keep downloads off); "" when neither is there."""
    if media is None or video.processing_state != ProcessingState.READY:
        return ""
    if processing.download_copy_is_current(media) and video.allow_download:
        return media.download
    return media.playback if is_self(viewer, video.owner) else ""


def download_create(*, actor: Viewer, video_id: int) -> DownloadGrant:
    """Count a download and hand out a link that works once, within ``DOWNLOAD_URL_TTL``; refused
    when downloads are off. The link is a random secret, so it tells nobody who asked or for
    which video; only its digest is stored, on the downloader's own ``Download`` row."""
    me = require_signed_in(actor)
    video = selectors.video_get(viewer=me, video_id=video_id)
    if not policies.can_download(me, video):
        raise PermissionDenied("The creator has turned downloads off for this video.")
    media = links.media_of(video)
    if not _file_for(me, video, media):
        if media is None or not media.playback:
            raise Unavailable(NO_FILE)
        # One job per video and username while it runs: each ask would otherwise queue an ffmpeg run.
        if cache.add(f"media:download-copy:{video.pk}:{video.owner.username}", True, PREPARING_SECONDS):
            tasks.enqueue_download_copy(video.pk)
        raise Unavailable(PREPARING)
    return _grant(me, video)


@transaction.atomic
def _grant(me: User, video: Video) -> DownloadGrant:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = now + DOWNLOAD_URL_TTL
    # The downloader's links that expired unused keep nothing either.
    Download.objects.filter(user=me, link_expires_at__lte=now).update(link_digest=None, link_expires_at=None)
    Download.objects.create(
        user=me, video=video, created_at=now, link_digest=_link_digest(token), link_expires_at=expires_at
    )
    counters.bump(video.pk, download_count=+1)
    return DownloadGrant(video=video, url=reverse("video-download", kwargs={"token": token}), expires_at=expires_at)


@transaction.atomic
def _download_link_use(digest: str) -> DownloadFile | None:
    """Use up the live link with ``digest`` and return the file its downloader may still
    download; None otherwise. Presenting a live link always uses it up, even when refused."""
    download = (
        Download.objects.select_related("user", "video__owner", "video__media").filter(link_digest=digest).first()
    )
    if download is None:
        return None
    # The conditional UPDATE is the claim: of two concurrent uses, the second finds no row.
    claimed = Download.objects.filter(pk=download.pk, link_digest=digest).update(link_digest=None, link_expires_at=None)
    if not claimed or download.link_expires_at is None or download.link_expires_at <= timezone.now():
        return None
    # Decided again now, for the person who asked: the video may have been hidden since, or the
    # follow that made a FRIENDS video visible to them removed, or downloads turned off.
    downloader, video = download.user, download.video
    if not (policies.can_view_video(downloader, video) and policies.can_download(downloader, video)):
        return None
    key = _file_for(downloader, video, links.media_of(video))
    return DownloadFile(key=key, filename=f"video-{video.pk}.mp4") if key else None


def download_redeem(*, token: str) -> DownloadFile:
    """The file a download link grants, using the link up. A missing, used, expired, forged or
    no longer permitted link is the same ``NotFound``, so a holder learns nothing about why."""
    granted = _download_link_use(_link_digest(token))
    if granted is None:
        raise NotFound(DOWNLOAD_LINK_GONE)
    return granted
