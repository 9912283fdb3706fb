"""Notification preferences: ``Me.notificationSettings`` and ``updateNotificationSettings``, and
the services asking them before a notification is written (docs/ARCHITECTURE.md, "Which
interactions notify"). A kind switched off writes no row; every other kind still does; saves,
downloads, views and shares notify no one whatever the settings."""

from collections.abc import Callable
from typing import Any

import pytest

from accounts import services as account_services
from accounts.models import User
from engagement import services
from engagement.media import downloads
from engagement.models import Notification, NotificationKind, RemixKind
from engagement.services import NOTIFICATION_PREFERENCES
from tests.analytics.conftest import token_for
from tests.api.cases import assert_data, assert_single_error
from tests.factories import attach_files, make_user, make_video

SETTINGS = "likes comments follows mentions duets stitches"
READ = f"{{ me {{ notificationSettings {{ {SETTINGS} }} }} }}"
UPDATE = f"""
mutation($input: UpdateNotificationSettingsInput!) {{
  updateNotificationSettings(input: $input) {{
    notificationSettings {{ {SETTINGS} }}
    me {{ username notificationSettings {{ likes }} }}
  }}
}}
"""
ALL_ON = dict.fromkeys(SETTINGS.split(), True)


def _follow_request(me: User, fan: User) -> None:
    User.objects.filter(pk=me.pk).update(is_private=True)
    services.follow(actor=fan, username=me.username)


def _reply(me: User, fan: User) -> None:
    video = make_video(make_user())
    mine = services.comment_create(actor=me, video_id=video.pk, text="my take")
    services.comment_create(actor=fan, video_id=video.pk, text="no", reply_to_id=mine.pk)


def _remix(kind: str) -> Callable[[User, User], object]:
    return lambda me, fan: make_video(fan, remix_of_id=make_video(me).pk, remix_kind=kind)


# Each kind of notification, sent to ``me`` by a fan (a new one each time, so no follow repeats).
TRIGGERS: dict[str, Callable[[User, User], object]] = {
    NotificationKind.LIKE: lambda me, fan: services.like_add(actor=fan, video_id=make_video(me).pk),
    NotificationKind.COMMENT: lambda me, fan: services.comment_create(
        actor=fan, video_id=make_video(me).pk, text="nice"
    ),
    NotificationKind.REPLY: _reply,
    NotificationKind.FOLLOW: lambda me, fan: services.follow(actor=fan, username=me.username),
    NotificationKind.MENTION: lambda me, fan: services.comment_create(
        actor=fan, video_id=make_video(make_user()).pk, text=f"look @{me.username}"
    ),
    NotificationKind.DUET: _remix(RemixKind.DUET),
    NotificationKind.STITCH: _remix(RemixKind.STITCH),
    NotificationKind.FOLLOW_REQUEST: _follow_request,  # last: it makes the account private
}


def kinds_received(me: User) -> set[str]:
    return set(Notification.objects.filter(recipient=me).values_list("kind", flat=True))


def test_every_kind_of_notification_asks_a_preference_and_the_silent_actions_have_none() -> None:
    """Every kind maps to one ``notify_*`` flag of the user, and no kind exists for a save,
    download, view or share (they never notify, so there is nothing to switch off)."""
    assert set(NOTIFICATION_PREFERENCES) == set(NotificationKind)
    assert {field.name for field in User._meta.fields if field.name.startswith("notify_")} == set(
        NOTIFICATION_PREFERENCES.values()
    )
    assert not {"SAVE", "FAVORITE", "DOWNLOAD", "VIEW", "SHARE"} & set(NotificationKind)


def test_every_kind_is_on_by_default(gql: Any, db: None) -> None:
    response = gql(make_user())(READ)

    assert assert_data(response, ("me", "notificationSettings")) == ALL_ON


def test_an_update_changes_only_the_kinds_given_and_returns_the_settings_and_me(gql: Any, db: None) -> None:
    """Given every kind on, when the viewer switches likes and duets off, then the payload shows
    them off and the rest on, ``me`` is the viewer, and a second identical call changes nothing."""
    me = make_user()
    client = gql(me)

    first = client(UPDATE, {"input": {"likes": False, "duets": False}})
    again = client(UPDATE, {"input": {"likes": False, "duets": False}})

    payload = assert_data(first, ("updateNotificationSettings",))
    assert payload["notificationSettings"] == {**ALL_ON, "likes": False, "duets": False}
    assert payload["me"] == {"username": me.username, "notificationSettings": {"likes": False}}
    assert again.body == first.body
    assert assert_data(client(READ), ("me", "notificationSettings")) == payload["notificationSettings"]


def test_an_anonymous_caller_and_a_token_cannot_change_them(gql: Any, db: None) -> None:
    """Sessions only: anonymous is UNAUTHENTICATED, a token (even PROFILE_READ) FORBIDDEN; nothing changes."""
    me = make_user()

    anonymous = gql(None)(UPDATE, {"input": {"likes": False}})
    token = gql(token=token_for(me, "PROFILE_READ", "INTERACTIONS_WRITE"))(UPDATE, {"input": {"likes": False}})

    assert assert_single_error(anonymous, "UNAUTHENTICATED")["path"] == ["updateNotificationSettings"]
    assert assert_single_error(token, "FORBIDDEN")["path"] == ["updateNotificationSettings"]
    me.refresh_from_db()
    assert me.notify_likes is True


@pytest.mark.parametrize("preference", sorted(ALL_ON))
def test_a_kind_switched_off_writes_no_row_and_every_other_kind_still_does(db: None, preference: str) -> None:
    """Given a user who switched one kind off, when someone does each thing that notifies, then
    exactly the kinds under that preference leave no row and every other kind is written."""
    me = make_user()
    account_services.user_update_notification_settings(actor=me, **{preference: False})

    for trigger in TRIGGERS.values():
        trigger(me, make_user())

    switched_off = {kind for kind, flag in NOTIFICATION_PREFERENCES.items() if flag == f"notify_{preference}"}
    assert switched_off
    assert kinds_received(me) == set(TRIGGERS) - switched_off


def test_with_every_kind_on_every_kind_is_written(db: None) -> None:
    me = make_user()

    for trigger in TRIGGERS.values():
        trigger(me, make_user())

    assert kinds_received(me) == set(TRIGGERS)


def test_follows_off_skips_the_request_notification_but_the_request_still_waits(gql: Any, db: None) -> None:
    """Given a private account with follows notifications off, when someone asks to follow it,
    then no notification is written and the request is in ``Me.followRequests``, ready to approve."""
    me, fan = make_user(is_private=True), make_user()
    account_services.user_update_notification_settings(actor=me, follows=False)

    services.follow(actor=fan, username=me.username)

    response = gql(me)("{ me { followRequests { edges { node { username } } } unreadNotificationCount } }")
    assert assert_data(response, ("me",)) == {
        "followRequests": {"edges": [{"node": {"username": fan.username}}]},
        "unreadNotificationCount": 0,
    }


def test_switching_a_kind_back_on_notifies_again_without_bringing_back_what_was_skipped(db: None) -> None:
    me, video_fan, later_fan = make_user(), make_user(), make_user()
    video = make_video(me)
    account_services.user_update_notification_settings(actor=me, likes=False)
    services.like_add(actor=video_fan, video_id=video.pk)

    account_services.user_update_notification_settings(actor=me, likes=True)
    services.like_add(actor=later_fan, video_id=video.pk)

    assert list(Notification.objects.filter(recipient=me).values_list("actor_id", flat=True)) == [later_fan.pk]


SILENT: dict[str, Callable[[User, Any], object]] = {
    "save": lambda fan, video: services.favorite_add(actor=fan, video_id=video.pk),
    "download": lambda fan, video: downloads.download_create(actor=fan, video_id=video.pk),
    "view": lambda fan, video: services.view_record(
        actor=fan, video_id=video.pk, watched_seconds=5, traffic_source="FOR_YOU"
    ),
    "share": lambda fan, video: services.share_create(actor=fan, video_id=video.pk, channel="COPY_LINK"),
}


@pytest.mark.parametrize("action", sorted(SILENT))
def test_saves_downloads_views_and_shares_never_notify_whatever_the_settings(db: None, action: str) -> None:
    me, fan = make_user(), make_user()
    account_services.user_update_notification_settings(actor=me, **ALL_ON)
    video = make_video(me)
    attach_files(video)

    SILENT[action](fan, video)

    assert not Notification.objects.exists()
