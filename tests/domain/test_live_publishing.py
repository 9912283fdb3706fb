"""Live notifications, the publishing side (engagement/live.py): a notification written, read or
removed is published to its recipient's group once the transaction commits, with nothing but an
id; a channel layer that is down or stalled never fails the write nor holds it up for long. And
the scope a delivery reads through: a blocked or muted actor's notifications are hidden."""

import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import override_settings

from accounts.models import Block, Mute, User
from engagement import live, selectors, services
from engagement.media import downloads
from engagement.models import Notification
from tests.factories import attach_files, make_user, make_video, password_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _publishing_not_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live._Pause, "until", 0.0)
    async_to_sync(get_channel_layer().flush)()


@pytest.fixture
def creator() -> User:
    return make_user("creator")


def _listening(user: User) -> str:
    """A channel in the user's group, as a subscription's consumer joins it."""
    layer = get_channel_layer()
    channel: str = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(live.notifications_group(user.pk), channel)
    return channel


def _received(channel: str) -> list[dict[str, Any]]:
    """What reached the channel (the in-memory layer's queue), without waiting."""
    queue = get_channel_layer().channels.get(channel)
    messages = []
    while queue is not None and not queue.empty():
        messages.append(queue.get_nowait()[1])
    return messages


def test_a_notification_is_published_to_its_recipient_on_commit(
    creator: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Given the creator listening, when a fan's like commits, then the creator's group gets one
    message naming the notification and nothing else; before the commit, nothing."""
    channel = _listening(creator)
    video = make_video(creator)

    with django_capture_on_commit_callbacks(execute=True):
        services.like_add(actor=make_user("fan"), video_id=video.pk)
        before_commit = _received(channel)

    notification = Notification.objects.get(recipient=creator)
    assert before_commit == []
    assert _received(channel) == [{"type": live.NOTIFICATIONS_CHANGED, "notification_id": notification.pk}]


def test_a_rolled_back_write_publishes_nothing(creator: User, django_capture_on_commit_callbacks: Any) -> None:
    channel = _listening(creator)
    video = make_video(creator)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.like_add(actor=make_user("fan"), video_id=video.pk)
        transaction.set_rollback(True)

    assert _received(channel) == []


def test_marking_read_and_deleting_publish_the_count_change(
    creator: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Notifications read, or gone with their comment: a message without an id (the count)."""
    fan = make_user("fan")
    video = make_video(creator)
    comment = services.comment_create(actor=fan, video_id=video.pk, text="hello")
    channel = _listening(creator)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_delete(actor=fan, comment_id=comment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.like_add(actor=fan, video_id=video.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_mark_read(actor=creator)
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_mark_read(actor=creator)  # nothing left to mark: nothing to tell

    kinds = [message["notification_id"] is None for message in _received(channel)]
    assert kinds == [True, False, True]


def test_a_deleted_video_or_account_tells_whose_unread_count_drops(
    creator: User, django_capture_on_commit_callbacks: Any
) -> None:
    """A video deleted with the unread mention it had, an account deleted with the unread like it
    made: each recipient hears that their count changed; someone whose notifications were read
    hears nothing."""
    fan, mentioned, reader = make_user("fan"), make_user("mentioned"), make_user("reader")
    video = make_video(creator)
    services.comment_create(actor=creator, video_id=video.pk, text="hi @mentioned and @reader")
    services.notifications_mark_read(actor=reader)
    services.like_add(actor=fan, video_id=make_video(creator).pk)
    channels = {user.username: _listening(user) for user in (creator, mentioned, reader)}

    with django_capture_on_commit_callbacks(execute=True):
        services.video_delete(actor=creator, video_id=video.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete_account(actor=fan, password=password_of("fan"))

    heard = {name: _received(channel) for name, channel in channels.items()}
    count_changed = {"type": live.NOTIFICATIONS_CHANGED, "notification_id": None}
    assert heard == {"creator": [count_changed], "mentioned": [count_changed], "reader": []}


def test_saves_downloads_views_and_shares_publish_nothing(
    creator: User, django_capture_on_commit_callbacks: Any
) -> None:
    channel = _listening(creator)
    video = make_video(creator, allow_download=True)
    attach_files(video)
    fan = make_user("fan")

    with django_capture_on_commit_callbacks(execute=True):
        services.favorite_add(actor=fan, video_id=video.pk)
        downloads.download_create(actor=fan, video_id=video.pk)
        services.view_record(actor=fan, video_id=video.pk, watched_seconds=3, traffic_source="FOR_YOU")
        services.share_create(actor=fan, video_id=video.pk, channel="COPY_LINK")

    assert _received(channel) == []


@pytest.fixture
def stalled_redis() -> Iterator[str]:
    """A Redis URL whose server accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        server.close()


def _closed_port() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


def _redis_layer(url: str) -> dict[str, Any]:
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}}


@pytest.mark.parametrize("fault", ["refused", "stalled"])
def test_a_channel_layer_that_is_down_never_fails_or_holds_up_a_write(
    creator: User,
    fault: str,
    stalled_redis: str,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Given Redis refusing connections or accepting and never answering, when likes commit,
    then each write succeeds, the first within the publish timeout and logged, and the next ones
    without trying (publishing paused)."""
    video, other_video = make_video(creator), make_video(creator)
    url = stalled_redis if fault == "stalled" else _closed_port()

    with override_settings(CHANNEL_LAYERS=_redis_layer(url), LIVE_PUBLISH_TIMEOUT_SECONDS=0.3):
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, "engagement.live"), django_capture_on_commit_callbacks(execute=True):
            services.like_add(actor=make_user("fan"), video_id=video.pk)
        first = time.monotonic() - started
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            services.like_add(actor=make_user("another_fan"), video_id=other_video.pk)
        second = time.monotonic() - started

    assert Notification.objects.filter(recipient=creator).count() == 2
    assert first < 0.3 + 0.5 and second < 0.2
    assert [record.message.split(" to ")[0] for record in caplog.records] == ["Live notifications not published"]


def test_a_blocked_or_muted_actors_notifications_are_hidden_and_not_counted(creator: User) -> None:
    """The scope every read of notifications goes through (``Me.notifications``, the unread count
    and live delivery): hidden while the block (either way) or the mute lasts."""
    video = make_video(creator)
    blocked, blocking, muted, friend = (make_user(name) for name in ("blocked", "blocking", "muted", "friend"))
    for fan in (blocked, blocking, muted, friend):
        services.like_add(actor=fan, video_id=video.pk)
    Block.objects.create(blocker=creator, blocked=blocked)
    Block.objects.create(blocker=blocking, blocked=creator)
    Mute.objects.create(muter=creator, muted=muted)

    page = selectors.notifications_page(viewer=creator, first=10, after=None)

    assert [notification.actor.username for notification in page.items] == ["friend"]
    assert selectors.unread_notification_count(viewer=creator) == 1
    hidden = Notification.objects.get(recipient=creator, actor=muted)
    assert selectors.notification_event(viewer=creator, notification_id=hidden.pk) is None
