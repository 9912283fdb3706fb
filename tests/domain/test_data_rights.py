"""The user's own data rights (docs/PRIVACY.md): the export holds everything about the viewer and
nothing of anyone else's private rows; erasure removes the account with all it holds and moves
other people's totals in the same transaction, so every counter still equals its rows."""

import contextlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from accounts import selectors as account_selectors
from accounts.models import Follow, User
from engagement import selectors, services
from engagement.counters import counter_drift
from engagement.media import downloads
from engagement.models import (
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    Share,
    Video,
    View,
    Visibility,
)
from kernel.errors import DomainError, InvalidInput, Unauthenticated
from kernel.ids import global_id
from tests.domain.helpers import counters_of, db_state
from tests.domain.test_counters_property import Cast, action_strategy, cast, perform  # noqa: F401
from tests.factories import attach_files, make_follow, make_user, make_video, password_of

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Town:
    """``leaver`` has done a bit of everything, on others' videos and on their own."""

    leaver: User
    creator: User
    fan: User
    manager: User
    private: User
    creator_video: Video
    leaver_video: Video
    remix: Video


@pytest.fixture
def town() -> Town:
    leaver = make_user("leaver", display_name="Leaver", birth_year=1990, country="FR")
    creator, fan, manager = make_user("creator"), make_user("fan"), make_user("manager")
    private = make_user("private", is_private=True)
    creator_video = make_video(creator, caption="creator's", duration_seconds=20)
    leaver_video = make_video(leaver, caption="leaver's", duration_seconds=10)
    remix = make_video(fan, remix_of_id=leaver_video.pk, remix_kind="DUET")

    collection = services.collection_create(actor=leaver, name="Later")
    services.favorite_add(actor=leaver, video_id=creator_video.pk, collection_id=collection.pk)
    services.like_add(actor=leaver, video_id=creator_video.pk)
    services.comment_create(actor=leaver, video_id=creator_video.pk, text="nice @fan")
    services.share_create(actor=leaver, video_id=creator_video.pk, channel="SMS")
    attach_files(creator_video)
    downloads.download_create(actor=leaver, video_id=creator_video.pk)
    services.view_record(actor=leaver, video_id=creator_video.pk, watched_seconds=20, traffic_source="FOR_YOU")
    services.view_record(
        actor=leaver,
        video_id=creator_video.pk,
        watched_seconds=7,
        traffic_source="SEARCH",
        watch_position=12,
        replayed=True,
        device="PHONE",
    )
    # Others on the leaver's own video, and the leaver on it too.
    services.favorite_add(actor=fan, video_id=leaver_video.pk)
    services.like_add(actor=fan, video_id=leaver_video.pk)
    services.view_record(actor=leaver, video_id=leaver_video.pk, watched_seconds=10, traffic_source="PROFILE")
    # Others' own activity, which must survive untouched.
    services.favorite_add(actor=fan, video_id=creator_video.pk)
    services.view_record(actor=fan, video_id=creator_video.pk, watched_seconds=5, traffic_source="FOR_YOU")
    # Follows both ways, accepted and pending.
    make_follow(leaver, creator)
    make_follow(fan, leaver)
    services.follow(actor=leaver, username="private")  # pending request
    services.follow(actor=manager, username="creator")
    # Delegations given and held.
    assign_perm("engagement.view_video_insights", manager, leaver_video)
    assign_perm("accounts.view_video_insights", manager, leaver)
    assign_perm("engagement.view_video_insights", leaver, creator_video)
    return Town(leaver, creator, fan, manager, private, creator_video, leaver_video, remix)


# Erasure -------------------------------------------------------------------------------------------


def test_delete_account_erases_the_user_and_moves_other_peoples_totals(town: Town) -> None:
    """Given the leaver's favorites, likes, comments, shares, downloads, views and follows, when
    they delete their account, then every row of theirs is gone, the creator's video counts only
    the fan, and every counter in the database still equals its rows."""
    assert counter_drift() == []
    before = counters_of(town.creator_video)

    deleted = services.user_delete_account(actor=town.leaver, password=password_of("leaver"))

    assert deleted == town.leaver.pk
    assert not User.objects.filter(pk=town.leaver.pk).exists()
    erased: list[tuple[Any, str]] = [
        (Favorite, "user"),
        (FavoriteCollection, "owner"),
        (Like, "user"),
        (Comment, "author"),
        (Share, "user"),
        (Download, "user"),
        (View, "viewer"),
        (Video, "owner"),
        (Notification, "recipient"),
        (Notification, "actor"),
        (Follow, "follower"),
        (Follow, "followee"),
    ]
    for model, field in erased:
        assert not model.objects.filter(**{f"{field}_id": town.leaver.pk}).exists(), (model, field)
    after = counters_of(town.creator_video)
    assert after == {
        **before,
        "save_count": before["save_count"] - 1,
        "like_count": before["like_count"] - 1,
        "comment_count": before["comment_count"] - 1,
        "share_count": before["share_count"] - 1,
        "download_count": before["download_count"] - 1,
        "view_count": before["view_count"] - 2,
        "total_watch_seconds": before["total_watch_seconds"] - 27,
        "completion_count": before["completion_count"] - 1,
        "reached_seconds": before["reached_seconds"] - 32,
        "replay_count": before["replay_count"] - 1,
    }
    assert after["save_count"] == 1 and after["view_count"] == 1  # the fan's
    assert counter_drift() == []
    town.creator.refresh_from_db()
    town.fan.refresh_from_db()
    assert (town.creator.follower_count, town.fan.following_count) == (1, 0)  # the manager's follow stays


def test_delete_account_detaches_remixes_and_forgets_delegations(town: Town) -> None:
    """A duet of the leaver's video outlives it, detached; no object permission on the leaver's
    account or videos survives (they would say who managed it), nor any the leaver held."""
    services.user_delete_account(actor=town.leaver, password=password_of("leaver"))

    town.remix.refresh_from_db()
    assert (town.remix.remix_of_id, town.remix.remix_kind) == (None, "")
    assert not Video.objects.filter(pk=town.leaver_video.pk).exists()
    assert not UserObjectPermission.objects.filter(object_pk__in=[str(town.leaver.pk), str(town.leaver_video.pk)])
    assert not UserObjectPermission.objects.filter(user_id=town.leaver.pk).exists()
    assert Favorite.objects.filter(user=town.fan, video=town.creator_video).exists()  # others keep theirs


def test_delete_account_needs_the_password_and_a_signed_in_actor(town: Town) -> None:
    before = db_state()

    with pytest.raises(InvalidInput) as wrong:
        services.user_delete_account(actor=town.leaver, password="not-it")
    with pytest.raises(Unauthenticated):
        services.user_delete_account(actor=AnonymousUser(), password=password_of("leaver"))

    assert wrong.value.field == "password"
    assert db_state() == before


class _Rollback(Exception):
    pass


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(action_strategy, min_size=5, max_size=30), leaver=st.integers(min_value=0, max_value=2))
def test_totals_equal_rows_after_any_history_and_an_erasure(
    cast: Cast,  # noqa: F811 - the fixture of test_counters_property
    actions: list[tuple[str, int, int, int, int]],
    leaver: int,
) -> None:
    """Property: whatever the users did, when one of them erases their account, every video
    counter and every follow counter still equals a count over the rows."""
    try:
        with transaction.atomic():
            for step in actions:
                with contextlib.suppress(DomainError):  # a refusal is fine: its savepoint undid it
                    perform(cast, *step)
            user = User.objects.get(pk=cast.users[leaver].pk)
            note(f"erasing {user.username} after {len(actions)} actions")
            services.user_delete_account(actor=user, password=password_of(user.username))
            assert counter_drift() == []
            raise _Rollback
    except _Rollback:
        pass


# The export ----------------------------------------------------------------------------------------


def _export(user: Any) -> dict[str, Any]:
    return {"account": account_selectors.account_export(viewer=user), **selectors.engagement_export(viewer=user)}


def test_the_export_holds_everything_the_user_did(town: Town) -> None:
    data = _export(town.leaver)

    assert data["account"]["username"] == "leaver"
    assert data["account"]["email"] == "leaver@example.com"
    assert (data["account"]["birthYear"], data["account"]["country"]) == (1990, "FR")
    assert [edge["username"] for edge in data["account"]["following"]] == ["creator", "private"]
    assert [edge["status"] for edge in data["account"]["following"]] == ["ACCEPTED", "PENDING"]
    assert [edge["username"] for edge in data["account"]["followers"]] == ["fan"]
    creator_video = global_id("Video", town.creator_video.pk)
    assert [f["video"] for f in data["favorites"]] == [creator_video]
    assert [c["name"] for c in data["collections"]] == ["Later"]
    assert [like["video"] for like in data["likes"]] == [creator_video]
    assert [c["text"] for c in data["comments"]] == ["nice @fan"]
    assert [s["channel"] for s in data["shares"]] == ["SMS"]
    assert len(data["downloads"]) == 1
    assert [v["watchedSeconds"] for v in data["views"]] == [20, 7, 10]
    assert [(v["watchPosition"], v["replayed"], v["device"]) for v in data["views"]][1] == (12, True, "PHONE")
    assert [v["caption"] for v in data["videos"]] == ["leaver's"]
    assert data["videos"][0]["totals"]["save_count"] == 1  # a total, never who
    assert {n["kind"] for n in data["notifications"]} == {"LIKE", "DUET"}


def test_the_export_names_no_one_elses_private_rows(town: Town) -> None:
    """The leaver's export says that the fan saved their video only as a total; the creator's
    export says nothing of who saved, liked, viewed or downloaded theirs."""
    leaver_text = repr(_export(town.leaver))
    creator_text = repr(_export(town.creator))

    fans_favorite = Favorite.objects.get(user=town.fan, video=town.leaver_video)
    assert global_id("Favorite", fans_favorite.pk) not in leaver_text
    for favorite in Favorite.objects.filter(video=town.creator_video):
        assert global_id("Favorite", favorite.pk) not in creator_text
    assert "Later" not in creator_text
    assert "'saves'" not in creator_text and "'viewers'" not in creator_text
    assert "'kind': 'LIKE', 'actor': 'leaver'" in creator_text  # likes notify: the creator's own


def test_a_favorite_that_became_unavailable_keeps_its_place_without_its_video(town: Town) -> None:
    services.video_update(actor=town.creator, video_id=town.creator_video.pk, visibility=Visibility.PRIVATE)

    data = _export(town.leaver)

    assert [(f["video"], f["isAvailable"]) for f in data["favorites"]] == [(None, False)]
    assert [v["video"] for v in data["views"]][:2] == [None, None]


def test_the_export_needs_a_signed_in_viewer() -> None:
    with pytest.raises(Unauthenticated):
        selectors.engagement_export(viewer=AnonymousUser())
    with pytest.raises(Unauthenticated):
        account_selectors.account_export(viewer=AnonymousUser())
