"""Live notifications over WebSocket (graphql-transport-ws), on both endpoints: what arrives, as
``Me.notifications`` would show it, and what never does."""

from functools import partial
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from accounts.models import Block, Mute, User
from engagement import services
from engagement.media import downloads
from engagement.models import Visibility
from tests.factories import attach_files, make_user, make_video
from tests.websockets import ENDPOINTS, Socket, run, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

call = database_sync_to_async


@pytest.fixture(params=sorted(ENDPOINTS))
def path(request: pytest.FixtureRequest) -> str:
    return ENDPOINTS[request.param]


@pytest.fixture
def creator() -> User:
    return make_user("creator")


@pytest.fixture
def fan() -> User:
    return make_user("fan")


def test_a_like_arrives_with_the_notification_and_the_new_unread_count(
    asgi_application: Any, path: str, creator: User, fan: User
) -> None:
    """Given the creator subscribed, when a fan likes their video, then a ``next`` brings the
    like's notification as ``Me.notifications`` shows it and the unread count after it."""
    video = make_video(creator, caption="sunset")

    cookie = session_cookie(creator)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        first = await socket.live()
        await call(services.like_add)(actor=fan, video_id=video.pk)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert first == {"unreadNotificationCount": 0, "notification": None}
        assert event["unreadNotificationCount"] == 1
        assert event["notification"]["kind"] == "LIKE"
        assert event["notification"]["isRead"] is False
        assert event["notification"]["actor"] == {"username": "fan"}
        assert event["notification"]["video"] == {"caption": "sunset"}

    run(conversation)


def test_marking_notifications_read_sends_the_new_count(
    asgi_application: Any, path: str, creator: User, fan: User
) -> None:
    video = make_video(creator)
    services.like_add(actor=fan, video_id=video.pk)

    cookie = session_cookie(creator)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        first = await socket.live()
        await call(services.notifications_mark_read)(actor=creator)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert first == {"unreadNotificationCount": 1, "notification": None}
        assert event == {"unreadNotificationCount": 0, "notification": None}

    run(conversation)


def test_a_deleted_comment_lowers_the_count(asgi_application: Any, path: str, creator: User, fan: User) -> None:
    video = make_video(creator)
    comment = services.comment_create(actor=fan, video_id=video.pk, text="nice")

    cookie = session_cookie(creator)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        first = await socket.live()
        await call(services.comment_delete)(actor=fan, comment_id=comment.pk)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert first["unreadNotificationCount"] == 1
        assert event == {"unreadNotificationCount": 0, "notification": None}

    run(conversation)


@database_sync_to_async
def _signal(creator: User, fan: User) -> None:
    """A like of a new video of the creator's: an event that does arrive, sent after what is
    checked, so that a quiet subscription is proven to have been listening."""
    video = make_video(creator, caption="signal")
    services.like_add(actor=fan, video_id=video.pk)


def _next_is_the_signal(event: dict[str, Any]) -> None:
    assert event["notification"]["kind"] == "LIKE" and event["notification"]["video"] == {"caption": "signal"}


def test_nothing_arrives_for_another_persons_notifications(
    asgi_application: Any, path: str, creator: User, fan: User
) -> None:
    """Given the fan subscribed, when someone likes the creator's video, then the fan's
    subscription gets nothing of it."""
    other = make_user("other")
    video = make_video(creator)

    cookie = session_cookie(fan)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        await socket.live()
        await call(services.like_add)(actor=other, video_id=video.pk)
        quiet = await socket.quiet()
        await _signal(fan, other)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert quiet
        _next_is_the_signal(event)

    run(conversation)


def test_saves_downloads_views_and_shares_send_nothing(
    asgi_application: Any, path: str, creator: User, fan: User
) -> None:
    """Given the creator subscribed, when a fan saves, downloads, views and shares their video,
    then nothing arrives (none of them notifies), and the next event is the fan's like."""
    video = make_video(creator, allow_download=True)
    attach_files(video)
    cookie = session_cookie(creator)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        await socket.live()
        await call(services.favorite_add)(actor=fan, video_id=video.pk)
        await call(downloads.download_create)(actor=fan, video_id=video.pk)
        await call(services.view_record)(actor=fan, video_id=video.pk, watched_seconds=3, traffic_source="FOR_YOU")
        await call(services.share_create)(actor=fan, video_id=video.pk, channel="COPY_LINK")
        quiet = await socket.quiet()
        await _signal(creator, fan)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert quiet
        _next_is_the_signal(event)
        assert event["unreadNotificationCount"] == 1

    run(conversation)


def _comment_then(relation: str, creator: User, fan: User, video_id: int) -> None:
    """The fan's comment and then the block or mute (rows made directly), in one transaction: the
    notification is written and published, and the rule holds by the time it is read."""
    with transaction.atomic():
        services.comment_create(actor=fan, video_id=video_id, text="hi")
        if relation == "the creator muted the fan":
            Mute.objects.create(muter=creator, muted=fan)
        elif relation == "the creator blocked the fan":
            Block.objects.create(blocker=creator, blocked=fan)
        else:
            Block.objects.create(blocker=fan, blocked=creator)


RELATIONS = ("the creator blocked the fan", "the fan blocked the creator", "the creator muted the fan")


def test_nothing_arrives_from_a_blocked_or_muted_actor(
    asgi_application: Any, path: str, creator: User, fan: User, subtests: pytest.Subtests
) -> None:
    """Given the creator subscribed, when a fan's comment is written and a block either way or a
    mute by the creator follows before it is delivered, then nothing arrives: delivery reads
    through the same policy as ``Me.notifications``, and the count leaves it out. (A fan and a
    video per relation; one subtest each.)"""
    cookie = session_cookie(creator)
    other = make_user("other")

    async def conversation(relation: str, commenter: User, video_id: int) -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        first = await socket.live()
        await call(_comment_then)(relation, creator, commenter, video_id)
        quiet = await socket.quiet()
        await _signal(creator, other)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert quiet
        _next_is_the_signal(event)
        assert event["unreadNotificationCount"] == first["unreadNotificationCount"] + 1

    for index, relation in enumerate(RELATIONS):
        commenter, video = make_user(f"fan{index}"), make_video(creator)
        with subtests.test(relation=relation):
            run(partial(conversation, relation, commenter, video.pk))


def test_a_video_that_became_invisible_arrives_without_it(asgi_application: Any, path: str, creator: User) -> None:
    """Video visibility applies at delivery: a mention on a video the recipient may no longer see
    arrives with ``video: null``."""
    mentioned = make_user("mentioned")
    video = make_video(creator, caption="secret soon")

    cookie = session_cookie(mentioned)

    async def conversation() -> None:
        socket = Socket(asgi_application, path, cookie=cookie)
        await socket.connect()
        await socket.live()
        await call(_mention_then_hide)(creator, video.pk)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert event["notification"]["kind"] == "MENTION"
        assert event["notification"]["video"] is None

    run(conversation)


def _mention_then_hide(creator: User, video_id: int) -> None:
    """A mention, and the video made private before the subscription reads it (one transaction)."""
    with transaction.atomic():
        services.comment_create(actor=creator, video_id=video_id, text="look @mentioned")
        services.video_update(actor=creator, video_id=video_id, visibility=Visibility.PRIVATE)
