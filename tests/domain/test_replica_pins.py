"""Which writes keep whose reads on the primary (``kernel.routers``): the services say so, and
the pins are set when the write commits. No replica is needed here: ``replica_configured`` is made
true and ``may_read_replica`` is asked directly (``test_replica_router.py`` runs the same through
HTTP against a second PostgreSQL database)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import services as account_services
from accounts.models import LikedVideosVisibility, User
from engagement import services
from engagement.media import downloads
from engagement.models import Video, Visibility
from kernel import routers
from kernel.errors import InvalidInput
from tests.factories import attach_files, make_follow, make_friends, make_user, make_video, password_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def replica_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with committed():`` runs the block's on-commit callbacks as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def pinned(*viewers: Any) -> list[bool]:
    return [not routers.may_read_replica(viewer) for viewer in viewers]


class Cast:
    """Two parties of a write, a bystander, and the first party's public video (with its files)."""

    def __init__(self) -> None:
        self.a, self.b = make_user(), make_user()
        self.bystander = make_user()
        self.video = make_video(self.a)
        attach_files(self.video)


# Follow-graph changes pin both parties ----------------------------------------------------------


def _follow(cast: Cast) -> None:
    services.follow(actor=cast.a, username=cast.b.username)


def _follow_request(cast: Cast) -> None:
    User.objects.filter(pk=cast.b.pk).update(is_private=True)
    services.follow(actor=cast.a, username=cast.b.username)


def _unfollow(cast: Cast) -> None:
    make_friends(cast.a, cast.b)
    account_services.unfollow(actor=cast.a, username=cast.b.username)


def _approve(cast: Cast) -> None:
    make_follow(cast.b, cast.a, accepted=False)
    account_services.follow_request_approve(actor=cast.a, username=cast.b.username)


def _decline(cast: Cast) -> None:
    make_follow(cast.b, cast.a, accepted=False)
    account_services.follow_request_decline(actor=cast.a, username=cast.b.username)


FOLLOW_GRAPH: dict[str, Callable[[Cast], None]] = {
    "follow": _follow,
    "follow request": _follow_request,
    "unfollow": _unfollow,
    "request approved": _approve,
    "request declined": _decline,
}


@pytest.mark.parametrize("write", sorted(FOLLOW_GRAPH))
def test_a_follow_graph_change_pins_both_parties_only(write: str, committed: Callable[[], Any]) -> None:
    cast = Cast()

    with committed():
        FOLLOW_GRAPH[write](cast)

    assert pinned(cast.a, cast.b, cast.bystander, None) == [True, True, False, False]


# Account privacy, video visibility and deletions pin everyone ---------------------------------


def _video_private(cast: Cast) -> None:
    services.video_update(actor=cast.a, video_id=cast.video.pk, visibility=Visibility.PRIVATE)


def _video_friends(cast: Cast) -> None:
    services.video_update(actor=cast.a, video_id=cast.video.pk, visibility=Visibility.FRIENDS)


def _video_deleted(cast: Cast) -> None:
    services.video_delete(actor=cast.a, video_id=cast.video.pk)


def _account_private(cast: Cast) -> None:
    account_services.user_update_privacy_settings(actor=cast.a, is_private=True)


def _account_public(cast: Cast) -> None:
    User.objects.filter(pk=cast.a.pk).update(is_private=True)
    account_services.user_update_privacy_settings(actor=User.objects.get(pk=cast.a.pk), is_private=False)


def _likes_hidden(cast: Cast) -> None:
    User.objects.filter(pk=cast.a.pk).update(liked_videos_visibility=LikedVideosVisibility.EVERYONE)
    account_services.user_update_privacy_settings(
        actor=User.objects.get(pk=cast.a.pk), liked_videos_visibility=LikedVideosVisibility.ONLY_ME
    )


def _account_deleted(cast: Cast) -> None:
    services.user_delete_account(actor=cast.a, password=password_of(cast.a.username))


EVERYONE: dict[str, Callable[[Cast], None]] = {
    "video made private": _video_private,
    "video made friends-only": _video_friends,
    "video deleted": _video_deleted,
    "account made private": _account_private,
    "account made public": _account_public,
    "liked videos hidden": _likes_hidden,
    "account deleted": _account_deleted,
}


@pytest.mark.parametrize("write", sorted(EVERYONE))
def test_a_visibility_change_pins_every_viewer(write: str, committed: Callable[[], Any]) -> None:
    cast = Cast()

    with committed():
        EVERYONE[write](cast)

    assert pinned(cast.b, cast.bystander, None, AnonymousUser()) == [True, True, True, True]


# Writes that change no one's view pin no one (the author's own pin is the API layer's) ----------


def _like(cast: Cast) -> None:
    services.like_add(actor=cast.b, video_id=cast.video.pk)


def _comment(cast: Cast) -> None:
    services.comment_create(actor=cast.b, video_id=cast.video.pk, text="nice")


def _save(cast: Cast) -> None:
    services.favorite_add(actor=cast.b, video_id=cast.video.pk)


def _download(cast: Cast) -> None:
    downloads.download_create(actor=cast.b, video_id=cast.video.pk)


def _caption(cast: Cast) -> None:
    services.video_update(actor=cast.a, video_id=cast.video.pk, caption="edited")


def _same_visibility(cast: Cast) -> None:
    services.video_update(actor=cast.a, video_id=cast.video.pk, visibility=Visibility.PUBLIC)


def _same_privacy(cast: Cast) -> None:
    account_services.user_update_privacy_settings(
        actor=cast.a, is_private=False, liked_videos_visibility=cast.a.liked_videos_visibility
    )


def _defaults(cast: Cast) -> None:
    account_services.user_update_privacy_settings(actor=cast.a, default_allow_download=False)


UNRELATED: dict[str, Callable[[Cast], None]] = {
    "like": _like,
    "comment": _comment,
    "save": _save,
    "download": _download,
    "caption edited": _caption,
    "visibility set to what it was": _same_visibility,
    "privacy set to what it was": _same_privacy,
    "defaults for new videos": _defaults,
}


@pytest.mark.parametrize("write", sorted(UNRELATED))
def test_an_unrelated_write_pins_no_one(write: str, committed: Callable[[], Any]) -> None:
    cast = Cast()

    with committed():
        UNRELATED[write](cast)

    assert pinned(cast.a, cast.b, cast.bystander, None) == [False, False, False, False]


# On commit, and only then -------------------------------------------------------------------------


def test_pins_wait_for_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    """Given an unfollow whose transaction has not committed yet, then nobody is pinned; the
    pins come with the commit, when the change exists for the replica to lag behind."""
    cast = Cast()
    make_friends(cast.a, cast.b)

    with django_capture_on_commit_callbacks() as callbacks:
        account_services.unfollow(actor=cast.a, username=cast.b.username)
        assert pinned(cast.a, cast.b) == [False, False]

    for callback in callbacks:
        callback()
    assert pinned(cast.a, cast.b) == [True, True]


def test_a_rolled_back_write_pins_no_one(committed: Callable[[], Any]) -> None:
    """Given a video update that makes the video private but fails on a later field, then
    nothing changed and nobody is pinned."""
    cast = Cast()

    with committed(), pytest.raises(InvalidInput):
        services.video_update(
            actor=cast.a, video_id=cast.video.pk, visibility=Visibility.PRIVATE, allow_comments="NOBODY?"
        )

    assert Video.objects.get(pk=cast.video.pk).visibility == Visibility.PUBLIC
    assert pinned(cast.b, None) == [False, False]


def test_without_a_replica_nothing_is_recorded(monkeypatch: pytest.MonkeyPatch, committed: Callable[[], Any]) -> None:
    monkeypatch.setattr(routers, "replica_configured", lambda: False)
    cast = Cast()

    with committed():
        _video_private(cast)

    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    assert pinned(cast.b, None) == [False, False]
