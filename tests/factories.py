"""Test data builders that go through the services, so fixtures obey the same rules as users."""

from itertools import count
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import F

from accounts.models import AccountType, Follow, FollowStatus, User
from engagement import services
from engagement.media import storage
from engagement.models import Video, VideoMedia, Visibility

_sequence = count(1)


def make_user(username: str | None = None, **fields: Any) -> User:
    """A user with a usable password (``pw-<username>-123!``)."""
    name = username or f"user{next(_sequence)}"
    fields.setdefault("account_type", AccountType.PERSONAL)
    user = User(username=name, email=f"{name}@example.com", **fields)
    user.set_password(password_of(name))
    user.save()
    return user


def password_of(username: str) -> str:
    return f"pw-{username}-123!"


def make_video(owner: User, *, visibility: str = Visibility.PUBLIC, **fields: Any) -> Video:
    fields.setdefault("caption", f"video by {owner.username}")
    fields.setdefault("duration_seconds", 30)
    return services.video_post(actor=owner, visibility=visibility, **fields)


def attach_files(video: Video, *, download_watermark: str | None = None) -> VideoMedia:
    """Give a video what the worker would have made of its upload, without ffmpeg: a playable
    copy, a poster and a download copy marked for ``download_watermark`` (the owner's username as
    it is now, by default), each a few stored bytes that say which file they are, so a test can
    tell what it was served. The video is READY already (``make_video``)."""
    watermark = video.owner.username if download_watermark is None else download_watermark

    def stored(name: str, content: str) -> str:
        return storage.media_storage().save(storage.new_key(video.pk, name), ContentFile(content.encode()))

    media, _ = VideoMedia.objects.update_or_create(
        video=video,
        defaults={
            "playback": stored("playback.mp4", f"playback copy of video {video.pk}"),
            "poster": stored("poster.jpg", f"poster of video {video.pk}"),
            "download": stored("download.mp4", f"download copy of video {video.pk}, marked @{watermark}"),
            "download_watermark": watermark,
            "width": 320,
            "height": 240,
        },
    )
    video.media = media
    return media


def make_follow(follower: User, followee: User, *, accepted: bool = True) -> Follow:
    """A follow edge set directly (no notification), for arranging a graph in tests."""
    status = FollowStatus.ACCEPTED if accepted else FollowStatus.PENDING
    edge = Follow.objects.create(follower=follower, followee=followee, status=status)
    if accepted:
        User.objects.filter(pk=followee.pk).update(follower_count=F("follower_count") + 1)
        User.objects.filter(pk=follower.pk).update(following_count=F("following_count") + 1)
    return edge


def make_friends(a: User, b: User) -> None:
    make_follow(a, b)
    make_follow(b, a)
