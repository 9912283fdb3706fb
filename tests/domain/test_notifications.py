"""Which interactions notify (docs/ARCHITECTURE.md, "The privacy contract"): saves, downloads, views and
shares never notify anyone; likes, comments, follows, follow requests, mentions, duets and stitches do;
acting on your own video notifies no one.
"""

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from engagement import services
from engagement.media import downloads
from engagement.models import Notification, NotificationKind, RemixKind, Video, Visibility
from tests.domain.helpers import anonymous
from tests.factories import attach_files, make_follow, make_friends, make_user, make_video

pytestmark = pytest.mark.django_db

SILENT_ACTIONS: dict[str, Callable[[Any, Video], object]] = {
    "favorite_add": lambda actor, video: services.favorite_add(actor=actor, video_id=video.pk),
    "download_create": lambda actor, video: downloads.download_create(actor=actor, video_id=video.pk),
    "view_record": lambda actor, video: services.view_record(
        actor=actor, video_id=video.pk, watched_seconds=30, traffic_source="FOR_YOU"
    ),
    "share_create": lambda actor, video: services.share_create(actor=actor, video_id=video.pk, channel="COPY_LINK"),
}


def notifications() -> list[tuple[int, int, str, int | None]]:
    return list(Notification.objects.order_by("pk").values_list("recipient_id", "actor_id", "kind", "video_id"))


@pytest.mark.parametrize("relation", ["stranger", "follower", "friend"])
@pytest.mark.parametrize("action", list(SILENT_ACTIONS))
def test_silent_actions_create_no_notification(action: str, relation: str) -> None:
    """Whoever the actor is to the creator, a save, download, view or share tells no one."""
    creator, actor = make_user(), make_user()
    if relation == "follower":
        make_follow(actor, creator)
    elif relation == "friend":
        make_friends(actor, creator)
    video = make_video(creator)
    attach_files(video)

    SILENT_ACTIONS[action](actor, video)
    SILENT_ACTIONS[action](actor, video)

    assert notifications() == []


def test_anonymous_view_notifies_no_one() -> None:
    video = make_video(make_user())
    services.view_record(actor=anonymous(), video_id=video.pk, watched_seconds=30, traffic_source="FOR_YOU")
    assert notifications() == []


def test_like_notifies_the_owner() -> None:
    creator, fan = make_user(), make_user()
    video = make_video(creator)

    services.like_add(actor=fan, video_id=video.pk)

    assert notifications() == [(creator.pk, fan.pk, NotificationKind.LIKE, video.pk)]


def test_comment_notifies_the_owner_with_the_comment() -> None:
    creator, fan = make_user(), make_user()
    video = make_video(creator)

    comment = services.comment_create(actor=fan, video_id=video.pk, text="love it")

    assert notifications() == [(creator.pk, fan.pk, NotificationKind.COMMENT, video.pk)]
    assert Notification.objects.get().comment_id == comment.pk


def test_follow_and_follow_request_notify_the_followee() -> None:
    fan, public, private = make_user(), make_user(), make_user(is_private=True)

    services.follow(actor=fan, username=public.username)
    services.follow(actor=fan, username=private.username)

    assert notifications() == [
        (public.pk, fan.pk, NotificationKind.FOLLOW, None),
        (private.pk, fan.pk, NotificationKind.FOLLOW_REQUEST, None),
    ]


def test_mention_notifies_mentioned_users_who_can_see_the_video() -> None:
    """Given a friends-only video, when a friend mentions another friend and a stranger, then the
    friend who can see the video is told and the stranger is not (the mention must not leak it)."""
    creator, author, insider, outsider = make_user(), make_user(), make_user(), make_user()
    make_friends(creator, author)
    make_friends(creator, insider)
    gone = make_user(is_active=False)
    video = make_video(creator, visibility=Visibility.FRIENDS)

    comment = services.comment_create(
        actor=author,
        video_id=video.pk,
        text=f"@{insider.username.upper()} look! cc @{outsider.username} @{gone.username} @nobody.at.all",
    )

    mentions = Notification.objects.filter(kind=NotificationKind.MENTION)
    assert list(mentions.values_list("recipient_id", "actor_id", "comment_id")) == [(insider.pk, author.pk, comment.pk)]
    assert not Notification.objects.filter(recipient__in=[outsider, gone]).exists()


def test_mention_on_a_public_video_reaches_anyone_active() -> None:
    creator, author, mentioned = make_user(), make_user(), make_user()
    video = make_video(creator)

    services.comment_create(actor=author, video_id=video.pk, text=f"hey @{mentioned.username}, and again @{mentioned}")

    assert Notification.objects.filter(kind=NotificationKind.MENTION, recipient=mentioned).count() == 1


def test_email_address_in_a_comment_is_not_a_mention() -> None:
    creator, author, mentioned = make_user(), make_user(), make_user()
    video = make_video(creator)

    services.comment_create(actor=author, video_id=video.pk, text=f"mail me at me@{mentioned.username}")

    assert not Notification.objects.filter(kind=NotificationKind.MENTION).exists()


@pytest.mark.parametrize("kind", [RemixKind.DUET, RemixKind.STITCH])
def test_duet_and_stitch_notify_the_source_owner(kind: str) -> None:
    creator, remixer = make_user(), make_user()
    source = make_video(creator)

    remix = services.video_post(
        actor=remixer, caption="remix", duration_seconds=8, remix_of_id=source.pk, remix_kind=kind
    )

    assert notifications() == [(creator.pk, remixer.pk, kind, remix.pk)]


OWN_VIDEO_ACTIONS: dict[str, Callable[[User, Video], object]] = {
    **SILENT_ACTIONS,
    "like_add": lambda me, video: services.like_add(actor=me, video_id=video.pk),
    "comment_create": lambda me, video: services.comment_create(actor=me, video_id=video.pk, text="my own video"),
    "mention_self": lambda me, video: services.comment_create(actor=me, video_id=video.pk, text=f"@{me.username}"),
    "duet": lambda me, video: services.video_post(
        actor=me, caption="", duration_seconds=5, remix_of_id=video.pk, remix_kind=RemixKind.DUET
    ),
    "stitch": lambda me, video: services.video_post(
        actor=me, caption="", duration_seconds=5, remix_of_id=video.pk, remix_kind=RemixKind.STITCH
    ),
}


@pytest.mark.parametrize("action", list(OWN_VIDEO_ACTIONS))
def test_acting_on_your_own_video_notifies_nobody(action: str) -> None:
    me = make_user()
    make_friends(me, make_user())  # an audience exists that could wrongly be told
    video = make_video(me, visibility=Visibility.FRIENDS)
    attach_files(video)

    OWN_VIDEO_ACTIONS[action](me, video)

    assert notifications() == []
